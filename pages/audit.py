"""Nhật ký nhập liệu: every batch with status, file (sha256), uploader, approver, times and effect; an
approver publishes, rejects or rolls back here (each confirmed; the dashboards follow the data version)."""
import streamlit as st

from dashboard import ui
from dashboard.i18n import t
from dashboard.intake import audit
from dashboard.intake_ui import account
from dashboard.intake_ui import audit_view as v

f = ui.filters()
lg = f.lang
st.title(t("ik_page_audit", lg))
account.require_page("editor", lg)  # also when the page is reached by its address
st.caption(t("ik_audit_intro", lg))
v.flash(lg)
df = audit.batches(lang=lg)  # not cached: staging does not change the data version
if df.empty:
    st.info(t("ik_no_batches", lg))
    ui.end_page()
st.dataframe(v.batch_table(df, lg), hide_index=True, key="ik_batches_table")
b = v.choose_batch(df, lg)
v.details(b, lg)
v.actions(b, lg)
v.staged_preview(b, lg)
