"""The API's records: pydantic models that document every field in OpenAPI (Vietnamese, then English), and
the one conversion from a flat SQL row to a JSON record (nested `source`) or a CSV row (`source_*` columns).

The field names are the API's contract: a CSV column is the JSON field's name, nested fields joined with '_'.
Responses are not validated through these models at run time (a page of 1.000 rows would pay for it); rows
are shaped by `record()` from the model's own field list, so the two cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal, Optional, get_args, get_origin

from pydantic import BaseModel, Field

Provenance = Literal["published", "imported", "simulated", "derived"]
SourceKind = Literal["document", "intake_batch", "simulated", "derived", "catalogue"]

NOTES = {
    "simulated": "Dữ liệu mô phỏng — simulated data, not a published figure",
    "derived": "Số liệu tính toán từ số liệu khác — derived from other figures, not printed in a document",
}


def F(vi: str, en: str, **kw) -> object:  # noqa: N802 - a short field factory
    return Field(None, description=f"{vi} — {en}", **kw)


class Source(BaseModel):
    """Nguồn của bản ghi — where the record comes from."""
    kind: Optional[SourceKind] = F("Loại nguồn: document (văn bản), intake_batch (đợt nhập liệu), simulated (mô "
                                   "phỏng), derived (tính toán), catalogue (danh mục)",
                                   "kind of source: a document, an intake batch, simulated, derived, the catalogue")
    document_id: Optional[str] = F("Mã văn bản (xem /api/v1/sources)", "document id (see /api/v1/sources)")
    document_title_vi: Optional[str] = F("Tên ngắn của văn bản", "short title of the document, Vietnamese")
    document_title_en: Optional[str] = F("Tên ngắn tiếng Anh", "short title of the document, English")
    document_title_full: Optional[str] = F("Tên đầy đủ của văn bản", "full title of the document")
    section: Optional[str] = F("Mục, phụ lục, dòng trong văn bản", "section, appendix or row in the document")
    quote: Optional[str] = F("Trích dẫn nguyên văn chứa con số", "verbatim quote that prints the number")
    quote_document_id: Optional[str] = F("Văn bản chứa trích dẫn (mục tiêu quốc gia được trích từ kế hoạch tỉnh)",
                                         "document the quote is in (national targets are quoted from a plan)")
    batch_id: Optional[int] = F("Mã đợt nhập liệu", "intake batch id")
    file: Optional[str] = F("Tệp đã nhập", "imported file name")
    approved_by: Optional[str] = F("Người phê duyệt", "approver")
    approved_at: Optional[str] = F("Thời điểm phê duyệt", "approval time")
    note: Optional[str] = F("Ghi chú (mô phỏng, tính toán, cách đọc số liệu)",
                            "note (simulated, derived, how the figure was read)")


class Indicator(BaseModel):
    code: str = F("Mã chỉ tiêu", "indicator code")
    name_vi: str = F("Tên tiếng Việt", "name in Vietnamese")
    name_en: str = F("Tên tiếng Anh", "name in English")
    unit: str = F("Đơn vị: pct (%), count (số lượng), million_vnd…", "unit: pct, count, million_vnd…")
    group: str = F("Nhóm (trụ cột)", "group (pillar)")
    direction: str = F("Chiều tốt: up (càng cao càng tốt), down, none", "good direction: up, down, none")
    headline: bool = F("Chỉ tiêu chính (thẻ Tổng quan)", "headline indicator (overview cards)")
    definition_vi: Optional[str] = F("Định nghĩa", "definition, Vietnamese")
    definition_en: Optional[str] = F("Định nghĩa tiếng Anh", "definition, English")
    source: Source = F("Nguồn: tệp danh mục chỉ tiêu", "source: the indicator catalogue file")


class Observation(BaseModel):
    id: str = F("Mã số liệu (ổn định)", "figure key (stable)")
    indicator_code: str = F("Mã chỉ tiêu", "indicator code")
    indicator_name_vi: str = F("Tên chỉ tiêu", "indicator name, Vietnamese")
    indicator_name_en: str = F("Tên chỉ tiêu tiếng Anh", "indicator name, English")
    measure_unit: str = F("Đơn vị đo của chỉ tiêu", "unit of measure of the indicator")
    province_code: Optional[str] = F("Mã tỉnh (GSO, trước 7/2025: địa giới của số liệu)",
                                     "province code (GSO, before July 2025: the data's geography)")
    current_province_code: Optional[str] = F("Mã tỉnh từ 1/7/2025 mà tỉnh này sáp nhập vào",
                                             "province from 1 July 2025 it merged into")
    unit_code: str = F("Mã đơn vị hành chính của số liệu", "administrative unit code of the figure")
    unit_name: str = F("Tên đơn vị hành chính", "administrative unit name")
    unit_level: str = F("Cấp: country, province, district, commune", "level of the unit")
    school_code: Optional[str] = F("Mã trường (số liệu của một trường)", "school code (a school's figure)")
    school_level: str = F("Cấp học: ALL, PT, MN, TH, THCS, THPT…", "school level: ALL, PT, MN, TH, THCS, THPT…")
    breakdown: str = F("Phân tổ (rỗng = toàn bộ)", "breakdown (empty = whole)")
    breakdown_name_vi: str = F("Tên phân tổ", "breakdown name, Vietnamese")
    breakdown_name_en: str = F("Tên phân tổ tiếng Anh", "breakdown name, English")
    period: str = F("Kỳ như văn bản ghi: '2023', '2022-2023'", "period as printed: '2023', '2022-2023'")
    period_start: Optional[str] = F("Ngày đầu kỳ", "first day of the period (ISO)")
    period_end: Optional[str] = F("Ngày cuối kỳ (thời điểm số liệu)", "last day of the period (as-of date, ISO)")
    year: int = F("Năm (theo ngày cuối kỳ)", "year (of the period end)")
    value: Optional[float] = F("Giá trị (tỷ lệ % hoặc số lượng)", "value (share in % or count)")
    numerator: Optional[float] = F("Tử số như văn bản in", "numerator as printed")
    denominator: Optional[float] = F("Mẫu số như văn bản in", "denominator as printed")
    qualifier: str = F("Dấu giới hạn như văn bản in: >, >=, <, <=, ~ hoặc rỗng",
                       "bound as printed: >, >=, <, <=, ~ or empty")
    printed: str = F("Con số như văn bản in", "the number as printed")
    value_derived: bool = F("Giá trị tính từ tử số / mẫu số đã in", "value computed from the printed count / total")
    provenance: Provenance = F("Nguồn gốc: published, imported, simulated, derived", "provenance")
    source: Source = F("Nguồn", "source")


class Target(BaseModel):
    id: str = F("Mã mục tiêu (ổn định)", "target key (stable)")
    indicator_code: str = F("Mã chỉ tiêu", "indicator code")
    indicator_name_vi: str = F("Tên chỉ tiêu", "indicator name, Vietnamese")
    indicator_name_en: str = F("Tên chỉ tiêu tiếng Anh", "indicator name, English")
    measure_unit: str = F("Đơn vị đo", "unit of measure")
    scope_code: str = F("Phạm vi: VN (quốc gia) hoặc mã tỉnh", "scope: VN (national) or a province code")
    scope_name: str = F("Tên phạm vi", "scope name")
    school_level: str = F("Cấp học", "school level")
    breakdown: str = F("Phân tổ", "breakdown")
    year: int = F("Năm mục tiêu", "target year")
    value: Optional[float] = F("Giá trị mục tiêu", "target value")
    qualifier: str = F("Giới hạn như văn bản in: > (trên), >= (ít nhất), ~ hoặc rỗng", "bound as printed")
    printed: str = F("Mục tiêu như văn bản in", "the target as printed")
    reported_result: str = F("Kết quả văn bản tự báo cáo", "result the document itself reports")
    reported_status: str = F("Đánh giá văn bản tự ghi (Đạt / Chưa đạt)", "the document's own assessment")
    provenance: Provenance = F("Nguồn gốc (published)", "provenance (published)")
    source: Source = F("Nguồn", "source")


class School(BaseModel):
    code: str = F("Mã trường", "school code")
    name: str = F("Tên trường", "school name")
    school_level: str = F("Cấp học", "school level")
    level_printed: Optional[str] = F("Cấp học như văn bản in", "level as printed")
    is_public: Optional[bool] = F("Công lập", "public school")
    province_code: str = F("Mã tỉnh (trước 7/2025)", "province code (before July 2025)")
    province_name: Optional[str] = F("Tên tỉnh", "province name")
    current_province_code: Optional[str] = F("Mã tỉnh từ 1/7/2025", "province from 1 July 2025")
    district_code: Optional[str] = F("Mã huyện (trước 7/2025)", "district code (before July 2025)")
    district_name: Optional[str] = F("Tên huyện", "district name")
    district_printed: Optional[str] = F("Huyện như văn bản in", "district as printed")
    commune_code: Optional[str] = F("Mã xã", "commune code")
    commune_name: Optional[str] = F("Tên xã", "commune name")
    lat: Optional[float] = F("Vĩ độ (nếu đã đặt trên bản đồ)", "latitude (where placed)")
    lon: Optional[float] = F("Kinh độ", "longitude")
    placed: bool = F("Đã đặt trên bản đồ", "placed on the map")
    location_approximate: Optional[bool] = F(
        "Vị trí gần đúng (tâm xã hoặc điểm trong huyện; không có địa chỉ trường)",
        "position is approximate (commune centroid or a point inside the district; no address is known)")
    location_precision: Optional[str] = F("Độ chính xác: commune (tâm xã), district (điểm trong huyện)",
                                          "precision: commune centroid or point inside the district")
    placement_note: Optional[str] = F("Cách đặt vị trí", "how the position was chosen")
    stem_lab: bool = F("Có phòng STEM theo văn bản", "STEM lab listed in a document")
    stem_year: Optional[int] = F("Năm đầu tư STEM", "STEM lab year")
    school_year_from: Optional[int] = F("Năm học đầu có số liệu (2023 = 2023-2024)",
                                        "first school year with data (2023 = 2023-2024)")
    school_year_to: Optional[int] = F("Năm học cuối có số liệu", "last school year with data")
    provenance: Provenance = F("Nguồn gốc", "provenance")
    source: Source = F("Nguồn", "source")


class Progress(BaseModel):
    indicator_code: str = F("Mã chỉ tiêu", "indicator code")
    indicator_name: str = F("Tên chỉ tiêu (theo lang)", "indicator name (in `lang`)")
    measure_unit: str = F("Đơn vị đo", "unit of measure")
    school_level: Optional[str] = F("Cấp học", "school level")
    breakdown: Optional[str] = F("Phân tổ", "breakdown")
    value: Optional[float] = F("Số liệu mới nhất (rỗng = chưa có)", "latest value (empty = none yet)")
    qualifier: Optional[str] = F("Giới hạn như văn bản in", "bound as printed")
    printed: Optional[str] = F("Số liệu như văn bản in", "as printed")
    period_end: Optional[str] = F("Thời điểm số liệu", "as-of date")
    target_year: int = F("Năm mục tiêu được so (2025, nếu không có thì 2024)", "target year compared (2025, else 2024)")
    target: Optional[float] = F("Mục tiêu", "target value")
    target_scope: Optional[str] = F("Mục tiêu của: VN (quốc gia) hoặc mã tỉnh", "whose target: VN or the province")
    target_qualifier: Optional[str] = F("Giới hạn của mục tiêu", "bound of the target")
    target_printed: Optional[str] = F("Mục tiêu như văn bản in", "target as printed")
    gap: Optional[float] = F("Khoảng cách = mục tiêu − số liệu", "gap = target − value")
    gap_text: str = F("Khoảng cách bằng lời (như bảng Tổng quan)", "gap in words (as on the overview)")
    status: str = F("Trạng thái: reached (đạt), near (≥ 80% mục tiêu), far, none (không so được)",
                    "status: reached, near (≥ 80% of target), far, none (not comparable)")
    status_basis: Optional[str] = F("Cơ sở: min / max (theo giới hạn đã in), approx (ước tính) hoặc rỗng",
                                    "basis: by a printed bound or estimate, or empty")
    provenance: Optional[Provenance] = F("Nguồn gốc của số liệu", "provenance of the value")
    source: Source = F("Nguồn của số liệu", "source of the value")
    target_source: Source = F("Nguồn của mục tiêu", "source of the target")


class Document(BaseModel):
    id: str = F("Mã văn bản", "document id")
    short_title_vi: str = F("Tên ngắn", "short title, Vietnamese")
    short_title_en: str = F("Tên ngắn tiếng Anh", "short title, English")
    title: str = F("Tên đầy đủ", "full title")
    doc_type: str = F("Loại văn bản", "document type")
    issuer: str = F("Cơ quan ban hành", "issuer")
    number: str = F("Số hiệu", "number")
    issued: str = F("Ngày ban hành", "date issued")
    province_code: str = F("Tỉnh", "province")
    file: Optional[str] = F("Tệp văn bản", "file")
    url: Optional[str] = F("Địa chỉ công bố", "public address")
    as_of: Optional[str] = F("Thời điểm số liệu", "as-of date")
    has_text: bool = F("Có toàn văn trong kho", "full text stored")
    observations: int = F("Số số liệu", "figures from it")
    targets: int = F("Số mục tiêu", "targets from it")
    provenance: Provenance = F("published (văn bản kèm theo) hoặc imported (đợt nhập báo cáo)",
                               "published (shipped) or imported (report intake batch)")
    batch_id: Optional[int] = F("Đợt nhập liệu", "intake batch")
    batch_file: Optional[str] = F("Tệp nhập", "imported file")
    batch_approved_by: Optional[str] = F("Người phê duyệt", "approver")
    batch_approved_at: Optional[str] = F("Thời điểm phê duyệt", "approval time")


class Province(BaseModel):
    code: str = F("Mã tỉnh (GSO; cùng một mã có thể là hai tỉnh khác nhau ở hai địa giới)",
                  "province code (GSO; one code may name different provinces in the two geographies)")
    name: str = F("Tên tỉnh", "province name")
    geography: Literal["former", "current"] = F("former: trước 1/7/2025 (63 tỉnh, địa giới của số liệu); current: "
                                                "từ 1/7/2025 (34 tỉnh)", "former: before 1 July 2025 (63, the "
                                                "data's geography); current: from 1 July 2025 (34)")
    has_data: bool = F("Kho có số liệu của tỉnh", "the store holds data of the province")
    current_province_code: Optional[str] = F("(former) Tỉnh từ 1/7/2025 mà tỉnh này sáp nhập vào",
                                             "(former) the current province it merged into")
    former_province_codes: Optional[str] = F("(current) Các tỉnh cũ hợp thành, cách nhau bởi ';'",
                                             "(current) the former provinces merged into it, ';'-separated")


# ------------------------------------------------------------------------------------------------ shaping
def _base(annotation: object) -> object:
    if get_origin(annotation) is not None and type(None) in get_args(annotation):
        return next(a for a in get_args(annotation) if a is not type(None))
    return annotation


def _converter(annotation: object):
    """How one field's value becomes JSON: SQLite's 0/1 as bool, dates as ISO text, NaN as null. The common
    case (a value already of the field's type) returns at the first test: a page of 1.000 rows runs this
    ~40.000 times."""
    base = _base(annotation)

    def general(v: object) -> object:
        if v is None:
            return None
        if base is bool:
            return bool(v)
        if isinstance(v, float) and v != v:  # NaN from pandas
            return None
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        if base is str and not isinstance(v, str):
            return str(v)
        if base is int and isinstance(v, float):
            return int(v)
        return v

    if base is bool:
        return lambda v: v if v is None or v.__class__ is bool else general(v)
    if base is str or get_origin(base) is Literal:
        return lambda v: v if v is None or v.__class__ is str else general(v)
    if base is int:
        return lambda v: v if v is None or v.__class__ is int else general(v)
    if base is float:
        return lambda v: v if v is None or v.__class__ is int or (v.__class__ is float and v == v) else general(v)
    return general


@lru_cache(maxsize=None)
def _plan(model: type[BaseModel]) -> tuple:
    """(name, converter, None) for a field, (name, None, ((column, key, converter), ...)) for a nested model."""
    plan = []
    for name, f in model.model_fields.items():
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            plan.append((name, None, tuple((k, _converter(sf.annotation)) for k, sf in ann.model_fields.items())))
        else:
            plan.append((name, _converter(ann), None))
    return tuple(plan)


def record(model: type[BaseModel], row: dict) -> dict:
    """A JSON record of `model` from a flat row: a nested model reads its fields from `<name>_<field>` columns."""
    return _shaper(model)(row)


# A value already of its field's type is kept as it is (the test inlined); anything else goes through the
# field's converter. Pages of 1.000 rows × 40 fields made the generic loop the API's largest cost.
_FAST_TEST = {bool: "v.__class__ is bool", str: "v.__class__ is str", int: "v.__class__ is int",
              float: "v.__class__ is int or (v.__class__ is float and v == v)"}


def _fast_test(annotation: object) -> str | None:
    base = _base(annotation)
    return _FAST_TEST.get(str if get_origin(base) is Literal else base)


@lru_cache(maxsize=None)
def _shaper(model: type[BaseModel]):
    """record() for one model, as one function: the plan of _plan() written out as a dict display."""
    env: dict = {}

    def value(col: str, conv, annotation: object) -> str:
        n = f"c{len(env)}"
        env[n] = conv
        test = _fast_test(annotation)
        if test is None:
            return f"{n}(get({col!r}))"
        return f"(v if (v := get({col!r})) is None or {test} else {n}(v))"

    items = []
    for name, conv, sub in _plan(model):
        if sub is None:
            items.append(f"{name!r}: {value(name, conv, model.model_fields[name].annotation)}")
        else:
            fields = model.model_fields[name].annotation.model_fields
            inner = ", ".join(f"{k!r}: {value(f'{name}_{k}', c, fields[k].annotation)}" for k, c in sub)
            items.append(f"{name!r}: {{{inner}}}")
    src = "def shape(row):\n    get = row.get\n    return {" + ", ".join(items) + "}\n"
    exec(compile(src, f"<record {model.__name__}>", "exec"), env)  # noqa: S102 - our own field names only
    return env["shape"]


@lru_cache(maxsize=None)
def csv_row(model: type[BaseModel]):
    """A record of `model` as its CSV row, in columns() order: null as empty, booleans as true/false."""
    cells = []
    for name, _conv, sub in _plan(model):
        gets = ([f"rec.get({name!r})"] if sub is None else
                [f"(rec.get({name!r}) or EMPTY).get({k!r})" for k, _c in sub])
        cells += [f'("" if (v := {g}) is None else ("true" if v else "false") if v.__class__ is bool else v)'
                  for g in gets]
    src = "def row(rec):\n    return [" + ", ".join(cells) + "]\n"
    env: dict = {"EMPTY": {}}
    exec(compile(src, f"<csv {model.__name__}>", "exec"), env)  # noqa: S102 - our own field names only
    return env["row"]


def columns(model: type[BaseModel]) -> list[str]:
    """The CSV columns of a model: its fields, a nested model's as `<name>_<field>`."""
    return list(_columns(model))


@lru_cache(maxsize=None)
def _columns(model: type[BaseModel]) -> tuple[str, ...]:
    cols = []
    for name, f in model.model_fields.items():
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            cols += [f"{name}_{k}" for k in ann.model_fields]
        else:
            cols.append(name)
    return tuple(cols)


def flatten(rec: dict) -> dict:
    out = {}
    for k, v in rec.items():
        if isinstance(v, dict):
            out.update({f"{k}_{sk}": sv for sk, sv in v.items()})
        else:
            out[k] = v
    return out


def with_note(rec: dict) -> dict:
    """Simulated and derived records say so in their source, even where the row has no note."""
    src = rec.get("source")
    if src is not None and rec.get("provenance") in NOTES and not src.get("note"):
        src["note"] = NOTES[rec["provenance"]]
    return rec
