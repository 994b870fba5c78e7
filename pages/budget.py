"""Ngân sách & nhiệm vụ: investment items by source of funds, checked against published totals; tasks."""
import pandas as pd
import streamlit as st

from dashboard import packs, ui
from dashboard.i18n import fmt_value, t
from dashboard.markup import md
from dashboard.units import view as units_view

f = ui.filters()
lg = f.lang
units_view.page_title(t("page_budget", lg), f)  # names the chosen unit; a province from 7/2025: whose figures

items = ui.query("budget_items", f.province, lang=lg)
figures = ui.query(packs.budget_pack, f.province, lang=lg)  # the same figures as the briefing pack
tasks = ui.query("tasks", f.province)
# one part at a time (details on demand); the other part's chart still goes into the briefing pack
parts = {"budget": t("budget_title", lg), "tasks": t("tasks_title", lg)}
part = ui.part_choice(parts, "budget_part", lg)


def into_pack(key: str) -> None:
    """A chart of the part not shown: into the briefing pack only."""
    item = next((i for i in figures if i.key == key), None)
    if item is not None:
        ui.chart(item.figure, item.key, title=item.title, data=item.csv, sources_text=item.sources_text,
                 as_of=item.as_of, caption=item.caption, draw=False)


if ui.shown("budget", part):  # the buttons above name the part (and head its slide-less tables)
    if items.empty:
        st.info(t("no_budget", lg))
    else:
        checks = ui.query("budget_checks", f.province, lang=lg)
        overall = checks[checks["breakdown"].isin(["", "fund_ngan_sach_tinh_dtpt"])].sort_values("period")
        if not overall.empty and not ui.meeting():  # meeting mode: the chart is the slide (its total at the bar end)
            cols = st.columns(min(4, len(overall)))
            for col, (_, r) in zip(cols, overall.iterrows()):
                col.metric(f"{t('published_total', lg)} {md(r['period'])} ({t('million_vnd', lg)})",
                           fmt_value(r["published"], "count", lg))
        budget_chart = next(i for i in figures if i.key == "kinh-phi-theo-nguon")
        ui.chart(budget_chart.figure, budget_chart.key, title=budget_chart.title, data=budget_chart.csv,
                 sources_text=budget_chart.sources_text, as_of=budget_chart.as_of, caption=budget_chart.caption)
        if not ui.meeting():  # the tables below stay off the projector
            st.markdown(f"**{t('checks_title', lg)}**")
        ui.static_table(pd.DataFrame({
            t("period", lg): checks["period"],
            t("funding_source", lg): checks["breakdown_name"].replace("", t("all", lg)),
            t("published_total", lg): [fmt_value(v, "million_vnd", lg) for v in checks["published"]],
            t("total_check", lg): [fmt_value(v, "million_vnd", lg) for v in checks["items_sum"]],
            "": [("✓ " + t("matches", lg)) if abs((a or 0) - (b or 0)) < 1e-6 else ("✗ " + t("differs", lg))
                 for a, b in zip(checks["published"], checks["items_sum"])],
            t("section", lg): checks["section"],
        }), "budget_checks", f, "ngan-sach")
        if not ui.meeting():  # the tables below stay off the projector
            st.markdown(f"**{t('items_title', lg)}**")
        ui.static_table(pd.DataFrame({
            "#": items["number"], t("item", lg): items["item_vi"],
            t("year", lg).split(" ")[0]: items["year"].astype("Int64").astype(str).replace("<NA>", ""),
            t("amount", lg): [fmt_value(v, "count", lg) if v is not None and not pd.isna(v) else "–"
                              for v in items["amount_million_vnd"]],
            t("funding_source", lg): items["funding_source_name"],
            # the curator's notes are Vietnamese records of what the document prints: shown in Vietnamese, without the
            # seed file they name (the sources page has the files)
            **({t("note", lg): items["note"].fillna("").str.replace(ui.FILE_REF, "", regex=True)} if lg == "vi" else {}),
            t("source", lg): items["source_title"] + ", " + items["section"],
        }), "budget_items", f, "ngan-sach")
elif not items.empty:
    into_pack("kinh-phi-theo-nguon")

if ui.shown("tasks", part):
    if tasks.empty:
        st.info(t("no_tasks", lg))
    else:
        task_chart = next(i for i in figures if i.key == "nhiem-vu")
        ui.chart(task_chart.figure, task_chart.key, title=task_chart.title, data=task_chart.csv,
                 sources_text=task_chart.sources_text, as_of=task_chart.as_of)
        statuses = sorted(tasks["status"].unique())
        chosen = ui.choice(st.multiselect, t("status", lg), statuses, default=statuses, key="task_status", lang=lg,
                           labels=lambda s, lng: t(f"task_{s}", lng), select_all=False, placeholder=t("task_status_all", lg),
                           persist_state="page")
        shown = tasks[tasks["status"].isin(chosen)]
        ui.static_table(pd.DataFrame({
            t("plan_year", lg): shown["plan_year"].astype(str), "#": shown["number"], t("task", lg): shown["title_vi"],
            t("lead_unit", lg): shown["lead_unit"], t("status", lg): [t(f"task_{s}", lg) for s in shown["status"]],
            t("note", lg): shown["result_note"], t("section", lg): shown["section"],
        }), "tasks_table", f, "ngan-sach")
elif not tasks.empty:
    into_pack("nhiem-vu")
