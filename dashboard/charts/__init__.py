"""Pure figure builders: tidy DataFrame in, plotly Figure out (no queries, no streamlit), by topic.

Every figure uses the explicit `edu` template (so server-side exports are not black), Vietnamese
number separators, and carries its own source caption so an exported image keeps its attribution.
"""
from .base import (COLORWAY, DX_LEVEL_COLOURS, DX_LEVEL_TEXT, FONT, LEGEND_WIDTH, PROVINCE_COLOURS, SIMULATED_COLOUR,
                   STATUS_COLOURS, TARGET_MARKERS, TASK_COLOURS, TEMPLATE, TITLE_PAD, _base, _has, _hover_value,
                   _legend_above, _wrap_br, legend_above, legend_lines, mark_simulated, row_label)
from .budget import BUDGET_ITEM_COLOURS, MIN_SEGMENT, OTHER_COLOUR, budget_figure, budget_groups
from .districts import HEAT_ANGLE, HEAT_LABEL, district_bars_figure, dx_levels_figure, heatmap_figure
from .forecast import forecast_figure
from .status import comparison_figure, gap_words, gap_year, target_progress_figure, task_status_figure

__all__ = ["BUDGET_ITEM_COLOURS", "COLORWAY", "DX_LEVEL_COLOURS", "DX_LEVEL_TEXT", "FONT", "HEAT_ANGLE", "HEAT_LABEL",
           "MIN_SEGMENT", "OTHER_COLOUR", "PROVINCE_COLOURS", "SIMULATED_COLOUR", "STATUS_COLOURS", "TARGET_MARKERS",
           "TASK_COLOURS", "TEMPLATE", "LEGEND_WIDTH", "TITLE_PAD", "_base", "_has", "_hover_value", "_legend_above", "_wrap_br", "budget_figure",
           "budget_groups", "comparison_figure", "district_bars_figure", "dx_levels_figure", "forecast_figure",
           "gap_words", "gap_year", "heatmap_figure", "legend_above", "legend_lines", "mark_simulated", "row_label", "target_progress_figure",
           "task_status_figure"]
