"""Every page under Streamlit's AppTest: it renders, filters change what the charts show, English switch works."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from tests.parts import each_part, open_box, pillar_codes
from tests.tablehtml import html_table

APP = str(Path(__file__).resolve().parent.parent / "app.py")

PAGES = ["pages/overview.py", "pages/targets.py", "pages/budget.py", "pages/sources.py"]


def run(page: str | None = None, **widgets) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    for key, value in widgets.items():
        _widget(at, key).set_value(value)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _widget(at: AppTest, key: str):
    for kind in ("selectbox", "multiselect", "segmented_control", "text_input", "toggle"):
        for w in at.get(kind):
            if getattr(w, "key", None) == key:
                return w
    raise KeyError(key)


def _decode(obj):
    """Plotly sends numeric arrays as {'dtype', 'bdata'} (base64); turn them back into lists."""
    if isinstance(obj, dict):
        if set(obj) >= {"dtype", "bdata"}:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            return arr.reshape(obj["shape"]).tolist() if "shape" in obj and isinstance(obj["shape"], list) else arr.tolist()
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def specs(at: AppTest) -> list:
    """The page's plotly figures, rebuilt from their specs (binary-encoded arrays decoded)."""
    return [go.Figure(_decode(json.loads(el.proto.spec))) for el in at.get("plotly_chart")]


def _list(v) -> list:
    return [] if v is None else [x for x in list(v) if x is not None]


def bar_values(fig) -> list[float]:
    return [float(x) for tr in fig.data if tr.type == "bar" for x in _list(tr.x)]


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(page):
    at = run(page)
    assert at.title and at.title[0].value
    en = run(page, lang="en")
    assert en.title[0].value != at.title[0].value


def test_overview_cards_and_comparison_follow_the_province():
    dt = run("pages/overview.py")
    assert "Đồng Tháp" in dt.title[0].value
    assert "78,18%" in markdown(dt)  # cashless 465/595 (78,18%)
    dn = open_box(run("pages/overview.py", province="67"), "overview_cards")  # the cards, opened
    text = markdown(dn)
    assert "Đắk Nông" in dn.title[0].value
    assert "42,82%" in text and "48,2%" in text and "89,17%" in text
    assert "Mục tiêu 2025: 50%" in text  # Decision 131 target for students equipped
    comp = specs(dn)[0]
    names = {tr.name for tr in comp.data}
    assert names == {"Sóc Trăng", "Đắk Nông", "Đồng Tháp"}
    assert 89.17 in bar_values(comp) and 78.18 in bar_values(comp)


def test_overview_in_english():
    at = open_box(run("pages/overview.py", lang="en", province="67"), "overview_cards")
    assert at.title[0].value.startswith("Overview")
    text = markdown(at)
    assert "42.82%" in text and "Target 2025: 50%" in text and "Decision 131" in text


def test_targets_page_pillar_filter_changes_charts():
    all_ = run("pages/targets.py", province="67")
    assert len(specs(all_)) == 1  # one pillar at a time: the first
    titles = [f.layout.title.text for _ in each_part(all_, "targets_pillar", pillar_codes(all_)) for f in specs(all_)]
    assert len(titles) >= 3 and len(set(titles)) == len(titles)
    services = run("pages/targets.py", province="67", pillar=["services"])
    st = specs(services)
    assert len(st) == 1 and "Dịch vụ trực tuyến" in st[0].layout.title.text
    assert 32 in bar_values(st[0])  # procedures fully online 27 (32%)
    markers = [tr for tr in st[0].data if tr.type == "scatter"]
    assert any(100 in _list(tr.x) for tr in markers)  # Decision 131: 100% by 2025


def test_targets_page_level_filter():
    th = run("pages/targets.py", province="67", level=["TH"])
    vals = [v for s in specs(th) for v in bar_values(s)]
    assert 14.7 in vals and 41.8 not in vals


