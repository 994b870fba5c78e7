"""Sections of the Decision 4725 page (Streamlit): data label, headline, charts, scores, level checks,
change since last year, school list, the rule and its source. Queries go through ui.query (cached on the
store's data version, so a publish or rollback shows at once)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import tables, ui
from ..i18n import fmt_number, fmt_value, level_name, register, t
from ..intake import audit, dx4725
from ..intake.spec import SCHOOL_LEVELS
from ..markup import md
from ..rollups import _day
from . import dx_figures, dx_queries, strings  # noqa: F401
from .preview_view import school_year_text

register({
    "ik_dx_unplaced": {"vi": "{n} trường không ghi huyện: không thuộc huyện nào trong biểu đồ và bảng theo huyện; "
                             "số liệu toàn tỉnh vẫn tính các trường này.",
                       "en": "{n} schools with no district given: they belong to no district in the chart and the "
                             "table by district; the province figures still count them."},
})


def split_unplaced(dist: pd.DataFrame, lg: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of level_shares(by="district") that are districts, and the group of schools with no district."""
    apart = dist["group"] == dx_queries.NO_DISTRICT["en" if lg == "en" else "vi"]
    return dist[~apart], dist[apart]


def unplaced_note(unplaced: pd.DataFrame, lg: str) -> None:
    """How many schools of the year have no district (listed in the school list below, not drawn as a district)."""
    n = int(unplaced["schools"].sum()) if not unplaced.empty else 0
    if n:
        st.caption(t("ik_dx_unplaced", lg).format(n=fmt_number(n, lang=lg)))


def school_level_name(code: str, lg: str) -> str:
    name = level_name(code, lg)
    if name == code and code in SCHOOL_LEVELS:
        return SCHOOL_LEVELS[code][1 if lg == "en" else 0]
    return name


def data_label(province: str, sy: int, source: str, lg: str) -> str:
    """'Dữ liệu nhập: <file>, phê duyệt <date>' or 'Dữ liệu mô phỏng', for captions and banners."""
    if source != "imported":
        return t("simulated", lg)
    b = ui.query(dx_queries.assessment_batches, province, sy)
    parts = [f"{r.file_name}, {'approved' if lg == 'en' else 'phê duyệt'} {_day(r.approved_at)}"
             for r in b.itertuples()]
    return f"{t('ik_source_imported', lg)}: " + "; ".join(parts)


def banner(source: str, label: str, lg: str) -> None:
    if source == "imported":
        st.info(md(label), icon=":material/verified:")  # file names are data: shown as typed
    else:
        st.warning(t("ik_dx_sim", lg), icon=":material/science:")


def headline(prov: pd.DataFrame, sy: int, lg: str) -> None:
    """Schools and the share at each level, with the change in points since the previous school year."""
    now = prov[prov["school_year"] == sy]
    prev = prov[prov["school_year"] == sy - 1]
    if now.empty:
        return
    r = now.iloc[0]
    cols = st.columns(4)
    cols[0].metric(t("ik_schools_n", lg), fmt_number(int(r["schools"]), lang=lg))
    for n in (1, 2, 3):
        delta, d = None, 0.0
        if not prev.empty:
            d = round(float(r[f"pct_l{n}"]) - float(prev.iloc[0][f"pct_l{n}"]), 1)
            delta = t("ik_pts", lg).format(x=("+" if d > 0 else "") + fmt_number(d, lang=lg))
        cols[n].metric(t("ik_share_l", lg).format(n=n), fmt_value(round(float(r[f"pct_l{n}"]), 1), "pct", lg),
                       delta=delta, delta_color="off" if n != 3 else "normal", delta_arrow="auto" if d else "off",
                       help=f"{fmt_number(int(r[f'l{n}']), lang=lg)}/{fmt_number(int(r['schools']), lang=lg)}")


def shares_chart(df: pd.DataFrame, labels: list[str], key: str, title: str, caption: str, simulated: bool,
                 sy: int, lg: str, horizontal: bool = True, draw: bool = True) -> None:
    """The level shares of `df`'s groups as one chart; `draw=False`: into the page's briefing pack only."""
    fig = dx_figures.level_bars_figure(df, labels, lang=lg, title=title, caption=caption, horizontal=horizontal)
    data = df.assign(label=labels)[["label", "school_year", "schools", "l1", "l2", "l3", "pct_l1", "pct_l2",
                                    "pct_l3"]]
    ui.chart(fig, key, title=title, data=data, sources_text=caption, simulated=simulated,
             as_of=school_year_text(sy), draw=draw)


