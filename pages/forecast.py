"""Dự báo: will each indicator reach its 2025 and 2030 target at the current pace? (dashboard.forecast)"""
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, forecast, projections, tables, ui
from dashboard.markup import md, section_label
from dashboard.units import view as units_view
from dashboard.uikit.exports import export_name
from dashboard.i18n import fmt_value, level_name, register, t

register({
    "fc_sim_points": {"vi": "Giá trị mô phỏng", "en": "Simulated values"},
    "fc_sim_trend": {"vi": "Xu hướng minh hoạ (mô phỏng)", "en": "Illustrative trend (simulated)"},
    "fc_imp_points": {"vi": "Số liệu nhập", "en": "Imported data"},
    "fc_imp_trend": {"vi": "Xu hướng (chỉ các năm học có số liệu nhập)", "en": "Trend (imported school years only)"},
    "fc_sim_apart": {"vi": "Năm học mô phỏng — minh hoạ, không dùng cho xu hướng",
                     "en": "Simulated school years — illustration, not used for the trend"},
    "fc_scope_districts": {"vi": "Huyện — số liệu nhập hoặc mô phỏng", "en": "District — imported or simulated data"},
    "fc_last_year": {"vi": "Năm số liệu", "en": "Year of the figure"},
    "fc_kind_imported": {"vi": "số liệu nhập", "en": "imported"},
    "fc_kind_simulated": {"vi": "mô phỏng", "en": "simulated"},
    "fc_district_table_imported": {"vi": "Trạng thái theo huyện (số liệu trường do tỉnh nhập)",
                                   "en": "Status by district (school data imported by the province)"},
    "fc_imported_caveat": {
        "vi": "Chỉ các năm học có số liệu nhập; mỗi năm học ghi theo năm kết thúc (2024-2025 → 2025). Từ 3 năm học trở lên: "
              "xu hướng, sai số kiểm tra ngược (bỏ năm cuối) và, khi ước lượng được, khoảng dự báo và xác suất; dưới 3 "
              "năm học: chỉ các điểm, không có xu hướng.",
        "en": "Imported school years only; each school year is dated by the year it ends (2024-2025 → 2025). From 3 "
              "school years on: the trend, its leave-last-out backtest error and, where estimable, the interval and "
              "probability; with fewer: the points only, no trend."},
    "fc_no_anchor": {
        "vi": "Không có chuỗi theo huyện: tỉnh chưa công bố (hay nhập) số liệu nào của các chỉ tiêu này để làm mốc cho "
              "số liệu mô phỏng, nên không vẽ xu hướng nào.",
        "en": "No district series: the province has published (or imported) no figure of these indicators to anchor "
              "the simulated data, so no trend is drawn."},
})

f = ui.filters()
lg = f.lang
units_view.page_title(t("page_forecast", lg), f)  # names the chosen unit; a province from 7/2025: whose figures
st.caption(forecast.MODEL_CARD[lg]["status_rule"])

table = ui.query(projections.forecast_table, f.province, districts=True, district_codes=f.districts,
                 levels=f.levels, lang=lg)
if table.empty:
    st.info(t("fc_no_series", lg))
    ui.end_page()
if f.pillars:
    table = table[table["pillar"].isin(f.pillars)]


def label(r: pd.Series) -> str:
    extra = " · ".join(x for x in (level_name(r["level"], lg) if r["level"] != "ALL" else "", r["breakdown_name"]) if x)
    who = f"{r['district_name']}: " if r["provenance"] != "published" else ""
    kind = f" [{t('fc_kind_' + r['provenance'], lg)}]" if r["provenance"] != "published" else ""
    return (f"{who}{r['indicator_name']}{' — ' + extra if extra else ''}{kind} "
            f"({ui.points_text(int(r['n_points']), lg)})")


scope = ui.choice(st.radio, t("fc_scope", lg), ["published", "district"], horizontal=True, key="fc_scope", lang=lg,
                  labels=lambda s, lng: t("fc_scope_province" if s == "published" else "fc_scope_districts", lng))
part = table[(table["provenance"] == "published") == (scope == "published")].drop_duplicates("series_id")
if part.empty:
    st.info(t("fc_no_anchor" if scope == "district" else "fc_no_series", lg))
