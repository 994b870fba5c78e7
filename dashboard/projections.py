"""Series from the store, matched to their targets, through the forecast model (dashboard.forecast).

Three kinds of series, never mixed: the province's published figures (per indicator, level and breakdown;
usually one or two points, and the result says so); for districts, yearly shares from the simulated
school-year mart (labelled simulated); and, for districts of a province that has imported school data, yearly
shares from the imported school years only (provenance 'imported'). A trend is never fitted over simulated and
imported years together: an imported series rests on imported school years alone, with the same honesty rules
as a published series (trend, leave-last-out backtest error and, from 3 points on, the bootstrap interval and
probability where they are estimable); with fewer than ``MIN_IMPORTED_POINTS`` imported school years it shows
its points and says there are too few for a trend. The simulated years of such a district may be drawn beside
it only as a separate, labelled illustration (``projection_path`` returns them apart).

Simulated series claim no more than they are. Only the calibrated school year of a district series rests on
a published figure (the province total it adds up to), and only as a sum over the districts; the earlier
years are back-cast by the simulation's own assumptions. So a district series is shown only where a
published (or imported) figure of the province anchors it (``simulation_anchors``), its status is
'simulated' ("mô phỏng — minh hoạ"), and it gets no interval, no probability and no progress ratio; its note
says what it rests on.

Years (one rule, docs/DESIGN.md): a point is dated by the calendar year of its as-of date. A published figure
has its own as-of date (period_end); the school data of a school year (simulated or imported alike) describe
the school year up to its end, so the school year Y–(Y+1) is dated Y+1 (``school_year_date``), the way a
published figure of a whole school year ("năm học 2021-2022", as of 31/5/2022) is dated 2022. The simulated
school year calibrated to a published figure is the school year that contains the figure's as-of date (issue 9
item 3); where that date falls mid-year (Đồng Tháp, 31/12/2023) the figure is dated 2023 and the school year
2023-2024 it anchors 2024, and the note says so. An import never moves a simulated point.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from . import queries, rollups
from .checks import school_year_of
from .forecast import forecast_many, forecast_series
from .i18n import register
from .querybase import REPORTED, _df

TARGET_YEARS = (2025, 2030)
SIMULATED_STATUS = "simulated"
MIN_IMPORTED_POINTS = 3   # imported school years needed for a trend (and its leave-last-out backtest)
IMPORTED_SUFFIX = "@imported"


def school_year_date(school_year: int) -> int:
    """The calendar year a school year is dated by: its end (2023 = 2023-2024 -> 2024), for simulated and
    imported school data alike."""
    return int(school_year) + 1

register({
    "forecast_status_simulated": {"vi": "Mô phỏng — minh hoạ", "en": "Simulated — illustration"},
    "forecast_note_simulated_anchor": {
        "vi": "Dữ liệu mô phỏng, chỉ để minh hoạ. Năm học {school_year} (ghi năm {sy_year}, năm kết thúc năm học) được "
              "hiệu chỉnh để tổng toàn tỉnh bằng số đã công bố ({printed}, {source}, {section}; số tính đến năm "
              "{year}); giá trị từng huyện là phân bổ mô phỏng, các năm học trước do mô phỏng tự suy ngược theo tỉ lệ "
              "giả định, không phải số liệu. Không có khoảng dự báo, xác suất hay đánh giá tiến độ.",
        "en": "Simulated data, for illustration only. School year {school_year} (dated {sy_year}, the year it ends) is "
              "calibrated so that the province total equals the published figure ({printed}, {source}, {section}; "
              "as of {year}); each district's value is a simulated allocation and the earlier school years are "
              "back-cast by the simulation's own assumed ratios, not data. No prediction interval, probability or "
              "progress status."},
    "forecast_note_imported_series": {
        "vi": "Số liệu trường do tỉnh nhập: {n} năm học ({years}; mỗi năm học ghi theo năm kết thúc). Chỉ các năm học "
              "có số liệu nhập được dùng; năm học mô phỏng không bao giờ được ghép vào xu hướng này.",
        "en": "School data imported by the province: {n} school years ({years}; each dated by the year it ends). Only "
              "school years with imported data are used; simulated school years are never fitted with them."},
    "forecast_note_imported_too_few": {
        "vi": "Chỉ có {n} năm học số liệu nhập: quá ít để ước lượng xu hướng (cần ít nhất {k}); chỉ hiển thị các "
              "điểm, không có dự báo, khoảng dự báo, xác suất hay đánh giá tiến độ.",
        "en": "Only {n} imported school year(s): too few for a trend (at least {k} are needed); the points are shown, "
              "with no projection, interval, probability or progress status."},
    "forecast_status_too_few_imported": {"vi": "Quá ít năm số liệu nhập để có xu hướng",
                                         "en": "Too few imported years for a trend"},
})


_school_year_of = school_year_of  # one rule, kept in dashboard.checks (light to import)


def simulation_anchors(province: str, *, lang: str = "vi", engine: Engine | None = None) -> dict[str, dict]:
    """What each simulated district metric of the province rests on: metric -> anchor (absent: nothing published).

    An anchor is the province's published figure of an indicator that corresponds to the metric (the broadest
    level first), with its year (as-of calendar year) and the school year that contains its as-of date (the
    simulation calibrates that school year to it). Imported school data are not anchors of the simulation: they
    form their own series (``district_series``), whatever is published.
    """
    codes = list(rollups.INDICATOR_METRIC)
    pub = _df(f"""SELECT o.obs_key, o.indicator_code, o.level, o.printed, o.qualifier, o.section, o.period_end, o.year,
                         s.short_title_{'en' if lang == 'en' else 'vi'} AS source_title
                  FROM observation o LEFT JOIN source s ON s.id = o.source_id
                  WHERE o.unit_code = :p AND o.provenance IN {REPORTED} AND o.indicator_code IN :codes
                  ORDER BY o.period_end DESC, o.qualifier <> '', o.obs_key""",
              {"p": province, "codes": codes}, engine, expanding=("codes",))
    out: dict[str, dict] = {}
    for code, metric in rollups.INDICATOR_METRIC.items():
        if metric in out:
            continue
        rows = pub[pub["indicator_code"].isin([c for c, m in rollups.INDICATOR_METRIC.items() if m == metric])]
        if rows.empty:
            continue
        r = rows.iloc[0]
        out[metric] = {"kind": "published", "obs_key": r["obs_key"], "indicator_code": r["indicator_code"],
                       "printed": ((("trên " if lang == "vi" else "over ") if r["qualifier"] in (">", ">=") else "")
                                   + str(r["printed"])),
                       "source": r["source_title"], "section": r["section"], "year": int(r["year"]),
                       "school_year": _school_year_of(str(r["period_end"]))}
    return out


def _anchor_note(anchor: dict, lang: str) -> str:
    from .i18n import t
    sy = f"{anchor['school_year']}-{anchor['school_year'] + 1}"
    return t("forecast_note_simulated_anchor", lang).format(
        school_year=sy, sy_year=school_year_date(anchor["school_year"]), year=anchor["year"],
        printed=anchor.get("printed", ""), source=anchor.get("source", ""), section=anchor.get("section", ""))


def _imported_note(years: Sequence[int], lang: str, labels: dict[int, str]) -> str:
    """What an imported series rests on: its school years and their batches ("Dữ liệu nhập: <file>, phê duyệt …")."""
    from .i18n import t
    ys = sorted(int(y) for y in years)
    note = t("forecast_note_imported_series", lang).format(
        n=len(ys), years=", ".join(f"{y - 1}-{y}" for y in ys))
    note += " " + "; ".join(dict.fromkeys(labels[y - 1] for y in ys if labels.get(y - 1))) + "."
    if len(ys) < MIN_IMPORTED_POINTS:
        note += " " + t("forecast_note_imported_too_few", lang).format(n=len(ys), k=MIN_IMPORTED_POINTS)
    return note


def imported_school_years(province: str, engine: Engine | None = None) -> list[int]:
    """School years of the province with published intake rows (the years where imported data win)."""
    return _df("""SELECT DISTINCT school_year FROM school_year WHERE province_code = :p AND batch_id IS NOT NULL
                  ORDER BY 1""", {"p": province}, engine)["school_year"].astype(int).tolist()


def _strip_too_few(fc: pd.DataFrame) -> pd.DataFrame:
    """Imported series with fewer than MIN_IMPORTED_POINTS school years: points only, no trend and no claim."""
    fc = fc.copy()
    few = fc["n_points"] < MIN_IMPORTED_POINTS
    if not few.any():
        return fc
    cols = [c for c in fc.columns if c.startswith(("value_", "lower_", "upper_"))] + [
        "projected", "lower", "upper", "probability", "progress_ratio", "observed_pace", "backtest_error"]
    for c in cols:
        if c in fc:
            fc[c] = fc[c].astype(object)
            fc.loc[few, c] = None
    fc.loc[few, "method"] = "none"
    fc["status"] = fc["status"].astype(object)
    fc.loc[few & fc["status"].notna() & (fc["status"] != "reached"), "status"] = "too_few_imported"
    return fc


def _strip_simulated(fc: pd.DataFrame, notes: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Simulated rows keep their trend line (an illustration) and lose every claim of certainty."""
    fc = fc.copy()
    drop = [c for c in fc.columns if c.startswith(("lower", "upper"))] + ["probability", "progress_ratio",
                                                                          "observed_pace"]
    for c in drop:
        if c in fc:
            fc[c] = None
    fc["status"] = SIMULATED_STATUS
    fc["notes"] = "simulated_anchor"
    fc["note_vi"] = [notes[s][0] for s in fc["series_id"]]
    fc["note_en"] = [notes[s][1] for s in fc["series_id"]]
    return fc


