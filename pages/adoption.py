"""Ứng dụng CNTT: each adoption indicator as a share of schools by district; heatmap; ranking; schools."""
import pandas as pd
import streamlit as st

from dashboard import charts, rollups, ui
from dashboard.i18n import fmt_value, level_name, t

f, sy, df = ui.district_page("page_adoption")
lg = f.lang
metrics = [m for m in rollups.ADOPTION if df[m].notna().any()]
names = {m: rollups.metric_name(m, lg) for m in metrics}
caption = f"{t('simulated', lg)} — {t('school_year', lg)} {sy}-{sy + 1}"

# one chart at a time (details on demand); both still go into the briefing pack
parts = {"heatmap": t("heatmap_title", lg), "indicator": t("adoption_title", lg)}
chosen = ui.part_choice(parts, "adoption_part", lg)
fig = charts.heatmap_figure(df, metrics, names, lang=lg, title=parts["heatmap"], caption=caption)
ui.chart(fig, "huyen-x-chi-tieu", title=parts["heatmap"], data=df[["district_name", "schools", *metrics]],
         sources_text=caption, simulated=True, as_of=f"{sy}-{sy + 1}", draw=ui.shown("heatmap", chosen))
if ui.shown("indicator", chosen):  # the choice is kept while the other part is shown (persist_state)
    chosen_metric = ui.choice(st.selectbox, t("indicator", lg), metrics, labels=names, key="adoption_metric",
                              lang=lg, persist_state="page")
else:  # the pack takes the indicator last chosen
    chosen_metric = st.session_state.get("adoption_metric")
    chosen_metric = chosen_metric if chosen_metric in metrics else metrics[0]
fig = charts.district_bars_figure(df, [chosen_metric], names, lang=lg, title=names[chosen_metric], caption=caption)
ui.chart(fig, f"ung-dung-{chosen_metric}", title=names[chosen_metric],
         data=df[["district_name", "schools", chosen_metric]], sources_text=caption, simulated=True,
         as_of=f"{sy}-{sy + 1}", draw=ui.shown("indicator", chosen))

st.subheader(t("ranking_title", lg))
ranking = df.assign(mean=df[metrics].mean(axis=1)).sort_values("mean", ascending=False).reset_index(drop=True)
ui.static_table(pd.DataFrame({
    t("rank", lg): range(1, len(ranking) + 1), t("district", lg): ranking["district_name"],
    t("mean_adoption", lg): [fmt_value(round(v, 1), "pct", lg) for v in ranking["mean"]],
    **{names[m]: [fmt_value(round(v, 1), "pct", lg) if pd.notna(v) else "–" for v in ranking[m]] for m in metrics},
}), "adoption_ranking", f, "ung-dung-cntt")
st.caption(caption)
ui.unplaced_schools(f, sy)

st.subheader(t("district_schools", lg))
options = [c for c in df["district_code"] if isinstance(c, str) and c]
label = dict(zip(df["district_code"], df["district_name"]))
district = ui.choice(st.selectbox, t("choose_district", lg), options, labels=label, key="adoption_district", lang=lg)
schools = ui.query(rollups.district_schools, f.province, district, sy, levels=f.levels, communes_=f.communes)
if schools.empty:
    st.info(t("empty_level", lg))
else:
    yes_no = lambda v: "–" if pd.isna(v) else ("✓" if v else "✗")  # noqa: E731
    ui.static_table(pd.DataFrame({
        "Trường" if lg == "vi" else "School": schools["name"],
        t("level", lg): [level_name(x, lg) for x in schools["level"]],
        "Học sinh" if lg == "vi" else "Students": [fmt_value(v, "count", lg) for v in schools["students"]],
        **{names[m]: [yes_no(v) for v in schools[m]] for m in metrics if m in rollups.FLAGS},
        "⚑": [t("simulated", lg) if p == "simulated" else ("Công bố" if lg == "vi" else "Published")
              for p in schools["school_provenance"]],
    }), "adoption_schools", f, "ung-dung-cntt")
    st.caption(f"{caption}. " + ("Tên trường có thật (danh sách STEM, trường thí điểm) được giữ; chỉ số của mọi trường là mô phỏng."
                                 if lg == "vi" else "Real school names (STEM list, pilots) are kept; every school's values are simulated."))