def test_targets_page_shows_dong_thap_self_assessment():
    at = run("pages/targets.py")
    assessment = html_table(at, "assessment_table")
    assert set(assessment["Đánh giá"]) == {"Đạt"} and len(assessment) == 7
    assert list(assessment.columns).index("Đánh giá") < list(assessment.columns).index("Kết quả tỉnh báo cáo")


def test_budget_page_totals_and_items():
    dt = run("pages/budget.py")
    assert [(m.label, m.value) for m in dt.metric] == [("Tổng công bố 2024 (triệu đồng)", "55.500")]
    chart = specs(dt)[0]
    total = sum(bar_values(chart))
    assert total == 55500
    st = run("pages/budget.py", province="94")
    assert "11.435" in [m.value for m in st.metric]
    dn = run("pages/budget.py", province="67")
    assert any("không có danh mục hạng mục đầu tư" in i.value for i in dn.info)


def test_sources_page_search_and_conflicts():
    at = run("pages/sources.py")
    full = at.dataframe[0].value
    assert len(full) > 150
    _widget(at, "q").set_value("465/59").run()
    found = at.dataframe[0].value
    assert 1 <= len(found) < len(full)
    assert all("465/59" in q for q in found.iloc[:, -1])
    conflicts = at.dataframe[1].value
    assert "78,18% | 78,18% | trên 78%" in set(conflicts["Như văn bản in"])  # the bound keeps its word


def test_sources_page_in_english_changes_labels():
    vi = run("pages/sources.py")
    en = run("pages/sources.py", lang="en")
    assert vi.title[0].value == "Dữ liệu & nguồn" and en.title[0].value == "Data & sources"
    assert "Indicator" in en.dataframe[0].value.columns and "Chỉ tiêu" in vi.dataframe[0].value.columns


@pytest.mark.parametrize("widgets", [dict(level=["THPT"]), dict(level=["MN"]), dict(pillar=["infrastructure"]),
                                     dict(province="67", level=["GDTX"])])
def test_filters_that_leave_no_target_give_a_message_not_an_error(widgets):
    at = run("pages/targets.py", **widgets)
    assert not specs(at)
    assert any("Không có chỉ tiêu nào có mục tiêu" in i.value for i in at.info)


def test_overview_comparison_empty_state():
    at = run("pages/overview.py", level=["MN"])
    assert any("từ hai tỉnh trở lên" in i.value for i in at.info)


def _gap_at(fig, row_start: str) -> str:
    """The gap words written at the end of the chart row whose label starts with `row_start`."""
    hits = [a.text for a in fig.layout.annotations if str(a.y).startswith(row_start) and a.xanchor == "left"]
    assert len(hits) == 1, (row_start, hits)
    return hits[0].replace("<b>", "").replace("</b>", "").replace("<i>", "").replace("</i>", "")


def test_targets_chart_rows_say_value_gap_and_missing_figures():
    from dashboard import charts

    at = run("pages/targets.py", province="67", pillar=["teaching"])
    fig = specs(at)[0]
    bar = next(tr for tr in fig.data if tr.type == "bar")
    texts = dict(zip(bar.y, bar.text))
    assert texts["Học sinh có điều kiện học trực tuyến — Máy<br>tính"] == "42,82%"
    assert _gap_at(fig, "Học sinh có điều kiện học trực tuyến — Máy") == "còn thiếu 7,2 điểm %"  # 50 − 42,82
    assert _gap_at(fig, "Giáo viên có điều kiện dạy trực tuyến — Máy") == "còn thiếu 15,7 điểm %"  # 100 − 84,34
    assert _gap_at(fig, "Tỉ trọng nội dung chương trình GDPT dạy trực<br>tuyến — Tiểu") == "Đã đạt"  # 14,7 ≥ 5
    assert _gap_at(fig, "Kho học liệu số") == "Chưa có số liệu"  # a target, no published figure: said in the row
    colours = dict(zip(bar.y, bar.marker.color))
    assert colours["Học sinh có điều kiện học trực tuyến — Máy<br>tính"] == charts.STATUS_COLOURS["near"]
    # legend above the plot, never over the axis; its status entries name the colours the bars use
    assert fig.layout.legend.y >= 1 and fig.layout.legend.yanchor == "bottom"
    keys = {tr.name: tr.marker.color for tr in fig.data if tr.type == "scatter" and tr.marker.symbol == "square"}
    assert keys == {"Đã đạt": charts.STATUS_COLOURS["reached"], "Gần đạt": charts.STATUS_COLOURS["near"]}
    # Đồng Tháp: a row with no figure has no bar and says so; bounds keep their word on the bar
    dt = specs(run("pages/targets.py", pillar=["management"]))[0]
    assert _gap_at(dt, "Người học có hồ sơ số") == "Chưa có số liệu"
    assert _gap_at(dt, "Cơ sở giáo dục hoàn thiện mô hình quản trị") == "Đã đạt"


