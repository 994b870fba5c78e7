"""The read API on the real store built from the shipped seeds (session fixture), through FastAPI's TestClient;
one test starts the real server with `python -m dashboard api` and reads it over HTTP."""
from __future__ import annotations

import csv
import io
import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from dashboard import ROOT, packs
from dashboard.api import models
from dashboard.api.app import create_app

DT = "87"


@pytest.fixture(scope="module")
def client() -> TestClient:
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def store(db_path: Path):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    yield con
    con.close()


def _all(client: TestClient, path: str, **params) -> list[dict]:
    """Every record of a listing, following `next` links."""
    out, url = [], path
    r = client.get(url, params=params)
    while True:
        assert r.status_code == 200, r.text
        body = r.json()
        out += body["items"]
        if not body["next"]:
            return out
        r = client.get(body["next"])


def test_published_observation_carries_document_section_and_quote(client, store):
    row = store.execute("""SELECT o.*, s.short_title_vi, s.title FROM observation o JOIN source s ON s.id = o.source_id
                           WHERE o.obs_key = 'dt24_o002'""").fetchone()
    body = client.get("/api/v1/observations", params={"province": DT, "indicator": "CASHLESS_SCHOOLS_PCT",
                                                      "limit": 1000}).json()
    rec = next(r for r in body["items"] if r["id"] == "dt24_o002")
    assert rec["value"] == row["value"] == 78.18 and rec["printed"] == row["printed"]
    assert (rec["numerator"], rec["denominator"]) == (465, 595)
    assert rec["provenance"] == "published"
    src = rec["source"]
    assert src["kind"] == "document" and src["document_id"] == row["source_id"] == "dt_kh_2024"
    assert src["section"] == row["section"] and src["quote"] == row["quote"] and "78,18%" in src["quote"]
    assert src["document_title_vi"] == row["short_title_vi"] and src["document_title_full"] == row["title"]
    assert rec["province_code"] == DT and rec["unit_name"] == "Đồng Tháp"
    # every published figure names its document, section and a quote that prints its number
    for r in _all(client, "/api/v1/observations", limit=1000):
        assert r["source"]["document_id"] and r["source"]["section"] and r["source"]["quote"], r["id"]


def test_filters(client, store):
    def total(**params) -> int:
        r = client.get("/api/v1/observations", params=params | {"limit": 1})
        assert r.status_code == 200, r.text
        return r.json()["total"]

    n = {r[0]: r[1] for r in store.execute("SELECT unit_code, COUNT(*) FROM observation GROUP BY unit_code")}
    assert total(province=DT) == n[DT] == 25
    assert total(province="Đồng Tháp") == n[DT]  # the name works as well as the code
    assert total(unit="94") == n["94"] and total(unit="94,67") == n["94"] + n["67"]
    assert total() == sum(n.values())
    ind = store.execute("SELECT COUNT(*) FROM observation WHERE indicator_code = 'CASHLESS_SCHOOLS_PCT'").fetchone()[0]
    assert total(indicator="CASHLESS_SCHOOLS_PCT") == ind
    yr = store.execute("SELECT COUNT(*) FROM observation WHERE year BETWEEN 2023 AND 2024").fetchone()[0]
    assert total(year_from=2023, year_to=2024) == yr
    per = store.execute("SELECT COUNT(*) FROM observation WHERE period = '2022-2023'").fetchone()[0]
    assert per and total(period="2022-2023") == per
    assert total(provenance="published") == sum(n.values())
    assert total(provenance="simulated") == 0  # no simulated figure in the observation table
    params = {"province": "67", "year_from": 2024, "limit": 1000}
    items = client.get("/api/v1/observations", params=params).json()["items"]
    assert items and all(r["province_code"] == "67" and r["year"] >= 2024 for r in items)
    # targets: national scope and a year
    tg = client.get("/api/v1/targets", params={"scope": "VN", "year_from": 2025, "year_to": 2025, "limit": 1000}).json()
    want = store.execute("SELECT COUNT(*) FROM target WHERE scope_code = 'VN' AND year = 2025").fetchone()[0]
    assert tg["total"] == want and all(t["scope_code"] == "VN" and t["year"] == 2025 for t in tg["items"])
    # indicators: a group
    ind = client.get("/api/v1/indicators", params={"group": "finance", "limit": 1000}).json()
    assert ind["total"] == store.execute("SELECT COUNT(*) FROM indicator WHERE pillar = 'finance'").fetchone()[0]
    assert {i["group"] for i in ind["items"]} == {"finance"}


