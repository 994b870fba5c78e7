"""Mục tiêu 2025/2030: every indicator with a target, per pillar, actual against target markers."""
import pandas as pd
import streamlit as st

from dashboard import packs, tables, ui
from dashboard.i18n import fmt_date, fmt_value, pillar_name, t
from dashboard.units import view as units_view

f = ui.filters()
lg = f.lang
units_view.page_title(t("page_targets", lg), f)  # names the chosen unit; a province from 7/2025: whose figures

own_years = ui.query("targets_for", f.province, lang=lg, current=f.current_province)  # a current province's own first
years = sorted({2025, 2030} | {int(y) for y in own_years.loc[own_years["scope_code"] != "VN", "year"] if y >= 2024})
order = [y for y in (2025, 2024, 2030) if y in years] + [y for y in years if y not in (2025, 2024, 2030)]
df = ui.query("progress_table", f.province, year_max=f.year_max, levels=f.levels, pillars=f.pillars,
              target_years=tuple(order), lang=lg, current=f.current_province)
has_target = df[[f"target_{y}" for y in years]].notna().any(axis=1) if not df.empty else pd.Series(dtype=bool)
df = df[has_target] if not df.empty else df
st.caption(t("targets_caption", lg) + " " + t("status_rule", lg))

if df.empty:  # e.g. a school level with no target: a clear message, not an error
    st.info(t("no_target_filters", lg))
figures = {i.title: i for i in ui.query(packs.targets_pack, f.province, lang=lg, year_max=f.year_max,
                                        levels=f.levels, pillars=f.pillars, current=f.current_province)}  # the pack's own
for pillar, part in (df.groupby("pillar", sort=False) if not df.empty else []):
    st.subheader(pillar_name(pillar, lg))
    item = figures.get(pillar_name(pillar, lg))
    if item is not None:
        ui.chart(item.figure, item.key, title=item.title, sources_text=item.sources_text, data=item.csv,
                 as_of=item.as_of)
    table = pd.DataFrame({
        t("indicator", lg): part["indicator_name"],
        t("level", lg): part["level_name"],
        t("breakdown", lg): part["breakdown_name"].fillna(""),
        t("actual", lg): [fmt_value(v, u, lg, q or "") if v is not None and not pd.isna(v) else t("no_actual", lg)
                          for v, u, q in zip(part["value"], part["unit"], part.get("qualifier", [""] * len(part)))],
        t("as_of", lg): [fmt_date(d, lg) if isinstance(d, str) else "–" for d in part.get("period_end", [None] * len(part))],
        **{f"{t('target', lg)} {y}": [
            (fmt_value(v, u, lg, q or "") + (f" ({t('decision_131_short', lg)})" if s == "VN" else "")
             + units_view.target_scope_note(s, f))
            if v is not None and not pd.isna(v) else "–"
            for v, u, q, s in zip(part[f"target_{y}"], part["unit"], part.get(f"target_{y}_qualifier", [""] * len(part)),
                                  part.get(f"target_{y}_scope", [""] * len(part)))] for y in years},
        t("gap", lg) + " 2025": [ui.gap_text(g, u, lg) or "–" for g, u in zip(part["gap_2025"], part["unit"])],
        t("source", lg): [f"{s}, {sec}" if isinstance(s, str) else "–" for s, sec in
                          zip(part.get("source_title", [None] * len(part)), part.get("section", [""] * len(part)))],
        t("target_source", lg): ["; ".join(sorted({f"{r[f'target_{y}_source']}, {r[f'target_{y}_section']}"
                                                   for y in years if isinstance(r.get(f"target_{y}_source"), str)}))
                                 for _, r in part.iterrows()],
    })
    tables.show(table, hide_index=True, key=f"targets_table_{pillar}")

ui.district_section(f, df["indicator_code"].unique().tolist() if not df.empty else [], "targets_districts")

ass = ui.query("assessments", f.province, lang=lg)
if not ass.empty:
    st.subheader(t("assessment_title", lg))
    tables.show(pd.DataFrame({
        t("indicator", lg): ass["indicator_name"],
        t("year", lg).split(" ")[0]: ass["year"].astype(str),
        t("target", lg): [fmt_value(v, u, lg, q) if v is not None and not pd.isna(v) else "–"
                          for v, u, q in zip(ass["value"], ass["unit"], ass["qualifier"])],
        t("reported_status", lg): ass["reported_status"],
        t("reported_result", lg): ass["reported_result"],
        t("source", lg): ass["source_title"] + ", " + ass["section"],
    }), hide_index=True, key="assessment_table")

units_view.not_restated_section(f)  # targets of the former provinces not restated
