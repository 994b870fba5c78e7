"""Hạ tầng số: by district and level — computers per 100 students, fibre and Wi-Fi, Decision 4725 maturity levels."""
import pandas as pd
import streamlit as st

from dashboard import charts, rollups, ui
from dashboard.i18n import fmt_value, level_name, t

f, sy, df = ui.district_page("page_infrastructure")
lg = f.lang
caption = f"{t('simulated', lg)} — {t('school_year', lg)} {sy}-{sy + 1}"
names = {m: rollups.metric_name(m, lg) for m in ("pc_per_100", "fibre", "wifi")}

st.subheader(t("infra_pc_title", lg))
fig = charts.district_bars_figure(df, ["pc_per_100"], names, lang=lg, title=t("infra_pc_title", lg),
                                  caption=caption, unit="count")
ui.chart(fig, "may-tinh-100-hs", title=t("infra_pc_title", lg), data=df[["district_name", "schools", "students", "pc_teaching", "pc_informatics", "pc_per_100"]],
         sources_text=caption, simulated=True, as_of=f"{sy}-{sy + 1}")

st.subheader(t("infra_net_title", lg))
fig = charts.district_bars_figure(df, ["fibre", "wifi"], names, lang=lg, title=t("infra_net_title", lg),
                                  caption=caption)
ui.chart(fig, "cap-quang-wifi", title=t("infra_net_title", lg), data=df[["district_name", "schools", "fibre", "wifi"]],
         sources_text=caption, simulated=True, as_of=f"{sy}-{sy + 1}")

st.subheader(t("infra_ict_title", lg))
general = df[df["general_schools"] > 0]
if general.empty:
    st.info(t("empty_level", lg))
else:
    fig = charts.dx_levels_figure(general, lang=lg, title=t("infra_ict_title", lg),
                                           caption=caption + ". " + t("infra_ict_caption", lg))
    ui.chart(fig, "muc-tin-hoc", title=t("infra_ict_title", lg),
             data=general[["district_name", "general_schools", "dx_l1", "dx_l2", "dx_l3"]],
             sources_text=caption, simulated=True, as_of=f"{sy}-{sy + 1}")

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
