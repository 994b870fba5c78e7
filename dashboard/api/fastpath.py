"""Answers from the response cache before routing: a repeated GET costs a data-version read and a lookup.

A cached body is one the endpoint itself built and returned with 200 for exactly this store, address, path,
query, format and data version (respond.serve puts nothing else in the cache), so answering it here — without
FastAPI's routing, parameter validation and thread hop — gives the client the same bytes and headers. Anything
not in the cache (a first request, a bad parameter, an error, a new data version) goes on to the endpoints as
before. With `DASHBOARD_API_CACHE=0` nothing is cached and this layer only passes requests on.
"""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..db import data_version, read_engine
from .respond import CACHE, cache_key, cache_on, etag, fmt_of, reply

PREFIX = "/api/v1/"


def _version(engine) -> int:  # noqa: ANN001
    return data_version(engine)


async def cached(scope) -> Response | None:  # noqa: ANN001
    """The cached response of this GET, or None (then the endpoint answers)."""
    try:
        request = Request(scope)
        engine = read_engine()
        if engine.dialect.name == "sqlite" and engine.pool.checkedin() > 0:
            # a local file read on an idle pooled connection: cheaper than a hop to a worker thread
            version = _version(engine)
        else:  # a server, or a pool with no idle connection, may keep us waiting: never block the event loop
            version = await run_in_threadpool(_version, engine)
        scope["dashboard.version"] = (engine, version)  # the endpoint uses it (routes.context) on a miss
        tag = etag(version, request, fmt_of(request, request.query_params.get("format")))
        hit = CACHE.get(cache_key(str(id(engine)), request, tag))
    except Exception:  # noqa: BLE001 - the endpoint meets the same problem and reports it properly
        return None
    if hit is None:
        return None
    return reply(request, version, tag, *hit)


class CachedFirst:
    """ASGI middleware: GET /api/v1/… from the response cache when it is there."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if (scope["type"] == "http" and scope.get("method") == "GET" and scope.get("path", "").startswith(PREFIX)
                and cache_on()):
            resp = await cached(scope)
            if resp is not None:
                await resp(scope, receive, send)
                return
        await self.app(scope, receive, send)
