"""Mức độ chuyển đổi số (QĐ 4725): share of schools at each level by district, school level and year; group
scores; declared vs verified vs computed; change since last year; school list; the rule and its source."""
import streamlit as st

from dashboard import ui
from dashboard.i18n import t
from dashboard.intake_ui import dx_queries as q
from dashboard.intake_ui import dx_view as v
from dashboard.intake_ui.preview_view import school_year_text
from dashboard.units import view as units_view

f = ui.filters()
lg = f.lang
units_view.page_title(t("ik_page_dx", lg), f)  # names the chosen unit; a province from 7/2025: whose figures
units_view.commune_note(f)
st.caption(t("ik_dx_intro", lg))
prov = ui.query(q.level_shares, f.province, by="province", levels=f.levels, districts_=f.districts,
                communes_=f.communes, lang=lg)
if prov.empty:
    st.info(t("ik_dx_none", lg))
    v.rule(lg)
    ui.end_page()
sy = ui.school_year_select(sorted(int(y) for y in prov["school_year"].unique()), lg)
source = prov.loc[prov["school_year"] == sy, "source"].iloc[0]
label = v.data_label(f.province, sy, source, lg)
caption = f"{label} — {t('school_year', lg)} {school_year_text(sy)}"
sim = source != "imported"
meeting = ui.meeting()  # on the projector the charts are the slides (their captions carry the data label)
if not meeting:
    v.banner(source, label, lg)
    v.headline(prov, sy, lg)

dist = ui.query(q.level_shares, f.province, by="district", levels=f.levels, districts_=f.districts,
                communes_=f.communes, lang=lg)
dist, unplaced = v.split_unplaced(dist, lg)  # schools with no district: counted apart, never a district
d = dist[dist["school_year"] == sy]
com = ui.query(q.level_shares, f.province, by="commune", levels=f.levels, districts_=f.districts,
               communes_=f.communes, lang=lg)
com = com[(com["school_year"] == sy) & ~com["group"].isin([q.NO_COMMUNE[lg]])]
year_schools = int(prov.loc[prov["school_year"] == sy, "schools"].sum())
by_commune = com["schools"].sum() * 2 >= year_schools > 0  # where the register gives most schools a commune
lv = ui.query(q.level_shares, f.province, by="level", levels=f.levels, districts_=f.districts,
              communes_=f.communes, lang=lg)
lv = lv[lv["school_year"] == sy]
imported_years = [school_year_text(y) for y, s in zip(prov["school_year"], prov["source"]) if s == "imported"]
years_caption = t("simulated", lg) if not imported_years else (
    f"{t('ik_source_imported', lg)}: {', '.join(imported_years)}; "
    f"{t('simulated', lg).lower() if lg == 'vi' else 'simulated'}: {t('ik_other_years', lg)}")

# one breakdown at a time (details on demand); every chart still goes into the briefing pack
parts = {"district": t("ik_dx_by_district", lg), **({"commune": t("ik_dx_by_commune", lg)} if by_commune else {}),
         "level": t("ik_dx_by_level", lg), "year": t("ik_dx_by_year", lg)}
chosen = ui.part_choice(parts, "dx_part", lg)
v.shares_chart(d, d["group"].tolist(), "muc-do-theo-huyen", parts["district"], caption, sim, sy, lg,
               draw=ui.shown("district", chosen))
if ui.shown("district", chosen):
    v.unplaced_note(unplaced[unplaced["school_year"] == sy], lg)
if by_commune:
    v.shares_chart(com, com["group"].tolist(), "muc-do-theo-xa", parts["commune"],
                   f"{caption} — {t('ik_dx_commune_cover', lg).format(n=int(com['schools'].sum()), N=year_schools)}",
                   sim, sy, lg, draw=ui.shown("commune", chosen))
v.shares_chart(lv, [v.school_level_name(x, lg) for x in lv["group"]], "muc-do-theo-cap-hoc", parts["level"], caption,
               sim, sy, lg, draw=ui.shown("level", chosen))
v.shares_chart(prov, [school_year_text(y) for y in prov["school_year"]], "muc-do-qua-cac-nam", parts["year"],
               years_caption, (prov["source"] != "imported").any(), sy, lg, horizontal=False,
               draw=ui.shown("year", chosen))
if not meeting:
    v.published(f.province, lg)

a = v.assessments(f.province, sy, f) if not sim else v.assessments(f.province, -1, f)
v.scores(a, caption, sy, lg)
if not meeting:
    v.level_checks(a, lg)
    v.change(dist, sy, f)
    v.schools(f.province, sy, source, a, f, lg)
    v.rule(lg)
