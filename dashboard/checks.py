"""Checks of the documents against themselves: figures that cannot all be right as printed.

Shown on the sources page beside the conflicts (two statements of one figure) and the part-sum checks:

* ``share_checks``: every printed share that has a printed count AND a printed denominator, recomputed;
  listed when the recomputed share differs from the printed one by more than the printed rounding
  (half a unit of the last printed decimal). Rows that agree once the share is truncated instead of
  rounded say so (``truncated_agrees``).
* ``implied_denominators``: every printed share with a printed count but no denominator implies a total
  (count / share, as an interval from the printed rounding). Statements about the same population in the
  same unit and period must imply overlapping totals; a plain count of that population (e.g. records)
  must not exceed the total. The population of an indicator is the small catalogue ``POPULATION`` below
  (which people or things the share is "of"); everything else is a query.
* ``inconsistencies``: both, plus the exact conflicts of the ``conflicts`` view, in one table with both
  statements, for the sources page.
"""
from __future__ import annotations

import re

import pandas as pd
from sqlalchemy.engine import Engine

from .i18n import fmt_number, register
from .querybase import REPORTED, _df, _name_col

# Which population a share (or count) of an indicator is "of". Only indicators whose definition names the
# population (data/seed/indicators/*.csv, definition_vi) are listed; a new one joins a check by being added.
POPULATION = {
    "TEACHERS_TRAINED_BLENDED_PCT": "teachers", "TEACHERS_TRAINED_ELEARNING_PCT": "teachers",
    "TCH_ONLINE_EQUIPPED_PCT": "teachers", "TEACHERS_DIGITAL_RECORD_PCT": "teachers",
    "LEARNERS_DIGITAL_RECORD_PCT": "learners", "STU_ONLINE_EQUIPPED_PCT": "learners",
    "STUDENTS_ON_PLATFORMS_PCT": "learners", "SECTOR_DB_STUDENT_RECORDS": "learners",
}
POPULATION_NAMES = {"teachers": {"vi": "nhà giáo", "en": "teachers"},
                    "learners": {"vi": "người học", "en": "learners"}}

register({
    "inc_title": {"vi": "Số liệu trong văn bản không khớp nhau", "en": "Figures in the documents that do not agree"},
    "inc_caption": {
        "vi": "Tính lại từ chính các con số đã in: tỉ lệ so với số lượng và mẫu số in cùng câu (chênh quá mức "
              "làm tròn của số in), tổng số suy ra từ các tỉ lệ về cùng một nhóm người, và hai câu in khác nhau "
              "cho cùng một số liệu. Số liệu vẫn được lưu đúng như in; bảng này chỉ chỉ ra chỗ cần hỏi lại.",
        "en": "Recomputed from the printed numbers themselves: a share against the count and denominator printed "
              "with it (beyond the printed rounding), totals implied by shares of the same population, and two "
              "sentences that print one figure differently. Figures stay stored as printed; this table only "
              "shows where to ask."},
    "inc_kind_share": {"vi": "Tỉ lệ ≠ số lượng / mẫu số", "en": "Share ≠ count / denominator"},
    "inc_kind_denominator": {"vi": "Tổng số suy ra không khớp", "en": "Implied totals disagree"},
    "inc_kind_count_exceeds": {"vi": "Số lượng vượt tổng số suy ra", "en": "Count exceeds the implied total"},
    "inc_kind_conflict": {"vi": "Hai văn bản/câu in khác nhau", "en": "Two statements differ"},
    "inc_statement": {"vi": "Số in", "en": "As printed"},
    "inc_other": {"vi": "Đối chiếu với", "en": "Against"},
    "inc_finding": {"vi": "Tính lại", "en": "Recomputed"},
    "inc_kind": {"vi": "Loại", "en": "Kind"},
})

_PCT = re.compile(r"(\d+)(?:[.,](\d+))?\s*%")


def printed_decimals(printed: str | None) -> int | None:
    """Decimals of the share as printed ('78,18%' -> 2, '81.4%' -> 1, '100%' -> 0); None if no share is printed."""
    m = _PCT.search(printed or "")
    if not m:
        return None
    return len(m.group(2) or "")


