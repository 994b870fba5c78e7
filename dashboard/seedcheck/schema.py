"""Columns of every kind of input CSV, checked cell by cell with pandera, then converted to Python values.

A kind is a set of files (e.g. `seed/observations/*.csv`) sharing one header. pandera checks that every
column is present and no other one is (strict), and each cell's machine format, range and allowed
values; its failure cases become problems naming file, row and field. Checks across fields and files
(references, quotes, shares) are in `crosscheck`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

import pandas as pd
import pandera.pandas as pa

from . import formats as F

LEVELS = {"ALL", "MN", "TH", "THCS", "THPT", "TRH", "PT", "PT_GDTX", "GDTX"}
UNITS = {"pct", "count", "million_vnd", "vnd"}
DIRECTIONS = {"up", "down", "none"}
PILLARS = {"infrastructure", "teaching", "management", "services", "human_resources", "finance"}
QUALIFIERS = {"", ">", ">=", "<", "<=", "~"}
TASK_STATUSES = {"dat", "chua_dat", "planned", "assigned"}
COUNT_UNITS = {"count", "million_vnd", "vnd"}


@dataclass(frozen=True)
class Col:
    """One column: its type (how a cell is read), whether it may be empty, allowed values."""

    # text | opt (text, None when empty) | key | number | whole | year | date | partial_date | period | bool01
    type: str = "text"
    required: bool = False
    allowed: frozenset[str] | None = None

    def convert(self, v: str) -> Any:
        if v == "":
            return False if self.type == "bool01" else (None if self.type not in ("text", "key", "period") else "")
        if self.type == "number":
            return float(v)
        if self.type in ("whole", "year"):
            return int(v)
        if self.type == "date":
            return date.fromisoformat(v)
        if self.type == "bool01":
            return v == "1"
        return v


def T(required: bool = False, allowed: set[str] | None = None) -> Col:  # noqa: N802 - short column builders
    return Col("text", required, frozenset(allowed) if allowed is not None else None)


KEY, REQ, OPT = Col("key", True), Col("text", True), Col("opt")
NUM, WHOLE, YEAR, DATE, BOOL = Col("number"), Col("whole"), Col("year", True), Col("date", True), Col("bool01")


def cell_problem(col: Col) -> Callable[[str], str | None]:
    """Why one cell breaks the column's rules (size, control characters, required, format), or None."""
    def check(v: str) -> str | None:
        if len(v) > F.MAX_FIELD_BYTES // 4 and len(v.encode("utf-8")) > F.MAX_FIELD_BYTES:
            return f"longer than {F.MAX_FIELD_BYTES // 1024} KB ({len(v.encode('utf-8')) // 1024} KB)"
        if F.CONTROL.search(v):
            return "contains a control character"
        if v.strip() == "":
            return "required, but empty" if col.required else None
        if col.type == "key" and not F.KEY.fullmatch(v):
            return f"not a code (letters, digits and '_' only): {v[:60]!r}"
        if col.type == "number":
            return F.number_problem(v)
        if col.type == "whole":
            return F.whole_problem(v)
        if col.type == "year":
            return F.year_problem(v)
        if col.type == "date":
            return F.date_problem(v)
        if col.type == "partial_date":
            return F.partial_date_problem(v)
        if col.type == "period":
            return F.period_problem(v)
        if col.type == "bool01" and v not in ("0", "1"):
            return f"must be 0 or 1, got {v[:20]!r}"
        if col.allowed is not None and v not in col.allowed:
            return f"unknown value {v[:40]!r}; allowed: {sorted(a for a in col.allowed if a)}"
        return None
    return check


def _checks(col: Col) -> list[pa.Check]:
    """One vectorised pandera check per column; the message of a failing cell is recomputed from it."""
    problem = cell_problem(col)
    return [pa.Check(lambda s: s.map(lambda v: problem(v) is None), error="cell")]


@dataclass
class Spec:
    """A kind of input CSV: where its files are, its columns, and the column that must be unique."""

    kind: str
    pattern: str  # relative to the data directory
    columns: dict[str, Col]
    key: str | None = None
    required_file: bool = False
    schema: pa.DataFrameSchema = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.schema = pa.DataFrameSchema(
            {name: pa.Column(str, checks=_checks(c), nullable=False) for name, c in self.columns.items()},
            strict=True, name=self.kind)

    def cell_problems(self, df: pd.DataFrame) -> tuple[list[tuple[int, str, str]], set[int]]:
        """(row, field, message) for every failing column or cell, and the rows that failed."""
        try:
            self.schema.validate(df, lazy=True)
            return [], set()
        except pa.errors.SchemaErrors as exc:
            fc = exc.failure_cases
        out: list[tuple[int, str, str]] = []
        bad_rows: set[int] = set()
        for r in fc.itertuples(index=False):
            if r.check == "column_in_dataframe":
                out.append((1, str(r.failure_case), "missing column"))
            elif r.check == "column_in_schema":
                out.append((1, str(r.failure_case), "unexpected column; the columns of "
                            f"{self.pattern} are: {', '.join(self.columns)}"))
            elif r.index is not None and r.column in self.columns:
                row, v = int(r.index), str(r.failure_case)
                msg = cell_problem(self.columns[r.column])(v)
                out.append((row, str(r.column), msg or str(r.check)))
                bad_rows.add(row)
            else:  # pragma: no cover - any other schema-level failure
                out.append((1, str(r.column or "(file)"), f"{r.check}: {r.failure_case}"))
        return sorted(set(out)), bad_rows


