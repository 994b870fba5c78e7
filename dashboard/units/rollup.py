"""A current province's published figures, from the former provinces they were published for.

Rules (issue 12):
* every figure keeps the unit it was published for, labelled "Sóc Trăng (trước 7/2025)";
* a count is summed into the current province only when every former part published it for the same period;
  otherwise the row says "1/3 tỉnh cũ có số liệu" and the parts stay separate;
* a share is never averaged: it is combined only as the sum of the parts' numerators over the sum of their
  denominators, when every part printed both; otherwise the parts are shown separately;
* figures that are not additive (a monthly rate in VND, numbers of shared platforms or procedures) are never
  summed.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from ..i18n import fmt_number
from ..queries import latest_observations
from . import queries as uq
from .strings import s

ADDITIVE_UNITS = ("count", "million_vnd")
# Counts that do not add up across provinces: the same platform, software or procedure can serve several.
NOT_ADDITIVE = frozenset({"ONLINE_PLATFORMS", "DX_SOFTWARE_SYSTEMS", "ADMIN_PROCEDURES", "DIGITAL_MATERIALS"})
KEY = ["indicator_code", "level", "breakdown"]


def former_label(name: str, lang: str = "vi") -> str:
    """'Sóc Trăng (trước 7/2025)' / 'Sóc Trăng (before 7/2025)'."""
    return s("former_label", lang).format(name=name)


def coverage_text(n: int, of: int, lang: str = "vi") -> str:
    """'1/3 tỉnh cũ có số liệu' / '1 of 3 former provinces reported'."""
    return s("coverage", lang).format(n=n, of=of)


def figures(current_code: str, *, year_max: int | None = None, levels: Sequence[str] = (),
            pillars: Sequence[str] = (), headline_only: bool = False, lang: str = "vi",
            engine: Engine | None = None) -> pd.DataFrame:
    """The latest published figures of every former province merged into `current_code`, each labelled with
    the unit it was published for (column unit_label), in the columns of queries.latest_observations."""
    parts = uq.former_parts(current_code, engine)
    obs = latest_observations(parts["code"].tolist(), year_max=year_max, levels=levels, pillars=pillars,
                              headline_only=headline_only, lang=lang, engine=engine)
    names = dict(zip(parts["code"], parts["name"]))
    obs["unit_label"] = [former_label(names.get(c, c), lang) for c in obs["unit_code"]]
    obs["current_province_code"] = current_code
    return obs


def combine(obs: pd.DataFrame, part_codes: Sequence[str], lang: str = "vi") -> pd.DataFrame:
    """One row per indicator, level and breakdown of `obs` (figures of former provinces) for the current province.

    Columns: indicator_code, indicator_name, unit, level, breakdown, parts_reported, parts, coverage (text),
    combined (bool), value, numerator, denominator, period, reason (why not combined: partial | periods |
    no_denominators | qualified | not_additive; '' when combined), explanation (text).
    """
    cols = ["indicator_code", "indicator_name", "unit", "level", "breakdown", "parts_reported", "parts", "coverage",
            "combined", "value", "numerator", "denominator", "period", "reason", "explanation"]
    n_parts = len(set(part_codes))
    rows = []
    if obs.empty:
        return pd.DataFrame(columns=cols)
    for (ind, level, bd), g in obs.groupby(KEY, sort=False, dropna=False):
        reported = g["unit_code"].nunique()
        unit = g["unit"].iloc[0]
        row = {"indicator_code": ind, "indicator_name": g["indicator_name"].iloc[0], "unit": unit, "level": level,
               "breakdown": bd, "parts_reported": reported, "parts": n_parts,
               "coverage": coverage_text(reported, n_parts, lang), "combined": False, "value": None,
               "numerator": None, "denominator": None, "period": None, "reason": ""}
        if reported < n_parts:
            row["reason"] = "partial"
        elif g["period"].nunique() > 1:
            row["reason"] = "periods"
        elif (g["qualifier"].fillna("") != "").any():
            row["reason"] = "qualified"
        elif unit == "pct":
            if g["numerator"].notna().all() and g["denominator"].notna().all() and g["denominator"].sum() > 0:
                num, den = float(g["numerator"].sum()), float(g["denominator"].sum())
                row.update(combined=True, numerator=num, denominator=den, value=round(num / den * 100, 2))
            else:
                row["reason"] = "no_denominators"
        elif unit in ADDITIVE_UNITS and ind not in NOT_ADDITIVE:
            vals = g["numerator"].where(g["numerator"].notna(), g["value"])
            row.update(combined=True, value=float(vals.sum()))
        else:
            row["reason"] = "not_additive"
        if row["combined"]:
            row["period"] = g["period"].iloc[0]
        row["explanation"] = explain(row, lang)
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def explain(row: dict, lang: str = "vi") -> str:
    """The sentence a page shows under a combined row or instead of it."""
    if row["combined"]:
        if row["unit"] == "pct":
            return s("combined_share", lang).format(num=fmt_number(row["numerator"], lang=lang),
                                                    den=fmt_number(row["denominator"], lang=lang))
        return s("combined_count", lang).format(n=row["parts"])
    return s(f"why_{row['reason']}", lang).format(coverage=row["coverage"])


def targets_not_restated(current_code: str, *, lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Targets set by the former provinces of a current province, each still attached to the province that
    set it (unit_label), with `restated` = the current province has a target for the same indicator, level,
    breakdown and year (a target whose scope is the current province: target.scope_current_code, migration
    0005). The shipped documents have no such target, so today none is restated."""
    from ..querybase import _df  # noqa: PLC0415

    nc = "name_en" if lang == "en" else "name_vi"
    df = _df(f"""
    SELECT t.target_key, t.scope_code, f.name AS scope_name, t.indicator_code, i.{nc} AS indicator_name, i.unit,
           t.level, t.breakdown, t.year, t.value, t.qualifier, t.printed, t.source_id, t.section, t.quote,
           EXISTS (SELECT 1 FROM target r WHERE r.scope_current_code = :c AND r.indicator_code = t.indicator_code
                   AND r.level = t.level AND r.breakdown = t.breakdown AND r.year = t.year) AS restated
    FROM target t JOIN unit_former f ON f.code = t.scope_code AND f.level = 'province'
    JOIN indicator i ON i.code = t.indicator_code
    WHERE f.current_province_code = :c
    ORDER BY f.name, t.year, i.pillar, t.indicator_code""", {"c": current_code}, engine)
    df["unit_label"] = [former_label(n, lang) for n in df["scope_name"]]
    df["restated"] = df["restated"].astype(bool)
    return df
