"""The sidebar's filters and the language, bound to the page address (shareable links)."""
from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from .. import rollups
from ..i18n import LEVEL_NAMES, PILLAR_NAMES, fmt_date, level_name, pillar_name, register, t
from ..units.view import commune_filter, province_choices, province_label, resolve
from .cache import query
from .links import choice, url_value

register({
    "task_status_all": {"vi": "Mọi trạng thái", "en": "Every status"},
})

DEFAULT_PROVINCE = "87"  # Đồng Tháp: the plan that asks for this system
DEFAULT_ENV = "DASHBOARD_DEFAULT_PROVINCE"  # an operator's default: a former ("94") or current ("92-2025") option


def default_province(codes: list[str]) -> str:
    """The selector's default: DASHBOARD_DEFAULT_PROVINCE when it names one of the options (a former province's
    code, or a current province's option code such as '92-2025'), else the former Đồng Tháp (87)."""
    wanted = (os.environ.get(DEFAULT_ENV) or "").strip()
    if wanted in codes:
        return wanted
    return DEFAULT_PROVINCE


@dataclass(frozen=True)
class Filters:
    lang: str
    province: str
    year_max: int | None
    levels: tuple[str, ...]
    pillars: tuple[str, ...]
    districts: tuple[str, ...] = ()
    current_province: str | None = None  # chosen as a province from 7/2025 (then `province` = its former part)
    communes: tuple[str, ...] = ()  # current communes (from 7/2025)



LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def points_text(n: int, lg: str) -> str:
    """'1 điểm', '3 điểm' / '1 point', '3 points': the number of points of a series."""
    return f"{n} điểm" if lg == "vi" else f"{n} point{'' if n == 1 else 's'}"


def lang() -> str:
    """The chosen language; on the first run of a shared link the widget does not exist yet: read the URL
    (`lang=en`, or an old link's `lang=English`)."""
    chosen = st.session_state.get("lang")
    if chosen:
        return chosen
    return url_value("lang", list(LANG_NAMES), lambda c, _: LANG_NAMES[c]) or "vi"


def sidebar_filters() -> Filters:
    """Language and filters in the sidebar, each kept in the URL by its code (`links.choice`: a link made in
    one language opens the same view in the other; old links naming labels still open)."""
    with st.sidebar:
        lg = choice(st.segmented_control, t("language", lang()), list(LANG_NAMES), key="lang", page=None,
                    labels=lambda c, _: LANG_NAMES[c], default="vi", required=True)
        lg = lg or "vi"
        st.header(t("filters", lg))
        # current provinces with store data, then the former ones "(trước 7/2025)" (dashboard/units)
        codes, rows = province_choices()
        codes = codes or [DEFAULT_PROVINCE]
        option = choice(st.selectbox, t("province", lg), codes, key="province", page=None, lang=lg, keep=True,
                        labels=lambda c, lng: province_label(c, lng, rows), default=default_province(codes))
        province, current = resolve(option or codes[0], rows)
        dists = query(rollups.districts, province)
        dnames = dict(zip(dists["code"], dists["fullname"]))
        districts = choice(st.multiselect, t("district", lg), list(dnames), key="district", page=None, lang=lg,
                           labels=lambda c, _: dnames.get(c, c), placeholder=t("districts_all", lg),
                           select_all=False)
        # a current province: its current communes (from 7/2025); the pages of school-level data (district pages,
        # Decision 4725 levels, school lists) count only the schools placed in them
        communes = commune_filter(current, province, lg)
        yrs = ["latest"] + [str(y) for y in query("years")]
        year = choice(st.selectbox, t("year", lg), yrs, key="year", page=None, lang=lg, default="latest",
                      labels=lambda y, lng: t("all_years", lng) if y == "latest" else y)
        levels = choice(st.multiselect, t("school_level", lg), list(LEVEL_NAMES), key="level", page=None, lang=lg,
                        labels=level_name, placeholder=t("levels_all", lg), select_all=False)
        pillars = choice(st.multiselect, t("pillar", lg), list(PILLAR_NAMES), key="pillar", page=None, lang=lg,
                         labels=pillar_name, placeholder=t("pillars_all", lg), select_all=False)
        st.toggle(t("meeting_mode", lg), key="meeting", bind="query-params")
        st.caption(t("share_link", lg))
    return Filters(lg, province or codes[0], None if year in (None, "latest") else int(year),
                   tuple(levels), tuple(pillars), tuple(districts), current, communes)


def filters() -> Filters:
    """The filters chosen in the sidebar by app.py for this run."""
    f = st.session_state.get("_filters")
    if f is None:  # a page run on its own (tests)
        f = sidebar_filters()
    return f


def school_year_select(years: list[int], lg: str) -> int:
    """School-year selector for the district pages, bound to the URL (?sy=2023-2024)."""
    labels = {f"{y}-{y + 1}": y for y in years}
    chosen = st.selectbox(t("school_year", lg), list(labels)[::-1], key="sy", bind="query-params")
    return labels.get(chosen, years[-1])



def latest_as_of(province: str) -> str:
    """'03/2024': the as-of date of the province's latest published figure."""
    d = query("as_of", [province])
    return fmt_date(d, lang()) if d else "–"


def province_name(code: str) -> str:
    provs = query("provinces")
    return dict(zip(provs["code"], provs["name"])).get(code, code)
