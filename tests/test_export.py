"""Chart snapshots and briefing packs: PNG/SVG/CSV/PDF/PPTX exports, footers, file names, the pack command."""
from __future__ import annotations

import base64
import io
import json
import os
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts, export, packs
from dashboard.i18n import t

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 22)
DT = "87"  # Đồng Tháp
needs_chromium = pytest.mark.skipif(not export.chromium_available(), reason="no Chrome/Chromium to draw with")


@pytest.fixture(scope="module")
def renderer():
    status = export.start_renderer()
    assert status, status.reason
    return status


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def small_figure(title: str = "Tỉ lệ trường — Đắk Nông và Lấp Vò") -> go.Figure:
    fig = go.Figure(go.Bar(x=["Đắk Nông", "Lấp Vò (Đồng Tháp)", "Sóc Trăng"], y=[78.18, 89.17, 4.84],
                           text=["78,18%", "89,17%", "4,84%"], textposition="outside"))
    fig.update_layout(template=charts.TEMPLATE, width=800, height=500, separators=",.",
                      title=dict(text=f"<b>{title}</b>", subtitle=dict(text="Nguồn: Báo cáo CĐS — thời điểm 03/2024")))
    return fig


# ---------------------------------------------------------------------------------- pure functions
def test_filenames_are_ascii():
    name = export.export_filename("Tổng quan", "Đồng Tháp", "So sánh ba tỉnh", "png", DAY)
    assert name == "tong-quan_dong-thap_so-sanh-ba-tinh_2026-11-22.png"
    assert export.export_filename("Ngân sách & nhiệm vụ", "Đắk Nông", "Kinh phí theo nguồn", ".PDF", DAY) \
        == "ngan-sach-nhiem-vu_dak-nong_kinh-phi-theo-nguon_2026-11-22.pdf"
    for it in packs.page_items("all", DT):
        name = export.export_filename(t(packs.PAGE_TITLES[it.page], "vi"), "Đồng Tháp", it.key or it.title, "svg", DAY)
        assert name.isascii() and " " not in name and name.endswith("_2026-11-22.svg"), name


def test_csv_has_bom_and_diacritics():
    data = export.frame_csv(pd.DataFrame({"tỉnh": ["Đồng Tháp", "Đắk Nông"], "giá trị": [78.18, 5326]}))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "tỉnh,giá trị" and "Đắk Nông" in text


def test_footer_carries_title_filters_sources_and_simulated_flag():
    fig = small_figure()
    before = fig.to_plotly_json()
    filters = export.describe_filters("Đồng Tháp", year_max=2024, levels=("TH",), lang="vi")
    out = export.with_footer(fig, title="Tỉ lệ trường", filters_text=filters, sources_text="Báo cáo CĐS Sóc Trăng 10/2023",
                             as_of="03/2024", simulated=True, lang="vi")
    text = export.footer_text(out)
    for part in ("Tỉ lệ trường", "Bộ lọc: Tỉnh: Đồng Tháp", "Năm (đến hết): 2024", "Tiểu học",
                 "Nguồn: Báo cáo CĐS Sóc Trăng 10/2023", "Thời điểm số liệu: 03/2024", "Dữ liệu mô phỏng"):
        assert part in text, (part, text)
    assert out.layout.height > fig.layout.height and out.layout.width == fig.layout.width
    assert fig.to_plotly_json() == before, "with_footer must not change the figure it is given"
    assert out.layout.template.layout.font.family == charts.FONT  # still the explicit edu template
    plain = export.with_footer(fig, title="x", filters_text="", sources_text="Nguồn: y", as_of="", simulated=False,
                               lang="vi")
    assert "mô phỏng" not in export.footer_text(plain) and "Nguồn: Nguồn" not in export.footer_text(plain)
    en = export.with_footer(fig, title="Share", filters_text="Province: Đồng Tháp", sources_text="Sources: z",
                            as_of="03/2024", simulated=True, lang="en")
    assert "Simulated data" in export.footer_text(en) and "Data as of: 03/2024" in export.footer_text(en)
    # a '<' in user text is escaped, not taken for a tag
    esc = export.with_footer(fig, title="< 80% mục tiêu", filters_text="", sources_text="", as_of="", simulated=False,
                             lang="vi")
    assert "&lt; 80%" in export.footer_text(esc)