else:
    part = part.assign(_has_target=part["target"].notna(), _imp=part["provenance"] == "imported").sort_values(
        ["_imp", "_has_target", "n_points", "indicator_name"], ascending=[False, False, False, True])
    labels = dict(zip(part["series_id"], part.apply(label, axis=1)))
    sid = ui.choice(st.selectbox, t("fc_series", lg), list(labels), labels=labels, key="fc_series", lang=lg)
    points, summary = ui.query(projections.projection_path, f.province, sid, lang=lg)
    kind = summary["provenance"]
    simulated = kind == "simulated"
    tg = pd.DataFrame(summary["targets"], columns=["target_year", "target"])
    caption = (f"{t('simulated', lg)}. " if simulated else "") + \
        f"{t('fc_method', lg)}: {t('forecast_method_' + summary['method'], lg)}; {t('fc_points', lg)}: {summary['n_points']}" + \
        (f". {t('sources', lg)}: " + "; ".join(summary["sources"]) if summary["sources"] else "")
    if kind == "imported" and summary.get("backtest_error") is not None:  # the trend's leave-last-out error
        caption += f"; {t('fc_backtest', lg)}: {fmt_value(round(summary['backtest_error'], 2), 'count', lg)}" + \
            (" điểm %" if lg == "vi" else " points")
    fig = charts.forecast_figure(points, summary["projection"], tg, last_year=summary["last_year"],
                                 last_value=summary["last_value"], lang=lg, title=labels[sid], caption=caption,
                                 simulated=simulated, interval_level=summary["interval_level"])
    if "qualifier" in points and (points["qualifier"] != "").any():  # a printed bound stays a bound on hover
        fig.update_traces(customdata=[fmt_value(v, "pct", lg, q) for v, q in zip(points["value"], points["qualifier"])],
                          hovertemplate="%{x}: %{customdata}<extra></extra>", selector=dict(name=t("actual", lg)))
    if simulated:  # simulated points are not "actual" figures, and their trend is an illustration
        fig.update_traces(name=t("fc_sim_points", lg), selector=dict(name=t("actual", lg)))
        fig.update_traces(name=t("fc_sim_trend", lg), selector=dict(name=t("fc_projection", lg)))
    elif kind == "imported":
        fig.update_traces(name=t("fc_imp_points", lg), selector=dict(name=t("actual", lg)))
        fig.update_traces(name=t("fc_imp_trend", lg), selector=dict(name=t("fc_projection", lg)))
        ill = summary["illustration"]
        if not ill.empty:  # the district's simulated years: a separate, labelled trace, never part of the fit
            fig.add_trace(go.Scatter(x=ill["year"], y=ill["value"], mode="markers", name=t("fc_sim_apart", lg),
                                     marker=dict(size=9, color="#9aa5b1", symbol="circle-open"),
                                     hovertemplate="%{x}: %{y:.1f}%<extra></extra>"))
            fig.update_xaxes(range=[min(list(ill["year"]) + list(points["year"])) - 0.5, 2030.5])
    ui.chart(fig, "du-bao", title=labels[sid], data=summary["projection"].assign(series=labels[sid]),
             sources_text=caption, simulated=simulated, caption=summary.get(f"note_{lg}") or "")
    st.caption(md(summary.get(f"note_{lg}") or ""))


def _pct(v, q: str = "") -> str:
    return fmt_value(round(v, 1), "pct", lg, q or "") if v is not None and not pd.isna(v) else "–"


def _year(y) -> str:
    return str(int(y)) if y is not None and not pd.isna(y) else "–"


def status_table(rows: pd.DataFrame, with_district: bool) -> pd.DataFrame:
    """Every field in its own column, values as shown: the CSV download."""
    out = {}
    if with_district:
        out[t("district", lg)] = rows["district_name"]
    out |= {
        t("indicator", lg): rows["indicator_name"],
        t("level", lg): [level_name(x, lg) for x in rows["level"]],
        t("breakdown", lg): [section_label(b, lg) for b in rows["breakdown_name"]],  # '[Phụ lục, dòng 9]' in English
        t("fc_points", lg): rows["n_points"].astype(int),
        t("fc_method", lg): [t(f"forecast_method_{m}", lg) for m in rows["method"]],
        t("actual", lg): [_pct(v, q) for v, q in zip(rows["last_value"], rows.get("last_qualifier", [""] * len(rows)))],
        t("fc_last_year", lg): [_year(y) for y in rows["last_year"]],
        t("fc_target_year", lg): [_year(y) for y in rows["target_year"]],
        t("target", lg): [_pct(v) for v in rows["target"]],
        t("fc_projected", lg): [_pct(v) for v in rows["projected"]],
        t("fc_interval", lg): [f"{_pct(a)} – {_pct(b)}" if a is not None and not pd.isna(a) else "–"
                               for a, b in zip(rows["lower"], rows["upper"])],
        # simulated histories follow the simulation's own assumptions: no probability is claimed for them
        t("fc_probability", lg): ["–" if pv == "simulated" or p is None or pd.isna(p) else _pct(p * 100)
                                  for p, pv in zip(rows["probability"], rows["provenance"])],
        t("fc_pace", lg): [_pct(v) for v in rows["required_pace"]],
        t("status", lg): [t(f"forecast_status_{s}", lg) if isinstance(s, str) else t("no_target", lg)
                          for s in rows["status"]],
    }
    if (rows["provenance"] == "imported").any():  # real yearly points: the leave-last-out error of their trend
        out[t("fc_backtest", lg)] = [fmt_value(round(v, 2), "count", lg) if v is not None and not pd.isna(v) else "–"
                                     for v in rows["backtest_error"]]
    return pd.DataFrame(out)


