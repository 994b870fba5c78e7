"""Targets of a province from 1 July 2025 everywhere a target is shown (issue 12, item 5): the overview's cards
and status table name the former province that set a target the current province has not restated, the pack's
status table uses the current province's own target, the target_conflict view keeps each current province's
targets apart, and a seed target can be scoped to a current province ('92-2025'). The shipped documents have
no such target: the tests insert one into a copy of the test store, or write one into a copy of data/."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import packs, queries
from dashboard.build import build
from dashboard.db import bump_data_version, read_engine, write_engine
from dashboard.export.status_table import scope_label
from dashboard.seedcheck.problems import SeedError
from dashboard.seeds import load_seeds
from tests.parts import open_box

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TARGETS = "seed/targets/st_kh_2023.csv"
INSERT = sa.text("""INSERT INTO target (target_key, indicator_code, scope_code, scope_current_code, level, breakdown,
                    year, value, qualifier, printed, source_id, section, quote, reported_result, reported_status,
                    note)
                    VALUES (:k, 'LEARNERS_DIGITAL_RECORD_PCT', NULL, :cur, 'ALL', '', 2025, :v, '', :p,
                            'st_kh_2023', 'test', 'test', '', '', 'inserted by a test')""")
FORMER_VI = "Kế hoạch tỉnh Sóc Trăng (trước 7/2025)"
FORMER_EN = "Provincial plan of Sóc Trăng (before 7/2025)"


@pytest.fixture()
def store(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the test store where Thành phố Cần Thơ (current 92) restates one target of the former Sóc Trăng
    (learners with digital records, 2025: Sóc Trăng printed 100%, the test's Cần Thơ 95%)."""
    path = tmp_path / "store.db"
    shutil.copy(db_path, path)
    engine = write_engine(path)
    with engine.begin() as con:
        con.execute(INSERT, {"k": "test_cur_92", "cur": "92", "v": 95.0, "p": "95%"})
        bump_data_version(con)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


def _row(rows, code: str) -> dict:
    return rows[rows["indicator_code"] == code].iloc[0].to_dict()


def test_status_table_of_a_current_province_uses_its_target_and_names_the_former_ones(store):
    cur = packs.status_table("94", current="92")
    own = _row(cur, "LEARNERS_DIGITAL_RECORD_PCT")
    assert own["target"] == "95% (2025, Kế hoạch tỉnh)"  # the current province's own, no former label
    other = _row(cur, "FACILITIES_DIGITAL_RECORD_PCT")
    assert other["target"] == f"80% (2025, {FORMER_VI})"
    assert not cur["target"].str.contains("Kế hoạch tỉnh Sóc Trăng").all()
    en = packs.status_table("94", current="92", lang="en")
    assert _row(en, "FACILITIES_DIGITAL_RECORD_PCT")["target"] == f"80% (2025, {FORMER_EN})"
    # the former Sóc Trăng chosen on its own: its own 100% target, the plain label (no current province)
    former = packs.status_table("94")
    assert _row(former, "LEARNERS_DIGITAL_RECORD_PCT")["target"] == "100% (2025, Kế hoạch tỉnh)"
    assert not former["target"].str.contains("trước 7/2025").any()
    # a national target keeps its own label either way
    assert scope_label("VN", "vi", {"94": "Sóc Trăng"}) == "QĐ 131 (quốc gia)"
    assert scope_label("92-2025", "en", {"94": "Sóc Trăng"}) == "Provincial plan"


def test_targets_pack_of_a_current_province_uses_its_target(store):
    items = packs.targets_pack("94", current="92")
    rows = [r for i in items for _, r in i.csv.iterrows() if r["indicator_code"] == "LEARNERS_DIGITAL_RECORD_PCT"]
    assert rows and all(r["target_2025"] == 95.0 and r["target_2025_scope"] == "92-2025" for r in rows)
    former = [r for i in packs.targets_pack("94") for _, r in i.csv.iterrows()
              if r["indicator_code"] == "LEARNERS_DIGITAL_RECORD_PCT"]
    assert former and all(r["target_2025"] == 100.0 and r["target_2025_scope"] == "94" for r in former)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang,former,plain", [("vi", FORMER_VI, "Kế hoạch tỉnh"),
                                               ("en", FORMER_EN, "Provincial plan")])
def test_overview_cards_and_status_table_name_the_former_province(store, lang, former, plain):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["province"] = "92-2025"
    if lang == "en":
        at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.endswith("— Thành phố Cần Thơ")
    open_box(at, "overview_cards")  # the cards, drawn once their box is opened
    text = _markdown(at)
    assert "edu-st" in text and "edu-card" in text
    # the status table (HTML) and the cards: the former province's target names it
    table = next(m.value for m in at.markdown if "<table" in m.value and "edu-st" in m.value)
    assert former in table
    cards = [m.value for m in at.markdown if "edu-card-title" in m.value]
    assert any(f"— {former}" in c for c in cards)
    learners = [c for c in cards if ("Người học" in c or "earners" in c) and "95" in c]
    assert learners and f"95% — {plain}" in learners[0].replace("95 %", "95%")


