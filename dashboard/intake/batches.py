"""Check → stage → publish (or reject) → roll back: the life of an uploaded file, one transaction each.

- `check` reads and validates a file and writes nothing.
- `stage` writes a batch (status 'staged', invisible to the dashboards), the file's bytes and its rows,
  only when there is no error and every warning is acknowledged; otherwise it raises and writes nothing.
- `publish` (an approver, not the uploader) makes a staged batch the newest published data, in one
  transaction that also bumps the data version; `reject` closes a staged batch unpublished.
- `rollback` (an approver) restores exactly the state before the batch.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd
from sqlalchemy import insert, text
from sqlalchemy.engine import Connection, Engine

import models as m

from ..db import data_version

from . import publish as pub
from .errors import IntakeError, PermissionDenied, Rejected, StateError, StoreUnavailable, WarningsNotAcknowledged
from .reader import read
from .spec import Kind, Problem, Problems, spec
from .convert import convert
from .validate import check_rows, coverage, period_dates


def now() -> datetime:
    """Now in UTC, to the second, timezone-aware (stored as ISO text with +00:00)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def store_path():  # noqa: ANN201
    """The configured store's path, after the checks every other command makes: it exists and is a store of
    this dashboard at the current schema revision; else StoreUnavailable (and no file is created)."""
    from ..db import database_path
    from ..store.schema import inspect_store

    path = database_path()
    state = inspect_store(path)
    if state.kind != "current":
        raise StoreUnavailable(state.message)
    return path


def engine_for(engine: Engine | None = None) -> Engine:
    """The writing engine of the store (the one given, else DATABASE_URL / DASHBOARD_DB / data/dashboard.db,
    checked first by `store_path`: a missing store is never created here)."""
    from ..db import write_engine

    return engine or write_engine(store_path())


def reader_for(engine: Engine | None = None) -> Engine:
    """A read-only engine on the same file: checking a file takes no write lock."""
    from ..db import read_engine, target_of

    return read_engine(target_of(engine) if engine is not None else store_path())


@dataclass
class CheckResult:
    """What `check` found: the typed rows, the problems, and what the batch would be."""

    kind: str
    file_name: str
    sha256: str
    sheet: str
    province_code: str | None
    school_years: list[int]
    rows: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    coverage: dict = field(default_factory=dict)  # {school_year: {file, earlier, missing, of}} (validate.coverage)
    data_version: int | None = None  # the store's data version the check ran against

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def problem_table(self, lang: str = "vi") -> pd.DataFrame:
        """One row per problem: severity, file, sheet, row, field, message, code (for the page)."""
        return pd.DataFrame([p.as_dict(lang) for p in self.problems],
                            columns=["severity", "file", "sheet", "row", "field", "field_key", "message", "code"])


def check(data: bytes, file_name: str, kind: str, *, province: str | None = None, document: bytes | None = None,
          document_name: str | None = None, engine: Engine | None = None) -> CheckResult:
    """Read and validate a file (and, for a report, its document); writes nothing."""
    k = spec(kind)
    probs = Problems(file_name, "", k)
    sha = hashlib.sha256(data).hexdigest()
    doc_text = None
    if document is not None:
        try:
            doc_text = document.decode("utf-8-sig")
        except UnicodeDecodeError:
            probs.error(None, "", f"văn bản '{document_name}' không ở dạng văn bản UTF-8",
                        f"the document '{document_name}' is not UTF-8 text", "document_encoding")
    raw = read(data, file_name, k, probs)
    if raw is None:
        return CheckResult(kind, file_name, sha, probs.sheet, province, [], pd.DataFrame(), probs.items)
    df = convert(raw, k, probs)
    with reader_for(engine).connect() as con:
        df, province = check_rows(df, k, probs, con, province, doc_text if document is not None else None)
        cov = coverage(df, k, probs, con, province)
        version = data_version(con)
    with reader_for(engine).connect() as con:
        for bid, status in con.execute(text("SELECT id, status FROM intake_batch WHERE sha256 = :h AND kind = :k "
                                            "AND status IN ('staged', 'published') ORDER BY id"),
                                       {"h": sha, "k": kind}):
            probs.warning(None, "", f"tệp này đã được nạp ở lô {bid} ({status_name(status, 'vi').lower()})",
                          f"this file was already uploaded as batch {bid} ({status_name(status, 'en').lower()})",
                          "same_file")
    years = sorted({int(y) for y in df["school_year"].dropna()}) if "school_year" in df.columns else []
    if kind == "report":
        years = sorted({period_dates(p)[0].year for p in df["period"].dropna() if _ok_period(p)})
    return CheckResult(kind, file_name, sha, raw.sheet, province, years, df, probs.items, cov, version)


