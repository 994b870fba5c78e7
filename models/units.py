"""Units of the two geographies and the crosswalk between them (issue 12; data/geo/SOURCES.md §8).

Before 1 July 2025: 63 provinces, districts, communes (`unit_former`, valid until 2025-06-30).
From 1 July 2025: 34 provinces and their communes, no districts (`unit_current`, valid from 2025-07-01).
A GSO code means something only within its geography (current Đồng Tháp is 82, the code of the former
Tiền Giang), hence two tables. Build-owned: `build-db` replaces them whole from data/geo/units_*.csv.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class UnitCurrent(SQLModel, table=True):
    """A province (level 'province') or commune (level 'commune': xã, phường, đặc khu) from 1 July 2025."""

    __tablename__ = "unit_current"
    __table_args__ = (Index("ix_unit_current_parent", "parent_code", "level"),)
    code: str = Field(primary_key=True)  # GSO: province 2 digits, commune 5 digits
    level: str  # province | commune
    name: str
    fullname: str
    unit_type: str  # Tỉnh, Thành phố | Xã, Phường, Đặc khu
    parent_code: Optional[str] = None  # the province of a commune
    former_province_codes: Optional[str] = None  # provinces: the former provinces merged into it, ';'-separated
    lat: Optional[float] = None
    lon: Optional[float] = None
    area_km2: Optional[float] = None
    valid_from: date
    valid_to: Optional[date] = None
    geometry: Optional[str] = None  # provinces: GeoJSON outline dissolved from the former provinces' outlines


class UnitFormer(SQLModel, table=True):
    """A province, district or commune as it was until 30 June 2025."""

    __tablename__ = "unit_former"
    __table_args__ = (Index("ix_unit_former_parent", "parent_code", "level"),
                      Index("ix_unit_former_current", "current_province_code", "level"))
    code: str = Field(primary_key=True)  # GSO: province 2 digits, district 3, commune 5
    level: str  # province | district | commune
    name: str
    fullname: str
    unit_type: str
    parent_code: Optional[str] = None  # province of a district, district of a commune
    province_code: str  # the former province (itself for a province)
    current_province_code: str  # the current province it lies in (a province merged whole)
    lat: Optional[float] = None
    lon: Optional[float] = None
    valid_from: Optional[date] = None  # not in the source
    valid_to: date


class UnitCrosswalk(SQLModel, table=True):
    """Former commune → current commune: one row per part; a former commune split among several current
    communes has several rows with `split` true, `is_default` on the part used when nothing else is known."""

    __tablename__ = "unit_crosswalk"
    __table_args__ = (
        Index("ix_xw_former_commune", "former_commune_code", "is_default"),
        Index("ix_xw_current_commune", "current_commune_code", "former_district_code"),
        Index("ix_xw_former_district", "former_district_code", "current_commune_code"),
        Index("ix_xw_provinces", "current_province_code", "former_province_code"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    former_commune_code: Optional[str] = None  # NULL: an island district without communes (now a đặc khu)
    former_district_code: str
    former_province_code: str
    current_commune_code: str
    current_province_code: str
    split: bool = False
    is_default: bool = True
    suspect: bool = False  # a far-away part of a split commune (SOURCES.md §8): never used to place a school
    distance_km: Optional[float] = None
