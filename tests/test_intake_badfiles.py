"""Bad-file corpus: real .xlsx (openpyxl) and CSV files, each rejected with a message that names the file,
the sheet, the row and the field (where the problem sits in a cell), and the store byte-identical after."""
from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.intake.batches import stage
from dashboard.intake.errors import Rejected
from test_intake_support import copy_db, db_bytes, examples, registered_db, users_db, use_db, xlsx  # noqa: F401

DT = "87"
CODE = f"{DT}DEMO0005"
SY = "Số liệu năm học"
REG = "Danh sách trường"
AS = "Tự đánh giá QĐ 4725"
RP = "Số liệu báo cáo"
DOC = ("BÁO CÁO THỬ\nTỷ lệ trường thu phí không dùng tiền mặt đạt 80,5% (480/596 trường).\n"
       "Có 200/596 trường thi trên máy tính.\n")


def sy(**kw) -> dict:
    return {"school_code": CODE, "school_year": "2024-2025", "students": 300, "teachers": 20, **kw}


def reg(**kw) -> dict:
    return {"school_code": "87X0001", "name": "Trường thử", "level": "TH", "province_code": DT, **kw}


def asm(**kw) -> dict:
    return {"school_code": CODE, "school_year": "2024-2025", "score_teaching": 60, "score_management": 70,
            "declared_level": 2, **kw}


def rep(**kw) -> dict:
    return {"indicator": "CASHLESS_SCHOOLS_PCT", "unit_code": DT, "period": "2024-2025", "value": "80,5",
            "numerator": 480, "denominator": 596, "printed": "80,5%", "document": "Báo cáo thử", "section": "I",
            "quote": "Tỷ lệ trường thu phí không dùng tiền mặt đạt 80,5% (480/596 trường).", **kw}


