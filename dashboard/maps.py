"""Pure pydeck builders for the STEM-lab map (no queries; Streamlit only in the deck size probe at the end):
district polygons as the base layer, schools as points coloured by level, tooltips whose every text is
HTML-escaped once (see TOOLTIP_HTML), a legend returned separately.

Offline by default: the deck carries no basemap (Streamlit would otherwise fetch a Carto style from the
internet), so the map is the district polygons from the store and nothing else. An online basemap is added
only when asked for (argument `online_basemap=True`, or the environment variable DASHBOARD_ONLINE_BASEMAP=1).
"""
from __future__ import annotations

import base64
import functools
import html
import io
import json
import math
import re
import os
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd
import pydeck as pdk
from PIL import Image, ImageDraw, ImageFont

from . import geo
from .i18n import fmt_number, level_name, register, t
from .units.geomap import outline_features

ONLINE_BASEMAP_ENV = "DASHBOARD_ONLINE_BASEMAP"
# pydeck's "no style given" sentinel: Streamlit draws no basemap for it (map_style=None would make Streamlit
# fetch its default Carto style from the internet).
NO_BASEMAP = "__MAP_STYLE__"
ONLINE_STYLE = "light"  # Carto Positron, no token needed

# Okabe-Ito colours (distinguishable with colour-blindness), one per school level.
LEVEL_COLOURS: dict[str, list[int]] = {"TH": [0, 114, 178], "THCS": [230, 159, 0], "THPT": [0, 158, 115]}
OTHER_COLOUR = [120, 120, 120]
DISTRICT_FILL = [233, 238, 244, 255]
DISTRICT_FILL_DIM = [243, 245, 248, 255]
DISTRICT_FILL_SELECTED = [255, 236, 179, 255]
DISTRICT_LINE = [96, 108, 122, 255]
DISTRICT_LINE_SELECTED = [176, 96, 0, 255]
POINT_RADIUS_PX = 7
# Schools stored at the same point (several at one district point) are drawn on a small ring around it.
SPREAD_DEG = 0.009  # about 1 km