def status_name(status: str, lang: str = "vi") -> str:
    """A batch status in words ('staged' → 'Chờ duyệt' / 'Staged')."""
    from .audit import STATUS_NAMES

    return STATUS_NAMES.get(status, {}).get(lang, status)


def _ok_period(p: str) -> bool:
    try:
        period_dates(p)
        return True
    except ValueError:
        return False


def _jsonable(v: object) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return _jsonable(v.item())
    return v


WHOLE = ("count", "flag", "level", "year")


def _stage_rows(df: pd.DataFrame, kind: str) -> list[dict]:
    """Rows as {row_no, data: JSON of typed values}; whole numbers as ints, NaN as null (column-wise)."""
    k = spec(kind)
    cols = [c.key for c in k.columns] + (["computed_level"] if kind == "assessment" else [])
    types = {c.key: c.type for c in k.columns} | {"computed_level": "level"}
    series = []
    for c in cols:
        vals = df[c].tolist()
        if types[c] in WHOLE:
            vals = [None if v is None or v != v else int(v) for v in vals]
        else:
            vals = [_jsonable(v) for v in vals]
        series.append(vals)
    dumps = json.dumps
    return [{"row_no": int(r), "data": dumps(dict(zip(cols, vals)), ensure_ascii=False)}
            for r, *vals in zip(df["_row"].tolist(), *series)]


def _require(con: Connection, username: str, roles: tuple[str, ...]) -> None:
    r = con.execute(text("SELECT role, active FROM app_user WHERE username = :u"), {"u": username}).first()
    if r is None or not r[1]:
        raise PermissionDenied(f"tài khoản '{username}' không tồn tại", f"no account '{username}'")
    if r[0] not in roles:
        raise PermissionDenied(f"tài khoản '{username}' ({r[0]}) không có quyền này",
                               f"account '{username}' ({r[0]}) may not do this")


def require_approver(approver: str, uploader: str | None = None, *, engine: Engine | None = None) -> None:
    """Raise PermissionDenied unless `approver` is an active account with the approver role (and, when given,
    not the uploader): `import --approve` checks this before it stages anything."""
    with engine_for(engine).connect() as con:
        _require(con, approver, ("approver",))
    if uploader is not None and approver == uploader:
        raise PermissionDenied("người tải lên không tự phê duyệt lô của mình (cần người thứ hai)",
                               "the uploader cannot approve their own batch (a second person must)")