def published_series(province: str, *, levels: Sequence[str] = (), lang: str = "vi",
                     engine: Engine | None = None) -> pd.DataFrame:
    """Every published point of the province: series_id, indicator_code, level, breakdown, year, value, ..."""
    nc = "name_en" if lang == "en" else "name_vi"
    df = _df(f"""SELECT o.indicator_code, i.{nc} AS indicator_name, i.unit, i.direction, i.pillar, o.level,
                        o.breakdown, COALESCE(b.{nc}, '') AS breakdown_name, o.year, o.value, o.obs_key,
                        o.qualifier, o.section, s.short_title_{'en' if lang == 'en' else 'vi'} AS source_title
                 FROM observation o JOIN indicator i ON i.code = o.indicator_code
                 LEFT JOIN breakdown b ON b.code = o.breakdown LEFT JOIN source s ON s.id = o.source_id
                 WHERE o.unit_code = :p AND o.provenance IN {REPORTED} AND o.value IS NOT NULL
                   AND i.unit = 'pct' AND (:all_levels OR o.level IN :levels)
                 ORDER BY o.indicator_code, o.level, o.breakdown, o.year""",
             {"p": province, "all_levels": not levels, "levels": list(levels) or [""]}, engine, expanding=("levels",))
    df["series_id"] = df["indicator_code"] + "|" + df["level"] + "|" + df["breakdown"]
    # a bound ('trên 70%') is not a value: where a year also has exact statements, only those count
    exact = df.groupby(["series_id", "year"])["qualifier"].transform(lambda q: (q == "").any())
    df = df[(df["qualifier"] == "") | ~exact].reset_index(drop=True)
    # statements of one figure that disagree are not averaged: each becomes its own series, named after
    # the passage it comes from, so no projection rests on a number nobody printed
    variants = df.groupby(["series_id", "year"])["value"].transform("nunique")
    split = variants > 1
    if split.any():
        df.loc[split, "breakdown_name"] = [
            (b + " " if b else "") + f"[{sec}]" for b, sec in zip(df.loc[split, "breakdown_name"], df.loc[split, "section"])]
        df.loc[split, "series_id"] = df.loc[split, "series_id"] + "#" + df.loc[split, "obs_key"]
    df["scope"] = province
    df["provenance"] = "published"
    return df


