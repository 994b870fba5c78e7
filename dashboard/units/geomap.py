"""Map pieces of the current geography (pure: no streamlit, no queries): the outline of a current province
(dissolved from its former provinces, data/geo/SOURCES.md §8) and the former provinces inside it, as one
GeoJSON layer under the former districts and the schools of dashboard.maps.build_map."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .rollup import former_label
from .strings import s

CURRENT_FILL = [243, 238, 228, 255]  # the parts without district outlines: warm grey, unlike the districts
CURRENT_LINE = [31, 58, 96, 255]
FORMER_LINE = [110, 120, 135, 255]
GEOGRAPHIES = ("former", "current")


def outline_features(outlines: pd.DataFrame, lang: str = "vi") -> dict[str, Any]:
    """FeatureCollection: the current province (filled, thick line) and its former provinces (thin lines),
    with tooltip fields (tt_title, tt_1…) like the district layer."""
    feats = []
    for r in outlines.itertuples(index=False):
        if not isinstance(r.geometry, str) or not r.geometry:
            continue
        current = r.kind == "current"
        title = s("province_current", lang).format(name=r.name) if current else former_label(r.name, lang)
        feats.append({"type": "Feature", "geometry": json.loads(r.geometry),
                      "properties": {"code": r.code, "kind": r.kind, "fill": CURRENT_FILL if current else [0, 0, 0, 0],
                                     "line": CURRENT_LINE if current else FORMER_LINE,
                                     "line_width": 3 if current else 1, "tt_title": title, "tt_1": "", "tt_2": "",
                                     "tt_3": "", "tt_4": "", "tt_5": ""}})
    return {"type": "FeatureCollection", "features": feats}


def geography_label(key: str, lang: str = "vi") -> str:
    return s("geo_current" if key == "current" else "geo_former", lang)