def _half_unit(decimals: int) -> float:
    return 0.5 * 10 ** -decimals


def _obs(indicators: list[str] | None, lang: str, engine: Engine | None, where: str) -> pd.DataFrame:
    nc = _name_col(lang)
    st = "short_title_en" if lang == "en" else "short_title_vi"
    return _df(f"""
    SELECT o.obs_key, o.indicator_code, i.{nc} AS indicator_name, i.unit, o.unit_code, u.name AS unit_name, o.level,
           o.breakdown, o.period, o.value, o.numerator, o.denominator, o.qualifier, o.printed, o.value_derived,
           o.source_id, s.{st} AS source_title, o.section, o.quote
    FROM observation o JOIN indicator i ON i.code = o.indicator_code JOIN admin_unit u ON u.code = o.unit_code
    LEFT JOIN source s ON s.id = o.source_id
    WHERE o.provenance IN {REPORTED} AND {where} {'AND o.indicator_code IN :inds' if indicators is not None else ''}
    ORDER BY o.unit_code, o.indicator_code, o.obs_key""",
               {"inds": indicators or [""]} if indicators is not None else {}, engine,
               expanding=("inds",) if indicators is not None else ())


def share_checks(lang: str = "vi", engine: Engine | None = None, *, all_rows: bool = False) -> pd.DataFrame:
    """Printed shares recomputed from their printed count and denominator.

    Columns: the observation (obs_key, indicator, unit, level, period, printed, numerator, denominator, source,
    section, quote), decimals (of the printed share), recomputed (numerator / denominator × 100), difference,
    tolerance (half a unit of the last printed decimal), agrees, truncated_agrees. Only rows that disagree
    unless all_rows.
    """
    df = _obs(None, lang, engine, "i.unit = 'pct' AND o.numerator IS NOT NULL AND o.denominator > 0 "
                                  "AND o.value IS NOT NULL AND o.value_derived = 0 AND o.qualifier = ''")
    df["decimals"] = [printed_decimals(p) for p in df["printed"]]
    df = df[df["decimals"].notna()].copy()
    df["decimals"] = df["decimals"].astype(int)
    df["recomputed"] = 100.0 * df["numerator"] / df["denominator"]
    df["difference"] = df["recomputed"] - df["value"]
    df["tolerance"] = [_half_unit(d) for d in df["decimals"]]
    df["agrees"] = df["difference"].abs() <= df["tolerance"] + 1e-9
    scale = 10.0 ** df["decimals"]
    df["truncated_agrees"] = ((df["recomputed"] * scale + 1e-9) // 1 / scale - df["value"]).abs() < 1e-9
    if not all_rows:
        df = df[~df["agrees"]]
    return df.reset_index(drop=True)


def implied_denominators(lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Totals implied by printed shares of the same population, and counts of it that exceed them.

    One row per observation of a population (``POPULATION``) in a unit and period: population, implied_low /
    implied_high (count / share, from the printed rounding; a count alone has no implied total), and per group
    (unit, period, population): group_low = max of the lower ends, group_high = min of the upper ends,
    consistent (the intervals overlap), and for plain counts exceeds (count > the largest implied total).
    """
    df = _obs(list(POPULATION), lang, engine, "o.value IS NOT NULL")
    if df.empty:
        return df.assign(population=[], implied_low=[], implied_high=[], consistent=[], exceeds=[])
    df["population"] = df["indicator_code"].map(POPULATION)
    lows, highs = [], []
    for unit, v, num, den, printed in zip(df["unit"], df["value"], df["numerator"], df["denominator"], df["printed"]):
        dec = printed_decimals(printed) if unit == "pct" else None
        if unit != "pct" or pd.isna(num) or not pd.isna(den) or dec is None or v <= 0:
            lows.append(None)
            highs.append(None)
            continue
        h = _half_unit(dec)
        lows.append(num * 100.0 / min(100.0, v + h))   # a share cannot exceed 100%
        highs.append(num * 100.0 / (v - h))
    df["implied_low"], df["implied_high"] = lows, highs
    df["count"] = [v if u != "pct" else None for u, v in zip(df["unit"], df["value"])]
    key = ["unit_code", "period", "population"]
    g = df.groupby(key)
    df["group_low"] = g["implied_low"].transform("max")
    df["group_high"] = g["implied_high"].transform("min")
    df["group_max"] = g["implied_high"].transform("max")
    df["statements"] = g["implied_low"].transform("count")
    df["consistent"] = ~((df["statements"] >= 2) & (df["group_low"] > df["group_high"] + 1e-9))
    df["exceeds"] = df["count"].notna() & df["group_max"].notna() & (df["count"] > df["group_max"])
    return df.reset_index(drop=True)


def _stmt(r: pd.Series, lang: str) -> str:
    return f"{r['printed']} — {r['source_title']}, {r['section']}"


def inconsistencies(lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Every disagreement the documents contain, with both statements, for the sources page.

    Columns: kind (share | denominator | count_exceeds | conflict), unit_name, indicator_name, period,
    statement (the figure as printed, document, section), other (what it is held against), finding (the
    computation), keys (record ids).
    """
    from .queries import conflicts  # the conflicts view lives with the other store queries

    fmt = lambda v, d=2: fmt_number(round(float(v), d), lang=lang)  # noqa: E731
    rows = []
    for _, r in share_checks(lang, engine).iterrows():
        trunc = (" (khớp nếu cắt bớt chữ số thay vì làm tròn)" if lang == "vi" else
                 " (agrees if truncated instead of rounded)") if r["truncated_agrees"] else ""
        rows.append({"kind": "share", "unit_name": r["unit_name"], "indicator_name": r["indicator_name"],
                     "period": r["period"], "statement": _stmt(r, lang),
                     "other": f"{fmt(r['numerator'], 0)}/{fmt(r['denominator'], 0)}",
                     "finding": f"{fmt(r['numerator'], 0)}/{fmt(r['denominator'], 0)} = {fmt(r['recomputed'])}% "
                                f"≠ {r['printed']}{trunc}",
                     "keys": r["obs_key"]})
    dens = implied_denominators(lang, engine)
    for (unit, period, pop), g in dens.groupby(["unit_code", "period", "population"], sort=True):
        shares = g[g["implied_low"].notna()]
        pname = POPULATION_NAMES[pop]["en" if lang == "en" else "vi"]
        implied = "; ".join(f"{fmt(n, 0)} = {p} ⇒ {fmt(lo, 0)}–{fmt(hi, 0)} {pname}"
                            for n, p, lo, hi in zip(shares["numerator"], shares["printed"], shares["implied_low"],
                                                    shares["implied_high"]))
        if not g["consistent"].all():
            rows.append({"kind": "denominator", "unit_name": g["unit_name"].iloc[0],
                         "indicator_name": "; ".join(dict.fromkeys(shares["indicator_name"])), "period": period,
                         "statement": "; ".join(_stmt(r, lang) for _, r in shares.iterrows()),
                         "other": ("cùng một nhóm " if lang == "vi" else "the same population of ") + pname,
                         "finding": implied, "keys": ", ".join(shares["obs_key"])})
        for _, c in g[g["exceeds"]].iterrows():
            rows.append({"kind": "count_exceeds", "unit_name": c["unit_name"], "indicator_name": c["indicator_name"],
                         "period": period, "statement": _stmt(c, lang),
                         "other": "; ".join(_stmt(r, lang) for _, r in shares.iterrows()),
                         "finding": f"{fmt(c['count'], 0)} > {fmt(shares['implied_high'].max(), 0)} ({implied})",
                         "keys": ", ".join([c["obs_key"], *shares["obs_key"]])})
    conf = conflicts(lang=lang, engine=engine)
    for _, c in conf[conf["exact_conflict"].astype(bool)].iterrows():
        rows.append({"kind": "conflict", "unit_name": c["unit_name"], "indicator_name": c["indicator_name"],
                     "period": c["period"], "statement": c["printed_values"], "other": "",
                     "finding": ("các câu in khác nhau" if lang == "vi" else "the statements differ"),
                     "keys": c["obs_keys"]})
    return pd.DataFrame(rows, columns=["kind", "unit_name", "indicator_name", "period", "statement", "other",
                                       "finding", "keys"])