register({
    "stemmap_page": {"vi": "Bản đồ STEM", "en": "STEM map"},
    "stemmap_title": {"vi": "Bản đồ trường có phòng STEM Lab", "en": "Map of the STEM-lab schools"},
    "stemmap_intro": {"vi": "Các trường được trang bị phòng STEM Lab theo kế hoạch của tỉnh; vị trí là xấp xỉ "
                            "(tâm xã hoặc một điểm trong huyện), không phải địa chỉ trường.",
                      "en": "Schools equipped with a STEM lab under the province's plan; positions are approximate "
                            "(commune centroid or a point inside the district), not school addresses."},
    "stemmap_districts": {"vi": "Huyện/thành phố", "en": "Districts"},
    "stemmap_districts_all": {"vi": "Tất cả huyện/thành phố", "en": "All districts"},
    "stemmap_school": {"vi": "Chọn trường để xem chi tiết (hoặc bấm vào điểm trên bản đồ)",
                       "en": "Select a school to see its details (or click a point on the map)"},
    "stemmap_school_placeholder": {"vi": "Chọn một trường", "en": "Choose a school"},
    "stemmap_none": {"vi": "{p}: các văn bản đã nạp không nêu trường nào có phòng STEM Lab.",
                     "en": "{p}: the loaded documents name no school with a STEM lab."},
    "stemmap_none_in_filter": {"vi": "Không có trường có phòng STEM Lab trong lựa chọn này.",
                               "en": "No STEM-lab school in this selection."},
    "stemmap_school_name": {"vi": "Trường", "en": "School"},
    "stemmap_district": {"vi": "Huyện/TP", "en": "District"},
    "stemmap_commune": {"vi": "Xã/phường/thị trấn", "en": "Commune"},
    "stemmap_investment": {"vi": "Kinh phí", "en": "Investment"},
    "stemmap_location": {"vi": "Vị trí", "en": "Location"},
    "stemmap_reason": {"vi": "Lý do", "en": "Reason"},
    "stemmap_year": {"vi": "Năm trang bị", "en": "Year equipped"},
    "stemmap_even_split": {"vi": "phân bổ đều (tính toán)", "en": "even split (derived)"},
    "stemmap_invest_value": {"vi": "{x} triệu đồng — phân bổ đều (tính toán)",
                             "en": "{x} million VND — even split (derived)"},
    "stemmap_invest_none": {"vi": "không có số liệu", "en": "no figure"},
    "stemmap_invest_note": {
        "vi": "Kinh phí từng trường là phân bổ đều (tính toán): văn bản ghi {total} triệu đồng cho {n} trường "
              "({section}) và không ghi kinh phí từng trường; {total} / {n} = {each} triệu đồng mỗi trường.",
        "en": "Investment per school is an even split (derived): the document gives {total} million VND for {n} "
              "schools ({section}) and no amount per school; {total} / {n} = {each} million VND per school."},
    "stemmap_prec_commune": {"vi": "tâm xã/phường/thị trấn (xấp xỉ)", "en": "commune centroid (approximate)"},
    "stemmap_prec_district": {"vi": "một điểm trong huyện/thành phố (không rõ xã)",
                              "en": "a point inside the district (commune unknown)"},
    "stemmap_prec_none": {"vi": "chưa đặt trên bản đồ", "en": "not placed on the map"},
    "stemmap_rule_no_district": {"vi": "văn bản không ghi huyện/thành phố của trường",
                                 "en": "the document gives no district for the school"},
    "stemmap_rule_not_placed": {"vi": "không xác định được vị trí", "en": "no position could be determined"},
    "stemmap_legend_commune": {"vi": "điểm tô đặc: tại tâm xã", "en": "filled dot: at the commune centroid"},
    "stemmap_legend_district": {"vi": "vòng tròn rỗng: trong huyện, chưa rõ xã",
                                "en": "open ring: inside the district, commune unknown"},
    "stemmap_legend_selected": {"vi": "vùng tô vàng: huyện/thành phố đang chọn",
                                "en": "yellow area: selected districts"},
    "stemmap_spread_note": {"vi": "Các trường có cùng một điểm (cùng xã hoặc cùng điểm của huyện) được tách nhẹ "
                                  "trên vòng tròn khoảng 1 km để không che nhau; tọa độ lưu trữ không đổi.",
                            "en": "Schools sharing a point (same commune or same district point) are spread on a "
                                  "ring of about 1 km so that they do not hide each other; stored coordinates "
                                  "are unchanged."},
    "stemmap_attribution": {"vi": "Ranh giới hành chính: censusVN2009 (M. Choisy, L. Contamin), giấy phép MIT; "
                                  "đơn vị hành chính trước 01/07/2025.",
                            "en": "Administrative boundaries: censusVN2009 R package (M. Choisy, L. Contamin), "
                                  "MIT licence; units before 1 July 2025."},
    "stemmap_basemap_off": {"vi": "Không dùng bản đồ nền trực tuyến (chạy được khi không có Internet).",
                            "en": "No online basemap (works without Internet)."},
    "stemmap_basemap_on": {"vi": "Bản đồ nền: © OpenStreetMap, © CARTO (trực tuyến).",
                           "en": "Basemap: © OpenStreetMap, © CARTO (online)."},
    "stemmap_by_district": {"vi": "Số trường theo huyện/thành phố và cấp học",
                            "en": "Schools by district and level"},
    "stemmap_by_level": {"vi": "Độ phủ theo cấp học", "en": "Coverage by level"},
    "stemmap_coverage": {"vi": "Độ phủ", "en": "Coverage"},
    "stemmap_cov_districts": {"vi": "Huyện/TP có Lab", "en": "Districts with lab"},
    "stemmap_cov_schools": {"vi": "Trường có Lab", "en": "Lab schools"},
    "stemmap_cov_placed": {"vi": "Đã lên bản đồ", "en": "On the map"},
    "stemmap_cov_without": {"vi": "Huyện/TP chưa có: {x}", "en": "Districts without: {x}"},
    "stemmap_cov_all": {"vi": "Mọi huyện/thành phố đều có ít nhất một trường.",
                        "en": "Every district has at least one school."},
    "stemmap_cov_missing_levels": {"vi": "Huyện/TP thiếu cấp học: {x}", "en": "Districts missing a level: {x}"},
    "stemmap_cov_all_levels": {"vi": "Mọi huyện/thành phố đều có đủ TH, THCS và THPT.",
                               "en": "Every district has a primary, a lower secondary and an upper secondary "
                                     "school."},
    "stemmap_districts_with": {"vi": "Huyện có", "en": "Districts with"},
    "stemmap_districts_without": {"vi": "Huyện chưa có", "en": "Districts without"},
    "stemmap_schools_n": {"vi": "Số trường", "en": "Schools"},
    "stemmap_total": {"vi": "Tổng", "en": "Total"},
    "stemmap_district_unknown": {"vi": "Không rõ huyện", "en": "District unknown"},
    "stemmap_unplaced": {"vi": "Trường chưa đặt được trên bản đồ", "en": "Schools that could not be placed"},
    "stemmap_all_placed": {"vi": "Mọi trường đều đã được đặt trên bản đồ.", "en": "Every school is on the map."},
    "stemmap_placement_rule": {"vi": "Cách đặt vị trí: tên xã lấy từ tên trường, so khớp trong huyện của trường "
                                     "(quy tắc chi tiết trong tài liệu kỹ thuật của dữ liệu).",
                               "en": "Placement: the commune is taken from the school name and matched within "
                                     "the school's district (detailed rules in the data's technical notes)."},
    "stemmap_schools_in_district": {"vi": "{n} trường có phòng STEM Lab", "en": "{n} STEM-lab schools"},
    "stemmap_details": {"vi": "Chi tiết", "en": "Details"},
    "stemmap_placement": {"vi": "Cách đặt", "en": "How placed"},
})