def test_footer_keeps_a_single_trace_figure_without_legend():
    fig = small_figure()
    out = export.with_footer(fig, title="x", filters_text="f", sources_text="s", as_of="", simulated=False, lang="vi")
    assert [tr.showlegend for tr in out.data[:-1]] == [False]  # the bar was not in a legend before
    assert out.data[-1].legend == export.FOOTER_LEGEND


def test_pack_items_mirror_the_pages():
    overview = packs.page_items("overview", DT)
    assert [it.title for it in overview] == [t("compare_title", "vi")]
    targets = packs.page_items("targets", DT)
    assert targets and all(it.figure.data for it in targets)
    budget = packs.page_items("budget", DT)
    assert [it.title for it in budget] == [t("budget_title", "vi"), t("tasks_title", "vi")]
    everything = packs.page_items("all", DT)
    assert [it.title for it in everything] == [it.title for it in overview + targets + budget]
    for it in everything:
        assert it.figure.layout.template.layout.font.family == charts.FONT
        assert it.sources_text.startswith("Nguồn: ") and len(it.sources_text) > len("Nguồn: ") and not it.simulated
        has_values = "value" not in it.csv or it.csv["value"].notna().any()
        assert bool(it.as_of) == bool(has_values), (it.key, it.as_of)  # no as-of date for targets alone
        assert it.csv is not None and not it.csv.empty
    en = packs.page_items("overview", DT, lang="en")
    assert en[0].title == t("compare_title", "en") and en[0].sources_text.startswith("Sources: ")
    with pytest.raises(ValueError):
        packs.page_items("nope", DT)


def test_sources_caption_names_documents_and_as_of_date():
    from dashboard import queries

    df = queries.progress_table("67", target_years=(2025, 2030))
    # the documents of the actual values and of the targets (Decision 131) are both named
    assert packs.sources_caption(df, "vi") == ("Nguồn: Báo cáo sơ kết 2 năm QĐ 131, Đắk Nông, 3/2024; "
                                               "Quyết định 131/QĐ-TTg (2022) — thời điểm 03/2024")
    en = queries.progress_table("67", target_years=(2025, 2030), lang="en")
    assert packs.sources_caption(en, "en") == ("Sources: Decision 131/QD-TTg (2022); Đắk Nông two-year review of "
                                               "Decision 131 (3/2024) — as of 03/2024")
    assert packs.sources_caption(df.iloc[0:0], "vi") == ""


def test_packs_module_does_not_import_streamlit():
    code = "import sys, dashboard.packs, dashboard.export; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_resolve_province():
    assert packs.resolve_province("Đồng Tháp") == ("87", "Đồng Tháp")
    assert packs.resolve_province("dong thap") == ("87", "Đồng Tháp")
    assert packs.resolve_province("67") == ("67", "Đắk Nông")
    assert packs.resolve_province("Hà Nội") is None


# --------------------------------------------------------------------------- same figures as pages
def _decode(obj):
    if isinstance(obj, dict):
        if set(obj) >= {"dtype", "bdata"}:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            return arr.tolist()
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def _signature(fig: go.Figure) -> list:
    def vals(v):
        return [None if x is None or (isinstance(x, float) and np.isnan(x)) else x for x in (list(v) if v is not None else [])]

    return [fig.layout.title.text, fig.layout.title.subtitle.text, fig.layout.height] + [
        (tr.type, tr.name, vals(tr.x), vals(tr.y)) for tr in fig.data]


@pytest.mark.parametrize("page,key", [("overview", "pages/overview.py"), ("targets", "pages/targets.py"),
                                      ("budget", "pages/budget.py")])
