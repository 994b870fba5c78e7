"""Briefing packs: the figures a page shows, in page order, as PackItems; and the `pack` command (no streamlit).

Each builder calls dashboard.queries and dashboard.charts with the same arguments as its page
(pages/overview.py, pages/targets.py, pages/budget.py), so a pack shows exactly what the screen shows for
the same filters. Keep the two in step when a page changes (tests/test_export.py compares them).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from . import charts, queries
from .export import PackItem, _slug
from .i18n import LEVEL_NAMES, PILLAR_NAMES, fmt_date, fmt_number, pillar_name, t
from .markup import section_label

PAGES = ("overview", "targets", "budget")
PAGE_TITLES = {"overview": "page_overview", "targets": "page_targets", "budget": "page_budget"}


# ------------------------------------------------------------------------------------------ helpers
def sources_caption(df: pd.DataFrame, lg: str) -> str:
    """'Nguồn: …; thời điểm 03/2024' for the rows a chart shows (pages use it through dashboard.ui)."""
    if df.empty or "source_title" not in df:
        return ""
    cols = ["source_title"] + [c for c in df.columns if c.startswith("target_") and c.endswith("_source")]
    titles = sorted({s for c in cols for s in df[c].dropna() if isinstance(s, str) and s})
    as_of = df["period_end"].dropna().max() if "period_end" in df else None
    txt = f"{t('sources', lg)}: " + "; ".join(titles)
    if as_of is not None and not pd.isna(as_of):
        txt += f" — {t('as_of', lg)} {fmt_date(as_of, lg)}"
    return txt


def _sources_only(df: pd.DataFrame, lg: str) -> str:
    """'Nguồn: a; b' without the as-of date (the footer states that on its own line): the documents of the
    values and of the targets shown (a chart of targets without a reported value still names its source)."""
    if df.empty or "source_title" not in df:
        return ""
    cols = ["source_title"] + [c for c in df.columns if c.startswith("target_") and c.endswith("_source")]
    return f"{t('sources', lg)}: " + "; ".join(sorted({s for c in cols for s in df[c].dropna()
                                                        if isinstance(s, str) and s}))


def _as_of(df: pd.DataFrame, lg: str) -> str:
    if df.empty or "period_end" not in df:
        return ""
    v = df["period_end"].dropna()
    return fmt_date(v.max(), lg) if not v.empty else ""


def _doc_as_of(source_ids: Sequence[str], lg: str) -> str:
    """As-of date of the documents behind a chart (budget, tasks: rows without a period of their own)."""
    docs = queries.sources()
    v = docs.loc[docs["id"].isin(set(source_ids)), "as_of"].dropna()
    v = v[v.astype(str) != ""]
    return fmt_date(str(v.max()), lg) if not v.empty else ""


def _simulated(df: pd.DataFrame) -> bool:
    """True when any row behind the chart is not a published figure (provenance 'simulated', 'derived'…)."""
    if df.empty:
        return False
    if "provenance" in df and (df["provenance"].fillna("published") != "published").any():
        return True
    return bool("simulated" in df and df["simulated"].fillna(False).astype(bool).any())


def _cols(df: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    return df[[c for c in cols if c in df]].reset_index(drop=True)


# ------------------------------------------------------------------------------------------- pages
def overview_pack(province: str, *, lang: str = "vi", year_max: int | None = None, levels: Sequence[str] = (),
                   pillars: Sequence[str] = ()) -> list[PackItem]:
    """pages/overview.py: the three provinces compared (the headline cards are not a figure)."""
    lg = lang
    comp = queries.province_comparison(year_max=year_max, levels=tuple(levels), lang=lg)
    if pillars:
        comp = comp[comp["pillar"].isin(pillars)]
    caption = sources_caption(comp, lg)
    fig = charts.comparison_figure(comp, lang=lg, title=t("compare_title", lg), caption=caption)
    csv = _cols(comp, ["unit_name", "indicator_code", "indicator_name", "level", "breakdown_name", "period",
                       "value", "qualifier", "printed", "numerator", "denominator", "source_title", "section",
                       "quote"])
    return [PackItem(fig, t("compare_title", lg), t("compare_caption", lg), _sources_only(comp, lg),
                     _simulated(comp), csv, _as_of(comp, lg), "so-sanh-ba-tinh", "overview")]


def targets_pack(province: str, *, lang: str = "vi", year_max: int | None = None, levels: Sequence[str] = (),
                  pillars: Sequence[str] = (), current: str | None = None) -> list[PackItem]:
    """pages/targets.py: one chart per pillar, actual against the 2025/2030 (and own 2024) targets (`current`:
    the province from 7/2025 chosen, whose own targets come first)."""
    lg = lang
    own_years = queries.targets_for(province, lang=lg, current=current)
    years = sorted({2025, 2030} | {int(y) for y in own_years.loc[own_years["scope_code"] != "VN", "year"]
                                   if y >= 2024})
    order = [y for y in (2025, 2024, 2030) if y in years] + [y for y in years if y not in (2025, 2024, 2030)]
    df = queries.progress_table(province, year_max=year_max, levels=tuple(levels), pillars=tuple(pillars),
                                target_years=tuple(order), lang=lg, current=current)
    has_target = df[[f"target_{y}" for y in years]].notna().any(axis=1) if not df.empty else pd.Series(dtype=bool)
    df = df[has_target] if not df.empty else df
    items = []
    note = t("targets_caption", lg) + " " + t("status_rule", lg)
    for pillar, part in (df.groupby("pillar", sort=False) if not df.empty else []):
        caption = sources_caption(part, lg)
        fig = charts.target_progress_figure(part, lang=lg, title=pillar_name(pillar, lg), caption=caption,
                                            target_years=tuple(years))
        if not fig.data:  # the page shows no chart then
            continue
        cols = ["indicator_code", "indicator_name", "level_name", "breakdown_name", "value", "unit", "qualifier",
                "printed", "period_end", "status", "status_basis"]
        for y in years:
            cols += [f"target_{y}", f"target_{y}_qualifier", f"target_{y}_printed", f"target_{y}_scope",
                     f"target_{y}_source", f"target_{y}_section"]
        cols += ["gap_2025", "source_title", "section"]
        items.append(PackItem(fig, pillar_name(pillar, lg), note, _sources_only(part, lg), _simulated(part),
                              _cols(part, cols), _as_of(part, lg), _slug(f"muc-tieu-{pillar_name(pillar, 'vi')}"),
                              "targets"))
    return items


def budget_pack(province: str, *, lang: str = "vi", year_max: int | None = None, levels: Sequence[str] = (),
                 pillars: Sequence[str] = ()) -> list[PackItem]:
    """pages/budget.py: investment items by source of funds, then tasks by status (filters do not apply)."""
    lg = lang
    out = []
    items = queries.budget_items(province, lang=lg)
    if not items.empty:
        caption = ", ".join(sorted(set(items["source_title"] + " — " + items["section"].str.split(",").str[0].map(
            lambda s: section_label(s, lg)))))
        fig = charts.budget_figure(items, lang=lg, title=t("budget_title", lg), caption=f"{t('sources', lg)}: {caption}")
        checks = queries.budget_checks(province, lang=lg)
        overall = checks[checks["breakdown"].isin(["", "fund_ngan_sach_tinh_dtpt"])].sort_values("period")
        note = "; ".join(f"{t('published_total', lg)} {r['period']}: {fmt_number(r['published'], lang=lg)} "
                         f"{t('million_vnd', lg)}" for _, r in overall.iterrows())
        csv = _cols(items, ["plan_period", "group_vi", "number", "item_vi", "year", "amount_million_vnd", "printed",
                            "funding_source_name", "source_title", "section", "quote", "note"])
        out.append(PackItem(fig, t("budget_title", lg), note, f"{t('sources', lg)}: {caption}", _simulated(items),
                            csv, _doc_as_of(items["source_id"], lg), "kinh-phi-theo-nguon", "budget"))
    tasks = queries.tasks(province)
    if not tasks.empty:
        counts = queries.task_status_counts(province)
        docs = queries.sources()
        titles = dict(zip(docs["id"], docs["short_title_en" if lg == "en" else "short_title_vi"]))
        src = "; ".join(sorted({titles.get(s, s) for s in tasks["source_id"]}))
        fig = charts.task_status_figure(counts, lang=lg, title=t("tasks_title", lg), caption=f"{t('sources', lg)}: {src}")
        csv = _cols(tasks, ["plan_year", "group_vi", "number", "title_vi", "lead_unit", "partner_units", "status",
                            "result_note", "source_id", "section", "quote"])
        out.append(PackItem(fig, t("tasks_title", lg), "", f"{t('sources', lg)}: {src}", _simulated(tasks), csv,
                            _doc_as_of(tasks["source_id"], lg), "nhiem-vu", "budget"))
    return out


def status_table(province: str, *, lang: str = "vi", year_max: int | None = None, levels: Sequence[str] = (),
                 pillars: Sequence[str] = (), current: str | None = None) -> pd.DataFrame:
    """The headline status table that opens every pack: the overview cards' query (same filters, 2025 target
    else the 2024 plan target), one display row per indicator, level and breakdown."""
    from .export.status_table import STATUS_YEARS, status_rows

    df = queries.progress_table(province, year_max=year_max, levels=tuple(levels), pillars=tuple(pillars),
                                headline_only=True, target_years=STATUS_YEARS, lang=lang, current=current)
    return status_rows(df, lang, former=former_names(province, current))


def former_names(province: str, current: str | None) -> dict[str, str] | None:
    """{former province code: name} when a province from 7/2025 is chosen (its former provinces' targets then
    name the unit that set them), else None."""
    if not current:
        return None
    provs = queries.provinces()
    return {province: dict(zip(provs["code"], provs["name"])).get(province, province)}


BUILDERS: dict[str, Callable[..., list[PackItem]]] = {
    "overview": overview_pack, "targets": targets_pack, "budget": budget_pack}


CURRENT_AWARE = {"targets"}  # builders that take `current` (the province from 7/2025 chosen)


def page_items(page: str, province: str, *, lang: str = "vi", year_max: int | None = None,
               levels: Sequence[str] = (), pillars: Sequence[str] = (), current: str | None = None) -> list[PackItem]:
    """The figures of one page ('overview', 'targets', 'budget'; 'all' = the three in menu order) for a
    province given by GSO code ('87'), in the order the page shows them (`current`: the province from 7/2025
    chosen, '92', whose own targets come first)."""
    pages = PAGES if page == "all" else (page,)
    unknown = [p for p in pages if p not in BUILDERS]
    if unknown:
        raise ValueError(f"unknown page {unknown[0]!r}; expected one of {', '.join(PAGES)} or 'all'")
    out: list[PackItem] = []
    for p in pages:
        extra = {"current": current} if current and p in CURRENT_AWARE else {}
        out += BUILDERS[p](province, lang=lang, year_max=year_max, levels=tuple(levels), pillars=tuple(pillars),
                           **extra)
    return out


def resolve_province(name: str) -> tuple[str, str] | None:
    """'Đồng Tháp', 'dong thap', 'Dong-Thap' or '87' → ('87', 'Đồng Tháp'); None when unknown."""
    provs = queries.provinces()
    key = _slug(name)
    for code, pname in zip(provs["code"], provs["name"]):
        if name.strip() in (code, pname) or (key and key == _slug(pname)):
            return code, pname
    return None


def resolve_unit(name: str) -> tuple[str, str | None, str] | None:
    """The `pack` command's --province: a former province as resolve_province reads it → ('94', None,
    'Sóc Trăng'); a province from 7/2025 with figures by its option code or full name ('92-2025', 'Thành phố Cần
    Thơ', 'thanh pho can tho') → (its first former province with figures, '92', 'Thành phố Cần Thơ') as the
    selector resolves it; None when unknown."""
    found = resolve_province(name)
    if found is not None:
        return found[0], None, found[1]
    from .units.queries import province_options  # noqa: PLC0415

    opts = province_options()
    key = _slug(name)
    for r in opts[opts["kind"] == "current"].to_dict("records"):
        with_data = [c for c in (r["former_with_data"] or "").split(";") if c]
        if with_data and (name.strip() in (r["option"], r["fullname"]) or (key and key == _slug(r["fullname"]))):
            return with_data[0], r["code"], r["fullname"]
    return None


def _known_units() -> str:
    from .units.queries import province_options  # noqa: PLC0415

    opts = province_options()
    cur = opts[(opts["kind"] == "current") & (opts["former_with_data"] != "")]
    return ", ".join([*(f"{o} ({n})" for o, n in zip(cur["option"], cur["fullname"])), *queries.provinces()["name"]])


# --------------------------------------------------------------------------------------------- CLI
def add_pack_arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--province", required=True,
                   help="former province: name as shown ('Đồng Tháp'; 'Dong Thap' works) or GSO code ('87'); "
                        "province from 1 July 2025: option code ('92-2025') or full name ('Thành phố Cần Thơ')")
    p.add_argument("--format", choices=["pdf", "pptx"], required=True)
    p.add_argument("--out", help="file to write (default: in the current folder, named after the page, the province "
                                 "and the day, e.g. all_thanh-pho-can-tho_ban-tom-tat_2026-11-23.pdf)")
    p.add_argument("--page", choices=[*PAGES, "all"], default="all", help="which page's charts (default: all)")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--year", type=int, default=None, help="latest year to include (default: latest)")
    p.add_argument("--level", action="append", default=[], choices=list(LEVEL_NAMES), help="school level (repeatable)")
    p.add_argument("--pillar", action="append", default=[], choices=list(PILLAR_NAMES), help="pillar (repeatable)")
    return p


def run_pack(args: argparse.Namespace) -> int:
    """Build the pack described by parsed `pack` arguments; prints where it went and how long it took."""
    import logging

    from . import export

    # kaleido's Chromium driver logs the messages it skips with a traceback ("JSONError decoding message.
    # Ignoring"); harmless, but a command line prints one clear line, never a traceback
    # (imported first: their loggers are logistro's own class, which must create them)
    try:
        import choreographer.channels.pipe  # noqa: F401
        import kaleido  # noqa: F401
    except ImportError:  # pragma: no cover - no renderer installed: start_renderer says so
        pass
    else:
        for name in ("choreographer", "choreographer.channels.pipe"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    t0 = time.perf_counter()
    found = resolve_unit(args.province)
    if found is None:
        print(f"unknown province {args.province!r}; known: {_known_units()}", file=sys.stderr)
        return 2
    code, current, pname = found  # pname: the chosen unit (the current province when one is chosen)
    items = page_items(args.page, code, lang=args.lang, year_max=args.year, levels=args.level, pillars=args.pillar,
                       current=current)
    t_data = time.perf_counter()
    status = export.start_renderer()
    t_start = time.perf_counter()
    if not status:
        print(f"cannot draw the pack: {status.reason}", file=sys.stderr)
        return 3
    filters = export.describe_filters(pname.removeprefix("Tỉnh "), year_max=args.year, levels=args.level, pillars=args.pillar,
                                      lang=args.lang)
    build = export.briefing_pdf if args.format == "pdf" else export.briefing_pptx
    status = status_table(code, lang=args.lang, year_max=args.year, levels=args.level, pillars=args.pillar,
                          current=current)
    try:
        data = build(items, province=pname, filters_text=filters, day=date.today(), lang=args.lang, status=status)
    except export.RendererUnavailable as exc:
        print(f"cannot draw the pack: {exc}", file=sys.stderr)
        return 3
    t_render = time.perf_counter()
    out = Path(args.out) if args.out else Path(export.export_filename(args.page, pname, "ban-tom-tat", args.format,
                                                                      date.today()))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")  # whole file or nothing: write, then rename
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {out} (title, status table of {len(status)} indicators, {len(items)} chart{'' if len(items) == 1 else 's'}; "
          f"{len(data) / 1024:.0f} KiB) in "
          f"{t_render - t0:.2f} s: data {t_data - t0:.2f} s, renderer start {t_start - t_data:.2f} s, "
          f"render {t_render - t_start:.2f} s")
    return 0


def pack_cli(argv: Sequence[str] | None = None) -> int:
    """`pack --province "Đồng Tháp" --format pdf|pptx --out FILE [--page …] [--lang vi|en]` → exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "pack":
        argv = argv[1:]
    p = add_pack_arguments(argparse.ArgumentParser(
        prog="python -m dashboard pack", description="Write a briefing pack (PDF or PowerPoint) of a page's charts."))
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:  # argparse's own exit (bad arguments, --help)
        return int(exc.code or 0)
    return run_pack(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(pack_cli())
