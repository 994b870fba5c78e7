"""Data text is text: a store whose names, sections, notes and titles carry Markdown, LaTeX, colour
directives, HTML and links shows them literally in every page, chart, tooltip, SVG, PDF and PowerPoint."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import export, markup
from dashboard.build import build
from tests.parts import open_box

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAYLOAD = "**bold** $x^2$ :red[red] <b>html</b> <script>alert(1)</script> [link](http://x) %{y} _i_ `c` \\"
DT = "87"
needs_chromium = pytest.mark.skipif(not export.chromium_available(), reason="no Chrome/Chromium to draw with")


# ------------------------------------------------------------------------------------- the store
def _edit_csv(path: Path, edit) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys())
    for r in rows:
        edit(r)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def _with_payload(value: str) -> str:
    return f"{value} {PAYLOAD}" if value else value


def _edit_geojson(path: Path, edit) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for feat in data["features"]:
        edit(feat["properties"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def payload_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from a copy of data/ where the text fields without a quote check carry PAYLOAD:
    source titles, indicator names, sections, notes, funding sources, budget items, school, province and
    district names."""
    import shutil

    from dashboard import DATA_DIR

    base = tmp_path_factory.mktemp("markup")
    data = base / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("*.db", "*.db-*", ".*.building*"))
    seed = data / "seed"

    def src(r):
        for k in ("short_title_vi", "short_title_en"):
            r[k] = _with_payload(r[k])
    _edit_csv(seed / "sources.csv", src)
    for f in (seed / "indicators").glob("*.csv"):
        _edit_csv(f, lambda r: r.update(name_vi=_with_payload(r["name_vi"]), name_en=_with_payload(r["name_en"])))
    for kind in ("observations", "targets", "budget", "tasks", "schools"):
        for f in (seed / kind).glob("*.csv"):
            def obs(r):
                if "section" in r:
                    r["section"] = _with_payload(r["section"])
                if "note" in r:
                    r["note"] = _with_payload(r["note"]) or PAYLOAD
                if kind == "budget":
                    r["funding_source_vi"] = _with_payload(r["funding_source_vi"])
                    r["item_vi"] = _with_payload(r["item_vi"])
                if kind == "schools" and r["stem_lab"] == "1":
                    r["name"] = _with_payload(r["name"])
            _edit_csv(f, obs)
    # one quote carries it too, in the document and in the seed alike (quotes are checked against the text);
    # a blank line and the payload follow it in the document, inside the passage the sources page shows
    quote = ("Đã triển khai thanh toán không dùng tiền mặt được 465/595 cơ sở giáo dục phổ thông, giáo dục "
             "thường xuyên đạt tỉ lệ 78,18%.")
    doc = data / "sources" / "dt_kh_2024.txt"
    text = doc.read_text(encoding="utf-8")
    assert text.count(quote) == 1
    doc.write_text(text.replace(quote, f"{quote} {PAYLOAD}\n\n{PAYLOAD}"), encoding="utf-8")
    _edit_csv(seed / "observations" / "dt_kh_2024.csv",
              lambda r: r.update(quote=f"{quote} {PAYLOAD}") if r["quote"] == quote else None)
    _edit_geojson(data / "geo" / "vnm_adm1_censusVN2009.geojson",
                  lambda p: p.update(adm1_name=_with_payload(p["adm1_name"])) if p["adm1_code"] == DT else None)
    _edit_geojson(data / "geo" / "vnm_adm2_3prov_censusVN2009.geojson",
                  lambda p: p.update(adm2_fullname=_with_payload(p["adm2_fullname"])) if p["adm1_code"] == DT else None)
    db = base / "payload.db"
    build(db, data, quiet=True)
    return db


@pytest.fixture()
def on_payload_db(payload_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{payload_db}")
    return payload_db


# ------------------------------------------------------------------------------------- helpers
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _md_shown(body: str) -> str:
    """What Markdown shows for backslash escapes (CommonMark: a backslash before ASCII punctuation)."""
    return _MD_UNESCAPE.sub(r"\1", body)


def _markdown_bodies(at: AppTest) -> list[tuple[str, str]]:
    """(kind, body) of every element whose text Streamlit reads as Markdown, widget labels included."""
    out = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None:
            continue
        if kind in ("markdown", "title", "header", "subheader", "caption", "divider", "latex", "heading") or \
                kind in ("error", "warning", "info", "success", "alert"):
            out.append((kind, str(getattr(node, "value", "") or getattr(proto, "body", ""))))
        elif hasattr(proto, "label") and isinstance(getattr(proto, "label"), str):
            out.append((f"{kind}.label", proto.label))
    return out


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, (list, tuple)):
        return [s for v in obj for s in _strings(v)]
    return []


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _check_page(at: AppTest) -> dict[str, int]:
    """Every Markdown body and figure string on the page: the payload never raw, and shown literally."""
    assert not at.exception, [e.value for e in at.exception]
    found = {"markdown": 0, "figure": 0}
    for kind, body in _markdown_bodies(at):
        unsafe_html = "<div" in body or "<span" in body  # our own HTML (cards): data inside as entities
        assert "<b>html</b>" not in body and "<script>" not in body and "$x^2$" not in body, (kind, body)
        assert ":red[red]" not in body and "**bold**" not in body and "[link](http" not in body, (kind, body)
        if unsafe_html:
            if html.unescape(body).count(PAYLOAD):
                found["markdown"] += 1
        elif PAYLOAD in _md_shown(body):
            found["markdown"] += 1
    for spec in _figures(at):
        for s in _strings(spec):
            assert "<b>html</b>" not in s and "<script>" not in s and "$x^2$" not in s and "%{y} _i_" not in s, s
        shown = " ".join(html.unescape(s) for s in _strings(spec))
        if _squash(PAYLOAD) in _squash(shown.replace("<br>", " ")):
            found["figure"] += 1
    return found


