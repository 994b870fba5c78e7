"""A page's parts one at a time (details on demand): a row of buttons over the parts, kept in the URL by code.

Each plotly chart a page draws costs about a fifth of a one-chart page's load in the browser (scripts/bench_pages.py),
so a page with four charts took twice as long to open as the yardstick. The parts a user has not chosen are not
drawn; their charts still go into the page's briefing pack (`chart(..., draw=False)`). On the projector every part
is drawn, one slide each (meeting mode draws only the current slide anyway).
"""
from __future__ import annotations

import streamlit as st

from ..i18n import register, t
from .links import choice
from .meeting import meeting

register({
    "part_choice": {"vi": "Phần hiển thị", "en": "Part shown"},
})


def part_choice(parts: dict[str, str], key: str, lang: str) -> str | None:
    """The code of the part to draw, or None (meeting mode: every part). `parts`: {code: label}, in page order;
    the first is shown when the address names none."""
    if meeting() or len(parts) < 2:
        return None
    codes = list(parts)
    return choice(st.segmented_control, t("part_choice", lang), codes, labels=parts, key=key, lang=lang,
                  default=codes[0], required=True, label_visibility="collapsed") or codes[0]


def shown(code: str, chosen: str | None) -> bool:
    """Whether the part `code` is drawn this run."""
    return chosen is None or chosen == code
