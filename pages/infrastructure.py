"""Hạ tầng số: by district and level — computers per 100 students, fibre and Wi-Fi, Decision 4725 maturity levels."""
import pandas as pd
import streamlit as st

from dashboard import charts, rollups, ui
from dashboard.i18n import fmt_value, level_name, t

f, sy, df = ui.district_page("page_infrastructure")
lg = f.lang
caption = f"{t('simulated', lg)} — {t('school_year', lg)} {sy}-{sy + 1}"
names = {m: rollups.metric_name(m, lg) for m in ("pc_per_100", "fibre", "wifi")}

general = df[df["general_schools"] > 0]
# one chart at a time (details on demand); every chart still goes into the briefing pack
parts = {"pc": t("infra_pc_title", lg), "net": t("infra_net_title", lg), "ict": t("infra_ict_title", lg)}
chosen = ui.part_choice(parts, "infra_part", lg)


def part(code: str, fig, data) -> None:  # noqa: ANN001 - a plotly figure
    """One part: its chart when chosen (the buttons above and the chart's title name it), else into the pack only."""
    keys = {"pc": "may-tinh-100-hs", "net": "cap-quang-wifi", "ict": "muc-tin-hoc"}
    if fig is None:
        if ui.shown(code, chosen):
            st.info(t("empty_level", lg))
        return
    ui.chart(fig, keys[code], title=parts[code], data=data, sources_text=caption, simulated=True,
             as_of=f"{sy}-{sy + 1}", draw=ui.shown(code, chosen))


part("pc", charts.district_bars_figure(df, ["pc_per_100"], names, lang=lg, title=parts["pc"], caption=caption,
                                       unit="count"),
     df[["district_name", "schools", "students", "pc_teaching", "pc_informatics", "pc_per_100"]])
part("net", charts.district_bars_figure(df, ["fibre", "wifi"], names, lang=lg, title=parts["net"], caption=caption),
     df[["district_name", "schools", "fibre", "wifi"]])
part("ict", None if general.empty else charts.dx_levels_figure(general, lang=lg, title=parts["ict"],
                                                               caption=caption + ". " + t("infra_ict_caption", lg)),
     general[["district_name", "general_schools", "dx_l1", "dx_l2", "dx_l3"]])

by_level = ui.query(rollups.district_summary, f.province, sy, levels=f.levels, districts_=f.districts, by_level=True,
                    lang=lg, placed_only=True, communes_=f.communes)
ui.static_table(pd.DataFrame({
    t("district", lg): by_level["district_name"], t("level", lg): [level_name(x, lg) for x in by_level["level"]],
    "Số trường" if lg == "vi" else "Schools": by_level["schools"],
    "Học sinh" if lg == "vi" else "Students": [fmt_value(v, "count", lg) for v in by_level["students"]],
    names["pc_per_100"]: [fmt_value(round(v, 1), "count", lg) if pd.notna(v) else "–" for v in by_level["pc_per_100"]],
    names["fibre"]: [fmt_value(round(v, 1), "pct", lg) for v in by_level["fibre"]],
    names["wifi"]: [fmt_value(round(v, 1), "pct", lg) for v in by_level["wifi"]],
    "⚑": t("simulated", lg),
}), "infra_table", f, "ha-tang-so")
st.caption(caption)
ui.unplaced_schools(f, sy)