SPECS: dict[str, Spec] = {s.kind: s for s in [
    Spec("sources", "seed/sources.csv", {
        "source_id": KEY, "short_title_vi": REQ, "short_title_en": REQ, "title": REQ, "doc_type": REQ,
        "issuer": REQ, "number": T(), "issued": Col("partial_date", True), "province_code": REQ, "file": OPT,
        "url": OPT, "as_of": DATE}, key="source_id", required_file=True),
    Spec("indicators", "seed/indicators/*.csv", {
        "code": KEY, "name_vi": REQ, "name_en": REQ, "unit": T(True, UNITS), "direction": T(True, DIRECTIONS),
        "pillar": T(True, PILLARS), "headline": BOOL, "definition_vi": T(), "definition_en": T()},
        key="code", required_file=True),
    Spec("breakdowns", "seed/breakdowns*.csv", {"code": KEY, "name_vi": REQ, "name_en": REQ},
         key="code", required_file=True),
    Spec("observations", "seed/observations/*.csv", {
        "obs_id": KEY, "indicator": REQ, "unit_code": REQ, "level": T(True, LEVELS), "breakdown": T(),
        "period": Col("period", True), "period_start": DATE, "period_end": DATE, "value": NUM, "numerator": WHOLE,
        "denominator": WHOLE, "qualifier": T(False, QUALIFIERS), "printed": REQ, "value_derived": BOOL,
        "source_id": REQ, "section": REQ, "quote": REQ, "note": T()}, key="obs_id"),
    Spec("targets", "seed/targets/*.csv", {
        "target_id": KEY, "indicator": REQ, "scope_code": REQ, "level": T(True, LEVELS), "breakdown": T(),
        "year": YEAR, "value": NUM, "qualifier": T(False, QUALIFIERS), "printed": T(), "source_id": REQ,
        "section": REQ, "quote": REQ, "quote_source_id": OPT, "reported_result": T(), "reported_status": T(),
        "note": T()}, key="target_id"),
    Spec("tasks", "seed/tasks/*.csv", {
        "task_id": KEY, "source_id": REQ, "province_code": REQ, "plan_year": YEAR, "group_vi": T(),
        "number": T(), "title_vi": REQ, "lead_unit": T(), "partner_units": T(),
        "status": T(True, TASK_STATUSES), "result_note": T(), "section": REQ, "quote": REQ}, key="task_id"),
    Spec("budget", "seed/budget/*.csv", {
        "item_id": KEY, "source_id": REQ, "province_code": REQ, "plan_period": Col("period", True),
        "group_vi": T(), "number": T(), "item_vi": REQ, "description_vi": T(), "schools_level": T(),
        "schools_count": WHOLE, "year": Col("year"), "amount_million_vnd": NUM, "printed": REQ,
        "funding_source": REQ, "funding_source_vi": T(), "section": REQ, "quote": REQ, "note": T()}, key="item_id"),
    Spec("schools", "seed/schools/*.csv", {
        "school_id": KEY, "name": REQ, "level": T(True, LEVELS), "level_printed": T(), "province_code": REQ,
        "district_code": OPT, "district_printed": T(), "stem_lab": BOOL, "stem_year": Col("year"),
        "source_id": REQ, "section": REQ, "quote": REQ, "note": T()}, key="school_id"),
    Spec("calibration", "simulation/calibration.csv", {
        "province_code": REQ, "school_year": YEAR, "kind": T(True, {"schools", "flag", "sum", "category"}),
        "metric": T(), "levels": REQ, "category": T(), "obs_key": REQ,
        "field": T(True, {"value", "numerator", "denominator"}), "note": T()}, required_file=True),
    Spec("assumptions", "simulation/assumptions.csv", {
        "province_code": REQ, "school_year": YEAR, "item": T(True, {"schools", "students", "teachers"}),
        "level": T(), "value": WHOLE, "basis_vi": REQ, "basis_en": REQ}, required_file=True),
    Spec("centroids", "geo/vnm_adm3_3prov_centroids.csv", {
        "adm1_code": REQ, "adm1_name": REQ, "adm2_code": REQ, "adm2_fullname": REQ, "adm2_fullname_src": T(),
        "adm3_code": T(), "adm3_fullname": T(), "adm3_fullname_src": T(), "adm3_name": REQ,
        "adm3_name_ascii": T(), "adm3_key": REQ, "src_commune_id": T(), "lon": Col("number", True),
        "lat": Col("number", True), "point_kind": T()}, required_file=True),
]}

SEED_KINDS = ("sources", "indicators", "breakdowns", "observations", "targets", "tasks", "budget", "schools")
