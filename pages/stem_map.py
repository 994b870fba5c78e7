"""Bản đồ STEM: the STEM-lab schools on district boundaries (offline), a district filter, school details,
counts per district and level, derived investment, coverage, unplaced schools, boundary attribution."""
import pandas as pd
import streamlit as st

from dashboard import maps, tables, ui
from dashboard.i18n import fmt_number, level_name, register, t
from dashboard.intake_ui import dx_view
from dashboard.markup import html_text, md, section_label
from dashboard.units import queries as units_q
from dashboard.units import view as units_view
from dashboard.units.geomap import GEOGRAPHIES, geography_label

register({
    "stemmap_cov_lab_schools": {"vi": "Trường có phòng STEM Lab", "en": "Schools with a STEM lab"},
    "stemmap_count_total": {"vi": "{n} trường có phòng STEM Lab:", "en": "{n} schools with a STEM lab:"},
    "stemmap_count_plan": {"vi": "{n} phòng STEM Lab của kế hoạch ({src})", "en": "the {n} STEM labs of the plan ({src})"},
    "stemmap_count_other": {"vi": "thêm {name} ({src}: “{quote}”)", "en": "and {name} ({src})"},  # the quote is Vietnamese
    "stemmap_invest_col": {"vi": "Kinh phí (triệu đồng, tính toán)", "en": "Investment (million VND, derived)"},
    "stemmap_slide_source": {"vi": "Nguồn: {src}. Ranh giới: censusVN2009 (MIT). Vị trí trường là xấp xỉ.",
                             "en": "Sources: {src}. Boundaries: censusVN2009 (MIT). School positions are approximate."},
})
SLIDE_DECK = ".st-key-edu-slide-stem-map [data-testid='stDeckGlJsonChart']"
SLIDE_GUESS = (940, 520)  # a 1024×768 slide: the first draw before the browser reports the deck's real size


def count_sentence(schools: pd.DataFrame, lg: str) -> str:
    """'37 trường có phòng STEM Lab: 36 phòng STEM Lab của kế hoạch (…, Phụ lục IV); thêm THPT Đỗ Công Tường (…)':
    the labs a plan equips (rows with the plan's investment) and the other schools the documents name, each with
    its source, so the 36 and the 37 on this page are never read as one count."""
    plan = schools[schools["investment_schools"].notna()]
    other = schools[schools["investment_schools"].isna()]
    parts = []
    for (title, _), g in plan.groupby(["source_title", "investment_section"], sort=False, dropna=False):
        section = section_label(str(g["section"].iloc[0]).split(",")[0], lg)
        parts.append(t("stemmap_count_plan", lg).format(n=len(g), src=md(f"{title}, {section}")))
    parts += [t("stemmap_count_other", lg).format(name=md(r["name"]),
                                                  src=md(f"{r['source_title']}, {section_label(r['section'], lg)}"),
                                                  quote=md(r["quote"] or "")) for _, r in other.iterrows()]
    return f"{t('stemmap_count_total', lg).format(n=len(schools))} {'; '.join(parts)}."


def slide_sources(schools: pd.DataFrame, lg: str) -> str:
    """The meeting slide's source line: each document once with the parts of it the schools come from."""
    parts: dict[str, list[str]] = {}
    for title, section in zip(schools["source_title"], schools["section"]):
        part = section_label(str(section).split(",")[0], lg)
        if part not in parts.setdefault(str(title), []):
            parts[str(title)].append(part)
    return t("stemmap_slide_source", lg).format(src="; ".join(f"{k}, {', '.join(v)}" for k, v in parts.items()) or "–")


f = ui.filters()
lg = f.lang
province_name = ui.province_name(f.province)
units_view.page_title(t("stemmap_title", lg), f)  # names the chosen unit; a province from 7/2025: whose figures
st.caption(t("stemmap_intro", lg))
layer = ui.choice(st.segmented_control, t("ik_map_layer", lg), ["stem", "dx4725"], default="stem", key="map_layer",
                  labels=lambda k, lng: t("ik_map_stem" if k == "stem" else "ik_map_dx", lng), lang=lg, required=True)
