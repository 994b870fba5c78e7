"""Sign-in for the intake (sidebar), the signed-in account in the session, and role checks for pages.

Viewers never sign in. The session keeps only the user name and role of a successful `auth.verify`;
every intake action re-checks the role here (`allowed`) and again in the store (dashboard.intake).
"""
from __future__ import annotations

import streamlit as st

from ..i18n import t
from ..markup import md
from . import strings  # noqa: F401

SESSION_KEY = "intake_user"
# The intake core (dashboard.intake.auth → the store models) is imported only once someone signs in: a
# viewer's runs never load it.


def current_user():  # noqa: ANN201 - dashboard.intake.auth.User | None
    u = st.session_state.get(SESSION_KEY)
    if u is None:
        return None
    from ..intake import auth  # noqa: PLC0415

    return u if isinstance(u, auth.User) else None


def role_name(role: str, lang: str) -> str:
    return t(f"ik_role_{role}", lang)


def allowed(role: str) -> bool:
    """The signed-in account holds `role` (an approver also holds editor)."""
    user = current_user()
    if user is None:
        return False
    from ..intake import auth  # noqa: PLC0415
    from ..intake.errors import PermissionDenied  # noqa: PLC0415

    try:
        auth.require(user, role)
    except PermissionDenied:
        return False
    return True


def require_page(role: str, lang: str):  # noqa: ANN201 - dashboard.intake.auth.User
    """At the top of an intake page: the signed-in account, or a clear refusal and the end of the page (also when
    the page is reached by its address without being in the navigation). Nothing of the page after this call runs
    for a refused viewer; the page ends with end_page(), not st.stop(), so app.py still draws the footer, the pack
    panel and the meeting controls."""
    if not allowed(role):
        names = role_name("editor", lang) + (" / " + role_name("approver", lang) if role == "editor" else "")
        from ..uikit.meeting import meeting  # noqa: PLC0415

        # meeting mode hides warnings (notes) from the projector: there the refusal is the slide's message
        box = st.info if meeting() else st.warning
        box(t("ik_need_role", lang).format(role=names if role == "editor" else role_name(role, lang)),
            icon=":material/lock:")
        _end_refused_page()
    return current_user()


def _end_refused_page() -> None:
    """Under app.py (its page boundary catches end_page): end the page, the footer and panels follow. A page
    script run on its own has no boundary around it: st.stop(). Either way nothing after the refusal runs."""
    from pathlib import Path  # noqa: PLC0415

    from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: PLC0415

    from .. import ROOT  # noqa: PLC0415
    from ..uikit.boundary import end_page  # noqa: PLC0415

    ctx = get_script_run_ctx()
    if ctx is not None and Path(ctx.main_script_path).resolve() == (ROOT / "app.py").resolve():
        end_page()
    st.stop()


def refuse_action(role: str, lang: str) -> bool:
    """Before an action: True (and a message) when the signed-in account may not do it."""
    if allowed(role):
        return False
    st.error(t("ik_need_role_action", lang).format(role=role_name(role, lang)), icon=":material/lock:")
    return True


def _sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    for k in [k for k in st.session_state if str(k).startswith("ik_")]:
        st.session_state.pop(k, None)  # the page's pending actions and results go with the account


def sidebar_account(lang: str):  # noqa: ANN201 - dashboard.intake.auth.User | None
    """The sign-in / sign-out box at the bottom of the sidebar; returns the signed-in account."""
    with st.sidebar:
        st.subheader(t("ik_account", lang))
        user = current_user()
        if user is not None:
            st.markdown(t("ik_signed_in", lang).format(user=md(user.username), role=role_name(user.role, lang)))
            st.button(t("ik_sign_out", lang), key="signout", on_click=_sign_out, icon=":material/logout:")
            return user
        # the form is drawn once the box is opened: most visitors only read, and every page loads the sidebar
        box = st.expander(t("ik_signin_box", lang), key="signin_box", on_change="rerun", icon=":material/login:")
        if not box.open:
            return None
        with box:
            st.caption(t("ik_account_help", lang))
            with st.form("signin", clear_on_submit=True, border=False):
                name = st.text_input(t("ik_username", lang), key="signin_user", autocomplete="username")
                password = st.text_input(t("ik_password", lang), type="password", key="signin_password",
                                         autocomplete="current-password")
                submitted = st.form_submit_button(t("ik_sign_in", lang), icon=":material/login:")
            if submitted:
                return _sign_in(name.strip(), password, lang)
        return None


def _sign_in(name: str, password: str, lang: str):  # noqa: ANN202
    from ..intake import auth  # noqa: PLC0415
    from ..intake.errors import IntakeError, PermissionDenied  # noqa: PLC0415

    if not name or not password:
        st.warning(t("ik_signin_empty", lang))
        return None
    try:
        with st.spinner(t("ik_checking", lang)):
            user = auth.verify(name, password)
    except PermissionDenied as exc:
        st.error(t("ik_signin_failed", lang).format(msg=md(exc.message(lang))), icon=":material/lock:")
        st.caption(t("ik_slow_note", lang))
        return None
    except IntakeError as exc:  # e.g. no usable store: its one clear sentence, never a path
        st.error(md(exc.message(lang)), icon=":material/error:")
        return None
    st.session_state[SESSION_KEY] = user
    st.rerun()  # redraw with the account: the intake pages join the navigation
    return user
