"""The intake page's steps: kind and templates, upload, the check (errors and warnings), staging, preview."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import DATA_DIR
from ..i18n import t
from ..markup import md
from ..intake import batches
from ..intake.audit import KIND_NAMES
from ..intake.errors import IntakeError
from ..intake.spec import KINDS
from ..intake.template import template_bytes
from . import account, strings  # noqa: F401
from .preview_view import show_preview

EXAMPLES = DATA_DIR / "examples"
FILE_TYPES = ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv"]
SHOWN_PROBLEMS = 2000
FIRST_LINES = 5  # the first errors also as text above the full table
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def choose_kind(lg: str) -> str:
    kind = st.segmented_control(t("ik_kind", lg), list(KINDS), default="school_year", key="ik_kind_choice",
                                format_func=lambda k: KIND_NAMES[k][lg], required=True) or "school_year"
    st.caption(t(f"ik_kind_help_{kind}", lg))
    return kind


def demo_files(kind: str) -> list[Path]:
    """The demonstration workbook(s) of a kind in data/examples (and the report's document)."""
    if not EXAMPLES.is_dir():
        return []
    files = sorted(EXAMPLES.glob(f"demo_*_{kind}.xlsx"))
    if kind == "report":
        files += sorted(EXAMPLES.glob("demo_*_report.txt"))
    return files


def downloads(kind: str, lg: str) -> None:
    """The empty template (made on click) and the demo workbook(s)."""
    cols = st.columns([1.2, 1.2, 1.7, 2.5])
    cols[0].download_button(t("ik_template", lg), lambda: template_bytes(kind), f"mau_{kind}.xlsx", XLSX_MIME,
                            key=f"ik_tpl_{kind}", on_click="ignore", icon=":material/table_view:")
    files = demo_files(kind)
    for i, p in enumerate(files[:2]):
        label = t("ik_demo_doc" if p.suffix == ".txt" else "ik_demo", lg)
        mime = "text/plain" if p.suffix == ".txt" else XLSX_MIME
        cols[1 + i].download_button(label, p.read_bytes(), p.name, mime, key=f"ik_demo_{kind}_{i}",
                                    on_click="ignore")
    cols[3].caption(t("ik_demo_note" if files else "ik_demo_missing", lg))


def _uploader_css(lg: str) -> None:
    """Streamlit's file uploader writes its button and hint in English only; say them in the user's language."""
    if lg == "en":
        return
    button, hint = (t(k, lg).replace("'", "’") for k in ("ik_browse", "ik_drop_hint"))
    st.html(f"""<style>
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p {{font-size: 0;}}
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p::after {{
  content: '{button}'; font-size: 0.875rem;}}
[data-testid='stFileUploaderDropzoneInstructions'] span {{font-size: 0;}}
[data-testid='stFileUploaderDropzoneInstructions'] span::after {{content: '{hint}'; font-size: 0.875rem;}}
</style>""")


def uploads(kind: str, lg: str) -> tuple[object, object]:
    """The data file and, for a report, its document."""
    _uploader_css(lg)
    data = st.file_uploader(t("ik_upload", lg), type=FILE_TYPES, key=f"ik_file_{kind}")
    doc = None
    if kind == "report":
        doc = st.file_uploader(t("ik_upload_doc", lg), type=["txt"], key="ik_doc_report")
    return data, doc


def _sha(b: bytes | None) -> str:
    return hashlib.sha256(b).hexdigest() if b is not None else ""


def checked(kind: str, data: bytes, name: str, doc: bytes | None, doc_name: str | None, lg: str = "vi"
            ) -> batches.CheckResult:
    """Read and validate the file (writes nothing); kept for the session while the same file is chosen."""
    key = (kind, name, _sha(data), _sha(doc))
    held = st.session_state.get("ik_check")
    if held and held[0] == key:
        return held[1]
    with st.spinner(t("ik_checking_file", lg)):
        res = batches.check(data, name, kind, document=doc, document_name=doc_name)
    st.session_state["ik_check"] = (key, res)
    return res


def problem_table(res: batches.CheckResult, severity: str, lg: str) -> pd.DataFrame:
    df = res.problem_table(lg)
    df = df[df["severity"] == severity].head(SHOWN_PROBLEMS)
    return pd.DataFrame({
        t("ik_col_file", lg): df["file"], t("ik_col_sheet", lg): df["sheet"],
        t("ik_col_row", lg): [int(r) if pd.notna(r) else None for r in df["row"]],
        t("ik_col_field", lg): df["field"], t("ik_col_message", lg): df["message"],
    })


def _widths(lg: str) -> dict:
    """The message gets the room; the file and sheet names are the same on every line."""
    return {t("ik_col_file", lg): st.column_config.TextColumn(width="small"),
            t("ik_col_sheet", lg): st.column_config.TextColumn(width="small"),
            t("ik_col_row", lg): st.column_config.NumberColumn(width="small", format="%d"),
            t("ik_col_message", lg): st.column_config.TextColumn(width="large")}


def show_problems(res: batches.CheckResult, lg: str) -> bool:
    """The error and warning lists; returns whether the file may be staged (no error, warnings acknowledged)."""
    st.markdown(t("ik_checked", lg).format(file=md(res.file_name), rows=len(res.rows), errors=len(res.errors),
                                           warnings=len(res.warnings)))
    if res.errors:
        first = "\n".join(f"- {md(p.text(lg))}" for p in res.errors[:FIRST_LINES])
        st.error(f"{t('ik_errors', lg)}\n\n{first}", icon=":material/block:")
        st.dataframe(problem_table(res, "error", lg), hide_index=True, key="ik_errors_table",
                     column_config=_widths(lg))
    if res.warnings:
        st.warning(t("ik_warnings", lg), icon=":material/warning:")
        st.dataframe(problem_table(res, "warning", lg), hide_index=True, key="ik_warnings_table",
                     column_config=_widths(lg))
    if not res.problems:
        st.success(t("ik_no_problems", lg), icon=":material/check_circle:")
    if res.errors:
        return False
    if res.warnings:
        return st.checkbox(t("ik_ack", lg).format(n=len(res.warnings)), key=f"ik_ack_{res.sha256}")
    return True


def stage_button(res: batches.CheckResult, kind: str, data: bytes, doc: bytes | None, doc_name: str | None,
                 ready: bool, lg: str) -> None:
    """Stage the checked file as a batch (once per file), then show its preview."""
    done = st.session_state.setdefault("ik_staged", {})
    key = f"{kind}:{res.sha256}:{_sha(doc)}"
    if key not in done:
        if not st.button(t("ik_stage", lg), type="primary", disabled=not ready, key="ik_stage_button",
                         icon=":material/inventory_2:"):
            return
        if account.refuse_action("editor", lg):  # the role again, right before the action
            return
        user = account.current_user()
        try:
            with st.spinner(t("ik_staging", lg)):
                done[key] = batches.stage(data, res.file_name, kind, user=user.username,
                                          ack_warnings=bool(res.warnings), document=doc, document_name=doc_name,
                                          result=res)
        except IntakeError as exc:
            st.error(t("ik_refused", lg) + ": " + "\n\n".join(md(x) for x in exc.lines(lg, limit=20)),
                     icon=":material/block:")
            return
    bid = done[key]
    st.success(t("ik_staged", lg).format(id=bid), icon=":material/inventory_2:")
    show_preview(bid, lg, key=f"ik_pv_{bid}")