_RAW_REFS = re.compile(r"\s*\[\d+\]|\s*\([\w./-]+\.(?:csv|md|json)\)")


def placement_note(note: Any, lang: str = "vi") -> str | None:
    """The build's placement note (Vietnamese, with commune codes and the centroid file's name) as a reader sees
    it: in Vietnamese without the codes and file names ('… khớp duy nhất Xã Tân Hội trong Thành phố Hồng Ngự;
    đặt tại tâm xã.'); in English None (the location and reason rows say the same in English)."""
    if lang != "vi" or _missing(note) or not str(note).strip():
        return None
    return _RAW_REFS.sub("", str(note)).strip()


def online_basemap_allowed(value: bool | None = None) -> bool:
    """The argument when given, else DASHBOARD_ONLINE_BASEMAP (1/true/yes/on); off by default."""
    if value is not None:
        return bool(value)
    return os.environ.get(ONLINE_BASEMAP_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (v is pd.NA) or (v is pd.NaT)


def precision_label(precision: Any, lang: str = "vi") -> str:
    if precision == "commune":
        return t("stemmap_prec_commune", lang)
    if precision == "district":
        return t("stemmap_prec_district", lang)
    return t("stemmap_prec_none", lang)


def investment_label(amount: Any, lang: str = "vi") -> str:
    """'500 triệu đồng — phân bổ đều (tính toán)'; the amount is always a derived even split."""
    if _missing(amount):
        return t("stemmap_invest_none", lang)
    return t("stemmap_invest_value", lang).format(x=fmt_number(float(amount), lang=lang))


# Tooltips. Streamlit (1.67, pinned) fills an HTML tooltip template from the hovered object's fields and
# HTML-escapes every value it inserts. So the template below holds only fixed markup and placeholders, and the
# rows hold plain text: each text is escaped exactly once (pre-escaping here would show '&amp;' on screen for
# 'TH&THCS An Lộc'). tests/test_map.py renders the template the way the frontend does and checks that the
# installed frontend still escapes. Empty lines are empty <div>s, which take no space.
TOOLTIP_FIELDS = ("tt_title", "tt_1", "tt_2", "tt_3", "tt_4", "tt_5")
TOOLTIP_HTML = ("<div style='font-weight:700;margin-bottom:2px'>{tt_title}</div>"
                + "".join(f"<div>{{{f}}}</div>" for f in TOOLTIP_FIELDS[1:]))
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def render_tooltip(obj: dict[str, Any], template: str = TOOLTIP_HTML) -> str:
    """The tooltip HTML as Streamlit's frontend builds it: each {field} replaced by the escaped value
    (taken from the object or, for GeoJSON features, from its properties)."""
    props = obj.get("properties") if isinstance(obj.get("properties"), dict) else {}
    for ph in re.findall(r"{(.*?)}", template):
        if ph in obj:
            value = obj[ph]
        elif ph in props:
            value = props[ph]
        else:
            continue
        template = template.replace("{" + ph + "}", "".join(_ESCAPES.get(ch, ch) for ch in str(value)), 1)
    return template


def _text(v: Any) -> str:
    return "–" if _missing(v) or str(v) == "" else str(v)


def school_tooltip(row: dict[str, Any], lang: str = "vi") -> dict[str, str]:
    """Tooltip fields of one school, as plain text (the frontend escapes them): name, then one line each for
    level, district, commune, investment (derived, labelled) and location precision."""
    return {
        "tt_title": _text(row.get("name")),
        "tt_1": f"{t('level', lang)}: {level_name(str(row.get('level') or ''), lang)}",
        "tt_2": f"{t('stemmap_district', lang)}: {_text(row.get('district_name'))}",
        "tt_3": f"{t('stemmap_commune', lang)}: {_text(row.get('commune_name'))}",
        "tt_4": f"{t('stemmap_investment', lang)}: {investment_label(row.get('investment_million_vnd'), lang)}",
        "tt_5": f"{t('stemmap_location', lang)}: {precision_label(row.get('location_precision'), lang)}",
    }


def _zoom_for(box: tuple[float, float, float, float], width_px: int, height_px: int) -> tuple[float, float, float]:
    """Centre (lon, lat) and zoom that fit a bounding box into a width x height viewport (Web Mercator;
    deck.gl's world is 512 px wide at zoom 0)."""
    x0, y0, x1, y1 = box
    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    dx = max(x1 - x0, 1e-4)
    dy = max(merc(y1) - merc(y0), 1e-6)
    zx = math.log2(0.92 * width_px * 360 / (512 * dx))
    zy = math.log2(0.92 * height_px * 2 * math.pi / (512 * dy))
    yc = math.degrees(math.atan(math.sinh((merc(y0) + merc(y1)) / 2)))
    return (x0 + x1) / 2, yc, max(1.0, min(zx, zy, 12.0))


def view_state(districts: pd.DataFrame, selected: Sequence[str] = (), *, width_px: int = 560,
               height_px: int = 560) -> pdk.ViewState:
    """The view that fits the selected districts, or all of them when none is selected."""
    rows = districts[districts["code"].isin(selected)] if len(selected) else districts
    box = geo.bbox(rows["geometry"]) if not rows.empty else None
    if box is None:
        return pdk.ViewState(latitude=16.0, longitude=106.0, zoom=4.5)
    lon, lat, zoom = _zoom_for(box, width_px, height_px)
    return pdk.ViewState(longitude=round(lon, 5), latitude=round(lat, 5), zoom=round(zoom, 2), pitch=0, bearing=0)


def district_features(districts: pd.DataFrame, selected: Sequence[str] = (), counts: dict[str, int] | None = None,
                      lang: str = "vi") -> dict[str, Any]:
    """GeoJSON FeatureCollection of the district polygons, with colours and tooltip fields per feature."""
    selected = set(selected)
    feats = []
    for r in districts.itertuples(index=False):
        if _missing(r.geometry) or not r.geometry:
            continue
        is_sel = r.code in selected
        fill = DISTRICT_FILL_SELECTED if is_sel else (DISTRICT_FILL_DIM if selected else DISTRICT_FILL)
        n = (counts or {}).get(r.code, 0)
        tip = {f: "" for f in TOOLTIP_FIELDS} | {"tt_title": _text(r.fullname),
                                                  "tt_1": t("stemmap_schools_in_district", lang).format(n=n)}
        feats.append({"type": "Feature", "geometry": _geometry(r.geometry),
                      "properties": {"code": r.code, "name": r.fullname, "selected": is_sel, "fill": fill,
                                     "line": DISTRICT_LINE_SELECTED if is_sel else DISTRICT_LINE,
                                     "line_width": 3 if is_sel else 1, **tip}})
    return {"type": "FeatureCollection", "features": feats}


def _geometry(g: Any) -> dict:
    return json.loads(g) if isinstance(g, str) else g


_TYPE_ABBR = {"Thành phố": "TP", "Thị xã": "TX", "Huyện": "H.", "Quận": "Q."}
# English: the kind after the name, as English maps write it ("Cao Lãnh city", "Cao Lãnh dist.")
_TYPE_EN = {"Thành phố": "city", "Thị xã": "town", "Huyện": "dist.", "Quận": "urban dist."}


def short_name(fullname: str, name: str, unit_type: str | None = None, lang: str = "vi") -> str:
    """'Thành phố Cao Lãnh' -> 'TP Cao Lãnh', 'Huyện Cao Lãnh' -> 'H. Cao Lãnh' (two districts share each name);
    in English 'Cao Lãnh city', 'Cao Lãnh dist.' (the name itself stays as written)."""
    kind = unit_type or (fullname[: len(fullname) - len(name)].strip() if fullname.endswith(name) else "")
    if lang == "en":
        return f"{name} {_TYPE_EN.get(kind, '')}".strip()
    abbr = _TYPE_ABBR.get(kind, "")
    return f"{abbr} {name}".strip()


def _project(lon: float, lat: float, view: pdk.ViewState, width_px: int, height_px: int) -> tuple[float, float]:
    """Screen pixel of a point in the initial view (Web Mercator, 512 px world at zoom 0)."""
    scale = 512 * 2 ** view.zoom
    def merc(y: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(y) / 2))
    x = (lon - view.longitude) / 360 * scale + width_px / 2
    y = -(merc(lat) - merc(view.latitude)) / (2 * math.pi) * scale + height_px / 2
    return x, y


