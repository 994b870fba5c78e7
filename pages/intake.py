"""Nhập dữ liệu (editor): kind → template / demo → upload → check → stage → preview."""
import streamlit as st

from dashboard import ui
from dashboard.i18n import t
from dashboard.intake_ui import account, upload

f = ui.filters()
lg = f.lang
st.title(t("ik_page_intake", lg))
account.require_page("editor", lg)  # also when the page is reached by its address
st.markdown(t("ik_intro", lg))

kind = upload.choose_kind(lg)
upload.downloads(kind, lg)
data_file, doc_file = upload.uploads(kind, lg)
if data_file is None:
    ui.end_page()
if kind == "report" and doc_file is None:
    st.info(t("ik_need_doc", lg), icon=":material/description:")
    ui.end_page()
data = data_file.getvalue()
doc = doc_file.getvalue() if doc_file is not None else None
doc_name = doc_file.name if doc_file is not None else None
res = upload.checked(kind, data, data_file.name, doc, doc_name, lg)
ready = upload.show_problems(res, lg)
upload.stage_button(res, kind, data, doc, doc_name, ready, lg)
