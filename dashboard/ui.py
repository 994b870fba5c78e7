"""The pages' one UI module: a facade over `dashboard.uikit` (cached queries, filters bound to the URL, cards,
charts with downloads, meeting mode, the page boundary). Pages and app.py import `ui` and use these names."""
from __future__ import annotations

from .packs import sources_caption  # noqa: F401 - re-exported for the pages (one implementation)
from .uikit.boundary import PageEnd, _fail, end_page, guarded, run_page  # noqa: F401
from .uikit.cache import _cached, _db_token, database_ready, query  # noqa: F401
from .uikit.cards import (CSS, SLIDE_ROWS, STATUS_CSS, STATUS_TEXT, forecast_line, gap_text,  # noqa: F401
                          indicator_card, inject_css, status_legend, status_table, target_cell)
from .uikit.districts import district_page, district_section, unplaced_schools  # noqa: F401
from .uikit.sections import part_choice, shown  # noqa: F401
from .uikit.static_tables import FILE_REF, static_table  # noqa: F401
from .uikit.exports import (_build_pack, _downloads, _filters_text, _log_export_problem,  # noqa: F401
                            _pack_controls, chart, pack_controls)
from .uikit.filters import (DEFAULT_PROVINCE, Filters, filters, lang, latest_as_of, points_text,  # noqa: F401
                            province_name, school_year_select, sidebar_filters)
from .uikit.links import choice, codes_from_url, publish, url_value  # noqa: F401
from .uikit.meeting import (MEETING_CSS, meeting, meeting_bar, meeting_controls, meeting_css,  # noqa: F401
                            meeting_figure, page_start, show_slide)
