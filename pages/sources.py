"""Dữ liệu & nguồn: every figure with document, section and quote; the passage in context; conflicts."""

import pandas as pd
import streamlit as st

from dashboard import tables, ui
from dashboard.export import frame_csv
from dashboard import i18n
from dashboard.i18n import fmt_value, level_name, t
from dashboard.markup import html_text, md

i18n.register({
    "src_meeting": {"vi": "Trang này gồm các bảng số liệu và trích dẫn, không có biểu đồ để trình chiếu. Thoát chế độ "
                          "họp để xem và tìm kiếm.",
                    "en": "This page holds tables of figures and quotes, no chart to project. Leave meeting mode to "
                          "read and search them."},
    "src_province_first": {"vi": "Số liệu của {p} (và mục tiêu quốc gia) xếp trước; bật nút trên để chỉ xem tỉnh này.",
                           "en": "Figures of {p} (and national targets) come first; switch on above to see only this "
                                 "province."},
})


def first_of_province(df: pd.DataFrame, col: str, province: str, national: str | None = None) -> pd.DataFrame:
    """The rows of the sidebar's province first (then national ones), the rest after, each in its own order."""
    if df.empty:
        return df
    rank = df[col].map(lambda c: 0 if c == province else (1 if national and c == national else 2))
    return df.iloc[rank.argsort(kind="stable")].reset_index(drop=True)


f = ui.filters()
lg = f.lang
st.title(t("page_sources", lg))
if ui.meeting():  # a page of tables: nothing to project; one line says so, the meeting controls stay
    st.info(t("src_meeting", lg), icon=":material/table_view:")
    ui.end_page()

st.subheader(t("figures_title", lg))
search = st.text_input(t("search", lg), key="q", bind="query-params")
only_prov = st.toggle(f"{t('province', lg)}: {md(ui.province_name(f.province))}", value=False, key="only_province")
figs = ui.query("figures", search=search, provinces_=(f.province, "VN") if only_prov else (), lang=lg)
figs = first_of_province(figs, "unit_code", f.province, national="VN")  # the sidebar's province first
if not only_prov:
    st.caption(t("src_province_first", lg).format(p=md(ui.province_name(f.province))))
table = pd.DataFrame({
    t("kind", lg): [t(f"kind_{k}", lg) for k in figs["kind"]],
    t("province", lg): figs["unit_name"],
    t("indicator", lg): figs["indicator_name"],
    t("level", lg): [level_name(x, lg) for x in figs["level"]],
    t("period", lg): figs["period"],
    t("value", lg): [fmt_value(v, u, lg, q) for v, u, q in zip(figs["value"], figs["unit"], figs["qualifier"])],
    t("source", lg): figs["source_title"] + ", " + figs["section"],
    t("quote", lg): figs["quote"],  # as printed, with the number: the passage below when a row is chosen
})
st.caption(f"{len(figs)} {t('rows', lg)}")
sel = tables.show(table, "figures_table", [0.8, 0.9, 2.2, 0.8, 0.8, 0.9, 1.5, 2.3], lines=3,
                  on_select="rerun", selection_mode="single-row", height=460)
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
conf = first_of_province(ui.query("conflicts", lang=lg), "unit_code", f.province)
if conf.empty:
    st.success(t("no_conflicts", lg))
else:
    tables.show(pd.DataFrame({
        t("indicator", lg): conf["indicator_name"], t("province", lg): conf["unit_name"],
        t("level", lg): [level_name(x, lg) for x in conf["level"]], t("period", lg): conf["period"],
        t("printed", lg): conf["printed_values"], t("record_ids", lg): conf["obs_keys"],
        "⚠": ["mâu thuẫn" if c and lg == "vi" else ("conflict" if c else ("khác độ chính xác" if lg == "vi" else "precision only"))
              for c in conf["exact_conflict"]],
    }), "conflicts_table", [2, 1, 0.9, 0.9, 1.5, 1.5, 0.9], lines=3)
sums = first_of_province(ui.query("part_sum_checks", lang=lg), "unit_code", f.province)
if not sums.empty:
    st.markdown(f"**{t('checks_title', lg)}**")
    tables.show(pd.DataFrame({
        t("indicator", lg): sums["indicator_name"], t("province", lg): sums["unit_name"], t("period", lg): sums["period"],
        t("published_total", lg): sums["total_printed"], t("total_check", lg): [fmt_value(v, "count", lg) for v in sums["parts_sum"]],
        t("breakdown", lg): sums["detail"],
        "": ["✓" if c else "✗" for c in sums["consistent"]],
    }), "sum_checks", [2, 1, 0.9, 64, 64, 2, 34], lines=3)

st.subheader(t("inc_title", lg))
st.caption(t("inc_caption", lg))
inc = ui.query("inconsistencies", lang=lg)
inc = inc.iloc[(inc["unit_name"] != ui.province_name(f.province)).argsort(kind="stable")] if not inc.empty else inc
if inc.empty:
    st.success(t("no_conflicts", lg))
else:
    tables.show(pd.DataFrame({
        t("inc_kind", lg): [t(f"inc_kind_{k}", lg) for k in inc["kind"]], t("province", lg): inc["unit_name"],
        t("indicator", lg): inc["indicator_name"], t("period", lg): inc["period"],
        t("inc_statement", lg): inc["statement"], t("inc_other", lg): inc["other"],
        t("inc_finding", lg): inc["finding"], t("record_ids", lg): inc["keys"],
    }), "inconsistencies_table", [1.2, 0.9, 1.5, 0.8, 1.6, 1.6, 1.8, 1], lines=4)
    if (inc["kind"] == "imported").any():  # imported school sums held against the published province figures
        st.caption(t("inc_imported_caption", lg))

st.subheader(t("documents_title", lg))
docs = first_of_province(ui.query("sources"), "province_code", f.province)
tables.show(pd.DataFrame({
    t("record_ids", lg): docs["id"], t("source", lg): docs["short_title_en" if lg == "en" else "short_title_vi"],
    t("issuer", lg): docs["issuer"], t("doc_number", lg): docs["number"], t("doc_date", lg): docs["issued"],
    t("doc_file", lg): docs["file"].fillna("—"),
    t("kind_observation", lg): docs["observations"], t("kind_target", lg): docs["targets"],
}), "documents_table", [0.9, 2, 1.4, 0.9, 0.9, 1.2, 56, 56], lines=3)
