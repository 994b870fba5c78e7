"""Read the read-only HTML tables of a page run by AppTest (`ui.static_table`): key → DataFrame of the texts shown."""
from __future__ import annotations

import re

import lxml.html
import pandas as pd


def html_blocks(at) -> list[str]:  # noqa: ANN001 - an AppTest
    """The HTML the page put through `st.html` (the tables) and through `st.markdown`, in page order per kind."""
    return [h.value for h in at.get("html")] + [m.value for m in at.markdown]


def html_tables(at) -> dict[str, pd.DataFrame]:  # noqa: ANN001 - an AppTest
    out = {}
    for value in html_blocks(at):
        found = re.search(r"<div class='edu-static[^']*' data-key='([^']*)'>", value)
        if not found:
            continue
        table = lxml.html.fromstring(value).xpath("//table")[0]
        head = [th.text_content().strip() for th in table.xpath(".//thead//th")]
        rows = [[td.text_content().strip() for td in tr.xpath("./td")] for tr in table.xpath(".//tbody/tr")]
        out[found.group(1)] = pd.DataFrame(rows, columns=head)
    return out


def html_table(at, key: str) -> pd.DataFrame:  # noqa: ANN001
    tables = html_tables(at)
    assert key in tables, f"no table {key!r} among {sorted(tables)}"
    return tables[key]