def _page(page: str, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    for key, value in state.items():
        for kind in ("selectbox", "multiselect", "radio"):
            for w in at.get(kind):
                if getattr(w, "key", None) == key:
                    w.set_value(value)
    if state:
        at.run()
    at.switch_page(page).run()
    return at


# ------------------------------------------------------------------------------------- unit checks
def test_escapes_round_trip():
    assert _md_shown(markup.md(PAYLOAD)) == PAYLOAD
    assert html.unescape(markup.html_text(PAYLOAD)) == PAYLOAD
    assert markup.plot_unescape(markup.plot(PAYLOAD)) == PAYLOAD
    assert "<" not in markup.plot(PAYLOAD) and "$" not in markup.plot(PAYLOAD) and "%{" not in markup.plot(PAYLOAD)
    assert markup.md("# Phụ lục") == "\\# Phụ lục" and markup.md("1. mục") == "1\\. mục"
    assert markup.md("Nguồn: Báo cáo") == "Nguồn: Báo cáo"  # ordinary text stays readable
    assert "&#10;" in markup.html_text("a\n\nb")  # a blank line cannot end our HTML block


# ------------------------------------------------------------------------------------- the pages
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/targets.py", "pages/budget.py", "pages/sources.py",
                                  "pages/forecast.py", "pages/infrastructure.py", "pages/adoption.py"])
def test_pages_show_data_text_literally(on_payload_db, page):
    at = _page(page)
    if page == "pages/overview.py":  # the cards, drawn once their box is opened
        open_box(at, "overview_cards")
    found = _check_page(at)
    assert found["markdown"] >= 1, "the province name (title) carries the payload"
    if page in ("pages/overview.py", "pages/targets.py", "pages/budget.py", "pages/infrastructure.py",
                "pages/adoption.py"):
        assert found["figure"] >= 1, page
    if page == "pages/overview.py":
        cards = [b for k, b in _markdown_bodies(at) if "<div class='edu-card'>" in b]
        assert cards and all(markup.html_text(PAYLOAD) in b for b in cards)


