"""Mục tiêu 2025/2030: every indicator with a target, per pillar, actual against target markers."""
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, packs, tables, ui
from dashboard.i18n import fmt_date, fmt_value, level_name, pillar_name, t
from dashboard.markup import section_label
from dashboard.uikit.exports import export_name
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
def _target_parts(v, u, q, s) -> tuple[str, ...]:
    """A target as (value, its scope notes): '80%', 'QĐ 131' / '(Sóc Trăng (trước 7/2025))'."""
    if v is None or pd.isna(v):
        return ("–",)
    return (fmt_value(v, u, lg, q or ""), f"({t('decision_131_short', lg)})" if s == "VN" else "",
            units_view.target_scope_note(s, f).strip())


def target_tables(part: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the reflowed table, the full one for the CSV). Shown: the indicator over its level, breakdown and sources in
    small type; the value over its date; one column per target year (the value over its scope); the gap in words
    over its target year. The CSV keeps every field in its own column, as shown."""
    n = len(part)
    targets = {y: [_target_parts(*a) for a in zip(part[f"target_{y}"], part["unit"],
                                                    part.get(f"target_{y}_qualifier", [""] * n),
                                                    part.get(f"target_{y}_scope", [""] * n))] for y in years}
    actual = [fmt_value(v, u, lg, q or "") if v is not None and not pd.isna(v) else t("no_actual", lg)
              for v, u, q in zip(part["value"], part["unit"], part.get("qualifier", [""] * n))]
    as_of = [fmt_date(d, lg) if isinstance(d, str) else "–" for d in part.get("period_end", [None] * n)]
    source = [f"{s}, {section_label(sec, lg)}" if isinstance(s, str) else "–" for s, sec in
              zip(part.get("source_title", [None] * n), part.get("section", [""] * n))]
    target_source = ["; ".join(sorted({f"{r[f'target_{y}_source']}, {section_label(r[f'target_{y}_section'], lg)}"
                                       for y in years if isinstance(r.get(f"target_{y}_source"), str)}))
                     for _, r in part.iterrows()]
    # the gap told as the chart above tells it: against the year the status judges (2024 where a province set
    # only a 2024 target), with that year under it
    gap_years = [charts.gap_year(r, tuple(order)) for _, r in part.iterrows()]
    gap = [charts.gap_words(r, y, lg) or "–" for (_, r), y in zip(part.iterrows(), gap_years)]
    levels, breakdowns = list(part["level_name"]), list(part["breakdown_name"].fillna(""))
    full = pd.DataFrame({
        t("indicator", lg): part["indicator_name"], t("level", lg): levels, t("breakdown", lg): breakdowns,
        t("actual", lg): actual, t("as_of", lg): as_of,
        **{f"{t('target', lg)} {y}": [" ".join(x for x in p if x) for p in targets[y]] for y in years},
        t("gap", lg): gap, t("gap_year", lg): [str(y) for y in gap_years], t("source", lg): source,
        t("target_source", lg): target_source,
    })
    C = tables.Cell
    shown = pd.DataFrame({
        t("indicator", lg): [C(name, " · ".join(x for x in (lv, bd) if x and x != level_name("ALL", lg)), f"{t('source', lg)}: {src}" if src != "–" else "",
                               f"{t('target_source', lg)}: {ts}" if ts else "")
                             for name, lv, bd, src, ts in zip(part["indicator_name"], levels, breakdowns, source,
                                                              target_source)],
        t("actual", lg): [C(a, f"({d})" if d != "–" else "") for a, d in zip(actual, as_of)],
        **{f"{t('target', lg)} {y}": [C(*p) for p in targets[y]] for y in years if any(p[0] != "–" for p in targets[y])},
        t("gap", lg): [C(g, f"({y})" if g != "–" else "") for g, y in zip(gap, gap_years)],
    })
    return shown, full


figures = {i.title: i for i in ui.query(packs.targets_pack, f.province, lang=lg, year_max=f.year_max,
                                        levels=f.levels, pillars=f.pillars, current=f.current_province)}  # the pack's own
groups = list(df.groupby("pillar", sort=False)) if not df.empty else []
# one pillar at a time (its chart and table); every pillar's chart still goes into the briefing pack
chosen = ui.part_choice({p: pillar_name(p, lg) for p, _ in groups}, "targets_pillar", lg)
for pillar, part in groups:
    item, drawn = figures.get(pillar_name(pillar, lg)), ui.shown(pillar, chosen)
    if chosen is None:  # meeting mode or a single pillar (else the buttons above name it)
        st.subheader(pillar_name(pillar, lg))
    if item is not None:  # a pillar not chosen: its chart into the briefing pack only
        ui.chart(item.figure, item.key, title=item.title, sources_text=item.sources_text, data=item.csv,
                 as_of=item.as_of, draw=drawn)
    if not drawn:
        continue
    shown, full = target_tables(part)
    tables.show_wide(shown, f"targets_table_{pillar}", download=full, lang=lg,
                     file_name=export_name("muc-tieu", f, f"bang-{pillar}", "csv", date.today()),
                     text_columns=(t("indicator", lg), t("gap", lg)))

ui.district_section(f, df["indicator_code"].unique().tolist() if not df.empty else [], "targets_districts")

ass = ui.query("assessments", f.province, lang=lg)
if not ass.empty:
    st.subheader(t("assessment_title", lg))
    ui.static_table(pd.DataFrame({
        t("indicator", lg): ass["indicator_name"],
        t("year", lg).split(" ")[0]: ass["year"].astype(str),
        t("target", lg): [fmt_value(v, u, lg, q) if v is not None and not pd.isna(v) else "–"
                          for v, u, q in zip(ass["value"], ass["unit"], ass["qualifier"])],
        t("reported_status", lg): ass["reported_status"],
        t("reported_result", lg): ass["reported_result"],
        t("source", lg): ass["source_title"] + ", " + ass["section"],
    }), "assessment_table", f, "muc-tieu")

units_view.not_restated_section(f)  # targets of the former provinces not restated
