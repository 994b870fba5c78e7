"""Command line of the intake, for people and scheduled loads:

    python -m dashboard template --kind register|school_year|assessment|report --out FILE.xlsx|FILE.csv
    python -m dashboard import FILE --kind KIND --user NAME [--province CODE] [--document DOC.txt]
                                    [--ack-warnings] [--approve --approver NAME] [--lang en]
    python -m dashboard batches [--province CODE] [--status staged|published|rolled_back|rejected] [--json]
    python -m dashboard preview N          python -m dashboard publish N --approver NAME
    python -m dashboard reject N --approver NAME [--note TEXT]
    python -m dashboard rollback N --user NAME
    python -m dashboard user add NAME --role editor|approver [--password-stdin] | user list | user passwd NAME
    python -m dashboard intake demo [--province 87] [--year 2024] [--out data/examples]

The command line runs on the server, so it trusts the operating-system account and records the named
account (which must exist and hold the role); the web pages ask for the password. Every refusal is one
clear line per problem on standard error and exit status 2.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from .spec import KINDS


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return 2


def _read(path: str, what: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{what} not found: {p.name}")
    return p.read_bytes()


def _template(a: argparse.Namespace) -> int:
    import io
    import os
    import tempfile

    from ..cli import check_out
    from .template import build_workbook, csv_header

    out = check_out(a.out)  # one clear line for an empty path, a folder, a missing or read-only folder
    if out.suffix.lower() not in (".xlsx", ".csv"):
        return _fail([f"--out {a.out}: give a file name ending in .xlsx or .csv"])
    if out.suffix.lower() == ".csv":
        body = csv_header(a.kind).encode("utf-8-sig")
    else:
        buf = io.BytesIO()
        build_workbook(a.kind).save(buf)
        body = buf.getvalue()
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:  # whole or nothing: written beside the target, then renamed over it
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    print(f"wrote the {a.kind} template to {out}", file=sys.stderr)
    return 0


def _import(a: argparse.Namespace) -> int:
    from .batches import publish, require_approver, stage

    if a.approve:  # the approver is checked before anything is staged
        if not a.approver:
            return _fail(["--approve needs --approver NAME (a second account with the approver role)"])
        require_approver(a.approver, a.user)
    data = _read(a.file, "file")
    doc = _read(a.document, "document") if a.document else None
    bid = stage(data, Path(a.file).name, a.kind, user=a.user, province=a.province, ack_warnings=a.ack_warnings,
                document=doc, document_name=Path(a.document).name if a.document else None)
    print(f"staged batch {bid} ({a.kind}, {Path(a.file).name})")
    if a.approve:
        c = publish(bid, approver=a.approver)
        print(f"published batch {bid}: {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged")
    return 0


def _batches(a: argparse.Namespace) -> int:
    from .audit import batches

    df = batches(province=a.province, status=a.status, lang=a.lang)
    if a.json:
        print(df.drop(columns=["sha256"]).assign(sha256=df["sha256"]).to_json(orient="records", force_ascii=False,
                                                                               indent=1, date_format="iso"))
        return 0
    if df.empty:
        print("no batches")
        return 0
    cols = ["id", "kind", "status", "province_code", "school_year_labels", "file_name", "n_rows", "n_new", "n_changed",
            "uploaded_by", "approved_by", "approved_at", "rows_live"]
    print(df[cols].rename(columns={"school_year_labels": "school_years"}).to_string(index=False))
    return 0


def _preview(a: argparse.Namespace) -> int:
    from .preview import preview

    p = preview(a.batch, lang=a.lang)
    print(json.dumps(p.counts))
    prov = p.indicators[p.indicators["scope"] == "province"] if not p.indicators.empty else p.indicators
    if not prov.empty:
        print(prov[["school_year", "measure_name", "before", "after", "change"]].round(2).to_string(index=False))
    if not p.rows.empty:
        print(p.rows.head(50).to_string(index=False))
    print(f"schools with a jump above 30 percentage points: {len(p.jumps)}")
    return 0


def _publish(a: argparse.Namespace) -> int:
    from .batches import publish

    c = publish(a.batch, approver=a.approver)
    print(f"published batch {a.batch}: {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged")
    return 0


def _reject(a: argparse.Namespace) -> int:
    from .batches import reject

    reject(a.batch, approver=a.approver, note=a.note or "")
    print(f"rejected batch {a.batch}")
    return 0


def _rollback(a: argparse.Namespace) -> int:
    from .batches import rollback

    rollback(a.batch, user=a.user)
    print(f"rolled back batch {a.batch}")
    return 0


def _password(a: argparse.Namespace) -> str:
    if a.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu / password: ")
    if getpass.getpass("Nhập lại / again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def _user(a: argparse.Namespace) -> int:
    from . import auth

    if a.action == "list":
        for u in auth.users():
            print(f"{u['username']}\t{u['role']}\t{'active' if u['active'] else 'disabled'}")
        return 0
    if not a.name:
        return _fail(["give the account name: user add NAME --role editor|approver"])
    if a.action == "add":
        if not a.role:
            return _fail(["give --role editor or --role approver"])
        auth.add_user(a.name, _password(a), a.role)
        print(f"added {a.role} {a.name}")
    else:
        auth.set_password(a.name, _password(a))
        print(f"password of {a.name} changed")
    return 0


def _demo(a: argparse.Namespace) -> int:
    from .demo import make_examples

    for p in make_examples(Path(a.out) if a.out else None or __import__("dashboard").DATA_DIR / "examples",
                           province=a.province, year=a.year):
        print(p)
    return 0


NO_STORE = {"_template"}  # works without a store (the template takes its code lists from one if there is one)


def _guard(func):  # noqa: ANN001, ANN202
    """Turn every expected refusal into one line per problem and exit status 2 (no traceback)."""
    def run(a: argparse.Namespace) -> int:
        from sqlalchemy.exc import OperationalError

        from .errors import IntakeError

        from .errors import StoreUnavailable

        lang = getattr(a, "lang", "vi") or "vi"
        try:
            if func.__name__ not in NO_STORE:
                from .batches import store_path

                store_path()  # the same existence + revision check as every other command; creates nothing
            return func(a)
        except StoreUnavailable as exc:
            return _fail([" ".join(exc.detail.split())])
        except IntakeError as exc:
            return _fail(exc.lines(lang))
        except (FileNotFoundError, ValueError) as exc:
            return _fail([str(exc)])
        except OSError as exc:
            where = f" ({Path(exc.filename).name})" if getattr(exc, "filename", None) else ""
            return _fail([f"{exc.strerror or exc}{where}"])
        except OperationalError as exc:
            msg = str(exc.orig) if getattr(exc, "orig", None) else "database error"
            return _fail([f"the store cannot be used ({msg}); build or upgrade it with `python -m dashboard build-db`"])
    return run


def register(sub: argparse._SubParsersAction) -> None:
    """Add the intake's subcommands to the main parser (called from dashboard/cli.py)."""
    t = sub.add_parser("template", help="write an empty intake template (xlsx with drop-downs, or csv)")
    t.add_argument("--kind", choices=KINDS, required=True)
    t.add_argument("--out", required=True, help="FILE.xlsx or FILE.csv")
    t.set_defaults(func=_guard(_template))

    i = sub.add_parser("import", help="validate and stage an intake file as a batch (and publish it with --approve)")
    i.add_argument("file")
    i.add_argument("--kind", choices=KINDS, required=True)
    i.add_argument("--user", required=True, help="account that uploads (editor or approver)")
    i.add_argument("--province", help="GSO province code of the file (default: the schools' province)")
    i.add_argument("--document", help="report kind: the document's text (.txt, UTF-8) the quotes come from")
    i.add_argument("--ack-warnings", action="store_true", help="acknowledge the file's warnings")
    i.add_argument("--approve", action="store_true", help="publish at once (needs --approver)")
    i.add_argument("--approver", help="approver account (not the uploader)")
    i.add_argument("--lang", choices=["vi", "en"], default="vi")
    i.set_defaults(func=_guard(_import))

    b = sub.add_parser("batches", help="list intake batches with their effect (audit)")
    b.add_argument("--province")
    b.add_argument("--status", choices=["staged", "published", "rolled_back", "rejected"])
    b.add_argument("--json", action="store_true")
    b.add_argument("--lang", choices=["vi", "en"], default="vi")
    b.set_defaults(func=_guard(_batches))

    pv = sub.add_parser("preview", help="what publishing a staged batch would change")
    pv.add_argument("batch", type=int)
    pv.add_argument("--lang", choices=["vi", "en"], default="vi")
    pv.set_defaults(func=_guard(_preview))

    pb = sub.add_parser("publish", help="publish a staged batch (approver)")
    pb.add_argument("batch", type=int)
    pb.add_argument("--approver", required=True)
    pb.add_argument("--lang", choices=["vi", "en"], default="vi")
    pb.set_defaults(func=_guard(_publish))

    rj = sub.add_parser("reject", help="reject a staged batch (approver)")
    rj.add_argument("batch", type=int)
    rj.add_argument("--approver", required=True)
    rj.add_argument("--note")
    rj.add_argument("--lang", choices=["vi", "en"], default="vi")
    rj.set_defaults(func=_guard(_reject))

    rb = sub.add_parser("rollback", help="undo a published batch exactly (approver)")
    rb.add_argument("batch", type=int)
    rb.add_argument("--user", required=True)
    rb.add_argument("--lang", choices=["vi", "en"], default="vi")
    rb.set_defaults(func=_guard(_rollback))

    u = sub.add_parser("user", help="intake accounts: add, list, passwd (passwords from a prompt or stdin)")
    u.add_argument("action", choices=["add", "list", "passwd"])
    u.add_argument("name", nargs="?")
    u.add_argument("--role", choices=["editor", "approver"])
    u.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    u.add_argument("--lang", choices=["vi", "en"], default="vi")
    u.set_defaults(func=_guard(_user))

    it = sub.add_parser("intake", help="intake helpers: demo (write the demonstration workbooks)")
    it.add_argument("action", choices=["demo"])
    it.add_argument("--province", default="87")
    it.add_argument("--year", type=int, default=2024, help="first year of the demo school year")
    it.add_argument("--out", help="folder (default data/examples)")
    it.set_defaults(func=_guard(_demo))


add_commands = register  # the name dashboard/cli.py looks for in its EXTENSIONS
