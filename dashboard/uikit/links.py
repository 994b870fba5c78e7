"""Choices kept in the page address by their codes, whatever the language (shareable links that hold).

Streamlit's `bind="query-params"` writes the option's *label* (the `format_func` text) into the URL, so a link
made in one language names its filters in that language and loses them in the other (`level=Tiểu+học` is no
option of the English widget). `choice` keeps the code instead:

1. before the widget exists, the URL value seeds its state: a code, or — old links — a label in either language
   (matched without regard to case), so `?level=Tiểu+học`, `?level=Primary` and `?level=TH` open the same view;
2. the widget shows labels through `format_func`;
3. after it, the URL is rewritten to the code(s); a value equal to the default leaves the URL (clean links),
   unless `keep=True` (the province: a link names it even when it is the default, so a later default cannot
   change what an old link shows).

The URL seeds a widget on its first run in a session (a link opened fresh) and on the browser's back/forward;
otherwise the widget's own state wins. Choices made inside a page are page-scoped: their parameters leave the
address when another page is opened (`forget_other_pages`), so a link never carries another page's choice.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

import streamlit as st

LANGS = ("vi", "en")
_PAGE_KEYS = "_url_page_keys"  # session: {param: page} of the page-scoped choices drawn so far

Labels = Mapping[str, str] | Callable[[str, str], str] | None


def _label(labels: Labels, code: str, lg: str) -> str:
    if labels is None:
        return str(code)
    if callable(labels):
        return str(labels(code, lg))
    return str(labels.get(code, code))


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def codes_from_url(values: Iterable[str], options: list, labels: Labels = None) -> list:
    """The options named by URL values: a code as it is, or a label of either language (old links).
    Unknown values are dropped; order kept, no duplicates."""
    alias: dict[str, object] = {}
    for o in options:
        alias.setdefault(_norm(o), o)
    for lg in LANGS:
        for o in options:
            alias.setdefault(_norm(_label(labels, o, lg)), o)
    out: list = []
    for v in values:
        o = alias.get(_norm(v))
        if o is not None and o not in out:
            out.append(o)
    return out


def _history_navigation() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: PLC0415

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def url_value(key: str, options: list, labels: Labels = None, *, multi: bool = False):
    """What the address asks for `key` (codes), or None when it names no valid option."""
    found = codes_from_url(st.query_params.get_all(key), options, labels)
    if not found:
        return None
    return found if multi else found[0]


def publish(key: str, value, default=None, *, keep: bool = False) -> None:
    """Write the chosen code(s) into the address; drop the parameter for the default (unless `keep`)."""
    empty = value is None or (isinstance(value, (list, tuple)) and not value)
    if empty or (value == default and not keep):
        if key in st.query_params:
            del st.query_params[key]
        return
    want = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    if st.query_params.get_all(key) != want:
        st.query_params[key] = want if len(want) > 1 or isinstance(value, (list, tuple)) else want[0]


def choice(widget: Callable, label: str, options: Iterable, *, key: str, labels: Labels = None,
           lang: str = "vi", default=None, keep: bool = False, page: str | None = "", param: str | None = None,
           allow_empty: bool = False, **kwargs):
    """`widget` (st.selectbox, st.radio, st.multiselect, st.segmented_control, st.pills) over codes, kept in the
    URL by code under `key`. `labels`: {code: label} of the current language, or a function (code, lang) →
    label (then labels of both languages open old links). `default`: the code (list of codes for a
    multiselect) chosen when the URL names none. `page`: '' for an in-page choice (scoped to the current page),
    None for a sidebar filter (kept on every page). `param`: the URL name when the widget's key changes with
    the context (default: the key). `allow_empty`: a selectbox that starts with nothing chosen."""
    param = param or key
    options = list(options)
    name = getattr(widget, "__name__", "")
    multi = name == "multiselect" or kwargs.get("selection_mode") == "multi"
    if multi:
        default = [d for d in (default or []) if d in options]
    elif default not in options:
        default = options[0] if options and name in ("selectbox", "radio") and not allow_empty else None

    seen = st.session_state.get(_PAGE_KEYS) or {}
    # the URL seeds a widget drawn for the first time in this session (a link opened fresh; a page choice whose
    # key changes with the context starts from its default, not from the URL), and on back/forward
    seeded = False  # the state was set here (through the Session State API): the widget must get no index
    if (key not in st.session_state and param not in seen) or _history_navigation():
        found = url_value(param, options, labels, multi=multi)
        if found is not None:
            st.session_state[key], seeded = found, True
        elif key in st.session_state:  # back/forward to an address without the parameter: the default
            st.session_state[key], seeded = default, True
    if key in st.session_state:  # a state left from other options (another province's districts)
        cur = st.session_state[key]
        if multi:
            st.session_state[key] = [c for c in (cur or []) if c in options]
        elif cur is not None and cur not in options:
            del st.session_state[key]

    if key not in st.session_state:  # the default goes to the widget only when no state was set
        if name in ("selectbox", "radio"):
            kwargs["index"] = options.index(default) if default in options else (None if allow_empty else 0)
        else:
            kwargs["default"] = default
    elif name in ("selectbox", "radio") and not seeded and st.session_state[key] in options:
        # the state's own value as the widget's start too: a rerun requested by the script (st.rerun after a
        # publish) may register the widget afresh, which would otherwise start at the first option
        kwargs["index"] = options.index(st.session_state[key])
    value = widget(label, options, key=key, format_func=lambda c: _label(labels, c, lang), **kwargs)
    publish(param, value, default, keep=keep)
    if page is not None:
        st.session_state.setdefault(_PAGE_KEYS, {})[param] = st.session_state.get("_deck_page", "")
    return value


def forget_other_pages(page_key: str) -> None:
    """On opening another page: the previous pages' in-page choices leave the address."""
    seen = st.session_state.get(_PAGE_KEYS) or {}
    for param, where in list(seen.items()):
        if where != page_key:
            if param in st.query_params:
                del st.query_params[param]
            del seen[param]
