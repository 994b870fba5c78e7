"""Accounts for the intake: editors upload, approvers publish and roll back; viewers need none.

Passwords are hashed with argon2id (argon2-cffi); no account and no password ships. Wrong passwords
slow down (a growing delay from the third failure) and lock the account for LOCK_MINUTES after
MAX_FAILURES in a row. `verify` is what the sign-in form calls; `require` guards every action.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import text
from sqlalchemy.engine import Engine

from .batches import engine_for, now
from .errors import PermissionDenied

ROLES = ("editor", "approver")
RANK = {"viewer": 0, "editor": 1, "approver": 2}  # an approver may also upload
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
DELAY_BASE_S = 0.5  # delay before answering the n-th consecutive failure (n ≥ 3): base × 2^(n-3), at most 4 s
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    username: str
    role: str


def _valid_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9_.@-]{2,64}", name))


def add_user(username: str, password: str, role: str, *, engine: Engine | None = None) -> User:
    """Create an account (or raise PermissionDenied with a clear message)."""
    if role not in ROLES:
        raise PermissionDenied(f"vai trò '{role}' không hợp lệ ({', '.join(ROLES)})",
                               f"role '{role}' is not valid ({', '.join(ROLES)})")
    if not _valid_name(username):
        raise PermissionDenied("tên tài khoản chỉ gồm chữ không dấu, số, _ . @ - (2–64 ký tự)",
                               "a user name has 2–64 ASCII letters, digits or _ . @ -")
    if len(password) < MIN_PASSWORD or password.strip() != password:
        raise PermissionDenied(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự, không có khoảng trắng ở đầu/cuối",
                               f"a password needs at least {MIN_PASSWORD} characters and no leading/trailing spaces")
    with engine_for(engine).begin() as con:
        if con.execute(text("SELECT 1 FROM app_user WHERE username = :u"), {"u": username}).first():
            raise PermissionDenied(f"tài khoản '{username}' đã có", f"account '{username}' already exists")
        con.execute(text("""INSERT INTO app_user (username, password_hash, role, failed_attempts, created_at, active)
                            VALUES (:u, :h, :r, 0, :t, TRUE)"""),
                    {"u": username, "h": _hasher.hash(password), "r": role, "t": now()})
    return User(username, role)


def set_password(username: str, password: str, *, engine: Engine | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise PermissionDenied(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự",
                               f"a password needs at least {MIN_PASSWORD} characters")
    with engine_for(engine).begin() as con:
        n = con.execute(text("""UPDATE app_user SET password_hash = :h, failed_attempts = 0, locked_until = NULL
                                WHERE username = :u"""), {"u": username, "h": _hasher.hash(password)}).rowcount
    if not n:
        raise PermissionDenied(f"không có tài khoản '{username}'", f"no account '{username}'")


def verify(username: str, password: str, *, engine: Engine | None = None, sleep=time.sleep) -> User:  # noqa: ANN001
    """Check a password; returns the User or raises PermissionDenied (same message for an unknown name and a
    wrong password). Counts failures, delays repeated ones and locks the account for a while."""
    eng = engine_for(engine)
    bad = PermissionDenied("sai tên tài khoản hoặc mật khẩu", "wrong user name or password")
    with eng.begin() as con:
        r = con.execute(text("""SELECT password_hash, role, failed_attempts, locked_until, active FROM app_user
                                WHERE username = :u"""), {"u": username}).mappings().first()
        if r is None or not r["active"]:
            _hasher.hash(password)  # same work as a real check: no timing hint that the name is unknown
            raise bad
        t = now()
        locked = r["locked_until"]
        if isinstance(locked, str):
            locked = datetime.fromisoformat(locked)
        if locked is not None and locked.tzinfo is None:
            locked = locked.replace(tzinfo=timezone.utc)
        if locked is not None and locked > t:
            mins = max(1, int((locked - t).total_seconds() // 60) + 1)
            raise PermissionDenied(f"tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau {mins} phút",
                                   f"account locked after repeated wrong passwords; try again in {mins} min")
        try:
            _hasher.verify(r["password_hash"], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            n = int(r["failed_attempts"] or 0) + 1
            lock = t + timedelta(minutes=LOCK_MINUTES) if n >= MAX_FAILURES else None
            con.execute(text("UPDATE app_user SET failed_attempts = :n, locked_until = :l WHERE username = :u"),
                        {"n": 0 if lock else n, "l": lock, "u": username})
            failure = n
        else:
            con.execute(text("""UPDATE app_user SET failed_attempts = 0, locked_until = NULL, last_login_at = :t
                                WHERE username = :u"""), {"t": t, "u": username})
            if _hasher.check_needs_rehash(r["password_hash"]):
                con.execute(text("UPDATE app_user SET password_hash = :h WHERE username = :u"),
                            {"h": _hasher.hash(password), "u": username})
            return User(username, r["role"])
    if failure >= 3:
        sleep(min(DELAY_BASE_S * 2 ** (failure - 3), 4.0))
    if failure >= MAX_FAILURES:
        raise PermissionDenied(f"sai mật khẩu {MAX_FAILURES} lần: tài khoản bị khóa {LOCK_MINUTES} phút",
                               f"{MAX_FAILURES} wrong passwords: the account is locked for {LOCK_MINUTES} minutes")
    raise bad


def require(user: User | None, role: str) -> User:
    """Guard an action: raises PermissionDenied unless `user` holds `role` (approver also covers editor)."""
    if user is None:
        raise PermissionDenied("cần đăng nhập", "sign-in required")
    if RANK.get(user.role, 0) < RANK[role]:
        raise PermissionDenied(f"cần vai trò {role}", f"the {role} role is required")
    return user


def users(*, engine: Engine | None = None) -> list[dict]:
    with engine_for(engine).connect() as con:
        return [dict(r) for r in con.execute(text(
            "SELECT username, role, active, created_at, last_login_at, locked_until FROM app_user ORDER BY username"
        )).mappings()]
