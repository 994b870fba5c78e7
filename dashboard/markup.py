"""Data text is text: one escape per place where a string from the store reaches the screen or a file.

Names of provinces, districts, indicators, sources and funding sources, sections, notes, quotes and school
names come from documents and, soon, from uploaded workbooks. None of them may be read as markup:

- `md(text)`      for Streamlit text elements (st.title, st.caption, st.markdown, st.metric labels,
                  st.info …), which read Markdown, LaTeX (`$x$`), colour and icon directives (`:red[…]`,
                  `:material/home:`), emoji short codes and links. Every ASCII punctuation character that
                  Markdown or Streamlit could read is backslash-escaped, so the text shows as typed.
- `html_text(t)`  for our own HTML (cards, legends, the passage viewer): `html.escape`.
- `plot(text)`    for plotly strings (titles, axis and category labels, legend names, hover text, bar
                  text, annotations): plotly reads a subset of HTML (`<b>`, `<br>`, `<a href>`,
                  `<span style>`) and, where MathJax is loaded, `$…$` as LaTeX; and it substitutes
                  `%{…}` in hover and text templates. `<`, `>`, `&` become entities, `$` and the `{` of
                  `%{` numeric entities, which plotly turns back into the characters when it draws.

Text that our own code writes (i18n strings, formatted numbers) is not data and needs none of this; the
helpers are for values read from the store. pydeck tooltips need none either: Streamlit 1.67 escapes every
value it puts into a tooltip template (dashboard.maps), so their fields stay plain text.
"""
from __future__ import annotations

import html
import re

# Inline characters that Markdown, GFM, LaTeX and Streamlit's directives (`:red[x]`, `:material/x:`,
# `:smile:`) read, escaped wherever they stand; `:` only where a directive, icon, emoji or URL could start.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>$~&])|(:)(?=\S)")
# Characters that open a block (heading, quote, list, rule) only at the start of the text.
_MD_BLOCK = re.compile(r"^(\s*)([#>+\-=]|\d{1,9}(?=[.)](?:\s|$)))")


_NEWLINES = re.compile(r"\r\n|\r|\n")
_HTML_MD = re.compile(r"[$:\[\]*_~`\\]")


def md(text: object) -> str:
    """Data text for a Streamlit Markdown element: shows exactly as typed (line breaks become spaces).

    Backslash escapes (CommonMark: any ASCII punctuation) keep every character on screen as it is.
    """
    if text is None:
        return ""
    s = " ".join(str(text).splitlines())
    s = _MD_INLINE.sub(lambda m: "\\" + (m.group(1) or m.group(2)), s)
    m = _MD_BLOCK.match(s)
    if m:
        if m.group(2)[0].isdigit():  # '1. x' / '1) x' → '1\. x'
            end = m.end()
            s = s[:end] + "\\" + s[end:]
        else:
            s = s[:m.start(2)] + "\\" + s[m.start(2):]
    return s


def html_text(text: object) -> str:
    """Data text inside our own HTML (cards, legends): `<`, `>`, `&` and quotes as entities, line breaks as
    `&#10;` (a blank line would end Streamlit's HTML block and let Markdown read the rest)."""
    if text is None:
        return ""
    s = _NEWLINES.sub("&#10;", html.escape(str(text), quote=True))
    # characters Markdown, LaTeX or a directive could read, as entities: the browser shows the characters
    return _HTML_MD.sub(lambda m: f"&#{ord(m.group())};", s)


def plot(text: object) -> str:
    """Data text inside a plotly string (title, label, legend name, hover text, annotation)."""
    if text is None:
        return ""
    s = html.escape(str(text), quote=False)
    return s.replace("$", "&#36;").replace("%{", "%&#123;")


def plot_unescape(text: str) -> str:
    """What plotly draws for a string made with `plot` (tests compare it with the data)."""
    return html.unescape(text)


# --- citations: where in a document a figure is printed ---------------------------------------------------------

_SECTION_WORDS = [  # the Vietnamese words of a citation and their English; the document's numbering is kept as is
    ("Phụ lục", "Appendix"), ("Phần", "Part"), ("Mục", "Section"), ("mục", "section"), ("dòng", "row"),
    ("chú thích", "footnote"), ("bảng", "table"), ("Bảng", "Table"), ("trang", "page"), ("khoản", "clause"),
    ("điểm", "point"), ("Điều", "Article"),
]


def section_label(section: object, lang: str = "vi") -> str:
    """A stored citation ('Phụ lục I.I, dòng 7', 'Phần II.II.1', 'III.1.a, chú thích 8') in the reader's language.

    Vietnamese: as stored. English: only the words are translated and the numbering is the document's own,
    written once: the stored 'Phần II.II.1' (part II, its section II, item 1) reads 'Part II, section II.1',
    'Phụ lục I.I, dòng 7' reads 'Appendix I, section I, row 7'."""
    import re  # noqa: PLC0415

    text = "" if section is None else str(section)
    if lang == "vi" or not text:
        return text
    # 'Phần II.II.1' / 'Phụ lục I.II': the first roman numeral is the part or appendix, the rest its section
    text = re.sub(r"\b(Phần|Phụ lục) ([IVXLC]+)\.([IVXLC]+\b(?:\.[\w.]+)?)", lambda m: f"{m[1]} {m[2]}, \x00 {m[3]}",
                  text)
    if "\x00" in text:  # a section inside the part: a further 'mục' is an item of it
        text = re.sub(r"(?<!\w)mục(?!\w)", "item", text).replace("\x00", "section")
    for vi, en in _SECTION_WORDS:
        text = re.sub(rf"(?<!\w){vi}(?!\w)", en, text)
    return text
