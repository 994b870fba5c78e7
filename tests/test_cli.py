"""Command line: export, build-db --if-stale, and one clear line with exit code 2 for every unusable
store, path or setting."""
from __future__ import annotations

import csv
import io
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

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


# --- one clear line and exit code 2 for every problem the user can fix (issue 9, item 8) ----------------------

def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **extra}


def _store_copy(db_path: Path, folder: Path, name: str = "dashboard.db") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / name
    shutil.copyfile(db_path, dst)
    return dst


def _sqlite(path: Path, *sql: str) -> None:
    con = sqlite3.connect(path)
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


def _previous_revision() -> str | None:
    from dashboard.store.schema import head_revision, script
    rev = script().get_revision(head_revision()).down_revision
    return rev if isinstance(rev, str) else None


def _case(name: str, tmp: Path, db_path: Path) -> tuple[list[str], dict[str, str], str, Path | None]:
    """(arguments, environment, expected fragment of the message, file that must stay byte-identical)."""
    env = _env(tmp)
    store = lambda: _store_copy(db_path, tmp / "s")  # noqa: E731
    if name == "--db is a directory":
        return ["build-db", "--db", str(tmp)], env, "is a directory", None
    if name == "--db in a missing folder":
        return ["build-db", "--db", str(tmp / "nowhere" / "x.db")], env, "does not exist", None
    if name == "--db empty":
        return ["build-db", "--db", ""], env, "--db is empty", None
    if name == "DASHBOARD_DB empty":
        return ["export", "observations"], {**env, "DASHBOARD_DB": ""}, "DASHBOARD_DB is set but empty", None
    if name == "DATABASE_URL empty":
        return ["export", "observations"], {**env, "DATABASE_URL": " "}, "DATABASE_URL is set but empty", None
    if name == "DATABASE_URL not sqlite":
        url = "mysql+pymysql://admin:s3cret-pw@db.example.vn/edu"  # PostgreSQL is accepted: tests/pg
        return ["export", "observations"], {**env, "DATABASE_URL": url}, "must be sqlite", None
    if name == "missing database":
        return (["forecast", "--province", "87", "--all"], {**env, "DATABASE_URL": f"sqlite:///{tmp / 'none.db'}"},
                "no database at", None)
    if name == "not a database":
        p = tmp / "notes.db"
        p.write_text("đây là văn bản, không phải cơ sở dữ liệu\n" * 200, encoding="utf-8")
        return ["export", "observations"], {**env, "DATABASE_URL": f"sqlite:///{p}"}, "not a SQLite database", p
    if name == "empty file":
        p = tmp / "empty.db"
        p.write_bytes(b"")
        return ["export", "schools"], {**env, "DATABASE_URL": f"sqlite:///{p}"}, "empty database", p
    if name in ("corrupt database (read)", "corrupt database (build)"):
        p = store()
        data = bytearray(p.read_bytes())
        data[8192:8192 + 16384] = b"\xde\xad\xbe\xef" * 4096  # pages 3-6 overwritten
        p.write_bytes(bytes(data))
        if name.endswith("(read)"):
            return ["export", "observations"], {**env, "DATABASE_URL": f"sqlite:///{p}"}, "malformed", p
        return ["build-db", "--db", str(p)], env, "damaged", p
    if name in ("foreign database (read)", "foreign database (build)", "foreign database (migrate)"):
        p = tmp / "crm.db"
        _sqlite(p, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO customers VALUES (1, 'An')")
        if name.endswith("(read)"):
            return ["export", "observations"], {**env, "DATABASE_URL": f"sqlite:///{p}"}, "not a store", p
        return [name.split("(")[1].rstrip(")").replace("build", "build-db"), "--db", str(p)], env, "not a store", p
    if name == "pre-migration store":
        p = store()
        _sqlite(p, "DROP TABLE alembic_version", "DROP TABLE store_meta")
        return ["export", "observations"], {**env, "DATABASE_URL": f"sqlite:///{p}"}, "built before schema migrations", p
    if name == "older schema revision":
        prev = _previous_revision()
        if prev is None:
            pytest.skip("only one migration so far")
        p = store()
        _sqlite(p, f"UPDATE alembic_version SET version_num = '{prev}'")
        return ["export", "observations"], {**env, "DATABASE_URL": f"sqlite:///{p}"}, "python -m dashboard migrate", p
    if name == "newer schema revision":
        p = store()
        _sqlite(p, "UPDATE alembic_version SET version_num = '9999_future'")
        return ["export", "observations"], {**env, "DATABASE_URL": f"sqlite:///{p}"}, "unknown to this program", p
    db_env = {**env, "DATABASE_URL": f"sqlite:///{db_path}"}
    if name == "--out is a directory":
        return ["export", "observations", "--out", str(tmp)], db_env, "is a directory", None
    if name == "--out in a missing folder":
        return ["export", "observations", "--out", str(tmp / "no" / "x.csv")], db_env, "does not exist", None
    if name == "pack --out in a missing folder":
        return (["pack", "--province", "87", "--format", "pdf", "--out", str(tmp / "no" / "x.pdf")], db_env,
                "does not exist", None)
    if name == "backup into a directory":
        return ["backup", str(tmp), "--db", str(db_path)], env, "is a directory", None
    if name == "backup of a missing store":
        return ["backup", str(tmp / "b.db"), "--db", str(tmp / "none.db")], env, "no database at", None
    raise AssertionError(name)


CASES = ["--db is a directory", "--db in a missing folder", "--db empty", "DASHBOARD_DB empty", "DATABASE_URL empty",
         "DATABASE_URL not sqlite", "missing database", "not a database", "empty file", "corrupt database (read)",
         "corrupt database (build)", "foreign database (read)", "foreign database (build)",
         "foreign database (migrate)", "pre-migration store", "older schema revision", "newer schema revision",
         "--out is a directory", "--out in a missing folder", "pack --out in a missing folder",
         "backup into a directory", "backup of a missing store"]


@pytest.mark.parametrize("name", CASES)
def test_unusable_store_or_path_gives_one_clear_line(name, tmp_path, db_path):
    args, env, expected, keep = _case(name, tmp_path, db_path)
    before = keep.read_bytes() if keep else None
    listing = sorted(p.name for p in keep.parent.iterdir()) if keep else None
    out = subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True,
                         env=env)
    err = out.stderr.strip()
    assert out.returncode == 2, (out.returncode, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert expected in err, err
    assert "s3cret" not in err and out.stdout == ""
    if keep:
        assert keep.read_bytes() == before  # nothing written
        assert sorted(p.name for p in keep.parent.iterdir()) == listing  # no stray files


def _can_unshare() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


def _in_namespace(mount: str, folder: Path, args: list[str], tmp: Path) -> tuple[str, str]:
    """Mount `mount` on `folder` in a private mount namespace (so root too meets a read-only or full folder),
    run the CLI there, and report the return code and the store's sha256 before and after."""
    db = folder / "dashboard.db"
    script = (f"{mount} && sha256sum {db}; {shlex.join([sys.executable, '-m', 'dashboard', *args])}; "
              f"echo rc=$?; sha256sum {db}; ls -a {folder}")
    out = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env=_env(tmp))
    return out.stdout, out.stderr.strip()


