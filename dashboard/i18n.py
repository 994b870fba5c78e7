"""User-facing strings (Vietnamese first, English as a switch) and Vietnamese number formats."""
from __future__ import annotations

import math
from datetime import date

LANGS = ("vi", "en")

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"vi": "Chuyển đổi số ngành Giáo dục", "en": "Education digital transformation"},
    "app_subtitle": {"vi": "Theo dõi tiến độ so với mục tiêu Quyết định 131/QĐ-TTg và kế hoạch của tỉnh",
                     "en": "Progress against Decision 131/QD-TTg and provincial plans"},
    "page_overview": {"vi": "Tổng quan", "en": "Overview"},
    "page_targets": {"vi": "Mục tiêu 2025/2030", "en": "Targets 2025/2030"},
    "page_budget": {"vi": "Ngân sách & nhiệm vụ", "en": "Budget & tasks"},
    "page_sources": {"vi": "Dữ liệu & nguồn", "en": "Data & sources"},
    "filters": {"vi": "Bộ lọc", "en": "Filters"},
    "language": {"vi": "Ngôn ngữ", "en": "Language"},
    "province": {"vi": "Tỉnh", "en": "Province"},
    "year": {"vi": "Năm (đến hết)", "en": "Year (up to)"},
    "all_years": {"vi": "Mới nhất", "en": "Latest"},
    "school_level": {"vi": "Cấp học", "en": "School level"},
    "pillar": {"vi": "Trụ cột", "en": "Pillar"},
    "all": {"vi": "Tất cả", "en": "All"},
    "share_link": {"vi": "Bộ lọc được lưu trong địa chỉ trang: sao chép đường dẫn để chia sẻ đúng khung nhìn này.",
                   "en": "Filters are kept in the page address: copy the link to share this exact view."},
    "latest": {"vi": "Mới nhất", "en": "Latest"},
    "as_of": {"vi": "thời điểm", "en": "as of"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "target_2025": {"vi": "Mục tiêu 2025", "en": "2025 target"},
    "target_2030": {"vi": "Mục tiêu 2030", "en": "2030 target"},
    "gap": {"vi": "Khoảng cách", "en": "Gap"},
    "gap_year": {"vi": "Năm mục tiêu của khoảng cách", "en": "Target year of the gap"},
    "gap_short_pct": {"vi": "còn thiếu {x} điểm %", "en": "{x} points short"},
    "gap_short": {"vi": "còn thiếu {x}", "en": "{x} short"},
    "no_data": {"vi": "Chưa có số liệu công bố", "en": "No published figure"},
    "no_target": {"vi": "Chưa có mục tiêu", "en": "No target"},
    "status_reached": {"vi": "Đã đạt", "en": "Reached"},
    "status_near": {"vi": "Gần đạt (≥ 80% mục tiêu)", "en": "Close (≥ 80% of target)"},
    "status_far": {"vi": "Còn xa (< 80% mục tiêu)", "en": "Far (< 80% of target)"},
    "status_none": {"vi": "Không so sánh được", "en": "Not comparable"},
    "status_rule": {"vi": "Màu trạng thái: xanh = đã đạt mục tiêu; vàng = đạt từ 80% mục tiêu; đỏ = dưới 80%; "
                           "xám = chưa có số liệu hoặc mục tiêu. Mục tiêu so sánh là mục tiêu 2025 (của tỉnh nếu có, "
                           "nếu không thì của QĐ 131); khi không có mục tiêu 2025 thì dùng mục tiêu 2024 của tỉnh.",
                    "en": "Status colour: green = target reached; amber = at least 80% of target; red = below 80%; "
                          "grey = no figure or no target. The target is the 2025 one (the province's own where it "
                          "exists, else Decision 131's); where there is no 2025 target, the province's 2024 one."},
    "target_scope_vn": {"vi": "QĐ 131 (quốc gia)", "en": "Decision 131 (national)"},
    "target_scope_prov": {"vi": "Kế hoạch tỉnh", "en": "Provincial plan"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "sources": {"vi": "Nguồn", "en": "Sources"},
    "section": {"vi": "Mục", "en": "Section"},
    "quote": {"vi": "Trích dẫn", "en": "Quote"},
    "derived_from": {"vi": "tính từ", "en": "computed from"},
    "headline_title": {"vi": "Chỉ tiêu chính của Quyết định 131 và của tỉnh",
                       "en": "Headline indicators of Decision 131 and the province"},
    "compare_section": {"vi": "So sánh các tỉnh", "en": "Provinces compared"},
    "compare_title": {"vi": "So sánh các tỉnh trên chỉ tiêu có từ hai tỉnh công bố",
                      "en": "The provinces on indicators that at least two of them report"},
    "compare_caption": {"vi": "Chỉ gồm các chỉ tiêu (%) có số liệu công bố của ít nhất hai tỉnh; mỗi cột là giá trị mới nhất.",
                        "en": "Only % indicators published by at least two provinces; each bar is the latest value."},
    "indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "level": {"vi": "Cấp học", "en": "Level"},
    "breakdown": {"vi": "Phân tổ", "en": "Breakdown"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "actual": {"vi": "Thực hiện", "en": "Actual"},
    "targets_title": {"vi": "Thực hiện so với mục tiêu 2025 và 2030", "en": "Actual against the 2025 and 2030 targets"},
    "targets_caption": {"vi": "Cột: giá trị công bố mới nhất. ● mục tiêu 2024 của tỉnh, ◆ mục tiêu 2025, ★ mục tiêu 2030. "
                              "Màu cột theo mục tiêu 2025 (nếu tỉnh không có thì mục tiêu 2024).",
                        "en": "Bars: latest published value. ● the province's 2024 target, ◆ 2025 target, ★ 2030 target. "
                              "Bar colour by the 2025 target (the 2024 one where there is no 2025 target)."},
    "no_actual": {"vi": "chưa có số liệu", "en": "no figure"},
    "assessment_title": {"vi": "Tự đánh giá của tỉnh (Phụ lục I)", "en": "The province's own assessment (appendix I)"},
    "reported_result": {"vi": "Kết quả tỉnh báo cáo", "en": "Reported result"},
    "reported_status": {"vi": "Đánh giá", "en": "Assessment"},
    "budget_title": {"vi": "Kinh phí theo hạng mục và nguồn", "en": "Budget by item and source of funds"},
    "items_title": {"vi": "Hạng mục đầu tư", "en": "Investment items"},
    "tasks_title": {"vi": "Nhiệm vụ và tình trạng", "en": "Tasks and status"},
    "total_check": {"vi": "Tổng các hạng mục", "en": "Sum of items"},
    "published_total": {"vi": "Tổng công bố", "en": "Published total"},
    "matches": {"vi": "khớp", "en": "matches"},
    "differs": {"vi": "KHÔNG khớp", "en": "does NOT match"},
    "million_vnd": {"vi": "triệu đồng", "en": "million VND"},
    "amount": {"vi": "Kinh phí (triệu đồng)", "en": "Amount (million VND)"},
    "funding_source": {"vi": "Nguồn kinh phí", "en": "Source of funds"},
    "item": {"vi": "Hạng mục", "en": "Item"},
    "task": {"vi": "Nhiệm vụ", "en": "Task"},
    "lead_unit": {"vi": "Đơn vị chủ trì", "en": "Lead unit"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "plan_year": {"vi": "Năm kế hoạch", "en": "Plan year"},
    "task_dat": {"vi": "Đạt", "en": "Achieved"},
    "task_chua_dat": {"vi": "Chưa đạt", "en": "Not achieved"},
    "task_planned": {"vi": "Kế hoạch", "en": "Planned"},
    "task_assigned": {"vi": "Giao nhiệm vụ", "en": "Assigned"},
    "no_budget": {"vi": "Văn bản của tỉnh này không có danh mục hạng mục đầu tư theo kế hoạch. Các khoản kinh phí "
                        "lẻ đã công bố (nếu có) nằm ở trang “Dữ liệu & nguồn”.",
                  "en": "This province's documents have no list of planned investment items. Single amounts they "
                        "publish, if any, are on the “Data & sources” page."},
    "no_tasks": {"vi": "Văn bản của tỉnh này không có danh mục nhiệm vụ.",
                 "en": "This province's documents list no tasks."},
    "search": {"vi": "Tìm kiếm (chỉ tiêu, trích dẫn, văn bản)", "en": "Search (indicator, quote, document)"},
    "figures_title": {"vi": "Tất cả số liệu và nguồn", "en": "Every figure and its source"},
    "figure_detail": {"vi": "Đoạn văn bản gốc", "en": "Passage in the document"},
    "select_figure": {"vi": "Chọn một số liệu để xem đoạn văn bản gốc", "en": "Select a figure to see its passage"},
    "conflicts_title": {"vi": "Số liệu mâu thuẫn giữa các lần công bố", "en": "Figures stated differently"},
    "no_conflicts": {"vi": "Không có mâu thuẫn.", "en": "No conflicts."},
    "checks_title": {"vi": "Kiểm tra tổng và thành phần", "en": "Totals against their parts"},
    "download_csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "documents_title": {"vi": "Văn bản nguồn", "en": "Source documents"},
    "text_not_shipped": {"vi": "Văn bản không kèm theo; số liệu được trích ở văn bản nhắc lại.",
                         "en": "Text not shipped; the figure is quoted where another document restates it."},
    "kind": {"vi": "Loại", "en": "Kind"},
    "kind_observation": {"vi": "Số liệu", "en": "Figure"},
    "kind_target": {"vi": "Mục tiêu", "en": "Target"},
    "footer": {"vi": "Số liệu công bố lấy nguyên văn từ văn bản của Sở GDĐT/UBND tỉnh; xem trang “Dữ liệu & nguồn”. "
                     "Ranh giới hành chính: censusVN2009 (M. Choisy, L. Contamin), giấy phép MIT.",
               "en": "Published figures are taken verbatim from provincial documents; see “Data & sources”. "
                     "Boundaries: censusVN2009 (M. Choisy, L. Contamin), MIT licence."},
    "db_missing": {"vi": "Chưa có cơ sở dữ liệu. Chạy: python -m dashboard build-db",
                   "en": "No database yet. Run: python -m dashboard build-db"},
    "district": {"vi": "Huyện, thị xã, thành phố", "en": "District"},
    "districts_all": {"vi": "Tất cả huyện", "en": "All districts"},
    "simulated": {"vi": "Dữ liệu mô phỏng", "en": "Simulated data"},
    "simulated_note": {"vi": "Dữ liệu mô phỏng: các văn bản chỉ công bố số liệu cấp tỉnh. Số liệu theo huyện, trường là "
                              "mô phỏng, được hiệu chỉnh để tổng đúng bằng số liệu công bố của tỉnh; không dùng thay "
                              "số liệu thật. Phương pháp mô phỏng: tài liệu kỹ thuật đi kèm dữ liệu.",
                       "en": "Simulated data: the documents publish province totals only. District and school figures "
                             "are simulated and calibrated so that they add up exactly to the published province "
                             "figures; they do not replace real data. The method is set out in the data's technical notes."},
    "school_year": {"vi": "Năm học", "en": "School year"},
    "schools_general": {"vi": "Số trường phổ thông", "en": "General schools"},
    "page_infrastructure": {"vi": "Hạ tầng số", "en": "Digital infrastructure"},
    "page_adoption": {"vi": "Ứng dụng CNTT", "en": "ICT adoption"},
    "infra_pc_title": {"vi": "Máy tính dạy học trên 100 học sinh", "en": "Teaching computers per 100 students"},
    "infra_net_title": {"vi": "Trường có Internet cáp quang và Wi-Fi", "en": "Schools with fibre internet and Wi-Fi"},
    "infra_ict_title": {"vi": "Trường phổ thông theo mức độ chuyển đổi số (QĐ 4725)",
                        "en": "General schools by digital-transformation maturity level (Decision 4725)"},
    "infra_ict_caption": {"vi": "Mức 1–3 của bộ chỉ số đánh giá mức độ chuyển đổi số (QĐ 4725/QĐ-BGDĐT).",
                          "en": "Levels 1–3 of the digital-transformation maturity index (Decision 4725/QĐ-BGDĐT)."},
    "adoption_title": {"vi": "Tỉ lệ trường ứng dụng theo huyện", "en": "Share of schools adopting, by district"},
    "heatmap_title": {"vi": "Huyện × chỉ tiêu ứng dụng", "en": "District × adoption indicator"},
    "ranking_title": {"vi": "Xếp hạng huyện (trung bình các chỉ tiêu ứng dụng)",
                      "en": "District ranking (mean of the adoption indicators)"},
    "district_schools": {"vi": "Các trường của huyện", "en": "Schools of the district"},
    "choose_district": {"vi": "Chọn huyện để xem danh sách trường", "en": "Choose a district to see its schools"},
    "empty_level": {"vi": "Không có trường nào thuộc cấp học đã chọn ở huyện, năm học này.",
                    "en": "No school of the selected level in this district and school year."},
    "province_total": {"vi": "Toàn tỉnh (tổng các trường)", "en": "Province (sum over schools)"},
    "published_vs_sim": {"vi": "Số liệu công bố của tỉnh (không thay bằng tổng mô phỏng)",
                         "en": "The province's published figure (never replaced by simulated sums)"},
    "rank": {"vi": "Hạng", "en": "Rank"},
    "mean_adoption": {"vi": "Trung bình (%)", "en": "Mean (%)"},
    "district_section": {"vi": "Theo huyện (dữ liệu mô phỏng)", "en": "By district (simulated data)"},
    "page_forecast": {"vi": "Dự báo", "en": "Forecast"},
    "fc_interval": {"vi": "Khoảng dự báo", "en": "Prediction interval"},
    "fc_projection": {"vi": "Dự báo theo xu hướng", "en": "Trend projection"},
    "fc_required_pace": {"vi": "Nhịp cần thiết", "en": "Required pace"},
    "fc_series": {"vi": "Chuỗi số liệu", "en": "Series"},
    "fc_scope": {"vi": "Phạm vi", "en": "Scope"},
    "fc_scope_province": {"vi": "Tỉnh — số liệu công bố", "en": "Province — published figures"},
    "fc_scope_district": {"vi": "Huyện — dữ liệu mô phỏng", "en": "District — simulated data"},
    "fc_points": {"vi": "Số điểm", "en": "Points"},
    "fc_method": {"vi": "Phương pháp", "en": "Method"},
    "fc_backtest": {"vi": "Sai số kiểm tra ngược", "en": "Backtest error"},
    "fc_projected": {"vi": "Dự báo", "en": "Projected"},
    "fc_probability": {"vi": "Xác suất đạt", "en": "Probability"},
    "fc_pace": {"vi": "Nhịp cần/năm", "en": "Pace needed/yr"},
    "fc_observed_pace": {"vi": "Nhịp đã đạt/năm", "en": "Observed pace/yr"},
    "fc_target_year": {"vi": "Năm mục tiêu", "en": "Target year"},
    "fc_province_table": {"vi": "Trạng thái các chỉ tiêu của tỉnh (số liệu công bố)",
                          "en": "Status of the province's indicators (published figures)"},
    "fc_district_table": {"vi": "Trạng thái theo huyện (dữ liệu mô phỏng)", "en": "Status by district (simulated data)"},
    "fc_model_card": {"vi": "Thẻ mô hình: phương pháp, sai số, giới hạn", "en": "Model card: method, error, limits"},
    "fc_as_of": {"vi": "Số liệu đến", "en": "Data as of"},
    "fc_rule": {"vi": "Quy tắc trạng thái", "en": "Status rule"},
    "fc_no_series": {"vi": "Không có chuỗi số liệu (%) nào cho lựa chọn này.", "en": "No (%) series for this choice."},
    "fc_card_line": {"vi": "Dự báo 2025", "en": "2025 projection"},
    "meeting_mode": {"vi": "Chế độ trình chiếu (họp)", "en": "Meeting mode (projector)"},
    "meeting_prev": {"vi": "Trước", "en": "Previous"},
    "meeting_next": {"vi": "Sau", "en": "Next"},
    "meeting_slide": {"vi": "Trang chiếu", "en": "Slide"},  # a slide is a chart, or the status table, or a page without charts
    "meeting_exit": {"vi": "Thoát chế độ họp", "en": "Leave meeting mode"},
    "pack_title": {"vi": "Bản tóm tắt của trang", "en": "Briefing pack of this page"},
    "pack_format": {"vi": "Định dạng", "en": "Format"},
    "pack_build": {"vi": "Tạo bản tóm tắt", "en": "Build the pack"},
    "pack_progress": {"vi": "Đang dựng các biểu đồ…", "en": "Rendering the charts…"},
    "pack_done": {"vi": "Xong", "en": "Done"},
    "pack_download": {"vi": "⬇ Tải bản tóm tắt", "en": "⬇ Download the pack"},
    "pack_no_charts": {"vi": "Trang này không có biểu đồ để đưa vào bản tóm tắt.", "en": "This page has no chart to pack."},
    "export_use_toolbar": {"vi": "Vẫn có thể tải ảnh bằng nút máy ảnh trên thanh công cụ của biểu đồ.",
                           "en": "The camera button of the chart's toolbar still downloads an image."},
    "target_source": {"vi": "Nguồn mục tiêu", "en": "Target source"},
    "decision_131_short": {"vi": "QĐ 131", "en": "Decision 131"},
    "no_target_filters": {"vi": "Không có chỉ tiêu nào có mục tiêu với bộ lọc này (cấp học, trụ cột). Hãy bỏ bớt bộ lọc.",
                          "en": "No indicator with a target matches these filters (level, pillar). Remove some filters."},
    "compare_empty": {"vi": "Không có chỉ tiêu (%) nào được từ hai tỉnh trở lên công bố cho bộ lọc này.",
                      "en": "No (%) indicator published by two or more provinces matches these filters."},
    "printed": {"vi": "Như văn bản in", "en": "As printed"},
    "record_ids": {"vi": "Mã", "en": "ID"},
    "issuer": {"vi": "Cơ quan ban hành", "en": "Issuer"},
    "doc_number": {"vi": "Số", "en": "Number"},
    "doc_date": {"vi": "Ngày", "en": "Date"},
    "doc_file": {"vi": "Tệp", "en": "File"},
    "fc_district_caveat": {"vi": "Chỉ có các chỉ tiêu mà tỉnh có số công bố; năm học đã có số liệu nhập không nằm ở đây. Năm học mới "
                                 "nhất được hiệu chỉnh theo tổng toàn tỉnh đã công bố; giá trị từng huyện và các năm "
                                 "trước là mô phỏng theo giả định của mô phỏng, nên xu hướng ở đây chỉ minh hoạ cách "
                                 "dự báo, không phải nhận định về huyện: không có khoảng dự báo, xác suất hay trạng thái.",
                           "en": "Only indicators the province publishes; imported school years are not here. The latest school "
                                 "year is calibrated to the published province total; each district's value and the "
                                 "earlier years are simulated by the simulation's own assumptions, so the trend here "
                                 "illustrates the method, not a judgement on a district: no interval, probability or "
                                 "status."},
    "year_filter_na": {"vi": "Bộ lọc “Năm” ở thanh bên không áp dụng cho trang này; hãy chọn năm học ở trên.",
                       "en": "The sidebar “Year” filter does not apply here; choose the school year above."},
    "pillars_all": {"vi": "Tất cả trụ cột", "en": "All pillars"},
    "levels_all": {"vi": "Tất cả cấp học", "en": "All levels"},
    "rows": {"vi": "dòng", "en": "rows"},
    "qualifier_>": {"vi": "trên", "en": "over"},
    "qualifier_>=": {"vi": "tối thiểu", "en": "at least"},
    "qualifier_~": {"vi": "khoảng", "en": "about"},
    "qualifier_<": {"vi": "dưới", "en": "under"},
    "qualifier_<=": {"vi": "tối đa", "en": "at most"},
    "every_teacher": {"vi": "mỗi giáo viên", "en": "every teacher"},
}

PILLAR_NAMES = {
    "infrastructure": {"vi": "Hạ tầng số", "en": "Digital infrastructure"},
    "teaching": {"vi": "Dạy, học và kiểm tra", "en": "Teaching, learning, testing"},
    "management": {"vi": "Quản trị, quản lý và dữ liệu", "en": "Management and data"},
    "services": {"vi": "Dịch vụ trực tuyến", "en": "Online services"},
    "human_resources": {"vi": "Nhân lực số", "en": "Human resources"},
    "finance": {"vi": "Tài chính, thanh toán", "en": "Finance, payments"},
}

LEVEL_NAMES = {
    "ALL": {"vi": "Tất cả", "en": "All"},
    "MN": {"vi": "Mầm non", "en": "Preschool"},
    "TH": {"vi": "Tiểu học", "en": "Primary"},
    "THCS": {"vi": "THCS", "en": "Lower secondary"},
    "THPT": {"vi": "THPT", "en": "Upper secondary"},
    "TRH": {"vi": "Trung học", "en": "Secondary"},
    "PT": {"vi": "Phổ thông", "en": "General education"},
    "PT_GDTX": {"vi": "Phổ thông và GDTX", "en": "General and continuing education"},
    "GDTX": {"vi": "GDTX", "en": "Continuing education"},
}

UNIT_NAMES = {
    "pct": {"vi": "%", "en": "%"},
    "count": {"vi": "số lượng", "en": "count"},
    "million_vnd": {"vi": "triệu đồng", "en": "million VND"},
    "vnd": {"vi": "đồng", "en": "VND"},
}


def t(key: str, lang: str = "vi") -> str:
    """Translate a UI string; falls back to Vietnamese, then to the key itself."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["vi"]


def pillar_name(code: str, lang: str = "vi") -> str:
    return PILLAR_NAMES.get(code, {}).get(lang, code)


def level_name(code: str, lang: str = "vi") -> str:
    return LEVEL_NAMES.get(code, {}).get(lang, code)


def unit_name(code: str, lang: str = "vi") -> str:
    return UNIT_NAMES.get(code, {}).get(lang, code)


def fmt_number(x: float | int | None, decimals: int | None = None, lang: str = "vi") -> str:
    """1234.5 -> '1.234,5' (vi) or '1,234.5' (en); decimals=None keeps up to 2, trimming zeros."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if decimals is None:
        s = f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"
    else:
        s = f"{x:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s


def fmt_value(x: float | None, unit: str, lang: str = "vi", qualifier: str = "") -> str:
    """A value with its unit: 84.34, 'pct' -> '84,34%'; 5326, 'count' -> '5.326'."""
    if x is None:
        return "–"
    q = (t(f"qualifier_{qualifier}", lang) + " ") if qualifier else ""
    if unit == "pct":
        return f"{q}{fmt_number(x, lang=lang)}%"
    if unit == "million_vnd":
        return f"{q}{fmt_number(x, lang=lang)} {unit_name(unit, lang)}"
    return q + fmt_number(x, lang=lang)


def fmt_date(d: date | str | None, lang: str = "vi") -> str:
    if d is None:
        return "–"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.month:02d}/{d.year}"


def plotly_separators(lang: str = "vi") -> str:
    """Plotly layout.separators: decimal mark then thousands mark."""
    return ",." if lang == "vi" else ".,"


def register(strings: dict[str, dict[str, str]]) -> None:
    """Add a module's own UI strings (keys must be new), so feature modules keep their texts beside them."""
    clash = {k for k in strings if k in STRINGS and STRINGS[k] != strings[k]}  # re-import is fine
    if clash:
        raise ValueError(f"UI string keys already defined: {sorted(clash)}")
    STRINGS.update(strings)
