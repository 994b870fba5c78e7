"""Responses of the read API: JSON envelope or CSV, ETag on the store's data version, a small response cache.

Every GET reads the data version (one primary-key read). The ETag is that version plus a hash of the path,
the query and the format, so a client's `If-None-Match` gets 304 without any query, and a cached body is
served until a build, publish, rollback or restore moves the version on. `DASHBOARD_API_CACHE=0` turns the
in-process cache off (ETags stay); `DASHBOARD_API_CACHE_MB` bounds it (default 64 per process).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import threading
from collections import OrderedDict
from typing import Callable, Generic, Literal, Optional, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel, Field

from .models import columns, csv_row

T = TypeVar("T")
Format = Literal["json", "csv"]
CACHE_ENTRIES = 2048
CACHE_BYTES = int(float(os.environ.get("DASHBOARD_API_CACHE_MB", "64")) * 1024 * 1024)
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


class Envelope(BaseModel, Generic[T]):
    """Một trang kết quả — one page of results."""
    data_version: int = Field(description="Phiên bản dữ liệu của kho — the store's data version")
    total: int = Field(description="Tổng số bản ghi khớp bộ lọc — records matching the filters")
    limit: int = Field(description="Số bản ghi tối đa một trang — page size")
    offset: int = Field(description="Vị trí bắt đầu — offset of the first record")
    count: int = Field(description="Số bản ghi trong trang này — records on this page")
    next: Optional[str] = Field(None, description="Địa chỉ trang sau (null nếu hết) — next page's URL (null at "
                                                  "the end)")
    previous: Optional[str] = Field(None, description="Địa chỉ trang trước — previous page's URL")
    items: list[T]


CSV_RESPONSE = {200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                      "description": "JSON (mặc định) hoặc CSV UTF-8 có BOM khi `format=csv` hoặc Accept: text/csv; "
                                     "cột CSV = tên trường JSON, trường lồng nhau nối bằng '_' — JSON (default) or "
                                     "CSV (UTF-8 with BOM) for `format=csv` or Accept: text/csv; CSV columns are the "
                                     "JSON field names, nested fields joined with '_'"},
                304: {"description": "Không đổi kể từ ETag đã gửi — not modified since the ETag sent"}}


def fmt_of(request: Request, format: str | None) -> str:
    """The query's `format` wins; else an Accept header that asks for CSV (and not JSON first) gets CSV."""
    if format:
        return format
    accept = request.headers.get("accept", "")
    if "text/csv" in accept and not accept.lstrip().startswith("application/json"):
        return "csv"
    return "json"


class _Cache:
    def __init__(self) -> None:
        self._d: OrderedDict[str, tuple[bytes, dict]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, dict] | None:
        with self._lock:
            hit = self._d.get(key)
            if hit is not None:
                self._d.move_to_end(key)
            return hit

    def put(self, key: str, body: bytes, headers: dict) -> None:
        if len(body) > CACHE_BYTES // 8:
            return
        with self._lock:
            if key in self._d:
                return
            self._d[key] = (body, headers)
            self._bytes += len(body)
            while len(self._d) > CACHE_ENTRIES or self._bytes > CACHE_BYTES:
                _, (b, _) = self._d.popitem(last=False)
                self._bytes -= len(b)

    def clear(self) -> None:
        with self._lock:
            self._d.clear()
            self._bytes = 0


CACHE = _Cache()


def cache_on() -> bool:
    return os.environ.get("DASHBOARD_API_CACHE", "1") != "0"


def etag(version: int, request: Request, fmt: str) -> str:
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    h = hashlib.sha256(f"{request.url.path}?{query}|{fmt}".encode()).hexdigest()[:20]
    return f'"v{version}-{h}"'


def cache_key(store: str, request: Request, tag: str) -> str:
    """The store, the address the client used (next/previous links carry it) and the ETag."""
    return f"{store}|{request.base_url}|{tag}"


def _matches(request: Request, tag: str) -> bool:
    inm = request.headers.get("if-none-match")
    if not inm:
        return False
    return inm.strip() == "*" or tag in [t.strip().removeprefix("W/") for t in inm.split(",")]


def reply(request: Request, version: int, tag: str, body: bytes, headers: dict) -> Response:
    """The response for a body and its headers: 304 when the client already has this ETag."""
    common = {"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept", "X-Data-Version": str(version)}
    if _matches(request, tag):
        return Response(status_code=304, headers=common)
    media = headers.get("content-type", "application/json")
    extra = {k: v for k, v in headers.items() if k != "content-type"}
    return Response(content=body, media_type=media, headers=common | extra)