def stage(data: bytes, file_name: str, kind: str, *, user: str, province: str | None = None,
          ack_warnings: bool = False, document: bytes | None = None, document_name: str | None = None,
          engine: Engine | None = None, result: CheckResult | None = None) -> int:
    """Validate and stage a file as a new batch; returns its id. Raises Rejected (errors),
    WarningsNotAcknowledged or PermissionDenied, and then nothing has been written."""
    eng = engine_for(engine)
    with eng.connect() as con:
        _require(con, user, ("editor", "approver"))
    if result is not None and (result.data_version is None or result.data_version != data_version(eng)
                               or result.sha256 != hashlib.sha256(data).hexdigest() or result.kind != kind):
        result = None  # checked against an older store (or another file): check again against the store as it is
    res = result or check(data, file_name, kind, province=province, document=document, document_name=document_name,
                          engine=eng)
    if res.errors:
        raise Rejected(res.problems)
    if res.warnings and not ack_warnings:
        raise WarningsNotAcknowledged(res.warnings)
    stage_rows = _stage_rows(res.rows, kind)
    with eng.begin() as con:
        _require(con, user, ("editor", "approver"))
        bid = con.execute(insert(m.IntakeBatch).values(
            kind=kind, file_name=file_name, sha256=res.sha256, province_code=res.province_code or "",
            school_years=";".join(map(str, res.school_years)), status="staged", uploaded_by=user, uploaded_at=now(),
            n_rows=len(stage_rows), n_warnings=len(res.warnings), warnings_acknowledged=bool(res.warnings),
            warnings_json=json.dumps([p.as_dict("vi") | {"message_en": p.en} for p in res.warnings],
                                     ensure_ascii=False), document_name=document_name)).inserted_primary_key[0]
        con.execute(insert(m.IntakeFile), [{"batch_id": bid, "role": "workbook", "name": file_name,
                                            "sha256": res.sha256, "size": len(data), "content": data}]
                    + ([{"batch_id": bid, "role": "document", "name": document_name or "document.txt",
                         "sha256": hashlib.sha256(document).hexdigest(), "size": len(document), "content": document}]
                       if document is not None else []))
        for r in stage_rows:
            r["batch_id"] = bid
        con.execute(insert(m.IntakeStageRow), stage_rows)
        counts = _counts(con, bid, kind)
        con.execute(text("UPDATE intake_batch SET n_new = :new, n_changed = :changed, n_unchanged = :unchanged "
                         "WHERE id = :b"), {**counts, "b": bid})
    return int(bid)


def _counts(con: Connection, bid: int, kind: str) -> dict[str, int]:
    if kind == "register":
        return pub.register_counts(con, bid)
    if kind == "school_year":
        return pub.school_year_counts(con, bid)
    if kind == "assessment":
        return pub.assessment_counts(con, bid)
    n = con.execute(text("SELECT COUNT(*) FROM intake_stage_row WHERE batch_id = :b"), {"b": bid}).scalar()
    return {"new": n, "changed": 0, "unchanged": 0}


def get_batch(con: Connection, bid: int) -> dict:
    r = con.execute(text("SELECT * FROM intake_batch WHERE id = :b"), {"b": bid}).mappings().first()
    if r is None:
        raise StateError(f"không có lô {bid}", f"no batch {bid}")
    return dict(r)


def apply(con: Connection, b: dict) -> dict[str, int]:
    """Write a staged batch's rows into the shared tables (the caller owns the transaction)."""
    bid, kind = b["id"], b["kind"]
    if kind == "register":
        return pub.publish_register(con, bid)
    if kind == "school_year":
        return pub.publish_school_year(con, bid)
    if kind == "assessment":
        return pub.publish_assessment(con, bid)
    rows = [json.loads(r[0]) | {"_row": r[1]} for r in con.execute(text(
        "SELECT data, row_no FROM intake_stage_row WHERE batch_id = :b ORDER BY row_no"), {"b": bid})]
    for r in rows:
        start, end = period_dates(r["period"])
        r.update(period_start=start, period_end=date.fromisoformat(r["period_end"]) if r.get("period_end") else end,
                 year=(date.fromisoformat(r["period_end"]) if r.get("period_end") else end).year,
                 level=r.get("level") or "ALL", qualifier=r.get("qualifier") or "",
                 derived=r.get("value") is None)
        if r["value"] is None and r.get("denominator"):
            r["value"] = round(r["numerator"] / r["denominator"] * 100, 2)
        elif r["value"] is None:
            r["value"] = r["numerator"]
    doc = con.execute(text("SELECT content, name FROM intake_file WHERE batch_id = :b AND role = 'document'"),
                      {"b": bid}).first()
    return pub.publish_report(con, bid, province=b["province_code"], document_text=doc[0].decode("utf-8-sig"),
                              document_name=doc[1], rows=rows)


