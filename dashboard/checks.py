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
* ``imported_vs_published``: the sums of imported school rows (province, school year) against the published
  province figures of the same period for the indicators of ``rollups.INDICATOR_METRIC`` (shares of schools,
  learners and teachers, with their printed counts and denominators). The period of a published figure is the
  school year that contains its as-of date (the rule the simulation is calibrated by); its level (ALL, PT,
  PT_GDTX or one school level) chooses the school rows summed. Listed when the imported share differs from the
  printed one by more than the printed rounding (a bound such as "trên 80%" only when the sum breaks the bound),
  or an imported count or total differs from a printed one; both statements are given (the published one with
  its document and section, the imported one with its batch files and approval dates).
* ``inconsistencies``: all of these, plus the exact conflicts of the ``conflicts`` view, in one table with both
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
    "inc_kind_imported": {"vi": "Tổng số liệu nhập ≠ số công bố", "en": "Imported sum ≠ published figure"},
    "inc_imported_caption": {
        "vi": "Tổng các dòng số liệu trường đã nhập (theo tỉnh, năm học) được đối chiếu với số công bố cấp tỉnh cùng kỳ "
              "(năm học chứa ngày số liệu của văn bản) cho các chỉ tiêu tỉ lệ trường, người học, nhà giáo: chênh "
              "quá mức làm tròn của số in được liệt kê với cả hai nguồn. Không số nào bị sửa.",
        "en": "The sums of the imported school rows (per province and school year) are held against the published "
              "province figures of the same period (the school year that contains the document's as-of date) for "
              "the shares of schools, learners and teachers: differences beyond the printed rounding are listed with "
              "both sources. No figure is changed."},
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
                                  "AND o.value IS NOT NULL AND o.value_derived = FALSE AND o.qualifier = ''")
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


def school_year_of(d: str) -> int:
    """The school year (as its first calendar year) that contains an ISO date: Sept–Dec Y and Jan–Aug Y+1 -> Y.
    The period of a published figure for school data: the simulation is calibrated, and imported sums compared,
    on that school year."""
    y, m = int(d[:4]), int(d[5:7])
    return y if m >= 9 else y - 1


# Which school rows a published figure's level covers (school_year.level); ALL: every row.
LEVEL_ROWS = {"PT": ("TH", "THCS", "THPT", "TRH", "LC"), "PT_GDTX": ("TH", "THCS", "THPT", "TRH", "LC", "GDTX")}
_QUALIFIED_OK = {">": lambda s, v, tol: s > v - tol, ">=": lambda s, v, tol: s >= v - tol,
                 "<": lambda s, v, tol: s < v + tol, "<=": lambda s, v, tol: s <= v + tol}


