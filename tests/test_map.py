"""The STEM-lab map: school placement, points inside their districts, escaped tooltips, offline base layer,
the page under AppTest (map present, district filter changes it) and `export schools`."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard import DATA_DIR, geo, maps, queries

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ADM2 = DATA_DIR / "geo" / "vnm_adm2_3prov_censusVN2009.geojson"
ADM3 = DATA_DIR / "geo" / "vnm_adm3_3prov_censusVN2009.geojson"
DT = "87"
APPENDIX_IV = {f"dt24_s{i:02d}" for i in range(1, 37)}


def _district_geojson() -> dict[str, dict]:
    return {str(f["properties"]["adm2_code"]): f["geometry"]
            for f in json.loads(ADM2.read_text(encoding="utf-8"))["features"]}


def _schools(db: Path) -> list[dict]:
    """The schools named in the documents (simulated rows, if any, are not placed and not tested here)."""
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT * FROM school WHERE provenance = 'published' ORDER BY code")]


def _deck_layers(deck) -> dict[str, object]:
    return {layer["id"]: layer for layer in json.loads(deck.to_json())["layers"]}


# --- geometry helpers ---------------------------------------------------------------------------

def test_point_in_polygon_with_hole_and_multipolygon():
    square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    poly = {"type": "Polygon", "coordinates": [square, hole]}
    assert geo.point_in_geometry(1, 1, poly)
    assert not geo.point_in_geometry(5, 5, poly)  # in the hole
    assert not geo.point_in_geometry(11, 5, poly)
    multi = {"type": "MultiPolygon", "coordinates": [[square], [[[20, 0], [30, 0], [30, 10], [20, 0]]]]}
    assert geo.point_in_geometry(28, 2, multi) and not geo.point_in_geometry(15, 5, multi)


def test_representative_point_is_inside_when_the_centroid_is_not():
    # a "C" shape: its centroid falls in the opening
    c_shape = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 2], [2, 2], [2, 8], [10, 8], [10, 10],
                                                   [0, 10], [0, 0]]]}
    cx, cy = geo.centroid(c_shape)
    assert not geo.point_in_geometry(cx, cy, c_shape)
    x, y = geo.representative_point(c_shape)
    assert geo.point_in_geometry(x, y, c_shape)


def test_match_key_reproduces_the_geo_keys():
    assert geo.match_key(geo.strip_type("Phường An Hoà")) == "an hòa" == geo.match_key("An Hòa")
    assert geo.match_key("Xã Hoà Bình").endswith("hòa bình")
    assert geo.match_key("Hòa Tú II") == "hòa tú 2" and geo.match_key("Đăk Glong") == "đắk glong"
    with (DATA_DIR / "geo" / "vnm_adm3_3prov_centroids.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(geo.match_key(r["adm3_name"]) == r["adm3_key"] for r in rows)


def test_name_tokens():
    assert geo.name_token("TH Tân Quy Tây") == ("Tân Quy Tây", None)
    assert geo.name_token("THCS thị trấn Mỹ An") == ("Mỹ An", "thị trấn")
    assert geo.name_token("TH&THCS An Lộc") == ("An Lộc", None)
    assert geo.name_token("Tiểu học Nha Môn 1") == ("Nha Môn 1", None)
    assert geo.name_token("THPT thành phố Cao Lãnh") == ("Cao Lãnh", "thành phố")
    assert geo.token_candidates("Thường Phước 1A") == ["Thường Phước 1A", "Thường Phước 1", "Thường Phước"]
    assert geo.token_candidates("Tân Thạnh 1") == ["Tân Thạnh 1", "Tân Thạnh"]


# --- placement in the built store ---------------------------------------------------------------

EXPECTED_COMMUNE = {  # school -> GSO commune code (SOURCES.md §4), resolved within the school's district
    "dt24_s04": "29920", "dt24_s05": "29914", "dt24_s07": "29965", "dt24_s08": "29954", "dt24_s10": "30097",
    "dt24_s11": "30127",  # Bình Thạnh of H. Cao Lãnh, not of TP Hồng Ngự
    "dt24_s13": "30067", "dt24_s14": "30037",  # 'thị trấn Mỹ An', not Xã Mỹ An
    "dt24_s16": "30157",  # 'Tân Thạnh 1' -> Tân Thạnh
    "dt24_s19": "29956", "dt24_s20": "29956",  # 'Thường Phước 1A' -> Thường Phước 1
    "dt24_s23": "29929", "dt24_s25": "30001",
    "dt24_s26": "30019",  # 'An Hoà' -> Xã An Hòa of H. Tam Nông (match key), not Phường An Hoà of Sa Đéc
    "dt24_s29": "30244", "dt24_s31": "30235", "dt24_s32": "30220",
    "dt24_s34": "30199",  # 'Định Yên 1' -> Định Yên
    "dt24_s35": "30196",
}
EXPECTED_DISTRICT = {"dt24_s01", "dt24_s02", "dt24_s03", "dt24_s06", "dt24_s09", "dt24_s12", "dt24_s15", "dt24_s17",
                     "dt24_s18", "dt24_s21", "dt24_s22", "dt24_s24", "dt24_s27", "dt24_s28", "dt24_s30", "dt24_s33",
                     "dt24_s36"}
EXPECTED_UNPLACED = {"dt24_s37", "st23_s01", "st23_s02", "st23_s03"}


def test_placement_results(db_path):
    rows = {r["code"]: r for r in _schools(db_path)}
    got_commune = {c: r["commune_code"] for c, r in rows.items() if r["location_precision"] == "commune"}
    assert got_commune == EXPECTED_COMMUNE
    assert {c for c, r in rows.items() if r["location_precision"] == "district"} == EXPECTED_DISTRICT
    unplaced = {c for c, r in rows.items() if r["location_precision"] is None}
    assert unplaced == EXPECTED_UNPLACED
    for c in unplaced:
        r = rows[c]
        assert r["lat"] is None and r["lon"] is None and r["district_code"] is None
        assert "không ghi huyện" in r["placement_note"]
    for c in EXPECTED_DISTRICT:
        assert rows[c]["commune_code"] is None and rows[c]["placement_note"]
    # commune points are the commune centroids of the CSV
    with (DATA_DIR / "geo" / "vnm_adm3_3prov_centroids.csv").open(encoding="utf-8") as fh:
        cents = {r["adm3_code"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh) if r["adm3_code"]}
    for c, code in EXPECTED_COMMUNE.items():
        assert (rows[c]["lat"], rows[c]["lon"]) == cents[code]


def test_communes_are_admin_units_under_their_district(db_path):
    with sqlite3.connect(db_path) as con:
        n, bad = con.execute("""SELECT COUNT(*), SUM(d.code IS NULL) FROM admin_unit c
                                LEFT JOIN admin_unit d ON d.code = c.parent_code AND d.level = 'district'
                                WHERE c.level = 'commune'""").fetchone()
        tqt = con.execute("SELECT fullname, parent_code FROM admin_unit WHERE code = '29920'").fetchone()
    assert n == 320 and bad == 0  # 324 polygons less the 4 units merged away before 2025
    assert tqt == ("Xã Tân Quy Tây", "867")


def test_every_placed_point_lies_inside_its_own_district(db_path):
    polys = _district_geojson()
    placed = [r for r in _schools(db_path) if r["lat"] is not None]
    assert len(placed) == 36
    for r in placed:
        assert geo.point_in_geometry(r["lon"], r["lat"], polys[r["district_code"]]), r["name"]
        others = [c for c, g in polys.items() if c != r["district_code"] and geo.point_in_geometry(r["lon"], r["lat"], g)]
        assert not others, (r["name"], others)
    # commune-placed points also lie inside their commune polygon
    communes = {str(f["properties"]["adm3_code"]): f["geometry"]
                for f in json.loads(ADM3.read_text(encoding="utf-8"))["features"] if f["properties"]["adm3_code"]}
    for r in placed:
        if r["location_precision"] == "commune":
            assert geo.point_in_geometry(r["lon"], r["lat"], communes[r["commune_code"]]), r["name"]


def test_placement_md_lists_the_current_results(db_path):
    text = (DATA_DIR / "geo" / "PLACEMENT.md").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 10 and re.fullmatch(r"(dt24|st23)_s\d\d", cells[0]):
            table[cells[0]] = cells
    rows = {r["code"]: r for r in _schools(db_path)}
    assert set(table) == set(rows)
    for code, r in rows.items():
        cells = table[code]
        assert cells[5] == (r["location_precision"] or "NULL")
        assert cells[6] == (r["commune_code"] or "")
        assert cells[7] == ("" if r["lat"] is None else f"{r['lat']:.5f}")
        assert cells[8] == ("" if r["lon"] is None else f"{r['lon']:.5f}")
    assert "19 schools at a commune centroid, 17 at a point inside their district, 4 not placed" in text


# --- map builders -------------------------------------------------------------------------------

def test_map_layer_has_the_36_schools_three_per_district_one_per_level():
    deck = maps.build_map(queries.map_districts(DT), queries.stem_schools(DT))
    layers = _deck_layers(deck)
    pts = layers["schools"]["data"]
    assert {p["code"] for p in pts} == APPENDIX_IV and len(pts) == 36
    per_district = Counter(p["district_code"] for p in pts)
    assert len(per_district) == 12 and set(per_district.values()) == {3}
    levels = {}
    for p in pts:
        levels.setdefault(p["district_code"], []).append(p["level"])
    assert all(sorted(v) == ["TH", "THCS", "THPT"] for v in levels.values())
    assert len(layers["districts"]["data"]["features"]) == 12
    # points drawn apart when they share a stored point still lie inside their district
    polys = _district_geojson()
    assert all(geo.point_in_geometry(p["lon"], p["lat"], polys[p["district_code"]]) for p in pts)
    assert len({(p["lon"], p["lat"]) for p in pts}) == 36
    colours = {p["level"]: tuple(p["line"][:3]) for p in pts if p["location_precision"] == "district"}
    assert colours == {lv: tuple(c) for lv, c in maps.LEVEL_COLOURS.items()}


def test_tooltips_escape_markup():
    schools = pd.DataFrame([{"code": "x1", "name": "<b>A&B</b>", "level": "TH", "district_code": "866",
                             "district_name": "Quận <i>1</i> & 2", "commune_name": "<script>alert(1)</script>",
                             "lat": 10.456, "lon": 105.62, "location_precision": "commune",
                             "investment_million_vnd": 500.0}])
    districts = queries.map_districts(DT)
    districts.loc[0, "fullname"] = "Thành phố <Cao> & Lãnh"
    deck = maps.build_map(districts, schools, lang="vi")
    spec = json.loads(deck.to_json())
    template = deck._tooltip["html"]  # what st.pydeck_chart sends as the tooltip
    # the template is fixed markup with placeholders only: no data in it
    assert template == maps.TOOLTIP_HTML and "A&B" not in template and "Lãnh" not in template
    row = _deck_layers(deck)["schools"]["data"][0]
    assert row["tt_title"] == "<b>A&B</b>"  # plain text; escaped once, where it is inserted
    shown = maps.render_tooltip(row, template)
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in shown and "<b>A" not in shown
    assert "&lt;script&gt;" in shown and "<script>" not in shown and "&lt;i&gt;1&lt;/i&gt; &amp; 2" in shown
    assert "500 triệu đồng — phân bổ đều (tính toán)" in shown
    feature = next(f for f in spec["layers"][0]["data"]["features"] if f["properties"]["code"] == districts.loc[0, "code"])
    fshown = maps.render_tooltip(feature, template)
    assert "&lt;Cao&gt; &amp; Lãnh" in fshown and "<Cao>" not in fshown
    for name in maps.TOOLTIP_FIELDS:  # every placeholder is filled for both layers (no literal '{tt_..}' left)
        assert name in row and name in feature["properties"]


def test_streamlit_frontend_escapes_tooltip_values():
    """maps.py relies on the pinned Streamlit frontend escaping each value it puts into an HTML tooltip; if an
    upgrade drops that, this fails and the tooltip fields must be escaped in Python instead."""
    import streamlit
    bundles = list((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("DeckGlJsonChart*.js"))
    assert bundles
    js = bundles[0].read_text(encoding="utf-8", errors="replace")
    assert re.search(r"replaceAll\(/\[&<>\"'\]/g", js), "Streamlit no longer escapes pydeck tooltip values"


def test_offline_by_default_and_online_only_when_allowed(monkeypatch):
    monkeypatch.delenv(maps.ONLINE_BASEMAP_ENV, raising=False)
    d, s = queries.map_districts(DT), queries.stem_schools(DT)
    spec = json.loads(maps.build_map(d, s).to_json())
    assert spec["mapStyle"] == maps.NO_BASEMAP and "mapProvider" not in spec  # Streamlit draws no basemap
    assert "cartocdn" not in json.dumps(spec) and "mapbox" not in json.dumps(spec).lower()
    online = json.loads(maps.build_map(d, s, online_basemap=True).to_json())
    assert "cartocdn" in online["mapStyle"]
    monkeypatch.setenv(maps.ONLINE_BASEMAP_ENV, "1")
    assert "cartocdn" in json.loads(maps.build_map(d, s).to_json())["mapStyle"]
    assert json.loads(maps.build_map(d, s, online_basemap=False).to_json())["mapStyle"] == maps.NO_BASEMAP


def test_selected_districts_are_highlighted_and_zoomed():
    d = queries.map_districts(DT)
    all_view = json.loads(maps.build_map(d, queries.stem_schools(DT)).to_json())["initialViewState"]
    sel = ["867"]
    spec = json.loads(maps.build_map(d, queries.stem_schools(DT, districts=sel), selected_districts=sel).to_json())
    feats = {f["properties"]["code"]: f["properties"] for f in spec["layers"][0]["data"]["features"]}
    assert feats["867"]["selected"] and feats["867"]["fill"] == maps.DISTRICT_FILL_SELECTED
    assert not feats["866"]["selected"] and feats["866"]["fill"] != maps.DISTRICT_FILL_SELECTED
    view = spec["initialViewState"]
    assert view["zoom"] > all_view["zoom"]
    x0, y0, x1, y1 = geo.bbox(d.loc[d["code"] == "867", "geometry"])
    assert x0 < view["longitude"] < x1 and y0 < view["latitude"] < y1
    assert len(spec["layers"][2]["data"]) == 3


def test_legend_is_returned_separately():
    from dashboard.i18n import level_name
    items = maps.legend("en")
    assert [i["label"] for i in items[:3]] == [level_name(lv, "en") for lv in ("TH", "THCS", "THPT")]
    assert [i["colour"] for i in items[:3]] == ["#%02x%02x%02x" % tuple(c) for c in maps.LEVEL_COLOURS.values()]
    assert {i["kind"] for i in items} == {"level", "filled", "ring", "area"}
    assert all(i["label"] in maps.legend_html("en") for i in items)


def _ink_box(img) -> tuple[int, int, int, int] | None:
    """Where a label image holds text: the pixels that differ from its plain background (its corner pixel, close to
    LABEL_BACKGROUND: the PNG is drawn in 64 colours)."""
    from PIL import Image, ImageChops
    img = img.convert("RGBA")
    corner = img.getpixel((0, 0))
    assert all(abs(a - b) <= 8 for a, b in zip(corner, maps.LABEL_BACKGROUND))
    return ImageChops.difference(img, Image.new("RGBA", img.size, corner)).getbbox()


def test_district_labels_are_images_holding_every_letter_uncut():
    """deck.gl's TextLayer cut every glyph reaching left of its origin ('Cư Jút' read 'Cư |út', the tilde of
    'Gia Nghĩa' was lost): the names are images drawn in Python, each holding its whole text inside a margin."""
    import base64
    import io

    from PIL import Image
    font = maps._label_font(maps.LABEL_PX * maps.LABEL_SCALE)
    assert font.getbbox("ĩ", anchor="ls")[0] < 0  # reaches left of its origin: the case the TextLayer cut
    notdef = bytes(font.getmask("\U0010fffd"))  # what the font draws for a character it lacks
    checked = set()
    for province in ("67", "87", "94"):
        deck = maps.build_map(queries.map_districts(province), queries.stem_schools(province))
        layer = _deck_layers(deck)["district-labels"]
        assert layer["@@type"] == "IconLayer" and layer["sizeUnits"] == "pixels"
        rows = layer["data"]
        assert len(rows) == len(queries.map_districts(province)) > 5
        for row in rows:
            icon = row["icon"]
            img = Image.open(io.BytesIO(base64.b64decode(icon["url"].split(",", 1)[1])))
            assert img.size == (icon["width"], icon["height"]) and icon["anchorY"] == icon["height"]
            assert layer["getSize"] == icon["height"] / maps.LABEL_SCALE  # 12 px type, whatever the zoom
            x0, y0, x1, y1 = _ink_box(img)
            assert x0 >= 2 and y0 >= 1 and x1 <= img.width - 2 and y1 <= img.height - 1, row["name"]
            checked |= set(row["name"])
    assert {"J", "ĩ", "ì", "'", "Đ", "ắ"} <= checked  # Cư Jút, Gia Nghĩa, Thanh Bình, Đắk R'Lấp were drawn
    missing = [ch for ch in checked if not ch.isspace() and bytes(font.getmask(ch)) == notdef]
    assert not missing, f"the label font has no glyph for {missing}"
    names = [r["name"] for r in maps.layer_data(maps.build_map(queries.map_districts("67"), queries.stem_schools("67")),
                                                 "district-labels")]
    assert "H. Cư Jút" in names and "TP Gia Nghĩa" in names


def test_district_labels_name_the_kind_of_district_in_the_chosen_language():
    """Two districts share each name (the city and the district of Cao Lãnh): the label says which, with the
    Vietnamese abbreviation in Vietnamese and an English word in English (no 'TP'/'H.' in the English map)."""
    d, s = queries.map_districts(DT), queries.stem_schools(DT)
    vi = {r["name"] for r in maps.layer_data(maps.build_map(d, s, lang="vi"), "district-labels")}
    en = {r["name"] for r in maps.layer_data(maps.build_map(d, s, lang="en"), "district-labels")}
    assert {"TP Cao Lãnh", "H. Cao Lãnh", "TP Sa Đéc"} <= vi
    assert {"Cao Lãnh city", "Cao Lãnh dist.", "Sa Đéc city"} <= en and len(en) == len(vi) == 12
    assert not any(n.startswith(("TP ", "H. ", "TX ", "Q. ")) for n in en)


def test_stem_queries_count_and_derive_investment():
    by_d = queries.stem_by_district(DT)
    known = by_d[by_d["district_code"].notna()]
    assert len(known) == 12 and set(known["schools"]) == {3}
    assert (known[["th", "thcs", "thpt"]] == 1).all().all()
    assert set(known["investment_million_vnd"]) == {1500.0}  # 3 x 500, derived even split
    unknown = by_d[by_d["district_code"].isna()]
    assert unknown["schools"].tolist() == [1] and unknown["investment_million_vnd"].isna().all()  # Đỗ Công Tường
    lv = queries.stem_by_level(DT).set_index("level")
    assert lv.loc["TH", "schools"] == 12 and lv.loc["THPT", "schools"] == 13 and set(lv["districts_with"]) == {12}
    assert queries.stem_schools("94").empty and len(queries.stem_schools("94", stem_only=False)) == 3
    assert len(queries.stem_schools(DT, levels=["TH"])) == 12
    assert len(queries.stem_schools(DT, levels=["THPT"], districts=["866", "867"])) == 2


# --- the page -----------------------------------------------------------------------------------

def _page(**widgets) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    for kind in ("selectbox", "segmented_control"):
        for w in at.get(kind):
            if getattr(w, "key", None) in widgets:
                w.set_value(widgets[w.key])
    at.run()
    at.switch_page("pages/stem_map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _map_schools(at: AppTest) -> list[dict]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.json)
    return next(layer for layer in spec["layers"] if layer["id"] == "schools")["data"]


def test_page_shows_the_map_and_the_district_filter_changes_it():
    at = _page()
    assert "Đồng Tháp" in at.title[0].value
    assert {p["code"] for p in _map_schools(at)} == APPENDIX_IV
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert spec["mapStyle"] == maps.NO_BASEMAP
    text = "\n".join(c.value for c in at.caption)
    assert "Ranh giới hành chính: censusVN2009 (M. Choisy, L. Contamin), giấy phép MIT" in text
    assert "phân bổ đều (tính toán)" in text
    unplaced = next(df.value for df in at.dataframe if "Lý do" in df.value.columns)
    assert unplaced["Trường"].tolist() == ["THPT Đỗ Công Tường"]
    box = next(w for w in at.multiselect if (w.key or "").startswith(f"stemmap_districts_{DT}"))
    box.set_value(["867", "873"]).run()
    assert not at.exception
    shown = _map_schools(at)
    assert {p["district_code"] for p in shown} == {"867", "873"} and len(shown) == 6
    feats = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]["features"]
    assert {f["properties"]["code"] for f in feats if f["properties"]["selected"]} == {"867", "873"}
    pick = next(w for w in at.selectbox if (w.key or "").startswith("stemmap_school_"))
    assert set(pick.options) == {"TH Tân Quy Tây", "THCS Tân Khánh Đông", "THPT thành phố Sa Đéc", "TH Nhị Mỹ",
                                 "THCS Bình Thạnh", "THPT Kiến Văn"}
    pick.set_value("dt24_s11").run()
    assert not at.exception
    radius = {p["code"]: p["radius"] for p in _map_schools(at)}
    assert radius["dt24_s11"] > max(r for c, r in radius.items() if c != "dt24_s11")  # highlighted on the map
    cards = [m.value for m in at.markdown if "edu-card-title" in m.value and "THCS Bình Thạnh" in m.value]
    assert cards and "Xã Bình Thạnh" in cards[0] and "Huyện Cao Lãnh" in cards[0]
    assert "500 triệu đồng — phân bổ đều (tính toán)" in cards[0]


def test_page_in_english_and_for_a_province_without_labs():
    en = _page(lang="en")
    assert en.title[0].value.startswith("Map of the STEM-lab schools")
    assert "even split (derived)" in "\n".join(c.value for c in en.caption)
    st_ = _page(province="94")
    assert any("Sóc Trăng" in i.value and "STEM Lab" in i.value for i in st_.info)
    assert _map_schools(st_) == []
    feats = json.loads(st_.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]["features"]
    assert len(feats) == 11  # the boundaries still show
    unplaced = next(df.value for df in st_.dataframe if "Lý do" in df.value.columns)
    assert len(unplaced) == 3


def test_view_fitted_to_the_deck_size_holds_every_school():
    """A meeting slide's deck (1920×1080, 1400×900, 1024×768 screens) gets a view fitted to its own size: every
    placed school lies inside it, and a larger deck zooms in (the map fills the slide, not a third of it)."""
    d, s = queries.map_districts(DT), queries.stem_schools(DT)
    zooms = []
    for w, h in ((940, 532), (1316, 698), (1836, 878)):
        deck = maps.build_map(d, s, width_px=w, height_px=h)
        view = deck.initial_view_state
        zooms.append(view.zoom)
        pts = maps.layer_data(deck, "schools")
        assert len(pts) == 36
        for p in pts:
            x, y = maps._project(p["lon"], p["lat"], view, w, h)
            assert 7 <= x <= w - 7 and 7 <= y <= h - 7, (p["name"], w, h, x, y)
        xs, ys = zip(*(maps._project(p["lon"], p["lat"], view, w, h) for p in pts))
        assert max(ys) - min(ys) >= 0.7 * h  # the schools span most of the deck's height
    assert zooms == sorted(zooms) and zooms[-1] - zooms[0] > 0.6


def test_placement_note_hides_codes_and_files_and_stays_vietnamese():
    note = ("Tên xã 'Tân Hội' khớp duy nhất Xã Tân Hội [29965] trong Thành phố Hồng Ngự; "
            "đặt tại tâm xã (vnm_adm3_3prov_centroids.csv).")
    assert maps.placement_note(note, "vi") == ("Tên xã 'Tân Hội' khớp duy nhất Xã Tân Hội trong Thành phố Hồng Ngự; "
                                               "đặt tại tâm xã.")
    assert maps.placement_note(note, "en") is None and maps.placement_note(None, "vi") is None


def test_english_page_cites_in_english_and_names_levels():
    """No Vietnamese citation words in the English page's text ('Phụ lục IV' reads 'Appendix IV'), no TH/THCS/THPT
    abbreviations, no Vietnamese placement note; the Vietnamese page keeps its citations as printed."""
    en = _page(lang="en")
    text = "\n".join(c.value for c in en.caption)
    count = next(c.value for c in en.caption if c.value.startswith("37 schools with a STEM lab"))
    assert "the 36 STEM labs of the plan" in count and "Appendix IV" in count and "Appendix I, section I, row 2" in count
    for leak in ("Phụ lục", "dòng", "Mục", "a TH,", "THCS and"):
        assert leak not in text, leak
    assert "Every district has a primary, a lower secondary and an upper secondary school." in text
    unplaced = next(df.value for df in en.dataframe if "Reason" in df.value.columns)
    assert "Note" not in unplaced.columns and unplaced["Source"].str.contains("Appendix I, section I, row 2").all()
    by_level = next(df.value for df in en.dataframe if "Districts without" in df.value.columns)
    assert by_level["Level"].tolist() == ["Primary", "Lower secondary", "Upper secondary"]
    pick = next(w for w in en.selectbox if (w.key or "").startswith("stemmap_school_"))
    pick.set_value("dt24_s04").run()
    card = next(m.value for m in en.markdown if "<div class='edu-card'>" in m.value)
    assert "TH Tân Quy Tây" in card and "Appendix IV" in card and "How placed" not in card and "Tên xã" not in card
    vi = _page()
    assert any("Phụ lục IV" in c.value for c in vi.caption)
    pick = next(w for w in vi.selectbox if (w.key or "").startswith("stemmap_school_"))
    pick.set_value("dt24_s04").run()
    card = next(m.value for m in vi.markdown if "<div class='edu-card'>" in m.value)
    assert "Cách đặt" in card and "Tân Quy Tây" in card
    assert not re.search(r"\[\d+\]|\.csv", card)  # no commune code, no file name on screen


# --- command line -------------------------------------------------------------------------------

def test_cli_export_schools(db_path):
    out = subprocess.run([sys.executable, "-m", "dashboard", "export", "schools", "--format", "csv"],
                         cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"DATABASE_URL": f"sqlite:///{db_path}", "PATH": "/usr/bin:/bin"})
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    with sqlite3.connect(db_path) as con:
        assert len(rows) == con.execute("SELECT COUNT(*) FROM school").fetchone()[0]  # every school row
    assert sum(r["provenance"] == "published" for r in rows) == 40
    assert {"name", "level", "province", "district", "commune", "lat", "lon", "location_precision", "stem_lab",
            "stem_year", "investment_million_vnd_derived", "investment_basis", "provenance"} <= set(rows[0])
    by = {r["school_code"]: r for r in rows}
    tqt = by["dt24_s04"]
    assert (tqt["district"], tqt["commune"], tqt["location_precision"]) == ("Thành phố Sa Đéc", "Xã Tân Quy Tây", "commune")
    assert float(tqt["investment_million_vnd_derived"]) == 500.0 and tqt["investment_basis"].startswith("phân bổ đều (tính toán)")
    assert tqt["stem_lab"] == "1" and tqt["stem_year"] == "2024" and tqt["provenance"] == "published"
    assert by["dt24_s37"]["lat"] == "" and by["dt24_s37"]["investment_million_vnd_derived"] == ""
    assert sum(r["location_precision"] == "district" for r in rows) == 17
    assert sum(r["location_precision"] == "commune" for r in rows) == 19
    en = subprocess.run([sys.executable, "-m", "dashboard", "export", "schools", "--lang", "en"], cwd=ROOT,
                        capture_output=True, text=True, check=True,
                        env={"DATABASE_URL": f"sqlite:///{db_path}", "PATH": "/usr/bin:/bin"})
    assert "even split (derived)" in en.stdout


def test_meeting_slide_draws_the_map_fitted_to_a_slide_with_its_sources():
    """Meeting mode: one slide, the deck fitted to a 1024×768 slide until the browser reports the real size
    (tests/e2e/test_stem_national_fit.py checks the refit in Chromium), the legend and a source line under it."""
    from tests.test_pages import run

    at = run("pages/stem_map.py", meeting=True)
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    w, h = 940, 520  # pages/stem_map.py SLIDE_GUESS
    ref = json.loads(maps.build_map(queries.map_districts(DT), queries.stem_schools(DT), width_px=w,
                                    height_px=h).to_json())["initialViewState"]
    assert spec["initialViewState"]["zoom"] == ref["zoom"]
    foot = next(m.value for m in at.markdown if "edu-stem-slide-foot" in m.value)
    assert f"data-fit='{w}x{h}'" in foot and "Tiểu học" in foot
    assert "Nguồn&#58; Kế hoạch CĐS ngành Giáo dục Đồng Tháp năm 2024, Phụ lục IV" in foot  # html_text escapes ":"
    assert not at.dataframe  # tables stay off the projector
