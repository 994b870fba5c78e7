"""A broken, empty or foreign store, or a bad DATABASE_URL: one clear message in the page, no traceback, no
server path, no password; the details go to the server log with an incident code."""
from __future__ import annotations

import logging
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import errors

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SECRET = "s3cr3t-pa55"


def _texts(at: AppTest) -> str:
    """Every element the page sends to the browser, as its protobuf text (values, labels, options, help)."""
    return "\n".join(str(node.proto) for node in at._tree if getattr(node, "proto", None) is not None)


def _run_with(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at


def _empty(tmp_path: Path) -> Path:
    p = tmp_path / "empty.db"
    p.write_bytes(b"")
    return p


def _text_file(tmp_path: Path) -> Path:
    p = tmp_path / "notes.db"
    p.write_text("Đây là một tệp văn bản, không phải cơ sở dữ liệu.\n" * 50, encoding="utf-8")
    return p


def _foreign(tmp_path: Path) -> Path:
    p = tmp_path / "other_app.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, password TEXT)")
    con.execute("INSERT INTO customers VALUES (1, 'x', ?)", (SECRET,))
    con.commit()
    con.close()
    return p


def _old_schema(tmp_path: Path) -> Path:
    """A store whose admin_unit table lacks the columns the app reads (an older or hand-made file)."""
    p = tmp_path / "old.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE admin_unit (code TEXT PRIMARY KEY)")
    con.commit()
    con.close()
    return p


@pytest.mark.parametrize("make, cause", [(_empty, "schema"), (_text_file, "not_sqlite"), (_foreign, "schema"),
                                         (_old_schema, "schema")])
def test_unreadable_store_shows_one_clear_message(tmp_path, monkeypatch, make, cause, caplog):
    path = make(tmp_path)
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        at = _run_with(f"sqlite:///{path}", monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    msg = at.error[0].value
    assert msg.startswith("Không đọc được cơ sở dữ liệu: " + errors.t(f"err_db_{cause}", "vi")), msg
    assert "python -m dashboard build-db" in msg
    code = re.search(r"mã sự cố ([0-9a-f]{6})", msg).group(1)
    shown = _texts(at)
    for leak in (str(tmp_path), path.name, "/work", "/tmp", "Traceback", "sqlite3.", "OperationalError",
                 "SELECT", SECRET, ".py"):
        assert leak not in shown, leak
    # the server log has the details and the same incident code
    logged = [r for r in caplog.records if r.name == "dashboard" and code in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_bad_database_url_never_shows_the_password(monkeypatch):
    at = _run_with(f"postgresql://admin:{SECRET}@db.internal.example:5432/sogd", monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    shown = _texts(at)
    assert SECRET not in shown and "db.internal.example" not in shown and "postgresql" not in shown
    assert len(at.error) == 1
    assert errors.t("err_db_url", "vi") in at.error[0].value


def test_missing_store_says_so(tmp_path, monkeypatch):
    at = _run_with(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}", monkeypatch)
    assert not at.exception
    assert [e.value for e in at.error] == [errors.t("db_missing", "vi")]
    assert str(tmp_path) not in _texts(at)
    assert not (tmp_path / "nowhere").exists()  # reading never creates a file or folder


def test_english_message(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{_text_file(tmp_path)}")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "English"
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("The database cannot be read: the file is not an SQLite database.")


def test_a_failing_page_shows_an_incident_code_not_the_exception(tmp_path, monkeypatch, caplog):
    """A page that raises (here: a store whose budget table is gone) stops with the short message."""
    import os
    import shutil

    src = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
    db = tmp_path / "store.db"
    shutil.copy(src, db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DROP VIEW IF EXISTS budget_check")
    con.execute("ALTER TABLE budget_item RENAME TO budget_item_gone")
    con.commit()
    con.close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    with caplog.at_level(logging.ERROR, logger="dashboard"):
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception and not at.error  # the overview page does not read the budget
        at.switch_page("pages/budget.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    msg = at.error[0].value
    assert errors.t("err_db_schema", "vi") in msg
    shown = _texts(at)
    assert "budget_item" not in shown and str(tmp_path) not in shown and "Traceback" not in shown
    assert any("budget" in (r.getMessage() + str(r.exc_info)) for r in caplog.records if r.name == "dashboard")


def test_generic_failure_message_names_no_internals():
    try:
        raise KeyError("/srv/app/secret/path.py")
    except KeyError as exc:
        code = errors.report(exc, "test")
        msg = errors.user_message(exc, code, "vi")
    assert code in msg and "/srv" not in msg and "KeyError" not in msg
    assert msg == errors.t("err_page", "vi").format(code=code)


def test_config_hides_error_details_from_the_browser():
    from streamlit import config

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = cfg["client"]["showErrorDetails"]
    assert value == "none"
    assert value in {o.value for o in config.ShowErrorDetailsConfigOptions}
    assert config.get_option("client.showErrorDetails") == "none"  # the file is read when tests run from ROOT


def test_only_driver_errors_are_blamed_on_the_database():
    """A programming fault inside SQLAlchemy (a table defined twice after a code reload) is a page error, not
    "the database cannot be read"; a driver error is."""
    import sqlite3

    from sqlalchemy.exc import InvalidRequestError, OperationalError

    from dashboard import errors

    assert errors.database_cause(InvalidRequestError("Table 'source' is already defined")) is None
    assert errors.database_cause(OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such table: x"))) == "schema"
    assert errors.database_cause(sqlite3.DatabaseError("file is not a database")) == "not_sqlite"
