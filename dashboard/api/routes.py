"""Endpoints of the read API (/api/v1/…): GET only, JSON or CSV, paginated, every record with its source.

The pages' query functions serve where one exists (`queries.progress_table` and the overview's status rows,
`queries.build_info`); the paginated fact-table reads are in dashboard/api/queries.py.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated, Optional

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError

from .. import queries as page_queries
from ..db import data_version, read_engine
from . import queries as q
from .models import (Document, Indicator, Observation, Progress, Province, Provenance, School, Target, record,
                     with_note)
from .respond import (CSV_RESPONSE, DEFAULT_LIMIT, MAX_LIMIT, Envelope, Format, fmt_of, list_body, page_body,
                      serve)

API_VERSION = "1"
router = APIRouter(prefix="/api/v1")


# ------------------------------------------------------------------------------------------------ context
@dataclass
class Context:
    store: str                         # identity of the store's read engine (cache keys)
    version: int
    provinces: dict[str, str]          # code -> name
    province_data: list[str]           # codes with data
    indicators: set[str]
    levels: list[str]


_LOOKUPS: dict[tuple[int, int], Context] = {}
_LOCK = threading.Lock()


def context() -> Context:
    """The store's data version and the code lists that parameters are checked against (kept per version)."""
    engine = read_engine()
    version = data_version(engine)
    key = (id(engine), version)
    ctx = _LOOKUPS.get(key)
    if ctx is None:
        provs = q.province_codes(engine)
        ctx = Context(str(id(engine)), version, {p["code"]: p["name"] for p in provs},
                      [p["code"] for p in provs if p["has_data"]], set(q.indicator_codes(engine)),
                      q.school_levels(engine))
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
ProvinceQ = Annotated[Optional[str], Query(description=_d("Mã tỉnh GSO ('87') hoặc tên ('Đồng Tháp')",
                                                          "GSO province code or name"), examples=["87"])]
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
                       description=_d("Nhóm (trụ cột), ví dụ infrastructure", "group (pillar), e.g. infrastructure"))] = None,
                   headline: Annotated[Optional[bool], Query(description=_d("Chỉ tiêu chính", "headline only"))] = None,
                   limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, format: Fmt = None):
    ctx = context()
    fmt = fmt_of(request, format)

    def build():
        page = q.indicators(group=_split(group), headline=headline, limit=limit, offset=offset)
        recs = [record(Indicator, r | {"source_kind": "catalogue", "source_file": r["catalogue_file"]})
                for r in page.rows]
        return page_body(request, ctx.version, fmt, Indicator, "indicators", recs, page.total, limit, offset)
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/targets", response_model=Envelope[Target], responses=CSV_RESPONSE,
            summary="Mục tiêu 2025/2030 và nguồn — targets with their documents")
def get_targets(request: Request, scope: Annotated[Optional[list[str]], Query(description=_d(
                    "Phạm vi: VN (quốc gia) hoặc mã/tên tỉnh; lặp lại được", "scope: VN or a province, repeatable"))] = None,
                indicator: IndicatorQ = None, year_from: YearFrom = None, year_to: YearTo = None,
                limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, format: Fmt = None):
    ctx = context()
    fmt = fmt_of(request, format)
    scopes = [s if s == "VN" else _province(ctx, s, "scope") for s in _split(scope)]
    inds = _indicators(ctx, indicator)
    _years(year_from, year_to)

    def build():
        page = q.targets(scope=scopes, indicators_=inds, year_from=year_from, year_to=year_to, limit=limit,
                         offset=offset)
        recs = [record(Target, r) for r in page.rows]
        return page_body(request, ctx.version, fmt, Target, "targets", recs, page.total, limit, offset)
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/observations", response_model=Envelope[Observation], responses=CSV_RESPONSE,
            summary="Số liệu và nguồn — figures with their sources")
