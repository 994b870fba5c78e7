"""Endpoints of the read API (/api/v1/…): GET only, JSON or CSV, paginated, every record with its source.

The pages' query functions serve where one exists (`queries.progress_table` and the overview's status rows,
`queries.build_info`); the paginated fact-table reads are in dashboard/api/queries.py.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError

from .. import queries as page_queries
from ..db import data_version, read_engine
from . import queries as q
from .models import (Document, Indicator, Observation, Progress, Province, Provenance, School, Target, record,
                     with_note)
from .respond import (CSV_RESPONSE, DEFAULT_LIMIT, MAX_LIMIT, Envelope, Format, fmt_of, list_body, listing_body,
                      page_body, serve)

API_VERSION = "1"
router = APIRouter(prefix="/api/v1")


# ------------------------------------------------------------------------------------------------ context
@dataclass
class Context:
    store: str                         # identity of the store's read engine (cache keys)
    version: int
    provinces: dict[str, str]          # code -> name, the data's geography (before 1 July 2025)
    province_data: list[str]           # codes with data
    indicators: set[str]
    levels: list[str]
    province_rows: list[dict]          # /provinces: former then current provinces
    current: dict[str, str]            # provinces from 1 July 2025: code -> name
    former_of: dict[str, list[str]]    # current code -> former codes


_LOOKUPS: dict[tuple[int, int], Context] = {}
_LOCK = threading.Lock()


def context(request: Request | None = None) -> Context:
    """The store's data version and the code lists that parameters are checked against (kept per version). The
    version the cache layer read for this same request (fastpath.py) is used rather than read again."""
    engine = read_engine()
    seen = request.scope.get("dashboard.version") if request is not None else None
    version = seen[1] if seen is not None and seen[0] is engine else data_version(engine)
    key = (id(engine), version)
    ctx = _LOOKUPS.get(key)
    if ctx is None:
        provs = q.province_codes(engine)
        cur = q.current_province_codes(engine)
        rows = ([{"code": p["code"], "name": p["name"], "geography": "former", "has_data": bool(p["has_data"]),
                  "current_province_code": p["current_province_code"]} for p in provs]
                + [{"code": c["code"], "name": c["name"], "geography": "current", "has_data": bool(c["has_data"]),
                    "former_province_codes": c["former_province_codes"]} for c in cur])
        ctx = Context(str(id(engine)), version, {p["code"]: p["name"] for p in provs},
                      [p["code"] for p in provs if p["has_data"]], set(q.indicator_codes(engine)),
                      q.school_levels(engine), rows, {c["code"]: c["name"] for c in cur},
                      q.former_of_current(engine))
        with _LOCK:
            _LOOKUPS.clear()
            _LOOKUPS[key] = ctx
    return ctx


def _bad(field: str, value: object, msg: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", field), "msg": msg, "input": value}])


def _split(values: list[str] | None) -> list[str]:
    """Repeated parameters and comma-separated values alike: ?indicator=A&indicator=B or ?indicator=A,B."""
    return [v.strip() for raw in values or [] for v in raw.split(",") if v.strip()]


def _province(ctx: Context, value: str | None, field: str = "province") -> str | None:
    """A GSO code ('87') or the exact name ('Đồng Tháp', any case) → code; else 422 naming the field."""
    if value is None or not value.strip():
        return None
    v = value.strip()
    if v in ctx.provinces:
        return v
    by_name = {n.casefold(): c for c, n in ctx.provinces.items()}
    if v.casefold() in by_name:
        return by_name[v.casefold()]
    hint = ", ".join(f"{c} ({ctx.provinces[c]})" for c in ctx.province_data[:10])
    raise _bad(field, value, f"unknown province {value!r} — mã tỉnh không có: give a GSO province code or name; "
                             f"provinces with data: {hint}; all codes: /api/v1/provinces")


def _provinces(ctx: Context, province: str | None, current_province: str | None) -> list[str]:
    """The former province codes a request's `province` and `current_province` select ([] = no filter)."""
    former = _province(ctx, province)
    if current_province is None or not current_province.strip():
        return [former] if former else []
    v = current_province.strip()
    by_name = {n.casefold(): c for c, n in ctx.current.items()}
    code = v if v in ctx.current else by_name.get(v.casefold())
    if code is None:
        with_data = [r["code"] for r in ctx.province_rows if r["geography"] == "current" and r["has_data"]]
        hint = ", ".join(f"{c} ({ctx.current[c]})" for c in (with_data or list(ctx.current))[:6])
        raise _bad("current_province", current_province,
                   f"unknown province {current_province!r} — mã tỉnh (từ 1/7/2025) không có: e.g. {hint}; "
                   "all 34: /api/v1/provinces?geography=current")
    parts = ctx.former_of.get(code, [])
    if former is None:
        return parts
    if former not in parts:
        raise _bad("province", province, f"province {former} ({ctx.provinces[former]}) is not part of current "
                                         f"province {code} ({ctx.current[code]}): its parts are {', '.join(parts)}")
    return [former]


