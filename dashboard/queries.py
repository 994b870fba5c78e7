"""Query functions: parameterised SQL over the store, returning tidy DataFrames.

Aggregation and filtering happen in SQL (with the indexes of models/); Python only matches the few
resulting rows (targets to actuals). Pages call these through dashboard.ui, which caches them.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from .i18n import level_name, register, t
from .querybase import REPORTED, _df, _engine, _name_col  # noqa: F401  (re-exported: rollups, projections, bench)
from .units.queries import CURRENT_SUFFIX

BROAD_LEVELS = {"ALL", "PT", "PT_GDTX"}
FAR_RATIO = 0.8  # below 80% of the target is "far" (see i18n status_rule)


def build_info(engine: Engine | None = None) -> dict[str, str]:
    df = _df("SELECT key, value FROM build_info", engine=engine)
    return dict(zip(df["key"], df["value"]))


def provinces(engine: Engine | None = None) -> pd.DataFrame:
    """Provinces that have published observations: code, name."""
    return _df("""SELECT u.code, u.name FROM admin_unit u
                  WHERE u.level = 'province' AND EXISTS (SELECT 1 FROM observation o WHERE o.unit_code = u.code)
                  ORDER BY u.name""", engine=engine)


def years(engine: Engine | None = None) -> list[int]:
    return _df("SELECT DISTINCT year FROM observation ORDER BY year", engine=engine)["year"].tolist()


def as_of(unit_codes: Sequence[str], engine: Engine | None = None) -> str | None:
    """Latest date the published figures of these units describe (ISO), never later than their document.

    A plan's budget for 2025 is not a figure 'as of' 2025: figures whose period ends after their document's
    date are plans, not observations, and do not count.
    """
    df = _df(f"""SELECT MAX(o.period_end) AS d
                FROM observation o LEFT JOIN source s ON s.id = o.source_id
                WHERE o.unit_code IN :units AND o.provenance IN {REPORTED}
                  AND (s.as_of IS NULL OR o.period_end <= s.as_of)""",
             {"units": list(unit_codes) or [""]}, engine, expanding=("units",))
    return None if df.empty or df["d"].iloc[0] is None else str(df["d"].iloc[0])


def indicators(engine: Engine | None = None) -> pd.DataFrame:
    return _df("SELECT * FROM indicator ORDER BY pillar, code", engine=engine)


def latest_observations(unit_codes: Sequence[str], *, year_max: int | None = None, levels: Sequence[str] = (),
                        pillars: Sequence[str] = (), headline_only: bool = False, lang: str = "vi",
                        engine: Engine | None = None) -> pd.DataFrame:
    """Latest published value per unit, indicator, level and breakdown, up to year_max.

    Columns: unit_code, unit_name, indicator_code, indicator_name, unit, direction, pillar, headline, level,
    breakdown, breakdown_name, period, period_end, value, numerator, denominator, qualifier, printed,
    value_derived, provenance, source_id, source_title, section, quote, note, statements (rows for the
    same period: >1 means the documents disagree or restate it).
    """
    nc = _name_col(lang)
    sql = f"""
    WITH ranked AS (
      SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.unit_code, o.indicator_code, o.level, o.breakdown
                                      ORDER BY o.period_end DESC, o.qualifier <> '', o.obs_key) AS rn,
             COUNT(*) OVER (PARTITION BY o.unit_code, o.indicator_code, o.level, o.breakdown, o.period) AS statements,
             MAX(o.period_end) OVER (PARTITION BY o.unit_code, o.indicator_code, o.level, o.breakdown) AS max_end
      FROM observation o JOIN indicator i ON i.code = o.indicator_code
      WHERE o.unit_code IN :units AND o.provenance IN {REPORTED}
        AND (CAST(:year_max AS INTEGER) IS NULL OR o.year <= :year_max)
        AND (:all_levels OR o.level IN :levels)
        AND (:all_pillars OR i.pillar IN :pillars)
        AND (:headline = 0 OR i.headline = TRUE)
    )
    SELECT r.unit_code, u.name AS unit_name, r.indicator_code, i.{nc} AS indicator_name, i.unit, i.direction,
           i.pillar, i.headline, r.level, r.breakdown, COALESCE(b.{nc}, '') AS breakdown_name, r.period,
           r.period_end, r.value, r.numerator, r.denominator, r.qualifier, r.printed, r.value_derived,
           r.provenance, r.source_id, s.short_title_{'en' if lang == 'en' else 'vi'} AS source_title,
           r.section, r.quote, r.note, r.statements
    FROM ranked r JOIN indicator i ON i.code = r.indicator_code JOIN admin_unit u ON u.code = r.unit_code
    LEFT JOIN breakdown b ON b.code = r.breakdown LEFT JOIN source s ON s.id = r.source_id
    WHERE r.rn = 1
    ORDER BY i.pillar, r.indicator_code, r.unit_code, r.level, r.breakdown"""
    params = {"units": list(unit_codes) or [""], "year_max": year_max, "all_levels": not levels,
              "levels": list(levels) or [""], "all_pillars": not pillars, "pillars": list(pillars) or [""],
              "headline": int(headline_only)}
    return _df(sql, params, engine, expanding=("units", "levels", "pillars"))


def targets_for(province: str, *, years: Sequence[int] = (), lang: str = "vi", current: str | None = None,
                engine: Engine | None = None) -> pd.DataFrame:
    """Targets that apply to a province: its own and the national (VN) ones, with their sources; with
    `current` (a province from 7/2025 that the former `province` merged into) that province's own targets too,
    their scope_code written as its option code ('92-2025', never the bare code a former province may share)."""
    nc = _name_col(lang)
    sql = f"""
    SELECT t.target_key, t.indicator_code, i.{nc} AS indicator_name, i.unit, i.direction, i.pillar,
           COALESCE(t.scope_code, t.scope_current_code || '{CURRENT_SUFFIX}') AS scope_code,
           t.level, t.breakdown, COALESCE(b.{nc}, '') AS breakdown_name, t.year, t.value, t.qualifier, t.printed,
           t.source_id, s.short_title_{'en' if lang == 'en' else 'vi'} AS source_title, t.section, t.quote,
           t.quote_source_id, t.reported_result, t.reported_status, t.note
    FROM target t JOIN indicator i ON i.code = t.indicator_code LEFT JOIN breakdown b ON b.code = t.breakdown
    LEFT JOIN source s ON s.id = t.source_id
    WHERE (t.scope_code IN (:province, 'VN') OR t.scope_current_code = :current) AND (:all_years OR t.year IN :years)
    ORDER BY i.pillar, t.indicator_code, t.year, t.scope_code"""
    return _df(sql, {"province": province, "all_years": not years, "years": list(years) or [0],
                     "current": current or ""}, engine, expanding=("years",))


def _levels_match(target_level: str, obs_level: str) -> bool:
    return target_level == obs_level or (target_level in BROAD_LEVELS and obs_level in BROAD_LEVELS)


class TargetIndex:
    """The targets of one query as plain records grouped by indicator, for many pick_target calls.

    Filtering a pandas frame per call cost ~1 ms quiet (tens of ms loaded) and the overview makes ~50 calls."""

    def __init__(self, targets: pd.DataFrame) -> None:
        self.by_indicator: dict[str, list[dict]] = {}
        if targets.empty:
            return
        for rec in targets.to_dict("records"):
            if rec["value"] is None or pd.isna(rec["value"]):
                continue
            self.by_indicator.setdefault(rec["indicator_code"], []).append(rec)


def pick_target(targets: pd.DataFrame | TargetIndex, province: str, indicator: str, level: str, breakdown: str,
                year: int, current: str | None = None) -> dict | None:
    """The target for one actual: the province's own if it has one for that year, else the national one. With
    `current` (the province from 7/2025 chosen): its own target first, then the former province's.

    Exact level and breakdown first, then the largest (most demanding) value. ``targets`` is the frame of
    targets_for or, for many calls on one frame, its TargetIndex."""
    index = targets if isinstance(targets, TargetIndex) else TargetIndex(targets)
    cand = [t for t in index.by_indicator.get(indicator, ())
            if t["year"] == year and t["breakdown"] in ("", breakdown) and _levels_match(t["level"], level)]
    chosen = ([t for t in cand if current and t["scope_code"] == f"{current}{CURRENT_SUFFIX}"]
              or [t for t in cand if t["scope_code"] == province] or [t for t in cand if t["scope_code"] == "VN"])
    if not chosen:
        return None
    return max(chosen, key=lambda t: ((t["level"] == level) + (t["breakdown"] == breakdown), t["value"]))


def status_of(value: float | None, target: float | None, direction: str) -> str:
    """reached | near | far | none, by the rule stated on screen (i18n status_rule)."""
    if value is None or target is None or pd.isna(value) or pd.isna(target) or direction == "none":
        return "none"
    if direction == "down":
        return "reached" if value <= target else ("near" if value <= target / FAR_RATIO else "far")
    if value >= target:
        return "reached"
    return "near" if target and value / target >= FAR_RATIO else "far"


# A status computed from a printed bound or estimate says so (i18n status_basis_*): 'trên 99,5%' is a minimum.
STATUS_BASIS = {">": "min", ">=": "min", "<": "max", "<=": "max", "~": "approx"}
register({
    "status_basis_min": {"vi": "theo mức tối thiểu đã in", "en": "by the printed minimum"},
    "status_basis_max": {"vi": "theo mức tối đa đã in", "en": "by the printed maximum"},
    "status_basis_approx": {"vi": "theo số ước tính đã in", "en": "by the printed estimate"},
})


def status_with_basis(value: float | None, target: float | None, direction: str, *, qualifier: str = "",
                      target_qualifier: str = "") -> tuple[str, str]:
    """(status, basis): the status by the stated rule, and '' | 'min' | 'max' | 'approx' when the printed actual
    is a bound or an estimate, so that the screen can say 'đạt (theo mức tối thiểu đã in)'.

    A strict target ('trên 80%') is not met by an exact value equal to it: that is 'near'.
    """
    status = status_of(value, target, direction)
    if status == "none":
        return status, ""
    if status == "reached" and target_qualifier == ">" and not qualifier and value == target and direction == "up":
        status = "near"
    return status, STATUS_BASIS.get(qualifier or "", "")


def progress_table(province: str, *, year_max: int | None = None, levels: Sequence[str] = (),
                   pillars: Sequence[str] = (), headline_only: bool = False, target_years: Sequence[int] = (2025, 2030),
                   lang: str = "vi", current: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Latest actuals of a province joined to their 2025/2030 (or other) targets, with gap and status.
    `current`: the province from 7/2025 chosen, whose own targets win over the former province's.

    One row per indicator, level and breakdown that has an actual or a target. Columns of
    latest_observations plus, per target year Y: target_Y, target_Y_scope, target_Y_printed,
    target_Y_source, target_Y_section, target_Y_quote, gap_Y, status_Y.
    """
    actual = latest_observations([province], year_max=year_max, levels=levels, pillars=pillars,
                                 headline_only=headline_only, lang=lang, engine=engine)
    targets = targets_for(province, years=target_years, lang=lang, current=current, engine=engine)
    if pillars:
        targets = targets[targets["pillar"].isin(pillars)]
    if levels:
        targets = targets[targets["level"].isin(levels)]
    if headline_only:
        heads = set(indicators(engine).query("headline == 1")["code"])
        targets = targets[targets["indicator_code"].isin(heads)]
    rows = actual.to_dict("records")
    # targets with no actual still deserve a row ("no figure yet")
    def scope(level: str) -> str:
        return "ALL" if level in BROAD_LEVELS else level

    have = {(r["indicator_code"], scope(r["level"]), r["breakdown"]) for r in rows}
    target_recs = targets.to_dict("records")
    by_indicator: dict[str, list[dict]] = {}
    for tg in target_recs:
        by_indicator.setdefault(tg["indicator_code"], []).append(tg)
    covered = set()
    for r in rows:
        for tg in by_indicator.get(r["indicator_code"], ()):
            if (tg["breakdown"] in ("", r["breakdown"])) and _levels_match(tg["level"], r["level"]):
                covered.add(tg["target_key"])
    for tg in target_recs:
        key = (tg["indicator_code"], scope(tg["level"]), tg["breakdown"])
        if tg["target_key"] in covered or key in have:
            continue
        have.add(key)
        rows.append({"unit_code": province, "indicator_code": tg["indicator_code"],
                     "indicator_name": tg["indicator_name"], "unit": tg["unit"], "direction": tg["direction"],
                     "pillar": tg["pillar"], "level": tg["level"], "breakdown": tg["breakdown"],
                     "breakdown_name": tg["breakdown_name"], "value": None, "statements": 0})
    out = []
    index = TargetIndex(targets)
    for r in rows:
        for y in target_years:
            tg = pick_target(index, province, r["indicator_code"], r["level"], r["breakdown"], y, current)
            val = r.get("value")
            if tg is not None:
                r[f"target_{y}"] = float(tg["value"])
                r[f"target_{y}_scope"] = tg["scope_code"]
                r[f"target_{y}_printed"] = tg["printed"]
                r[f"target_{y}_qualifier"] = tg["qualifier"]
                r[f"target_{y}_source"] = tg["source_title"]
                r[f"target_{y}_section"] = tg["section"]
                r[f"target_{y}_quote"] = tg["quote"]
                r[f"gap_{y}"] = (float(tg["value"]) - val) if val is not None and not pd.isna(val) else None
            else:
                r[f"target_{y}"] = None
                r[f"gap_{y}"] = None
            r[f"status_{y}"], r[f"status_{y}_basis"] = status_with_basis(
                val, r[f"target_{y}"], r["direction"], qualifier=r.get("qualifier") or "",
                target_qualifier=(tg["qualifier"] or "") if tg is not None else "")
        first = next((y for y in target_years if r.get(f"target_{y}") is not None), target_years[0])
        r["status"] = r[f"status_{first}"]
        r["status_basis"] = r[f"status_{first}_basis"]
        r["status_year"] = first
        out.append(r)
    df = pd.DataFrame(out)
    if df.empty:  # keep the columns, so callers can group and select on an empty result
        df = actual.iloc[0:0].assign(**{c: pd.Series(dtype=object) for y in target_years for c in
                                        (f"target_{y}", f"target_{y}_scope", f"gap_{y}", f"status_{y}")},
                                     status=pd.Series(dtype=object), status_year=pd.Series(dtype=object))
    if not df.empty:
        df["level_name"] = [level_name(x, lang) for x in df["level"]]
        df = df.sort_values(["pillar", "indicator_code", "level", "breakdown"], kind="stable").reset_index(drop=True)
    return df


