"""Command line: python -m dashboard build-db | migrate | backup | restore | validate | export | forecast | pack | api.

Every problem the user can fix (bad seed, unusable database or path, unreadable store) ends with one clear
line on stderr and exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from pathlib import Path

from .db import StoreError
from .seeds import SeedError

# Commands that only read the store: they need an existing store at the current schema revision.
READERS = {"export", "forecast", "pack"}
# Modules that add their own sub-commands with register(subparsers) (the intake).
EXTENSIONS = ("dashboard.intake.cli",)


def _db_arg(value: str | None):  # noqa: ANN202 - Path, or ServerDatabase for a PostgreSQL URL
    from .db import database_path, parse_target

    if value is None:
        return database_path()
    if not value.strip():
        raise StoreError("--db is empty: give the path of the database file (or a postgresql+psycopg:// URL)")
    return parse_target(value)


def check_out(value: str | None) -> Path | None:
    """An output file path: not a directory, in a folder that exists and can be written."""
    if value is None:
        return None
    if not value.strip():
        raise StoreError("--out is empty: give the path of the file to write")
    p = Path(value).expanduser().resolve()
    if p.is_dir():
        raise StoreError(f"--out {value} is a directory: give a file name")
    if not p.parent.is_dir():
        raise StoreError(f"--out {value}: folder {p.parent} does not exist")
    if not os.access(p.parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise StoreError(f"--out {value}: cannot write in {p.parent} (read-only or no permission)")
    return p


def _build(args: argparse.Namespace) -> int:
    from .build import build, check_target, is_stale
    from .seeds import data_dir

    db = _db_arg(args.db)
    check_target(db)
    if args.if_stale and not is_stale(db, data_dir(args.data)):
        return 0
    build(db, data_dir(args.data), quiet=args.quiet)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    """Rebuild a store with simulated school-level data: the default store, or the national benchmark."""
    from . import DATA_DIR
    from .build import build

    db = _db_arg(args.db) if args.db is not None or args.scale != "national" else DATA_DIR / "national_bench.db"
    build(db, quiet=args.quiet, sim_seed=args.seed, scale=args.scale)
    return 0


def _national_store(args: argparse.Namespace) -> int:
    """The national scale-test store (SIMULATED): the shipped build plus ~50.000 synthetic schools × 10 years."""
    from . import db
    from .national.store import create

    if args.out is None and not os.environ.get("DATABASE_URL"):
        raise StoreError("national-store: give --out FILE (or set DATABASE_URL); it never writes the default store")
    if args.out is not None and not args.out.strip():
        raise StoreError("--out is empty: give the path of the database file to write")
    if args.out is None:
        target = db.database_path()
    else:
        parse = getattr(db, "parse_target", None)
        target = parse(args.out) if parse else Path(args.out).expanduser().resolve()
    create(target, total_schools=args.schools, seed=args.seed, quiet=args.quiet)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from .store.schema import head_revision, upgrade

    db = _db_arg(args.db)
    changed = upgrade(db)
    print(f"{db}: {'migrated to' if changed else 'already at'} schema revision {head_revision()}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from .store.backup import backup

    info = backup(_db_arg(args.db), Path(args.file), force=args.force)
    print(f"backed up {info['source']} to {info['file']}: schema revision {info['revision']}, "
          f"data version {info['data_version']}, {info['bytes']} bytes")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from .store.backup import restore

    info = restore(Path(args.file), _db_arg(args.db))
    print(f"restored {info['target']} from {info['file']}: schema revision {info['revision']}, "
          f"data version {info['data_version']}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    """The checks build-db applies before writing: the seed files, then the unit files of both geographies and
    the 2025 crosswalk (data/geo/units_*.csv, crosswalk_2025_communes.csv; dashboard.units.load.read_units).
    Problems of both are reported together, each with file, row and field."""
    from .seeds import data_dir, load_seeds
    from .units.load import read_units

    base = data_dir(args.data)
    problems, seed, units = [], None, None
    try:
        seed = load_seeds(base)
    except SeedError as exc:
        problems += exc.problems
    try:
        units = read_units(base)
    except SeedError as exc:
        problems += exc.problems
    if problems:
        raise SeedError(problems)
    n = {k: len(v) for k, v in seed.records.items()}
    print("seed data valid: " + ", ".join(f"{k} {v}" for k, v in n.items()))
    print("unit files valid: " + ", ".join(f"{k} {v}" for k, v in units.counts().items()))
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
        "province": name, "district": r["district_name"] if r["provenance"] != "published" else None,
        "indicator_code": r["indicator_code"], "indicator_name": r["indicator_name"], "level": r["level"],
        "breakdown": r["breakdown"], "provenance": r["provenance"], "n_points": int(r["n_points"]),
        "method": r["method"], "last_year": num(r["last_year"]), "last_value": num(r["last_value"]),
        "last_qualifier": r.get("last_qualifier") or "",
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    db_help = "database file (default: DATABASE_URL, DASHBOARD_DB or data/dashboard.db)"
    data_help = "data folder with seed/, sources/ and geo/ (default: DASHBOARD_DATA or data/)"
    b = sub.add_parser("build-db", help="validate data/ and rebuild the store's seed data in place, in one "
                                        "transaction (imported data is kept)")
    b.add_argument("--db", help=db_help)
    b.add_argument("--if-stale", action="store_true", help="only build when the database is missing or out of date")
    b.add_argument("--quiet", action="store_true")
    b.add_argument("--data", help=data_help)
    b.set_defaults(func=_build)
    mg = sub.add_parser("migrate", help="bring the store's schema to the current revision (Alembic)")
    mg.add_argument("--db", help=db_help)
    mg.set_defaults(func=_migrate)
    bk = sub.add_parser("backup", help="copy the store to FILE while it is in use (SQLite online backup)")
    bk.add_argument("file", help="backup file to write")
    bk.add_argument("--db", help=db_help)
    bk.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    bk.set_defaults(func=_backup)
    rs = sub.add_parser("restore", help="replace the store with a backup FILE, atomically (checked first)")
    rs.add_argument("file", help="backup file made by `backup`")
    rs.add_argument("--db", help=db_help)
    rs.set_defaults(func=_restore)
    s = sub.add_parser("simulate", help="(re)build a store with simulated school-level data calibrated to the "
                                        "published totals; --scale national writes a separate benchmark store")
    s.add_argument("--seed", type=int, default=None, help="random seed (default: the fixed project seed)")
    s.add_argument("--scale", choices=["province", "national"], default="province",
                   help="province: the three provinces (default store); national: ~45.000 schools in ~700 "
                        "districts, written to data/national_bench.db unless --db is given")
    s.add_argument("--db", help="database file to write")
    s.add_argument("--quiet", action="store_true")
    s.set_defaults(func=_simulate)
    ns = sub.add_parser("national-store", help="write the national scale-test store (SIMULATED: the shipped "
                                               "build plus synthetic schools in every province, 10 school years)")
    ns.add_argument("--out", help="database file to write (or a postgresql+psycopg:// URL; default: DATABASE_URL)")
    ns.add_argument("--schools", type=int, default=50_000, help="schools in the store in total (default 50000)")
    ns.add_argument("--seed", type=int, default=20220125, help="random seed (default: the project seed)")
    ns.add_argument("--quiet", action="store_true")
    ns.set_defaults(func=_national_store)
    v = sub.add_parser("validate", help="check every seed file and the unit files (data/geo/units_*.csv, "
                       "the 2025 crosswalk) without writing anything")
    v.add_argument("--data", help=data_help)
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
    from .api.server import add_arguments as add_api_arguments, run as run_api

    api = sub.add_parser("api", help="serve the read API (JSON and CSV, OpenAPI docs at /docs) with uvicorn")
    add_api_arguments(api)
    api.set_defaults(func=run_api)
    for name in EXTENSIONS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        mod.register(sub)
    return p


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command in READERS:
            from .db import database_path
            from .store.schema import require_current

            check_out(getattr(args, "out", None))
            require_current(database_path())
        return args.func(args)
    except SeedError as exc:
        print(f"build stopped, the database was not changed.\n{exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(_one_line(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(_one_line(f"{exc.strerror or exc}{where}"), file=sys.stderr)
        return 2
    except sqlite3.Error as exc:
        print(_one_line(f"database error: {exc}"), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy errors and anything unforeseen: one line, no traceback
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            orig = getattr(exc, "orig", None) or exc
            print(_one_line(f"database error: {orig}"), file=sys.stderr)
            return 2
        if os.environ.get("DASHBOARD_DEBUG"):
            raise
        print(_one_line(f"internal error ({type(exc).__name__}): {exc} — set DASHBOARD_DEBUG=1 for details"),
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
