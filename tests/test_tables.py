"""Table layout (dashboard.tables): widths that keep numbers and words whole, rows as tall as the wrapped text."""
from __future__ import annotations

import pandas as pd

from dashboard import tables

QUOTE = ("100% các cơ sở giáo dục từ tiểu học đến trung học phổ thông hoàn thiện được mô hình quản trị số, "
         "sử dụng hệ thống quản lý dùng chung của ngành ") * 3
DF = pd.DataFrame({
    "Tỉnh": ["Đồng Tháp", "Sóc Trăng"], "Giá trị": ["78,18%", "100%"], "Mục tiêu 2025": ["80%", "100%"],
    "Khoảng cách 2025": ["còn thiếu 1,8 điểm %", "Đã đạt"],
    "Nguồn": ["Kế hoạch CĐS ngành Giáo dục Đồng Tháp năm 2024, Phụ lục I.I, dòng 6", "Quyết định 131/QĐ-TTg"],
    "Trích dẫn": [QUOTE, "ngắn"],
})


def test_columns_fit_the_page_and_keep_every_token_whole():
    px = tables.fit(DF)
    assert sum(px.values()) <= tables.FIT_PX
    for c in DF.columns:  # no number, percentage or word is wider than its column (the grid would break it)
        widest = max(tables.text_px(w) for v in DF[c] for w in str(v).split())
        assert px[c] >= widest + tables.CELL_PAD, (c, px[c], widest)
    assert px["Tỉnh"] >= tables.text_px("Đồng Tháp") + tables.CELL_PAD  # a short name on one line
    assert px["Giá trị"] >= tables.text_px("78,18%") + tables.CELL_PAD
    assert px["Trích dẫn"] >= tables.TEXT_MIN_PX and px["Nguồn"] >= tables.TEXT_MIN_PX  # the text keeps its room


def test_row_height_follows_the_longest_wrapped_cell_up_to_the_cap_and_values_stay_whole():
    shown, config, height = tables.layout(DF)
    px = {c: config[c]["width"] for c in DF.columns}
    assert tables.line_count(QUOTE, px["Trích dẫn"]) > tables.MAX_LINES  # the quote needs more than the cap
    assert height == tables.row_height(tables.MAX_LINES) == 121  # rows as tall as the cap allows
    # quotes, statements and figures are data: never shortened in the table (a longer cell shows its first lines)
    assert shown["Trích dẫn"].tolist() == DF["Trích dẫn"].tolist() and shown["Nguồn"].tolist() == DF["Nguồn"].tolist()
    one = tables.layout(DF[["Tỉnh", "Giá trị"]])
    assert one[2] is None  # one line: Streamlit's own row height


def test_row_heights_show_whole_lines_and_wrap():
    assert tables.row_height(1) is None
    assert tables.row_height(2) == tables.row_height(3) == 65  # over 4rem, or Streamlit would not wrap
    assert [tables.row_height(n) for n in (4, 5, 6)] == [82, 102, 121]
    assert tables.line_count("một hai ba", 200) == 1 and tables.line_count("một " * 30, 100) == 10
    assert tables.line_count("x" * 30, 100) == 3  # a word longer than the line breaks


def test_narrow_header_gets_its_whole_text_on_hover_and_empty_columns_go():
    df = pd.DataFrame({"Kinh phí (triệu đồng) — phân bổ đều": ["1.234,5"], "Phân tổ": [""], "Huyện": ["Cao Lãnh"]})
    shown, config, _ = tables.layout(df)
    assert list(shown.columns) == ["Kinh phí (triệu đồng) — phân bổ đều", "Huyện"]  # nothing in 'Phân tổ'
    assert config["Kinh phí (triệu đồng) — phân bổ đều"].get("help") is None  # room for the whole header here
    many = pd.DataFrame({f"Mục tiêu {y}": ["80%"] for y in range(2020, 2032)})
    _, cfg, _ = tables.layout(many)
    assert sum(v["width"] for v in cfg.values()) <= tables.FIT_PX
    assert all(v["help"] == k for k, v in cfg.items())  # too narrow for "Mục tiêu 2025": whole on hover


def test_a_crowded_table_wraps_short_names_at_a_space_and_keeps_every_word_whole():
    df = pd.DataFrame({"Loại": ["Số liệu"], "Tỉnh": ["Đồng Tháp"], "Chỉ tiêu": ["Cơ sở giáo dục triển khai STEM/STEAM"],
                       "Cấp học": ["Phổ thông"], "Kỳ": ["2023"], "Giá trị": ["trên 78,18%"],
                       "Nguồn": ["Kế hoạch CĐS, Phần II.II.2.1.b"], "Trích dẫn": ["Đạt trên 78% đơn vị triển khai"]})
    px = tables.fit(df, [0.8, 0.9, 2.2, 0.8, 0.8, 0.9, 1.5, 2.3], total=tables.FIT_PX - 40)
    assert sum(px.values()) <= tables.FIT_PX - 40
    assert px["Giá trị"] >= tables.text_px("78,18%") + tables.CELL_PAD  # the number whole
    assert px["Tỉnh"] >= tables.text_px("Tháp") + tables.CELL_PAD  # a short name may wrap, never inside a word
    assert px["Cấp học"] >= tables.text_px("thông") + tables.CELL_PAD
    assert px["Chỉ tiêu"] >= tables.text_px("STEM/STEAM") + tables.CELL_PAD
    crowded = tables.fit(pd.concat([df, df.add_suffix(" 2")], axis=1), total=tables.FIT_PX - 40)  # 16 columns
    assert sum(crowded.values()) <= tables.FIT_PX - 40


def test_one_line_tables_give_every_value_its_whole_width():
    df = pd.DataFrame({"Huyện/TP": ["Thành phố Cao Lãnh", "Huyện Châu Thành"], "Số trường": [3, 3],
                       "Kinh phí (triệu đồng) — phân bổ đều": ["1.500", "1.500"]})
    shown, config, height = tables.layout(df, max_lines=1)
    assert height is None and config["Huyện/TP"]["width"] >= tables.text_px("Thành phố Cao Lãnh") + tables.CELL_PAD
