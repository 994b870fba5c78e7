"""UI strings of the national overview (registered with dashboard.i18n)."""
from __future__ import annotations

from ..i18n import register

INDICATOR_NAMES = {
    "dx_ge2": {"vi": "Trường đạt mức 2 trở lên theo QĐ 4725", "en": "Schools at Decision 4725 level 2 or 3"},
    "dx_3": {"vi": "Trường đạt mức 3 theo QĐ 4725", "en": "Schools at Decision 4725 level 3"},
    "fibre": {"vi": "Trường có Internet cáp quang", "en": "Schools with fibre internet"},
    "pc_per_100": {"vi": "Máy tính dạy học / 100 học sinh", "en": "Teaching computers per 100 pupils"},
    "e_gradebook": {"vi": "Trường dùng sổ điểm điện tử", "en": "Schools using an e-gradebook"},
    "e_transcript": {"vi": "Trường dùng học bạ số", "en": "Schools using digital transcripts"},
    "learners_digital": {"vi": "Học sinh có hồ sơ số", "en": "Pupils with a digital record"},
}
DENOMINATORS = {
    "dx_ge2": {"vi": "trường phổ thông (TH, THCS, THPT)", "en": "general schools (primary, lower and upper secondary)"},
    "dx_3": {"vi": "trường phổ thông (TH, THCS, THPT)", "en": "general schools (primary, lower and upper secondary)"},
    "fibre": {"vi": "mọi trường", "en": "all schools"},
    "pc_per_100": {"vi": "học sinh các trường có số máy tính", "en": "pupils of the schools that count computers"},
    "e_gradebook": {"vi": "trường phổ thông", "en": "general schools"},
    "e_transcript": {"vi": "trường phổ thông và GDTX", "en": "general and continuing-education schools"},
    "learners_digital": {"vi": "học sinh", "en": "pupils"},
}

register({
    "nat_page": {"vi": "Toàn quốc", "en": "National"},
    "nat_title": {"vi": "Toàn quốc — xếp hạng các tỉnh", "en": "National — provinces ranked"},
    "nat_intro": {"vi": "Các tỉnh xếp theo chỉ tiêu chính ở cấp trường, tính từ số liệu từng trường của năm học "
                        "đã chọn (tổng tử số / tổng mẫu số; không lấy trung bình các tỉ lệ).",
                  "en": "Provinces ranked on the headline school indicators, computed from each school's data for "
                        "the chosen school year (summed numerators over summed denominators; no average of shares)."},
    "nat_geography": {"vi": "Đơn vị", "en": "Units"},
    "nat_geo_current": {"vi": "34 tỉnh hiện nay", "en": "34 current provinces"},
    "nat_geo_former": {"vi": "63 tỉnh cũ (trước 7/2025)", "en": "63 former provinces (before 7/2025)"},
    "nat_indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "nat_empty": {"vi": "Chưa có số liệu cấp trường của từ hai tỉnh trở lên: trang xếp hạng toàn quốc cần số liệu "
                        "của nhiều tỉnh (tạo kho thử tải quốc gia bằng `python -m dashboard national-store`).",
                  "en": "No school-level data from two or more provinces yet: the national ranking needs several "
                        "provinces (build the national scale-test store with `python -m dashboard national-store`)."},
    "nat_no_year": {"vi": "Không có số liệu cấp trường cho năm học này.", "en": "No school-level data for this school year."},
    "nat_simulated_banner": {
        "vi": "DỮ LIỆU MÔ PHỎNG — {n}/{total} tỉnh trên trang này chỉ có số liệu trường mô phỏng (không phải số liệu "
              "thật){store}. Thứ hạng minh hoạ cách trang hoạt động, không đánh giá tỉnh nào.",
        "en": "SIMULATED DATA — {n} of {total} provinces on this page have simulated school data only (not real "
              "data){store}. The ranking shows how the page works; it assesses no province."},
    "nat_store_note": {"vi": "; kho này là kho thử tải quốc gia tổng hợp", "en": "; this store is a synthetic national scale-test store"},
    "nat_imported_banner": {"vi": "Số liệu nhập của {n} tỉnh (đã phê duyệt) thay cho số liệu mô phỏng của tỉnh đó.",
                            "en": "Imported, approved data of {n} province(s) replace their simulated data."},
    "nat_partial": {"vi": "{k}/{n} tỉnh cũ có số liệu", "en": "{k} of {n} former provinces reported"},
    "nat_partial_note": {"vi": "Tỉnh có dấu * chưa đủ số liệu của mọi tỉnh cũ hợp thành (thiếu: {missing}); giá trị "
                                "chỉ tính trên phần có số liệu.",
                         "en": "Provinces marked * lack data from some of the former provinces they merged (missing: "
                               "{missing}); their value covers the reporting part only."},
    "nat_national": {"vi": "Cả nước", "en": "All provinces"},
    "nat_rank": {"vi": "Hạng", "en": "Rank"},
    "nat_schools": {"vi": "Số trường", "en": "Schools"},
    "nat_table_title": {"vi": "Bảng: mọi chỉ tiêu, xếp theo chỉ tiêu đã chọn", "en": "Table: every indicator, ranked by the chosen one"},
    "nat_caption": {"vi": "Năm học {sy}. Mẫu số: {den}. {prov}.", "en": "School year {sy}. Denominator: {den}. {prov}."},
    "nat_prov_simulated": {"vi": "Dữ liệu mô phỏng", "en": "Simulated data"},
    "nat_prov_imported": {"vi": "Dữ liệu nhập", "en": "Imported data"},
    "nat_prov_mixed": {"vi": "Dữ liệu nhập và mô phỏng", "en": "Imported and simulated data"},
    "nat_provenance": {"vi": "Nguồn số liệu", "en": "Data"},
    "nat_per100": {"vi": "máy / 100 HS", "en": "per 100 pupils"},
})