def _targets_for_series(province: str, series: pd.DataFrame, lang: str, engine: Engine | None) -> pd.DataFrame:
    targets = queries.TargetIndex(queries.targets_for(province, years=TARGET_YEARS, lang=lang, engine=engine))
    rows = []
    for sid, g in series.groupby("series_id"):
        first = g.iloc[0]
        for y in TARGET_YEARS:
            tg = queries.pick_target(targets, province, first["indicator_code"], first["level"], first["breakdown"], y)
            if tg is not None:
                rows.append({"series_id": sid, "target_year": y, "target": float(tg["value"]),
                             "target_scope": tg["scope_code"], "target_source": tg["source_title"],
                             "target_section": tg["section"]})
    return pd.DataFrame(rows, columns=["series_id", "target_year", "target", "target_scope", "target_source",
                                       "target_section"])


def district_series(province: str, *, levels: Sequence[str] = (), districts: Sequence[str] = (),
                    lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Yearly shares per district: simulated series (non-imported school years, only for the metrics that a
    published figure anchors) and imported series (imported school years only, for every metric with data).

    A metric with nothing published for the province (e.g. learners on digital records in Sóc Trăng) gives no
    simulated series. Every school year is dated by ``school_year_date`` (its end), simulated and imported alike.
    Column provenance says which kind a row is; series_id is "<district>|<indicator>" for simulated series and
    the same plus IMPORTED_SUFFIX for imported ones; columns anchor_vi / anchor_en say what a series rests on.
    """
    frames = []
    inds = queries.indicators(engine).set_index("code")
    anchors = {"vi": simulation_anchors(province, lang="vi", engine=engine),
               "en": simulation_anchors(province, lang="en", engine=engine)}
    imported = set(imported_school_years(province, engine))
    labels = {lg: {sy: rollups.data_source(province, sy, lang=lg, engine=engine)["label"] for sy in imported}
              for lg in ("vi", "en")}
    for metric in dict.fromkeys(rollups.INDICATOR_METRIC.values()):
        anchor = anchors["vi"].get(metric)
        if anchor is None and not imported:
            continue
        code = (anchor or {}).get("indicator_code") or next(c for c, m in rollups.INDICATOR_METRIC.items()
                                                             if m == metric)
        s = rollups.district_series(province, metric, levels=levels, districts_=districts, engine=engine)
        if s.empty:
            continue
        ind = inds.loc[code]
        s = s.assign(indicator_code=code, indicator_name=ind["name_en" if lang == "en" else "name_vi"],
                     unit="pct", direction=ind["direction"], pillar=ind["pillar"], level="ALL", breakdown="",
                     breakdown_name="", year=s["school_year"].map(school_year_date), scope=s["district_code"],
                     metric=metric)
        is_imp = s["school_year"].isin(imported)
        sim = s[~is_imp]
        if anchor is not None and not sim.empty:
            frames.append(sim.assign(provenance="simulated", anchor_vi=_anchor_note(anchor, "vi"),
                                     anchor_en=_anchor_note(anchors["en"][metric], "en"),
                                     series_id=sim["district_code"] + "|" + code))
        imp = s[is_imp & s["value"].notna()]
        for dcode, g in imp.groupby("district_code", sort=False):
            frames.append(g.assign(provenance="imported", anchor_vi=_imported_note(g["year"], "vi", labels["vi"]),
                                   anchor_en=_imported_note(g["year"], "en", labels["en"]),
                                   series_id=dcode + "|" + code + IMPORTED_SUFFIX))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def forecast_table(province: str, *, districts: bool = False, district_codes: Sequence[str] = (),
                   levels: Sequence[str] = (), lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """One row per series and target year: method, points, projection, interval, probability, pace, status.

    last_qualifier: the qualifier of the latest published point ('>' for 'trên 99,5%'; '' when exact).

    Province rows come from published figures; with districts=True, rows for every district: simulated
    illustrations (status 'simulated') and, where the province imported school data, imported series fitted on
    imported school years only (fewer than MIN_IMPORTED_POINTS: points only, method 'none', status
    'too_few_imported' unless the target is already reached).
    """
    parts = []
    pub = published_series(province, levels=levels, lang=lang, engine=engine)
    if not pub.empty:
        parts.append((pub, _targets_for_series(province, pub, lang, engine)))
    if districts:
        dis = district_series(province, levels=levels, districts=district_codes, lang=lang, engine=engine)
        if not dis.empty:
            # a district's share is held to the province's target for the same indicator
            prov_t = _targets_for_series(province, dis.assign(series_id=dis["indicator_code"]).drop_duplicates(
                "indicator_code"), lang, engine)
            t_map = prov_t.rename(columns={"series_id": "indicator_code"})
            dt = dis[["series_id", "indicator_code"]].drop_duplicates().merge(t_map, on="indicator_code")
            dt = dt.drop(columns="indicator_code")
            for prov in ("simulated", "imported"):  # never one fit over both kinds
                part = dis[dis["provenance"] == prov]
                if not part.empty:
                    parts.append((part, dt[dt["series_id"].isin(part["series_id"])]))
    out = []
    for series, targets in parts:
        info = series.drop_duplicates("series_id").set_index("series_id")
        fc = forecast_many(series[["series_id", "year", "value", "unit", "direction"]],
                           targets=targets[["series_id", "target_year", "target"]] if not targets.empty else None,
                           projection_years=TARGET_YEARS)
        keep = ["indicator_code", "indicator_name", "pillar", "level", "breakdown", "breakdown_name", "scope",
                "provenance"] + (["district_name"] if "district_name" in info else [])
        fc = fc.join(info[keep], on="series_id")
        # the latest point's qualifier: 'trên 99,5%' stays a bound wherever the last value is shown
        last = series.sort_values("year").groupby("series_id").tail(1).set_index("series_id")
        fc["last_qualifier"] = fc["series_id"].map(last["qualifier"]).fillna("") if "qualifier" in last else ""
        if (series["provenance"] == "simulated").any():
            fc = _strip_simulated(fc, {sid: (r["anchor_vi"], r["anchor_en"]) for sid, r in info.iterrows()})
        elif (series["provenance"] == "imported").any():
            fc = _strip_too_few(fc)
            few = fc["n_points"] < MIN_IMPORTED_POINTS  # their model notes (two points, ...) no longer apply
            for lg in ("vi", "en"):
                fc[f"note_{lg}"] = [info.at[sid, f"anchor_{lg}"] if f or not isinstance(n, str) else
                                    f"{info.at[sid, f'anchor_{lg}']} {n}".strip()
                                    for sid, n, f in zip(fc["series_id"], fc[f"note_{lg}"], few)]
            fc.loc[few, "notes"] = "imported_too_few"
        if not targets.empty:
            fc = fc.merge(targets, on=["series_id", "target_year", "target"], how="left")
        out.append(fc)
    if not out:
        return pd.DataFrame()
    df = pd.concat(out, ignore_index=True)
    if "district_name" not in df:
        df["district_name"] = None
    return df


def projection_path(province: str, series_id: str, *, lang: str = "vi", engine: Engine | None = None
                    ) -> tuple[pd.DataFrame, dict]:
    """Points of one series and its yearly projection (value, lower, upper) up to 2030, plus the summary."""
    illustration = pd.DataFrame(columns=["year", "value"])
    if series_id.count("|") >= 2:
        pts = published_series(province, lang=lang, engine=engine)
    else:
        pts = district_series(province, districts=(series_id.split("|")[0],), lang=lang, engine=engine)
        if series_id.endswith(IMPORTED_SUFFIX) and not pts.empty:
            # the district's simulated years of the same indicator, drawn apart as a labelled illustration
            sim = pts[pts["series_id"] == series_id[:-len(IMPORTED_SUFFIX)]]
            illustration = sim[["year", "value"]].reset_index(drop=True)
    pts = pts[pts["series_id"] == series_id]
    if pts.empty:
        raise KeyError(series_id)
    first = pts.iloc[0]
    targets = _targets_for_series(province, pts, lang, engine)
    tmap = {int(r["target_year"]): r["target"] for _, r in targets.iterrows()}
    last = int(pts["year"].max())
    fc = forecast_series(pts["year"], pts["value"], unit=first["unit"], direction=first["direction"],
                         targets=tmap, projection_years=tuple(range(min(last, 2030), 2031)))
    proj = pd.DataFrame([p.__dict__ for p in fc.projections])
    sources = sorted({s for s in pts.get("source_title", pd.Series(dtype=object)).dropna()} |
                     {s for s in targets.get("target_source", pd.Series(dtype=object)).dropna()})
    base = fc.to_dict()
    if first["provenance"] == "simulated":  # an illustration: no interval, probability or progress status
        proj = proj.assign(lower=None, upper=None)
        base["projections"] = proj.to_dict("records")
        base["outlooks"] = [o | {"lower": None, "upper": None, "probability": None, "progress_ratio": None,
                                 "observed_pace": None, "status": SIMULATED_STATUS} for o in base["outlooks"]]
        base |= {"notes": ["simulated_anchor"], "note_vi": first["anchor_vi"], "note_en": first["anchor_en"]}
    elif first["provenance"] == "imported":
        if len(pts) < MIN_IMPORTED_POINTS:  # points only: too few imported school years for a trend
            proj = proj.assign(value=None, lower=None, upper=None)
            base["projections"] = proj.to_dict("records")
            base["method"] = "none"
            base["backtest_error"] = None
            base["outlooks"] = [o | {"projected": None, "lower": None, "upper": None, "probability": None,
                                     "progress_ratio": None, "observed_pace": None,
                                     "status": o["status"] if o["status"] == "reached" else "too_few_imported"}
                                for o in base["outlooks"]]
            base |= {"notes": ["imported_too_few"], "note_vi": first["anchor_vi"], "note_en": first["anchor_en"]}
        else:
            base |= {"note_vi": f"{first['anchor_vi']} {base.get('note_vi') or ''}".strip(),
                     "note_en": f"{first['anchor_en']} {base.get('note_en') or ''}".strip()}
    summary = base | {"series_id": series_id, "indicator_code": first["indicator_code"], "sources": sources,
                              "indicator_name": first["indicator_name"], "level": first["level"],
                              "breakdown_name": first["breakdown_name"], "provenance": first["provenance"],
                              "targets": targets.to_dict("records"), "illustration": illustration}
    cols = ["year", "value"] + (["qualifier"] if "qualifier" in pts else [])
    return pts[cols].assign(provenance=first["provenance"]), {"projection": proj, **summary}