def imported_vs_published(lang: str = "vi", engine: Engine | None = None, *, all_rows: bool = False) -> pd.DataFrame:
    """Sums of imported school rows against the published province figures of the same period.

    One row per published figure (indicator of rollups.INDICATOR_METRIC) whose province and school year have
    imported school rows: the figure (obs_key, indicator, unit, level, period, printed, value, qualifier,
    numerator, denominator, source_title, section), school_year, the imported sums (schools, imp_count, imp_base,
    imp_share), batch_label ("Dữ liệu nhập: <file>, phê duyệt <date>"), tolerance, share_agrees, count_agrees,
    base_agrees, agrees. Only rows that disagree unless all_rows.
    """
    from . import rollups

    cols = ["obs_key", "indicator_code", "indicator_name", "unit_code", "unit_name", "level", "period", "printed",
            "value", "qualifier", "numerator", "denominator", "source_title", "section", "school_year", "schools",
            "imp_count", "imp_base", "imp_share", "batch_label", "tolerance", "share_agrees", "count_agrees",
            "base_agrees", "agrees"]
    years = _df("SELECT DISTINCT province_code, school_year FROM school_year WHERE batch_id IS NOT NULL", None, engine)
    if years.empty:
        return pd.DataFrame(columns=cols)
    imported = set(zip(years["province_code"], years["school_year"].astype(int)))
    obs = _obs(list(rollups.INDICATOR_METRIC), lang, engine, "o.value IS NOT NULL AND o.qualifier <> '~'")
    obs = obs[obs["unit_code"].isin({p for p, _ in imported})]  # a few published figures, not school rows
    ends = _df("SELECT obs_key, period_end FROM observation WHERE obs_key IN :k", {"k": list(obs["obs_key"]) or [""]},
               engine, expanding=("k",)).set_index("obs_key")["period_end"]
    rows, labels = [], {}
    for _, r in obs.iterrows():
        end = ends.get(r["obs_key"])
        if not end:
            continue
        sy = school_year_of(str(end))
        if (r["unit_code"], sy) not in imported:
            continue
        metric = rollups.INDICATOR_METRIC[r["indicator_code"]]
        if metric in ("learners_digital", "teachers_digital"):
            base = "students" if metric == "learners_digital" else "teachers"
            count_sql, base_sql = f"SUM(sy.{metric})", f"SUM(CASE WHEN sy.{metric} IS NOT NULL THEN sy.{base} END)"
        else:
            count_sql, base_sql = f"SUM(sy.{metric})", f"COUNT(sy.{metric})"
        lv = LEVEL_ROWS.get(r["level"], () if r["level"] == "ALL" else (r["level"],))
        agg = _df(f"""SELECT COUNT(*) AS schools, {count_sql} AS c, {base_sql} AS b FROM school_year sy
                      WHERE sy.province_code = :p AND sy.school_year = :y AND sy.batch_id IS NOT NULL
                        AND (:all_levels OR sy.level IN :levels)""",
                  {"p": r["unit_code"], "y": sy, "all_levels": not lv, "levels": list(lv) or [""]}, engine,
                  expanding=("levels",)).iloc[0]
        if pd.isna(agg["b"]) or not agg["b"]:
            continue  # the imported rows say nothing of this metric at this level
        if (r["unit_code"], sy) not in labels:
            labels[(r["unit_code"], sy)] = rollups.data_source(r["unit_code"], sy, lang=lang, engine=engine)["label"]
        share = 100.0 * float(agg["c"]) / float(agg["b"])
        dec = printed_decimals(r["printed"])
        tol = _half_unit(dec if dec is not None else 0)
        q = r["qualifier"] or ""
        share_ok = (_QUALIFIED_OK[q](share, r["value"], tol + 1e-9) if q in _QUALIFIED_OK
                    else abs(share - r["value"]) <= tol + 1e-9)
        count_ok = q != "" or pd.isna(r["numerator"]) or abs(float(agg["c"]) - r["numerator"]) < 0.5
        base_ok = q != "" or pd.isna(r["denominator"]) or abs(float(agg["b"]) - r["denominator"]) < 0.5
        rows.append({**{c: r[c] for c in cols[:14]}, "school_year": sy, "schools": int(agg["schools"]),
                     "imp_count": float(agg["c"]), "imp_base": float(agg["b"]), "imp_share": share,
                     "batch_label": labels[(r["unit_code"], sy)], "tolerance": tol, "share_agrees": share_ok,
                     "count_agrees": count_ok, "base_agrees": base_ok, "agrees": share_ok and count_ok and base_ok})
    df = pd.DataFrame(rows, columns=cols)
    if not all_rows:
        df = df[~df["agrees"].astype(bool)]
    return df.reset_index(drop=True)


def _stmt(r: pd.Series, lang: str) -> str:
    return f"{r['printed']} — {r['source_title']}, {r['section']}"


def inconsistencies(lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Every disagreement the documents contain, with both statements, for the sources page.

    Columns: kind (share | denominator | count_exceeds | imported | conflict), unit_name, indicator_name, period,
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
    for _, r in imported_vs_published(lang, engine).iterrows():
        parts = [f"{fmt(r['imp_share'])}% ≠ {r['printed']}"] if not r["share_agrees"] else []
        if not r["count_agrees"]:
            parts.append(f"{fmt(r['imp_count'], 0)} ≠ {fmt(r['numerator'], 0)}")
        if not r["base_agrees"]:
            parts.append(f"{fmt(r['imp_base'], 0)} ≠ {fmt(r['denominator'], 0)}")
        sy = f"{r['school_year']}-{r['school_year'] + 1}"
        schools = f"{fmt(r['schools'], 0)} {'trường' if lang == 'vi' else 'schools'}"
        rows.append({"kind": "imported", "unit_name": r["unit_name"], "indicator_name": r["indicator_name"],
                     "period": r["period"], "statement": _stmt(r, lang),
                     "other": f"{fmt(r['imp_count'], 0)}/{fmt(r['imp_base'], 0)} = {fmt(r['imp_share'])}% "
                              f"({('năm học ' if lang == 'vi' else 'school year ') + sy}, {schools}) — "
                              f"{r['batch_label']}",
                     "finding": "; ".join(parts), "keys": r["obs_key"]})
    conf = conflicts(lang=lang, engine=engine)
    for _, c in conf[conf["exact_conflict"].astype(bool)].iterrows():
        rows.append({"kind": "conflict", "unit_name": c["unit_name"], "indicator_name": c["indicator_name"],
                     "period": c["period"], "statement": c["printed_values"], "other": "",
                     "finding": ("các câu in khác nhau" if lang == "vi" else "the statements differ"),
                     "keys": c["obs_keys"]})
    return pd.DataFrame(rows, columns=["kind", "unit_name", "indicator_name", "period", "statement", "other",
                                       "finding", "keys"])
