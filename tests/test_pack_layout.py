"""Briefing pack layout: the title slide inside the slide, the headline status table first, native charts."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard import charts, export, packs, queries
from dashboard.export.pptx_charts import chart_spec, plain
from dashboard.export.status_table import gap_words, status_rows
from dashboard.i18n import t

from test_export import DAY, DT, needs_chromium, renderer  # noqa: F401 - the shared renderer fixture


def _long_filters() -> str:
    from dashboard import rollups
    from dashboard.i18n import LEVEL_NAMES, PILLAR_NAMES

    txt = export.describe_filters("Đồng Tháp", levels=list(LEVEL_NAMES), pillars=list(PILLAR_NAMES), lang="vi")
    return txt + " · " + t("district", "vi") + ": " + ", ".join(rollups.districts(DT)["fullname"])


def _pptx(items, filters: str, status=None, lang: str = "vi"):
    from pptx import Presentation

    data = export.briefing_pptx(items, province="Đồng Tháp", filters_text=filters, day=DAY, lang=lang, status=status)
    return Presentation(io.BytesIO(data))


# ------------------------------------------------------------------------------------------ status table
def test_status_rows_put_the_overview_status_into_words():
    rows = packs.status_table(DT)
    cards = queries.progress_table(DT, headline_only=True, target_years=(2025, 2024))
    assert len(rows) == len(cards) == 13  # one row per card row, same query as the overview
    cash = rows[rows["indicator_code"] == "CASHLESS_SCHOOLS_PCT"].iloc[0]
    # 78,18% against the 2024 plan's 80% (no 2025 target for this row): 1,82 points short, 'near' by the rule
    assert cash["value"] == "78,18% (12/2023)"
    assert cash["target"] == "80% (2024, Kế hoạch tỉnh)"
    assert cash["gap"] == "còn thiếu 1,8 điểm %"
    assert cash["status_key"] == "near" and cash["status"] == t("chart_status_short_near", "vi") == "Gần đạt"
    assert "Kế hoạch CĐS ngành Giáo dục Đồng Tháp năm 2024" in cash["source"]
    done = rows[rows["value"].str.startswith("100%")].iloc[0]
    assert done["gap"] == "Đã đạt" and done["status_key"] == "reached"
    empty = rows[rows["value"] == "–"]
    assert len(empty) == 11 and set(empty["gap"]) == {"Chưa có số liệu"} and set(empty["status_key"]) == {"none"}
    # a row without a figure names its target's document, never nothing
    assert all(s.startswith("Mục tiêu: ") for s in empty["source"])
    en = packs.status_table(DT, lang="en")
    assert en.loc[en["indicator_code"] == "CASHLESS_SCHOOLS_PCT", "gap"].iloc[0] == "1.8 points short"


def test_gap_words_follow_the_stated_rule():
    base = {"unit": "pct", "direction": "up", "value": 80.0, "target_2025": 80.0}
    # a strict target ('trên 80%') met exactly is 'near' by queries.status_with_basis, so no 'Đã đạt'
    strict = dict(base, status_2025=queries.status_with_basis(80.0, 80.0, "up", target_qualifier=">")[0])
    assert strict["status_2025"] == "near" and gap_words(strict, 2025, "vi") == t("chart_status_short_near", "vi")
    met = dict(base, status_2025=queries.status_with_basis(80.0, 80.0, "up")[0])
    assert gap_words(met, 2025, "vi") == "Đã đạt"
    assert gap_words(dict(base, value=None, status_2025="none"), 2025, "vi") == "Chưa có số liệu"
    assert gap_words(dict(base, target_2025=None), 2025, "vi") == "Chưa có mục tiêu"
    rows = status_rows(pd.DataFrame([dict(base, indicator_code="X", indicator_name="Tỉ lệ X", level="ALL",
                                          value=72.8, qualifier=">", period_end="2024-03-31", target_2025=80.0,
                                          target_2025_scope="VN", status_2025="near", status_2025_basis="min",
                                          source_title="Báo cáo", section="II.1")]), "vi")
    r = rows.iloc[0]
    assert r["value"] == "trên 72,8% (03/2024)" and r["gap"] == "còn thiếu 7,2 điểm %"
    assert r["status"] == "Gần đạt (theo mức tối thiểu đã in)"


# ------------------------------------------------------------------------------------------ PowerPoint
@needs_chromium
def test_title_slide_shapes_sit_inside_the_slide_without_overlapping(renderer):
    filters = _long_filters()
    assert len(filters) > 400
    prs = _pptx(packs.page_items("overview", DT), filters)
    W, H = prs.slide_width, prs.slide_height
    shapes = list(prs.slides[0].shapes)
    assert len(shapes) >= 5  # title, department, product name, filters, date, sources
    for sh in shapes:
        assert sh.width > 0 and sh.height > 0, sh.name
        assert sh.left >= 0 and sh.top >= 0 and sh.left + sh.width <= W and sh.top + sh.height <= H, sh.name
    boxes = sorted(shapes, key=lambda s: s.top)
    for a, b in zip(boxes, boxes[1:]):
        assert a.top + a.height <= b.top, (a.text_frame.text[:40], b.text_frame.text[:40])
    text = [sh.text_frame.text for sh in boxes]
    assert prs.slides[0].shapes.title.text == "Báo cáo tóm tắt — Đồng Tháp"
    assert f"Bộ lọc: {filters}" in text and "Ngày xuất: 22/11/2026" in text
    assert any(x.startswith("Nguồn: Báo cáo CĐS Sóc Trăng 10/2023") for x in text)
    # the long filter line is set smaller so that its estimated height fits its box
    filt = next(sh for sh in shapes if sh.text_frame.text.startswith("Bộ lọc"))
    size = filt.text_frame.paragraphs[0].runs[0].font.size.pt
    per_line = (filt.width / 914400 - 0.2) * 72 / (size * 0.52)
    assert -(-len(filt.text_frame.text) // int(per_line)) * size * 1.25 / 72 <= filt.height / 914400


@needs_chromium
def test_first_content_slides_are_the_status_table(renderer):
    status = packs.status_table(DT)
    prs = _pptx(packs.page_items("overview", DT), export.describe_filters("Đồng Tháp"), status)
    slides = list(prs.slides)
    tables = [s for s in slides[1:3] if any(sh.has_table for sh in s.shapes)]
    assert len(tables) == 2  # 13 rows: 7 + 6 at projector size
    assert slides[1].shapes.title.text == t("pack_status_title", "vi")
    assert slides[2].shapes.title.text.endswith("(tiếp)")
    got = []
    for s in tables:
        frame = next(sh for sh in s.shapes if sh.has_table)
        tb = frame.table
        # the table (rows sized by their wrapped text) ends above the footnote, which ends inside the slide
        note = next(sh for sh in s.shapes if sh.has_text_frame and sh.text_frame.text.startswith("Màu trạng thái"))
        assert frame.top + sum(r.height for r in tb.rows) <= note.top
        assert note.top + note.height <= prs.slide_height
        assert [c.text for c in tb.rows[0].cells] == ["Chỉ tiêu", "Số liệu mới nhất", "Mục tiêu", "Khoảng cách",
                                                      "Trạng thái", "Nguồn"]
        assert len(tb.rows) - 1 <= 7
        got += [[c.text for c in row.cells] for row in list(tb.rows)[1:]]
        # indicator and gap readable from the back of the room, the source in small type
        first = list(tb.rows)[1].cells
        assert first[0].text_frame.paragraphs[0].runs[0].font.size.pt >= 14
        assert first[5].text_frame.paragraphs[0].runs[0].font.size.pt <= 10
        assert tb.rows[0].cells[0].text and sum(c.width for c in tb.columns) <= prs.slide_width
    assert got == status[["indicator", "value", "target", "gap", "status", "source"]].values.tolist()
    assert ["còn thiếu 1,8 điểm %", "Đã đạt", "Chưa có số liệu"] == sorted({r[3] for r in got}, key=["còn thiếu 1,8 điểm %", "Đã đạt", "Chưa có số liệu"].index)
    # the chart slides follow, in page order
    assert len(slides) == 1 + 2 + 1


def _figure_points(fig):
    """{trace name: {category label: value}} of a plotly bar/marker figure."""
    out = {}
    for tr in fig.data:
        if tr.type == "scatter" and all(v is None for v in tr.x):  # a legend key (status colours): no data
            continue
        h = tr.type == "bar" and tr.orientation == "h" or (tr.type == "scatter" and tr.orientation == "h")
        horizontal = any(b.type == "bar" and b.orientation == "h" for b in fig.data)
        cats, vals = (tr.y, tr.x) if horizontal or h else (tr.x, tr.y)
        out[plain(tr.name)] = {plain(c): (None if v is None or pd.isna(v) else float(v)) for c, v in zip(cats, vals)}
    return out


@needs_chromium
@pytest.mark.parametrize("page", ["targets", "budget"])
def test_bar_charts_are_native_with_the_figures_data(renderer, page):
    items = packs.page_items(page, DT)
    assert items
    prs = _pptx(items, export.describe_filters("Đồng Tháp"))
    for slide, it in zip(list(prs.slides)[1:], items):
        charts_ = [sh for sh in slide.shapes if sh.has_chart]
        assert len(charts_) == 1, it.title
        assert not any(sh.shape_type == 13 for sh in slide.shapes)  # no picture of it as well
        chart = charts_[0].chart
        assert chart.chart_title.text_frame.text == it.title
        plot = chart.plots[0]
        cats = list(plot.categories)
        expected = _figure_points(it.figure)
        all_cats = {c for pts in expected.values() for c in pts}
        assert len(cats) == len(all_cats), it.title
        names = [s.name for s in plot.series]
        assert sorted(names) == sorted(expected), it.title
        for s in plot.series:
            pts = expected[s.name]
            for cat, v in zip(cats, s.values):
                key = max((c for c in all_cats if cat == c or cat.startswith((c + " (", c + " — "))), key=len)
                assert v == pts.get(key), (it.title, s.name, cat, v, pts.get(key))
        if page == "targets":
            assert chart.value_axis.tick_labels.number_format == '0"%"'
            assert chart.legend.position == 4 or str(chart.legend.position).startswith("TOP")
        if page == "budget" and "Kinh phí" in it.title:
            assert plot.overlap == 100  # stacked
            # the totals the page writes at the bars' ends are in the category names
            ann = {plain(a.y): plain(a.text) for a in it.figure.layout.annotations}
            assert ann and all(any(c == f"{k} — {v}" for c in cats) for k, v in ann.items())
            total = sum(v for s in plot.series for v in s.values if v is not None)
            assert total == pytest.approx(float(sum(tr.x.sum() if hasattr(tr.x, "sum") else sum(tr.x)
                                                    for tr in it.figure.data)))


@needs_chromium
def test_target_rows_without_a_figure_say_so_and_labels_keep_qualifiers(renderer):
    items = packs.page_items("targets", DT)
    prs = _pptx(items, export.describe_filters("Đồng Tháp"))
    cats = [c for s in list(prs.slides)[1:] for sh in s.shapes if sh.has_chart for c in sh.chart.plots[0].categories]
    assert any(c.lower().endswith("(chưa có số liệu)") for c in cats)
    labels = [p.data_label.text_frame.text for s in list(prs.slides)[1:] for sh in s.shapes if sh.has_chart
              for ser in sh.chart.plots[0].series for p in [ser.points[i] for i in range(len(ser.values))]
              if p.data_label.has_text_frame]
    assert any(x.startswith("78,18%") for x in labels)
    # the words the page writes at a row's end ('còn thiếu 1,8 điểm %', 'Đã đạt') are in the row's label or name
    words = [plain(a.text) for it in items for a in it.figure.layout.annotations if a.name == "gap"]
    for w in words:
        assert any(w in x for x in labels) or any(f"({w})" in c for c in cats), w


@needs_chromium
def test_heatmap_stays_a_picture(renderer):
    from dashboard.export import PackItem

    df = pd.DataFrame({"district_name": ["Cao Lãnh", "Lấp Vò"], "wifi": [81.5, 64.0], "lms": [40.0, 55.5]})
    fig = charts.heatmap_figure(df, ["wifi", "lms"], {"wifi": "Wi-Fi", "lms": "LMS"}, title="Bản đồ nhiệt")
    assert chart_spec(fig) is None
    bars = packs.page_items("budget", DT)[:1]
    prs = _pptx([PackItem(fig, "Bản đồ nhiệt", sources_text="Nguồn: mô phỏng", simulated=True)] + bars,
                export.describe_filters("Đồng Tháp"))
    heat, bar = list(prs.slides)[1:]
    assert [sh.shape_type for sh in heat.shapes if sh.shape_type == 13] == [13]
    assert not any(sh.has_chart for sh in heat.shapes) and heat.shapes.title.text == "Bản đồ nhiệt"
    assert sum(sh.has_chart for sh in bar.shapes) == 1


def test_line_and_vertical_stacked_figures_map_to_line_and_column_charts():
    import plotly.graph_objects as go

    line = go.Figure([go.Scatter(x=[2022, 2023, 2024], y=[40.0, 55.5, 61.0], mode="lines+markers", name="Tỉ lệ")])
    spec = chart_spec(line)
    assert spec.kind == "line" and spec.categories == ["2022", "2023", "2024"]
    assert spec.series[0].values == [40.0, 55.5, 61.0]
    band = go.Figure([go.Scatter(x=[1, 2], y=[1, 2], fill="tonexty")])
    assert chart_spec(band) is None
    counts = pd.DataFrame({"plan_year": [2023, 2023, 2024], "status": ["dat", "chua_dat", "planned"], "n": [17, 4, 21]})
    spec = chart_spec(charts.task_status_figure(counts, title="Nhiệm vụ"))
    assert spec.kind == "bar" and spec.stacked and not spec.horizontal and spec.categories == ["2023", "2024"]
    assert {s.name: s.values for s in spec.series} == {"Đạt": [17.0, None], "Chưa đạt": [4.0, None],
                                                       "Kế hoạch": [None, 21.0]}
    assert spec.series[0].labels[0] == "17"  # counts labelled as integers, not '17.0'


# ------------------------------------------------------------------------------------------------- PDF
@needs_chromium
def test_pdf_title_page_then_status_table_pages(renderer):
    from pypdf import PdfReader

    status = packs.status_table(DT)
    items = packs.page_items("budget", DT)
    filters = _long_filters()
    data = export.briefing_pdf(items, province="Đồng Tháp", filters_text=filters, day=DAY, status=status)
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == 1 + 2 + len(items)  # 13 rows at 8 a page: 7 + 6
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Báo cáo tóm tắt — Đồng Tháp" in first and "22/11/2026" in first
    assert "Tháp Mười" in first and "Nguồn: Kế hoạch CĐS ngành Giáo dục Đồng Tháp năm 2024" in first
    assert f"1. {t('pack_status_title', 'vi')} — trang 2" in first and "2. Kinh phí" in first and "trang 4" in first
    second = " ".join(pdf.pages[1].extract_text().split())
    assert t("pack_status_title", "vi") in second and "còn thiếu 1,8 điểm %" in second and "Đã đạt" in second
    assert "trang 2/5" in second
    third = " ".join(pdf.pages[2].extract_text().split())
    assert "(tiếp)" in third and "Chưa có số liệu" in third
    assert "trang 4/5" in " ".join(pdf.pages[3].extract_text().split())