def province_comparison(*, year_max: int | None = None, levels: Sequence[str] = (), lang: str = "vi",
                        engine: Engine | None = None) -> pd.DataFrame:
    """Latest % values of every province for indicators (with level and breakdown) that ≥ 2 provinces publish."""
    units = provinces(engine)["code"].tolist()
    df = latest_observations(units, year_max=year_max, levels=levels, lang=lang, engine=engine)
    df = df[df["unit"] == "pct"].copy()
    # 'all institutions', 'general' and 'general + continuing' are compared as one scope; the exact
    # scope stays in `level` and is shown in the hover text.
    df["compare_level"] = ["ALL" if lv in BROAD_LEVELS else lv for lv in df["level"]]
    n = df.groupby(["indicator_code", "compare_level", "breakdown"])["unit_code"].transform("nunique")
    return df[n >= 2].reset_index(drop=True)


def assessments(province: str, lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Targets that the province's own documents assess (Đạt / Chưa đạt), with the reported result."""
    df = targets_for(province, lang=lang, engine=engine)
    return df[(df["scope_code"] == province) & (df["reported_status"] != "")].reset_index(drop=True)


def budget_items(province: str, lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    nc = _name_col(lang)
    return _df(f"""SELECT b.item_key, b.plan_period, b.group_vi, b.number, b.item_vi, b.description_vi,
                          b.schools_level, b.schools_count, b.year, b.amount_million_vnd, b.printed,
                          b.funding_source, COALESCE(bd.{nc}, b.funding_source) AS funding_source_name,
                          b.funding_source_vi, b.source_id, s.short_title_{'en' if lang == 'en' else 'vi'} AS source_title,
                          b.section, b.quote, b.note
                   FROM budget_item b LEFT JOIN breakdown bd ON bd.code = b.funding_source
                   LEFT JOIN source s ON s.id = b.source_id
                   WHERE b.province_code = :p ORDER BY b.id""", {"p": province}, engine)


def budget_checks(province: str, lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Published budget totals (FIN_PLAN_BUDGET observations) against the sum of the items they cover."""
    nc = _name_col(lang)
    return _df(f"""
    WITH totals AS (
      SELECT o.obs_key, o.period, o.breakdown, o.value AS published, o.printed, o.section, o.source_id
      FROM observation o WHERE o.indicator_code = 'FIN_PLAN_BUDGET' AND o.unit_code = :p),
    sums AS (
      SELECT t.obs_key, SUM(b.amount_million_vnd) AS items_sum, COUNT(b.id) AS items
      FROM totals t JOIN budget_item b ON b.province_code = :p AND b.source_id = t.source_id
        AND (t.breakdown = '' OR b.funding_source = t.breakdown)
        AND (CAST(b.year AS TEXT) = t.period OR b.plan_period = t.period)
      GROUP BY t.obs_key)
    SELECT t.period, t.breakdown, COALESCE(bd.{nc}, '') AS breakdown_name, t.published, t.printed, t.section,
           s.items_sum, COALESCE(s.items, 0) AS items
    FROM totals t LEFT JOIN sums s ON s.obs_key = t.obs_key LEFT JOIN breakdown bd ON bd.code = t.breakdown
    ORDER BY t.period, t.breakdown""", {"p": province}, engine)


def tasks(province: str, engine: Engine | None = None) -> pd.DataFrame:
    return _df("""SELECT t.task_key, t.plan_year, t.group_vi, t.number, t.title_vi, t.lead_unit, t.partner_units,
                         t.status, t.result_note, t.source_id, t.section, t.quote
                  FROM task t WHERE t.province_code = :p ORDER BY t.plan_year, t.id""", {"p": province}, engine)


def task_status_counts(province: str, engine: Engine | None = None) -> pd.DataFrame:
    return _df("""SELECT plan_year, status, COUNT(*) AS n FROM task WHERE province_code = :p
                  GROUP BY plan_year, status ORDER BY plan_year, status""", {"p": province}, engine)


def figures(*, search: str = "", provinces_: Sequence[str] = (), lang: str = "vi",
            engine: Engine | None = None) -> pd.DataFrame:
    """Every published figure and target with its document, section and quote (searchable, in SQL)."""
    nc = _name_col(lang)
    st = "short_title_en" if lang == "en" else "short_title_vi"
    like = f"%{search.strip()}%" if search.strip() else None
    sql = f"""
    SELECT * FROM (
      SELECT 'observation' AS kind, o.obs_key AS key, o.unit_code AS unit_code, u.name AS unit_name,
             o.indicator_code, i.{nc} AS indicator_name, i.unit, o.level, o.breakdown, o.period, o.value,
             o.numerator, o.denominator, o.qualifier, o.printed, o.value_derived, o.provenance, o.source_id,
             s.{st} AS source_title, o.section, o.quote, o.source_id AS quote_source_id, o.note
      FROM observation o JOIN indicator i ON i.code = o.indicator_code JOIN admin_unit u ON u.code = o.unit_code
      LEFT JOIN source s ON s.id = o.source_id WHERE o.provenance IN {REPORTED}
      UNION ALL
      SELECT 'target', t.target_key, t.scope_code, u.name, t.indicator_code, i.{nc}, i.unit, t.level, t.breakdown,
             CAST(t.year AS TEXT), t.value, NULL, NULL, t.qualifier, t.printed, FALSE, 'published', t.source_id,
             s.{st}, t.section, t.quote, COALESCE(t.quote_source_id, t.source_id), t.note
      FROM target t JOIN indicator i ON i.code = t.indicator_code JOIN admin_unit u ON u.code = t.scope_code
      LEFT JOIN source s ON s.id = t.source_id
    ) f
    WHERE (CAST(:like AS TEXT) IS NULL OR ulower(f.indicator_name) LIKE ulower(:like) OR ulower(f.quote) LIKE ulower(:like)
           OR ulower(f.source_title) LIKE ulower(:like) OR ulower(f.indicator_code) LIKE ulower(:like)
           OR f.printed LIKE :like OR ulower(f.unit_name) LIKE ulower(:like))
      AND (:all_units OR f.unit_code IN :units)
    ORDER BY f.source_id, f.kind, f.key"""
    return _df(sql, {"like": like, "all_units": not provinces_, "units": list(provinces_) or [""]}, engine,
               expanding=("units",))


def sources(engine: Engine | None = None) -> pd.DataFrame:
    return _df("""SELECT id, short_title_vi, short_title_en, title, doc_type, issuer, number, issued, province_code,
                         file, url, as_of, text IS NOT NULL AS has_text,
                         (SELECT COUNT(*) FROM observation o WHERE o.source_id = source.id) AS observations,
                         (SELECT COUNT(*) FROM target t WHERE t.source_id = source.id) AS targets
                  FROM source ORDER BY issued""", engine=engine)


def source_text(source_id: str, engine: Engine | None = None) -> str | None:
    df = _df("SELECT text FROM source WHERE id = :id", {"id": source_id}, engine)
    return None if df.empty else df["text"].iloc[0]


def passage(source_id: str, quote: str, context: int = 400, engine: Engine | None = None) -> tuple[str, str, str] | None:
    """(before, quote, after) around the quote in the document's text, or None if not found."""
    doc = source_text(source_id, engine)
    if not doc or not quote:
        return None
    i = doc.find(quote)
    if i < 0:
        return None
    return doc[max(0, i - context): i], quote, doc[i + len(quote): i + len(quote) + context]


def conflicts(lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Figures stated more than once for the same unit, level, breakdown and period, with differing values.

    `exact_conflict` is true when at least two statements without a qualifier disagree; otherwise the
    statements differ only in precision (e.g. 'trên 78%' beside '78,18%'). Targets of a province from 1 July
    2025 are listed under its option code ('92-2025') and full name ('Thành phố Cần Thơ').
    """
    nc = _name_col(lang)
    return _df(f"""
    SELECT c.indicator_code, i.{nc} AS indicator_name, c.unit_code, u.name AS unit_name, c.level, c.breakdown,
           c.period, c.statements, c.obs_keys, c.printed_values,
           CAST((SELECT COUNT(DISTINCT o.printed || '|' || COALESCE(CAST(o.numerator AS TEXT), '') || '|'
                                   || COALESCE(CAST(o.denominator AS TEXT), ''))
              FROM observation o WHERE o.indicator_code = c.indicator_code AND o.unit_code = c.unit_code
               AND o.level = c.level AND o.breakdown = c.breakdown AND o.period = c.period
               AND o.qualifier = '') > 1 AS INTEGER) AS exact_conflict
    FROM observation_conflict c JOIN indicator i ON i.code = c.indicator_code JOIN admin_unit u ON u.code = c.unit_code
    UNION ALL
    SELECT c.indicator_code, i.{nc}, COALESCE(c.scope_code, c.scope_current_code || '-2025'), COALESCE(u.name, uc.fullname),
           c.level, c.breakdown, CAST(c.year AS TEXT) || ' ({t('target', lang).lower()})',
           c.statements, c.target_keys, c.printed_values, 1
    FROM target_conflict c JOIN indicator i ON i.code = c.indicator_code
    LEFT JOIN admin_unit u ON u.code = c.scope_code
    LEFT JOIN unit_current uc ON uc.code = c.scope_current_code AND uc.level = 'province'
    WHERE u.code IS NOT NULL OR uc.code IS NOT NULL
    ORDER BY 1, 3""", engine=engine)


def part_sum_checks(lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Count indicators published as a total and by school level: does the sum of levels equal the total?"""
    nc = _name_col(lang)
    return _df(f"""
    WITH tot AS (SELECT o.unit_code, o.indicator_code, o.period, o.breakdown, o.value, o.printed, o.source_id
                 FROM observation o JOIN indicator i ON i.code = o.indicator_code
                 WHERE i.unit = 'count' AND o.level IN ('ALL', 'PT') AND o.provenance IN {REPORTED}),
         parts AS (SELECT o.unit_code, o.indicator_code, o.period, o.breakdown, o.source_id,
                          SUM(o.value) AS parts_sum, COUNT(*) AS parts, GROUP_CONCAT(o.level || ' ' || o.printed, '; ') AS detail
                   FROM observation o WHERE o.level IN ('MN', 'TH', 'THCS', 'THPT') AND o.provenance IN {REPORTED}
                   GROUP BY o.unit_code, o.indicator_code, o.period, o.breakdown, o.source_id)
    SELECT tot.unit_code, u.name AS unit_name, tot.indicator_code, i.{nc} AS indicator_name, tot.period,
           tot.value AS total, tot.printed AS total_printed, parts.parts_sum, parts.parts, parts.detail,
           tot.value = parts.parts_sum AS consistent
    FROM tot JOIN parts USING (unit_code, indicator_code, period, breakdown, source_id)
    JOIN indicator i ON i.code = tot.indicator_code JOIN admin_unit u ON u.code = tot.unit_code
    WHERE parts.parts >= 2 ORDER BY consistent, tot.unit_code""", engine=engine)


def export_observations(lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Every observation with province, district, school, indicator, period, value, unit and provenance."""
    nc = _name_col(lang)
    return _df(f"""
    SELECT CASE WHEN u.level = 'province' THEN u.name ELSE p.name END AS province,
           CASE WHEN u.level = 'district' THEN u.fullname ELSE '' END AS district,
           COALESCE(sc.name, '') AS school, o.indicator_code, i.name_vi AS indicator_name_vi,
           i.name_en AS indicator_name_en, o.level, o.breakdown, o.period, o.period_start, o.period_end,
           o.value, o.numerator, o.denominator, o.qualifier, o.printed, i.unit, o.value_derived, o.provenance,
           o.source_id, s.short_title_{'en' if lang == 'en' else 'vi'} AS source, o.section, o.quote
    FROM observation o JOIN indicator i ON i.code = o.indicator_code JOIN admin_unit u ON u.code = o.unit_code
    LEFT JOIN admin_unit p ON p.code = u.parent_code LEFT JOIN school sc ON sc.id = o.school_id
    LEFT JOIN source s ON s.id = o.source_id
    ORDER BY province, district, o.indicator_code, o.period_end, o.obs_key""", engine=engine)


# Topic modules, re-exported so that `queries.X` and `ui.query("X")` find them here.
from .checks import implied_denominators, inconsistencies, share_checks  # noqa: E402,F401
from .map_queries import (export_schools, map_districts, stem_by_district, stem_by_level,  # noqa: E402,F401
                          stem_schools)
