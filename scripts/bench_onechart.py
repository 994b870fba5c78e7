"""The yardstick of scripts/bench_pages.py: a Streamlit page with one title and one small plotly chart, served
the same way as the dashboard (`streamlit run scripts/bench_onechart.py`, headless). No store, no sidebar."""
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="one chart", layout="wide")
st.title("Một biểu đồ")
fig = go.Figure(go.Bar(x=[78.2, 65.0, 91.5], y=["Đồng Tháp", "Sóc Trăng", "Đắk Nông"], orientation="h"))
fig.update_layout(height=420, title="Tỉ lệ trường thanh toán không dùng tiền mặt (%)")
st.plotly_chart(fig, key="one")
st.caption("footer")