def test_schools_filters_placement_and_sources(client, store):
    sch = client.get("/api/v1/schools", params={"province": DT, "district": "866", "level": "TH", "limit": 1000}).json()
    want = store.execute("SELECT COUNT(*) FROM school WHERE province_code = '87' AND district_code = '866' "
                         "AND level = 'TH'").fetchone()[0]
    assert sch["total"] == want > 0
    assert all(s["district_code"] == "866" and s["school_level"] == "TH" for s in sch["items"])
    pub = _all(client, "/api/v1/schools", province=DT, provenance="published", limit=50)
    row = store.execute("SELECT * FROM school WHERE code = 'dt24_s01'").fetchone()
    s1 = next(s for s in pub if s["code"] == "dt24_s01")
    assert (s1["lat"], s1["lon"]) == (row["lat"], row["lon"]) and s1["placed"] and s1["location_approximate"]
    assert s1["location_precision"] == "district" and s1["placement_note"] == row["placement_note"]
    assert s1["source"]["document_id"] == "dt_kh_2024" and s1["source"]["quote"] == row["quote"]
    assert s1["stem_lab"] is True
    unplaced = [s for s in _all(client, "/api/v1/schools", provenance="published", limit=1000) if not s["placed"]]
    assert len(unplaced) == 4 and all(s["lat"] is None and s["location_approximate"] is None for s in unplaced)
    sim = client.get("/api/v1/schools", params={"provenance": "simulated", "limit": 3}).json()
    assert sim["total"] == store.execute("SELECT COUNT(*) FROM school WHERE provenance = 'simulated'").fetchone()[0]
    for s in sim["items"]:
        assert s["provenance"] == "simulated" and s["source"]["kind"] == "simulated"
        assert "mô phỏng" in s["source"]["note"]


