"""The national scale-test store (generator, queries, page): a small store of 2.000 schools over the 34 current
provinces, generated into a temporary file, and the shipped test store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from dashboard.db import read_engine
from dashboard.national import queries as q
from dashboard.national.generate import DOCUMENTED, NOTE, YEARS, generate
from dashboard.national.store import create
from dashboard.national.units import load

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("national") / "national.db"
    create(path, total_schools=2000, quiet=True)
    return path


@pytest.fixture()
def on_small(small: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{small}")
    return small


def test_generated_schools_are_simulated_nested_and_cover_every_current_province():
    geo = load()
    data = generate(geo, 3000, seed=7)
    s, sy = data.schools, data.school_years
    assert len(s) == 3000 and s["code"].is_unique
    assert set(s["provenance"]) == {"simulated"} and set(s["note"]) == {NOTE}
    assert not s["province_code"].isin(DOCUMENTED).any()  # the documented provinces keep their own simulation
    current = {d["code"]: d["current_province_code"] for d in geo.districts}
    assert len({current[d] for d in s["district_code"]}) == 34
    assert len(sy) == 3000 * len(YEARS) and sorted(sy["school_year"].unique()) == list(YEARS)
    # adoption is nested: a school that has fibre in one year has it in every later year
    fib = sy.pivot(index="school_code", columns="school_year", values="fibre").astype(float)
    assert (fib.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    assert fib[YEARS[0]].mean() < fib[YEARS[-1]].mean()
    # Decision 4725 levels 1-3 for general schools only, NULL elsewhere
    general = sy["level"].isin(["TH", "THCS", "THPT"])
    assert sy.loc[general, "dx_level"].between(1, 3).all() and sy.loc[~general, "dx_level"].isna().all()
    assert sy.loc[sy["level"] == "MN", "e_gradebook"].isna().all()
    # same seed, same data
    assert generate(geo, 3000, seed=7).school_years.equals(sy)


def test_small_store_counts_and_marks(small: Path):
    eng = read_engine(small)
    with eng.connect() as con:
        assert con.execute(text("SELECT COUNT(*) FROM school")).scalar() == 2000
        assert con.execute(text("SELECT value FROM build_info WHERE key = 'national_store'")).scalar() == NOTE
        assert con.execute(text("SELECT COUNT(*) FROM admin_unit WHERE level = 'district'")).scalar() == 696
        assert con.execute(text("SELECT COUNT(DISTINCT provenance) FROM school_year")).scalar() == 1
        assert con.execute(text("SELECT MIN(school_year), MAX(school_year) FROM school_year")).one() == (2016, 2025)
        assert con.execute(text("SELECT COUNT(*) FROM school WHERE code LIKE 'NAT-%' AND provenance <> 'simulated'"
                                )).scalar() == 0
        # the shipped three provinces are untouched: their schools and school years are there as built
        assert con.execute(text("SELECT COUNT(DISTINCT school_year) FROM school_year WHERE province_code = '87'")).scalar() == 4
    assert q.provinces_with_school_data(eng) == 2 and q.school_years(eng) == list(range(2016, 2026))


def test_ranking_sums_counts_and_flags_partial_provinces(small: Path):
    eng = read_engine(small)
    former = q.ranking(2025, "former", engine=eng)
    assert len(former) == 60 and set(former["provenance"]) == {"simulated"}  # 94, 67, 87 have no 2025-2026 rows
    # one province recomputed from its raw rows
    raw = pd.read_sql(text("SELECT fibre, dx_level, pc_teaching, pc_informatics, students FROM school_year "
                           "WHERE province_code = '01' AND school_year = 2025"), eng.connect())
    hn = former.set_index("code").loc["01"]
    assert hn["schools"] == len(raw)
    assert hn["fibre"] == pytest.approx(100 * raw["fibre"].sum() / raw["fibre"].count())
    assert hn["dx_ge2"] == pytest.approx(100 * (raw["dx_level"] >= 2).sum() / raw["dx_level"].count())
    assert hn["pc_per_100"] == pytest.approx(100 * (raw["pc_teaching"] + raw["pc_informatics"]).sum()
                                             / raw["students"].sum())
    current = q.ranking(2025, "current", engine=eng)
    assert len(current) == 34 and current["schools"].sum() == former["schools"].sum()
    ct = current.set_index("code").loc["92"]  # Cần Thơ = Cần Thơ + Hậu Giang + Sóc Trăng (no 2025 data)
    assert (ct["parts_reporting"], ct["parts_total"], bool(ct["complete"])) == (2, 3, False)
    parts = former[former["code"].isin(["92", "93"])]
    assert ct["fibre_k"] == parts["fibre_k"].sum() and ct["fibre_n"] == parts["fibre_n"].sum()
    assert ct["fibre"] == pytest.approx(100 * parts["fibre_k"].sum() / parts["fibre_n"].sum())  # not a mean of shares
    assert set(q.missing_parts(2025, engine=eng)["former_name"]) == {"Sóc Trăng", "Đắk Nông", "Đồng Tháp"}
    full = q.ranking(2023, "current", engine=eng)
    assert full.set_index("code").loc["92", "parts_reporting"] == 3 and full.set_index("code").loc["92", "complete"]
    assert q.overall(current, "fibre") == pytest.approx(100 * current["fibre_k"].sum() / current["fibre_n"].sum())


def _run(page: str, **widgets) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(page).run()
    for key, value in widgets.items():
        w = next(w for kind in ("selectbox", "segmented_control") for w in at.get(kind) if w.key == key)
        w.set_value(value)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_national_page_on_the_small_store(on_small: Path):
    at = _run("pages/national.py")
    assert at.title[0].value == "Toàn quốc — xếp hạng các tỉnh"
    assert any("DỮ LIỆU MÔ PHỎNG" in w.value and "34/34" in w.value and "kho thử tải" in w.value for w in at.warning)
    table = at.dataframe[0].value
    ranks = list(table["Hạng"])
    assert len(table) == 34 and ranks[0] == 1 and ranks == sorted(ranks)  # ties share a rank
    assert set(table["Nguồn số liệu"]) == {"Dữ liệu mô phỏng"}
    partial = [p for p in table["Tỉnh"] if "*" in p]
    assert len(partial) == 3 and any("2/3 tỉnh cũ có số liệu" in p for p in partial)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert len(spec["data"][0]["y"]) == 34 and spec["data"][0]["y"][0].startswith("1. ")
    notes = " ".join(a["text"] for a in spec["layout"]["annotations"])
    assert "MÔ PHỎNG" in notes and any(tr.get("name", "").startswith("Cả nước: ") for tr in spec["data"])
    # values formatted 1.234,5 in Vietnamese; the table's first row is the best province on the indicator
    first = table.iloc[0]["Trường đạt mức 2 trở lên theo QĐ 4725 (%)"]
    assert "," in first and float(first.replace(",", ".")) >= float(table.iloc[-1][
        "Trường đạt mức 2 trở lên theo QĐ 4725 (%)"].replace(",", "."))
    en = _run("pages/national.py", lang="en", nat_ind="pc_per_100", nat_geo="former")
    assert en.title[0].value == "National — provinces ranked"
    assert any("SIMULATED DATA" in w.value for w in en.warning)
    t = en.dataframe[0].value
    assert len(t) == 60 and "Teaching computers per 100 pupils" in t.columns
    assert all("," not in v for v in t["Teaching computers per 100 pupils"])  # 6.5, not 6,5
    old = _run("pages/national.py", sy="2020-2021")
    assert len(old.dataframe[0].value) == 34 and not any("*" in p for p in old.dataframe[0].value["Tỉnh"])


def test_national_page_on_the_shipped_store():
    assert q.provinces_with_school_data() == 2  # in the navigation: (two or more) provinces have school data
    at = _run("pages/national.py", nat_geo="former")
    names = list(at.dataframe[0].value["Tỉnh"])
    assert sorted(names) == ["Sóc Trăng", "Đắk Nông", "Đồng Tháp"]
    assert any("3/3" in w.value for w in at.warning) and not any("kho thử tải" in w.value for w in at.warning)
    cur = _run("pages/national.py")
    assert sorted(cur.dataframe[0].value["Tỉnh"]) == sorted(
        ["Cần Thơ * (1/3 tỉnh cũ có số liệu)", "Lâm Đồng * (1/3 tỉnh cũ có số liệu)",
         "Đồng Tháp * (1/2 tỉnh cũ có số liệu)"])


def test_cli_refuses_to_write_the_default_store(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    r = subprocess.run([sys.executable, "-m", "dashboard", "national-store"], cwd=ROOT, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 2 and "give --out FILE" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "dashboard", "national-store", "--out", str(tmp_path / "no" / "x.db")],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_national_workbooks_import_and_imported_rows_win_in_the_ranking(small: Path, tmp_path: Path):
    import sqlite3

    from dashboard.national.workbook import SUFFIX, write

    db = tmp_path / "copy.db"
    with sqlite3.connect(small) as s, sqlite3.connect(db) as d:
        s.backup(d)
    eng = read_engine(db)
    before = q.ranking(2025, "former", engine=eng).set_index("code")
    info = write(tmp_path, school_year=2025, engine=eng)
    p = info["province"]
    assert info["rows"] == before.loc[p, "schools"] > 0
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}

    def cli(*args: str, stdin: str | None = None) -> None:
        r = subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, env=env, capture_output=True,
                           text=True, input=stdin)
        assert r.returncode == 0, r.stderr

    cli("user", "add", "ed", "--role", "editor", "--password-stdin", stdin="editor-pass-123\n")
    cli("user", "add", "ap", "--role", "approver", "--password-stdin", stdin="approver-pass-123\n")
    cli("import", str(info["register"]), "--kind", "register", "--user", "ed", "--approve", "--approver", "ap")
    cli("import", str(info["school_year"]), "--kind", "school_year", "--user", "ed", "--approve", "--approver", "ap",
        "--ack-warnings")
    after = q.ranking(2025, "former", engine=read_engine(db)).set_index("code")
    # the imported rows replace the province's simulated ones (same values here), nothing is counted twice
    assert after.loc[p, "provenance"] == "imported" and after.loc[p, "schools"] == before.loc[p, "schools"]
    assert after.loc[p, "fibre"] == pytest.approx(before.loc[p, "fibre"])
    assert (after.drop(index=p)["provenance"] == "simulated").all()
    with read_engine(db).connect() as con:
        assert con.execute(text("SELECT COUNT(*) FROM school WHERE code LIKE :c AND batch_id IS NOT NULL"),
                           {"c": f"%{SUFFIX}"}).scalar() == info["rows"]


def test_ranking_figure_keeps_the_national_line_off_the_values_and_its_key_off_the_stamp():
    """The dashed national line at 91,5 % crosses no value label (a bar ending just before it carries its value
    inside its end), and the line's key sits above the plot's left end, the simulated stamp at its right end, on a
    band of its own below the subtitle."""
    from dashboard.charts import SIMULATED_COLOUR
    from dashboard.national import figures

    df = pd.DataFrame({"code": ["a", "b", "c", "d"], "name": ["Lâm Đồng", "Đồng Tháp", "Cần Thơ", "Sóc Trăng"],
                       "lv2": [97.4, 90.1, 89.9, 40.0], "complete": [False, True, False, True],
                       "schools": [10, 10, 10, 10], "parts_reporting": [1, 1, 1, 1], "parts_total": [3, 1, 3, 1]})
    plain = figures.ranking_figure(df, "lv2", unit="pct", national=None, lang="vi", title="T", caption="c",
                                   simulated=False)
    fig = figures.ranking_figure(df, "lv2", unit="pct", national=91.5, lang="vi", title="T", caption="c")
    bar = fig.data[0]
    assert list(bar.text) == ["97,4%", "90,1%", "89,9%", "40,0%"]
    assert list(bar.textposition) == ["outside", "inside", "inside", "outside"]
    assert bar.insidetextanchor == "end" and list(bar.insidetextfont.color)[1:3] == ["white", "#1f2933"]
    span = fig.layout.xaxis.range[1]
    for v, pos in zip(bar.x, bar.textposition):  # an outside label starts right of its bar: never over the line
        assert pos == "inside" or v >= 91.5 or 91.5 - v >= figures.LABEL_SPAN * span
    # the line's key: a legend entry above the plot at the left (its room counted by _base and by meeting slides,
    # so it never sits on the subtitle), the stamp at the plot's right end
    from dashboard.charts import legend_above
    key = next(tr for tr in fig.data if tr.legendgroup == "national")
    stamp = next(a for a in fig.layout.annotations if a.bgcolor == SIMULATED_COLOUR)
    assert key.name == "Cả nước: 91,5%" and key.line.dash == "dash" and key.showlegend and not bar.showlegend
    assert fig.layout.showlegend and legend_above(fig) and fig.layout.legend.x == 0
    assert (stamp.x, stamp.xanchor) == (1, "right") and stamp.y == 1.0
    assert fig.layout.margin.t > plain.layout.margin.t and not plain.layout.showlegend
    assert [s.x0 for s in fig.layout.shapes] == [91.5]
    stamp_only = figures.ranking_figure(df, "lv2", unit="pct", national=None, lang="vi", title="T", caption="c")
    assert stamp_only.layout.margin.t == plain.layout.margin.t + figures.KEY_BAND  # a band for the stamp alone
    en = figures.ranking_figure(df, "lv2", unit="pct", national=91.5, lang="en", title="T", caption="c")
    assert next(tr for tr in en.data if tr.legendgroup == "national").name.endswith(": 91.5%")
