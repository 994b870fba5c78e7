"""Reading the reflowed HTML tables (`tables.show_wide`) back from an AppTest run: header → the text of each cell,
its lines joined by spaces (what a reader sees)."""
from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_style = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag == "table" and "edu-wt" in (dict(attrs).get("class") or ""):
            self.tables.append(([], []))
        elif not self.tables:
            return
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "style":
            self._in_style = False
        if not self.tables:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join(x for x in self._cell if x))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            head, body = self.tables[-1]
            if not head:
                head.extend(self._row)
            else:
                body.append(self._row)
            self._row = None

    def handle_data(self, data):  # noqa: ANN001
        if self._cell is not None and not self._in_style:
            self._cell.append(data.strip())


def wide_tables(at) -> list[pd.DataFrame]:  # noqa: ANN001 - an AppTest
    """Every reflowed table of the page, in order."""
    out = []
    for value in [h.value for h in at.get("html")]:  # the tables go through st.html (tables.table_block)
        if "edu-wt" not in value:
            continue
        p = _Tables()
        p.feed(value)
        out += [pd.DataFrame(body, columns=head) for head, body in p.tables]
    return out
