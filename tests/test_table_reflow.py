"""The wide tables reflowed (`tables.show_wide`): the forecast status tables and the targets tables read as a few
columns whose cells hold the fields that belong together ("95,1%" over "(2023)"), in both languages; the HTML
breaks lines between words only and keeps data text inert."""
from __future__ import annotations

import re

import pandas as pd

from dashboard import tables
from tests.test_pages import run
from tests.wide_tables import wide_tables
from tests.parts import each_part, pillar_codes

VI_ONLY = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def vietnamese_words(text: str) -> list[str]:
    """Words with Vietnamese letters, proper names aside (capitalised: 'Đồng Tháp', 'Huyện Cư Jút' are data)."""
    return [w for w in text.split() if VI_ONLY.search(w) and not w[0].isupper()]


def test_cell_reads_as_one_line_and_html_keeps_joined_words_whole():
    c = tables.Cell("95,1%", "(2023)", "", None)
    assert c.text() == "95,1% (2023)" and c.small == ("(2023)",)
    assert tables.Cell("Mô phỏng", head="Huyện Cư Jút").text() == "Huyện Cư Jút Mô phỏng"
    cells = pd.DataFrame({"Chỉ tiêu": [tables.Cell("Hồ sơ <số>", "Nguồn: Quyết định 131/QĐ-TTg (2022), II.2.b")],
                          "Thực hiện": [tables.Cell("$5 & 95,1%", "(2023)")]})
    html = tables.wide_html(cells)
    assert "\n\n" not in html  # a blank line would end Streamlit's HTML block
    assert "<span class='edu-wt-w'>131/QĐ-TTg</span>" in html  # a hyphen or a slash is no place to break
    assert "&lt;số&gt;" in html and "&#36;5" in html and "<script" not in html  # data text stays text
    assert "overflow-wrap:normal" in html and "word-break:normal" in html
    assert "<td class='edu-wt-text'>" in html and "<td class='edu-wt-num'>" in html  # first column runs as text
    assert tables.as_text(cells).iloc[0].tolist() == ["Hồ sơ <số> Nguồn: Quyết định 131/QĐ-TTg (2022), II.2.b",
                                                      "$5 & 95,1% (2023)"]


def test_forecast_status_table_merges_value_and_year_in_both_languages():
    vi = run("pages/forecast.py", province="67")
    prov, dist = wide_tables(vi)
    assert list(prov.columns) == ["Chỉ tiêu", "Thực hiện", "Mục tiêu", "Dự báo", "Trạng thái", "Phương pháp"]
    rows = prov.set_index("Chỉ tiêu")
    learners = next(k for k in rows.index if k.startswith("Người học có hồ sơ số"))
    assert rows.loc[learners, "Thực hiện"] == "96,3% (2024)" and rows.loc[learners, "Mục tiêu"] == "100% (2025)"
    assert rows.loc[learners, "Trạng thái"] == "Chưa đủ số liệu (dưới 2 điểm) Nhịp cần/năm: 3,7%"
    assert rows.loc[learners, "Phương pháp"] == "không có xu hướng Số điểm: 1"
    assert "trên 99,5% (2024)" in set(prov["Thực hiện"])  # a printed bound stays a bound
    # a district row names its district first, then the indicator; no level line for "all levels"
    assert dist["Chỉ tiêu"].iloc[0].startswith("Thành phố Gia Nghĩa Người học có hồ sơ số")
    assert not prov["Chỉ tiêu"].str.contains("Tất cả").any()
    assert set(dist["Dự báo"]) >= {"100%"} and dist["Phương pháp"].str.startswith("xu hướng").all()

    en = run("pages/forecast.py", province="67", lang="en")
    prov_en, dist_en = wide_tables(en)
    assert list(prov_en.columns) == ["Indicator", "Actual", "Target", "Projected", "Status", "Method"]
    learners_en = prov_en[prov_en["Indicator"].str.startswith("Learners on digital records")].iloc[0]
    assert learners_en["Actual"] == "96.3% (2024)" and learners_en["Target"] == "100% (2025)"
    assert learners_en["Status"] == "Insufficient data (fewer than 2 points) Pace needed/yr: 3.7%"
    for table in (prov_en, dist_en):  # no Vietnamese in the English table (district names are data: not checked)
        words = " ".join(table[["Actual", "Target", "Projected", "Status", "Method"]].to_numpy().ravel())
        assert not VI_ONLY.search(words), words
    assert not vietnamese_words(" ".join(prov_en["Indicator"]))  # '[Phụ lục, dòng 9]' reads '[Appendix, row 9]'
    assert "Applications filed or resolved online [Appendix, row 9]" in set(prov_en["Indicator"])
    assert dist_en["Indicator"].iloc[0] == "Thành phố Gia Nghĩa Learners on digital records with a unified ID"


