"""What a user sees when a page fails: one short message in their language, never internals (no streamlit).

The full exception goes to the server log with an incident code; the browser gets the code and a sentence.
A store that cannot be read (an empty file, a text file, another application's SQLite file, an older
schema, a bad DATABASE_URL) gets its own message, naming the cause in words and what an operator does;
never the path, the URL (it may hold a password) or the SQL.
"""
from __future__ import annotations

import logging
import secrets
import sqlite3

from .i18n import register, t

log = logging.getLogger("dashboard")

register({
    "err_db": {"vi": "Không đọc được cơ sở dữ liệu: {reason}. Người quản trị cần kiểm tra cấu hình DATABASE_URL / "
                     "DASHBOARD_DB hoặc dựng lại dữ liệu bằng lệnh: python -m dashboard build-db (mã sự cố {code}).",
               "en": "The database cannot be read: {reason}. An administrator should check DATABASE_URL / DASHBOARD_DB "
                     "or rebuild it with: python -m dashboard build-db (incident {code})."},
    "err_db_not_sqlite": {"vi": "tệp không phải là cơ sở dữ liệu SQLite", "en": "the file is not an SQLite database"},
    "err_db_schema": {"vi": "cơ sở dữ liệu rỗng hoặc không phải của bảng điều khiển này (thiếu bảng, cột)",
                      "en": "the database is empty or belongs to another application (tables or columns missing)"},
    "err_db_open": {"vi": "không mở được tệp cơ sở dữ liệu", "en": "the database file cannot be opened"},
    "err_db_url": {"vi": "địa chỉ cơ sở dữ liệu (DATABASE_URL) không hợp lệ hoặc không kết nối được",
                   "en": "the database address (DATABASE_URL) is not valid or cannot be reached"},
    "err_db_other": {"vi": "lỗi khi đọc dữ liệu", "en": "an error while reading the data"},
    "err_page": {"vi": "Trang này gặp lỗi và đã dừng. Lỗi đã được ghi lại trên máy chủ; hãy báo mã sự cố {code} "
                       "cho người quản trị.",
                 "en": "This page ran into an error and stopped. The error was logged on the server; please give "
                       "the incident code {code} to an administrator."},
})


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def database_cause(exc: BaseException) -> str | None:
    """'not_sqlite', 'schema', 'open', 'url', 'other' when the failure is reading the store; else None."""
    try:
        from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
    except ImportError:  # pragma: no cover
        DBAPIError = ArgumentError = NoSuchModuleError = ()  # type: ignore[assignment]
    chain = list(_chain(exc))
    for e in chain:
        text = str(getattr(e, "orig", None) or e).lower()
        if isinstance(e, (ArgumentError, NoSuchModuleError)) or (
                isinstance(e, ValueError) and "database_url" in text):
            return "url"
        # errors raised by the database driver; SQLAlchemy's own (e.g. a table defined twice after a code
        # reload) are programming faults, not an unreadable store
        if isinstance(e, (sqlite3.Error, DBAPIError)):
            if "not a database" in text or "malformed" in text or "file is encrypted" in text:
                return "not_sqlite"
            if "no such table" in text or "no such column" in text or "no such function" in text or (
                    "does not exist" in text and any(w in text for w in ("relation", "column", "function"))):
                return "schema"  # SQLite's words, then PostgreSQL's
            if any(w in text for w in ("connection refused", "connection failed", "could not connect",
                                       "timeout expired", "password authentication failed", "resolve host",
                                       "translate host name")):
                return "url"  # a PostgreSQL server that cannot be reached with DATABASE_URL
            if "unable to open" in text or "readonly" in text or "disk i/o" in text:
                return "open"
            return "other"
    import pandas as pd

    if any(isinstance(e, pd.errors.DatabaseError) for e in chain):
        return "other"
    return None


def incident_code() -> str:
    return secrets.token_hex(3)


def report(exc: BaseException, where: str = "") -> str:
    """Log the exception with its traceback on the server; return the incident code shown to the user."""
    code = incident_code()
    log.error("incident %s%s: %s", code, f" in {where}" if where else "", type(exc).__name__,
              exc_info=(type(exc), exc, exc.__traceback__))
    return code


def user_message(exc: BaseException, code: str, lang: str = "vi") -> str:
    """One short sentence for the browser: the kind of failure and the incident code, no internals."""
    cause = database_cause(exc)
    if cause is not None:
        return t("err_db", lang).format(reason=t(f"err_db_{cause}", lang), code=code)
    return t("err_page", lang).format(code=code)