if layer == "dx4725":  # every school with coordinates, coloured by its Decision 4725 level
    dx_view.map_section(f.province, lg)
    ui.end_page()

# Boundaries before or from 1 July 2025: the current province's outline (dissolved from its former provinces)
# with the former provinces and districts inside it.
geography = ui.choice(st.segmented_control, t("units_geography", lg), list(GEOGRAPHIES), default="former", key="geo",
                      labels=geography_label, lang=lg, required=True)  # the code in the URL (uikit.links)
current_code = ui.query(units_q.current_of, f.province) if geography == "current" else None
outlines = ui.query(units_q.province_outlines, current_code) if current_code else None
if outlines is not None and not outlines.empty:
    st.caption(t("units_map_current_note", lg).format(
        current=md(outlines.loc[outlines["kind"] == "current", "name"].iloc[0]), province=md(province_name)))
districts = ui.query("map_districts", f.province)
all_schools = ui.query("stem_schools", f.province, lang=lg)
names = dict(zip(districts["code"], districts["fullname"]))

if all_schools.empty:
    st.info(t("stemmap_none", lg).format(p=md(province_name)))

# Starts from the sidebar's district filter (when there is one) and can be refined here.
sidebar = [c for c in getattr(f, "districts", ()) if c in names]
chosen = ui.choice(st.multiselect, t("stemmap_districts", lg), list(names), default=sidebar, labels=names, lang=lg,
                   key=f"stemmap_districts_{f.province}_{'-'.join(sidebar)}", param="map_district",
                   placeholder=t("stemmap_districts_all", lg), select_all=False)
levels = [lv for lv in f.levels if lv in maps.LEVEL_COLOURS]
shown = ui.query("stem_schools", f.province, districts=chosen, levels=levels, lang=lg)

school_key = f"stemmap_school_{f.province}_{'-'.join(sorted(chosen))}_{'-'.join(levels)}"
codes = shown["code"].tolist()
school_names = dict(zip(shown["code"], shown["name"]))


def _pick_from_map() -> None:
    """A click on a school point selects it in the school box."""
    event = st.session_state.get("stem_map")
    objs = ((event or {}).get("selection") or {}).get("objects") or {}
    picked = [o.get("code") for o in objs.get("schools", []) if isinstance(o, dict)]
    if picked and picked[0] in codes:
        st.session_state[school_key] = picked[0]


selected_school = st.session_state.get(school_key)

if ui.meeting():  # one slide: the map as large as the screen allows, its legend and sources (no tables or lists)
    if ui.show_slide():
        # The slide's CSS (uikit.meeting) stretches the deck over the slide; its view is fitted to the size the
        # browser reports (first draw: a 1024×768 slide's), so every placed school shows at any screen size.
        known = st.session_state.get("_stem_slide_px")
        size = maps.deck_size(SLIDE_DECK, known, key="stem_map_px") or known
        st.session_state["_stem_slide_px"] = size
        w, h = size or SLIDE_GUESS
        with st.container(key="edu-slide-stem-map"):
            st.pydeck_chart(maps.build_map(districts, shown, selected_districts=chosen, lang=lg, outlines=outlines,
                                           width_px=w, height_px=h), key="stem_map", height=h)
            st.markdown(f"<div class='edu-stem-slide-foot' data-fit='{w}x{h}'>{maps.legend_html(lg)}"
                        f"<div style='font-size:min(0.7rem,1.9vh);color:#52606d'>{html_text(slide_sources(shown, lg))}</div>"
                        "</div>", unsafe_allow_html=True)
        st.html("<style>.st-key-stem_map_px{display:none}</style>")
    ui.end_page()

deck = maps.build_map(districts, shown, selected_districts=chosen, selected_school=selected_school, lang=lg,
                      outlines=outlines)

