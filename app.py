"""Entry point: page config, language and global filters (bound to the URL), navigation, footer."""
import streamlit as st

from dashboard import ui
from dashboard.i18n import t
from dashboard import maps  # noqa: F401 - registers the STEM map page's strings (stemmap_*)
from dashboard.intake_ui import account  # sign-in box; registers the intake pages' strings (ik_*)
from dashboard.national import queries as national_q, strings as _national_strings  # noqa: F401 - nat_* strings

st.set_page_config(page_title="Chuyển đổi số ngành Giáo dục", page_icon="📊", layout="wide",
                   initial_sidebar_state="collapsed" if ui.meeting() else "expanded")
ui.meeting_css()  # first element of the run: the sidebar is hidden before it is ever painted
ui.inject_css()

if not ui.guarded(ui.database_ready):  # a bad DATABASE_URL: the clear message, not a traceback
    st.error(t("db_missing", ui.lang()))
    st.stop()

filters = ui.guarded(ui.sidebar_filters)  # an unreadable store: one clear message
st.session_state["_filters"] = filters
lang = filters.lang
ui.guarded(account.sidebar_account, lang)  # viewers need no sign-in

pages = [
    st.Page("pages/overview.py", title=t("page_overview", lang), icon=":material/home:", url_path="tong-quan-mac-dinh",
            default=True),
    st.Page("pages/targets.py", title=t("page_targets", lang), icon=":material/flag:", url_path="muc-tieu"),
    st.Page("pages/infrastructure.py", title=t("page_infrastructure", lang), icon=":material/computer:", url_path="ha-tang-so"),
    st.Page("pages/adoption.py", title=t("page_adoption", lang), icon=":material/insights:", url_path="ung-dung-cntt"),
    st.Page("pages/forecast.py", title=t("page_forecast", lang), icon=":material/trending_up:", url_path="du-bao"),
    st.Page("pages/budget.py", title=t("page_budget", lang), icon=":material/payments:", url_path="ngan-sach"),
    st.Page("pages/dx_levels.py", title=t("ik_page_dx", lang), icon=":material/stairs:", url_path="muc-do-cds"),
    st.Page("pages/stem_map.py", title=t("stemmap_page", lang), icon=":material/map:", url_path="ban-do-stem"),
    st.Page("pages/sources.py", title=t("page_sources", lang), icon=":material/library_books:", url_path="du-lieu-nguon"),
    # In the navigation when two or more provinces have school data; its address always opens it (empty state).
    st.Page("pages/national.py", title=t("nat_page", lang), icon=":material/public:", url_path="toan-quoc",
            visibility="visible" if ui.guarded(ui.query, national_q.provinces_with_school_data) >= 2 else "hidden"),
    # The default page is served at "/"; its own slug (used in links and export names) opens it too.
    st.Page("pages/overview.py", title=t("page_overview", lang), url_path="tong-quan", visibility="hidden"),
]
# The intake pages are in the navigation only for a signed-in editor or approver; for a viewer their address
# still opens them (hidden), where they say which role is needed instead of a "Page not found" dialog.
staff = "visible" if account.allowed("editor") else "hidden"
pages += [st.Page("pages/intake.py", title=t("ik_page_intake", lang), icon=":material/upload_file:",
                  url_path="nhap-du-lieu", visibility=staff),
          st.Page("pages/audit.py", title=t("ik_page_audit", lang), icon=":material/history:",
                  url_path="nhat-ky-nhap-lieu", visibility=staff)]
page = st.navigation(pages, position="sidebar")
page_key = "tong-quan" if page.url_path in ("", "tong-quan-mac-dinh") else page.url_path
ui.page_start(page_key)
meeting_bar = ui.meeting_bar()  # drawn before the page, so "leave meeting mode" is there even if it stops early
ui.run_page(page)  # a failing page: one clear message, logged on the server with an incident code
ui.meeting_controls(meeting_bar)
ui.pack_controls(page_key)

st.divider()
st.caption(t("footer", lang))
