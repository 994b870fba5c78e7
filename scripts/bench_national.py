"""Benchmark (not a test): every page's script run, cold and warm, on the shipped 3-province store and on the
national scale-test store (SIMULATED, ~50.000 schools × 10 school years), on SQLite and on PostgreSQL; the
national / 3-province ratio; and the import of a national-store workbook with `python -m dashboard import`.

    .venv/bin/python scripts/bench_national.py [--runs 3] [--backends sqlite,pg] [--schools 50000] [--no-import]

Stores are built in a temporary folder (SQLite) and in a throwaway PostgreSQL cluster started like the tests
do (tests/pg/server.py: Debian's server binaries, run as user postgres when root). A page run is Streamlit's
AppTest of app.py switched to the page: cold = st.cache_data cleared first, warm = the same page run again.
Medians of --runs. Targets (issue 13): every page under 1 s warm on the national store, ratio under 3.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ["overview", "targets", "infrastructure", "adoption", "forecast", "budget", "dx_levels", "stem_map",
         "sources", "national"]


def cli(*args: str, url: str, stdin: str | None = None, timeout: int = 1800) -> float:
    """Run `python -m dashboard ARGS` on the store at `url`; seconds (raises with its stderr on failure)."""
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "dashboard", *args], env=env, cwd=ROOT, capture_output=True,
                       text=True, input=stdin, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"dashboard {' '.join(args)}: {r.stderr.strip()[-500:]}")
    return time.perf_counter() - t0


def worker(url: str, runs: int, pages: list[str]) -> None:
    """In a fresh process (one store, one backend): time every page; print JSON {page: [cold, warm, errors]}."""
    import logging

    os.environ["DATABASE_URL"] = url
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    out = {}
    for page in pages:
        cold, warm, errors = [], [], []
        for _ in range(runs):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.run()
            st.cache_data.clear()
            t0 = time.perf_counter()
            at.switch_page(f"pages/{page}.py").run()
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
            errors += [str(e.value)[:200] for e in at.exception] + [e.value[:200] for e in at.error]
        out[page] = [statistics.median(cold), statistics.median(warm), errors[:2]]
    print("RESULT " + json.dumps(out))


def time_pages(url: str, runs: int) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, __file__, "--worker", url, "--runs", str(runs)], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=7200)
    line = next((x for x in r.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"page worker failed: {r.stderr.strip()[-800:]}")
    return json.loads(line[7:])


def import_workbook(url: str, work: Path) -> dict:
    """Register + school-year workbooks of the national store's largest province, imported and published."""
    from dashboard.db import parse_target, read_engine
    from dashboard.national.workbook import write

    t0 = time.perf_counter()
    info = write(work, engine=read_engine(parse_target(url)))
    t_write = time.perf_counter() - t0
    cli("user", "add", "bench_ed", "--role", "editor", "--password-stdin", url=url, stdin="bench-editor-pw-1\n")
    cli("user", "add", "bench_ap", "--role", "approver", "--password-stdin", url=url, stdin="bench-approver-pw-1\n")
    t_reg = cli("import", str(info["register"]), "--kind", "register", "--user", "bench_ed", "--approve",
                "--approver", "bench_ap", url=url)
    t_sy = cli("import", str(info["school_year"]), "--kind", "school_year", "--user", "bench_ed", "--approve",
               "--approver", "bench_ap", "--ack-warnings", url=url)
    return {"province": info["province"], "rows": info["rows"], "write": t_write, "register": t_reg,
            "school_year": t_sy}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--backends", default="sqlite,pg")
    ap.add_argument("--schools", type=int, default=50_000)
    ap.add_argument("--no-import", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker, a.runs, PAGES)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bench_national_"))
    tmp.chmod(0o755)
    backends = a.backends.split(",")
    stores: dict[tuple[str, str], str] = {}
    cluster = None
    build_s: dict[tuple[str, str], float] = {}
    try:
        if "sqlite" in backends:
            stores[("sqlite", "shipped")] = f"sqlite:///{tmp / 'shipped.db'}"
            stores[("sqlite", "national")] = f"sqlite:///{tmp / 'national.db'}"
        if "pg" in backends:
            from tests.pg.server import Cluster

            cluster = Cluster().start()
            for name in ("shipped", "national"):
                stores[("pg", name)] = cluster.create_database(name)
        for (backend, name), url in stores.items():
            args = ("build-db",) if name == "shipped" else ("national-store", "--schools", str(a.schools), "--quiet")
            build_s[(backend, name)] = cli(*args, url=url)
            print(f"{backend:6} {name:8} store built in {build_s[(backend, name)]:.1f} s", flush=True)
        times = {}
        for (backend, name), url in stores.items():
            times[(backend, name)] = time_pages(url, a.runs)
            print(f"{backend:6} {name:8} pages timed", flush=True)
        report(times, build_s, a)
        imports = {}
        if not a.no_import:
            for backend in backends:
                if cluster is not None and backend == "pg":
                    url = cluster.create_database("national_import")
                    cli("national-store", "--schools", str(a.schools), "--quiet", url=url)
                else:
                    url = f"sqlite:///{tmp / 'national_import.db'}"
                    cli("national-store", "--out", str(tmp / "national_import.db"), "--schools", str(a.schools),
                        "--quiet", url=url)
                work = tmp / f"wb_{backend}"
                work.mkdir()
                try:
                    imports[backend] = import_workbook(url, work)
                except RuntimeError as exc:
                    print(f"import ({backend}) failed: {exc}")
        report_imports(imports)
    finally:
        if cluster is not None:
            cluster.stop()
        if not a.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")
    return 0


