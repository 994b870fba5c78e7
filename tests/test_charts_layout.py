"""Readable figures: the budget chart keeps at most 7 item colours plus "Khác" (with the right sum, no invisible
sliver), heatmap column labels are one turned line each (full names in the hover), legends never sit on tick
labels; tables fitted to the narrowest page."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts, queries, tables


def _items(amounts: dict[str, float], source: str = "Nguồn A") -> pd.DataFrame:
    return pd.DataFrame({"item_vi": list(amounts), "amount_million_vnd": list(amounts.values()), "year": 2024,
                         "funding_source_name": source})


def test_dong_thap_budget_has_seven_item_colours_and_khac_with_the_rest():
    items = queries.budget_items("87")
    fig = charts.budget_figure(items)
    colours = {tr.marker.color for tr in fig.data}
    assert len(fig.data) == 8 and len(colours) == 8  # 7 items + Khác, each its own colour
    assert not colours & set(charts.STATUS_COLOURS.values())  # status colours mean nothing else
    other = [tr for tr in fig.data if tr.name.startswith("Khác")]
    assert len(other) == 1 and other[0].name == "Khác (5 mục)"
    named = {tr.name for tr in fig.data} - {other[0].name}
    top7 = items.groupby("item_vi")["amount_million_vnd"].sum().sort_values(ascending=False).head(7)
    rest = items[~items["item_vi"].isin(top7.index)]
    assert sum(other[0].x) == pytest.approx(rest["amount_million_vnd"].sum()) == 320  # 30 + 290 million VND
    assert len(named) == 7
    assert sum(float(x) for tr in fig.data for x in tr.x) == 55500  # nothing lost to the grouping
    assert all(h.count("·") >= 1 for h in other[0].hovertext)  # the hover names the grouped items


def test_soc_trang_budget_by_year_needs_no_khac():
    fig = charts.budget_figure(queries.budget_items("94"))
    assert len(fig.data) == 5 and not any(tr.name.startswith("Khác") for tr in fig.data)
    assert sum(float(x) for tr in fig.data for x in tr.x) == 11435


def test_an_item_that_would_be_an_invisible_sliver_goes_to_khac():
    big = {f"Hạng mục {i}": 10000.0 for i in range(3)}
    fig = charts.budget_figure(_items({**big, "Nhỏ 1": 50.0, "Nhỏ 2": 20.0}, "Vốn"), lang="en")
    names = [tr.name for tr in fig.data]
    assert names[-1] == "Other (2 items)" and sum(fig.data[-1].x) == 70
    longest = 30070
    for tr in fig.data[:-1]:  # every coloured segment is at least 2% of the longest bar
        assert min(tr.x) >= charts.MIN_SEGMENT * longest


def test_budget_legend_sits_above_the_plot_with_whole_names():
    items = queries.budget_items("87")
    fig = charts.budget_figure(items)
    lg = fig.layout.legend
    assert (lg.y, lg.yanchor, lg.x, lg.xanchor) == (1.0, "bottom", 0, "left")
    names = [tr.name.replace("<br>", " ") for tr in fig.data if not tr.name.startswith("Khác")]
    assert all("…" not in n for n in names) and set(names) <= set(items["item_vi"])  # never cut
    longest = max(names, key=len)
    assert longest.startswith("Số hóa, xây dựng CSDL tài liệu") and len(longest) > 100  # whole, over four lines
    # the top margin holds the title and every line of the legend
    lines = charts.legend_lines(fig, charts.LEGEND_WIDTH, 13)
    assert lines >= 6 and fig.layout.margin.t >= 80 + 17 * lines


def test_legend_lines_counts_wrapped_rows_and_columns():
    import plotly.graph_objects as go

    fig = go.Figure([go.Bar(name=n) for n in ("Một", "Hai<br>dòng", "Ba")])
    charts._legend_above(fig, entrywidth=0.5, entrywidthmode="fraction")
    assert charts.legend_lines(fig, 700, 13) == 3  # row 1: one and two lines → 2; row 2: one line
    free = go.Figure([go.Bar(name="x" * 40) for _ in range(3)])
    charts._legend_above(free)
    assert charts.legend_lines(free, 760, 13) == 2  # 40 + 0,55·13·40 = 326 px each in 700 px: two a row
    labelled = go.Figure([go.Bar(name="x" * 40, y=["y" * 40], x=[1], orientation="h") for _ in range(3)])
    charts._legend_above(labelled)
    assert charts.legend_lines(labelled, 760, 13) == 3  # 40-character row labels leave 370 px: one a row
    assert charts.legend_lines(go.Figure([go.Bar(name="a")]), 700, 13) == 0  # not above the plot: no room taken


def test_heatmap_column_labels_are_turned_single_lines_with_full_names_in_the_hover():
    names = {"a": "Phần mềm quản trị trường học", "b": "Người học có hồ sơ số",
             "c": "Một tên chỉ tiêu rất dài vượt quá giới hạn nhãn cột"}
    df = pd.DataFrame({"district_name": ["Huyện A", "Huyện B"], "a": [50.0, 60.0], "b": [70.0, 80.0],
                       "c": [10.0, 20.0]})
    fig = charts.heatmap_figure(df, list(names), names)
    ax = fig.layout.xaxis
    assert ax.tickangle == charts.HEAT_ANGLE and list(ax.tickvals) == [0, 1, 2]
    assert all("<br>" not in x and len(x) <= charts.HEAT_LABEL for x in ax.ticktext)
    assert ax.ticktext[0] == "Phần mềm quản trị trường học" and ax.ticktext[2].endswith("…")
    assert list(fig.data[0].customdata[0]) == list(names.values())  # the hover has every full name
    assert "%{customdata}" in fig.data[0].hovertemplate


@pytest.mark.parametrize("build", ["task", "forecast"])
def test_legends_sit_above_the_plot(build):
    if build == "task":
        fig = charts.task_status_figure(pd.DataFrame({"plan_year": [2023, 2023], "status": ["dat", "chua_dat"],
                                                      "n": [3, 1]}), title="Nhiệm vụ")
    else:
        fig = charts.forecast_figure(pd.DataFrame({"year": [2022, 2023], "value": [50.0, 60.0]}),
                                     pd.DataFrame(columns=["year", "value", "lower", "upper"]),
                                     pd.DataFrame({"target_year": [2025], "target": [80.0]}), last_year=2023,
                                     last_value=60.0, title="Dự báo")
    assert fig.layout.legend.y == 1.0 and fig.layout.legend.yanchor == "bottom"
    # the title is pinned to the top, so a taller margin never pushes its source line onto the legend
    assert (fig.layout.title.y, fig.layout.title.yref, fig.layout.title.yanchor) == (1, "container", "top")


def test_table_widths_fit_the_narrowest_page_and_keep_numbers_on_one_line():
    w = tables.widths(list("abcdefg"), [34, 3, 48, 64, 1.8, 1.4, 1.8])
    assert sum(w.values()) <= tables.FIT_PX and w["a"] == 34 and w["d"] == 64
    many = tables.widths([str(i) for i in range(12)], [60] * 12)  # fixed widths that cannot all fit shrink
    assert sum(many.values()) <= tables.FIT_PX
    wide = tables.widths([str(i) for i in range(14)], [1.0] * 14)  # more columns than MIN_PX allows: all narrower
    assert sum(wide.values()) <= tables.FIT_PX and min(wide.values()) >= 28
    df = pd.DataFrame({"Năm": ["2024"] * 3, "Hạng mục": ["Thiết bị phòng chức năng phục vụ dạy học STEM/STEAM"] * 3})
    auto = tables.auto_weights(df)
    assert auto["Năm"] >= 20 and auto["Hạng mục"] < 20  # the year a fixed width, the text a share


def test_forecast_targets_and_pace_never_use_a_status_colour_and_the_100_label_has_room():
    fig = charts.forecast_figure(pd.DataFrame({"year": [2023], "value": [100.0]}),
                                 pd.DataFrame(columns=["year", "value", "lower", "upper"]),
                                 pd.DataFrame({"target_year": [2025, 2030], "target": [100.0, 100.0]}),
                                 last_year=2023, last_value=100.0, title="Dự báo")
    status = set(charts.STATUS_COLOURS.values())
    drawn = {tr.marker.color for tr in fig.data if tr.marker and tr.marker.color} | {
        tr.line.color for tr in fig.data if tr.line and tr.line.color}
    assert drawn and not drawn & status
    targets = [tr for tr in fig.data if tr.name.startswith("Mục tiêu")]
    assert [tr.marker.symbol for tr in targets] == ["diamond", "star"]  # the targets page's markers
    assert all(tr.cliponaxis is False for tr in targets) and fig.layout.yaxis.range[1] >= 110
    assert list(fig.layout.yaxis.ticktext) == ["0%", "20%", "40%", "60%", "80%", "100%"]


def test_district_bars_never_draw_a_level_purple():
    df = pd.DataFrame({"district_name": ["Huyện A", "Huyện B"], "a": [5.0, 6.0], "b": [1.0, 2.0]})
    fig = charts.district_bars_figure(df, ["a", "b"], {"a": "Máy tính", "b": "Phòng học"}, unit="count")
    colours = [tr.marker.color for tr in fig.data]
    assert len(set(colours)) == 2
    assert not set(colours) & (set(charts.DX_LEVEL_COLOURS.values()) | {"#7b4fb8"} | set(charts.STATUS_COLOURS.values()))


def test_meeting_slide_keeps_room_for_the_title_and_a_larger_legend():
    from dashboard.uikit.meeting import MEETING_LEGEND_FONT, MEETING_LEGEND_WIDTH, meeting_figure

    fig = charts.task_status_figure(pd.DataFrame({"plan_year": [2023, 2023], "status": ["dat", "chua_dat"],
                                                  "n": [3, 1]}), title="Nhiệm vụ", caption="Nguồn: Phụ lục II")
    shown = meeting_figure(fig)
    lines = charts.legend_lines(fig, MEETING_LEGEND_WIDTH, MEETING_LEGEND_FONT)
    assert lines == 1 and shown.layout.legend.font.size == MEETING_LEGEND_FONT > fig.layout.legend.font.size
    assert shown.layout.margin.t >= charts.TITLE_PAD + 34 + 20 + 22 * lines and shown.layout.height is None


def test_meeting_slide_puts_a_long_legend_beside_the_plot():
    from dashboard.uikit.meeting import MEETING_LEGEND_LINES, meeting_figure

    fig = charts.budget_figure(queries.budget_items("87"), title="Kinh phí", caption="Nguồn: Phụ lục III")
    shown = meeting_figure(fig)
    lg = shown.layout.legend
    assert charts.legend_lines(fig, 900, 16) > MEETING_LEGEND_LINES
    assert (lg.orientation, lg.x, lg.xanchor, lg.y, lg.yanchor) == ("v", 1.02, "left", 1, "top")
    assert shown.layout.margin.r >= 40 + 0.55 * lg.font.size * 40  # room for a 40-character line of a name
    assert shown.layout.margin.t < 150  # no wall of names above the plot
