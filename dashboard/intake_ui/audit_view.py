"""The intake log (Nhật ký nhập liệu): batches with their effect, one batch's files and preview, and the
approver's actions (publish, reject, roll back), each asked for confirmation and re-checked for the role."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..i18n import fmt_number, t
from ..intake import audit, batches
from ..intake.errors import IntakeError
from ..markup import md
from . import account, strings  # noqa: F401
from .preview_view import school_year_text, show_preview

PENDING = "ik_pending"
FLASH = "ik_flash"


def when(ts: object) -> str:
    """'2026-11-23 10:46:33+00:00' → '23/11/2026 10:46 UTC'."""
    if ts is None or (isinstance(ts, float) and pd.isna(ts)) or ts is pd.NaT:
        return ""
    s = str(ts)
    if len(s) < 16 or s[4] != "-":
        return s
    return f"{s[8:10]}/{s[5:7]}/{s[:4]} {s[11:16]} UTC"


def _who(name: object, ts: object) -> str:
    if not isinstance(name, str) or not name:
        return ""
    return f"{name} · {when(ts)}"


def batch_table(df: pd.DataFrame, lg: str) -> pd.DataFrame:
    closed = [_who(r.rolled_back_by, r.rolled_back_at) or _who(r.rejected_by, r.rejected_at)
              for r in df.itertuples()]
    years = [", ".join(school_year_text(y) for y in str(s).split(";") if y) for s in df["school_years"]]
    return pd.DataFrame({
        t("ik_batch", lg): df["id"], t("ik_kind", lg): df["kind_name"], t("ik_status", lg): df["status_name"],
        t("ik_col_file", lg): df["file_name"], "SHA-256": [str(s)[:12] + "…" for s in df["sha256"]],
        t("ik_province", lg): df["province_name"].fillna(df["province_code"]), t("ik_years", lg): years,
        t("ik_uploaded", lg): [_who(r.uploaded_by, r.uploaded_at) for r in df.itertuples()],
        t("ik_approved", lg): [_who(r.approved_by, r.approved_at) for r in df.itertuples()],
        t("ik_closed", lg): closed,
        t("ik_rows", lg): [fmt_number(n, lang=lg) for n in df["n_rows"]],
        t("ik_effect", lg): [f"{fmt_number(a, lang=lg)} / {fmt_number(b, lang=lg)} / {fmt_number(c, lang=lg)}"
                             for a, b, c in zip(df["n_new"], df["n_changed"], df["n_unchanged"])],
        t("ik_live", lg): [fmt_number(n, lang=lg) for n in df["rows_live"]],
    })


def flash(lg: str) -> None:
    """The result of the last action (kept across the rerun that follows it)."""
    msg = st.session_state.pop(FLASH, None)
    if msg:
        kind, text = msg
        (st.success if kind == "ok" else st.error)(text)


def choose_batch(df: pd.DataFrame, lg: str) -> dict:
    # no status in the label: a keyed selectbox keeps showing the label it had when the status changes
    labels = {int(r.id): f"{t('ik_batch', lg)} {r.id} — {r.kind_name} — {r.file_name}" for r in df.itertuples()}
    staged = [i for i, s in zip(df["id"], df["status"]) if s == "staged"]
    ids = list(labels)
    default = ids.index(int(staged[0])) if staged else 0
    bid = st.selectbox(t("ik_choose_batch", lg), ids, index=default, format_func=lambda i: labels[i],
                       key="ik_batch_choice")
    return df[df["id"] == bid].iloc[0].to_dict()


def details(b: dict, lg: str) -> None:
    """Status, files of the batch (with a download of the original), the warnings acknowledged at upload."""
    st.markdown(f"**{t('ik_status', lg)}:** {md(b['status_name'])}")
    files = audit.batch_files(int(b["id"]))
    st.markdown(f"**{t('ik_files', lg)}**")
    st.dataframe(pd.DataFrame({
        t("ik_col_file", lg): files["name"], "SHA-256": files["sha256"],
        t("ik_size", lg): [fmt_number(n, lang=lg) for n in files["size"]]}), hide_index=True, key="ik_files_table")
    got = audit.batch_file_bytes(int(b["id"]))
    if got:
        st.download_button(t("ik_download_file", lg), got[1], got[0], key="ik_download_original", on_click="ignore")
    if int(b.get("n_warnings") or 0):
        st.caption(f"{t('ik_ack_warnings', lg)}: {int(b['n_warnings'])}")


def _ask(action: str, bid: int) -> None:
    st.session_state[PENDING] = (action, bid)


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def actions(b: dict, lg: str) -> None:
    """Publish / reject a staged batch, roll back a published one (approver), each after a confirmation."""
    bid, status = int(b["id"]), b["status"]
    if status not in ("staged", "published"):
        return
    if not account.allowed("approver"):
        st.info(t("ik_approver_only", lg), icon=":material/lock:")
        return
    user = account.current_user()
    own = status == "staged" and b["uploaded_by"] == user.username
    cols = st.columns([1, 1, 3])
    if status == "staged":
        if own:
            st.info(t("ik_own_batch", lg), icon=":material/group:")
        cols[0].button(t("ik_publish", lg).format(id=bid), type="primary", disabled=own, on_click=_ask,
                       args=("publish", bid), key="ik_ask_publish", icon=":material/publish:")
        cols[1].button(t("ik_reject", lg).format(id=bid), on_click=_ask, args=("reject", bid), key="ik_ask_reject",
                       icon=":material/block:")
    else:
        cols[0].button(t("ik_rollback", lg).format(id=bid), on_click=_ask, args=("rollback", bid),
                       key="ik_ask_rollback", icon=":material/undo:")
    pending = st.session_state.get(PENDING)
    if not pending or pending[1] != bid:
        return
    action = pending[0]
    with st.container(border=True):
        st.warning(t(f"ik_confirm_{action}", lg).format(id=bid), icon=":material/help:")
        note = st.text_input(t("ik_reject_note", lg), key="ik_reject_reason") if action == "reject" else ""
        c = st.columns([1, 1, 4])
        go = c[0].button(t("ik_confirm", lg), type="primary", key="ik_confirm_button")
        c[1].button(t("ik_cancel", lg), on_click=_cancel, key="ik_cancel_button")
    if go:
        run(action, bid, note, lg)


def run(action: str, bid: int, note: str, lg: str) -> None:
    """Do the confirmed action; the role is checked here again (and by the intake core in the store)."""
    st.session_state.pop(PENDING, None)
    if account.refuse_action("approver", lg):
        return
    name = account.current_user().username
    try:
        if action == "publish":
            c = batches.publish(bid, approver=name)
            text = t("ik_done_publish", lg).format(id=bid, **c)
        elif action == "reject":
            batches.reject(bid, approver=name, note=note)
            text = t("ik_done_reject", lg).format(id=bid)
        else:
            batches.rollback(bid, user=name)
            text = t("ik_done_rollback", lg).format(id=bid)
    except IntakeError as exc:
        st.session_state[FLASH] = ("error", f"{t('ik_refused', lg)}: {md(exc.message(lg))}")
    else:
        st.session_state[FLASH] = ("ok", text)
        st.session_state.get("ik_previews", {}).clear()
    st.rerun()


def staged_preview(b: dict, lg: str) -> None:
    if b["status"] == "staged":
        show_preview(int(b["id"]), lg, key=f"ik_audit_pv_{int(b['id'])}")
