"""Read and validate every input of the build (data/seed, data/sources, data/geo, data/simulation).

`load_seeds` is the one gate: `python -m dashboard validate` and `build-db` both call it, and it runs every
check the build depends on, including a dry run of the school placement and the simulation, so that
whatever `validate` passes the build builds, and whatever the build refuses `validate` refuses first with
the same message. Every problem is reported with the file, the row (as a spreadsheet shows it: header =
row 1) and the field, and all problems are collected before the build stops, so one run shows them all.
The rules are stated in data/README.md; the parts live in dashboard/seedcheck/.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import DATA_DIR
from .seedcheck import crosscheck, files, simulation
from .seedcheck.geo import load_geo
from .seedcheck.problems import Collector, SeedError, SeedProblem
from .seedcheck.schema import (COUNT_UNITS, DIRECTIONS, LEVELS, PILLARS, QUALIFIERS, SEED_KINDS, SPECS,
                               TASK_STATUSES, UNITS, Spec)

__all__ = ["SeedData", "SeedError", "SeedProblem", "load_seeds", "seed_files", "data_dir", "code_files", "SPECS",
           "LEVELS", "UNITS", "DIRECTIONS", "PILLARS", "QUALIFIERS", "TASK_STATUSES", "COUNT_UNITS"]


@dataclass
class SeedData:
    """Validated records by kind, plus the geography they refer to and the source texts."""

    records: dict[str, list[dict[str, Any]]]
    provinces: list[dict[str, Any]]
    districts: list[dict[str, Any]]
    files: list[Path]
    texts: dict[str, str] = field(default_factory=dict)  # source_id -> document text (checked path)


def data_dir(value: str | Path | None = None) -> Path:
    """The data directory: `value` (a --data option), else DASHBOARD_DATA, else the project's data/."""
    chosen = value or os.environ.get("DASHBOARD_DATA") or DATA_DIR
    return Path(chosen).expanduser().resolve()


def code_files() -> list[Path]:
    """The validation code (part of the build code for the staleness hash)."""
    here = Path(__file__).resolve().parent
    return [here / "seeds.py"] + sorted((here / "seedcheck").glob("*.py"))


def seed_files(base: Path | None = None) -> list[Path]:
    """Every readable input file of the build (for the staleness hash); load_seeds reports the others."""
    base = data_dir() if base is None else base
    found = sorted((base / "seed").rglob("*.csv")) + sorted((base / "sources").glob("*.txt"))
    found += sorted((base / "geo").glob("*.geojson"))
    found += sorted((base / "geo").glob("*.csv")) + sorted((base / "simulation").glob("*.csv"))
    return [p for p in found if p.is_file()]


def _discover(base: Path, col: Collector) -> dict[str, list[Path]]:
    """The readable files of each kind; problems for directories, broken links and unknown seed CSVs."""
    out: dict[str, list[Path]] = {}
    known: set[Path] = set()
    for kind, spec in SPECS.items():
        out[kind] = []
        for path in sorted(base.glob(spec.pattern)):
            known.add(path)
            why = files.entry_problem(path, base)
            if why:
                col.add(path, 0, "(file)", why)
                col.refuse(kind, "*")
            else:
                out[kind].append(path)
        if spec.required_file and not out[kind] and not any(p for p in known if p.match(spec.pattern)):
            col.add(base / spec.pattern, 0, "(file)", "required file is missing")
            col.refuse(kind, "*")
    for path in sorted((base / "seed").rglob("*.csv")):
        if path not in known:
            col.add(path, 0, "(file)", "not a known seed file: seed CSVs go in sources.csv, breakdowns*.csv or "
                                       "indicators/, observations/, targets/, tasks/, budget/, schools/")
    for d in ("seed", "sources", "geo", "simulation"):
        if not (base / d).is_dir():
            col.add(base / d, 0, "(file)", "required folder is missing")
    return out


def _read_kind(spec: Spec, paths: list[Path], base: Path, col: Collector) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        df = files.read_csv(path, col)
        if df is None:
            col.refuse(spec.kind, "*")
            continue
        problems, bad_rows = spec.cell_problems(df)
        for row, fld, msg in problems:
            col.add(path, row, fld, msg)
        if any(row == 1 for row, _, _ in problems):
            col.refuse(spec.kind, "*")
            continue  # missing or unexpected columns: the rows cannot be read reliably
        rel = path.relative_to(base).as_posix()
        for rownum, cells in df.iterrows():
            if rownum in bad_rows:
                if spec.key and spec.key in cells:
                    col.refuse(spec.kind, cells[spec.key])
                continue
            rec: dict[str, Any] = {"_file": rel, "_row": int(rownum)}
            for name, c in spec.columns.items():
                rec[name] = c.convert(cells[name])
                if c.type == "number":
                    rec[f"_raw_{name}"] = cells[name]
            out.append(rec)
    return out


def load_seeds(base: Path | None = None) -> SeedData:
    """Read and check every input file under base; raise SeedError listing all problems."""
    base = data_dir() if base is None else Path(base)
    col = Collector(base)
    paths = _discover(base, col)
    recs = {kind: _read_kind(spec, paths[kind], base, col) for kind, spec in SPECS.items()}
    for kind in SEED_KINDS:
        crosscheck.check_keys(kind, SPECS[kind].key or "", recs[kind], col)
    provinces, districts = load_geo(base, col)
    texts = crosscheck.source_texts(base, recs["sources"], col)
    crosscheck.check_all(crosscheck.Refs(recs, provinces, districts, texts, col), recs)
    simulation.check_inputs(recs, provinces, districts, col)
    if not col.problems:
        simulation.dry_run(base, recs, districts, col)
    if col.problems:
        raise SeedError(col.problems)
    return SeedData(recs, provinces, districts, seed_files(base), texts)
