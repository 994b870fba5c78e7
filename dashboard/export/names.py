"""File names, dates and the texts of footers and title pages (pure functions)."""
from __future__ import annotations

import re
import textwrap
import unicodedata
from datetime import date
from typing import Sequence

from ..i18n import LEVEL_NAMES, PILLAR_NAMES, level_name, pillar_name, t
from ..markup import plot as _plot


def _slug(text: str, max_len: int = 48) -> str:
    s = str(text).replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rsplit("-", 1)[0] or s[:max_len]
    return s


def export_filename(page: str, province: str, chart: str, ext: str, day: date) -> str:
    """'tong-quan_dong-thap_so-sanh-ba-tinh_2026-11-22.png': ASCII only, diacritics stripped (đ → d)."""
    parts = [_slug(x) for x in (page, province, chart) if x and _slug(x)]
    ext = _slug(ext.lstrip("."), 8) or "bin"
    return "_".join(parts + [day.isoformat()]) + "." + ext


_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]


def fmt_day(day: date, lang: str = "vi") -> str:
    """22/11/2026 (vi) or 22 November 2026 (en)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if lang != "en" else f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def describe_filters(province_name: str, *, year_max: int | None = None, levels: Sequence[str] = (),
                     pillars: Sequence[str] = (), lang: str = "vi") -> str:
    """'Tỉnh: Đồng Tháp · Năm (đến hết): Mới nhất · Cấp học: Tất cả cấp học · Trụ cột: Tất cả trụ cột'."""
    lv = ", ".join(level_name(x, lang) for x in levels if x in LEVEL_NAMES) or t("levels_all", lang)
    pl = ", ".join(pillar_name(x, lang) for x in pillars if x in PILLAR_NAMES) or t("pillars_all", lang)
    return " · ".join([f"{t('province', lang)}: {province_name}",
                       f"{t('year', lang)}: {year_max if year_max else t('all_years', lang)}",
                       f"{t('school_level', lang)}: {lv}", f"{t('pillar', lang)}: {pl}"])


def _esc(text: str) -> str:
    """Plotly's pseudo-HTML: text is text (a '<' in '< 80%' would otherwise start a tag; see dashboard.markup)."""
    return _plot(text)


def _wrap(text: str, chars: int) -> list[str]:
    return [_esc(x) for x in textwrap.wrap(str(text), chars, break_long_words=False)] if text else []


def _sources_line(sources_text: str, lang: str) -> str:
    s = (sources_text or "").strip()
    if not s:
        return ""
    if s.lower().startswith((t("sources", "vi").lower(), t("sources", "en").lower())):
        return s
    return f"{t('sources', lang)}: {s}"
