"""Numbers are sacred: every stored quote occurs verbatim in its document and contains the stored numbers."""
from __future__ import annotations

import re
import sqlite3

import pytest

from dashboard import DATA_DIR


def number_forms(x: float) -> set[str]:
    """Ways a document may print x: 7661 -> {'7661', '7.661'}; 48.2 -> {'48,2', '48,20', '48.2'}; 3 -> {'3', '03'}."""
    if float(x).is_integer():
        n = int(x)
        return {str(n), f"{n:,}".replace(",", "."), f"{n:02d}"}
    forms = set()
    for d in (1, 2, 3):
        s = f"{x:.{d}f}"
        if float(s) == x:
            forms |= {s, s.replace(".", ",")}
    return forms


def rows(db_path, sql):
    with sqlite3.connect(db_path) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql)]


@pytest.fixture(scope="module")
def texts(db_path):
    return {r["id"]: r["text"] for r in rows(db_path, "SELECT id, text FROM source")}


def test_every_shipped_document_is_in_data_sources(db_path):
    docs = rows(db_path, "SELECT id, file, text FROM source")
    shipped = [d for d in docs if d["file"]]
    assert len(shipped) == 5
    for d in shipped:
        assert (DATA_DIR / d["file"]).read_text(encoding="utf-8") == d["text"]


def test_observation_quotes_are_verbatim_and_hold_the_numbers(db_path, texts):
    obs = rows(db_path, "SELECT * FROM observation WHERE provenance = 'published'")
    assert len(obs) > 100
    for o in obs:
        where = f"{o['obs_key']} ({o['source_id']}, {o['section']})"
        assert o["quote"] and o["quote"] in texts[o["source_id"]], f"{where}: quote not in document"
        assert o["printed"] in o["quote"], f"{where}: printed {o['printed']!r} not in quote"
        for field in ("value", "numerator", "denominator"):
            if o[field] is None or (field == "value" and o["value_derived"]):
                continue
            assert number_forms(o[field]) & set(re.findall(r"\d[\d.,]*\d|\d", o["quote"])) or \
                any(f in o["quote"] for f in number_forms(o[field])), f"{where}: {field}={o[field]} not printed in quote"


def test_derived_values_are_computed_from_printed_counts(db_path):
    for o in rows(db_path, "SELECT * FROM observation WHERE value_derived = 1"):
        assert o["numerator"] is not None and o["denominator"], o["obs_key"]
        assert o["value"] == pytest.approx(round(o["numerator"] / o["denominator"] * 100, 2))


def test_target_quotes_are_verbatim(db_path, texts):
    targets = rows(db_path, "SELECT * FROM target")
    assert len(targets) > 50
    for t in targets:
        doc = texts[t["quote_source_id"] or t["source_id"]]
        assert t["quote"] in doc, f"{t['target_key']}: quote not in document"
        assert t["printed"] in t["quote"], t["target_key"]
        if t["value"] is not None and any(c.isdigit() for c in t["printed"]):
            assert any(f in t["quote"] for f in number_forms(t["value"])), f"{t['target_key']}: {t['value']}"


def test_national_targets_name_decision_131_and_quote_where_restated(db_path):
    national = rows(db_path, "SELECT * FROM target WHERE scope_code = 'VN'")
    assert national and all(t["source_id"] == "qd_131_2022" and t["quote_source_id"] for t in national)


def test_tasks_budget_and_schools_quote_their_documents(db_path, texts):
    for table, key in (("task", "task_key"), ("budget_item", "item_key"), ("school", "code")):
        for r in rows(db_path, f"SELECT * FROM {table} WHERE source_id IS NOT NULL"):
            assert r["quote"] in texts[r["source_id"]], f"{table} {r[key]}"
    for b in rows(db_path, "SELECT * FROM budget_item WHERE amount_million_vnd IS NOT NULL"):
        assert any(f in b["quote"] for f in number_forms(b["amount_million_vnd"])), b["item_key"]


def test_published_budget_totals(db_path):
    totals = {(r["unit_code"], r["period"], r["breakdown"]): r["value"] for r in
              rows(db_path, "SELECT * FROM observation WHERE indicator_code = 'FIN_PLAN_BUDGET'")}
    assert totals[("87", "2024", "")] == 55500  # Đồng Tháp 2024: 55.500 triệu đồng
    assert totals[("94", "2023-2025", "fund_ngan_sach_tinh_dtpt")] == 11435  # Sóc Trăng 2023-2025
    dt = rows(db_path, "SELECT SUM(amount_million_vnd) AS s FROM budget_item WHERE province_code = '87'")[0]["s"]
    st = rows(db_path, "SELECT SUM(amount_million_vnd) AS s FROM budget_item WHERE province_code = '94'")[0]["s"]
    assert (dt, st) == (55500, 11435)
