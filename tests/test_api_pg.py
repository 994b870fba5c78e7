"""The read API on PostgreSQL gives the same records as on SQLite: the shipped seeds built into a throwaway
cluster (tests/pg/server.py), every endpoint read through both stores and compared (data version aside)."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dashboard.api import respond
from dashboard.api.app import create_app
from dashboard.build import build
from dashboard.db import ServerDatabase

try:
    from tests.pg.server import cluster
except ImportError:  # tests/ itself on sys.path
    from pg.server import cluster

URLS = ["/api/v1/indicators?limit=1000", "/api/v1/targets?limit=1000", "/api/v1/observations?limit=1000",
        "/api/v1/observations?province=87&year_from=2023&provenance=published",
        "/api/v1/observations?unit=94,67&indicator=CASHLESS_SCHOOLS_PCT",
        "/api/v1/schools?province=87&limit=1000", "/api/v1/schools?province=94&level=THCS&limit=7&offset=3",
        "/api/v1/schools?provenance=published&limit=1000", "/api/v1/schools?district=866&format=csv&limit=1000",
        "/api/v1/progress?province=87", "/api/v1/progress?province=67&lang=en", "/api/v1/sources",
        "/api/v1/provinces"]


@pytest.fixture(scope="module")
def pg_url() -> str:
    with cluster() as c:
        url = c.create_database("api")
        build(ServerDatabase(url), quiet=True)
        yield url


def _read(url: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_API_WARM", "0")
    respond.CACHE.clear()
    out = {}
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        for u in URLS:
            r = c.get(u)
            assert r.status_code == 200, (url.split("@")[-1], u, r.text[:300])
            if "format=csv" in u:
                out[u] = r.content.decode("utf-8-sig")
            else:
                body = r.json()
                body.pop("data_version")
                out[u] = body
    return out


def test_same_records_on_postgresql_and_sqlite(pg_url: str, db_path: Path, monkeypatch: pytest.MonkeyPatch):
    lite = _read(f"sqlite:///{db_path}", monkeypatch)
    pg = _read(pg_url, monkeypatch)
    for u in URLS:
        assert pg[u] == lite[u], u
    assert lite["/api/v1/observations?limit=1000"]["total"] == 129
