"""The map in the current geography: the current province's outline dissolved from its former provinces,
the former provinces and districts inside, schools as points; the switch on the STEM map page."""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import geo, maps
from dashboard.queries import map_districts, stem_schools
from dashboard.units import queries as uq

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _inside(box: tuple, outer: tuple, tol: float = 0.02) -> bool:
    return box[0] >= outer[0] - tol and box[1] >= outer[1] - tol and box[2] <= outer[2] + tol and box[3] <= outer[3] + tol


def test_current_outline_is_the_union_of_its_former_provinces():
    out = uq.province_outlines("92")
    assert sorted(out["kind"] + ":" + out["code"]) == ["current:92", "former:92", "former:93", "former:94"]
    assert out.loc[out["kind"] == "current", "name"].item() == "Thành phố Cần Thơ"
    cur = geo.bbox(out.loc[out["kind"] == "current", "geometry"])
    parts = [geo.bbox([g]) for g in out.loc[out["kind"] == "former", "geometry"]]
    for b in parts:
        assert _inside(b, cur)  # every former province lies inside the dissolved outline
    # and the outline reaches as far as its parts do (no part left out)
    assert abs(cur[0] - min(b[0] for b in parts)) < 0.02 and abs(cur[2] - max(b[2] for b in parts)) < 0.02
    assert uq.current_of("94") == "92" and uq.current_of("67") == "68" and uq.current_of("87") == "82"


def test_map_with_outlines_draws_current_province_former_ones_districts_and_schools():
    districts, schools = map_districts("87"), stem_schools("87")
    deck = maps.build_map(districts, schools, outlines=uq.province_outlines("82"), lang="en")
    assert [layer.id for layer in deck.layers] == ["province-outlines", "districts", "district-labels", "schools"]
    feats = maps.layer_data(deck, "province-outlines")["features"]
    titles = sorted(f["properties"]["tt_title"] for f in feats)
    assert titles == ["Tiền Giang (before 7/2025)", "Tỉnh Đồng Tháp (from 7/2025)", "Đồng Tháp (before 7/2025)"]
    assert len(maps.layer_data(deck, "schools")) == len(schools[schools["lat"].notna()]) > 30
    # the view fits the current province (Đồng Tháp + Tiền Giang), wider than the former Đồng Tháp alone
    former_only = maps.build_map(districts, schools)
    assert deck.initial_view_state.zoom < former_only.initial_view_state.zoom
    assert [layer.id for layer in former_only.layers][0] == "districts"


def test_geography_switch_on_the_map_page():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/stem_map.py").run()
    switch = next(w for w in at.get("segmented_control") if w.key == "geo")
    assert switch.value == "former" and switch.options == ["Trước 7/2025 (63 tỉnh, có huyện)",
                                                           "Từ 7/2025 (34 tỉnh)"]
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert [layer["id"] for layer in spec["layers"]][0] == "districts"
    switch.set_value("current").run()
    assert not at.exception, [e.value for e in at.exception]
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert [layer["id"] for layer in spec["layers"]][0] == "province-outlines"
    assert any(c.value.startswith("Đường viền đậm: Tỉnh Đồng Tháp (từ 7/2025), hợp từ các tỉnh cũ") for c in at.caption)