def csv_bytes(lines: list[str], enc: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(enc)


SY_HEAD = "Mã trường,Năm học,Số học sinh,Số giáo viên"

# (id, kind, file name, bytes, extra stage kwargs, expected (sheet, row, field, code)); row/field None = file-level
CASES = [
    ("not_a_workbook", "register", "a.xlsx", b"PK\x03\x04 this is not really a zip", {}, ("", None, "", "not_workbook")),
    ("text_as_xlsx", "register", "b.xlsx", "Mã trường;Tên\n1;2".encode(), {}, ("", None, "", "not_workbook")),
    ("pdf", "register", "c.pdf", b"%PDF-1.4", {}, ("", None, "", "file_type")),
    ("wrong_sheet", "register", "d.xlsx", xlsx("register", [reg()], sheet="Sheet1"), {}, ("", None, "", "wrong_sheet")),
    ("wrong_kind_sheet", "school_year", "e.xlsx", xlsx("register", [reg()]), {}, ("", None, "", "wrong_sheet")),
    ("empty_sheet", "register", "f.xlsx", xlsx("register", [], headers=[""]), {}, (REG, None, "", "empty_file")),
    ("headers_only", "register", "g.xlsx", xlsx("register", []), {}, (REG, None, "", "no_rows")),
    ("extra_column", "register", "h.xlsx",
     xlsx("register", [["87X1", "T", "TH", None, DT, None, None, None, None, "x"]],
          headers=["Mã trường", "Tên trường", "Cấp học", "Loại hình", "Mã tỉnh", "Mã huyện (trước 7/2025)",
                   "Mã xã (từ 7/2025)", "Vĩ độ", "Kinh độ", "Ghi chú riêng"]), {}, (REG, 1, "", "unknown_column")),
    ("missing_column", "register", "i.xlsx", xlsx("register", [["T", "TH", DT]],
                                                  headers=["Tên trường", "Cấp học", "Mã tỉnh"]), {},
     (REG, 1, "school_code", "missing_column")),
    ("duplicate_column", "register", "j.xlsx", xlsx("register", [["87X1", "87X1", "T", "TH", DT]],
                                                    headers=["Mã trường", "School code", "Tên trường", "Cấp học",
                                                             "Mã tỉnh"]), {}, (REG, 1, "school_code",
                                                                               "duplicate_column")),
    ("merged_cells", "register", "k.xlsx", xlsx("register", [reg(), reg(school_code="87X0002")], merge="B3:B4"), {},
     (REG, 3, "", "merged")),
    ("duplicate_code", "register", "l.xlsx", xlsx("register", [reg(), reg()]), {}, (REG, 4, "school_code", "duplicate")),
    ("unknown_province", "register", "m.xlsx", xlsx("register", [reg(province_code="99")]), {"province": DT},
     (REG, 3, "province_code", "unknown_province")),
    ("other_province", "register", "n.xlsx", xlsx("register", [reg(), reg(school_code="94X1", province_code="94")]),
     {"province": DT}, (REG, 4, "province_code", "other_province")),
    ("district_elsewhere", "register", "o.xlsx", xlsx("register", [reg(district_code="941")]), {},
     (REG, 3, "district_code", "district_province")),
    ("bad_level", "register", "p.xlsx", xlsx("register", [reg(level="Đại học")]), {}, (REG, 3, "level", "bad_choice")),
    ("half_coordinates", "register", "q.xlsx", xlsx("register", [reg(lat=10.5)]), {}, (REG, 3, "lon",
                                                                                       "half_coordinates")),
    ("lat_out_of_range", "register", "r.xlsx", xlsx("register", [reg(lat=45.0, lon=105.0)]), {},
     (REG, 3, "lat", "range")),
    ("bad_ownership", "register", "s.xlsx", xlsx("register", [reg(public="Bán công")]), {}, (REG, 3, "public",
                                                                                            "bad_choice")),
    ("unknown_school", "school_year", "t.xlsx", xlsx("school_year", [sy(), sy(school_code="NOPE1")]), {},
     (SY, 4, "school_code", "unknown_school")),
    ("future_year", "school_year", "u.xlsx", xlsx("school_year", [sy(school_year="2099-2100")]), {},
     (SY, 3, "school_year", "future_year")),
    ("bad_year", "school_year", "v.xlsx", xlsx("school_year", [sy(school_year="năm nay")]), {},
     (SY, 3, "school_year", "bad_year")),
    ("text_in_number", "school_year", "w.xlsx", xlsx("school_year", [sy(students="nhiều")]), {},
     (SY, 3, "students", "not_number")),
    ("digital_above_total", "school_year", "x.xlsx", xlsx("school_year", [sy(teachers_digital=25)]), {},
     (SY, 3, "teachers_digital", "above_total")),
    ("learners_above_total", "school_year", "y.xlsx", xlsx("school_year", [sy(learners_digital="1.300")]), {},
     (SY, 3, "learners_digital", "above_total")),
    ("negative_pc", "school_year", "z.xlsx", xlsx("school_year", [sy(pc_teaching=-3)]), {},
     (SY, 3, "pc_teaching", "negative")),
    ("bad_flag", "school_year", "aa.xlsx", xlsx("school_year", [sy(wifi="có lẽ")]), {}, (SY, 3, "wifi", "not_flag")),
    ("fractional_count", "school_year", "ab.xlsx", xlsx("school_year", [sy(students="12,5")]), {},
     (SY, 3, "students", "not_integer")),
    ("school_other_province", "school_year", "ac.xlsx", xlsx("school_year", [sy()]), {"province": "94"},
     (SY, 3, "school_code", "other_province")),
    ("duplicate_school_year", "school_year", "ad.xlsx", xlsx("school_year", [sy(), sy(school_year=2024)]), {},
     (SY, 4, "school_code", "duplicate")),
    ("simulated_school", "school_year", "ae.xlsx", xlsx("school_year", [sy(school_code="SIM-866-TH-001")]), {},
     (SY, 3, "school_code", "build_owned_code")),
    ("score_above_100", "assessment", "af.xlsx", xlsx("assessment", [asm(score_teaching=120)]), {},
     (AS, 3, "score_teaching", "score_range")),
    ("score_negative", "assessment", "ag.xlsx", xlsx("assessment", [asm(score_management="-5")]), {},
     (AS, 3, "score_management", "score_range")),
    ("level_4", "assessment", "ah.xlsx", xlsx("assessment", [asm(declared_level=4)]), {},
     (AS, 3, "declared_level", "bad_choice")),
    ("score_text", "assessment", "ai.xlsx", xlsx("assessment", [asm(score_teaching="tốt")]), {},
     (AS, 3, "score_teaching", "not_number")),
    ("quote_not_in_document", "report", "aj.xlsx", xlsx("report", [rep(quote="Tỷ lệ đạt 80,5% theo báo cáo.")]),
     {"document": DOC.encode(), "document_name": "bc.txt"}, (RP, 3, "quote", "quote_not_found")),
    ("printed_not_in_quote", "report", "ak.xlsx", xlsx("report", [rep(printed="81%")]),
     {"document": DOC.encode(), "document_name": "bc.txt"}, (RP, 3, "printed", "printed_not_in_quote")),
    ("share_above_100", "report", "al.xlsx", xlsx("report", [rep(value=180.5)]),
     {"document": DOC.encode(), "document_name": "bc.txt"}, (RP, 3, "value", "share_range")),
    ("unknown_indicator", "report", "am.xlsx", xlsx("report", [rep(indicator="NOPE_PCT")]),
     {"document": DOC.encode(), "document_name": "bc.txt"}, (RP, 3, "indicator", "unknown_indicator")),
    ("numerator_above_denominator", "report", "an.xlsx", xlsx("report", [rep(numerator=700)]),
     {"document": DOC.encode(), "document_name": "bc.txt"}, (RP, 3, "numerator", "above_total")),
    ("future_period", "report", "ap2.xlsx", xlsx("report", [rep(period="2099")]),
     {"document": DOC.encode(), "document_name": "bc.txt"}, (RP, 3, "period", "future_year")),
    ("no_document", "report", "ao.xlsx", xlsx("report", [rep()]), {}, (RP, None, "", "no_document")),
    ("csv_not_utf8", "school_year", "ap.csv",
     csv_bytes([SY_HEAD, f"{CODE},2024-2025,300,20", "Trường Đồng Tháp,2024-2025,1,1"], "utf-16"), {},
     ("", None, "", "encoding")),
    ("csv_text_in_number", "school_year", "aq.csv", csv_bytes([SY_HEAD, f"{CODE},2024-2025,ba trăm,20"]), {},
     ("", 2, "students", "not_number")),
    ("csv_unknown_school", "school_year", "ar.csv", csv_bytes([SY_HEAD, "XYZ,2024-2025,300,20"]), {},
     ("", 2, "school_code", "unknown_school")),
    ("csv_missing_header", "school_year", "as.csv", csv_bytes(["Năm học,Số học sinh", "2024-2025,300"]), {},
     ("", 1, "school_code", "missing_column")),
]


@pytest.fixture(scope="module")
def store(registered_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_db(registered_db, tmp_path_factory.mktemp("bad") / "bad.db")


def test_corpus_is_large_enough():
    assert len(CASES) >= 30 and len({c[0] for c in CASES}) == len(CASES)
    assert sum(1 for c in CASES if c[2].endswith(".csv")) >= 4


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_rejected_with_its_place(case, store: Path, monkeypatch: pytest.MonkeyPatch):
    _id, kind, name, data, kwargs, (sheet, row, fld, code) = case
    use_db(store, monkeypatch)
    before = db_bytes(store)
    with pytest.raises(Rejected) as e:
        stage(data, name, kind, user="ed", ack_warnings=True, **kwargs)
    assert db_bytes(store) == before  # nothing written at all
    hits = [p for p in e.value.problems if p.code == code]
    assert hits, [p.text("en") for p in e.value.problems]
    p = hits[0]
    assert (p.file, p.sheet, p.row, p.field) == (name, sheet, row, fld)
    for lang in ("vi", "en"):
        line = p.text(lang)
        assert name in line and (not sheet or sheet in line)
        if row:
            assert (f"dòng {row}" if lang == "vi" else f"row {row}") in line
        if fld:
            assert (p.field_vi if lang == "vi" else p.field_en) in line
        assert "Traceback" not in line and "/" + "tmp" not in line
    assert p.vi != p.en  # a message in each language
