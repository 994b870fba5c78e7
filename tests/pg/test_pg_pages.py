"""Pages under AppTest with DATABASE_URL on PostgreSQL: the overview draws the same status table, cards and
charts as on SQLite, and an approver publishes a staged batch from the intake log page and rolls it back."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.db import data_version, write_engine
from dashboard.intake import audit
from dashboard.intake.batches import stage
from test_intake_pages import APP, click, frame, sign_in, texts

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _overview(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _charts(at: AppTest) -> list[dict]:
    out = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        out.append({"data": spec["data"], "title": spec["layout"].get("title")})
    return out


def test_overview_on_postgresql_equals_sqlite(pg_store, db_path, monkeypatch):
    pg_at = _overview(monkeypatch, pg_store.url.render_as_string(hide_password=False))
    lite_at = _overview(monkeypatch, f"sqlite:///{db_path}")
    assert pg_at.title[0].value == lite_at.title[0].value
    pg_md, lite_md = [m.value for m in pg_at.markdown], [m.value for m in lite_at.markdown]
    assert any("edu-st" in v and "Cơ sở giáo dục" in v for v in pg_md)  # the status table and the cards
    assert pg_md == lite_md
    assert _charts(pg_at) == _charts(lite_at) and _charts(pg_at)


def test_approver_publishes_from_the_log_page_on_postgresql(pg_reg, examples):
    f = examples / "demo_dong-thap_2024_assessment.xlsx"
    eng = write_engine(pg_reg)
    bid = stage(f.read_bytes(), f.name, "assessment", user="ed", ack_warnings=True, engine=eng)
    v0 = data_version(eng)
    at = sign_in(AppTest.from_file(APP, default_timeout=120).run(), "ap")
    at.switch_page("pages/audit.py").run()
    table = frame(at, "SHA-256")
    assert table.iloc[0]["Lô"] == bid and table.iloc[0]["Trạng thái"] == "Chờ duyệt"
    click(at, "ik_ask_publish")
    click(at, "ik_confirm_button")
    assert f"Đã phát hành lô {bid}: 583 mới" in texts(at.success)
    assert data_version(eng) == v0 + 1
    at.switch_page("pages/audit.py").run()
    assert frame(at, "SHA-256").iloc[0]["Trạng thái"] == "Đã phát hành"
    click(at, "ik_ask_rollback")
    click(at, "ik_confirm_button")
    assert f"Đã hoàn tác lô {bid}" in texts(at.success)
    assert audit.batches(engine=eng).set_index("id").loc[bid, "status"] == "rolled_back"
    assert data_version(eng) == v0 + 2
