"""The preview of a staged batch (intake page after staging, audit page before publishing)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..i18n import fmt_number, t
from . import strings  # noqa: F401


def school_year_text(y: object) -> str:
    try:
        y = int(y)
    except (TypeError, ValueError):
        return "–"
    return f"{y}-{y + 1}"


def _num(v: object, lg: str, decimals: int = 1) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "–"
    return fmt_number(round(float(v), decimals), lang=lg)


def _signed(v: object, lg: str) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "–"
    s = _num(v, lg)
    return ("+" + s) if float(v) > 0 and not s.startswith("+") else s


def previous_year(province: str, df: pd.DataFrame, with_district: bool) -> list:
    """The published value of each row's measure in the school year before (context for a new year, whose
    "before" is empty); None where there is none."""
    from .. import rollups, ui  # noqa: PLC0415

    out, frames = [], {}
    for r in df.itertuples(index=False):
        y = int(r.school_year) - 1
        if y not in frames:
            frames[y] = (ui.query(rollups.district_summary, province, y) if with_district
                         else ui.query(rollups.province_summary, province, y))
        f = frames[y]
        if with_district:
            f = f[f["district_code"] == r.district_code]
        out.append(f[r.measure].iloc[0] if r.measure in f.columns and len(f) else None)
    return out


def _values_table(df: pd.DataFrame, lg: str, with_district: bool, province: str = "") -> pd.DataFrame:
    out = {}
    if with_district:
        out[t("district", lg)] = df["district_name"].fillna("")
    out[t("school_year", lg)] = df["school_year"].map(school_year_text)
    out[t("ik_measure", lg)] = df["measure_name"]
    if province and not df.empty:
        out[t("ik_prev_year", lg)] = [_num(v, lg) for v in previous_year(province, df, with_district)]
    out[t("ik_before", lg)] = [_num(v, lg) for v in df["before"]]
    out[t("ik_after", lg)] = [_num(v, lg) for v in df["after"]]
    out[t("ik_change", lg)] = [_signed(v, lg) for v in df["change"]]
    return pd.DataFrame(out)


def get_preview(bid: int, lg: str):
    """The preview of a staged batch, kept for the session (a staged batch does not change)."""
    key = ("ik_preview", bid, lg)
    cache = st.session_state.setdefault("ik_previews", {})
    if key not in cache:
        from ..intake.preview import preview  # noqa: PLC0415 - the intake core only where it is used

        with st.spinner(t("ik_previewing", lg)):
            cache[key] = preview(bid, lang=lg)
    return cache[key]


def show_preview(bid: int, lg: str, key: str) -> None:
    """Counts new / changed / unchanged, province and district values before and after, jumps > 30 points."""
    p = get_preview(bid, lg)
    st.subheader(t("ik_preview", lg).format(id=bid))
    st.caption(t("ik_preview_note", lg))
    c = st.columns(3)
    c[0].metric(t("ik_new", lg), fmt_number(p.counts.get("new", 0), lang=lg))
    c[1].metric(t("ik_changed", lg), fmt_number(p.counts.get("changed", 0), lang=lg))
    c[2].metric(t("ik_unchanged", lg), fmt_number(p.counts.get("unchanged", 0), lang=lg))
    ind = p.indicators
    if not ind.empty:
        prov = ind[ind["scope"] == "province"].sort_values(["school_year", "measure_name"])
        st.markdown(f"**{t('ik_prov_values', lg)}**")
        st.dataframe(_values_table(prov, lg, False, p.batch["province_code"]), hide_index=True, key=f"{key}_prov")
        dist = ind[ind["scope"] == "district"]
        if not dist.empty:
            st.markdown(f"**{t('ik_dist_values', lg)}**")
            names = dict(zip(dist["measure"], dist["measure_name"]))
            chosen = st.selectbox(t("ik_measure", lg), list(names), format_func=lambda m: names[m],
                                  key=f"{key}_measure")
            d = dist[dist["measure"] == chosen].sort_values(["school_year", "district_name"])
            st.dataframe(_values_table(d, lg, True, p.batch["province_code"]), hide_index=True, key=f"{key}_dist")
    jumps = p.jumps
    if jumps is not None and not jumps.empty:
        st.warning(t("ik_jumps", lg).format(n=jumps["school_code"].nunique()), icon=":material/warning:")
        st.dataframe(pd.DataFrame({
            t("ik_code", lg): jumps["school_code"], t("ik_school", lg): jumps["school_name"],
            t("school_year", lg): jumps["school_year"].map(school_year_text),
            t("ik_measure", lg): jumps["measure_name"],
            t("ik_before", lg): [_num(v, lg) for v in jumps["before"]],
            t("ik_after", lg): [_num(v, lg) for v in jumps["after"]],
            t("ik_change_pts", lg): [_signed(v, lg) for v in jumps["change"]],
        }), hide_index=True, key=f"{key}_jumps")
    elif p.batch.get("kind") in ("school_year", "assessment"):
        st.caption(t("ik_no_jumps", lg))
    rows = p.rows
    if rows is not None and not rows.empty:
        if p.batch.get("kind") == "register":
            st.dataframe(pd.DataFrame({
                t("ik_code", lg): rows["school_code"], t("ik_school", lg): rows["name"],
                t("school_level", lg): rows["level"], t("district", lg): rows["district_code"].fillna(""),
                t("ik_status", lg): rows["change"].map(lambda c: t(f"ik_{c}", lg)),
            }), hide_index=True, key=f"{key}_rows")
        else:
            st.markdown(f"**{t('ik_figures', lg)}**")
            st.dataframe(pd.DataFrame({
                t("indicator", lg): rows["indicator_code"], t("ik_period", lg): rows["period"],
                t("ik_printed", lg): rows["printed"], t("ik_section", lg): rows["section"],
                t("ik_quote", lg): rows["quote"],
                t("ik_other", lg): rows["other_statements"].fillna("–"),
            }), hide_index=True, key=f"{key}_rows")
