"""The FastAPI application of the read API: routes, GET-only rule, error handlers, offline docs.

Errors never show internals: a store that is missing or cannot be read gives 503 with the dashboard's own
sentence (dashboard/errors.py), anything unforeseen gives 500 with an incident code whose traceback is in the
server log; bad parameters give FastAPI's 422 naming the field.
"""
from __future__ import annotations

import logging
import os
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import errors
from ..db import StoreError
from . import docs
from .fastpath import CachedFirst
from .routes import API_VERSION, router

TITLE = "API dữ liệu chuyển đổi số ngành Giáo dục — Education digital-transformation data API"
DESCRIPTION = """\
API chỉ đọc (JSON hoặc CSV) trên cùng kho dữ liệu với bảng điều khiển. Mỗi bản ghi mang nguồn của nó: văn bản,
mục và trích dẫn nguyên văn (số liệu công bố); đợt nhập, tệp và người phê duyệt (số liệu nhập); hoặc ghi rõ
"mô phỏng" / "tính toán". Phân trang bằng `limit` (mặc định 100, tối đa 1.000) và `offset`; phản hồi có `total`
và `next`. `format=csv` hoặc `Accept: text/csv` cho CSV UTF-8 có BOM. ETag theo phiên bản dữ liệu:
gửi `If-None-Match` để nhận 304 khi dữ liệu chưa đổi.

Read-only API (JSON or CSV) over the dashboard's store. Every record carries its source: document, section and
verbatim quote (published figures); batch, file and approver (imported data); or says "simulated" / "derived".
Pagination with `limit` (default 100, at most 1,000) and `offset`; responses carry `total` and `next`.
`format=csv` or `Accept: text/csv` gives CSV (UTF-8 with BOM). ETags follow the data version: send
`If-None-Match` to get 304 while the data has not changed.
"""
ALLOWED = ("GET", "HEAD")
log = logging.getLogger("dashboard.api")


def _error(status: int, code: str, vi: str, en: str, incident: str | None = None) -> JSONResponse:
    body = {"error": code, "message": vi, "message_en": en}
    if incident:
        body["incident"] = incident
    return JSONResponse(body, status_code=status)


def _field(loc: tuple | list) -> str:
    names = [str(x) for x in loc[1:] if isinstance(x, str)] if len(loc) > 1 else [str(x) for x in loc]
    return names[0] if names else ""


def _unusable(exc: BaseException) -> bool:
    """The store cannot be read (missing, foreign, damaged, unreachable, bad URL, pool exhausted): 503. A query
    the database refuses for another reason (e.g. an operator it lacks) is our fault: 500 with an incident."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    cause = errors.database_cause(exc)
    if cause in ("not_sqlite", "schema", "open", "url"):
        return True
    chain, e = [], exc
    while e is not None and len(chain) < 10:
        chain.append(e)
        e = e.__cause__ or e.__context__
    return any(isinstance(x, (OperationalError, PoolTimeout)) for x in chain)


def _store_unusable(exc: BaseException) -> JSONResponse:
    code = errors.report(exc, "api: store")
    cause = errors.database_cause(exc) or "open"
    reason = {lg: errors.t(f"err_db_{cause}", lg) for lg in ("vi", "en")}
    return _error(503, "store_unavailable",
                  errors.t("err_db", "vi").format(reason=reason["vi"], code=code),
                  errors.t("err_db", "en").format(reason=reason["en"], code=code), code)


class OnlyGet:
    """Every method but GET and HEAD gets 405, on every path; HEAD is answered as GET without the body (a plain
    ASGI middleware: no per-request task)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        method = scope.get("method", "GET")
        if scope["type"] == "http" and method not in ALLOWED:
            resp = _error(405, "method_not_allowed", f"API chỉ đọc: chỉ cho phép GET (không nhận {method}).",
                          f"Read-only API: only GET is allowed (not {method}).")
            resp.headers["Allow"] = ", ".join(ALLOWED)
            await resp(scope, receive, send)
            return
        if scope["type"] == "http" and method == "HEAD":  # the GET response's headers, without its body
            async def headers_only(message) -> None:  # noqa: ANN001
                if message["type"] == "http.response.body":
                    if message.get("more_body"):
                        return
                    message = {"type": "http.response.body", "body": b"", "more_body": False}
                await send(message)
            await self.app(dict(scope, method="GET"), receive, headers_only)
            return
        await self.app(scope, receive, send)


def _warm() -> None:
    """Before the first request: the lookups and every province's /progress rows (progress.warm). A store that
    cannot be read is reported per request later (503), not here."""
    if os.environ.get("DASHBOARD_API_WARM", "1") == "0":
        return
    from .progress import warm

    t0 = time.monotonic()
    try:
        n = warm()
    except Exception as exc:  # noqa: BLE001 - the requests give the store's error to their clients
        log.warning("api: warm-up skipped (%s)", type(exc).__name__)
        return
    log.info("api: progress of %d provinces computed in %.1f s", n, time.monotonic() - t0)


@asynccontextmanager
async def _lifespan(_app: FastAPI):
    from starlette.concurrency import run_in_threadpool

    await run_in_threadpool(_warm)
    yield


def create_app() -> FastAPI:
    app = FastAPI(title=TITLE, description=DESCRIPTION, version=API_VERSION, docs_url=None, redoc_url=None,
                  openapi_tags=[{"name": "data", "description": "Dữ liệu — data"}], lifespan=_lifespan)
    app.include_router(router, tags=["data"])
    docs.mount(app)

    app.add_middleware(CachedFirst)  # inside OnlyGet: a HEAD reaches it as a GET
    app.add_middleware(OnlyGet)

    @app.exception_handler(StoreError)
    async def store_error(_request: Request, exc: StoreError):
        return _store_unusable(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _error(404, "not_found", "Không có địa chỉ này; xem /docs.", "No such address; see /docs.")
        return _error(exc.status_code, "http_error", str(exc.detail), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_request: Request, exc: RequestValidationError):
        # the parameter's name: loc is ('query', name) or ('query', name, index) for a repeated one
        detail = [{"loc": list(e.get("loc", ())), "field": _field(e.get("loc") or ()), "msg": e.get("msg"),
                   "type": e.get("type"), "input": e.get("input")} for e in exc.errors()]
        fields = ", ".join(str(d["field"]) for d in detail)
        return JSONResponse({"error": "bad_parameter", "message": f"Tham số không hợp lệ: {fields}.",
                             "message_en": f"Invalid parameter: {fields}.", "detail": detail}, status_code=422)

    @app.exception_handler(Exception)
    async def internal(_request: Request, exc: Exception):
        if _unusable(exc):
            return _store_unusable(exc)
        code = errors.report(exc, f"api {_request.url.path}")
        return _error(500, "internal_error",
                      f"Lỗi máy chủ; đã ghi lại. Hãy báo mã sự cố {code} cho người quản trị.",
                      f"Server error; it was logged. Please give the incident code {code} to an administrator.",
                      code)

    @app.get("/", include_in_schema=False)
    def root():
        return RedirectResponse("/docs")

    return app


app = create_app()
