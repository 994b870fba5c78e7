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


def test_budget_legend_sits_below_the_axis_title_never_on_it():
    fig = charts.budget_figure(queries.budget_items("87"))
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    rows = (len(fig.data) + 1) // 2
    assert fig.layout.margin.b >= 70 + 24 * rows


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