_LABEL_OFFSETS = [(0, -14), (0, 24), (0, -30), (0, 40), (-40, -14), (40, -14)]


def district_labels(districts: pd.DataFrame, selected: Sequence[str] = (), *, view: pdk.ViewState | None = None,
                    obstacles: Sequence[tuple[float, float]] = (), width_px: int = 560,
                    height_px: int = 560, lang: str = "vi") -> list[dict[str, Any]]:
    """One label per district ('TP Cao Lãnh', 'H. Cao Lãnh') at a point inside its polygon, nudged at the
    initial view so that labels do not cover each other or the school points (lon, lat) in `obstacles`."""
    placed: list[tuple[float, float, float, float]] = []
    pts = [_project(x, y, view, width_px, height_px) for x, y in obstacles] if view else []
    out = []
    for r in districts.itertuples(index=False):
        p = geo.representative_point(r.geometry) if not _missing(r.geometry) else None
        if not p:
            continue
        label = short_name(r.fullname, r.name, getattr(r, "unit_type", None), lang)
        offset = _LABEL_OFFSETS[0]
        if view is not None:
            cx, cy = _project(p[0], p[1], view, width_px, height_px)
            w, h = 6.8 * len(label) + 8, 16
            for dx, dy in _LABEL_OFFSETS:
                box = (cx + dx - w / 2, cy + dy - h, cx + dx + w / 2, cy + dy)  # anchored at the bottom middle
                hits_label = any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed)
                hits_point = any(box[0] - 7 < x < box[2] + 7 and box[1] - 7 < y < box[3] + 7 for x, y in pts)
                if not hits_label and not hits_point:
                    offset = (dx, dy)
                    break
            dx, dy = offset
            placed.append((cx + dx - w / 2, cy + dy - h, cx + dx + w / 2, cy + dy))
        out.append({"name": label, "lon": round(p[0], 5), "lat": round(p[1], 5), "offset": list(offset)})
    return out