def test_pack_figures_equal_page_figures(page, key):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(key).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [_signature(go.Figure(_decode(json.loads(el.proto.spec)))) for el in at.get("plotly_chart")]
    same = lambda fig: _signature(go.Figure(_decode(json.loads(fig.to_json()))))  # noqa: E731 - arrays decoded
    built = [same(it.figure) for it in packs.page_items(page, DT)]  # the app's default province: Đồng Tháp
    # every chart of the page goes into its pack, also those of the parts not shown (ui.part_choice) ...
    assert [same(it.figure) for it in at.session_state["_page_items"]] == built
    # ... and the charts drawn are those figures, in their order (the first part: the first chart)
    assert shown and shown == [b for b in built if b in shown] and shown[0] == built[0]


# --------------------------------------------------------------------------------------- renderer
def test_missing_chromium_is_reported_not_raised():
    code = ("from dashboard import export; s = export.start_renderer(); "
            "print(export.chromium_available(), bool(s), s.reason)")
    env = {**os.environ, "BROWSER_PATH": "/nonexistent/chromium"}
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("False False") and "Chromium" in res.stdout, res.stdout


@needs_chromium
def test_start_renderer_is_idempotent(renderer):
    assert export.start_renderer() and export.start_renderer() and export.renderer_status()


@needs_chromium
def test_png_is_twice_the_layout_size_on_white(renderer):
    from PIL import Image

    fig = small_figure()
    data = export.figure_png(fig, scale=2)
    assert png_size(data) == (1600, 1000)
    with Image.open(io.BytesIO(data)) as im:
        assert im.convert("RGB").getpixel((3, 3)) == (255, 255, 255)
    assert png_size(export.figure_png(fig, scale=3)) == (2400, 1500)
    item = packs.page_items("overview", DT)[0]
    h = item.figure.layout.height
    assert png_size(export.figure_png(item.figure)) == (2 * export.EXPORT_WIDTH, 2 * h)


@needs_chromium
def test_png_ignores_streamlits_default_template(renderer):
    import plotly.io as pio
    import streamlit  # noqa: F401  (changes plotly's default template)
    from PIL import Image

    old = pio.templates.default
    pio.templates.default = "plotly_dark"
    try:
        data = export.figure_png(small_figure(), scale=1)
    finally:
        pio.templates.default = old
    with Image.open(io.BytesIO(data)) as im:
        assert im.convert("RGB").getpixel((3, 3)) == (255, 255, 255)


@needs_chromium
def test_svg_parses_and_keeps_vietnamese_title(renderer):
    item = packs.page_items("overview", DT)[0]
    fig = export.with_footer(item.figure, title=item.title, filters_text="Tỉnh: Đồng Tháp",
                             sources_text=item.sources_text, as_of=item.as_of, simulated=True, lang="vi")
    root = ET.fromstring(export.figure_svg(fig))
    assert root.tag.endswith("svg")
    texts = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    assert "So sánh các tỉnh trên chỉ tiêu có từ hai tỉnh công bố" in texts
    assert "Dữ liệu mô phỏng" in texts and "Đắk Nông" in texts


@needs_chromium
def test_check_image_of_diacritics(renderer):
    """Writes /tmp/export_check.png (a chart naming Đắk Nông and Lấp Vò) to look at."""
    fig = export.with_footer(small_figure(), title="Đắk Nông và Lấp Vò", filters_text="Tỉnh: Đồng Tháp · Huyện: Lấp Vò",
                             sources_text="Báo cáo sơ kết 2 năm QĐ 131, Đắk Nông, 3/2024", as_of="03/2024",
                             simulated=True, lang="vi")
    data = export.figure_png(fig, scale=2)
    Path("/tmp/export_check.png").write_bytes(data)
    assert png_size(data) == (1600, 2 * fig.layout.height)


