"""Time forecasting every series of the store: published province series and simulated district series.

Usage: python scripts/bench_forecast.py [--db PATH] [--runs N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if args.db:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.db).resolve()}"
    from dashboard.projections import forecast_table
    from dashboard.queries import provinces

    codes = provinces()["code"].tolist()
    times, rows, series = [], 0, 0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        frames = [forecast_table(c, districts=True) for c in codes]
        times.append(time.perf_counter() - t0)
        rows = sum(len(f) for f in frames)
        series = sum(f["series_id"].nunique() for f in frames)
    print(f"provinces {len(codes)}; series {series}; result rows {rows}; "
          f"median {statistics.median(times):.2f} s, min {min(times):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