def _spread(points: list[dict[str, Any]], geometries: dict[str, Any]) -> None:
    """Draw schools that share one stored point on a small ring around it (display only, stays inside the
    district polygon; the radius shrinks until it does)."""
    groups: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for p in points:
        groups.setdefault((p["lat"], p["lon"]), []).append(p)
    for (lat, lon), grp in groups.items():
        if len(grp) < 2:
            continue
        for k, p in enumerate(grp):
            ang = 2 * math.pi * k / len(grp) + math.pi / 2
            r = SPREAD_DEG
            while r > 1e-4:
                x = lon + r * math.cos(ang) / math.cos(math.radians(lat))
                y = lat + r * math.sin(ang)
                g = geometries.get(p.get("district_code"))
                if g is None or geo.point_in_geometry(x, y, g):
                    break
                r /= 2
            p["lon"], p["lat"] = round(x, 6), round(y, 6)


def school_points(schools: pd.DataFrame, districts: pd.DataFrame | None = None, lang: str = "vi",
                  selected_school: str | None = None) -> list[dict[str, Any]]:
    """Layer rows for the placed schools: position (spread when shared), colours, radius and tooltip."""
    geoms = dict(zip(districts["code"], districts["geometry"])) if districts is not None else {}
    pts = []
    for row in schools.to_dict("records"):
        if _missing(row.get("lat")) or _missing(row.get("lon")):
            continue
        colour = LEVEL_COLOURS.get(str(row.get("level")), OTHER_COLOUR)
        approx = row.get("location_precision") != "commune"
        chosen = selected_school is not None and row.get("code") == selected_school
        pts.append({
            "code": row.get("code"), "name": str(row.get("name") or ""), "level": row.get("level"),
            "district_code": row.get("district_code"), "lat": float(row["lat"]), "lon": float(row["lon"]),
            "stored_lat": float(row["lat"]), "stored_lon": float(row["lon"]),
            "location_precision": row.get("location_precision"),
            "fill": ([255, 255, 255, 255] if approx else colour + [235]),
            "line": ([20, 20, 20, 255] if chosen else colour + [255]) if approx else
                    ([20, 20, 20, 255] if chosen else [255, 255, 255, 255]),
            "line_width": 3.5 if approx else (2.5 if chosen else 1.5),
            "radius": POINT_RADIUS_PX + (4 if chosen else 0),
            **school_tooltip(row, lang),
        })
    _spread(pts, geoms)
    return pts