def report(times: dict, build_s: dict, a: argparse.Namespace) -> None:
    backends = sorted({b for b, _ in times}, key=lambda b: b != "sqlite")
    print(f"\nPage script runs (AppTest), median of {a.runs}, ms — cold / warm; ratio = national warm / 3-province warm")
    head = "| page | " + " | ".join(f"{b} 3-prov cold | {b} 3-prov warm | {b} national cold | {b} national warm | "
                                    f"{b} ratio" for b in backends) + " |"
    print(head)
    print("|" + "---|" * (1 + 5 * len(backends)))
    worst = {}
    for p in PAGES:
        cells = []
        for b in backends:
            s, n = times[(b, "shipped")][p], times[(b, "national")][p]
            ratio = n[1] / s[1] if s[1] else float("nan")
            worst[b] = max(worst.get(b, (0, 0)), (n[1], ratio))
            cells += [f"{1000 * s[0]:.0f}", f"{1000 * s[1]:.0f}", f"{1000 * n[0]:.0f}", f"{1000 * n[1]:.0f}",
                      f"{ratio:.2f}"]
            for store, v in (("3-prov", s), ("national", n)):
                if v[2]:
                    print(f"  ! {b} {store} {p}: {v[2]}")
        print(f"| {p} | " + " | ".join(cells) + " |")
    for b in backends:
        worst_warm = max(times[(b, "national")][p][1] for p in PAGES)
        worst_ratio = max(times[(b, "national")][p][1] / times[(b, "shipped")][p][1] for p in PAGES)
        print(f"{b}: slowest national page warm {1000 * worst_warm:.0f} ms (target < 1000: "
              f"{'met' if worst_warm < 1 else 'NOT met'}); largest ratio {worst_ratio:.2f} (target < 3: "
              f"{'met' if worst_ratio < 3 else 'NOT met'})")
    print("\nStores: " + "; ".join(f"{b} {n} built in {s:.1f} s" for (b, n), s in build_s.items()))


def report_imports(imports: dict) -> None:
    for b, r in imports.items():
        print(f"Import ({b}): province {r['province']}, {r['rows']} schools — workbooks written in {r['write']:.1f} s; "
              f"`import --kind register --approve` {r['register']:.1f} s; `import --kind school_year --approve` "
              f"{r['school_year']:.1f} s (wall clock, whole CLI process)")


if __name__ == "__main__":
    raise SystemExit(main())
