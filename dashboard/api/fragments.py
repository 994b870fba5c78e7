"""Encoded records kept per store and data version: a page of schools or figures assembled from its records' bytes.

A record's JSON (or CSV line) depends on its row alone, and a row changes only with the data version. So each
record is read, shaped and encoded once per version; a page — whatever its filter, offset or size — is the
listing's page keys (keys.py), the bytes of the records already encoded, and one SQL read for the rest. The
bytes are exactly what encoding the whole page at once gives (same encoder, same separators), so a page built
from fragments equals a page built fresh.

Bounded by DASHBOARD_API_FRAGMENTS_MB (default 128) per process, least recently used first out; a new data
version drops the store's fragments. DASHBOARD_API_CACHE=0 turns this off with the response cache.
"""
from __future__ import annotations

import csv
import io
import os
import threading
from collections import OrderedDict
from typing import Callable, Sequence

from pydantic import BaseModel

from .models import columns, csv_row

BUDGET = int(float(os.environ.get("DASHBOARD_API_FRAGMENTS_MB", "128")) * 1024 * 1024)
OVERHEAD = 120  # bytes of bookkeeping per entry (key tuple, dict slot, bytes header), counted in the budget


class _Fragments:
    def __init__(self) -> None:
        self._d: OrderedDict[tuple, bytes] = OrderedDict()
        self._version: dict[str, int] = {}
        self._size = 0
        self._lock = threading.Lock()

    def _moved_on(self, store: str, version: int) -> bool:
        """Drop the store's fragments of older versions; False when `version` is itself older (do not store)."""
        known = self._version.get(store, version)
        if version > known:
            for k in [k for k in self._d if k[0] == store]:
                self._size -= len(self._d.pop(k)) + OVERHEAD
        self._version[store] = max(version, known)
        return version >= known

    def get_many(self, store: str, version: int, kind: str, keys: Sequence) -> dict:
        out = {}
        with self._lock:
            self._moved_on(store, version)
            d = self._d
            for k in keys:
                full = (store, version, kind, k)
                b = d.get(full)
                if b is not None:
                    d.move_to_end(full)
                    out[k] = b
        return out

    def put_many(self, store: str, version: int, kind: str, items: dict) -> None:
        with self._lock:
            if not self._moved_on(store, version):
                return
            for k, b in items.items():
                full = (store, version, kind, k)
                if full not in self._d:
                    self._d[full] = b
                    self._size += len(b) + OVERHEAD
            while self._size > BUDGET and self._d:
                _, old = self._d.popitem(last=False)
                self._size -= len(old) + OVERHEAD

    def clear(self) -> None:
        with self._lock:
            self._d.clear()
            self._version.clear()
            self._size = 0


FRAGMENTS = _Fragments()


def json_encoder(json_bytes: Callable[[object], bytes]) -> Callable[[list[dict]], list[bytes]]:
    return lambda recs: [json_bytes(r) for r in recs]


def csv_encoder(model: type[BaseModel]) -> Callable[[list[dict]], list[bytes]]:
    """Each record's CSV line (CRLF-terminated, UTF-8), as csv.writer writes it within a whole file."""
    row = csv_row(model)

    def encode(recs: list[dict]) -> list[bytes]:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        out = []
        for r in recs:
            buf.seek(0)
            buf.truncate()
            w.writerow(row(r))
            out.append(buf.getvalue().encode("utf-8"))
        return out
    return encode


def csv_header(model: type[BaseModel]) -> bytes:
    buf = io.StringIO()
    buf.write("\ufeff")
    csv.writer(buf, lineterminator="\r\n").writerow(columns(model))
    return buf.getvalue().encode("utf-8")


def assemble(store: str, version: int, kind: str, page_keys: Sequence, fetch: Callable[[list], list[dict]],
             shape: Callable[[dict], dict], encode: Callable[[list[dict]], list[bytes]],
             use: bool = True) -> list[bytes]:
    """The encoded records of `page_keys`, in that order: kept ones as they are, the rest fetched (rows carry
    their `page_key`), shaped, encoded and kept. A key whose row has gone since the listing was read is left out."""
    have = FRAGMENTS.get_many(store, version, kind, page_keys) if use else {}
    missing = [k for k in page_keys if k not in have]
    if missing:
        rows = fetch(missing)
        new = dict(zip([r["page_key"] for r in rows], encode([shape(r) for r in rows])))
        if use:
            FRAGMENTS.put_many(store, version, kind, new)
        have.update(new)
    return [have[k] for k in page_keys if k in have]