def test_status_colours_mean_one_thing_on_the_overview():
    """Provinces in the comparison chart (and the district bars) never take a status colour."""
    from dashboard import charts

    at = run("pages/overview.py", province="67", district=["662"])
    status = {c.lower() for c in charts.STATUS_COLOURS.values()}
    for fig in specs(at):
        for tr in fig.data:
            colour = tr.marker.color if tr.marker is not None else None
            used = colour if isinstance(colour, (list, tuple)) else [colour]
            assert not status & {str(c).lower() for c in used if c}, tr.name
        assert fig.layout.legend.y >= 1  # above the plot
    assert not status & ({c.lower() for c in charts.PROVINCE_COLOURS.values()} | {c.lower() for c in charts.COLORWAY})


def test_overview_status_table_first_then_cards_on_demand():
    at = run("pages/overview.py", province="67")
    md_ = [m.value for m in at.markdown]
    table = next(v for v in md_ if "<div class='edu-st-wrap'>" in v)
    assert table.count("<tr class='edu-st-") == 17  # every headline row of Đắk Nông, one table off meeting mode
    row = next(r for r in table.split("<tr class=")[1:] if "Máy tính" in r and "Học sinh" in r)
    assert "42,82%" in row and "50%" in row and "còn thiếu 7,2 điểm %" in row and "Gần đạt" in row
    assert "edu-st-src" in row and "Phụ lục, dòng 2" in row  # the source, in small type
    assert any(e.label.startswith("Chi tiết từng chỉ tiêu") for e in at.expander)  # the cards, on demand
    assert not any("<div class='edu-card'>" in v for v in md_)  # drawn once opened
    open_box(at, "overview_cards")
    md_ = [m.value for m in at.markdown]
    assert next(i for i, v in enumerate(md_) if "<div class='edu-st-wrap'>" in v) < \
        next(i for i, v in enumerate(md_) if "<div class='edu-card'>" in v)  # the status at a glance comes first
    text = markdown(at)
    assert "Dự báo 2025&#58; –" not in text and "số điểm" not in text  # no forecast: no line (':' escaped)
    assert "Dự báo 2025&#58; Đã đạt mục tiêu (1 điểm)" in text
    assert "(dưới 2 điểm) (1 điểm)" not in text
    en = markdown(open_box(run("pages/overview.py", province="67", lang="en"), "overview_cards"))
    assert "(1 point)" in en and "(1 points)" not in en


def test_overview_forecast_line_follows_the_year_filter():
    """With the year 2023, the cards show 2023 figures: a forecast resting on 2024 points is not shown, and no
    card row says both 'no published figure' and 'target reached'."""
    at = open_box(run("pages/overview.py", province="67", year="2023"), "overview_cards")
    cards = [m.value for m in at.markdown if "<div class='edu-card'>" in m.value]
    rows = [r for c in cards for r in c.split("edu-card-row")[1:]]
    assert rows and not any("Chưa có số liệu công bố" in r and "Đã đạt mục tiêu" in r for r in rows)
    shown = [r for r in rows if "Dự báo 2025" in r]
    assert shown and all("12/2023" in r for r in shown)  # only forecasts whose last point is the card's (2023)
