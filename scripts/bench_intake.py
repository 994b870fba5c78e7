"""Benchmark (not a test): a national-size school-year workbook (50.000 schools × 20 columns) validated,
staged and published into a store; prints seconds, time per 1.000 rows and peak memory.

    .venv/bin/python scripts/bench_intake.py [--schools 50000] [--store FILE] [--keep]

The store is a fresh build in a temporary folder (not timed) unless --store names an existing one (it is
copied first, never changed). The register of the same schools is loaded first (timed separately).
Targets (issue 10): under 30 s and under 1 GiB for the school-year workbook.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.intake.spec import spec  # noqa: E402

PROVINCE = "79"  # any province code of the store; the schools are synthetic


def write_workbook(path: Path, kind: str, rows) -> None:  # noqa: ANN001
    k = spec(kind)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(k.sheet_vi)
    ws.append([c.vi for c in k.columns])
    ws.append([c.en for c in k.columns])
    for r in rows:
        ws.append(r)
    wb.save(path)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--schools", type=int, default=50000)
    ap.add_argument("--store", help="existing store to copy (default: build a fresh one)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_intake_"))
    db = tmp / "bench.db"
    if a.store:
        with sqlite3.connect(a.store) as s, sqlite3.connect(db) as d:
            s.backup(d)
    else:
        from dashboard.build import build

        build(db, quiet=True)
    import os

    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    from dashboard.db import write_engine
    from dashboard.intake import auth
    from dashboard.intake.batches import check, publish, stage

    eng = write_engine(db)
    auth.add_user("bench_ed", "bench-editor-pass", "editor", engine=eng)
    auth.add_user("bench_ap", "bench-approver-pass", "approver", engine=eng)
    n = a.schools
    r = np.random.default_rng(4725)
    levels = np.array(["MN", "TH", "THCS", "THPT", "GDTX"])[r.integers(0, 5, n)]
    codes = [f"{PROVINCE}B{i:06d}" for i in range(n)]
    names = [f"Trường thử {i:06d}" for i in range(n)]
    reg_path, sy_path = tmp / "register.xlsx", tmp / "school_year.xlsx"
    t = time.perf_counter()
    write_workbook(reg_path, "register", ([c, nm, lv, "Công lập", PROVINCE, None, None, None, None]
                                          for c, nm, lv in zip(codes, names, levels)))
    students = r.integers(80, 2000, n)
    teachers = np.maximum(5, students // 18)
    flags = r.integers(0, 2, (n, 9))
    pcs = r.integers(0, 80, (n, 3))
    write_workbook(sy_path, "school_year", (
        [codes[i], names[i], "2024-2025", int(students[i]), int(teachers[i]), int(flags[i, 0]), int(flags[i, 1]),
         int(pcs[i, 0]), int(pcs[i, 1]), int(pcs[i, 2]), *map(int, flags[i, 2:]),
         int(students[i] * 0.9), int(teachers[i]), "số liệu thử" if i % 50 == 0 else None] for i in range(n)))
    print(f"wrote workbooks of {n} rows in {time.perf_counter() - t:.1f} s "
          f"({reg_path.stat().st_size / 1e6:.1f} MB + {sy_path.stat().st_size / 1e6:.1f} MB), not timed")

    t0 = time.perf_counter()
    bid = stage(reg_path.read_bytes(), reg_path.name, "register", user="bench_ed", engine=eng)
    publish(bid, approver="bench_ap", engine=eng)
    t_reg = time.perf_counter() - t0
    print(f"register: staged and published {n} schools in {t_reg:.1f} s")

    data = sy_path.read_bytes()
    t0 = time.perf_counter()
    res = check(data, sy_path.name, "school_year", engine=eng)
    t_check = time.perf_counter() - t0
    assert not res.errors, [p.text("en") for p in res.errors[:5]]
    bid = stage(data, sy_path.name, "school_year", user="bench_ed", engine=eng, result=res, ack_warnings=True)
    t_stage = time.perf_counter() - t0 - t_check
    t1 = time.perf_counter()
    counts = publish(bid, approver="bench_ap", engine=eng)
    t_pub = time.perf_counter() - t1
    total = time.perf_counter() - t0
    cols = len(spec("school_year").columns)
    print(f"school-year workbook: {n} rows × {cols} columns")
    print(f"  read + validate {t_check:.1f} s, stage {t_stage:.1f} s, publish {t_pub:.1f} s ({counts['new']} new)")
    print(f"  total {total:.1f} s = {1000 * total / n:.2f} s per 1.000 rows; peak memory {peak_mib():.0f} MiB")
    ok = total < 30 and peak_mib() < 1024
    print("  target (< 30 s, < 1 GiB): " + ("met" if ok else "NOT met"))
    if a.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