# The map and the side panel side by side where the map gets the ~560 px its view is fitted for (1400 px windows);
# on a narrower page (1024 px with the sidebar) the panel wraps below the map, so neither is cut.
st.markdown("<style>[data-testid='stHorizontalBlock']:has(.st-key-stemmap-map-col){flex-wrap:wrap}"
            "[data-testid='stHorizontalBlock']:has(.st-key-stemmap-map-col)>[data-testid='stColumn']"
            "{flex-grow:1;min-width:min(100%,320px)}"
            "[data-testid='stColumn']:has(.st-key-stemmap-map-col){min-width:min(100%,540px)}"
            # a coverage figure's label wraps in a narrow panel instead of ending in '…'
            ".st-key-stemmap-coverage [data-testid='stMetricLabel'] *{white-space:normal;overflow:visible;"
            "text-overflow:clip}.st-key-stemmap-coverage [data-testid='stMetric']{max-width:100%}</style>",
            unsafe_allow_html=True)
col_map, col_side = st.columns([3, 2], gap="medium")
with col_map, st.container(key="stemmap-map-col"):
    st.pydeck_chart(deck, key="stem_map", on_select=_pick_from_map, selection_mode="single-object", height=560)
    st.markdown(maps.legend_html(lg), unsafe_allow_html=True)
    st.caption(" ".join([t("stemmap_attribution", lg),
                         t("stemmap_basemap_on" if maps.online_basemap_allowed() else "stemmap_basemap_off", lg),
                         t("stemmap_spread_note", lg)]))

with col_side, st.container(key="stemmap-side-col"):
    if not shown.empty:
        code = ui.choice(st.selectbox, t("stemmap_school", lg), codes, allow_empty=True, key=school_key, param="school",
                         labels=school_names, lang=lg, placeholder=t("stemmap_school_placeholder", lg))
        if code:
            r = shown[shown["code"] == code].iloc[0]
            rows = [
                (t("level", lg), level_name(r["level"], lg) + (f" ({r['level_printed']})" if r["level_printed"]
                                                and r["level_printed"] != level_name(r["level"], "vi") else "")),
                (t("stemmap_district", lg), r["district_name"] or t("stemmap_district_unknown", lg)),
                (t("stemmap_commune", lg), r["commune_name"] if isinstance(r["commune_name"], str) else "–"),
                (t("stemmap_location", lg), maps.precision_label(r["location_precision"], lg)),
                (t("stemmap_year", lg), str(int(r["stem_year"])) if pd.notna(r["stem_year"]) else "–"),
                (t("stemmap_investment", lg), maps.investment_label(r["investment_million_vnd"], lg)),
                (t("source", lg), f"{r['source_title']}, {section_label(r['section'], lg)}"),
            ]
            note = maps.placement_note(r["placement_note"], lg)  # Vietnamese only (the rows above say it in English)
            rows += [(t("stemmap_placement", lg), note)] if note else []
            st.markdown("<div class='edu-card'><div class='edu-card-title'>" + html_text(r["name"]) + "</div>"
                        + "".join(f"<div class='edu-card-meta'><b>{html_text(k)}</b>: {html_text(str(v))}</div>"
                                  for k, v in rows)
                        + (f"<div class='edu-card-source'>{html_text(t('quote', lg))}: “{html_text(r['quote'])}”</div>"
                           if r["quote"] else "") + "</div>", unsafe_allow_html=True)
    elif not all_schools.empty:
        st.info(t("stemmap_none_in_filter", lg))

    by_district = ui.query("stem_by_district", f.province)
    known = by_district[by_district["district_code"].notna()]
    if not all_schools.empty:
        st.markdown(f"**{t('stemmap_coverage', lg)}**")
        with_lab = int((known["schools"] > 0).sum())
        with st.container(horizontal=True, key="stemmap-coverage"):  # each figure whole; they wrap when narrow
            st.metric(t("stemmap_cov_districts", lg), f"{with_lab}/{len(known)}", width="content")
            st.metric(t("stemmap_cov_lab_schools", lg), fmt_number(int(by_district["schools"].sum()), lang=lg),
                      width="content")
            st.metric(t("stemmap_cov_placed", lg),
                      f"{int(by_district['placed'].sum())}/{int(by_district['schools'].sum())}", width="content")
        st.caption(count_sentence(all_schools, lg))  # which count means what, with the source of each
        without = known.loc[known["schools"] == 0, "district_name"].tolist()
        st.caption(t("stemmap_cov_without", lg).format(x=", ".join(md(x) for x in without)) if without
                   else t("stemmap_cov_all", lg))
        missing = [f"{md(r.district_name)} ({', '.join(level_name(lv, lg) for lv, n in (('TH', r.th), ('THCS', r.thcs), ('THPT', r.thpt)) if n == 0)})"
                   for r in known.itertuples() if min(r.th, r.thcs, r.thpt) == 0 and r.schools > 0]
        st.caption(t("stemmap_cov_missing_levels", lg).format(x="; ".join(missing)) if missing
                   else t("stemmap_cov_all_levels", lg))

