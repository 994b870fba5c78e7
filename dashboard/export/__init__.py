"""Chart snapshots and briefing packs: PNG, SVG, CSV, a PDF and a PowerPoint of a page's figures (no streamlit).

- `render`   kaleido in headless Chromium, one warm server per process behind a lock (PNG, SVG, PDF, CSV)
- `footer`   the footer inside every exported image; `PackItem`, one chart of a pack
- `names`    ASCII file names, dates, the filter text
- `briefing` the PDF and PowerPoint packs (title page, one chart per page)
- `queue`    one pack render at a time per process, a visible queue, a limit on pack size

An exported chart carries, inside the image, its title, the active filters, its sources, the as-of date
and — when any of it is simulated — "Dữ liệu mô phỏng" / "Simulated data" (`with_footer`).
`from dashboard import export` then `export.X` keeps working for every name below.
"""
from __future__ import annotations

from ..i18n import register

register({
    "export_pack_title": {"vi": "Báo cáo tóm tắt", "en": "Briefing pack"},
    "export_department": {"vi": "Sở Giáo dục và Đào tạo {province}",
                          "en": "Department of Education and Training, {province}"},
    "export_as_of": {"vi": "Thời điểm số liệu", "en": "Data as of"},
    "export_simulated": {"vi": "Dữ liệu mô phỏng", "en": "Simulated data"},
    "export_simulated_note": {"vi": "Có biểu đồ dùng dữ liệu mô phỏng; chân trang của biểu đồ đó ghi rõ.",
                              "en": "Some charts use simulated data; their footers say so."},
    "export_exported": {"vi": "Ngày xuất", "en": "Exported"},
    "export_contents": {"vi": "Nội dung", "en": "Contents"},
    "export_page": {"vi": "trang", "en": "page"},
    "export_caption": {"vi": "Ghi chú", "en": "Note"},
    "export_no_renderer": {"vi": "Không xuất được ảnh/PDF: máy chủ không có Chrome/Chromium.",
                           "en": "Image/PDF export unavailable: no Chrome/Chromium on the server."},
    "pack_waiting": {"vi": "Đang chờ: vị trí {pos}/{total} (máy chủ dựng từng gói một).",
                     "en": "Waiting: position {pos}/{total} (the server builds one pack at a time)."},
    "pack_queue_busy": {"vi": "Máy chủ đang dựng hoặc chờ {n} gói; gói của bạn sẽ vào hàng đợi.",
                        "en": "The server is building or queuing {n} pack(s); yours will join the queue."},
    "pack_queue_full": {"vi": "Máy chủ đang bận: đã có {n} gói chờ dựng. Vui lòng thử lại sau ít phút.",
                        "en": "The server is busy: {n} packs are already waiting. Please try again in a few minutes."},
    "pack_queue_timeout": {"vi": "Chờ quá lâu nên đã dừng; vui lòng thử lại.",
                           "en": "Waited too long and gave up; please try again."},
    "pack_limit": {"vi": "Trang có {n} biểu đồ; một gói tối đa {max} biểu đồ nên gói gồm {max} biểu đồ đầu tiên.",
                   "en": "This page has {n} charts; a pack holds at most {max}, so it takes the first {max}."},
    "pack_limit_help": {"vi": "Tối đa {max} biểu đồ một gói; mỗi lần máy chủ dựng một gói.",
                        "en": "At most {max} charts per pack; the server builds one pack at a time."},
})

from .render import (  # noqa: E402
    DEFAULT_HEIGHT, EXPORT_WIDTH, RENDER_TIMEOUT, RendererStatus, RendererUnavailable, chromium_available,
    chromium_path, figure_pdf, figure_png, figure_svg, frame_csv, png_size, renderer_status, start_renderer,
    stop_renderer,
)
from .names import _esc, _slug, _sources_line, _wrap, describe_filters, export_filename, fmt_day  # noqa: E402
from .footer import (  # noqa: E402
    FOOTER_FONT, FOOTER_LEGEND, FOOTER_LINE, SIMULATED_COLOUR, PackItem, footer_text, with_footer,
)
from .briefing import (  # noqa: E402
    A4_LANDSCAPE, CORE_PROPERTY_MAX, PDF_CHART_WIDTH, PDF_MARGIN, briefing_pdf, briefing_pptx, shorten,
)
from .queue import (  # noqa: E402
    MAX_PACK_CHARTS, MAX_WAITING, PACK_QUEUE, QueueFull, RenderQueue, WaitTimeout, limit_charts,
)

__all__ = ["PackItem", "RendererStatus", "RendererUnavailable", "chromium_available", "chromium_path",
           "start_renderer", "renderer_status", "stop_renderer", "with_footer", "footer_text", "figure_png",
           "figure_svg", "figure_pdf", "png_size", "frame_csv", "export_filename", "describe_filters", "fmt_day",
           "briefing_pdf", "briefing_pptx", "EXPORT_WIDTH", "A4_LANDSCAPE", "PACK_QUEUE", "RenderQueue", "QueueFull",
           "WaitTimeout", "MAX_PACK_CHARTS", "limit_charts", "shorten"]