def _sums(stdout: str) -> list[str]:
    """The sha256sum lines of the store (before and after)."""
    return [line.split()[0] for line in stdout.splitlines()
            if len(line.split()) == 2 and line.endswith("dashboard.db")]


@pytest.mark.skipif(not _can_unshare(), reason="needs root and mount namespaces (unshare -m)")
def test_build_into_a_read_only_folder(tmp_path, db_path):
    folder = tmp_path / "ro"
    _store_copy(db_path, folder)
    stdout, err = _in_namespace(f"mount --bind -o ro {folder} {folder}", folder,
                                ["build-db", "--db", str(folder / "dashboard.db")], tmp_path)
    assert "rc=2" in stdout and len(err.splitlines()) == 1 and "cannot write in" in err, (stdout, err)
    sums = _sums(stdout)
    assert len(sums) == 2 and sums[0] == sums[1]


@pytest.mark.skipif(not _can_unshare(), reason="needs root and mount namespaces (unshare -m)")
def test_build_into_a_full_folder_rolls_back(tmp_path, db_path):
    """The disk fills up during the rebuild's transaction: one clear line, the store unchanged."""
    folder = tmp_path / "full"
    folder.mkdir()
    size_k = db_path.stat().st_size // 1024 + 400  # room for the store, not for a rebuild's WAL
    mount = f"mount -t tmpfs -o size={size_k}k tmpfs {folder} && cp {db_path} {folder}/dashboard.db"
    stdout, err = _in_namespace(mount, folder, ["build-db", "--db", str(folder / "dashboard.db")], tmp_path)
    assert "rc=2" in stdout and len(err.splitlines()) == 1 and "full" in err, (stdout, err)
    assert "not changed" in err
    sums = _sums(stdout)
    assert len(sums) == 2 and sums[0] == sums[1]