def legend(lang: str = "vi") -> list[dict[str, str]]:
    """Legend entries (label, css colour, kind) for the page to draw beside the map."""
    items = [{"label": level_name(lv, lang), "colour": "#%02x%02x%02x" % tuple(c), "kind": "level"}
             for lv, c in LEVEL_COLOURS.items()]
    items.append({"label": t("stemmap_legend_commune", lang), "colour": "#52606d", "kind": "filled"})
    items.append({"label": t("stemmap_legend_district", lang), "colour": "#52606d", "kind": "ring"})
    items.append({"label": t("stemmap_legend_selected", lang), "colour": "#%02x%02x%02x" %
                  tuple(DISTRICT_FILL_SELECTED[:3]), "kind": "area"})
    return items


def legend_html(lang: str = "vi") -> str:
    """The legend as small HTML (labels escaped)."""
    parts = []
    for it in legend(lang):
        c = it["colour"]
        if it["kind"] == "ring":
            sw = f"<span style='display:inline-block;width:12px;height:12px;border-radius:50%;border:3px solid {c};background:#fff'></span>"
        elif it["kind"] == "area":
            sw = f"<span style='display:inline-block;width:16px;height:12px;background:{c};border:2px solid #b06000'></span>"
        else:
            sw = f"<span style='display:inline-block;width:12px;height:12px;border-radius:50%;background:{c}'></span>"
        parts.append(f"<span style='margin-right:14px;white-space:nowrap'>{sw} {html.escape(it['label'])}</span>")
    return "<div style='font-size:0.85rem;line-height:1.9'>" + "".join(parts) + "</div>"


# District names are small images drawn here (Pillow), shown by an IconLayer. deck.gl's TextLayer (9.x, in
# Streamlit 1.67) cannot be used: its font atlas keeps a glyph's width (right - left edge) from the glyph's origin,
# so every glyph that reaches left of its origin loses that part: 'J' becomes '|' ("Cư Jút" read "Cư |út" in every
# sans-serif font), the tilde of 'ĩ' ("Gia Nghĩa") and the grave of 'ì' ("Bình") are cut. Its SDF mode places the
# Vietnamese marks wrongly. The images use the typeface the app's text uses (Source Sans, bundled with Streamlit;
# a system font only if that file is missing) and are drawn at twice the size for sharp labels on dense screens.
LABEL_PX = 12  # type size on screen, px
LABEL_SCALE = 2  # image pixels per screen pixel
LABEL_PAD = (3, 1)  # background padding left/right, top/bottom, screen px
LABEL_COLOUR = (60, 70, 82, 255)
LABEL_BACKGROUND = (255, 255, 255, 170)
_FALLBACK_FONTS = ("NotoSans-Regular.ttf", "DejaVuSans.ttf")


