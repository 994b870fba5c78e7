"""The current-commune filter (from 7/2025) on the pages of school-level data, page titles naming the chosen
unit, and the operator's default province (issue 12). AppTest on the real test store; assertions on values."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import rollups
from tests.parts import open_box
from tests.tablehtml import html_table
from dashboard.intake_ui import dx_queries
from dashboard.units import queries as uq
from test_intake_support import copy_db, users_db, xlsx  # noqa: F401 - the intake's store with users (fixture)

APP = str(Path(__file__).resolve().parent.parent / "app.py")
# Former Đồng Tháp (87) schools placed on a former commune whose crosswalk default is current commune 29905
# (Phường Sa Đéc): TH Tân Quy Tây and THCS Tân Khánh Đông (data/geo/PLACEMENT.md; crosswalk SOURCES.md §8)
COMMUNE = "29905"


def _widget(at: AppTest, kind: str, key: str):
    return next(w for w in at.get(kind) if getattr(w, "key", None) == key)


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _schools_in(commune: str) -> list[str]:
    return uq.school_codes_in("87", [commune])


def test_commune_clause_selects_the_schools_the_crosswalk_places_in_the_commune():
    codes = _schools_in(COMMUNE)
    assert codes == ["dt24_s04", "dt24_s05"]
    units = uq.school_units("82", current_communes_=[COMMUNE])
    assert sorted(units["code"]) == codes  # the same schools as the crosswalk view of every school
    cov = uq.commune_coverage("87", [COMMUNE])
    assert cov == {"schools": 595, "placed": 19, "chosen": 2}
    # the district rollup counts only those schools (all years: a school carries its current commune)
    sy = rollups.school_years("87")[-1]
    df = rollups.district_summary("87", sy, communes_=[COMMUNE], placed_only=True)
    assert int(df["schools"].sum()) == 2 and df["district_code"].tolist() == ["867"]
    full = rollups.district_summary("87", sy, placed_only=True)
    assert int(full["schools"].sum()) > 500
    lv = dx_queries.level_shares("87", by="province", communes_=[COMMUNE])
    assert set(lv["schools"]) == {2}


def test_choosing_a_commune_counts_only_its_schools_on_the_infrastructure_page():
    at = _app(province="82-2025")
    at.switch_page("pages/infrastructure.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Hạ tầng số — Tỉnh Đồng Tháp"  # the chosen unit, not the former province
    commune = _widget(at, "multiselect", "commune")
    # labels (the values are codes): the 45 current communes former Đồng Tháp's communes became, of the new
    # province's 102
    assert "Phường Sa Đéc" in commune.options and len(commune.options) == 45
    table = html_table(at, "infra_table")
    before = sum(int(v.replace(".", "")) for v in table["Số trường"])
    assert before > 500
    commune.set_value([COMMUNE]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["commune"] in (COMMUNE, [COMMUNE])  # the code in the URL
    table = html_table(at, "infra_table")
    assert sum(int(v.replace(".", "")) for v in table["Số trường"]) == 2
    assert any(c.value.startswith("Lọc theo xã/phường (từ 7/2025): 2 trường thuộc các xã/phường đã chọn. Chỉ "
                                  "19/595 trường của Đồng Tháp (trước 7/2025) có xã/phường mới") for c in at.caption)


def test_a_link_with_a_commune_opens_the_filtered_decision_4725_page_in_english():
    at = _app(province="82-2025", commune=COMMUNE, lang="en")
    at.switch_page("pages/dx_levels.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.endswith("— Tỉnh Đồng Tháp")
    assert _widget(at, "multiselect", "commune").value == [COMMUNE]
    assert any(c.value.startswith("Filtered by commune (from 7/2025): 2 schools in the chosen communes. Only 19 of "
                                  "the 595 schools of Đồng Tháp (before 7/2025) have a known current commune")
               for c in at.caption)
    open_box(at, "dx_schools_box")  # the school list, drawn once its box is opened
    table = next(d.value for d in at.dataframe if "School" in d.value.columns)
    assert sorted(table["School"]) == ["TH Tân Quy Tây", "THCS Tân Khánh Đông"]


def test_no_commune_filter_for_a_former_province():
    at = _app(province="87")
    assert not at.exception, [e.value for e in at.exception]
    assert not [w for w in at.multiselect if w.key == "commune"]


@pytest.mark.parametrize("page,title", [("pages/overview.py", "Tổng quan — Thành phố Cần Thơ"),
                                        ("pages/budget.py", "Ngân sách & nhiệm vụ — Thành phố Cần Thơ")])
def test_titles_name_the_current_province_and_the_note_says_whose_figures(page, title):
    at = _app(province="92-2025")
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == title
    note = next(i.value for i in at.info if i.value.startswith("Thành phố Cần Thơ gồm các tỉnh cũ"))
    assert "**Sóc Trăng (trước 7/2025)**" in note and "1/3 tỉnh cũ có số liệu" in note


def test_operator_default_province_from_the_environment(monkeypatch):
    monkeypatch.setenv("DASHBOARD_DEFAULT_PROVINCE", "92-2025")
    at = _app()
    assert not at.exception, [e.value for e in at.exception]
    assert _widget(at, "selectbox", "province").value == "92-2025"
    assert at.title[0].value == "Tổng quan — Thành phố Cần Thơ"
    monkeypatch.setenv("DASHBOARD_DEFAULT_PROVINCE", "94")
    assert _widget(_app(), "selectbox", "province").value == "94"
    monkeypatch.setenv("DASHBOARD_DEFAULT_PROVINCE", "Atlantis")  # not an option: the shipped default
    assert _widget(_app(), "selectbox", "province").value == "87"


def test_the_filter_line_of_exports_names_the_chosen_communes():
    from dashboard.uikit.filters import Filters
    from dashboard.units.view import communes_text

    f = Filters("vi", "87", None, (), (), current_province="82", communes=(COMMUNE,))
    assert communes_text(f) == " · Xã/phường (từ 7/2025): Phường Sa Đéc"
    en = Filters("en", "87", None, (), (), current_province="82", communes=(COMMUNE,))
    assert communes_text(en) == " · Commune/ward (from 7/2025): Phường Sa Đéc"
    assert communes_text(Filters("vi", "87", None, (), ())) == ""


def test_an_imported_school_keyed_by_its_current_commune_is_counted_by_the_commune_filter(users_db, tmp_path):
    """An intake register row gives only the current commune (Phường Phú Lợi, 31510); its 2025–2026 school-year
    row is counted when that commune is chosen, and not under another commune."""
    from dashboard.db import read_engine, write_engine
    from dashboard.intake.batches import publish, stage

    db = copy_db(users_db, tmp_path / "intake.db")
    eng = write_engine(db)
    reg = xlsx("register", [{"school_code": "ST-NEW-01", "name": "Trường TH Phú Lợi mới", "level": "TH",
                             "public": "Công lập", "province_code": "94", "commune_code": "31510"}])
    publish(stage(reg, "dk.xlsx", "register", user="ed", ack_warnings=True, engine=eng), approver="ap", engine=eng)
    sy = xlsx("school_year", [{"school_code": "ST-NEW-01", "school_name": "Trường TH Phú Lợi mới",
                               "school_year": "2025-2026", "students": 420, "teachers": 21, "fibre": 1, "wifi": 1}])
    publish(stage(sy, "nh.xlsx", "school_year", user="ed", ack_warnings=True, engine=eng), approver="ap", engine=eng)
    ro = read_engine(db)
    assert "31510" in set(uq.communes_of("92", "94", engine=ro)["code"])
    df = rollups.district_summary("94", 2025, communes_=["31510"], engine=ro)
    assert (int(df["schools"].sum()), int(df["students"].sum())) == (1, 420)
    assert rollups.district_summary("94", 2025, communes_=["31507"], engine=ro).empty
    assert int(rollups.district_summary("94", 2025, engine=ro)["schools"].sum()) >= 1
    assert uq.school_codes_in("94", ["31510"], engine=ro) == ["ST-NEW-01"]