def serve(request: Request, version: int, fmt: str, build: Callable[[], tuple[bytes, dict]],
          store: str = "") -> Response:
    """304 when the client has this version's response; else the cached or freshly built body with its ETag
    (the cache is keyed on the store too: one process may be pointed at another store, e.g. in tests)."""
    tag = etag(version, request, fmt)
    if _matches(request, tag):
        return reply(request, version, tag, b"", {})
    key = cache_key(store, request, tag)
    hit = CACHE.get(key) if cache_on() else None
    if hit is None:
        body, headers = build()
        if cache_on():
            CACHE.put(key, body, headers)
    else:
        body, headers = hit
    return reply(request, version, tag, body, headers)


# ------------------------------------------------------------------------------------------------ bodies
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)  # one encoder, not one per call


def json_bytes(obj: object) -> bytes:
    return _JSON.encode(obj).encode("utf-8")


def csv_bytes(model: type[BaseModel], records: list[dict]) -> bytes:
    """UTF-8 with a BOM (Excel opens it with the diacritics intact), one column per field of the model."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns(model))
    w.writerows(map(csv_row(model), records))
    return buf.getvalue().encode("utf-8")


def _csv_headers(name: str) -> dict:
    return {"content-type": "text/csv; charset=utf-8", "Content-Disposition": f'attachment; filename="{name}.csv"'}


def page_links(request: Request, total: int, limit: int, offset: int) -> tuple[str | None, str | None]:
    nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit)) if offset + limit < total else None
    prev = (str(request.url.include_query_params(offset=max(0, offset - limit), limit=limit))
            if offset > 0 else None)
    return nxt, prev


def _csv_page_headers(name: str, total: int, nxt: str | None, prev: str | None) -> dict:
    """A CSV page's headers: the file's, its total (X-Total-Count) and the next/previous pages (RFC 8288 Link)."""
    headers = _csv_headers(name) | {"X-Total-Count": str(total)}
    links = [f'<{u}>; rel="{r}"' for u, r in ((nxt, "next"), (prev, "prev")) if u]
    if links:
        headers["Link"] = ", ".join(links)
    return headers


def page_body(request: Request, version: int, fmt: str, model: type[BaseModel], name: str, records: list[dict],
              total: int, limit: int, offset: int, **extra: object) -> tuple[bytes, dict]:
    nxt, prev = page_links(request, total, limit, offset)
    if fmt == "csv":
        headers = _csv_page_headers(name, total, nxt, prev)
        return csv_bytes(model, records), headers
    body = {"data_version": version, "total": total, "limit": limit, "offset": offset, "count": len(records),
            "next": nxt, "previous": prev, **extra, "items": records}
    return json_bytes(body), {"content-type": "application/json"}


def listing_body(request: Request, version: int, fmt: str, model: type[BaseModel], name: str, store: str,
                 listing, limit: int, offset: int, shape: Callable[[dict], dict]) -> tuple[bytes, dict]:  # noqa: ANN001
    """page_body() of one page of a queries.Listing, assembled from records encoded once per data version
    (fragments.py): the same bytes as encoding the page's records at once."""
    from .fragments import assemble, csv_encoder, csv_header, json_encoder

    page_keys, total = listing.keys(limit, offset)
    encode = csv_encoder(model) if fmt == "csv" else json_encoder(json_bytes)
    parts = assemble(store, version, f"{model.__name__}.{fmt}", page_keys, listing.rows, shape, encode,
                     use=cache_on())
    nxt, prev = page_links(request, total, limit, offset)
    if fmt == "csv":
        headers = _csv_page_headers(name, total, nxt, prev)
        return csv_header(model) + b"".join(parts), headers
    head = json_bytes({"data_version": version, "total": total, "limit": limit, "offset": offset,
                       "count": len(parts), "next": nxt, "previous": prev, "items": []})
    return head[:-2] + b",".join(parts) + b"]}", {"content-type": "application/json"}


def list_body(version: int, fmt: str, model: type[BaseModel], name: str, records: list[dict],
              **extra: object) -> tuple[bytes, dict]:
    """A whole (short) list: the same envelope with total = count and no next page."""
    if fmt == "csv":
        return csv_bytes(model, records), _csv_headers(name) | {"X-Total-Count": str(len(records))}
    n = len(records)
    return json_bytes({"data_version": version, "total": n, "limit": n, "offset": 0, "count": n, "next": None,
                       "previous": None, **extra, "items": records}), {"content-type": "application/json"}
