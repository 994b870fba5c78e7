"""District pages: common page head, the district section of the published pages, schools with no district."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import rollups
from ..i18n import fmt_value, level_name, register, t
from .boundary import end_page
from .cache import query
from .exports import chart
from .filters import Filters, filters, school_year_select
from .static_tables import static_table

register({
    "unplaced_title": {"vi": "Trường không ghi huyện trong văn bản ({n})", "en": "Schools with no district in the documents ({n})"},
    "unplaced_note": {"vi": "Văn bản không ghi huyện/thành phố của các trường này, nên chúng không thuộc huyện nào trong "
                            "biểu đồ và bảng xếp hạng; tổng toàn tỉnh vẫn tính chúng.",
                      "en": "The documents name no district for these schools, so they belong to no district in the "
                            "charts and rankings; the province totals still count them."},
    "scr_school": {"vi": "Trường", "en": "School"},
    "scr_students": {"vi": "Học sinh", "en": "Students"},
    "scr_imported": {"vi": "Dữ liệu nhập", "en": "Imported"},
})


def district_section(f: Filters, indicator_codes: list[str], key: str) -> None:
    """For the districts chosen in the filter: simulated shares of the school-level metrics that match the
    page's indicators, beside the province total of the same simulation. Published figures stay above."""
    if not f.districts:
        return
    from .. import charts  # noqa: PLC0415

    lg = f.lang
    st.subheader(t("district_section", lg))
    years = query(rollups.school_years, f.province)
    metrics = list(dict.fromkeys(rollups.INDICATOR_METRIC[c] for c in indicator_codes if c in rollups.INDICATOR_METRIC))
    if not years or not metrics:
        st.info(t("no_data", lg))
        return
    sy = years[-1]
    df = query(rollups.district_summary, f.province, sy, levels=f.levels, districts_=f.districts, lang=f.lang,
               placed_only=True, communes_=f.communes)
    if df.empty:
        st.info(t("empty_level", lg))
        return
    total = query(rollups.province_summary, f.province, sy, levels=f.levels).assign(
        district_name=t("province_total", lg), district_code="")
    both = pd.concat([df, total], ignore_index=True)
    names = {m: rollups.metric_name(m, lg) for m in metrics}
    caption = f"{t('simulated', lg)} — {t('school_year', lg)} {sy}-{sy + 1}"
    fig = charts.district_bars_figure(both, metrics, names, lang=lg, title=t("district_section", lg), caption=caption)
    chart(fig, key, title=t("district_section", lg), data=both, sources_text=caption, simulated=True,
          as_of=f"{sy}-{sy + 1}")
    st.caption(t("simulated_note", lg))


def district_page(title_key: str) -> tuple[Filters, int, pd.DataFrame]:
    """Common head of the district pages: title, simulated-data notice, school-year selector, the rollup.

    Ends the page (`end_page`: footer, pack panel and meeting controls still drawn) with a clear message when
    the province has no school data or the filters leave nothing. The rollup has real districts only; schools
    whose documents name no district are listed apart (`unplaced_schools`), never as a district.
    """
    f = filters()
    from ..units.view import commune_note, page_title  # noqa: PLC0415

    page_title(t(title_key, f.lang), f)  # names the chosen unit; a province from 7/2025: whose figures follow
    commune_note(f)
    st.warning(t("simulated_note", f.lang), icon=":material/science:")
    years = query(rollups.school_years, f.province)
    if not years:
        st.info(t("no_data", f.lang))
        end_page()
    sy = school_year_select(years, f.lang)
    if f.year_max:
        st.caption(t("year_filter_na", f.lang))
    df = query(rollups.district_summary, f.province, sy, levels=f.levels, districts_=f.districts, lang=f.lang,
               placed_only=True, communes_=f.communes)
    if df.empty:
        st.info(t("empty_level", f.lang))
        unplaced_schools(f, sy)
        end_page()
    return f, sy, df


def unplaced_schools(f: Filters, sy: int) -> None:
    """The schools whose documents name no district, listed apart (not a district of any chart or ranking)."""
    if f.districts:  # a district filter: these schools belong to none of the chosen districts
        return
    schools = query(rollups.schools_without_district, f.province, sy, levels=f.levels, communes_=f.communes)
    if schools.empty:
        return
    lg = f.lang
    with st.expander(t("unplaced_title", lg).format(n=len(schools))):
        st.caption(t("unplaced_note", lg))
        static_table(pd.DataFrame({
            t("scr_school", lg): schools["name"], t("level", lg): [level_name(x, lg) for x in schools["level"]],
            t("scr_students", lg): [fmt_value(v, "count", lg) for v in schools["students"]],
            "⚑": [t("simulated", lg) if p == "simulated" else t("scr_imported", lg) for p in schools["provenance"]],
        }), "unplaced_schools", f, "khong-ghi-huyen")
