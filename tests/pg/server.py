"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, pg_ctl start on a free port of
127.0.0.1, trust authentication, stopped and deleted at the end.

PostgreSQL refuses to run as root; as root (the CI and the dev machine run the tests as root) the cluster
belongs to the `postgres` system user and every server command runs through `runuser -u postgres`.
Binaries: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin (Debian's `postgresql` package,
installed by `scripts/setup.sh --dev`).

    .venv/bin/python -m tests.pg.server      # start one by hand, print its URL, stop on Enter
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

MISSING = ("PostgreSQL server binaries not found (initdb, pg_ctl): install Debian's `postgresql` package "
           "(bash scripts/setup.sh --dev installs it); the PostgreSQL tests cannot run without it")


def bindir(roots: tuple[Path, ...] = (Path("/usr/lib/postgresql"),)) -> Path:
    """Folder of initdb/pg_ctl/postgres, or RuntimeError with a clear message."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
            candidates.append(Path(out))
        except (OSError, subprocess.SubprocessError):
            pass
    versions = sorted((d for root in roots for d in root.glob("*/bin")),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    candidates += versions
    for d in candidates:
        if (d / "initdb").exists() and (d / "pg_ctl").exists() and (d / "postgres").exists():
            return d
    raise RuntimeError(MISSING)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        self.bin = bindir()
        self.root = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
        self.data, self.sock = self.root / "data", self.root / "sock"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.sock.mkdir()
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            os.chown(self.sock, pw.pw_uid, pw.pw_gid)
            self.root.chmod(0o755)

    def _run(self, *args: str, timeout: int = 120) -> None:
        cmd = [*(["runuser", "-u", "postgres", "--"] if self.as_root else []), *args]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/")
        if res.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed ({res.returncode}): {res.stderr.strip()[-800:]}")

    def start(self) -> "Cluster":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        opts = (f"-k {self.sock} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-w", "-t", "60",
                  "-l", str(self.root / "server.log"), "start")
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new, empty database; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
                        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
        return self.url(name)


@contextmanager
def cluster() -> Iterator[Cluster]:
    c = Cluster()
    try:
        yield c.start()
    finally:
        c.stop()


if __name__ == "__main__":  # pragma: no cover - manual use
    with cluster() as c:
        print(c.create_database("dashboard"), flush=True)
        input("PostgreSQL running; press Enter to stop\n")
