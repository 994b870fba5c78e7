"""Pages under AppTest: an emptied page still draws the footer, the pack panel and the meeting controls
(ui.end_page, never st.stop); the sources page follows the sidebar's province; the STEM map says which count
means what (36 labs of the 2024 plan, 37 schools with a lab with the pilot) and says when a province has none."""
from __future__ import annotations

import pytest

from tests.test_pages import _widget, run

FOOTER = "Số liệu công bố lấy nguyên văn"


def _footer(at) -> bool:
    return any(FOOTER in c.value for c in at.caption)


def _on_page(page: str, page_widgets: dict, **sidebar):
    """The page opened with the sidebar's `sidebar` filters, then its own widgets set."""
    at = run(page, **sidebar)
    for key, value in page_widgets.items():
        _widget(at, key).set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _controls(at) -> set[str]:
    return {b.key for b in at.button} & {"meeting_prev", "meeting_next", "meeting_exit"}


@pytest.mark.parametrize("page,widgets,own,message", [
    ("pages/dx_levels.py", dict(province="94", level=["GDTX"]), {}, "ik_dx_none"),
    ("pages/stem_map.py", {}, dict(map_layer="dx4725"), None),
    ("pages/sources.py", dict(meeting=True), {}, "src_meeting"),
])
def test_a_page_that_ends_early_still_draws_footer_pack_panel_and_meeting_controls(page, widgets, own, message):
    from dashboard.i18n import t

    at = _on_page(page, own, **widgets)
    assert _footer(at)
    assert any(s.value == "Bản tóm tắt của trang" for s in at.sidebar.subheader)
    if message:
        assert any(t(message, "vi")[:40] in i.value for i in at.info)
    meet = _on_page(page, own, **{**widgets, "meeting": True})
    assert _controls(meet) == {"meeting_prev", "meeting_next", "meeting_exit"}
    assert any(m.value.startswith("**Trang chiếu ") for m in meet.markdown)
    assert _footer(meet)


def test_sources_page_lists_the_sidebars_province_first_and_can_show_only_it():
    for code, name, doc in (("67", "Đắk Nông", "dn_bc_2024"), ("94", "Sóc Trăng", "st_")):
        at = run("pages/sources.py", province=code)
        figures = at.dataframe[0].value
        n = (figures["Tỉnh"] == name).sum()
        assert n > 10 and set(figures["Tỉnh"].iloc[:n]) == {name}  # every row of the province comes first
        assert len(figures) > n  # ... and the others stay below (a way to see all)
        docs = next(d.value for d in at.dataframe if "Cơ quan ban hành" in d.value.columns)
        assert docs.iloc[0, 0].startswith(doc)
        assert any(name in c.value and "xếp trước" in c.value for c in at.caption)
    only = _on_page("pages/sources.py", dict(only_province=True), province="67")
    assert set(only.dataframe[0].value["Tỉnh"]) <= {"Đắk Nông", "Việt Nam", "Toàn quốc"}


def test_stem_map_says_which_count_means_what_with_its_source():
    at = run("pages/stem_map.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Trường có phòng STEM Lab"] == "37" and metrics["Đã lên bản đồ"] == "36/37"
    sentence = next(c.value for c in at.caption if c.value.startswith("37 trường có phòng STEM Lab:"))
    assert "36 phòng STEM Lab của kế hoạch (Kế hoạch CĐS ngành Giáo dục Đồng Tháp năm 2024, Phụ lục IV)" in sentence
    assert "thêm THPT Đỗ Công Tường" in sentence and "Phụ lục I.I, dòng 2" in sentence and "thí điểm" in sentence
    en = run("pages/stem_map.py", lang="en")
    assert any(c.value.startswith("37 schools with a STEM lab: the 36 STEM labs of the plan") for c in en.caption)


def test_a_province_without_stem_lab_data_says_so_instead_of_every_school_is_placed():
    at = run("pages/stem_map.py", province="67")
    assert any("không nêu trường nào có phòng STEM Lab" in i.value for i in at.info)
    assert not any("Mọi trường đều đã được đặt" in c.value for c in at.caption)
    assert not at.metric  # no coverage figures for a province without data