@needs_chromium
def test_briefing_pdf_is_a4_landscape_title_then_charts(renderer):
    from pypdf import PdfReader

    items = packs.page_items("all", DT)
    data = export.briefing_pdf(items, province="Đồng Tháp", filters_text=export.describe_filters("Đồng Tháp"),
                               day=DAY, lang="vi")
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == len(items) + 1
    for page in pdf.pages:
        assert abs(float(page.mediabox.width) - 842) < 1 and abs(float(page.mediabox.height) - 595) < 1
    first = pdf.pages[0].extract_text()
    assert "Đồng Tháp" in first and "22/11/2026" in first and "Bộ lọc" in first
    n = len(pdf.pages)
    for i, (page, it) in enumerate(zip(pdf.pages[1:], items), start=2):
        text = page.extract_text()
        assert f"trang {i}/{n}" in text and it.title in text.replace("\n", " "), (i, it.title)
        assert "Nguồn:" in text


@needs_chromium
def test_briefing_pptx_title_then_one_slide_per_chart(renderer):
    from pptx import Presentation
    from pptx.shapes.picture import Picture

    items = packs.page_items("overview", DT) + packs.page_items("budget", DT)
    items[0].simulated = True
    data = export.briefing_pptx(items, province="Đồng Tháp", filters_text=export.describe_filters("Đồng Tháp"),
                                day=DAY, lang="vi")
    prs = Presentation(io.BytesIO(data))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    slides = list(prs.slides)
    assert len(slides) == len(items) + 1
    assert slides[0].shapes.title.text == "Báo cáo tóm tắt — Đồng Tháp"
    # bar charts are native PowerPoint charts whose title is the slide's heading; nothing is a picture
    assert [next(sh for sh in s.shapes if sh.has_chart).chart.chart_title.text_frame.text
            for s in slides[1:]] == [it.title for it in items]
    for s in slides[1:]:
        assert sum(sh.has_chart for sh in s.shapes) == 1 and not any(isinstance(sh, Picture) for sh in s.shapes)
    body = " ".join(sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame)
    assert "Nguồn:" in body and "Dữ liệu mô phỏng" in body and "Bộ lọc: Tỉnh: Đồng Tháp" in body
    assert "Dữ liệu mô phỏng" not in " ".join(sh.text_frame.text for sh in slides[2].shapes if sh.has_text_frame)


@needs_chromium
def test_overview_pack_is_fast_with_a_warm_renderer(renderer, capsys):
    t0 = time.perf_counter()
    items = packs.page_items("overview", DT)
    kw = dict(province="Đồng Tháp", filters_text=export.describe_filters("Đồng Tháp"), day=DAY, lang="vi")
    pdf = export.briefing_pdf(items, **kw)
    t1 = time.perf_counter()
    pptx = export.briefing_pptx(items, **kw)
    t2 = time.perf_counter()
    with capsys.disabled():
        print(f"\noverview pack: PDF {t1 - t0:.2f} s ({len(pdf) // 1024} KiB), PPTX {t2 - t1:.2f} s ({len(pptx) // 1024} KiB)")
    assert t2 - t0 < 10


