"""What each kind of intake file holds: its sheet, its columns (key, Vietnamese and English header, type,
whether required, allowed codes, an explanation in both languages), and the problems found in a file.

The templates (template.py), the readers (reader.py) and the validation (validate.py) all read these
definitions, so a column is described once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

KINDS = ("register", "school_year", "assessment", "report")

# School levels of the register (MOET sector database); LC = multi-level school (trường liên cấp).
SCHOOL_LEVELS = {
    "MN": ("Mầm non", "Preschool"), "TH": ("Tiểu học", "Primary"), "THCS": ("Trung học cơ sở", "Lower secondary"),
    "THPT": ("Trung học phổ thông", "Upper secondary"), "LC": ("Liên cấp (nhiều cấp học)", "Multi-level school"),
    "GDTX": ("Giáo dục thường xuyên", "Continuing education"),
}
OWNERSHIP = {"Công lập": 1, "Tư thục": 0, "Public": 1, "Private": 0, "1": 1, "0": 0}
FLAG_TRUE = {"1", "có", "co", "x", "yes", "y", "true", "đạt", "dat"}
FLAG_FALSE = {"0", "không", "khong", "no", "n", "false", "chưa", "chua"}
QUALIFIERS = ("", ">", ">=", "<", "<=", "~")


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    type: str  # code | text | int | count | flag | score | level | year | float | date | choice
    required: bool = False
    choices: tuple[str, ...] = ()
    help_vi: str = ""
    help_en: str = ""
    lo: float | None = None  # allowed range (inclusive) for numbers
    hi: float | None = None

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class Kind:
    key: str
    sheet_vi: str
    sheet_en: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...]  # columns that identify a row (duplicates are errors)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(key: str, vi: str, en: str, type_: str, required: bool = False, hv: str = "", he: str = "", **kw) -> Column:
    return Column(key, vi, en, type_, required, help_vi=hv, help_en=he, **kw)


_CODE = _c("school_code", "Mã trường", "School code", "code", True,
           "Mã trường theo CSDL ngành (MOET), duy nhất.", "School code in the MOET sector database, unique.")
_NAME = _c("school_name", "Tên trường", "School name", "text", False,
           "Để đối chiếu; phải khớp danh sách trường.", "For checking; must match the register.")
_YEAR = _c("school_year", "Năm học", "School year", "year", True,
           "Dạng 2024-2025 (hoặc năm bắt đầu: 2024).", "As 2024-2025 (or its first year: 2024).")


# Largest plausible count for one school (a larger one is a typing or unit error and is refused).
MAX_PER_SCHOOL = {"students": 20_000, "learners_digital": 20_000, "teachers": 2_000, "teachers_digital": 2_000,
                  "pc_teaching": 5_000, "pc_management": 5_000, "pc_informatics": 5_000}
# Ratios above these are warned about (they need an acknowledgement, they do not block).
MAX_PCS_PER_STUDENT = 2
MAX_STUDENTS_PER_TEACHER = 60


def _count(key: str, vi: str, en: str, hv: str, he: str) -> Column:
    hi = MAX_PER_SCHOOL.get(key)
    top_vi = ", tối đa " + f"{hi:,}".replace(",", ".") if hi else ""
    top_en = f", at most {hi:,}" if hi else ""
    return _c(key, vi, en, "count", False, hv + f" Số nguyên ≥ 0{top_vi} một trường.",
              he + f" Whole number ≥ 0{top_en} per school.", lo=0, hi=hi)


def _flag(key: str, vi: str, en: str, hv: str, he: str) -> Column:
    return _c(key, vi, en, "flag", False, hv + " 1 = có, 0 = không, để trống = không áp dụng.",
              he + " 1 = yes, 0 = no, empty = not applicable.", choices=("1", "0"))


REGISTER = Kind("register", "Danh sách trường", "School register", "Danh sách trường", "School register", (
    _CODE,
    _c("name", "Tên trường", "School name", "text", True, "Tên đầy đủ của trường.", "Full name of the school."),
    _c("level", "Cấp học", "School level", "choice", True, "MN, TH, THCS, THPT, LC (liên cấp), GDTX.",
       "MN, TH, THCS, THPT, LC (multi-level), GDTX.", choices=tuple(SCHOOL_LEVELS)),
    _c("public", "Loại hình", "Ownership", "choice", False, "Công lập hoặc Tư thục.", "Public (Công lập) or private "
       "(Tư thục).", choices=("Công lập", "Tư thục")),
    _c("province_code", "Mã tỉnh", "Province code", "code", True, "Mã tỉnh theo Tổng cục Thống kê (ví dụ 87).",
       "GSO province code (e.g. 87)."),
    _c("district_code", "Mã huyện (trước 7/2025)", "District code (before 7/2025)", "code", False,
       "Mã huyện cũ theo Tổng cục Thống kê, trước khi bỏ cấp huyện (7/2025).",
       "Former GSO district code, before districts were abolished (7/2025)."),
    _c("commune_code", "Mã xã (từ 7/2025)", "Commune code (from 7/2025)", "code", False,
       "Mã xã/phường hiện hành (từ 7/2025), nếu có.", "Current commune/ward code (from 7/2025), if any."),
    _c("lat", "Vĩ độ", "Latitude", "float", False, "Độ thập phân, ví dụ 10,4567.", "Decimal degrees, e.g. 10.4567.",
       lo=8.0, hi=23.5),
    _c("lon", "Kinh độ", "Longitude", "float", False, "Độ thập phân, ví dụ 105,6321.", "Decimal degrees, e.g. 105.6321.",
       lo=102.0, hi=110.0),
), ("school_code",))

SCHOOL_YEAR = Kind("school_year", "Số liệu năm học", "School-year statistics", "Số liệu năm học",
                   "School-year statistics", (
    _CODE, _NAME, _YEAR,
    _count("students", "Số học sinh", "Students", "Tổng số học sinh/người học.", "All students/learners."),
    _count("teachers", "Số giáo viên", "Teachers", "Tổng số giáo viên.", "All teachers."),
    _flag("fibre", "Internet cáp quang", "Fibre internet", "Trường có kết nối cáp quang.", "The school has fibre."),
    _flag("wifi", "Wi-Fi", "Wi-Fi", "Trường có Wi-Fi phục vụ dạy học.", "The school has Wi-Fi for teaching."),
    _count("pc_teaching", "Máy tính dạy học", "Teaching computers", "Máy tính phục vụ dạy học.", "Computers for teaching."),
    _count("pc_management", "Máy tính quản lý", "Management computers", "Máy tính phục vụ quản lý.",
           "Computers for management."),
    _count("pc_informatics", "Máy tính phòng tin học", "Informatics-room computers", "Máy tính trong phòng tin học.",
           "Computers in informatics rooms."),
    _flag("mgmt_software", "Phần mềm quản trị", "Management software", "Dùng phần mềm quản trị nhà trường.",
          "Uses school-management software."),
    _flag("e_gradebook", "Sổ điểm điện tử", "E-gradebook", "Dùng sổ điểm điện tử.", "Uses an e-gradebook."),
    _flag("e_transcript", "Học bạ điện tử", "E-transcript", "Dùng học bạ điện tử.", "Uses e-transcripts."),
    _flag("cashless", "Thu phí không tiền mặt", "Cashless fees", "Thu phí không dùng tiền mặt.",
          "Collects fees without cash."),
    _flag("online_plan", "Dạy học trực tuyến", "Online teaching", "Có kế hoạch dạy học trực tuyến.",
          "Has an online teaching plan."),
    _flag("cbt", "Thi trên máy tính", "Computer-based testing", "Tổ chức thi, kiểm tra trên máy tính.",
          "Runs computer-based tests."),
    _flag("stem", "Dạy học STEM", "STEM teaching", "Triển khai dạy học STEM.", "Teaches STEM."),
    _count("learners_digital", "Người học có hồ sơ số", "Learners on digital records",
           "Số người học có hồ sơ số; không quá số học sinh.", "Learners with digital records; at most the students."),
    _count("teachers_digital", "Nhà giáo có hồ sơ số", "Teachers on digital records",
           "Số giáo viên có hồ sơ số; không quá số giáo viên.", "Teachers with digital records; at most the teachers."),
    _c("note", "Ghi chú", "Note", "text", False, "Tùy chọn; lưu cùng lô dữ liệu.", "Optional; kept with the batch."),
), ("school_code", "school_year"))

ASSESSMENT = Kind("assessment", "Tự đánh giá QĐ 4725", "Decision 4725 assessment",
                  "Tự đánh giá mức độ chuyển đổi số (QĐ 4725/QĐ-BGDĐT)",
                  "Digital-transformation self-assessment (Decision 4725/QĐ-BGDĐT)", (
    _CODE, _NAME, _YEAR,
    _c("score_teaching", "Điểm nhóm 1: CĐS trong dạy, học", "Group 1 score: DX in teaching and learning", "score", True,
       "Tổng điểm nhóm tiêu chí \"Chuyển đổi số trong dạy, học\", 0–100.",
       "Total of the criteria group \"digital transformation in teaching and learning\", 0–100.", lo=0, hi=100),
    _c("score_management", "Điểm nhóm 2: CĐS trong quản trị", "Group 2 score: DX in management", "score", True,
       "Tổng điểm nhóm tiêu chí \"Chuyển đổi số trong quản trị cơ sở giáo dục\", 0–100.",
       "Total of the criteria group \"digital transformation in school management\", 0–100.", lo=0, hi=100),
    _c("declared_level", "Mức trường tự đánh giá", "Level declared by the school", "level", True,
       "1, 2 hoặc 3.", "1, 2 or 3.", choices=("1", "2", "3")),
    _c("verified_level", "Mức Sở/Phòng xác nhận", "Level verified by the Department", "level", False,
       "1, 2 hoặc 3; để trống nếu chưa thẩm định.", "1, 2 or 3; empty if not yet reviewed.", choices=("1", "2", "3")),
    _c("note", "Ghi chú", "Note", "text", False, "Tùy chọn.", "Optional."),
), ("school_code", "school_year"))

REPORT = Kind("report", "Số liệu báo cáo", "Report figures", "Số liệu cấp tỉnh từ báo cáo", "Province figures from a report", (
    _c("indicator", "Mã chỉ tiêu", "Indicator code", "code", True, "Mã chỉ tiêu trong danh mục (sheet Danh mục).",
       "Indicator code from the catalogue (sheet Danh mục)."),
    _c("unit_code", "Mã đơn vị", "Unit code", "code", True, "Mã tỉnh hoặc huyện (Tổng cục Thống kê).",
       "GSO code of the province or district."),
    _c("level", "Cấp học", "School level", "choice", False, "ALL (mọi cấp), MN, TH, THCS, THPT, GDTX...",
       "ALL (every level), MN, TH, THCS, THPT, GDTX...",
       choices=("ALL", "MN", "TH", "THCS", "THPT", "TRH", "PT", "PT_GDTX", "GDTX")),
    _c("period", "Kỳ số liệu", "Period", "text", True, "Năm học 2024-2025 hoặc năm 2024.",
       "School year 2024-2025 or calendar year 2024."),
    _c("period_end", "Ngày số liệu", "As-of date", "date", False, "Ngày chốt số liệu (dd/mm/yyyy); để trống = "
       "cuối kỳ.", "Date the figure describes (dd/mm/yyyy); empty = end of the period."),
    _c("value", "Giá trị", "Value", "float", False, "Tỷ lệ % (0–100) hoặc số lượng.", "Share in % (0–100) or count.",
       lo=0),
    _c("numerator", "Tử số", "Numerator", "float", False, "Ví dụ số trường đạt.", "E.g. schools that reach it.", lo=0),
    _c("denominator", "Mẫu số", "Denominator", "float", False, "Ví dụ tổng số trường.", "E.g. all schools.", lo=0),
    _c("qualifier", "Dấu so sánh", "Qualifier", "choice", False, "Để trống, >, >=, <, <= hoặc ~ (\"trên 70%\" = >).",
       "Empty, >, >=, <, <= or ~ (\"trên 70%\" = >).", choices=QUALIFIERS[1:]),
    _c("printed", "Số như in", "As printed", "text", True, "Con số đúng như in trong văn bản, ví dụ 84,34%.",
       "The number exactly as printed, e.g. 84,34%."),
    _c("document", "Văn bản", "Document", "text", True, "Tên văn bản (một văn bản cho cả tệp).",
       "Title of the document (one document per file)."),
    _c("document_number", "Số hiệu văn bản", "Document number", "text", False, "Ví dụ 123/BC-SGDĐT.",
       "E.g. 123/BC-SGDĐT."),
    _c("document_date", "Ngày văn bản", "Document date", "date", False, "dd/mm/yyyy.", "dd/mm/yyyy."),
    _c("section", "Mục", "Section", "text", True, "Mục, trang hoặc phụ lục của văn bản.",
       "Section, page or appendix of the document."),
    _c("quote", "Trích nguyên văn", "Verbatim quote", "text", True,
       "Câu chứa con số, chép đúng từng chữ từ văn bản tải lên kèm theo.",
       "The sentence with the number, copied word for word from the uploaded document."),
), ("indicator", "unit_code", "level", "period", "section", "printed"))

SPECS: dict[str, Kind] = {k.key: k for k in (REGISTER, SCHOOL_YEAR, ASSESSMENT, REPORT)}


def spec(kind: str) -> Kind:
    if kind not in SPECS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    return SPECS[kind]


# --- problems -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One problem in an uploaded file. `row` is the row number as Excel shows it (CSV: the line)."""

    severity: str  # error | warning
    file: str
    sheet: str
    row: int | None
    field: str  # column key ("" when the problem is about the file or a row)
    vi: str
    en: str
    field_vi: str = ""
    field_en: str = ""
    code: str = ""  # short machine code of the check, e.g. 'unknown_school'

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def where(self, lang: str = "vi") -> str:
        en = lang == "en"
        parts = [self.file]
        if self.sheet:
            parts.append(f"{'sheet' if en else 'trang tính'} '{self.sheet}'")
        if self.row:
            parts.append(f"{'row' if en else 'dòng'} {self.row}")
        fld = (self.field_en if en else self.field_vi) or self.field
        if fld:
            parts.append(f"{'field' if en else 'cột'} '{fld}'")
        return ", ".join(parts)

    def text(self, lang: str = "vi") -> str:
        return f"{self.where(lang)}: {self.message(lang)}"

    def as_dict(self, lang: str = "vi") -> dict:
        return {"severity": self.severity, "file": self.file, "sheet": self.sheet, "row": self.row,
                "field": (self.field_en if lang == "en" else self.field_vi) or self.field, "field_key": self.field,
                "message": self.message(lang), "code": self.code}

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class Problems:
    """Collects problems of one file; knows the file, sheet and column headers."""

    file: str
    sheet: str = ""
    kind: Kind | None = None
    items: list[Problem] = field(default_factory=list)
    typed: dict = field(default_factory=dict)  # (column key, row) -> the text as typed, for text cells read as numbers

    def add(self, severity: str, row: int | None, fld: str, vi: str, en: str, code: str = "") -> None:
        col = next((c for c in self.kind.columns if c.key == fld), None) if self.kind else None
        self.items.append(Problem(severity, self.file, self.sheet, row, fld, vi, en,
                                  col.vi if col else fld, col.en if col else fld, code))

    def error(self, row: int | None, fld: str, vi: str, en: str, code: str = "") -> None:
        self.add("error", row, fld, vi, en, code)

    def warning(self, row: int | None, fld: str, vi: str, en: str, code: str = "") -> None:
        self.add("warning", row, fld, vi, en, code)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]