def status_cells(full: pd.DataFrame, with_district: bool) -> pd.DataFrame:
    """The same fields reflowed into six columns that fit a 1024 px window: the indicator over its level and
    breakdown (under its district), the value over its year, the target over its year, the projection over its
    interval, the status over probability and pace, the method over its points (and backtest error)."""
    C, h = tables.Cell, lambda k: t(k, lg)  # noqa: E731
    rows = []
    for _, r in full.iterrows():
        def labelled(*keys):
            return [f"{h(k)}: {r[h(k)]}" for k in keys if h(k) in r and r[h(k)] not in ("–", "")]
        rows.append({
            h("indicator"): C(r[h("indicator")], " · ".join(x for x in (r[h("level")], r[h("breakdown")])
                                                            if x and x != level_name("ALL", lg)),
                              head=r[h("district")] if with_district else ""),
            h("actual"): C(r[h("actual")], f"({r[h('fc_last_year')]})" if r[h("actual")] != "–" else ""),
            h("target"): C(r[h("target")], f"({r[h('fc_target_year')]})" if r[h("target")] != "–" else ""),
            h("fc_projected"): C(r[h("fc_projected")], *labelled("fc_interval")),
            h("status"): C(r[h("status")], *labelled("fc_probability", "fc_pace")),
            h("fc_method"): C(r[h("fc_method")], *labelled("fc_points", "fc_backtest")),
        })
    return pd.DataFrame(rows, columns=[h(k) for k in ("indicator", "actual", "target", "fc_projected", "status",
                                                     "fc_method")])


def show_status(rows: pd.DataFrame, with_district: bool, key: str) -> None:
    full = status_table(rows, with_district)
    tables.show_wide(status_cells(full, with_district), key, download=full, lang=lg,
                     file_name=export_name("du-bao", f, key.replace("_", "-"), "csv", date.today()),
                     text_columns=(t("indicator", lg), t("status", lg), t("fc_method", lg)))


st.subheader(t("fc_province_table", lg))
def ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """Series with a target first, then by status and name."""
    return rows.assign(_t=rows["target"].isna()).sort_values(["_t", "status", "indicator_name"], kind="stable")


prov = ordered(table[table["provenance"] == "published"])
show_status(prov, False, "fc_province_table")
dist = ordered(table[table["provenance"] == "simulated"])
if not dist.empty:
    st.subheader(t("fc_district_table", lg))
    show_status(dist, True, "fc_district_table")
    st.caption(t("fc_district_caveat", lg) + " " + t("simulated_note", lg))
imp = ordered(table[table["provenance"] == "imported"])
if not imp.empty:
    st.subheader(t("fc_district_table_imported", lg))
    show_status(imp, True, "fc_imported_table")
    st.caption(t("fc_imported_caveat", lg))

card = forecast.MODEL_CARD[lg]
model_card = st.expander(t("fc_model_card", lg), key="fc_model_card", on_change="rerun")  # drawn once opened
if model_card.open:
    with model_card:
        st.markdown(f"**{card['title']}**")
        st.markdown(card["method"])
        st.markdown(card["interval"])
        st.markdown(f"**{t('fc_rule', lg)}**: {card['status_rule']}  \n{forecast.STATUS_RULE_CITATION} — {forecast.STATUS_RULE_URL}")
        errors = table.loc[table["provenance"] == "published", "backtest_error"].dropna()  # not fits to simulated years
        if not errors.empty:
            st.markdown(f"**{t('fc_backtest', lg)}**: " + fmt_value(round(float(errors.median()), 2), "count", lg)
                        + (" điểm % (trung vị các chuỗi có ≥ 3 điểm)" if lg == "vi" else " points (median over series with ≥ 3 points)"))
        build = ui.query("build_info")
        st.markdown(f"**{t('fc_as_of', lg)}**: {ui.latest_as_of(f.province)} · build {build.get('built_at', '')}")
        st.markdown("\n".join(f"- {x}" for x in card["limitations"]))