def _indicators(ctx: Context, values: list[str] | None) -> list[str]:
    codes = _split(values)
    unknown = [c for c in codes if c not in ctx.indicators]
    if unknown:
        raise _bad("indicator", unknown[0], f"unknown indicator {unknown[0]!r} — mã chỉ tiêu không có: "
                                            f"see /api/v1/indicators ({len(ctx.indicators)} codes), "
                                            f"e.g. {', '.join(sorted(ctx.indicators)[:3])}")
    return codes


def _years(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise _bad("year_from", year_from, f"year_from {year_from} is after year_to {year_to} — năm bắt đầu "
                                           "sau năm kết thúc")


# ------------------------------------------------------------------------------------------------ parameters
def _d(vi: str, en: str) -> str:
    return f"{vi} — {en}"


_MAX_VI, _MAX_EN = f"{MAX_LIMIT:,}".replace(",", "."), f"{MAX_LIMIT:,}"  # 1.000 / 1,000
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=_d(
    f"Số bản ghi một trang (mặc định {DEFAULT_LIMIT}, tối đa {_MAX_VI})",
    f"page size (default {DEFAULT_LIMIT}, at most {_MAX_EN})"))]
Offset = Annotated[int, Query(ge=0, description=_d("Bỏ qua bao nhiêu bản ghi", "records to skip"))]
Fmt = Annotated[Optional[Format], Query(description=_d("json (mặc định) hoặc csv (UTF-8 có BOM)",
                                                       "json (default) or csv (UTF-8 with BOM)"))]
ProvinceQ = Annotated[Optional[str], Query(description=_d(
    "Tỉnh theo địa giới của số liệu (trước 1/7/2025): mã GSO ('87') hoặc tên ('Đồng Tháp')",
    "province in the data's geography (before 1 July 2025): GSO code or name"), examples=["87"])]
CurrentQ = Annotated[Optional[str], Query(description=_d(
    "Tỉnh từ 1/7/2025 (34 tỉnh): mã hoặc tên; chọn các tỉnh cũ hợp thành, ví dụ 82 (Đồng Tháp mới = Tiền Giang + "
    "Đồng Tháp cũ)", "province from 1 July 2025: code or name; selects the former provinces merged into it"),
    examples=["82"])]
IndicatorQ = Annotated[Optional[list[str]], Query(description=_d("Mã chỉ tiêu (lặp lại hoặc cách nhau bởi dấu phẩy)",
                                                                 "indicator code(s), repeated or comma-separated"))]
YearFrom = Annotated[Optional[int], Query(ge=1900, le=2100, description=_d("Từ năm", "from year"))]
YearTo = Annotated[Optional[int], Query(ge=1900, le=2100, description=_d("Đến năm", "to year"))]
ProvenanceQ = Annotated[Optional[list[Provenance]], Query(description=_d(
    "Nguồn gốc: published (văn bản), imported (nhập liệu đã duyệt), simulated (mô phỏng), derived (tính toán)",
    "provenance filter, repeatable"))]


# ------------------------------------------------------------------------------------------------ endpoints
@router.get("/indicators", response_model=Envelope[Indicator], responses=CSV_RESPONSE,
            summary="Danh mục chỉ tiêu — indicator catalogue")
def get_indicators(request: Request, group: Annotated[Optional[list[str]], Query(
                       description=_d("Nhóm (trụ cột), ví dụ infrastructure",
                                      "group (pillar), e.g. infrastructure"))] = None,
                   headline: Annotated[Optional[bool], Query(description=_d("Chỉ tiêu chính", "headline only"))] = None,
                   limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, format: Fmt = None):
    ctx = context(request)
    fmt = fmt_of(request, format)

    def build():
        page = q.indicators(group=_split(group), headline=headline, limit=limit, offset=offset, version=ctx.version)
        recs = [record(Indicator, r | {"source_kind": "catalogue", "source_file": r["catalogue_file"]})
                for r in page.rows]
        return page_body(request, ctx.version, fmt, Indicator, "indicators", recs, page.total, limit, offset)
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/targets", response_model=Envelope[Target], responses=CSV_RESPONSE,
            summary="Mục tiêu 2025/2030 và nguồn — targets with their documents")
