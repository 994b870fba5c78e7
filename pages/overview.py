"""Tổng quan: headline Decision 131 indicators of one province, and the three provinces side by side."""
import streamlit as st

from dashboard import packs, projections, ui
from dashboard.i18n import t
from dashboard.markup import md
from dashboard.units import view as units_view

f = ui.filters()
lg = f.lang
units_view.page_title(t("page_overview", lg), f)  # names the chosen unit; a province from 7/2025: whose figures
st.caption(t("app_subtitle", lg))

cards = ui.query("progress_table", f.province, year_max=f.year_max, levels=f.levels, pillars=f.pillars,
                 headline_only=True, target_years=(2025, 2024), lang=lg, current=f.current_province)
st.subheader(t("headline_title", lg))
if cards.empty:
    st.info(t("no_data", lg))
else:
    # first the status at a glance (the briefing pack's own table: page and pack cannot drift); the first
    # slide(s) in meeting mode
    rows = ui.query(packs.status_table, f.province, lang=lg, year_max=f.year_max, levels=f.levels,
                    pillars=f.pillars, current=f.current_province)
    ui.status_table(rows, lg, ui.sources_caption(cards, lg), slides=True)
    st.caption(t("status_rule", lg))
    # the cards: details on demand, drawn only once opened (a dozen cards cost the browser more than a chart)
    details = st.expander(t("cards_details", lg), key="overview_cards", on_change="rerun")
    if details.open:
        fc = ui.query(projections.forecast_table, f.province, levels=f.levels, lang=lg)
        with details:
            groups = list(cards.groupby("indicator_code", sort=False))
            cols = st.columns(3)
            for i, (_, rows_) in enumerate(groups):
                with cols[i % 3]:
                    ui.indicator_card(rows_, lg, (2025, 2024), fc)
            st.caption(md(ui.sources_caption(cards, lg)))

ui.district_section(f, cards["indicator_code"].unique().tolist() if not cards.empty else [], "overview_districts")

st.subheader(t("compare_section", lg))  # the chart's own title says which indicators
comp = ui.query("province_comparison", year_max=f.year_max, levels=f.levels, lang=lg)
if f.pillars:
    comp = comp[comp["pillar"].isin(f.pillars)]
if comp.empty:  # no early stop: the footer, the pack panel and the meeting controls still follow
    st.info(t("compare_empty", lg))
else:
    item = ui.query(packs.overview_pack, f.province, lang=lg, year_max=f.year_max, levels=f.levels,
                    pillars=f.pillars)[0]  # the briefing pack's own figure: page and pack cannot drift
    ui.chart(item.figure, item.key, title=item.title, caption=item.caption, sources_text=item.sources_text,
             data=item.csv, as_of=item.as_of)
    st.caption(t("compare_caption", lg))