def test_targets_table_puts_sources_under_the_indicator_and_targets_by_year():
    def targets_tables(at) -> list:  # noqa: ANN001 - the pillars' tables (not the self-assessment below them)
        return [t for t in wide_tables(at) if {"Khoảng cách", "Gap"} & set(t.columns)]

    vi = run("pages/targets.py")
    assert len(targets_tables(vi)) == 1  # one pillar at a time: its table
    found = [t for _ in each_part(vi, "targets_pillar", pillar_codes(vi)) for t in targets_tables(vi)]
    assert len(found) == 5 and all(t.columns[0] == "Chỉ tiêu" and t.columns[1] == "Thực hiện" for t in found)
    assert all(len(t.columns) <= 6 for t in found)  # 10+ fields in at most six columns
    cashless = next(t for t in found if t["Chỉ tiêu"].str.startswith("Cơ sở giáo dục thu phí không dùng tiền mặt").any())
    row = cashless.iloc[0]
    assert row["Thực hiện"] == "78,18% (12/2023)" and row["Mục tiêu 2024"] == "80%"
    # the gap as the chart tells it: against the only target the province set (2024), with that year
    assert row["Khoảng cách"] == "còn thiếu 1,8 điểm % (2024)"
    assert row["Chỉ tiêu"] == ("Cơ sở giáo dục thu phí không dùng tiền mặt Phổ thông và GDTX "
                               "Nguồn: Kế hoạch CĐS ngành Giáo dục Đồng Tháp năm 2024, Phần I.I "
                               "Nguồn mục tiêu: Kế hoạch CĐS ngành Giáo dục Đồng Tháp năm 2024, Phần II.II.1")
    decision = [v for t in found if "Mục tiêu 2025" in t for v in t["Mục tiêu 2025"] if "QĐ 131" in v]
    assert decision and all(re.fullmatch(r"(tối thiểu )?\d+% \(QĐ 131\)", v) for v in decision)  # value over scope
    assert "tối thiểu 50% (QĐ 131)" in decision  # a printed bound stays a bound

    en = run("pages/targets.py", lang="en")
    found_en = [t for _ in each_part(en, "targets_pillar", pillar_codes(en, lang="en")) for t in targets_tables(en)]
    assert len(found_en) == 5 and all(list(t.columns[:2]) == ["Indicator", "Actual"] for t in found_en)
    row = next(t for t in found_en if t["Indicator"].str.startswith("Schools collecting fees cashless").any()).iloc[0]
    assert row["Actual"] == "78.18% (12/2023)" and row["Target 2024"] == "80%"
    assert row["Gap"] == "1.8 points short (2024)"
    assert "Source: " in row["Indicator"] and "Target source: " in row["Indicator"] and "Nguồn" not in row["Indicator"]
    for t in found_en:
        assert not VI_ONLY.search(" ".join(t.columns))
        assert not VI_ONLY.search(" ".join(t["Actual"]) + " ".join(t.iloc[:, -1]))
        assert not vietnamese_words(" ".join(t["Indicator"])), vietnamese_words(" ".join(t["Indicator"]))
    dn = run("pages/targets.py", province="67", lang="en")  # Đắk Nông's citations: 'Phụ lục, dòng 8' in English
    text = " ".join(v for t in wide_tables(dn) for v in t["Indicator"])
    assert "Appendix, row 8" in text and not vietnamese_words(text)
