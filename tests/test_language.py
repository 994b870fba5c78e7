"""What users read, page by page and in both languages (AppTest): the English UI has no Vietnamese outside data
text (names of places, schools and documents, quotes, as printed), the Vietnamese UI no English widget or
label text. `page_texts` is shared with tests/test_raw_ids.py."""
from __future__ import annotations

import html
import json
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest
from tests.parts import each_part, open_box, pillar_codes

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["pages/overview.py", "pages/targets.py", "pages/infrastructure.py", "pages/adoption.py",
         "pages/forecast.py", "pages/budget.py", "pages/dx_levels.py", "pages/stem_map.py", "pages/sources.py"]
PROVINCES = ["87", "67", "94"]  # Đồng Tháp, Đắk Nông, Sóc Trăng (former provinces: their own figures)

# the text-bearing fields of Streamlit's element protos (not ids, keys, CSS or numbers)
TEXT_FIELDS = {"body", "label", "placeholder", "help", "options", "caption", "value", "text", "title", "message",
               "formattedValue", "delta"}
SKIP = {"id", "formId", "queryParamKey", "key", "url", "src", "mimetype", "icon", "cssClass", "dataType"}


def _strings(obj, out: list[str]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in SKIP:
                continue
            if k == "spec" and isinstance(v, str):  # a plotly figure: the texts a reader sees
                _figure_texts(json.loads(v), out)
            elif k in TEXT_FIELDS:
                _collect(v, out)
            elif isinstance(v, (dict, list)):
                _strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _strings(v, out)


def _collect(v, out: list[str]) -> None:
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, list):
        for x in v:
            _collect(x, out)
    elif isinstance(v, dict):
        _strings(v, out)


def _figure_texts(fig: dict, out: list[str]) -> None:
    lay = fig.get("layout", {})
    for part in (lay.get("title"), (lay.get("title") or {}).get("subtitle") if isinstance(lay.get("title"), dict)
                 else None, (lay.get("legend") or {}).get("title")):
        if isinstance(part, dict) and isinstance(part.get("text"), str):
            out.append(part["text"])
    for k, v in lay.items():
        if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict) and isinstance((v.get("title") or {}), dict):
            if isinstance(v.get("title", {}).get("text"), str):
                out.append(v["title"]["text"])
    for a in lay.get("annotations", []) or []:
        if isinstance(a.get("text"), str):
            out.append(a["text"])
    for tr in fig.get("data", []):
        if isinstance(tr.get("name"), str):
            out.append(tr["name"])


def _elements(at: AppTest):
    def walk(node):
        yield node
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for c in children.values():
                yield from walk(c)
    yield from walk(at._tree)


def texts(at: AppTest) -> list[str]:
    """Every text the page shows: markdown, titles, captions, alerts, metrics, widget labels, placeholders and
    option labels, expander and tab labels, dataframe column headers, chart titles, axes, legends, annotations.
    Dataframe cells (and the cells of the read-only HTML tables) are data and left out."""
    out: list[str] = []
    for el in _elements(at):
        proto = getattr(el, "proto", None)
        if proto is None:
            continue
        if getattr(el, "type", "") in ("markdown", "html") and "<div class='edu-static" in getattr(el, "value", ""):
            out.extend(re.findall(r"<th>(.*?)</th>", el.value))  # a read-only HTML table: its headers, as a grid's
            continue
        if getattr(el, "type", "") in ("arrow_data_frame", "dataframe", "table"):
            try:
                out.extend(str(c) for c in el.value.columns)
            except Exception:  # noqa: BLE001 - a frame AppTest cannot rebuild: its headers are not read
                pass
            continue
        try:
            d = MessageToDict(proto, preserving_proto_field_name=False)
        except Exception:  # noqa: BLE001 - a block without a message
            continue
        _strings(d, out)
    return [t for t in (_plain(s) for s in out) if t.strip()]


