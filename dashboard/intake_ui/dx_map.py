"""The map layer of Decision 4725 levels: every school with coordinates, coloured by its level, on the offline
district polygons of dashboard.maps (no Streamlit, no store)."""
from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk

from .. import maps
from ..i18n import level_name, t
from . import strings  # noqa: F401
from .dx_figures import DX_LEVEL_TEXT, LEVEL_COLOURS
from .preview_view import school_year_text

NO_LEVEL = "#e4e7eb"  # a pale grey, not the status grey (#9aa3ad, "không so sánh được")


def _rgb(hex_colour: str) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)] + [235]


def points(schools: pd.DataFrame, lang: str = "vi") -> list[dict[str, Any]]:
    """One point per school: position, colour by level, and plain-text tooltip lines (level, year and source,
    school level, district, location precision)."""
    out = []
    for r in schools.itertuples(index=False):
        lv = None if pd.isna(r.dx_level) else int(r.dx_level)
        src = "" if lv is None else (t("ik_source_imported", lang) if r.source == "imported" else t("simulated", lang))
        out.append({
            "code": r.code, "lon": float(r.lon), "lat": float(r.lat), "dx_level": lv,
            "fill": _rgb(LEVEL_COLOURS[lv] if lv else NO_LEVEL), "line": [82, 96, 109, 255],  # pale shades need an edge
            "tt_title": str(r.name),
            "tt_1": (t("ik_level_n", lang).format(n=lv) + f" — {school_year_text(r.school_year)}, {src}") if lv
            else t("ik_map_no_level", lang),
            "tt_2": f"{t('level', lang)}: {level_name(str(r.level or ''), lang)}",
            "tt_3": f"{t('stemmap_district', lang)}: {r.district_name or '–'}",
            "tt_4": f"{t('stemmap_location', lang)}: {maps.precision_label(r.location_precision, lang)}",
            "tt_5": "",
        })
    return out


def build_dx_map(districts: pd.DataFrame, schools: pd.DataFrame, *, lang: str = "vi", height_px: int = 560
                 ) -> pdk.Deck:
    view = maps.view_state(districts, height_px=height_px)
    pts = points(schools, lang)
    counts = schools.groupby(schools["district_name"]).size().to_dict() if not schools.empty else {}
    feats = maps.district_features(districts, (), None, lang)
    for f in feats["features"]:  # the district tooltip counts located schools, not STEM labs
        f["properties"]["tt_1"] = t("ik_map_schools_in_district", lang).format(n=counts.get(f["properties"]["name"], 0))
    labels = maps.district_labels(districts, (), view=view, obstacles=[(p["lon"], p["lat"]) for p in pts],
                                  height_px=height_px, lang=lang)
    layers = [
        pdk.Layer("GeoJsonLayer", id="districts", data=feats, stroked=True, filled=True, pickable=True,
                  get_fill_color="properties.fill", get_line_color="properties.line",
                  get_line_width="properties.line_width", line_width_units="'pixels'", line_width_min_pixels=1),
        maps.district_label_layer(labels),  # images drawn in Python: deck.gl's TextLayer cut glyphs ('Cư |út')
        pdk.Layer("ScatterplotLayer", id="dx-schools", data=pts, get_position="[lon, lat]", get_fill_color="fill",
                  get_line_color="line", get_line_width=1, get_radius=maps.POINT_RADIUS_PX, radius_units="'pixels'",
                  line_width_units="'pixels'", stroked=True, filled=True, pickable=True, auto_highlight=True),
    ]
    online = maps.online_basemap_allowed()
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider="carto" if online else None,
                    map_style=maps.ONLINE_STYLE if online else maps.NO_BASEMAP,
                    tooltip={"html": maps.TOOLTIP_HTML, "style": {"backgroundColor": "#ffffff", "color": "#1f2933",
                                                                 "fontSize": "13px", "border": "1px solid #cbd2d9",
                                                                 "padding": "6px 8px", "maxWidth": "320px"}},
                    height=height_px)


def legend_html(lang: str) -> str:
    spans = "".join(f"<span style='background:{LEVEL_COLOURS[n]};color:{DX_LEVEL_TEXT[n]}'>"
                    f"{t('ik_level_n', lang).format(n=n)}</span>" for n in (1, 2, 3))
    spans += f"<span style='background:{NO_LEVEL};color:#1f2933'>{t('ik_map_no_level', lang)}</span>"
    return f"<div class='edu-legend'>{spans}</div>"
