"""Dữ liệu & nguồn: every figure with document, section and quote; the passage in context; conflicts."""

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.export import frame_csv
from dashboard.i18n import fmt_value, level_name, t
from dashboard.markup import html_text, md

f = ui.filters()
lg = f.lang
st.title(t("page_sources", lg))

st.subheader(t("figures_title", lg))
search = st.text_input(t("search", lg), key="q", bind="query-params")
only_prov = st.toggle(f"{t('province', lg)}: {md(ui.province_name(f.province))}", value=False, key="only_province")
figs = ui.query("figures", search=search, provinces_=(f.province, "VN") if only_prov else (), lang=lg)
table = pd.DataFrame({
    t("kind", lg): [t(f"kind_{k}", lg) for k in figs["kind"]],
    t("province", lg): figs["unit_name"],
    t("indicator", lg): figs["indicator_name"],
    t("level", lg): [level_name(x, lg) for x in figs["level"]],
    t("period", lg): figs["period"],
    t("value", lg): [fmt_value(v, u, lg, q) for v, u, q in zip(figs["value"], figs["unit"], figs["qualifier"])],
    t("printed", lg): figs["printed"],
    t("source", lg): figs["source_title"],
    t("section", lg): figs["section"],
    t("quote", lg): figs["quote"],
})
st.caption(f"{len(figs)} {t('rows', lg)}")
sel = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row", key="figures_table",
                   height=420)
st.download_button(t("download_csv", lg), frame_csv(figs), "so-lieu-nguon.csv",
                   "text/csv", key="download_figures")

rows = sel.selection.rows if sel and sel.selection else []
st.subheader(t("figure_detail", lg))
if not rows:
    st.caption(t("select_figure", lg))
else:
    r = figs.iloc[rows[0]]
    st.markdown(f"**{md(r['indicator_name'])}** — {md(r['unit_name'])}, {md(r['period'])}: "
                f"**{md(fmt_value(r['value'], r['unit'], lg, r['qualifier']))}** · {md(r['source_title'])}, "
                f"{md(r['section'])}")
    if r["note"]:
        st.caption(md(r["note"]))
    ctx = ui.query("passage", r["quote_source_id"], r["quote"])
    if ctx is None:
        st.info(t("text_not_shipped", lg))
    else:
        before, quote, after = (html_text(x) for x in ctx)
        st.markdown(f"<div style='white-space:pre-wrap; border:1px solid #d8dee4; border-radius:8px; padding:12px; "
                    f"max-height:320px; overflow:auto; font-size:0.92rem'>…{before}<mark>{quote}</mark>{after}…</div>",
                    unsafe_allow_html=True)

st.subheader(t("conflicts_title", lg))
conf = ui.query("conflicts", lang=lg)
if conf.empty:
    st.success(t("no_conflicts", lg))
else:
    st.dataframe(pd.DataFrame({
        t("indicator", lg): conf["indicator_name"], t("province", lg): conf["unit_name"],
        t("level", lg): [level_name(x, lg) for x in conf["level"]], t("period", lg): conf["period"],
        t("printed", lg): conf["printed_values"], t("record_ids", lg): conf["obs_keys"],
        "⚠": ["mâu thuẫn" if c and lg == "vi" else ("conflict" if c else ("khác độ chính xác" if lg == "vi" else "precision only"))
              for c in conf["exact_conflict"]],
    }), hide_index=True, key="conflicts_table")
sums = ui.query("part_sum_checks", lang=lg)
if not sums.empty:
    st.markdown(f"**{t('checks_title', lg)}**")
    st.dataframe(pd.DataFrame({
        t("indicator", lg): sums["indicator_name"], t("province", lg): sums["unit_name"], t("period", lg): sums["period"],
        t("published_total", lg): sums["total_printed"], t("total_check", lg): [fmt_value(v, "count", lg) for v in sums["parts_sum"]],
        t("breakdown", lg): sums["detail"],
        "": ["✓" if c else "✗" for c in sums["consistent"]],
    }), hide_index=True, key="sum_checks")

st.subheader(t("inc_title", lg))
st.caption(t("inc_caption", lg))
inc = ui.query("inconsistencies", lang=lg)
if inc.empty:
    st.success(t("no_conflicts", lg))
else:
    st.dataframe(pd.DataFrame({
        t("inc_kind", lg): [t(f"inc_kind_{k}", lg) for k in inc["kind"]], t("province", lg): inc["unit_name"],
        t("indicator", lg): inc["indicator_name"], t("period", lg): inc["period"],
        t("inc_statement", lg): inc["statement"], t("inc_other", lg): inc["other"],
        t("inc_finding", lg): inc["finding"], t("record_ids", lg): inc["keys"],
    }), hide_index=True, key="inconsistencies_table")
    if (inc["kind"] == "imported").any():  # imported school sums held against the published province figures
        st.caption(t("inc_imported_caption", lg))

st.subheader(t("documents_title", lg))
docs = ui.query("sources")
st.dataframe(pd.DataFrame({
    t("record_ids", lg): docs["id"], t("source", lg): docs["short_title_en" if lg == "en" else "short_title_vi"],
    t("issuer", lg): docs["issuer"], t("doc_number", lg): docs["number"], t("doc_date", lg): docs["issued"],
    t("doc_file", lg): docs["file"].fillna("—"),
    t("kind_observation", lg): docs["observations"], t("kind_target", lg): docs["targets"],
}), hide_index=True, key="documents_table")
