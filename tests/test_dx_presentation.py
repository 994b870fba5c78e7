"""Presentation of the Decision 4725 levels and of legends (issue 11): level colours of their own, no
pseudo-district drawn as a district, district names as images on the levels map, legends in the bars' order."""
from __future__ import annotations

import json

import pandas as pd
from PIL import ImageChops

from dashboard import charts
from dashboard.intake_ui import dx_figures, dx_map
from dashboard.uikit.cards import STATUS_CSS
from tests.tablehtml import html_table


def _norm(c: str) -> str:
    return c.strip().lower()


STATUS = {_norm(c) for c in (*charts.STATUS_COLOURS.values(), *STATUS_CSS.values())}


def _shares() -> pd.DataFrame:
    return pd.DataFrame({"schools": [10, 20], "l1": [2, 5], "l2": [5, 5], "l3": [3, 10],
                         "pct_l1": [20.0, 25.0], "pct_l2": [50.0, 25.0], "pct_l3": [30.0, 50.0]})


def test_level_colours_are_a_palette_of_their_own_never_the_status_colours():
    """Mức 1/2/3 were red/amber/green, the colours of 'còn xa / gần đạt / đạt': a leader read level 1 as failing."""
    levels = [_norm(c) for c in charts.DX_LEVEL_COLOURS.values()]
    assert len(set(levels)) == 3 and not set(levels) & STATUS
    assert dx_figures.LEVEL_COLOURS == charts.DX_LEVEL_COLOURS  # one palette wherever levels are drawn
    # sequential: each level darker than the one before (one hue, read in order even in grey)
    lum = [sum(int(c[i:i + 2], 16) * w for i, w in ((1, .299), (3, .587), (5, .114))) for c in levels]
    assert lum[0] > lum[1] > lum[2]

    bars = dx_figures.level_bars_figure(_shares(), ["A", "B"], lang="vi", title="t", caption="c")
    assert [_norm(tr.marker.color) for tr in bars.data] == levels
    scores = dx_figures.scores_figure(pd.DataFrame({
        "computed_level": [1, 2, 3], "school_name": ["a", "b", "c"], "score_teaching": [30, 60, 90],
        "score_management": [30, 60, 90]}), lang="vi", title="t", caption="c",
        group_names={"score_teaching": "Dạy", "score_management": "Quản trị"})
    assert {_norm(tr.marker.color) for tr in scores.data} == set(levels)
    infra = charts.dx_levels_figure(pd.DataFrame({"district_name": ["A"], "dx_l1": [1], "dx_l2": [2], "dx_l3": [3]}))
    assert [_norm(tr.marker.color) for tr in infra.data] == levels

    # the map: points, the colour for "no level" and the legend
    schools = pd.DataFrame({"code": ["s1", "s2", "s3", "s4"], "name": list("abcd"), "level": ["TH"] * 4,
                            "district_name": ["X"] * 4, "lat": [12.0] * 4, "lon": [107.7] * 4,
                            "location_precision": ["exact"] * 4, "school_year": [2023] * 4,
                            "dx_level": [1, 2, 3, None], "source": ["simulated"] * 4})
    fills = ["#%02x%02x%02x" % tuple(p["fill"][:3]) for p in dx_map.points(schools)]
    assert fills[:3] == levels and fills[3] == _norm(dx_map.NO_LEVEL) and not set(fills) & STATUS
    legend = dx_map.legend_html("vi").lower()
    assert all(c in legend for c in levels) and not any(c in legend for c in STATUS)


def test_schools_without_a_district_are_no_district_bar_on_the_levels_page():
    """Sóc Trăng has 3 schools whose district is not given: the chart by district has only its 11 districts, the
    table of change by district too, and the page says how many schools have no district."""
    from dashboard.intake_ui import dx_queries
    from tests.test_pages import run, specs

    raw = dx_queries.level_shares("94", by="district")
    raw = raw[raw["school_year"] == raw["school_year"].max()]
    assert "(không ghi huyện)" in set(raw["group"]) and len(raw) == 12  # the query keeps them as one group
    apart = int(raw.loc[raw["group"] == "(không ghi huyện)", "schools"].iloc[0])
    assert apart == 3
    for lang, pseudo, note in (("vi", "(không ghi huyện)", "3 trường không ghi huyện"),
                               ("en", "(district not given)", "3 schools with no district given")):
        at = run("pages/dx_levels.py", province="94", lang=lang)
        by_district = specs(at)[0]
        cats = {str(y) for tr in by_district.data for y in tr.y}
        assert len(cats) == 11 and not any(pseudo in c or "ghi huyện" in c for c in cats), cats
        assert any(note in c.value for c in at.caption), [c.value for c in at.caption]
        change = html_table(at, "dx_change")
        assert len(change) == 11 and pseudo not in set(change.iloc[:, 0])


