"""SQLModel tables: the schema of the store, nothing else.

Every fact table carries provenance (source document, section, verbatim quote) so that any number
shown can be traced back to the passage it was read from.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Source(SQLModel, table=True):
    id: str = Field(primary_key=True)
    short_title_vi: str
    short_title_en: str
    title: str
    doc_type: str
    issuer: str
    number: str
    issued: str
    province_code: str
    file: Optional[str] = None
    url: Optional[str] = None
    as_of: Optional[date] = None
    text: Optional[str] = None  # full text of the document when it is shipped in data/sources
    batch_id: Optional[int] = None  # intake batch that added it; NULL = build-owned (seed), replaced by build-db


class AdminUnit(SQLModel, table=True):
    __tablename__ = "admin_unit"
    code: str = Field(primary_key=True)  # GSO code; "VN" for the country
    name: str
    fullname: str
    level: str = Field(index=True)  # country | province | district
    unit_type: str  # Tỉnh, Thành phố, Huyện, Thị xã, ...
    parent_code: Optional[str] = Field(default=None, index=True)
    name_ascii: Optional[str] = None
    match_key: Optional[str] = None
    pop_2009: Optional[int] = None
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    geometry: Optional[str] = None  # GeoJSON geometry (text)


class Indicator(SQLModel, table=True):
    code: str = Field(primary_key=True)
    name_vi: str
    name_en: str
    unit: str  # pct | count | million_vnd | vnd
    direction: str  # up | down | none
    pillar: str = Field(index=True)
    headline: bool = False
    definition_vi: str = ""
    definition_en: str = ""
    catalogue_file: str = ""


class Breakdown(SQLModel, table=True):
    code: str = Field(primary_key=True)
    name_vi: str
    name_en: str


class School(SQLModel, table=True):
    __table_args__ = (Index("ix_school_district_level", "district_code", "level"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    level: str
    level_printed: Optional[str] = None
    province_code: str = Field(index=True)
    district_code: Optional[str] = None
    district_printed: Optional[str] = None
    commune_code: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    location_precision: Optional[str] = None  # exact | commune | district | None
    is_public: Optional[bool] = None
    stem_lab: bool = False
    stem_year: Optional[int] = None
    provenance: str = "published"
    source_id: Optional[str] = Field(default=None, foreign_key="source.id")
    section: Optional[str] = None
    quote: Optional[str] = None
    note: Optional[str] = None
    placement_note: Optional[str] = None  # how lat/lon were chosen, or why not (data/geo/PLACEMENT.md)
    batch_id: Optional[int] = Field(default=None, index=True)  # intake batch; NULL = build-owned


class Observation(SQLModel, table=True):
    __table_args__ = (
        Index("ix_obs_indicator_unit_year", "indicator_code", "unit_code", "year"),
        Index("ix_obs_unit_year", "unit_code", "year"),
        Index("ix_obs_school", "school_id"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    obs_key: str = Field(unique=True)
    indicator_code: str = Field(foreign_key="indicator.code")
    unit_code: str = Field(foreign_key="admin_unit.code")
    school_id: Optional[int] = Field(default=None, foreign_key="school.id")
    level: str = "ALL"
    breakdown: str = ""
    period: str
    period_start: date
    period_end: date
    year: int
    value: Optional[float] = None
    numerator: Optional[float] = None
    denominator: Optional[float] = None
    qualifier: str = ""
    printed: str = ""
    value_derived: bool = False
    provenance: str = "published"  # published | simulated | imported | derived
    source_id: Optional[str] = Field(default=None, foreign_key="source.id")
    section: str = ""
    quote: str = ""
    note: str = ""
    batch_id: Optional[int] = Field(default=None, index=True)  # intake batch; NULL = build-owned


class Target(SQLModel, table=True):
    """A published target. Its scope is EITHER `scope_code` (a former province or 'VN', admin_unit) OR
    `scope_current_code` (a province from 1 July 2025, unit_current): GSO codes are reused across the two
    geographies (92 is the former and the current Cần Thơ), so a current province's target has its own column
    and never answers a query for the former province of the same code (migration 0005)."""

    __table_args__ = (Index("ix_target_scope_indicator", "scope_code", "indicator_code", "year"),
                      Index("ix_target_current_scope", "scope_current_code", "indicator_code", "year"),
                      CheckConstraint("(scope_code IS NULL) <> (scope_current_code IS NULL)",
                                      name="ck_target_one_scope"))
    id: Optional[int] = Field(default=None, primary_key=True)
    target_key: str = Field(unique=True)
    indicator_code: str = Field(foreign_key="indicator.code")
    scope_code: Optional[str] = Field(default=None, foreign_key="admin_unit.code")  # former province or 'VN'
    scope_current_code: Optional[str] = Field(default=None, foreign_key="unit_current.code")  # from 7/2025
    level: str = "ALL"
    breakdown: str = ""
    year: int
    value: Optional[float] = None
    qualifier: str = ""
    printed: str = ""
    source_id: str = Field(foreign_key="source.id")
    section: str = ""
    quote: str = ""
    quote_source_id: Optional[str] = Field(default=None, foreign_key="source.id")
    reported_result: str = ""
    reported_status: str = ""
    note: str = ""


class Task(SQLModel, table=True):
    __table_args__ = (Index("ix_task_province_year", "province_code", "plan_year"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    task_key: str = Field(unique=True)
    source_id: str = Field(foreign_key="source.id")
    province_code: str
    plan_year: int
    group_vi: str = ""
    number: str = ""
    title_vi: str
    lead_unit: str = ""
    partner_units: str = ""
    status: str  # dat | chua_dat | planned | assigned
    result_note: str = ""
    section: str = ""
    quote: str = ""


class BudgetItem(SQLModel, table=True):
    __tablename__ = "budget_item"
    __table_args__ = (Index("ix_budget_province", "province_code", "plan_period"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    item_key: str = Field(unique=True)
    source_id: str = Field(foreign_key="source.id")
    province_code: str
    plan_period: str
    group_vi: str = ""
    number: str = ""
    item_vi: str
    description_vi: str = ""
    schools_level: str = ""
    schools_count: Optional[int] = None
    year: Optional[int] = None
    amount_million_vnd: Optional[float] = None
    printed: str = ""
    funding_source: str = Field(foreign_key="breakdown.code")
    funding_source_vi: str = ""
    section: str = ""
    quote: str = ""
    note: str = ""


class BuildInfo(SQLModel, table=True):
    __tablename__ = "build_info"
    key: str = Field(primary_key=True)
    value: str


class StoreMeta(SQLModel, table=True):
    """Facts about the store that no build wipes: `data_version`, bumped by every write of data (caches key on it)."""
    __tablename__ = "store_meta"
    key: str = Field(primary_key=True)
    value: str


class SchoolYear(SQLModel, table=True):
    """One row per school and school year (grain of the school-level mart): infrastructure and adoption.

    Wide rather than tidy on purpose: a national store has ~45.000 schools × years, and every district
    rollup is one GROUP BY over this table. Province, district and level are copied from `school` so the
    rollups need no join. Flags are 0/1; counts are whole numbers; NULL = not applicable.
    """

    __tablename__ = "school_year"
    __table_args__ = (
        Index("ix_sy_province_year_district", "province_code", "school_year", "district_code", "level"),
        Index("ix_sy_school", "school_id", "school_year"),
        Index("ix_sy_year_province", "school_year", "province_code", "batch_id"),  # national views (0004)
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    school_year: int  # first calendar year of the school year: 2023 = 2023-2024
    province_code: str
    district_code: Optional[str] = None
    level: str
    provenance: str = "simulated"
    students: Optional[int] = None
    teachers: Optional[int] = None
    fibre: Optional[int] = None
    wifi: Optional[int] = None
    pc_teaching: Optional[int] = None
    pc_management: Optional[int] = None
    pc_informatics: Optional[int] = None
    dx_level: Optional[int] = None  # 1-3 (Decision 4725 levels), NULL for non-general schools
    mgmt_software: Optional[int] = None
    e_gradebook: Optional[int] = None
    e_transcript: Optional[int] = None
    cashless: Optional[int] = None
    online_plan: Optional[int] = None
    cbt: Optional[int] = None
    stem: Optional[int] = None
    learners_digital: Optional[int] = None
    teachers_digital: Optional[int] = None
    batch_id: Optional[int] = Field(default=None, index=True)  # intake batch; NULL = build-owned (simulation)


from .intake import AppUser, IntakeAssessment, IntakeBatch, IntakeFile, IntakeStageRow, IntakeSuperseded  # noqa: E402,F401
from .units import UnitCrosswalk, UnitCurrent, UnitFormer  # noqa: E402,F401
