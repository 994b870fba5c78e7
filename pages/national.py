"""Toàn quốc: every province ranked on the headline school indicators, for the Ministry."""
import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.i18n import fmt_number, t
from dashboard.markup import md
from dashboard.national import figures, queries as q
from dashboard.national.strings import DENOMINATORS, INDICATOR_NAMES

f = ui.filters()
lg = f.lang
st.title(t("nat_title", lg))
st.caption(t("nat_intro", lg))
years = ui.query(q.school_years)
if ui.query(q.provinces_with_school_data) < 2 or not years:
    st.info(t("nat_empty", lg))
    ui.end_page()

geos = ["current", "former"] if ui.query(q.has_current_units) else ["former"]
if ui.meeting():  # the choices are hidden on a slide: their row takes no room either (no scrolling)
    st.html("<style>[data-testid='stLayoutWrapper']:has(> .st-key-nat-controls),"  # and the hidden warning's box
            "[data-testid='stElementContainer']:has(> [data-testid='stAlert'] [data-testid='stAlertContentWarning'])"
            "{display:none !important}</style>")
# The three choices in a row that wraps, each as wide as its longest value (never '2023-202', '63 tỉnh cũ (t…')
with st.container(horizontal=True, gap="small", key="nat-controls"):
    with st.container(width=figures.YEAR_BOX_PX):
        sy = ui.school_year_select(years, lg)
    geo = ui.choice(st.segmented_control, t("nat_geography", lg), geos, key="nat_geo", lang=lg, default=geos[0],
                    labels=lambda g, lang: t(f"nat_geo_{g}", lang), required=True, width="content") or geos[0]
    # kept in the URL by code (?nat_ind=fibre), whatever the language
    ind = ui.choice(st.selectbox, t("nat_indicator", lg), list(INDICATOR_NAMES), key="nat_ind", lang=lg,
                    labels=lambda k, lang: INDICATOR_NAMES[k][lang], width=figures.indicator_box_px(lg))

df = ui.query(q.ranking, sy, geo)
if df.empty:
    st.info(t("nat_no_year", lg))
    ui.end_page()
n_sim = int((df["provenance"] != "imported").sum())
if n_sim:
    note = t("nat_store_note", lg) if ui.query(q.store_note) else ""
    st.warning(t("nat_simulated_banner", lg).format(n=n_sim, total=len(df), store=note), icon=":material/science:")
if (df["provenance"] != "simulated").any():
    st.info(t("nat_imported_banner", lg).format(n=int((df["provenance"] != "simulated").sum())))

unit = q.INDICATORS[ind][2]
name = INDICATOR_NAMES[ind][lg]
kinds = sorted(set(df["provenance"]))
caption = t("nat_caption", lg).format(sy=f"{sy}-{sy + 1}", den=DENOMINATORS[ind][lg],
                                      prov="; ".join(t(f"nat_prov_{k}", lg) for k in kinds))
table = figures.ranked(df, ind)
fig = figures.ranking_figure(df, ind, unit=unit, national=q.overall(df, ind), lang=lg, title=name, caption=caption,
                             simulated=bool(n_sim))
ui.chart(fig, f"xep-hang-{ind.replace('_', '-')}", title=name, simulated=bool(n_sim), sources_text=caption,
         as_of=f"{sy}-{sy + 1}", data=table[["rank", "code", "name", "schools", "parts_reporting", "parts_total",
                                              q.INDICATORS[ind][0], q.INDICATORS[ind][1], ind]])
if not df["complete"].all():
    missing = ui.query(q.missing_parts, sy) if geo == "current" else pd.DataFrame()
    names = dict(zip(df["code"], df["name"]))
    words = "; ".join(f"{names.get(c, c)}: {', '.join(g['former_name'])}" for c, g in missing.groupby("current_code"))
    st.caption(md(t("nat_partial_note", lg).format(missing=words or "–")))

st.subheader(t("nat_table_title", lg))
cols = {k: f"{v[lg]}{' (%)' if q.INDICATORS[k][2] == 'pct' else ''}" for k, v in INDICATOR_NAMES.items()}
st.dataframe(pd.DataFrame({
    t("nat_rank", lg): table["rank"],
    t("province", lg): [n if c else f"{n} * ({t('nat_partial', lg).format(k=k, n=m)})"
                        for n, c, k, m in zip(table["name"], table["complete"], table["parts_reporting"],
                                              table["parts_total"])],
    t("nat_schools", lg): [fmt_number(int(v), 0, lg) for v in table["schools"]],
    **{cols[k]: [figures.fmt_indicator(v, "num", lg) for v in table[k]] for k in INDICATOR_NAMES},
    t("nat_provenance", lg): [t(f"nat_prov_{p}", lg) for p in table["provenance"]],
}), hide_index=True, key="nat_table")
st.caption(caption)