@needs_chromium
def test_pack_cli(renderer, tmp_path, capsys):
    out = tmp_path / "goi.pptx"
    assert packs.pack_cli(["pack", "--province", "Đồng Tháp", "--format", "pptx", "--out", str(out),
                           "--page", "overview", "--lang", "en"]) == 0
    assert out.read_bytes()[:2] == b"PK" and "wrote" in capsys.readouterr().out
    out = tmp_path / "goi.pdf"
    assert packs.pack_cli(["--province", "Dong Thap", "--format", "pdf", "--out", str(out), "--page", "budget"]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert packs.pack_cli(["--province", "Hà Nội", "--format", "pdf", "--out", str(out)]) == 2
    assert packs.pack_cli(["--province", "Đồng Tháp", "--format", "doc", "--out", str(out)]) == 2


# ------------------------------------------------------------------ long filter texts (PowerPoint core props)
def test_shorten_cuts_at_a_word_with_an_ellipsis():
    assert export.shorten("Tỉnh: Đồng Tháp", 255) == "Tỉnh: Đồng Tháp"
    long = " · ".join(f"Huyện số {i} Đồng Tháp" for i in range(40))
    cut = export.shorten(long, 255)
    assert len(cut) <= 255 and cut.endswith("…") and long.startswith(cut[:-1])
    assert not cut[:-1].endswith(" ")


def _all_filters_text() -> str:
    from dashboard import rollups
    from dashboard.i18n import LEVEL_NAMES, PILLAR_NAMES

    txt = export.describe_filters("Đồng Tháp", levels=list(LEVEL_NAMES), pillars=list(PILLAR_NAMES), lang="vi")
    names = rollups.districts(DT)["fullname"].tolist()
    assert len(names) == 12
    return txt + " · " + t("district", "vi") + ": " + ", ".join(names)


@needs_chromium
def test_pptx_with_filter_text_over_255_characters(renderer):
    from pptx import Presentation

    filters = _all_filters_text()
    assert len(filters) > 255
    data = export.briefing_pptx(packs.page_items("overview", DT), province="Đồng Tháp", filters_text=filters,
                                day=DAY, lang="vi")
    prs = Presentation(io.BytesIO(data))
    props = prs.core_properties
    assert len(props.subject) <= 255 and props.subject.endswith("…") and filters.startswith(props.subject[:-1])
    title_slide = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert f"Bộ lọc: {filters}" in title_slide  # the whole filter text on the title slide
    assert "Huyện Tháp Mười" in title_slide or "Tháp Mười" in title_slide


@needs_chromium
def test_pack_cli_pptx_with_every_level_and_pillar(renderer, tmp_path):
    from pptx import Presentation

    from dashboard.i18n import LEVEL_NAMES, PILLAR_NAMES

    out = tmp_path / "tat-ca.pptx"
    args = ["-m", "dashboard", "pack", "--province", "Đồng Tháp", "--format", "pptx", "--out", str(out),
            "--page", "overview"]
    for lv in LEVEL_NAMES:
        args += ["--level", lv]
    for pl in PILLAR_NAMES:
        args += ["--pillar", pl]
    res = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    prs = Presentation(str(out))
    full = export.describe_filters("Đồng Tháp", levels=list(LEVEL_NAMES), pillars=list(PILLAR_NAMES), lang="vi")
    assert len(prs.core_properties.subject) <= 255
    assert full in " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)


@needs_chromium
def test_app_pack_with_all_twelve_districts(renderer):
    """The sidebar's 'build pack' with every level, pillar and all 12 Đồng Tháp districts, as PowerPoint."""
    from pptx import Presentation
    from streamlit.testing.v1 import AppTest

    from dashboard import rollups
    from dashboard.i18n import LEVEL_NAMES, PILLAR_NAMES

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    codes = rollups.districts(DT)["code"].tolist()
    for key, value in (("district", codes), ("level", list(LEVEL_NAMES)), ("pillar", list(PILLAR_NAMES))):
        next(w for w in at.multiselect if w.key == key).set_value(value)
    at.run()
    next(r for r in at.radio if r.key == "pack_format").set_value("pptx")
    at.run()
    next(b for b in at.button if b.key == "pack_build").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert any(d.proto.label == t("pack_download", "vi") for d in at.get("download_button"))
    data = at.session_state["_pack"][1]
    prs = Presentation(io.BytesIO(data))
    assert len(prs.core_properties.subject) <= 255
    title_slide = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    for name in rollups.districts(DT)["fullname"]:
        assert name in title_slide, name
    # the sidebar's pack opens with the headline status table, like the `pack` command's
    table = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    assert "78,18%" in " ".join(c.text for row in table.rows for c in row.cells)


# ------------------------------------------------------------------------------------- the pack queue
def test_queue_runs_one_at_a_time_in_order_and_shows_positions():
    import threading

    q = export.RenderQueue(max_waiting=2, poll=0.05)
    release = {name: threading.Event() for name in "ABC"}
    started = {name: threading.Event() for name in "ABC"}
    seen: dict[str, list[tuple[int, int]]] = {name: [] for name in "ABC"}
    order: list[str] = []
    running = []
    peak = []
    lock = threading.Lock()

    def job(name: str) -> None:
        with q.turn(name, on_wait=lambda pos, total: seen[name].append((pos, total))):
            with lock:
                running.append(name)
                peak.append(len(running))
                order.append(name)
            started[name].set()
            assert release[name].wait(30)
            with lock:
                running.remove(name)

    threads = {}

    def launch(name: str, expect_len: int) -> None:
        threads[name] = threading.Thread(target=job, args=(name,), daemon=True)
        threads[name].start()
        deadline = time.monotonic() + 30
        while len(q) < expect_len:  # wait until it has joined the queue
            assert time.monotonic() < deadline
            time.sleep(0.005)

    launch("A", 1)
    assert started["A"].wait(30)
    launch("B", 2)
    launch("C", 3)
    # a fourth request finds two waiting behind the running one: refused, not queued
    with pytest.raises(export.QueueFull):
        with q.turn("D"):
            pass
    assert len(q) == 3
    deadline = time.monotonic() + 30
    while not ((2, 3) in seen["B"] and (3, 3) in seen["C"]):  # each is told its place
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert seen["C"][0] == (3, 3) and set(seen["B"]) <= {(2, 2), (2, 3)}
    assert not started["B"].is_set() and not started["C"].is_set()
    release["A"].set()
    assert started["B"].wait(30)
    deadline = time.monotonic() + 30
    while (2, 2) not in seen["C"]:  # C moved up one place
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert not started["C"].is_set()
    release["B"].set()
    assert started["C"].wait(30)
    release["C"].set()
    for th in threads.values():
        th.join(30)
    assert order == ["A", "B", "C"] and max(peak) == 1 and len(q) == 0


def test_queue_gives_up_the_place_when_the_waiter_stops():
    """A Streamlit rerun or stop raises inside on_wait: the place is freed, the others move up."""
    import threading

    q = export.RenderQueue(max_waiting=3, poll=0.05)
    hold = threading.Event()
    holding = threading.Event()

    def holder() -> None:
        with q.turn("A"):
            holding.set()
            hold.wait(30)

    th = threading.Thread(target=holder, daemon=True)
    th.start()
    assert holding.wait(30)

    class Left(BaseException):
        pass

    def leave(pos: int, total: int) -> None:
        raise Left

    with pytest.raises(Left):
        with q.turn("B", on_wait=leave):
            pass
    assert len(q) == 1
    with pytest.raises(export.WaitTimeout):
        with q.turn("C", timeout=0.2):
            pass
    assert len(q) == 1
    hold.set()
    th.join(30)
    assert len(q) == 0
    with q.turn("D") as ticket:
        assert q.position(ticket) == (1, 1)


def test_pack_size_is_limited():
    kept, left = export.limit_charts(list(range(export.MAX_PACK_CHARTS + 5)))
    assert len(kept) == export.MAX_PACK_CHARTS and left == 5
    assert export.limit_charts([1, 2]) == ([1, 2], 0)


@needs_chromium
def test_sidebar_shows_the_queue_and_says_when_it_is_full():
    """Five requests hold the process's pack queue (one rendering, four waiting): the sidebar says the server
    is busy, and a click is refused with a clear message instead of starting a sixth Chromium job."""
    import threading

    from streamlit.testing.v1 import AppTest

    q = export.PACK_QUEUE
    release = threading.Event()

    def hold(i: int) -> None:
        with q.turn(f"other-session-{i}"):
            release.wait(60)

    threads = [threading.Thread(target=hold, args=(i,), daemon=True) for i in range(q.max_waiting + 1)]
    try:
        for th in threads:
            th.start()
        deadline = time.monotonic() + 30
        while len(q) < q.max_waiting + 1:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        busy = t("pack_queue_busy", "vi").format(n=q.max_waiting + 1)
        assert busy in [c.value for c in at.sidebar.caption]
        next(b for b in at.button if b.key == "pack_build").click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert t("pack_queue_full", "vi").format(n=export.MAX_WAITING) in [w.value for w in at.sidebar.warning]
        assert "_pack" not in at.session_state
    finally:
        release.set()
        for th in threads:
            th.join(30)
    assert len(q) == 0
