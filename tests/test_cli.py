"""Command line: export observations and build-db --if-stale."""
from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_export_observations_csv_to_stdout(db_path):
    out = subprocess.run([sys.executable, "-m", "dashboard", "export", "observations", "--format", "csv"],
                         cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"DATABASE_URL": f"sqlite:///{db_path}", "PATH": "/usr/bin:/bin"})
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    with sqlite3.connect(db_path) as con:
        n = con.execute("SELECT COUNT(*) FROM observation").fetchone()[0]
    assert len(rows) == n
    assert {"province", "district", "school", "indicator_code", "indicator_name_vi", "indicator_name_en", "period",
            "value", "unit", "provenance", "source", "section"} <= set(rows[0])
    cashless = [r for r in rows if r["indicator_code"] == "CASHLESS_SCHOOLS_PCT" and r["province"] == "Đắk Nông"]
    assert cashless and cashless[0]["value"] == "89.17" and cashless[0]["provenance"] == "published"


def test_export_to_file(tmp_path, db_path):
    from dashboard import cli
    out = tmp_path / "obs.csv"
    assert cli.main(["export", "observations", "--format", "csv", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Đồng Tháp" in text and "465/597" in text


def test_build_if_stale_builds_once(tmp_path):
    db = tmp_path / "s.db"
    cmd = [sys.executable, "-m", "dashboard", "build-db", "--db", str(db), "--if-stale"]
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "built" in first.stdout and db.exists()
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    assert second.stdout == "" and second.stderr == ""  # quiet when nothing needs doing