def published(province: str, lg: str) -> None:
    """Figures printed in the documents (e.g. Đắk Nông 6/191/34 of 231) and any province target."""
    pub = ui.query(dx_queries.published_levels, province)
    tg = ui.query(dx_queries.province_targets, province)
    if pub.empty and tg.empty:
        st.caption(t("ik_dx_no_target", lg))
        return
    if not pub.empty:
        st.subheader(t("ik_dx_published", lg))
        tables.show(pd.DataFrame({
            t("ik_period", lg): pub["period"],
            t("ik_counted", lg): [t("ik_level_n", lg).format(n=str(b)[-1]) for b in pub["breakdown"]],
            "%": [fmt_value(v, "pct", lg) for v in pub["value"]],
            t("ik_printed", lg): [f"{fmt_number(a, lang=lg)}/{fmt_number(b, lang=lg)}" if pd.notna(b) else "–"
                                  for a, b in zip(pub["numerator"], pub["denominator"])],
            t("ik_col_file", lg): pub["source_title"], t("ik_section", lg): pub["section"],
            t("ik_quote", lg): pub["quote"],
        }), hide_index=True, key="dx_published")
    if tg.empty:
        st.caption(t("ik_dx_no_target", lg))
    else:
        st.subheader(t("ik_dx_target", lg))
        tables.show(tg, hide_index=True, key="dx_targets")


def scores(a: pd.DataFrame, caption: str, sy: int, lg: str) -> None:
    st.subheader(t("ik_dx_scores", lg))
    if a.empty:
        st.caption(t("ik_dx_scores_none", lg))
        return
    names = {k: v[lg] for k, v in dx4725.GROUPS.items()}
    fig = dx_figures.scores_figure(a, lang=lg, title=t("ik_dx_scores", lg), caption=caption, group_names=names)
    ui.chart(fig, "diem-hai-nhom", title=t("ik_dx_scores", lg), as_of=school_year_text(sy), sources_text=caption,
             data=a[["school_code", "school_name", "district_name", "score_teaching", "score_management",
                     "computed_level"]])
    if ui.meeting():  # the chart is the slide; the table of means stays off the projector
        return
    means = a.groupby("district_name", dropna=False)[["score_teaching", "score_management"]].mean().reset_index()
    st.markdown(f"**{t('ik_dx_mean_scores', lg)}**")
    tables.show(pd.DataFrame({
        t("district", lg): means["district_name"].fillna("–"),
        names["score_teaching"]: [fmt_number(v, 1, lang=lg) for v in means["score_teaching"]],
        names["score_management"]: [fmt_number(v, 1, lang=lg) for v in means["score_management"]],
    }), hide_index=True, key="dx_mean_scores")


def _lv(v: object) -> str:
    return "–" if v is None or pd.isna(v) else str(int(v))


def level_checks(a: pd.DataFrame, lg: str) -> None:
    """Declared vs verified vs computed: a cross-table and the schools where they differ."""
    st.subheader(t("ik_dx_compare", lg))
    if a.empty:
        st.caption(t("ik_dx_scores_none", lg))
        return
    cols = st.columns(2)
    for col, (field, name) in zip(cols, (("declared_level", "ik_declared"), ("verified_level", "ik_verified"))):
        ct = pd.crosstab(a[field].map(_lv), a["computed_level"].map(_lv))
        ct.index = [f"{t(name, lg)}: {i}" for i in ct.index]
        ct.columns = [f"{t('ik_computed', lg)}: {c}" for c in ct.columns]
        col.dataframe(ct, key=f"dx_crosstab_{field}")
    flagged = a[a["flag_declared"].astype(bool) | a["flag_verified"].astype(bool)]
    if flagged.empty:
        st.success(t("ik_dx_noflag", lg), icon=":material/check_circle:")
        return
    st.warning(t("ik_dx_flagged", lg).format(n=len(flagged)), icon=":material/flag:")
    tables.show(school_table(flagged, lg), hide_index=True, key="dx_flagged")


def school_table(a: pd.DataFrame, lg: str) -> pd.DataFrame:
    """Imported assessments as a table in the user's language."""
    return pd.DataFrame({
        t("ik_code", lg): a["school_code"], t("ik_school", lg): a["school_name"],
        t("school_level", lg): [school_level_name(x, lg) for x in a["level"]],
        t("district", lg): a["district_name"].fillna("–"),
        dx4725.GROUPS["score_teaching"][lg]: [fmt_number(v, lang=lg) for v in a["score_teaching"]],
        dx4725.GROUPS["score_management"][lg]: [fmt_number(v, lang=lg) for v in a["score_management"]],
        t("ik_declared", lg): a["declared_level"].map(_lv), t("ik_verified", lg): a["verified_level"].map(_lv),
        t("ik_computed", lg): a["computed_level"].map(_lv), t("ik_counted", lg): a["dx_level"].map(_lv),
        t("ik_flag", lg): ["⚑" if (x or y) else "" for x, y in zip(a["flag_declared"].astype(bool),
                                                                    a["flag_verified"].astype(bool))],
    })


