"""Meeting mode (one chart per screen, sidebar hidden) and the per-chart downloads, under AppTest."""
from __future__ import annotations

from tests.test_pages import run, specs
from tests.parts import each_part


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def test_meeting_mode_steps_through_the_charts_one_per_screen():
    normal = run("pages/targets.py", province="67")
    n = len(normal.button_group(key="targets_pillar").options)  # one part a pillar, one chart each
    assert n >= 3 and len(specs(normal)) == 1
    at = run("pages/targets.py", province="67", meeting=True)
    # sidebar hidden: the projector stylesheet (st.html, the run's first element) hides it and its controls
    css = [h.proto.body for h in at.get("html")]
    assert any("stSidebar" in c and "display: none" in c for c in css)
    first = specs(at)
    assert len(first) == 1
    titles = [first[0].layout.title.text]
    for _ in range(n - 1):
        _button(at, "meeting_next").click().run()
        shown = specs(at)
        assert len(shown) == 1
        titles.append(shown[0].layout.title.text)
    assert len(set(titles)) == n  # every chart once
    assert _button(at, "meeting_next").disabled
    _button(at, "meeting_prev").click().run()
    assert specs(at)[0].layout.title.text == titles[-2]
    _button(at, "meeting_exit").click().run()
    assert len(specs(at)) == 1  # off the projector: one pillar at a time again


def test_meeting_charts_fill_the_slide_with_larger_type():
    normal = specs(run("pages/budget.py"))[0]
    at = run("pages/budget.py", meeting=True)
    big = specs(at)[0]
    # no fixed pixel height: the slide's container (CSS: viewport minus the bar) sets it, so it never scrolls
    assert normal.layout.height and big.layout.height is None
    assert big.layout.font.size > (normal.layout.font.size or 15)
    chart = at.get("plotly_chart")[0]
    assert '"responsive": true' in chart.proto.config and not chart.proto.theme  # our template, resized by plotly
    css = " ".join(h.proto.body for h in at.get("html"))
    assert "st-key-edu-slide-" in css and "100vh" in css


def test_overview_status_table_is_the_first_meeting_screen():
    """Đắk Nông's 17 headline rows: two balanced table slides (9 + 8 rows, read from the back of the room), then
    the comparison chart; ← / → step (button shortcuts)."""
    at = run("pages/overview.py", province="67", meeting=True)
    assert not specs(at)
    first = next(m.value for m in at.markdown if "<div class='edu-st-wrap'>" in m.value)
    assert first.count("<tr class='edu-st-") == 9 and "edu-card" not in first
    assert ">1/2<" in first and "96,33%" in first and "còn thiếu 3,7 điểm %" in first
    assert _button(at, "meeting_next").proto.shortcut.lower() == "right"
    assert _button(at, "meeting_prev").proto.shortcut.lower() == "left"
    _button(at, "meeting_next").click().run()
    second = next(m.value for m in at.markdown if "<div class='edu-st-wrap'>" in m.value)
    assert second.count("<tr class='edu-st-") == 8 and "còn thiếu 7,2 điểm %" in second  # 50 − 42,82
    assert "Nguồn&#58; Báo cáo sơ kết 2 năm QĐ 131" in second  # the source line is on the slide (":" escaped)
    _button(at, "meeting_next").click().run()
    assert len(specs(at)) == 1 and not any("<div class='edu-st-wrap'>" in m.value for m in at.markdown)


def test_every_chart_has_png_svg_csv_downloads():
    at = run("pages/infrastructure.py")
    for _ in each_part(at, "infra_part", ["pc", "net", "ict"]):
        labels = [b.label for b in at.get("download_button")]
        assert labels.count("⬇ PNG") == labels.count("⬇ SVG") == labels.count("⬇ CSV") == len(specs(at)) == 1


def test_meeting_mode_can_be_left_from_a_page_that_stops_on_an_empty_state():
    at = run("pages/infrastructure.py", province="94", level=["GDTX"], meeting=True)
    assert any("Không có trường nào" in i.value for i in at.info)
    _button(at, "meeting_exit").click().run()
    assert not any("stSidebar" in m.value and "display: none" in m.value for m in at.markdown)


def _footer_drawn(at) -> bool:
    return any("Số liệu công bố lấy nguyên văn" in c.value for c in at.caption)


def test_no_early_stop_hides_the_footer_pack_panel_or_meeting_controls():
    """Overview with a district, Tiểu học and 2023: the comparison is empty, the page says so and the run goes on
    (footer, pack panel); in meeting mode ◀ ▶ and the counter are there. Same for a district page that ends on an
    empty state."""
    at = run("pages/overview.py", district=["870"], level=["TH"], year="2023")
    assert any("từ hai tỉnh trở lên" in i.value for i in at.info)
    assert _footer_drawn(at)
    assert any(s.value == "Bản tóm tắt của trang" for s in at.sidebar.subheader)
    meet = run("pages/overview.py", district=["870"], level=["TH"], year="2023", meeting=True)
    assert {"meeting_prev", "meeting_next", "meeting_exit"} <= {b.key for b in meet.button}
    assert any("/" in m.value and "Trang chiếu" in m.value for m in meet.markdown)
    empty = run("pages/infrastructure.py", province="94", level=["GDTX"])
    assert any("Không có trường nào" in i.value for i in empty.info) and _footer_drawn(empty)
    assert any(s.value == "Bản tóm tắt của trang" for s in empty.sidebar.subheader)