def get_observations(request: Request, province: ProvinceQ = None,
                     unit: Annotated[Optional[list[str]], Query(description=_d(
                         "Mã đơn vị hành chính (tỉnh, huyện, xã, VN); lặp lại được",
                         "administrative unit code(s), repeatable"))] = None,
                     indicator: IndicatorQ = None,
                     period: Annotated[Optional[str], Query(max_length=20, description=_d(
                         "Kỳ như văn bản ghi, ví dụ 2022-2023", "period as printed, e.g. 2022-2023"))] = None,
                     year_from: YearFrom = None, year_to: YearTo = None, provenance: ProvenanceQ = None,
                     limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, format: Fmt = None):
    ctx = context()
    fmt = fmt_of(request, format)
    prov = _province(ctx, province)
    units = _split(unit)
    missing = sorted(set(units) - q.unit_codes(units)) if units else []
    if missing:
        raise _bad("unit", missing[0], f"unknown administrative unit {missing[0]!r} — mã đơn vị không có: "
                                       "a GSO code of a province, district or commune, or VN")
    inds = _indicators(ctx, indicator)
    _years(year_from, year_to)

    def build():
        page = q.observations(province=prov, units=units, indicators_=inds, period=period, year_from=year_from,
                              year_to=year_to, provenance=list(provenance or []), limit=limit, offset=offset)
        recs = [with_note(record(Observation, r)) for r in page.rows]
        return page_body(request, ctx.version, fmt, Observation, "observations", recs, page.total, limit, offset)
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/schools", response_model=Envelope[School], responses=CSV_RESPONSE,
            summary="Trường học, vị trí và nguồn — schools, their place and source")
def get_schools(request: Request, province: ProvinceQ = None,
                district: Annotated[Optional[list[str]], Query(description=_d(
                    "Mã huyện (GSO, trước 7/2025); lặp lại được", "district code(s), repeatable"))] = None,
                level: Annotated[Optional[list[str]], Query(description=_d(
                    "Cấp học: MN, TH, THCS, THPT, GDTX…", "school level(s)"))] = None,
                provenance: ProvenanceQ = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
                format: Fmt = None):
    ctx = context()
    fmt = fmt_of(request, format)
    prov = _province(ctx, province)
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
        page = q.schools(province=prov, districts=districts, levels=levels, provenance=list(provenance or []),
                         limit=limit, offset=offset)
        recs = []
        for r in page.rows:
            placed = r["lat"] is not None and r["lon"] is not None
            recs.append(with_note(record(School, r | {
                "placed": placed, "location_approximate": True if placed else None,
                "school_year_from": r["school_year_min"], "school_year_to": r["school_year_max"]})))
        return page_body(request, ctx.version, fmt, School, "schools", recs, page.total, limit, offset)
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/progress", response_model=Envelope[Progress], responses=CSV_RESPONSE,
            summary="Hiện trạng so với mục tiêu của một tỉnh — a province's progress against its targets")
def get_progress(request: Request,
                 province: Annotated[str, Query(description=_d("Mã tỉnh GSO hoặc tên", "GSO code or name"),
                                                examples=["87"])],
                 headline_only: Annotated[bool, Query(description=_d(
                     "Chỉ các chỉ tiêu chính (như bảng Tổng quan)", "headline indicators only (as the overview)"))] = True,
                 year_max: Annotated[Optional[int], Query(ge=1900, le=2100, description=_d(
                     "Số liệu đến năm", "figures up to this year"))] = None,
                 lang: Annotated[str, Query(pattern="^(vi|en)$", description=_d("Ngôn ngữ tên", "language"))] = "vi",
                 format: Fmt = None):
    ctx = context()
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
    ctx = context()
    fmt = fmt_of(request, format)

    def build():
        recs = [record(Document, r | {"provenance": "imported" if r["batch_id"] is not None else "published"})
                for r in q.sources()]
        return list_body(ctx.version, fmt, Document, "sources", recs)
    return serve(request, ctx.version, fmt, build, ctx.store)


@router.get("/provinces", response_model=Envelope[Province], responses=CSV_RESPONSE,
            summary="Mã tỉnh — province codes")
def get_provinces(request: Request, format: Fmt = None):
    ctx = context()
    fmt = fmt_of(request, format)
    recs = [{"code": c, "name": n, "has_data": c in ctx.province_data} for c, n in ctx.provinces.items()]
    return serve(request, ctx.version, fmt, lambda: list_body(ctx.version, fmt, Province, "provinces", recs),
                 ctx.store)


@router.get("/meta", summary="Phiên bản dữ liệu và thông tin bản dựng — data version and build info")
def get_meta(request: Request):
    ctx = context()

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