def get_targets(request: Request, scope: Annotated[Optional[list[str]], Query(description=_d(
                    "Phạm vi: VN (quốc gia) hoặc mã/tên tỉnh; lặp lại được",
                    "scope: VN or a province, repeatable"))] = None,
                indicator: IndicatorQ = None, year_from: YearFrom = None, year_to: YearTo = None,
                limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, format: Fmt = None):
    ctx = context(request)
    fmt = fmt_of(request, format)
    scopes = [s if s == "VN" else _province(ctx, s, "scope") for s in _split(scope)]
    inds = _indicators(ctx, indicator)
    _years(year_from, year_to)

    def build():
        page = q.targets(scope=scopes, indicators_=inds, year_from=year_from, year_to=year_to, limit=limit,
                         offset=offset, version=ctx.version)
        recs = [record(Target, r) for r in page.rows]
        return page_body(request, ctx.version, fmt, Target, "targets", recs, page.total, limit, offset)
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/observations", response_model=Envelope[Observation], responses=CSV_RESPONSE,
            summary="Số liệu và nguồn — figures with their sources")
def get_observations(request: Request, province: ProvinceQ = None, current_province: CurrentQ = None,
                     unit: Annotated[Optional[list[str]], Query(description=_d(
                         "Mã đơn vị hành chính (tỉnh, huyện, xã, VN); lặp lại được",
                         "administrative unit code(s), repeatable"))] = None,
                     indicator: IndicatorQ = None,
                     period: Annotated[Optional[str], Query(max_length=20, description=_d(
                         "Kỳ như văn bản ghi, ví dụ 2022-2023", "period as printed, e.g. 2022-2023"))] = None,
                     year_from: YearFrom = None, year_to: YearTo = None, provenance: ProvenanceQ = None,
                     limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, format: Fmt = None):
    ctx = context(request)
    fmt = fmt_of(request, format)
    provs = _provinces(ctx, province, current_province)
    units = _split(unit)
    missing = sorted(set(units) - q.unit_codes(units)) if units else []
    if missing:
        raise _bad("unit", missing[0], f"unknown administrative unit {missing[0]!r} — mã đơn vị không có: "
                                       "a GSO code of a province, district or commune, or VN")
    inds = _indicators(ctx, indicator)
    _years(year_from, year_to)

    def build():
        listing = q.observation_listing(province=provs, units=units, indicators_=inds, period=period,
                                        year_from=year_from, year_to=year_to, provenance=list(provenance or []),
                                        version=ctx.version)
        return listing_body(request, ctx.version, fmt, Observation, "observations", ctx.store, listing, limit,
                            offset, _observation)
    return serve(request, ctx.version, fmt, build, ctx.store)


def _observation(r: dict) -> dict:
    return with_note(record(Observation, r))


@router.get("/schools", response_model=Envelope[School], responses=CSV_RESPONSE,
            summary="Trường học, vị trí và nguồn — schools, their place and source")
def get_schools(request: Request, province: ProvinceQ = None, current_province: CurrentQ = None,
                district: Annotated[Optional[list[str]], Query(description=_d(
                    "Mã huyện (GSO, trước 7/2025); lặp lại được", "district code(s), repeatable"))] = None,
                level: Annotated[Optional[list[str]], Query(description=_d(
                    "Cấp học: MN, TH, THCS, THPT, GDTX…", "school level(s)"))] = None,
                provenance: ProvenanceQ = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                format: Fmt = None):
    ctx = context(request)
    fmt = fmt_of(request, format)
    provs = _provinces(ctx, province, current_province)
    levels = _split(level)
    bad = [lv for lv in levels if lv not in ctx.levels]
    if bad:
        raise _bad("level", bad[0], f"unknown school level {bad[0]!r} — cấp học không có; allowed: "
                                    f"{', '.join(ctx.levels)}")
    districts = _split(district)
    missing = sorted(set(districts) - q.unit_codes(districts)) if districts else []
    if missing:
        raise _bad("district", missing[0], f"unknown district {missing[0]!r} — mã huyện không có: a GSO district "
                                           "code (before July 2025)")

    def build():
        listing = q.school_listing(province=provs, districts=districts, levels=levels,
                                   provenance=list(provenance or []), version=ctx.version)
        return listing_body(request, ctx.version, fmt, School, "schools", ctx.store, listing, limit, offset, _school)
    return serve(request, ctx.version, fmt, build, ctx.store)