def test_levels_map_draws_district_names_as_images_holding_every_letter():
    """The levels map drew district names with deck.gl's TextLayer, which cut glyphs ('Cư Jút' read 'Cư |út'): the
    names are the STEM map's label images (an IconLayer), each holding its whole text, in the chosen language."""
    import base64
    import io

    from PIL import Image

    from dashboard import maps, queries
    from dashboard.intake_ui import dx_queries

    districts = queries.map_districts("67")
    for lang in ("vi", "en"):
        deck = dx_map.build_dx_map(districts, dx_queries.located_schools("67"), lang=lang)
        spec = json.loads(deck.to_json())
        layer = next(x for x in spec["layers"] if x["id"] == "district-labels")
        assert layer["@@type"] == "IconLayer" and layer["sizeUnits"] == "pixels"
        assert not any(x["@@type"] == "TextLayer" for x in spec["layers"])
        rows = layer["data"]
        assert len(rows) == len(districts) > 5
        for row in rows:
            icon = row["icon"]
            img = Image.open(io.BytesIO(base64.b64decode(icon["url"].split(",", 1)[1]))).convert("RGBA")
            assert img.size == (icon["width"], icon["height"]) and layer["getSize"] == icon["height"] / maps.LABEL_SCALE
            corner = img.getpixel((0, 0))
            x0, y0, x1, y1 = ImageChops.difference(img, Image.new("RGBA", img.size, corner)).getbbox()
            assert x0 >= 2 and y0 >= 1 and x1 <= img.width - 2 and y1 <= img.height - 1, row["name"]
        names = {r["name"] for r in rows}
        if lang == "vi":
            assert {"H. Cư Jút", "TP Gia Nghĩa"} <= names
        else:
            assert not any(n.startswith(("TP ", "H. ", "TX ")) for n in names) and any("Cư Jút" in n for n in names)


def _legend_order(fig) -> list[str]:
    """The legend's entries as read (left to right); the figure sets the order itself (plotly's default reverses
    a stack's legend)."""
    order = fig.layout.legend.traceorder
    assert order in ("normal", "reversed"), order
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.type == "bar"]
    return names[::-1] if order == "reversed" else names


def _grouped_top_down(fig) -> list[str]:
    """Horizontal grouped bars: the traces of a group from top to bottom (plotly draws the first trace lowest
    unless the y axis is reversed)."""
    names = [tr.name for tr in fig.data if tr.type == "bar"]
    return names if fig.layout.yaxis.autorange == "reversed" else names[::-1]


def _stacked_left_right(fig) -> list[str]:
    assert fig.layout.barmode == "stack" and fig.layout.xaxis.autorange != "reversed"
    return [tr.name for tr in fig.data if tr.type == "bar" and tr.orientation == "h"]


def test_legends_list_the_series_in_the_order_the_bars_are_drawn():
    """The overview's comparison listed Đắk Nông, Đồng Tháp, Sóc Trăng while each group drew them the other way
    up; the infrastructure page's level chart listed Mức 3, 2, 1 beside bars stacked 1, 2, 3."""
    from dashboard import queries

    comp = charts.comparison_figure(queries.province_comparison(), lang="vi")
    assert len(comp.data) == 3
    assert _legend_order(comp) == _grouped_top_down(comp)
    infra = charts.dx_levels_figure(pd.DataFrame({"district_name": ["A", "B"], "dx_l1": [1, 2], "dx_l2": [2, 2],
                                                  "dx_l3": [3, 1]}))
    assert _legend_order(infra) == _stacked_left_right(infra) == ["Mức 1", "Mức 2", "Mức 3"]
    en = charts.dx_levels_figure(pd.DataFrame({"district_name": ["A"], "dx_l1": [1], "dx_l2": [2], "dx_l3": [3]}),
                                 lang="en")
    assert _legend_order(en) == _stacked_left_right(en)
    levels = dx_figures.level_bars_figure(_shares(), ["A", "B"], lang="vi", title="t", caption="c")
    assert _legend_order(levels) == _stacked_left_right(levels)


def test_level_charts_put_their_legend_above_the_plot_never_on_the_axis():
    """The chart by school level drew its legend over the x axis ticks (0%, 20%) at its short height."""
    levels = dx_figures.level_bars_figure(_shares(), ["A", "B"], lang="vi", title="t", caption="c")
    years = dx_figures.level_bars_figure(_shares(), ["2022-2023", "2023-2024"], lang="vi", title="t", caption="c",
                                         horizontal=False)
    scores = dx_figures.scores_figure(pd.DataFrame({
        "computed_level": [1, 2], "school_name": ["a", "b"], "score_teaching": [30, 60], "score_management": [30, 60]}),
        lang="vi", title="t", caption="c", group_names={"score_teaching": "Dạy", "score_management": "Quản trị"})
    for fig in (levels, years, scores):
        lg = fig.layout.legend
        assert lg.orientation == "h" and lg.yanchor == "bottom" and lg.y >= 1.0
        assert fig.layout.margin.t >= 100  # room for the title, the caption and the legend above the plot
