"""The read API's speed-ups give the same answers: pages built from key lists and encoded records (per data
version) equal pages built fresh with every cache off; a new data version is seen at once; a listing too long
to keep falls back to COUNT/OFFSET with the same records; a repeated GET is answered before routing with the
same bytes; /progress of every province with data is computed at start-up."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dashboard.api import fragments, keys, progress, respond, routes
from dashboard.api.app import create_app
from dashboard.db import bump_data_version, write_engine

URLS = ["/api/v1/schools?limit=50", "/api/v1/schools?limit=50&offset=25", "/api/v1/schools?limit=7&offset=30",
        "/api/v1/schools?province=87&limit=1000", "/api/v1/schools?province=87&level=THCS&limit=5&offset=3",
        "/api/v1/schools?province=87&limit=40&offset=20&format=csv", "/api/v1/schools?district=866&format=csv",
        "/api/v1/schools?provenance=published&limit=1000", "/api/v1/schools?current_province=82&limit=30",
        "/api/v1/observations?limit=1000", "/api/v1/observations?province=87&limit=10&offset=5",
        "/api/v1/observations?unit=94,67&indicator=CASHLESS_SCHOOLS_PCT&format=csv",
        "/api/v1/observations?limit=3&offset=100000"]


def _clear() -> None:
    respond.CACHE.clear()
    keys.LISTS.clear()
    fragments.FRAGMENTS.clear()
    progress._MEMO.clear()


def _bodies(client: TestClient, urls: list[str]) -> dict[str, tuple[int, bytes, str | None]]:
    out = {}
    for u in urls:
        r = client.get(u)
        out[u] = (r.status_code, r.content, r.headers.get("x-total-count"))
    return out


@pytest.fixture()
def fresh(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DASHBOARD_API_WARM", "0")
    _clear()
    yield
    _clear()


def test_pages_from_kept_keys_and_records_equal_fresh_pages(fresh, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DASHBOARD_API_CACHE", "0")  # nothing kept: every page read and encoded whole
    with TestClient(create_app()) as c:
        plain = _bodies(c, URLS)
    assert not fragments.FRAGMENTS._d
    monkeypatch.setenv("DASHBOARD_API_CACHE", "1")
    with TestClient(create_app()) as c:
        first = _bodies(c, URLS)  # overlapping pages: the later ones reuse the earlier ones' records
        respond.CACHE.clear()     # whole responses gone: pages assembled from kept records only
        again = _bodies(c, list(reversed(URLS)))
    assert fragments.FRAGMENTS._d and keys.LISTS._d
    for u in URLS:
        assert plain[u][0] == 200, u
        assert first[u] == plain[u] == again[u], u
    body = c.get("/api/v1/schools", params={"province": "87", "limit": 1000}).json()
    assert body["count"] == body["total"] == len(body["items"]) > 0
    assert body["items"][0]["source"]["kind"] and body["items"][0]["provenance"]


def test_a_new_data_version_is_seen_at_once(fresh, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "copy.db"
    shutil.copy(db_path, db)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    con = sqlite3.connect(db)
    first_code, n = con.execute("SELECT MIN(code), COUNT(*) FROM school WHERE province_code = '87'").fetchone()
    con.close()
    with TestClient(create_app()) as c:
        before = c.get("/api/v1/schools", params={"province": "87", "limit": 5}).json()
        assert before["total"] == n and before["items"][0]["code"] == first_code
        eng = write_engine(db)
        with eng.begin() as w:
            w.exec_driver_sql("UPDATE school SET name = 'Trường đổi tên' WHERE code = ?", (first_code,))
            w.exec_driver_sql("DELETE FROM school_year WHERE school_id IN "
                              "(SELECT id FROM school WHERE province_code = '87' ORDER BY code DESC LIMIT 1)")
            w.exec_driver_sql("DELETE FROM observation WHERE school_id IN "
                              "(SELECT id FROM school WHERE province_code = '87' ORDER BY code DESC LIMIT 1)")
            w.exec_driver_sql("DELETE FROM school WHERE id IN "
                              "(SELECT id FROM school WHERE province_code = '87' ORDER BY code DESC LIMIT 1)")
            version = bump_data_version(w)
        eng.dispose()
        after = c.get("/api/v1/schools", params={"province": "87", "limit": 5})
        assert after.headers["x-data-version"] == str(version)
        body = after.json()
        assert body["data_version"] == version and body["total"] == n - 1
        assert body["items"][0]["name"] == "Trường đổi tên"  # not the record encoded for the old version
        csv_after = c.get("/api/v1/schools", params={"province": "87", "limit": 5, "format": "csv"})
        assert "Trường đổi tên" in csv_after.content.decode("utf-8-sig")


def test_a_listing_too_long_to_keep_pages_in_sql_with_the_same_records(fresh, monkeypatch: pytest.MonkeyPatch):
    urls = ["/api/v1/schools?limit=20&offset=10", "/api/v1/schools?province=87&limit=1000",
            "/api/v1/observations?limit=50&offset=7"]
    with TestClient(create_app()) as c:
        kept = _bodies(c, urls)
        _clear()
        monkeypatch.setattr(keys, "MAX_KEYS", 5)  # every listing above is longer
        fallback = _bodies(c, urls)
    assert any(isinstance(v, keys.TooMany) for v in keys.LISTS._d.values())
    for u in urls:
        assert kept[u][0] == 200 and fallback[u] == kept[u], u


def test_a_repeated_get_is_answered_before_routing(fresh, monkeypatch: pytest.MonkeyPatch):
    url = "/api/v1/schools?province=87&limit=3"
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        first = c.get(url)
        assert first.status_code == 200

        def unreachable(*_args):
            raise AssertionError("the endpoint ran")
        monkeypatch.setattr(routes, "context", unreachable)  # any request that reaches an endpoint fails
        again = c.get(url)
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["etag"] == first.headers["etag"]
        assert c.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        head = c.head(url)
        assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == first.headers["etag"]
        assert c.get(url + "&offset=1").status_code == 500  # not cached: it reached the (broken) endpoint


def test_progress_of_every_province_with_data_is_computed_at_start(fresh, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DASHBOARD_API_WARM", "1")
    with TestClient(create_app()) as c:
        provinces = routes.context().province_data
        warmed = {k[2] for k in progress._MEMO}
        assert provinces and warmed == set(provinces)
        body = c.get("/api/v1/progress", params={"province": provinces[0]}).json()
        memo = next(v for k, v in progress._MEMO.items() if k[2] == provinces[0] and k[5] == "vi")
        assert body["items"] == memo and body["total"] == len(memo) > 0
