"""The read API on a store with published intake batches: imported records carry batch, file and approver, and
a publish moves the data version, so ETags and cached responses change at once."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dashboard.api.app import create_app
from dashboard.db import data_version, write_engine
from dashboard.intake.batches import publish, rollback, stage
from test_intake_support import copy_db, examples, registered_db, users_db, use_db  # noqa: F401


@pytest.fixture()
def reg(registered_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_db(copy_db(registered_db, tmp_path / "s.db"), monkeypatch)


def test_imported_records_name_their_batch_and_a_publish_moves_the_etag(reg: Path, examples: Path):
    client = TestClient(create_app(), raise_server_exceptions=False)
    eng = write_engine(reg)
    with eng.connect() as con:
        batch = con.exec_driver_sql("SELECT id, file_name, approved_by, approved_at FROM intake_batch "
                                    "WHERE kind = 'register'").mappings().one()
        n_imported = con.exec_driver_sql("SELECT COUNT(*) FROM school WHERE batch_id IS NOT NULL").scalar()
    schools = client.get("/api/v1/schools", params={"province": "87", "provenance": "imported", "limit": 3}).json()
    assert schools["total"] == n_imported > 0
    for s in schools["items"]:
        src = s["source"]
        assert s["provenance"] == "imported" and src["kind"] == "intake_batch"
        assert (src["batch_id"], src["file"], src["approved_by"]) == (batch["id"], batch["file_name"], "ap")
        assert src["approved_at"][:10] == str(batch["approved_at"])[:10]

    before = client.get("/api/v1/observations", params={"provenance": "imported"})
    assert before.json()["total"] == 0
    tag, version = before.headers["etag"], data_version(eng)

    f = examples / "demo_dong-thap_2024_report.xlsx"
    doc = (examples / "demo_dong-thap_2024_report.txt").read_bytes()
    bid = stage(f.read_bytes(), f.name, "report", user="ed", document=doc, document_name="bc.txt", engine=eng)
    publish(bid, approver="ap", engine=eng)
    assert data_version(eng) > version

    # the old ETag no longer matches: the client gets the new data, not 304 or a cached body
    after = client.get("/api/v1/observations", params={"provenance": "imported"}, headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag
    items = after.json()["items"]
    assert len(items) == 2
    with eng.connect() as con:
        quotes = dict(con.exec_driver_sql(f"SELECT obs_key, quote FROM observation WHERE batch_id = {bid}").all())
        doc_id = con.exec_driver_sql(f"SELECT id FROM source WHERE batch_id = {bid}").scalar()
    for rec in items:
        src = rec["source"]
        assert rec["provenance"] == "imported" and src["kind"] == "intake_batch"
        assert (src["batch_id"], src["file"], src["approved_by"]) == (bid, f.name, "ap")
        assert src["document_id"] == doc_id and src["quote"] == quotes[rec["id"]] and src["section"]
    cash = next(r for r in items if r["indicator_code"] == "CASHLESS_SCHOOLS_PCT")
    assert (cash["value"], cash["numerator"], cash["denominator"]) == (78.15, 465, 595)
    sources = client.get("/api/v1/sources").json()["items"]
    rep = next(s for s in sources if s["id"] == doc_id)
    assert rep["provenance"] == "imported" and rep["batch_id"] == bid and rep["batch_approved_by"] == "ap"

    rollback(bid, user="ap", engine=eng)
    assert client.get("/api/v1/observations", params={"provenance": "imported"}).json()["total"] == 0