@functools.lru_cache(maxsize=1)
def label_font_file() -> str:
    """Streamlit's own Source Sans (the app's typeface; covers Vietnamese), else a common system font."""
    import streamlit  # noqa: PLC0415

    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    for found in sorted(media.glob("SourceSansVF-Upright*.woff2")):
        return str(found)
    for name in _FALLBACK_FONTS:
        for folder in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path("C:/Windows/Fonts")):
            hit = next(folder.rglob(name), None) if folder.is_dir() else None
            if hit:
                return str(hit)
    return _FALLBACK_FONTS[-1]  # Pillow searches its own font path


LABEL_WEIGHT = 500  # Source Sans is a variable font whose default instance is ExtraLight (200)


@functools.lru_cache(maxsize=2)
def _label_font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(label_font_file(), size)
    try:
        font.set_variation_by_axes([LABEL_WEIGHT])
    except OSError:  # a static (not variable) fallback font: its own weight
        pass
    return font


def label_image(text: str) -> Image.Image:
    """One label as an RGBA image (LABEL_SCALE times the screen size): the text on a light translucent box; the
    box spans the text's whole ink (left overhangs included) and the font's full ascent and descent."""
    font = _label_font(LABEL_PX * LABEL_SCALE)
    left, _, right, _ = font.getbbox(text, anchor="ls")
    ascent, descent = font.getmetrics()
    px, py = LABEL_PAD[0] * LABEL_SCALE, LABEL_PAD[1] * LABEL_SCALE
    img = Image.new("RGBA", (int(right - left) + 2 * px, ascent + descent + 2 * py), LABEL_BACKGROUND)
    ImageDraw.Draw(img).text((px - left, py + ascent), text, font=font, fill=LABEL_COLOUR, anchor="ls")
    return img


@functools.lru_cache(maxsize=4096)
def label_icon(text: str) -> dict[str, Any]:
    """The IconLayer icon of one label: a PNG data URL, its size, anchored at the bottom middle."""
    img = label_image(text)
    buf = io.BytesIO()
    # 64 colours keep the anti-aliased edges and make the PNG about a third of its RGBA size (the deck's JSON)
    img.quantize(64, method=Image.Quantize.FASTOCTREE).save(buf, "PNG", optimize=True)
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return {"url": url, "width": img.width, "height": img.height, "anchorX": img.width / 2, "anchorY": img.height}


def district_label_layer(labels: list[dict[str, Any]], layer_id: str = "district-labels") -> pdk.Layer:
    """The district names (rows of district_labels) as an IconLayer: each label's image at its point, anchored at the
    bottom middle and nudged by its pixel offset, at LABEL_PX type size whatever the zoom."""
    rows = [{**lab, "icon": label_icon(lab["name"])} for lab in labels]
    height = rows[0]["icon"]["height"] / LABEL_SCALE if rows else LABEL_PX
    return pdk.Layer("IconLayer", id=layer_id, data=rows, get_position="[lon, lat]", get_icon="icon",
                     get_size=height, size_units="'pixels'", get_pixel_offset="offset", pickable=False)


