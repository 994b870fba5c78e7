"""No raw identifiers on screen outside the sources page (AppTest over every other page, both languages): no
bracketed numeric ids, file names or repository paths, no observation ids; and the CSV a chart downloads has
headers in the chosen language, values rounded as shown, and no cell a spreadsheet would run as a formula."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from test_language import PAGES, page_texts

from dashboard.export import frame_csv
from dashboard.export.csv_human import guard_formulas, human_frame

RAW_ID = [re.compile(p) for p in (r"\[\d{4,}\]", r"\b[\w-]+\.(?:csv|md|geojson|txt|xlsx|json|py|db)\b", r"\bdata/",
                                  r"\b[a-z]{2}\d{2}_[otb]\d+\b", r"\bsqlite:", r"/work/|/tmp/")]
SCREEN_PAGES = [p for p in PAGES if p != "pages/sources.py"]


def raw_ids(strings) -> list[str]:
    return [f"{m!r} in {s[:90]!r}" for s in strings for r in RAW_ID for m in r.findall(s)]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", SCREEN_PAGES)
def test_no_raw_ids_on_screen(page, lang):
    found = [x for prov in ("87", "67") for x in raw_ids(page_texts(page, lang, prov))]
    assert not found, "\n".join(sorted(set(found)))


def test_the_patterns_catch_what_the_issue_names():
    bad = ["[30067]", "vnm_adm3_3prov_centroids.csv", "xem data/geo/PLACEMENT.md", "dt24_o002"]
    assert all(raw_ids([b]) for b in bad)
    assert not raw_ids(["Năm học 2023-2024", "78,18%", "QĐ 131/QĐ-TTg", "Mã trường"])


def _read(data: bytes) -> pd.DataFrame:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the diacritics
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, dtype=str)


def test_chart_csv_has_human_headers_in_each_language_and_rounded_values():
    df = pd.DataFrame({"district_code": ["871", "872"], "district_name": ["Thành phố Cao Lãnh", "Huyện Lai Vung"],
                       "schools": [41.0, 37.0], "e_gradebook": [83.33333, 70.0], "pc_per_100": [4.2857, None],
                       "provenance": ["simulated", "simulated"], "nhan": ["x", "x"]})
    vi = _read(frame_csv(human_frame(df, "vi")))
    assert list(vi.columns) == ["Huyện, thị xã, thành phố", "Số trường", "Sổ điểm điện tử",
                                "Máy tính dạy học / 100 học sinh", "Loại dữ liệu", "Ghi chú"]
    assert vi.iloc[0].tolist() == ["Thành phố Cao Lãnh", "41", "83.3", "4.3", "Dữ liệu mô phỏng", "Dữ liệu mô phỏng"]
    assert vi.iloc[1, 3] == ""  # no figure stays empty, never 'nan'
    en = _read(frame_csv(human_frame(df, "en")))
    assert list(en.columns) == ["District", "Schools", "E-gradebook", "Teaching computers per 100 students",
                                "Kind of data", "Note"]
    assert en.iloc[1].tolist() == ["Huyện Lai Vung", "37", "70.0", "", "Simulated data", "Simulated data"]


def test_csv_cells_that_would_run_as_formulas_are_defused():
    df = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "Trường A", "a=b"],
                       "value": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0]})
    out = _read(frame_csv(df))
    assert out["name"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "Trường A", "a=b"]
    assert out["value"].tolist() == ["-1.5", "2.0", "3.0", "4.0", "5.0", "6.0"]  # numbers stay numbers
    assert guard_formulas(df)["value"].dtype == float