def test_two_geographies(client, store):
    """`province` is the data's geography (before 1 July 2025), `current_province` selects the former provinces
    merged into a province from 1 July 2025: current Đồng Tháp (82) = Tiền Giang (82) + former Đồng Tháp (87)."""
    cur = client.get("/api/v1/provinces", params={"geography": "current"}).json()["items"]
    assert len(cur) == 34 and all(p["geography"] == "current" for p in cur)
    dt = next(p for p in cur if p["code"] == "82")
    assert dt["name"] == "Đồng Tháp" and dt["former_province_codes"] == "82;87" and dt["has_data"]
    former = client.get("/api/v1/provinces", params={"geography": "former"}).json()["items"]
    assert len(former) == 63 and next(p for p in former if p["code"] == "87")["current_province_code"] == "82"
    assert client.get("/api/v1/provinces").json()["total"] == 97
    n87 = store.execute("SELECT COUNT(*) FROM school WHERE province_code IN ('82', '87')").fetchone()[0]
    sch = client.get("/api/v1/schools", params={"current_province": "82", "limit": 1000}).json()
    assert sch["total"] == n87 and {s["current_province_code"] for s in sch["items"]} == {"82"}
    ct = client.get("/api/v1/observations", params={"current_province": "Cần Thơ", "limit": 1000}).json()
    assert ct["total"] == store.execute("SELECT COUNT(*) FROM observation WHERE unit_code = '94'").fetchone()[0]
    assert {(o["province_code"], o["current_province_code"]) for o in ct["items"]} == {("94", "92")}
    both = client.get("/api/v1/schools", params={"current_province": "82", "province": "87", "limit": 1}).json()
    assert both["total"] == store.execute("SELECT COUNT(*) FROM school WHERE province_code = '87'").fetchone()[0]
    r = client.get("/api/v1/schools", params={"current_province": "82", "province": "94"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "province" and "82, 87" in r.text


def test_pagination_totals_and_links(client, store):
    n = store.execute("SELECT COUNT(*) FROM school").fetchone()[0]
    first = client.get("/api/v1/schools", params={"limit": 500}).json()
    assert first["total"] == n and first["count"] == 500 and first["offset"] == 0 and first["previous"] is None
    assert "offset=500" in first["next"] and "limit=500" in first["next"]
    every = _all(client, "/api/v1/schools", limit=500)
    codes = [s["code"] for s in every]
    assert len(codes) == len(set(codes)) == n
    assert codes == sorted(codes)  # a stable order: pages never overlap or skip
    last = client.get("/api/v1/schools", params={"limit": 500, "offset": n - 1}).json()
    assert last["count"] == 1 and last["next"] is None and "offset=" in last["previous"]
    past = client.get("/api/v1/schools", params={"offset": n + 10}).json()
    assert past["items"] == [] and past["total"] == n
    assert client.get("/api/v1/observations").json()["limit"] == 100  # the default


def test_csv_parses_with_diacritics(client, store):
    r = client.get("/api/v1/observations", params={"province": DT, "format": "csv", "limit": 1000})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    assert r.headers["x-total-count"] == "25"
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert list(rows[0]) == models.columns(models.Observation)
    assert len(rows) == 25 and {x["unit_name"] for x in rows} == {"Đồng Tháp"}
    cash = next(x for x in rows if x["id"] == "dt24_o002")
    quote = store.execute("SELECT quote FROM observation WHERE obs_key = 'dt24_o002'").fetchone()[0]
    assert cash["source_quote"] == quote and float(cash["value"]) == 78.18 and cash["value_derived"] == "false"
    assert cash["indicator_name_vi"] == "Cơ sở giáo dục thu phí không dùng tiền mặt"
    # Accept: text/csv asks for the same; a page of CSV links to the next one
    r2 = client.get("/api/v1/schools", params={"limit": 2}, headers={"Accept": "text/csv"})
    assert r2.headers["content-type"].startswith("text/csv") and 'rel="next"' in r2.headers["link"]
    assert len(list(csv.DictReader(io.StringIO(r2.content.decode("utf-8-sig"))))) == 2


@pytest.mark.parametrize("path, params, field", [
    ("/api/v1/observations", {"limit": 0}, "limit"),
    ("/api/v1/observations", {"limit": 1001}, "limit"),
    ("/api/v1/observations", {"offset": -1}, "offset"),
    ("/api/v1/observations", {"province": "XX"}, "province"),
    ("/api/v1/observations", {"indicator": "CASHLESS_SCHOOLS_PCT,NOPE_PCT"}, "indicator"),
    ("/api/v1/observations", {"unit": "99999"}, "unit"),
    ("/api/v1/observations", {"provenance": "guessed"}, "provenance"),
    ("/api/v1/observations", {"year_from": 2025, "year_to": 2020}, "year_from"),
    ("/api/v1/observations", {"year_from": "năm"}, "year_from"),
    ("/api/v1/observations", {"format": "xml"}, "format"),
    ("/api/v1/targets", {"scope": "Hà Nội 2"}, "scope"),
    ("/api/v1/schools", {"level": "ĐH"}, "level"),
    ("/api/v1/schools", {"district": "0"}, "district"),
    ("/api/v1/progress", {}, "province"),
    ("/api/v1/schools", {"current_province": "87"}, "current_province"),
    ("/api/v1/provinces", {"geography": "2024"}, "geography"),
    ("/api/v1/progress", {"province": DT, "lang": "fr"}, "lang"),
])
def test_bad_parameters_get_422_naming_the_field(client, path, params, field):
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert [d["field"] for d in body["detail"]] == [field] and field in body["message"]
    if field in params and field in ("province", "indicator", "level"):
        msg = body["detail"][0]["msg"]
        assert {"province": "/api/v1/provinces", "indicator": "/api/v1/indicators", "level": "THCS"}[field] in msg


def test_only_get(client):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        r = client.request(method, "/api/v1/observations", json={"value": 1})
        assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD" and "GET" in r.json()["message"]
    assert client.post("/api/v1/nothing-here").status_code == 405
    head, get = client.head("/api/v1/sources"), client.get("/api/v1/sources")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == str(len(get.content))
    assert client.get("/api/v1/nothing-here").status_code == 404


def test_internal_error_gives_an_incident_code_and_no_traceback(client, monkeypatch, caplog):
    from dashboard.api import queries as api_queries

    def broken(**_kw):
        raise RuntimeError("secret detail /work/main/dashboard/api/queries.py SELECT * FROM target")

    monkeypatch.setattr(api_queries, "targets", broken)
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        r = client.get("/api/v1/targets", params={"indicator": "CASHLESS_SCHOOLS_PCT", "limit": 7})
    assert r.status_code == 500
    body = r.json()
    code = body["incident"]
    assert re.fullmatch(r"[0-9a-f]{6}", code) and code in body["message"] and code in body["message_en"]
    for leak in ("Traceback", "secret", "/work", "SELECT", ".py", "RuntimeError"):
        assert leak not in r.text
    logged = [rec for rec in caplog.records if code in rec.getMessage()]
    assert logged and logged[0].exc_info is not None  # the traceback is in the server log


def test_missing_store_gives_503_without_the_path(client, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nowhere.db'}")
    r = client.get("/api/v1/observations")
    assert r.status_code == 503
    body = r.json()
    assert body["error"] == "store_unavailable" and "build-db" in body["message"]
    assert body["incident"] in body["message"]
    assert str(tmp_path) not in r.text and "nowhere" not in r.text
    assert not (tmp_path / "nowhere.db").exists()
    (tmp_path / "junk.db").write_text("not a database", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'junk.db'}")
    r = client.get("/api/v1/meta")
    assert r.status_code == 503 and "SQLite" in r.json()["message"]


@pytest.mark.parametrize("province", ["87", "67", "94"])
def test_progress_equals_the_overview_status_table(client, province):
    body = client.get("/api/v1/progress", params={"province": province}).json()
    table = packs.status_table(province, lang="vi")  # what the overview page shows
    assert body["total"] == len(table) > 0
    assert [r["indicator_code"] for r in body["items"]] == table["indicator_code"].tolist()
    assert [r["status"] for r in body["items"]] == table["status_key"].tolist()
    assert [r["gap_text"] for r in body["items"]] == table["gap"].tolist()
    for rec in body["items"]:
        if rec["value"] is not None:
            assert rec["source"]["document_id"] and rec["source"]["quote"]
        if rec["target"] is not None and rec["value"] is not None and rec["status"] != "none":
            assert rec["gap"] == pytest.approx(rec["target"] - rec["value"])
    en = client.get("/api/v1/progress", params={"province": province, "lang": "en", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(en.content.decode("utf-8-sig"))))
    assert [r["gap_text"] for r in rows] == packs.status_table(province, lang="en")["gap"].tolist()


def test_etag_and_304(client):
    r = client.get("/api/v1/indicators", params={"limit": 5})
    tag = r.headers["etag"]
    v = client.get("/api/v1/meta").json()["data_version"]
    assert tag.startswith(f'"v{v}-')
    again = client.get("/api/v1/indicators", params={"limit": 5}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = client.get("/api/v1/indicators", params={"limit": 6}, headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag
    csv_tag = client.get("/api/v1/indicators", params={"limit": 5, "format": "csv"}).headers["etag"]
    assert csv_tag != tag


def test_meta_sources_and_offline_docs(client, store):
    meta = client.get("/api/v1/meta").json()
    assert meta["data_version"] == int(store.execute("SELECT value FROM store_meta WHERE key = 'data_version'")
                                       .fetchone()[0])
    assert meta["schema_revision"] and meta["build"]["rows_observation"] == "129"
    assert "/api/v1/observations" in meta["endpoints"] and "80%" in meta["status_rule"]["vi"]
    docs = client.get("/api/v1/sources").json()
    ids = {d["id"] for d in docs["items"]}
    assert ids == {r[0] for r in store.execute("SELECT id FROM source")}
    dt = next(d for d in docs["items"] if d["id"] == "dt_kh_2024")
    assert dt["observations"] == 25 and dt["provenance"] == "published" and dt["has_text"] is True
    page = client.get("/docs")
    assert page.status_code == 200 and "/api/v1/observations" in page.text and "source.quote" in page.text
    assert "<script" not in page.text and "cdn" not in page.text.lower()  # nothing loaded from elsewhere
    spec = client.get("/openapi.json").json()
    assert "Giáo dục" in spec["info"]["title"] and "Education" in spec["info"]["title"]
    params = {p["name"]: p for p in spec["paths"]["/api/v1/observations"]["get"]["parameters"]}
    assert {"province", "unit", "indicator", "period", "year_from", "year_to", "provenance", "limit", "offset",
            "format"} <= set(params)
    assert "—" in params["province"]["description"]  # Vietnamese — English
    assert set(spec["paths"]) == {"/api/v1/" + p for p in ("indicators", "targets", "observations", "schools",
                                                          "progress", "sources", "provinces", "meta")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_server_over_http(db_path):
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}")
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "api", "--port", str(port), "--workers", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        meta = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                meta = httpx.get(f"{base}/api/v1/meta", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)  # polling until the server listens
        assert meta is not None, proc.stdout.read() if proc.poll() is not None else "server did not start"
        assert meta.status_code == 200 and meta.json()["api_version"] == "1"
        spec = httpx.get(f"{base}/openapi.json", timeout=5).json()
        assert "/api/v1/progress" in spec["paths"]
        obs = httpx.get(f"{base}/api/v1/observations", params={"province": "Đắk Nông", "limit": 2}, timeout=5).json()
        assert obs["total"] == 67 and obs["next"].startswith(base)
        assert httpx.post(f"{base}/api/v1/meta", timeout=5).status_code == 405
    finally:
        proc.terminate()
        proc.wait(timeout=30)
