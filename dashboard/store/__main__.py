"""Developer tool: write the next migration from the difference between the models and the head revision.

    .venv/bin/python -m dashboard.store revision --rev-id 0003_something -m "what changes"

It upgrades a throw-away database to head, autogenerates the difference to models/ into
dashboard/store/migrations/versions/<rev-id>_….py (review it before committing), and deletes the database.
tests/test_store.py fails as long as the models and the migrations at head differ.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command

from ..db import write_engine
from .schema import alembic_config, upgrade_connection


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dashboard.store", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("revision", help="autogenerate the next migration from the models")
    r.add_argument("--rev-id", required=True, help="revision id, e.g. 0003_school_commune")
    r.add_argument("-m", "--message", required=True)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        engine = write_engine(Path(tmp) / "head.db")
        try:
            with engine.begin() as con:
                upgrade_connection(con)
                command.revision(alembic_config(con), args.message, autogenerate=True, rev_id=args.rev_id)
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
