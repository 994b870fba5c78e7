"""The renderer: kaleido 1.5 in headless Chromium, one warm server per process behind a lock; PNG, SVG, PDF.

Debian's `chromium` is found on PATH or through BROWSER_PATH. One kaleido server is started once per
process (`start_renderer`) and kept alive, so an export costs a fraction of a second after the first.
Every figure is rendered with its own explicit template (`edu` from dashboard.charts): `import streamlit`
changes plotly's default template, which must not leak into exported images.
"""
from __future__ import annotations

import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import charts  # also registers the "edu" template

EXPORT_WIDTH = 1200          # px, width of an exported chart whose layout sets none
DEFAULT_HEIGHT = 600         # px, height of an exported chart whose layout sets none
RENDER_TIMEOUT = 60.0        # seconds for one image (kaleido's own limit, and ours around a call)


@dataclass(frozen=True)
class RendererStatus:
    """Truthy when the renderer is running; `reason` says why not otherwise."""
    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


class RendererUnavailable(RuntimeError):
    """No Chrome/Chromium, or kaleido could not start or answer."""


_lock = threading.RLock()
_status = RendererStatus(False, "not started")
_hung = threading.Event()  # set when kaleido stopped answering while its thread lives on


def chromium_path() -> str | None:
    """The Chrome/Chromium kaleido would use (BROWSER_PATH, then PATH, then usual places), or None."""
    try:
        from choreographer.browsers.chromium import Chromium
        path = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - an odd install is "not available", not a crash
        return None
    return path if path and Path(path).is_file() else None


def chromium_available() -> bool:
    return chromium_path() is not None


def _server():
    import kaleido
    return kaleido._global_server  # noqa: SLF001 - the singleton behind start_sync_server


def _server_alive() -> bool:
    srv = _server()
    thread = getattr(srv, "_thread", None)
    return bool(srv.is_running() and thread is not None and thread.is_alive())


def _call(spec: dict, opts: dict, timeout: float = RENDER_TIMEOUT + 5) -> bytes:
    """kaleido.calc_fig_sync on the kept-alive server, with a watchdog (a dead server would block forever)."""
    import kaleido

    box: dict = {}

    def run() -> None:
        try:
            box["out"] = kaleido.calc_fig_sync(spec, opts=opts)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["err"] = exc

    worker = threading.Thread(target=run, daemon=True, name="export-render")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise RendererUnavailable(f"kaleido did not answer within {timeout:.0f} s")
    if "err" in box:
        raise box["err"]
    return box["out"]


def start_renderer(timeout: float = 60.0) -> RendererStatus:
    """Start kaleido's sync server once (idempotent) and warm it up with a tiny render.

    Returns a RendererStatus: truthy when running; falsy with a reason when Chrome/Chromium is missing or
    kaleido could not start (then every export function raises RendererUnavailable with that reason).
    """
    global _status
    with _lock:
        if _status.ok and _server_alive():
            return _status
        if _hung.is_set() and _server_alive():  # a render never came back: do not queue more behind it
            return _status
        _hung.clear()
        import kaleido

        if _server().is_running():  # started elsewhere, or died: start afresh
            try:
                if not _server_alive():
                    kaleido.stop_sync_server(silence_warnings=True)
            except Exception:  # noqa: BLE001
                pass
        path = chromium_path()
        if path is None:
            _status = RendererStatus(False, "Chrome/Chromium not found (install Debian's 'chromium', "
                                            "or set BROWSER_PATH to a Chrome/Chromium executable)")
            return _status
        try:
            if not _server().is_running():
                kaleido.start_sync_server(n=1, timeout=RENDER_TIMEOUT, mathjax=False, path=path,
                                          silence_warnings=True)
            warm = go.Figure(layout=dict(template=charts.TEMPLATE, width=40, height=30))
            _call(warm.to_dict(), {"format": "png", "width": 40, "height": 30, "scale": 1}, timeout)
        except Exception as exc:  # noqa: BLE001
            if _server().is_running() and not _server_alive():
                kaleido.stop_sync_server(silence_warnings=True)
            elif isinstance(exc, RendererUnavailable):
                _hung.set()
            _status = RendererStatus(False, f"kaleido could not start Chromium at {path}: "
                                            f"{type(exc).__name__}: {exc}".strip())
            return _status
        _status = RendererStatus(True, f"kaleido running on {path}")
        return _status


def renderer_status() -> RendererStatus:
    """The last status of start_renderer, without starting anything."""
    return _status if not _status.ok or _server_alive() else RendererStatus(False, "renderer stopped")


def stop_renderer() -> None:
    global _status
    with _lock:
        import kaleido

        if _server().is_running():
            kaleido.stop_sync_server(silence_warnings=True)
        _status = RendererStatus(False, "stopped")


def _prepared(fig: go.Figure, width: int | None, height: int | None) -> tuple[dict, int, int]:
    """A copy with a white background and its explicit template (never plotly's current default)."""
    out = go.Figure(fig)
    tmpl = out.layout.template
    if tmpl is None or not tmpl.to_plotly_json():
        out.update_layout(template=charts.TEMPLATE)
    out.update_layout(paper_bgcolor="white")
    if out.layout.plot_bgcolor is None and (out.layout.template.layout.plot_bgcolor is None):
        out.update_layout(plot_bgcolor="white")
    w = int(width or out.layout.width or EXPORT_WIDTH)
    h = int(height or out.layout.height or DEFAULT_HEIGHT)
    out.update_layout(width=w, height=h)
    return out.to_dict(), w, h


def _render(fig: go.Figure, fmt: str, *, scale: float = 1, width: int | None = None,
            height: int | None = None) -> bytes:
    global _status
    with _lock:
        status = start_renderer()
        if not status:
            raise RendererUnavailable(status.reason)
        spec, w, h = _prepared(fig, width, height)
        try:
            out = _call(spec, {"format": fmt, "width": w, "height": h, "scale": scale})
        except RendererUnavailable as exc:
            _status = RendererStatus(False, f"{exc}; restart the app to export again")
            _hung.set()
            raise
    return out.encode("utf-8") if isinstance(out, str) else bytes(out)


def figure_png(fig: go.Figure, scale: float = 2, *, width: int | None = None, height: int | None = None) -> bytes:
    """PNG on white at `scale`× the layout size (default width 1200 px when the layout sets none)."""
    return _render(fig, "png", scale=max(scale, 1), width=width, height=height)


def figure_svg(fig: go.Figure, *, width: int | None = None, height: int | None = None) -> bytes:
    """SVG (text stays text, so titles are searchable and scale without loss)."""
    return _render(fig, "svg", width=width, height=height)


def figure_pdf(fig: go.Figure, *, width: int | None = None, height: int | None = None) -> bytes:
    """One vector PDF page the size of the figure."""
    return _render(fig, "pdf", width=width, height=height)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def frame_csv(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese diacritics; a text cell that a spreadsheet
    would run as a formula (=, +, -, @) starts with an apostrophe (`csv_human.guard_formulas`)."""
    from .csv_human import guard_formulas  # noqa: PLC0415

    return guard_formulas(df).to_csv(index=False).encode("utf-8-sig")

