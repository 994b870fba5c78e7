"""The headline status table that opens a briefing pack: one row per headline indicator (pure functions).

Rows come from `queries.progress_table(..., headline_only=True, target_years=(2025, 2024))`, the query the
overview page's cards use (`packs.status_table` runs it); the status is the one that query computed by the
stated rule (`queries.status_with_basis`) and is only put into words here.
"""
from __future__ import annotations

import pandas as pd

from .. import charts
from ..i18n import fmt_date, fmt_value, level_name, register, t
from ..markup import section_label

STATUS_YEARS = (2025, 2024)  # the overview's cards: the 2025 target, else the province's 2024 plan target
STATUS_FILL = {k: v.lstrip("#") for k, v in charts.STATUS_COLOURS.items()}  # the charts' status colours
COLUMNS = ("indicator", "value", "target", "gap", "status", "source")

register({
    "pack_status_title": {"vi": "Các chỉ tiêu chính: hiện trạng so với mục tiêu",
                          "en": "Headline indicators against their targets"},
    "pack_status_cont": {"vi": "(tiếp)", "en": "(continued)"},
    "pack_col_value": {"vi": "Số liệu mới nhất", "en": "Latest value"},
    "pack_col_gap": {"vi": "Khoảng cách", "en": "Gap"},
    # a former province's target shown for the province from 7/2025 it merged into (the targets page's label)
    "target_scope_former": {"vi": "Kế hoạch tỉnh {unit}", "en": "Provincial plan of {unit}"},
})


def scope_label(scope: object, lg: str, former: dict[str, str] | None = None) -> str:
    """Who set a target: 'Quyết định 131' for VN, else 'Kế hoạch tỉnh'; with `former` (former province code →
    name, given when a province from 7/2025 is chosen) a target of a former province names it: 'Kế hoạch tỉnh
    Sóc Trăng (trước 7/2025)'. The current province's own target (scope '92-2025') stays 'Kế hoạch tỉnh'."""
    if scope == "VN":
        return t("target_scope_vn", lg)
    if former and isinstance(scope, str) and scope in former:
        from ..units.strings import s  # noqa: PLC0415 - the unit label of the two geographies

        return t("target_scope_former", lg).format(unit=s("former_label", lg).format(name=former[scope]))
    return t("target_scope_prov", lg)


def _has(v: object) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and not pd.isna(v)


def gap_words(r: pd.Series | dict, year: int, lg: str) -> str:
    """'còn thiếu 7,2 điểm %' | 'Đã đạt' | 'Chưa có số liệu' | 'Chưa có mục tiêu' for one progress row: the
    targets chart's own words (`charts.gap_words`, which follows the row's status), and a row without a target
    says so."""
    return charts.gap_words(r, year, lg) or t("no_target", lg)


def status_rows(progress: pd.DataFrame, lg: str, years: tuple[int, ...] = STATUS_YEARS,
                former: dict[str, str] | None = None) -> pd.DataFrame:
    """Display rows (strings) of the headline table, in the cards' order, plus `status_key` for the colour.
    `former`: see `scope_label` (a province from 7/2025 chosen: its former provinces' targets name them)."""
    out = []
    for _, r in progress.iterrows():
        year = next((y for y in years if _has(r.get(f"target_{y}"))), years[0])
        extra = [x for x in (level_name(r["level"], lg) if r.get("level") not in (None, "ALL") else "",
                             r.get("breakdown_name") or "") if x]
        name = str(r["indicator_name"]) + (f" — {' · '.join(extra)}" if extra else "")
        has_value = _has(r.get("value"))
        value = fmt_value(r["value"], r["unit"], lg, r.get("qualifier") or "") if has_value else "–"
        if has_value and _has(r.get("period_end")):
            value += f" ({fmt_date(r['period_end'], lg)})"
        tgt = r.get(f"target_{year}")
        if _has(tgt):
            scope = scope_label(r.get(f"target_{year}_scope"), lg, former)
            target = f"{fmt_value(tgt, r['unit'], lg, r.get(f'target_{year}_qualifier') or '')} ({year}, {scope})"
        else:
            target = "–"
        status = r.get(f"status_{year}") or "none"
        status_txt = t(f"chart_status_short_{status}", lg)  # 'Gần đạt': the rule is the table's footnote
        if basis := r.get(f"status_{year}_basis"):
            status_txt += f" ({t(f'status_basis_{basis}', lg)})"
        if has_value:
            source = f"{r.get('source_title') or ''}, {section_label(r.get('section') or '', lg)}".strip(", ")
        elif _has(tgt) and isinstance(r.get(f"target_{year}_source"), str):
            source = (f"{t('target', lg)}: {r.get(f'target_{year}_source')}, "
                      f"{section_label(r.get(f'target_{year}_section') or '', lg)}")
            source = source.strip(", ")
        else:
            source = ""
        out.append({"indicator": name, "value": value, "target": target, "gap": gap_words(r, year, lg),
                    "status": status_txt, "source": source, "status_key": status,
                    "indicator_code": r["indicator_code"]})
    return pd.DataFrame(out, columns=[*COLUMNS, "status_key", "indicator_code"])


def headers(lg: str) -> list[str]:
    return [t("indicator", lg), t("pack_col_value", lg), t("target", lg), t("pack_col_gap", lg), t("status", lg),
            t("source", lg)]


def chunks(rows: pd.DataFrame, per_page: int) -> list[pd.DataFrame]:
    """The rows split into pages of at most `per_page`, balanced (13 rows at 8 a page → 7 + 6, not 8 + 5)."""
    if rows.empty:
        return []
    n_pages = -(-len(rows) // per_page)
    size = -(-len(rows) // n_pages)
    return [rows.iloc[i:i + size] for i in range(0, len(rows), size)]