def change(dist: pd.DataFrame, sy: int, f) -> None:  # noqa: ANN001 - the page's Filters
    """Per district: share at levels 2–3 and at level 3, this year and the previous one."""
    lg = f.lang
    st.subheader(t("ik_dx_change", lg))
    now, prev = dist[dist["school_year"] == sy], dist[dist["school_year"] == sy - 1]
    if prev.empty:
        st.caption(t("ik_dx_no_prev", lg))
        return
    m = now.merge(prev, on="group", how="left", suffixes=("", "_prev"))
    up = lambda d: d["pct_l2"].fillna(0) + d["pct_l3"].fillna(0)  # noqa: E731
    a, b = up(m), m["pct_l2_prev"].fillna(0) + m["pct_l3_prev"].fillna(0)
    y0, y1 = school_year_text(sy - 1), school_year_text(sy)
    l23 = t("ik_share_l", lg).format(n="2–3")
    l3 = t("ik_share_l", lg).format(n=3)
    ui.static_table(pd.DataFrame({
        t("district", lg): m["group"],
        f"{l23} {y0}": [fmt_value(round(v, 1), "pct", lg) for v in b],
        f"{l23} {y1}": [fmt_value(round(v, 1), "pct", lg) for v in a],
        f"{l3} {y0}": [fmt_value(round(v, 1), "pct", lg) if pd.notna(v) else "–" for v in m["pct_l3_prev"]],
        f"{l3} {y1}": [fmt_value(round(v, 1), "pct", lg) for v in m["pct_l3"]],
        t("ik_change_pts", lg) + f" ({l3})": [("+" if d > 0 else "") + fmt_number(round(d, 1), lang=lg) if pd.notna(d)
                                          else "–" for d in m["pct_l3"] - m["pct_l3_prev"]],
    }), "dx_change", f, "muc-do-cds")
    src = lambda d: t("ik_source_imported" if (d["source"] == "imported").any() else "simulated", lg)  # noqa: E731
    if src(now) != src(prev):
        st.caption(f"{y0}: {src(prev)} · {y1}: {src(now)}")


def schools(province: str, sy: int, source: str, a: pd.DataFrame, f, lg: str) -> None:  # noqa: ANN001
    """Every school with its level: a long list (hundreds of rows), drawn once its box is opened."""
    box = st.expander(t("ik_dx_schools", lg), key="dx_schools_box", on_change="rerun", icon=":material/list:")
    if box.open:
        with box:
            _schools(province, sy, source, a, f, lg)


def _schools(province: str, sy: int, source: str, a: pd.DataFrame, f, lg: str) -> None:  # noqa: ANN001
    if source == "imported":
        tables.show(school_table(a, lg), hide_index=True, key="dx_schools")
        st.caption(t("ik_counted_rule", lg))
        return
    s = ui.query(dx_queries.simulated_schools, province, sy, levels=f.levels, districts_=f.districts,
                 communes_=f.communes)
    tables.show(pd.DataFrame({
        t("ik_school", lg): s["school_name"], t("school_level", lg): [school_level_name(x, lg) for x in s["level"]],
        t("district", lg): s["district_name"].fillna("–"), t("ik_counted", lg): s["dx_level"].map(_lv),
        "⚑": t("simulated", lg),
    }), hide_index=True, key="dx_schools")


def assessments(province: str, sy: int, f) -> pd.DataFrame:  # noqa: ANN001
    """Published assessments of the year, filtered like the charts (school level, districts, current communes)."""
    a = ui.query(audit.assessments, province, sy)
    if f.communes:
        from ..units.queries import school_codes_in  # noqa: PLC0415

        a = a[a["school_code"].isin(ui.query(school_codes_in, province, f.communes))]
    if f.levels:
        a = a[a["level"].isin(f.levels)]
    if f.districts:
        a = a[a["district_code"].isin(f.districts)]
    return a


def rule(lg: str) -> None:
    with st.expander(t("ik_dx_rule", lg), expanded=True):
        st.markdown(dx4725.RULE[lg])
        st.markdown(f"**{dx4725.CITATION['document']}**")
        for q in dx4725.CITATION["quotes"]:
            st.markdown(f"> {q}")
        st.caption(dx4725.CITATION["read_from"] if lg == "vi" else  # the portal's section title as printed
                   'https://dti.vnedu.vn/ — section "Thang điểm đánh giá" (the Decision\'s scale, restated)')


def map_section(province: str, lg: str) -> None:
    """The map layer of the STEM map page: every school with coordinates, coloured by its 4725 level."""
    from ..map_queries import map_districts  # noqa: PLC0415
    from . import dx_map  # noqa: PLC0415

    st.subheader(t("ik_map_title", lg))
    schools = ui.query(dx_queries.located_schools, province)
    total = ui.query(dx_queries.school_count, province)
    if schools.empty:
        st.info(t("ik_map_none", lg))
        return
    districts = ui.query(map_districts, province)
    st.pydeck_chart(dx_map.build_dx_map(districts, schools, lang=lg), key="dx_map", height=560)
    st.markdown(dx_map.legend_html(lg), unsafe_allow_html=True)
    st.caption(t("ik_map_note", lg).format(n=fmt_number(len(schools), lang=lg), total=fmt_number(total, lang=lg)))
