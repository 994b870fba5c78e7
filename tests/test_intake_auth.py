"""Accounts: argon2 hashes, no default password, roles, repeated failures slow down and lock."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.db import write_engine
from dashboard.intake import auth
from dashboard.intake.errors import PermissionDenied
from test_intake_support import PASSWORD, copy_db, users_db, use_db  # noqa: F401


@pytest.fixture()
def eng(users_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return write_engine(use_db(copy_db(users_db, tmp_path / "a.db"), monkeypatch))


def test_hash_is_argon2_and_verify_returns_the_role(eng):
    with eng.connect() as con:
        h = con.execute(text("SELECT password_hash FROM app_user WHERE username = 'ed'")).scalar()
    assert h.startswith("$argon2id$") and PASSWORD["ed"] not in h
    assert auth.verify("ed", PASSWORD["ed"]) == auth.User("ed", "editor")
    assert auth.verify("ap", PASSWORD["ap"]).role == "approver"


def test_no_default_accounts_in_a_fresh_store(db_path: Path):
    with write_engine(db_path).connect() as con:
        assert con.execute(text("SELECT COUNT(*) FROM app_user")).scalar() == 0


def test_wrong_passwords_slow_down_then_lock(eng):
    waits: list[float] = []
    for i in range(auth.MAX_FAILURES - 1):
        with pytest.raises(PermissionDenied) as e:
            auth.verify("ed", "wrong-password!", sleep=waits.append)
        assert e.value.message("en") == "wrong user name or password"
    assert waits == [auth.DELAY_BASE_S, auth.DELAY_BASE_S * 2]  # from the third failure on, growing
    with pytest.raises(PermissionDenied) as e:
        auth.verify("ed", "wrong-password!", sleep=waits.append)
    assert "locked" in e.value.message("en")
    with pytest.raises(PermissionDenied) as e:  # even the right password waits for the lock to end
        auth.verify("ed", PASSWORD["ed"], sleep=waits.append)
    assert "try again in" in e.value.message("en")
    with eng.begin() as con:
        con.execute(text("UPDATE app_user SET locked_until = '2000-01-01 00:00:00+00:00' WHERE username = 'ed'"))
    assert auth.verify("ed", PASSWORD["ed"]).role == "editor"


def test_unknown_user_gets_the_same_answer(eng):
    with pytest.raises(PermissionDenied) as e:
        auth.verify("ghost", "whatever-password", sleep=lambda s: None)
    assert e.value.message("vi") == "sai tên tài khoản hoặc mật khẩu"


def test_add_user_rules(eng):
    with pytest.raises(PermissionDenied):
        auth.add_user("lan", "short", "editor")
    with pytest.raises(PermissionDenied):
        auth.add_user("lan", "a-long-password", "admin")
    with pytest.raises(PermissionDenied):
        auth.add_user("ed", "a-long-password", "editor")  # exists
    with pytest.raises(PermissionDenied):
        auth.add_user("Lê Lan", "a-long-password", "editor")
    assert auth.add_user("lan", "a-long-password", "editor").role == "editor"
    auth.set_password("lan", "another-long-pass")
    assert auth.verify("lan", "another-long-pass").username == "lan"


def test_require_roles():
    ed, ap = auth.User("ed", "editor"), auth.User("ap", "approver")
    assert auth.require(ed, "editor") is ed and auth.require(ap, "editor") is ap and auth.require(ap, "approver") is ap
    with pytest.raises(PermissionDenied):
        auth.require(ed, "approver")
    with pytest.raises(PermissionDenied):
        auth.require(None, "editor")
