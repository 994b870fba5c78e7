"""Pages of the yearly data intake: sign-in box, upload (Nhập dữ liệu), batches (Nhật ký nhập liệu) and the
Decision 4725 page (Mức độ chuyển đổi số). Streamlit lives in `account`, `upload`, `audit_view`, `dx_view`;
`dx_queries` is SQL → DataFrame and `dx_figures` DataFrame → plotly (no Streamlit, no store).

The intake core (dashboard.intake) does the work and re-checks every account and role in the store; these
modules only draw, and check the signed-in role again before every action.
"""
from __future__ import annotations

from . import strings  # noqa: F401 - registers the ik_* UI strings