def test_validate_and_build_read_the_same_data_folder(data_copy, tmp_path):
    """`--data` (or DASHBOARD_DATA) points both commands at one folder: what validate refuses, build-db refuses
    with the same line, and the existing store stays as it was."""
    import subprocess
    import sys

    from dashboard.build import build

    db = tmp_path / "d.db"
    build(db, data_copy, quiet=True)
    before = db.read_bytes()
    tasks = data_copy / "seed" / "tasks" / "dt_kh_2024.csv"
    lines = tasks.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",87,", ",8X7,", 1)
    tasks.write_text("".join(lines), encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "dashboard", *a], capture_output=True, text=True)  # noqa: E731
    v = run("validate", "--data", str(data_copy))
    b = run("build-db", "--db", str(db), "--data", str(data_copy))
    want = "seed/tasks/dt_kh_2024.csv, row 2, field 'province_code': unknown province code '8X7'"
    assert v.returncode == b.returncode == 2
    assert want in v.stderr and want in b.stderr and "Traceback" not in v.stderr + b.stderr
    assert db.read_bytes() == before


def test_validate_reads_the_unit_files_with_the_checks_of_the_build(data_copy, tmp_path):
    """`validate` applies build-db's checks to data/geo/units_*.csv and the 2025 crosswalk: a broken copy is
    refused with file, row and field (and by build-db with the same lines); the shipped files pass."""
    import subprocess
    import sys

    run = lambda *a: subprocess.run([sys.executable, "-m", "dashboard", *a], capture_output=True, text=True)  # noqa: E731
    ok = run("validate", "--data", str(data_copy))
    assert ok.returncode == 0, ok.stderr
    assert "unit files valid: unit_current 3355, unit_former" in ok.stdout
    xw = data_copy / "geo" / "crosswalk_2025_communes.csv"
    lines = xw.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1].startswith("00001,Phường Phúc Xá,001,01,00097,")
    lines[1] = lines[1].replace(",00097,", ",99999,", 1)  # a current commune that does not exist
    lines[2] = lines[2].replace(",0,1,0.8,0", ",0,yes,0.8,0", 1)  # a flag that is not 0/1
    xw.write_text("".join(lines), encoding="utf-8")
    communes = data_copy / "geo" / "units_2025_communes.csv"
    rows = communes.read_text(encoding="utf-8").splitlines(keepends=True)
    rows[3] = rows[3].replace(",2025-07-01,", ",1/7/2025,", 1)
    communes.write_text("".join(rows), encoding="utf-8")
    v = run("validate", "--data", str(data_copy))
    b = run("build-db", "--db", str(tmp_path / "d.db"), "--data", str(data_copy))
    want = ["geo/crosswalk_2025_communes.csv, row 2, field 'current_commune_code': unknown current commune '99999'",
            "geo/crosswalk_2025_communes.csv, row 3, field 'is_default': 'yes' is not 0 or 1",
            "geo/units_2025_communes.csv, row 4, field 'valid_from': '1/7/2025' is not a date (YYYY-MM-DD)"]
    assert v.returncode == b.returncode == 2
    for w in want:
        assert w in v.stderr and w in b.stderr, (w, v.stderr)
    assert "Traceback" not in v.stderr + b.stderr and "seed data valid" not in v.stdout
    assert not (tmp_path / "d.db").exists()