def _bump(con: Connection) -> None:
    from ..db import bump_data_version

    bump_data_version(con)


def publish(bid: int, *, approver: str, engine: Engine | None = None) -> dict[str, int]:
    """Publish a staged batch in one transaction; returns counts new / changed / unchanged."""
    with engine_for(engine).begin() as con:
        _require(con, approver, ("approver",))
        b = get_batch(con, bid)
        if b["status"] != "staged":
            raise StateError(f"lô {bid} đang ở trạng thái '{status_name(b['status'], 'vi')}', chỉ phát hành được lô "
                             "đang chờ duyệt", f"batch {bid} is '{status_name(b['status'], 'en')}'; only a staged "
                             "batch can be published")
        if b["uploaded_by"] == approver:
            raise PermissionDenied("người tải lên không tự phê duyệt lô của mình (cần người thứ hai)",
                                   "the uploader cannot approve their own batch (a second person must)")
        counts = apply(con, b)
        con.execute(text("""UPDATE intake_batch SET status = 'published', approved_by = :u, approved_at = :t,
                            n_new = :new, n_changed = :changed, n_unchanged = :unchanged WHERE id = :b"""),
                    {"u": approver, "t": now(), "b": bid, **counts})
        _bump(con)
    return counts


def reject(bid: int, *, approver: str, note: str = "", engine: Engine | None = None) -> None:
    with engine_for(engine).begin() as con:
        _require(con, approver, ("approver",))
        b = get_batch(con, bid)
        if b["status"] != "staged":
            raise StateError(f"lô {bid} không ở trạng thái chờ duyệt", f"batch {bid} is not staged")
        con.execute(text("""UPDATE intake_batch SET status = 'rejected', rejected_by = :u, rejected_at = :t, note = :n
                            WHERE id = :b"""), {"u": approver, "t": now(), "n": note, "b": bid})
        con.execute(text("DELETE FROM intake_stage_row WHERE batch_id = :b"), {"b": bid})


def rollback(bid: int, *, user: str, engine: Engine | None = None) -> None:
    """Undo a published batch exactly; refused while later batches build on it."""
    with engine_for(engine).begin() as con:
        _require(con, user, ("approver",))
        b = get_batch(con, bid)
        if b["status"] != "published":
            raise StateError(f"lô {bid} chưa phát hành (trạng thái '{status_name(b['status'], 'vi')}')",
                             f"batch {bid} is not published (status '{status_name(b['status'], 'en')}')")
        later = pub.blockers(con, bid, b["kind"])
        if later:
            ids = ", ".join(map(str, later))
            raise StateError(f"các lô {ids} dựa trên lô {bid}: hãy hoàn tác chúng trước",
                             f"batches {ids} build on batch {bid}: roll them back first")
        from ..store import dialect

        dialect.defer_foreign_keys(con)
        if b["kind"] == "register":
            pub.rollback_register(con, bid)
        elif b["kind"] == "school_year":
            pub.rollback_rows(con, bid, "school_year", m.SchoolYear)
        elif b["kind"] == "assessment":
            pub.rollback_rows(con, bid, "intake_assessment", m.IntakeAssessment)
        else:
            pub.rollback_report(con, bid)
        con.execute(text("DELETE FROM intake_superseded WHERE batch_id = :b"), {"b": bid})
        con.execute(text("""UPDATE intake_batch SET status = 'rolled_back', rolled_back_by = :u, rolled_back_at = :t
                            WHERE id = :b"""), {"u": user, "t": now(), "b": bid})
        _bump(con)


__all__ = ["CheckResult", "IntakeError", "Kind", "check", "stage", "publish", "reject", "rollback", "apply",
           "get_batch", "engine_for"]
