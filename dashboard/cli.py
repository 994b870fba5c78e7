"""Command line: python -m dashboard build-db | validate | export observations."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .seeds import SeedError


def _build(args: argparse.Namespace) -> int:
    from .build import build, is_stale
    from .db import database_path

    db = Path(args.db).resolve() if args.db else database_path()
    if args.if_stale and not is_stale(db):
        return 0
    build(db, quiet=args.quiet)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    """Rebuild a store with simulated school-level data: the default store, or the national benchmark."""
    from .build import build
    from .db import database_path
    from . import DATA_DIR

    if args.scale == "national":
        db = Path(args.db).resolve() if args.db else DATA_DIR / "national_bench.db"
    else:
        db = Path(args.db).resolve() if args.db else database_path()
    build(db, quiet=args.quiet, sim_seed=args.seed, scale=args.scale)
    return 0


def _validate(_args: argparse.Namespace) -> int:
    from .seeds import load_seeds

    seed = load_seeds()
    n = {k: len(v) for k, v in seed.records.items()}
    print("seed data valid: " + ", ".join(f"{k} {v}" for k, v in n.items()))
    return 0


def _export(args: argparse.Namespace) -> int:
    from . import queries

    if args.what == "observations":
        df = queries.export_observations(lang=args.lang)
    elif args.what == "schools":
        df = queries.export_schools(lang=args.lang)
    else:  # pragma: no cover - argparse restricts choices
        raise ValueError(args.what)
    if args.format == "csv":
        data = df.to_csv(index=False)
    else:
        data = df.to_json(orient="records", force_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(data, encoding="utf-8")
        print(f"wrote {len(df)} rows to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(data)
    return 0


def _forecast(args: argparse.Namespace) -> int:
    """Projection, interval, status and method of one indicator (or every series with --all) as JSON."""
    import json

    import pandas as pd

    from .packs import resolve_province
    from .projections import forecast_table

    found = resolve_province(args.province)
    if found is None:
        print(f"unknown province {args.province!r}", file=sys.stderr)
        return 2
    code, name = found
    df = forecast_table(code, districts=args.districts, lang=args.lang)
    if not args.all:
        if not args.indicator:
            print("give --indicator CODE or --all", file=sys.stderr)
            return 2
        df = df[df["indicator_code"] == args.indicator]
        if df.empty:
            print(f"no series of {args.indicator!r} for {name}", file=sys.stderr)
            return 2
    year = args.year
    df = df[df["target_year"].isna() | (df["target_year"] == year)]
    df = df.sort_values("target_year").drop_duplicates("series_id")  # the row for `year` if there is one

    def num(v: object) -> object:
        return None if v is None or (isinstance(v, float) and pd.isna(v)) else (round(float(v), 4))

    records = [{
        "series_id": r["series_id"],
        "province": name, "district": r["district_name"] if r["provenance"] == "simulated" else None,
        "indicator_code": r["indicator_code"], "indicator_name": r["indicator_name"], "level": r["level"],
        "breakdown": r["breakdown"], "provenance": r["provenance"], "n_points": int(r["n_points"]),
        "method": r["method"], "last_year": num(r["last_year"]), "last_value": num(r["last_value"]),
        "year": year, "projection": num(r.get(f"value_{year}")),
        "interval": {"level": num(r["interval_level"]), "lower": num(r.get(f"lower_{year}")),
                     "upper": num(r.get(f"upper_{year}"))},
        "target": num(r["target"]), "probability": num(r["probability"]), "required_pace": num(r["required_pace"]),
        "status": r["status"] if isinstance(r["status"], str) else None,
        "note": r[f"note_{args.lang}"],
    } for _, r in df.iterrows()]
    out = records[0] if len(records) == 1 and not args.all else records
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build-db", help="validate data/ and build the SQLite store atomically")
    b.add_argument("--db", help="database file (default: DATABASE_URL, DASHBOARD_DB or data/dashboard.db)")
    b.add_argument("--if-stale", action="store_true", help="only build when the database is missing or out of date")
    b.add_argument("--quiet", action="store_true")
    b.set_defaults(func=_build)
    s = sub.add_parser("simulate", help="(re)build a store with simulated school-level data calibrated to the "
                                        "published totals; --scale national writes a separate benchmark store")
    s.add_argument("--seed", type=int, default=None, help="random seed (default: the fixed project seed)")
    s.add_argument("--scale", choices=["province", "national"], default="province",
                   help="province: the three provinces (default store); national: ~45.000 schools in ~700 "
                        "districts, written to data/national_bench.db unless --db is given")
    s.add_argument("--db", help="database file to write")
    s.add_argument("--quiet", action="store_true")
    s.set_defaults(func=_simulate)
    v = sub.add_parser("validate", help="check every seed file without writing anything")
    v.set_defaults(func=_validate)
    fc = sub.add_parser("forecast", help="projection, interval, status and method of an indicator as JSON")
    fc.add_argument("--province", required=True, help="province name ('Đắk Nông') or GSO code")
    fc.add_argument("--indicator", help="indicator code, e.g. CASHLESS_SCHOOLS_PCT")
    fc.add_argument("--year", type=int, choices=[2025, 2030], default=2025)
    fc.add_argument("--all", action="store_true", help="one record per series of the province")
    fc.add_argument("--districts", action="store_true", help="include the districts' (simulated) series")
    fc.add_argument("--lang", choices=["vi", "en"], default="vi")
    fc.set_defaults(func=_forecast)
    from .packs import add_pack_arguments, run_pack

    pk = sub.add_parser("pack", help="briefing pack of a page's charts: PDF (A4 landscape) or PPTX (16:9)")
    add_pack_arguments(pk)
    pk.set_defaults(func=run_pack)
    e = sub.add_parser("export", help="export data from the store")
    e.add_argument("what", choices=["observations", "schools"])
    e.add_argument("--format", choices=["csv", "json"], default="csv")
    e.add_argument("--out", help="write to this file instead of standard output")
    e.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of indicator names")
    e.set_defaults(func=_export)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except SeedError as exc:
        print(f"build stopped, the database was not changed.\n{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
