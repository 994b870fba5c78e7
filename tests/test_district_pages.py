"""District drill-down pages (simulated data): filters change the charts, empty states are clear, labels honest."""
from __future__ import annotations

from tests.parts import choose_part, each_part
from tests.tablehtml import html_table, html_tables
from tests.test_pages import markdown, run, specs


def y_labels(fig) -> set[str]:
    return {y for tr in fig.data if tr.type == "bar" for y in tr.y}


def stamped(fig) -> bool:
    return any("MÔ PHỎNG" in (a.text or "") or "SIMULATED" in (a.text or "") for a in fig.layout.annotations)


def test_infrastructure_page_all_districts_then_two():
    at = run("pages/infrastructure.py", province="67")
    assert len(specs(at)) == 1  # one chart at a time
    figs = [specs(at)[0] for _ in each_part(at, "infra_part", ["pc", "net", "ict"])]
    assert len({f.layout.title.text for f in figs}) == 3 and all(stamped(f) for f in figs)
    assert len(y_labels(figs[0])) == 8  # Đắk Nông has 8 districts
    assert any("Dữ liệu mô phỏng" in w.value for w in at.warning)
    two = run("pages/infrastructure.py", province="67", district=["662", "660"])
    assert y_labels(specs(two)[0]) == {"Huyện Cư Jút", "Thành phố Gia Nghĩa"}


def test_adoption_heatmap_and_ranking_follow_the_filter():
    at = run("pages/adoption.py", district=["870", "873", "866"])
    heat = specs(at)[0]
    assert heat.data[0].type == "heatmap" and len(heat.data[0].y) == 3
    assert stamped(heat)
    ranking = html_table(at, "adoption_ranking")
    assert len(ranking) == 3 and list(ranking.iloc[:, 0]) == ["1", "2", "3"]
    schools = html_table(at, "adoption_schools")
    assert len(schools) > 10 and set(schools["⚑"]) <= {"Dữ liệu mô phỏng", "Công bố"}


def test_level_filter_on_district_pages():
    th = run("pages/adoption.py", province="67", level=["TH"])
    schools = html_table(th, "adoption_schools")
    assert set(schools["Cấp học"]) == {"Tiểu học"}


def test_empty_state_for_a_level_with_no_school():
    at = run("pages/infrastructure.py", province="94", level=["GDTX"])  # no continuing-education rows
    assert any("Không có trường nào" in i.value for i in at.info)
    assert not specs(at)


def test_overview_keeps_published_figures_and_adds_simulated_districts():
    at = run("pages/overview.py", district=["870"])
    assert "78,18%" in markdown(at)  # published province figure unchanged
    figs = specs(at)
    district = [f for f in figs if stamped(f)]
    assert len(district) == 1
    assert y_labels(district[0]) == {"Huyện Hồng Ngự", "Toàn tỉnh (tổng các trường)"}


def test_district_pages_in_english():
    at = run("pages/adoption.py", lang="en")
    assert at.title[0].value.startswith("ICT adoption")
    assert any("Simulated data" in w.value for w in at.warning)


def test_computers_per_100_students_count_only_students_whose_computers_are_counted(db_path):
    """Sóc Trăng's documents count computers of primary and secondary schools only: preschool pupils (no
    computers simulated for them) must not dilute the ratio (6,88, not 5,93, in 2023-2024)."""
    import sqlite3

    from dashboard import rollups

    with sqlite3.connect(db_path) as con:
        pcs, pupils, preschool = con.execute(
            "SELECT SUM(pc_teaching + COALESCE(pc_informatics, 0)), SUM(students),"
            " (SELECT SUM(students) FROM school_year WHERE province_code='94' AND school_year=2023 AND level='MN')"
            " FROM school_year WHERE province_code='94' AND school_year=2023 AND pc_teaching IS NOT NULL").fetchone()
    assert preschool > 0
    ratio = rollups.province_summary("94", 2023)["pc_per_100"].iloc[0]
    assert round(ratio, 2) == round(100 * pcs / pupils, 2) == 6.88


def test_schools_without_a_district_are_listed_apart_never_a_district():
    """Sóc Trăng's documents name no district for 3 schools: no chart bar, heatmap row or ranking row for the
    pseudo-district '(văn bản không ghi huyện)'; the schools are listed apart and the province total counts them."""
    from dashboard import rollups

    pseudo = "(văn bản không ghi huyện)"
    assert pseudo in set(rollups.district_summary("94", 2023)["district_name"])  # the raw rollup keeps them
    assert pseudo not in set(rollups.district_summary("94", 2023, placed_only=True)["district_name"])
    apart = rollups.schools_without_district("94", 2023)
    assert sorted(apart["name"]) == ["THCS Đại Tâm", "THPT Thuận Hòa", "Thực hành Sư phạm Sóc Trăng"]
    placed = rollups.district_summary("94", 2023, placed_only=True)["schools"].sum()
    assert placed + len(apart) == rollups.province_summary("94", 2023)["schools"].iloc[0]

    at = run("pages/adoption.py", province="94")
    heat = specs(at)[0]
    bars = specs(choose_part(run("pages/adoption.py", province="94"), "adoption_part", "indicator"))[0]
    assert pseudo not in set(heat.data[0].y) and pseudo not in y_labels(bars)
    assert len(heat.data[0].y) == 11  # Sóc Trăng's 11 districts
    ranking = html_table(at, "adoption_ranking")
    assert pseudo not in set(ranking["Huyện, thị xã, thành phố"]) and len(ranking) == 11
    listed = html_tables(at)["unplaced_schools"]
    assert len(listed) == 3
    assert set(listed["Trường"]) == set(apart["name"])
    assert any("Trường không ghi huyện trong văn bản (3)" in e.label for e in at.expander)
    infra = run("pages/infrastructure.py", province="94")
    assert all(pseudo not in y_labels(specs(infra)[0]) for _ in each_part(infra, "infra_part", ["pc", "net", "ict"]))
    assert pseudo not in set(html_table(infra, "infra_table")["Huyện, thị xã, thành phố"])