if not all_schools.empty:  # tables at the page's width (the side panel is too narrow for their columns)
    st.subheader(t("stemmap_by_level", lg))
    by_level = ui.query("stem_by_level", f.province)
    tables.show(pd.DataFrame({
        t("level", lg): [level_name(x, lg) for x in by_level["level"]],
        t("stemmap_schools_n", lg): by_level["schools"],
        t("stemmap_districts_with", lg): by_level["districts_with"],
        t("stemmap_districts_without", lg): by_level["districts_total"] - by_level["districts_with"],
    }), hide_index=True, key="stemmap_by_level")
    st.subheader(t("stemmap_by_district", lg))
    inv = all_schools.dropna(subset=["investment_million_vnd"])
    table = pd.DataFrame({
        t("stemmap_district", lg): by_district["district_name"].fillna(t("stemmap_district_unknown", lg)),
        level_name("TH", lg): by_district["th"], level_name("THCS", lg): by_district["thcs"],
        level_name("THPT", lg): by_district["thpt"], t("stemmap_schools_n", lg): by_district["schools"],
        t("stemmap_invest_col", lg): [  # the derivation (an even split) in the note below the table
            fmt_number(v, lang=lg) if pd.notna(v) else "–" for v in by_district["investment_million_vnd"]],
    })
    tables.show(table, weights=[1.6, 1, 1.1, 1.1, 0.8, 2.2], key="stemmap_by_district", lines=1,  # header whole
                height=35 * (len(table) + 1) + 3)
    if not inv.empty:
        r = inv.iloc[0]
        st.caption(t("stemmap_invest_note", lg).format(
            total=fmt_number(r["investment_total_million_vnd"], lang=lg), n=int(r["investment_schools"]),
            section=md(f"{r['source_title']}, {section_label(r['investment_section'], lg)}"),
            each=fmt_number(r["investment_million_vnd"], lang=lg)))

st.subheader(t("stemmap_unplaced", lg))
named = ui.query("stem_schools", f.province, stem_only=False, lang=lg)
unplaced = named[named["lat"].isna()]
if named.empty:  # no STEM-lab data at all: say so, not "every school is placed"
    st.caption(t("stemmap_none", lg).format(p=md(province_name)))
elif unplaced.empty:
    st.caption(t("stemmap_all_placed", lg))
else:
    tables.show(pd.DataFrame({
        t("stemmap_school_name", lg): unplaced["name"],
        t("level", lg): [level_name(x, lg) for x in unplaced["level"]],
        "STEM Lab": ["✓" if x else "–" for x in unplaced["stem_lab"]],
        t("stemmap_reason", lg): [t(f"stemmap_rule_{x}", lg) for x in unplaced["placement_rule"]],
        **({t("note", lg): [maps.placement_note(x, lg) or "" for x in unplaced["placement_note"]]} if lg == "vi" else {}),
        t("source", lg): [f"{a}, {section_label(b, lg)}" for a, b in zip(unplaced["source_title"], unplaced["section"])],
    }), hide_index=True, key="stemmap_unplaced", lines=10)  # a few rows: a long note whole (7 lines at 1024 px)
st.caption(t("stemmap_placement_rule", lg))