def _school(r: dict) -> dict:
    placed = r["lat"] is not None and r["lon"] is not None
    return with_note(record(School, r | {"placed": placed, "location_approximate": True if placed else None,
                                         "school_year_from": r["school_year_min"],
                                         "school_year_to": r["school_year_max"]}))


@router.get("/progress", response_model=Envelope[Progress], responses=CSV_RESPONSE,
            summary="Hiện trạng so với mục tiêu của một tỉnh — a province's progress against its targets")
def get_progress(request: Request,
                 province: Annotated[str, Query(description=_d("Mã tỉnh GSO hoặc tên", "GSO code or name"),
                                                examples=["87"])],
                 headline_only: Annotated[bool, Query(description=_d(
                     "Chỉ các chỉ tiêu chính (như bảng Tổng quan)",
                     "headline indicators only (as the overview)"))] = True,
                 year_max: Annotated[Optional[int], Query(ge=1900, le=2100, description=_d(
                     "Số liệu đến năm", "figures up to this year"))] = None,
                 lang: Annotated[str, Query(pattern="^(vi|en)$", description=_d("Ngôn ngữ tên", "language"))] = "vi",
                 format: Fmt = None):
    ctx = context(request)
    fmt = fmt_of(request, format)
    code = _province(ctx, province)

    def build():
        from .progress import cached_records

        recs = cached_records(ctx.store, ctx.version, code, headline_only=headline_only, year_max=year_max, lang=lang)
        return list_body(ctx.version, fmt, Progress, f"progress_{code}", recs, province_code=code,
                         province_name=ctx.provinces[code])
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/sources", response_model=Envelope[Document], responses=CSV_RESPONSE,
            summary="Văn bản nguồn — source documents")
def get_sources(request: Request, format: Fmt = None):
    ctx = context(request)
    fmt = fmt_of(request, format)

    def build():
        recs = [record(Document, r | {"provenance": "imported" if r["batch_id"] is not None else "published"})
                for r in q.sources()]
        return list_body(ctx.version, fmt, Document, "sources", recs)
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/provinces", response_model=Envelope[Province], responses=CSV_RESPONSE,
            summary="Mã tỉnh hai địa giới (trước và từ 1/7/2025) — province codes of both geographies")
def get_provinces(request: Request, geography: Annotated[Optional[Literal["former", "current"]], Query(description=_d(
                      "former: trước 1/7/2025 (địa giới của số liệu, tham số province); current: từ 1/7/2025 "
                      "(tham số current_province); bỏ trống: cả hai",
                      "former (the data's geography, `province`), current (`current_province`), or both"))] = None,
                  format: Fmt = None):
    ctx = context(request)
    fmt = fmt_of(request, format)
    recs = [record(Province, r) for r in ctx.province_rows if geography in (None, r["geography"])]
    return serve(request, ctx.version, fmt, lambda: list_body(ctx.version, fmt, Province, "provinces", recs),
                 ctx.store)


@router.get("/meta", summary="Phiên bản dữ liệu và thông tin bản dựng — data version and build info")
def get_meta(request: Request):
    ctx = context(request)

    def build():
        from ..i18n import t
        from .respond import json_bytes

        info = page_queries.build_info()
        return json_bytes({
            "api_version": API_VERSION, "data_version": ctx.version,
            "schema_revision": info.get("schema_revision"), "built_at": info.get("built_at"),
            "build": info,
            "endpoints": sorted(r.path for r in router.routes),
            "status_rule": {"vi": t("status_rule", "vi"), "en": t("status_rule", "en")},
            "provenance": {"published": "số liệu in trong văn bản — printed in a document",
                           "imported": "nhập liệu đã phê duyệt — an approved intake batch",
                           "simulated": "dữ liệu mô phỏng — simulated", "derived": "tính toán — derived"},
        }), {"content-type": "application/json"}
    return serve(request, ctx.version, "json", build, ctx.store)