def build_map(districts: pd.DataFrame, schools: pd.DataFrame, *, selected_districts: Iterable[str] = (),
              selected_school: str | None = None, lang: str = "vi", online_basemap: bool | None = None,
              height_px: int = 560, width_px: int = 560, outlines: pd.DataFrame | None = None) -> pdk.Deck:
    """The STEM map: district polygons (base layer, selected ones highlighted), district names, school points.

    `districts`: code, name, fullname, geometry (GeoJSON text); `schools`: rows of queries.stem_schools.
    Works offline (no basemap, no token) unless `online_basemap` (or DASHBOARD_ONLINE_BASEMAP) allows one.
    `outlines` (units.queries.province_outlines: the current geography) adds the current province's outline and
    its former provinces under the districts, and the view fits the current province.
    The view (centre, zoom) and the labels' nudging are fitted to a deck of width_px x height_px screen pixels.
    """
    selected = [c for c in selected_districts if c in set(districts["code"])]
    counts = schools.groupby("district_code").size().to_dict() if not schools.empty else {}
    has_outlines = outlines is not None and not outlines.empty
    view = view_state(outlines if has_outlines and not selected else districts, selected, width_px=width_px,
                      height_px=height_px)
    points = school_points(schools, districts, lang, selected_school)
    labels = district_labels(districts, selected, view=view, obstacles=[(p["lon"], p["lat"]) for p in points],
                             width_px=width_px, height_px=height_px, lang=lang)
    layers = [
        *([pdk.Layer("GeoJsonLayer", id="province-outlines", data=outline_features(outlines, lang), stroked=True,
                     filled=True, pickable=True, get_fill_color="properties.fill", get_line_color="properties.line",
                     get_line_width="properties.line_width", line_width_units="'pixels'", line_width_min_pixels=1)]
          if has_outlines else []),
        pdk.Layer("GeoJsonLayer", id="districts", data=district_features(districts, selected, counts, lang),
                  stroked=True, filled=True, pickable=True, auto_highlight=False,
                  get_fill_color="properties.fill", get_line_color="properties.line",
                  get_line_width="properties.line_width", line_width_units="'pixels'", line_width_min_pixels=1),
        district_label_layer(labels),
        pdk.Layer("ScatterplotLayer", id="schools", data=points,
                  get_position="[lon, lat]", get_fill_color="fill", get_line_color="line",
                  get_line_width="line_width", get_radius="radius", radius_units="'pixels'",
                  line_width_units="'pixels'", stroked=True, filled=True, pickable=True, auto_highlight=True),
    ]
    online = online_basemap_allowed(online_basemap)
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_provider="carto" if online else None,
        map_style=ONLINE_STYLE if online else NO_BASEMAP,
        tooltip={"html": TOOLTIP_HTML, "style": {"backgroundColor": "#ffffff", "color": "#1f2933",
                                                "fontSize": "13px", "border": "1px solid #cbd2d9",
                                                "padding": "6px 8px", "maxWidth": "320px"}},
        height=height_px,
    )


def layer_data(deck: pdk.Deck, layer_id: str) -> Any:
    """The data of one layer of a deck (for tests and checks)."""
    for layer in deck.layers:
        if getattr(layer, "id", None) == layer_id:
            return layer.data
    raise KeyError(layer_id)


# The size of the deck as drawn. A deck's view (centre, zoom) is fixed when it is built, and on a meeting slide
# the deck is as large as the screen allows (CSS of dashboard.uikit.meeting), which only the browser knows. This
# small component (Streamlit components v2, in the page itself: no frame, no file) watches the deck element
# that `selector` finds and reports its size in CSS pixels whenever it changes by more than a few pixels; the
# page then fits the view to it on the rerun that report starts.
_PROBE_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  const known = data.known || [0, 0];
  let el = null, timer = null, tries = 0, observer = null, last = known;
  const report = () => {
    const r = el.getBoundingClientRect(), w = Math.round(r.width), h = Math.round(r.height);
    if (w < 80 || h < 80 || (Math.abs(w - last[0]) <= 4 && Math.abs(h - last[1]) <= 4)) return;
    last = [w, h];
    setStateValue("size", [w, h]);
  };
  const find = () => {
    el = document.querySelector(data.selector);
    if (!el) { if (tries++ < 300) timer = setTimeout(find, 50); return; }
    observer = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(report, 120); });
    observer.observe(el);
  };
  find();
  return () => { clearTimeout(timer); if (observer) observer.disconnect(); };
}
"""


@functools.lru_cache(maxsize=1)
def _size_probe():
    import streamlit as st  # noqa: PLC0415 - only the page's size probe needs Streamlit

    return st.components.v2.component("edu_deck_size_probe", js=_PROBE_JS)


def deck_size(selector: str, known: tuple[int, int] | None, *, key: str) -> tuple[int, int] | None:
    """The size (width, height in CSS px) of the element `selector` finds, as the browser last reported it;
    None until it has. `known`: the size the page already fits to (not reported again)."""
    result = _size_probe()(key=key, data={"selector": selector, "known": list(known or (0, 0))},
                           on_size_change=lambda: None, height=0)
    size = getattr(result, "size", None)
    if isinstance(size, (list, tuple)) and len(size) == 2 and all(isinstance(v, (int, float)) for v in size):
        return int(size[0]), int(size[1])
    return None