# --- numbers as people type them ----------------------------------------------------------------

_VN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d+$")  # 1.234,5  1.234  84,34
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")  # 1234.5  84.34  7661


def parse_number(v: object) -> float | None:
    """A number from a cell: Excel numbers as they are; text in Vietnamese form ('1.234,5', '84,34') or plain
    form ('1234.5'). A dot followed by exactly three digits is a thousands separator ('1.234' = 1234), as
    Vietnamese writes it. Raises ValueError for text that is not a number."""
    if v is None or isinstance(v, bool):
        if isinstance(v, bool):
            return float(v)
        return None
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip().replace("\u00a0", "").replace(" ", "")
    if s == "":
        return None
    if s.endswith("%"):
        s = s[:-1]
    if _VN.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if _PLAIN.match(s):
        return float(s)
    raise ValueError(s)


def parse_school_year(v: object) -> int:
    """'2024-2025', '2024 - 2025', '2024–2025' or 2024 → 2024 (first calendar year). Raises ValueError."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        y = int(v)
        if 1990 <= y <= 2100:
            return y
        raise ValueError(str(v))
    s = str(v).strip()
    m = re.fullmatch(r"(\d{4})\s*[-–/]\s*(\d{4})", s)
    if m and int(m.group(2)) == int(m.group(1)) + 1:
        return int(m.group(1))
    if re.fullmatch(r"\d{4}", s):
        return int(s)
    raise ValueError(s)


def school_year_label(y: int) -> str:
    return f"{y}-{y + 1}"


def latest_school_year(today: date | None = None) -> int:
    """The newest school year that can have data: a school year starts in August/September."""
    today = today or date.today()
    return today.year if today.month >= 8 else today.year - 1