def _plain(s: str) -> str:
    """Text as read: stylesheets and tags out, entities decoded."""
    s = re.sub(r"<style.*?</style>", " ", s, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", s))


def run_page(page: str, lang: str, province: str = "87", **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["province"] = province
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# parts a page draws one at a time (ui.part_choice) and boxes drawn once opened: every one is read
PARTS = {"pages/targets.py": "targets_pillar", "pages/infrastructure.py": ("infra_part", ["pc", "net", "ict"]),
         "pages/adoption.py": ("adoption_part", ["heatmap", "indicator"]),
         "pages/budget.py": ("budget_part", ["budget", "tasks"]),
         "pages/dx_levels.py": ("dx_part", ["district", "level", "year"])}
BOXES = {"pages/overview.py": "overview_cards", "pages/forecast.py": "fc_model_card", "pages/dx_levels.py": "dx_schools_box"}


@lru_cache(maxsize=None)
def page_texts(page: str, lang: str, province: str = "87") -> tuple[str, ...]:
    at = run_page(page, lang, province)
    out = texts(at)
    if page in BOXES:
        out += texts(open_box(at, BOXES[page]))
    key = PARTS[page] if isinstance(PARTS.get(page), str) else PARTS.get(page, ("",))[0]
    if key in [b.key for b in at.button_group]:  # the page has its part buttons (a province with one part: none)
        codes = pillar_codes(at, key, lang) if isinstance(PARTS[page], str) else PARTS[page][1]
        out += [x for _ in each_part(at, key, codes) for x in texts(at)]
    return tuple(dict.fromkeys(out))


# --- data text: names and documents, as printed -----------------------------------------------------------------

@lru_cache(maxsize=1)
def data_strings() -> tuple[str, ...]:
    """Names of places, schools, documents, quotes, task titles and units as the store holds them (data text stays
    as printed in either language), longest first so a name is removed before its parts."""
    import os

    from dashboard.db import database_path

    path = os.environ.get("DATABASE_URL", "").removeprefix("sqlite:///") or str(database_path())
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found: set[str] = set()
    queries = [
        "SELECT name FROM admin_unit", "SELECT name FROM school", "SELECT title FROM source",
        "SELECT quote FROM observation", "SELECT printed FROM observation", "SELECT section FROM observation",
        "SELECT title_vi FROM task", "SELECT lead_unit FROM task", "SELECT result_note FROM task",
        "SELECT section FROM task", "SELECT item_vi FROM budget_item", "SELECT group_vi FROM budget_item",
        "SELECT description_vi FROM budget_item", "SELECT funding_source_vi FROM budget_item",
        "SELECT printed FROM target", "SELECT quote FROM target", "SELECT section FROM target",
        "SELECT name FROM unit_current", "SELECT fullname FROM unit_current", "SELECT name FROM unit_former",
        "SELECT fullname FROM unit_former", "SELECT fullname FROM admin_unit", "SELECT name FROM breakdown",
    ]
    for q in queries:
        try:
            found.update(str(r[0]) for r in con.execute(q) if r[0])
        except sqlite3.Error:
            continue
    con.close()
    from dashboard.intake import dx4725  # the Decision 4725 title and scale, quoted verbatim on its page

    found.update([dx4725.CITATION["document"], *dx4725.CITATION["quotes"], "Thang điểm đánh giá"])
    parts = set()
    for s in found:  # names also appear without their kind ("Huyện Cao Lãnh" → "Cao Lãnh")
        parts.update(re.split(r"[,;:()\n]", s))
        for kind in ("Thành phố ", "Thị xã ", "Huyện ", "Tỉnh ", "Xã ", "Phường ", "Thị trấn ", "Trường "):
            if s.startswith(kind):
                parts.add(s[len(kind):])
    return tuple(sorted({p.strip() for p in found | parts if len(p.strip()) >= 3}, key=len, reverse=True))


VI_LETTERS = re.compile(r"[^\W\d_]*[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]"
                        r"[^\W\d_]*", re.IGNORECASE)
EN_UI_WORDS = re.compile(r"\b(Select all|Select|Choose|Achieved|Province|District|Target|Status|Source|Sources|"
                         r"Latest|Simulated|simulated|points?|Forecast|Overview|Indicator|School|Year|Level|"
                         r"Published|Imported|Reached|Gap|Search|Download|Upload|Browse files|Drag and drop|"
                         r"No results|None|Not comparable|Section|Appendix|row)\b")


DOC_NUMBER = re.compile(r"\b\d+/[\wĐđ-]+")  # a document's number, as printed: 4725/QĐ-BGDĐT


def strip_data(text: str) -> str:
    if text.endswith("…") and any(d.startswith(text[:-1].strip()) for d in data_strings()):
        return ""  # a data name shortened on a chart axis
    for s in data_strings():
        if s in text:
            text = text.replace(s, " ")
    return DOC_NUMBER.sub(" ", text)


def vietnamese_leaks(strings) -> list[str]:
    """Words with Vietnamese letters left in English UI text once data text is taken out."""
    return [f"{w!r} in {s[:90]!r}" for s in strings for w in VI_LETTERS.findall(strip_data(s))]


def english_leaks(strings) -> list[str]:
    """English UI words in Vietnamese UI text (data text taken out: an English document title stays)."""
    return [f"{w!r} in {s[:90]!r}" for s in strings for w in EN_UI_WORDS.findall(strip_data(s))]


@pytest.mark.parametrize("page", PAGES)
def test_english_pages_have_no_vietnamese_outside_data_text(page):
    leaks = [x for p in PROVINCES[:2] for x in vietnamese_leaks(page_texts(page, "en", p))]
    assert not leaks, "\n".join(sorted(set(leaks)))


@pytest.mark.parametrize("page", PAGES)
def test_vietnamese_pages_have_no_english_ui_text(page):
    leaks = [x for p in PROVINCES[:2] for x in english_leaks(page_texts(page, "vi", p))]
    assert not leaks, "\n".join(sorted(set(leaks)))


def test_the_walker_reads_what_a_page_shows():
    """The walker itself: labels, captions, table headers and chart titles of a known page are read."""
    vi, en = page_texts("pages/targets.py", "vi", "87"), page_texts("pages/targets.py", "en", "87")
    assert any("Mục tiêu" in s for s in vi) and any("Target" in s for s in en)
    assert any(s == "Tỉnh/thành phố" or s.startswith("Tỉnh") for s in vi)  # the sidebar's province label
    # a Vietnamese word planted in an English string is found, an English widget word in Vietnamese too
    assert vietnamese_leaks(["Status: Đạt"]) and english_leaks(["Trạng thái: Achieved"])
    assert not vietnamese_leaks(["Overview — Đồng Tháp"])  # a province name is data text


def test_citations_keep_the_document_numbering_and_translate_only_the_words():
    from dashboard.markup import section_label

    assert section_label("Phụ lục I.I, dòng 7", "en") == "Appendix I, section I, row 7"
    assert section_label("Phần II.II.1", "en") == "Part II, section II.1"
    assert section_label("Phụ lục I.II, mục III.5", "en") == "Appendix I, section II, item III.5"
    assert section_label("III.1.a, chú thích 8", "en") == "III.1.a, footnote 8"
    assert section_label("Phụ lục, dòng 1", "en") == "Appendix, row 1"
    assert section_label("Phần II.II.1", "vi") == "Phần II.II.1"  # Vietnamese: as stored
