"""The page boundary: no traceback, path or secret reaches the browser; pages end early with end_page()."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from .filters import lang


def _fail(exc: BaseException, where: str) -> None:
    """Log `exc` on the server; show one short message (the kind of failure and an incident code); stop."""
    from .. import errors  # noqa: PLC0415

    code = errors.report(exc, where)
    try:
        lg = lang()
    except Exception:  # noqa: BLE001 - the message must come out whatever broke
        lg = "vi"
    st.error(errors.user_message(exc, code, lg), icon=":material/error:")
    st.stop()


class PageEnd(BaseException):
    """Raised by `end_page`: the page is done early. Not an Exception, so `guarded` lets it through."""


def end_page() -> None:
    """End the page here (an empty state) without stopping the run: unlike st.stop(), app.py still draws the
    meeting controls, the pack panel and the footer after it."""
    raise PageEnd


def guarded(fn: Callable, *args: object, **kwargs: object):
    """`fn(*args, **kwargs)`, or — on an unexpected exception — the clear message and a stopped script.
    Streamlit's own st.stop / st.rerun / page switches pass through (they are not Exceptions)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the boundary: everything unexpected ends here
        _fail(exc, getattr(fn, "__qualname__", str(fn)))


def run_page(page) -> None:
    """app.py runs the chosen page through this: a failing page shows the message, never a traceback; a page
    that ends early (`end_page`) or fails still leaves the meeting controls, pack panel and footer to app.py."""
    from .. import errors  # noqa: PLC0415

    try:
        page.run()
    except PageEnd:
        return
    except Exception as exc:  # noqa: BLE001 - the boundary: one sentence, the rest of app.py still runs
        code = errors.report(exc, "page")
        st.error(errors.user_message(exc, code, lang()), icon=":material/error:")
