"""Streamlit pieces of the two geographies: the province selector's options and labels, the resolution of a
current province to the former province whose published figures the pages show, the note that labels them,
the current-commune filter and the targets not restated. Queries go through the cached `query`."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..i18n import fmt_value
from ..markup import md
from ..uikit.cache import query
from . import queries as uq
from .rollup import coverage_text, former_label, targets_not_restated
from .strings import s


def _options():
    return query(uq.province_options)


def province_choices() -> tuple[list[str], dict[str, dict]]:
    """Option codes (current provinces with store data first, then the former ones) and their rows."""
    opts = _options()
    if opts.empty:  # a store without the unit tables' rows: the former provinces with figures, as before
        provs = query("provinces")
        opts = pd.DataFrame({"option": provs["code"], "kind": "former", "code": provs["code"], "name": provs["name"],
                             "fullname": provs["name"], "former_with_data": provs["code"]})
    rows = {r["option"]: r for r in opts.to_dict("records")}
    _old_link(rows)
    return list(rows), rows


def _old_link(rows: dict[str, dict]) -> None:
    """Links made before the two geographies name a province by its plain name (`?province=Sóc+Trăng`): point
    them at the former province, by its label (read by the selector whether it keeps codes or labels)."""
    value = st.query_params.get("province")
    if not value or value in rows:
        return
    known = {province_label(o, lg, rows) for o in rows for lg in ("vi", "en")}
    if value in known:
        return
    for o, r in rows.items():
        if r["kind"] == "former" and value.casefold() in (str(r["name"]).casefold(), str(r["fullname"]).casefold()):
            st.query_params["province"] = province_label(o, "vi", rows)  # the selector's first run reads it
            return


def province_label(option: str, lang: str, rows: dict[str, dict]) -> str:
    """'Thành phố Cần Thơ' for a current province, 'Sóc Trăng (trước 7/2025)' for a former one."""
    r = rows.get(option)
    if r is None:
        return option
    return r["fullname"] if r["kind"] == "current" else former_label(r["name"], lang)


def resolve(option: str, rows: dict[str, dict]) -> tuple[str, str | None]:
    """(former province whose figures the pages show, current province or None) of a selector option.
    A current province shows its first former province with published figures (by name)."""
    r = rows.get(option)
    if r is None or r["kind"] == "former":
        return option, None
    with_data = [c for c in (r["former_with_data"] or "").split(";") if c]
    return (with_data[0] if with_data else option), r["code"]


def unit_name(f) -> str:  # noqa: ANN001 - ui Filters
    """The name of the unit chosen in the selector: the current province ('Thành phố Cần Thơ') when one was
    chosen, else the former province's name ('Sóc Trăng')."""
    current = getattr(f, "current_province", None)
    if current:
        cur = _options()
        name = cur.loc[(cur["kind"] == "current") & (cur["code"] == current), "fullname"]
        if len(name):
            return str(name.iloc[0])
    provs = query("provinces")
    return dict(zip(provs["code"], provs["name"])).get(f.province, f.province)


def page_title(text: str, f) -> None:  # noqa: ANN001 - ui Filters
    """'Tổng quan — Thành phố Cần Thơ': the page title names the chosen unit; under it, for a current province,
    the note saying whose published figures follow (the former province's, labelled with it)."""
    st.title(f"{text} — {md(unit_name(f))}")
    current_province_note(f)


def target_scope_note(scope: object, f) -> str:  # noqa: ANN001 - ui Filters
    """After a target value on a current province's pages: ' (Sóc Trăng (trước 7/2025))' when the target was
    set by the former province (the current province has not restated it), '' for the current province's own
    target and for any target on a former province's pages."""
    if not getattr(f, "current_province", None) or scope != f.province:
        return ""
    provs = query("provinces")
    return f" ({former_label(dict(zip(provs['code'], provs['name'])).get(f.province, f.province), f.lang)})"


