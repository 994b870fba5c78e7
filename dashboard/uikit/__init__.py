"""The Streamlit helpers of the pages, by topic; `dashboard.ui` re-exports them (the pages import `ui`).

cache (cached queries) → filters (sidebar, language, URL) → boundary (page errors, end_page) → meeting
(projector mode) → cards (status table, indicator cards) → exports (charts with downloads, briefing pack)
→ districts (district pages).
"""