def test_sources_page_detail_of_a_selected_figure(on_payload_db):
    at = _page("pages/sources.py")
    next(w for w in at.text_input if w.key == "q").set_value("465/595").run()
    at.session_state["figures_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    _check_page(at)
    detail = [b for k, b in _markdown_bodies(at) if b.startswith("**") and "·" in b]
    assert detail and PAYLOAD in _md_shown(detail[0])  # indicator, province, source and section as typed
    assert any(PAYLOAD in _md_shown(c.value) for c in at.caption)  # the note
    passage = next(b for k, b in _markdown_bodies(at) if "<mark>" in b)
    assert f"<mark>{markup.html_text(quote_with_payload())}</mark>" in passage
    assert "\n" not in passage and markup.html_text("\n\n" + PAYLOAD) in passage  # the blank line is an entity


def quote_with_payload() -> str:
    return ("Đã triển khai thanh toán không dùng tiền mặt được 465/595 cơ sở giáo dục phổ thông, giáo dục "
            f"thường xuyên đạt tỉ lệ 78,18%. {PAYLOAD}")


def test_overview_with_districts_and_the_stem_map(on_payload_db):
    from dashboard import rollups

    codes = rollups.districts(DT)["code"].tolist()[:3]
    at = _page("pages/overview.py", district=codes)
    found = _check_page(at)
    assert found["figure"] >= 2  # the district chart names the districts
    at = _page("pages/stem_map.py")
    _check_page(at)
    box = next(w for w in at.selectbox if str(w.key).startswith("stemmap_school_"))
    index = next(i for i, label in enumerate(box.options) if PAYLOAD in label)  # options are plain text
    box.select_index(index).run()
    _check_page(at)
    cards = [b for k, b in _markdown_bodies(at) if "<div class='edu-card'>" in b]
    assert cards and markup.html_text(PAYLOAD) in cards[0]
    # pydeck tooltips: plain text fields; Streamlit escapes them when it fills the template
    from dashboard import maps

    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    rows = list(_dicts_with(deck, "tt_title"))
    schools = [o for o in rows if PAYLOAD in o["tt_title"] and "tt_5" in o and o["tt_5"]]
    districts = [o for o in rows if PAYLOAD in o["tt_title"] and not o.get("tt_5")]
    assert schools and districts  # a school point and a district polygon whose names carry the payload
    for obj in (schools[0], districts[0]):
        tip = maps.render_tooltip(obj)
        assert html.escape(PAYLOAD) in tip and "<b>html</b>" not in tip and "<script>" not in tip


def _dicts_with(obj, key: str):
    if isinstance(obj, dict):
        if key in obj:
            yield obj
        for v in obj.values():
            yield from _dicts_with(v, key)
    elif isinstance(obj, list):
        for v in obj:
            yield from _dicts_with(v, key)


# ------------------------------------------------------------------------------------- the files
@pytest.fixture(scope="module")
def renderer():
    status = export.start_renderer()
    assert status, status.reason
    return status


@needs_chromium
def test_svg_pdf_and_pptx_show_the_text_literally(on_payload_db, renderer):
    from pptx import Presentation
    from pypdf import PdfReader

    from dashboard import packs

    items = packs.page_items("all", DT)
    pname = packs.resolve_province(DT)[1]
    assert PAYLOAD in pname
    item = items[0]
    fig = export.with_footer(item.figure, title=f"{item.title} {PAYLOAD}", filters_text=f"Tỉnh: {pname}",
                             sources_text=item.sources_text, as_of=item.as_of, simulated=False, lang="vi")
    root = ET.fromstring(export.figure_svg(fig))
    texts = [("".join(el.itertext())) for el in root.iter() if el.tag.endswith("text")]
    joined = _squash(" ".join(texts))
    assert _squash(PAYLOAD) in joined
    assert not any(el.tag.endswith(("script", "a")) for el in root.iter()), "no element made from the data"
    assert not any("font-weight" in (el.get("style") or "") and "html" == "".join(el.itertext())
                   for el in root.iter())
    filters = export.describe_filters(pname)
    pdf = PdfReader(io.BytesIO(export.briefing_pdf(items[:3], province=pname, filters_text=filters,
                                                   day=date(2026, 11, 22), lang="vi")))
    text = _squash(" ".join(p.extract_text() for p in pdf.pages))
    assert text.count(_squash(PAYLOAD)) >= 3  # province (title page), sources, labels
    prs = Presentation(io.BytesIO(export.briefing_pptx(items[:2], province=pname, filters_text=filters,
                                                       day=date(2026, 11, 22), lang="vi")))
    body = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert PAYLOAD in body


def test_figures_never_carry_raw_payload(on_payload_db):
    from dashboard import packs

    for it in packs.page_items("all", DT):
        for s in _strings(go.Figure(it.figure).to_plotly_json()):
            assert "<b>html</b>" not in s and "$x^2$" not in s and "%{y} _i_" not in s, (it.key, s)


# ------------------------------------------------------------------------------------- in a real browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is missing")
def test_browser_shows_the_payload_as_text(payload_db, browser):
    """Streamlit's own frontend (Markdown, KaTeX, directives, HTML cards, plotly) draws the payload as text."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{payload_db}"}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", APP, "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                assert time.monotonic() < deadline, "streamlit did not start"
                time.sleep(0.3)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        title = page.locator("h1").first
        title.wait_for(timeout=90000)
        page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText"
                               ".includes('alert(1)')", timeout=90000)
        page.locator(".st-key-overview_cards summary").click()  # the cards are drawn once their box is opened
        page.locator(".edu-card-title").first.wait_for(state="attached", timeout=90000)
        heading = title.inner_text()
        assert PAYLOAD.rstrip("\\") in heading and "\\" in heading, heading  # every character as typed
        card = page.locator(".edu-card").first.text_content()
        assert _squash(PAYLOAD) in _squash(card), card
        main = page.locator("[data-testid='stMain']")
        # nothing in the page was made from the payload: no bold 'bold', no KaTeX, no coloured 'red',
        # no <b>/<script> element, no link to http://x
        assert main.locator("strong:text-is('bold'), b:text-is('html'), b:text-is('bold')").count() == 0
        assert main.locator(".katex").count() == 0
        assert main.locator("a[href='http://x'], a[href='http://x/']").count() == 0
        assert main.locator("span:text-is('red')").count() == 0
        page.locator(".js-plotly-plot").first.wait_for(timeout=90000)
        plot_text = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot text')]"
                                  ".map(t => t.textContent).join(' ')")
        assert _squash(PAYLOAD) in _squash(plot_text), plot_text[:2000]
        assert page.locator(".js-plotly-plot a[href='http://x']").count() == 0
        assert not dialogs, dialogs  # no alert(1) ran
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