def current_province_note(f) -> None:  # noqa: ANN001 - ui Filters
    """Under a page title: which former province's published figures follow, labelled with their unit, and how
    many former provinces of the current one reported ('1/3 tỉnh cũ có số liệu')."""
    current = getattr(f, "current_province", None)
    if not current:
        return
    parts = query(uq.former_parts, current)
    names = dict(zip(parts["code"], parts["name"]))
    cur = _options()
    cur = cur[(cur["kind"] == "current") & (cur["code"] == current)]
    if cur.empty:
        return
    n_data = int(parts["has_data"].sum())
    st.info(s("geography_note", f.lang).format(
        current=md(cur["fullname"].iloc[0]), parts=md(", ".join(parts["name"])),
        with_data=f"**{md(former_label(names.get(f.province, f.province), f.lang))}**",
        coverage=coverage_text(n_data, len(parts), f.lang)))


def commune_filter(current: str | None, province: str, lang: str) -> tuple[str, ...]:
    """Sidebar: the current communes (from 7/2025) a current province's schools lie in, by code in the URL
    (`?commune=29905`). Drawn only when a current province is chosen; the pages of school-level data filter
    their schools by it in SQL (units.queries.commune_clause)."""
    if not current:
        return ()
    communes = query(uq.communes_of, current, province)
    if communes.empty:
        return ()
    names = dict(zip(communes["code"], communes["fullname"]))
    from ..uikit.links import choice  # noqa: PLC0415 - codes in the URL; only communes of the chosen province

    chosen = choice(st.multiselect, s("current_commune", lang), list(names), key="commune", page=None, lang=lang,
                    labels=lambda c, _: names.get(c, c), placeholder=s("communes_all", lang), select_all=False)
    return tuple(chosen)


def communes_text(f) -> str:  # noqa: ANN001 - ui Filters
    """' · Xã/phường (từ 7/2025): Phường Sa Đéc' for the filter line of exported charts and packs ('' when no
    commune is chosen)."""
    if not getattr(f, "communes", ()) or not getattr(f, "current_province", None):
        return ""
    communes = query(uq.communes_of, f.current_province, f.province)
    names = dict(zip(communes["code"], communes["fullname"]))
    return f" · {s('current_commune', f.lang)}: " + ", ".join(names.get(c, c) for c in f.communes)


def commune_note(f) -> None:  # noqa: ANN001 - ui Filters
    """On a page of school-level data with communes chosen: how many schools they hold, and how many of the
    province's schools have a known current commune at all (the others are in no commune, never guessed)."""
    if not getattr(f, "communes", ()):
        return
    cov = query(uq.commune_coverage, f.province, f.communes)
    provs = query("provinces")
    former = former_label(dict(zip(provs["code"], provs["name"])).get(f.province, f.province), f.lang)
    st.caption(s("commune_note", f.lang).format(chosen=cov["chosen"], placed=cov["placed"], schools=cov["schools"],
                                                former=md(former)))


def not_restated_section(f) -> None:  # noqa: ANN001 - ui Filters
    """Targets page: the targets of the former provinces, each attached to the province that set it, that the
    current province has not restated."""
    current = getattr(f, "current_province", None)
    if not current:
        return
    tg = query(targets_not_restated, current, lang=f.lang)
    todo = tg[~tg["restated"]]
    if todo.empty:
        return
    cur = _options()
    name = cur.loc[(cur["kind"] == "current") & (cur["code"] == current), "fullname"]
    st.subheader(s("not_restated_title", f.lang))
    st.caption(s("not_restated_note", f.lang).format(current=md(name.iloc[0] if len(name) else current),
                                                     n=len(todo)))
    cols = {"vi": ("Tỉnh đặt chỉ tiêu", "Chỉ tiêu", "Năm", "Giá trị"), "en": ("Set by", "Indicator", "Year", "Value")}
    c = cols["en" if f.lang == "en" else "vi"]
    table = pd.DataFrame({c[0]: todo["unit_label"], c[1]: todo["indicator_name"], c[2]: todo["year"].astype(str),
                          c[3]: [r["printed"] or fmt_value(r["value"], r["unit"], f.lang) for r in todo.to_dict("records")]})
    st.dataframe(table, hide_index=True, key="units_not_restated")