def test_overview_of_a_former_province_keeps_the_plain_label(store):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["province"] = "94"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Tổng quan — Sóc Trăng"
    text = _markdown(at)
    assert "Kế hoạch tỉnh" in text and "Kế hoạch tỉnh Sóc Trăng" not in text


def test_target_conflict_keeps_current_provinces_apart(store):
    engine = write_engine(store)
    with engine.begin() as con:  # a second current province states the same indicator and year differently
        con.execute(INSERT, {"k": "test_cur_87", "cur": "82", "v": 90.0, "p": "90%"})
    engine.dispose()
    eng = read_engine(store)
    with eng.connect() as con:
        rows = con.execute(sa.text("SELECT scope_code, scope_current_code, statements FROM target_conflict "
                                   "WHERE scope_code IS NULL")).all()
    assert rows == []  # 95% for 92 and 90% for 82: two scopes, no conflict
    engine = write_engine(store)
    with engine.begin() as con:  # the same current province stating it twice differently: a conflict
        con.execute(INSERT, {"k": "test_cur_92b", "cur": "92", "v": 97.0, "p": "97%"})
    engine.dispose()
    eng = read_engine(store)
    with eng.connect() as con:
        rows = con.execute(sa.text("SELECT scope_code, scope_current_code, statements, target_keys "
                                   "FROM target_conflict WHERE scope_code IS NULL")).all()
    assert [(r[0], r[1], r[2], sorted(r[3].split(" | "))) for r in rows] == [
        (None, "92", 2, ["test_cur_92", "test_cur_92b"])]


# --- seed targets scoped to a province from 7/2025 -------------------------------------------------------

def _add_target(base: Path, scope: str) -> int:
    """Append a copy of Sóc Trăng's first numeric target, scoped to `scope`; return its spreadsheet row."""
    path = base / TARGETS
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    src = next(r for r in rows[1:] if r[header.index("value")])
    new = list(src)
    new[header.index("target_id")] = "test_cur_seed"
    new[header.index("scope_code")] = scope
    rows.append(new)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return len(rows)


def test_a_seed_target_can_be_scoped_to_a_current_province(data_copy, tmp_path):
    row = _add_target(data_copy, "92-2025")
    assert row > 2
    seed = load_seeds(data_copy)
    assert any(t["target_id"] == "test_cur_seed" for t in seed.records["targets"])
    db = tmp_path / "scoped.db"
    build(db, data_copy, quiet=True)
    eng = read_engine(db)
    with eng.connect() as con:
        got = con.execute(sa.text("SELECT scope_code, scope_current_code FROM target "
                                  "WHERE target_key = 'test_cur_seed'")).one()
    assert tuple(got) == (None, "92")
    tg = queries.targets_for("94", current="92", engine=eng)
    assert tg.loc[tg["target_key"] == "test_cur_seed", "scope_code"].tolist() == ["92-2025"]
    assert "test_cur_seed" not in set(queries.targets_for("92", engine=eng)["target_key"])  # not the former Cần Thơ


@pytest.mark.parametrize("scope,fragment", [("99-2025", "unknown province from 7/2025 '99'"),
                                            ("94-2025", "unknown province from 7/2025 '94'"),
                                            ("9Z", "unknown scope '9Z'")])
def test_a_seed_target_with_an_unknown_scope_is_refused_with_file_row_and_field(data_copy, scope, fragment):
    row = _add_target(data_copy, scope)
    with pytest.raises(SeedError) as err:
        load_seeds(data_copy)
    hits = [p for p in err.value.problems if (p.file, p.row, p.field) == (TARGETS, row, "scope_code")]
    assert hits and fragment in hits[0].message, str(err.value)


# --- the filter line of exported charts and packs ----------------------------------------------------------

def test_the_export_filter_line_names_the_chosen_communes():
    from dashboard.uikit.exports import _filters_text
    from dashboard.uikit.filters import Filters

    f = Filters("vi", "87", None, (), (), current_province="82", communes=("29905",))
    txt = _filters_text(f)
    assert txt.startswith("Tỉnh: Đồng Tháp · ") and txt.endswith(" · Xã/phường (từ 7/2025): Phường Sa Đéc"), txt
    en = _filters_text(Filters("en", "87", None, (), (), current_province="82", communes=("29905",)))
    assert en.endswith(" · Commune/ward (from 7/2025): Phường Sa Đéc"), en
    plain = _filters_text(Filters("vi", "87", None, (), (), current_province="82"))
    assert "Xã/phường" not in plain and plain.startswith("Tỉnh: Đồng Tháp · ")
