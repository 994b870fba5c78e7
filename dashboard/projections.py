"""Series from the store, matched to their targets, through the forecast model (dashboard.forecast).

Two kinds of series, never mixed: the province's published figures (per indicator, level and breakdown;
usually one or two points, and the result says so) and, for districts, yearly shares from the simulated
school-year mart (four points, labelled simulated). Years: a published figure counts for the calendar year
of its as-of date; a school year 2023-2024 counts for 2024.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from . import queries, rollups
from .forecast import forecast_many, forecast_series
from .queries import _df

TARGET_YEARS = (2025, 2030)


def published_series(province: str, *, levels: Sequence[str] = (), lang: str = "vi",
                     engine: Engine | None = None) -> pd.DataFrame:
    """Every published point of the province: series_id, indicator_code, level, breakdown, year, value, ..."""
    nc = "name_en" if lang == "en" else "name_vi"
    df = _df(f"""SELECT o.indicator_code, i.{nc} AS indicator_name, i.unit, i.direction, i.pillar, o.level,
                        o.breakdown, COALESCE(b.{nc}, '') AS breakdown_name, o.year, o.value, o.obs_key,
                        o.qualifier, o.section, s.short_title_{'en' if lang == 'en' else 'vi'} AS source_title
                 FROM observation o JOIN indicator i ON i.code = o.indicator_code
                 LEFT JOIN breakdown b ON b.code = o.breakdown LEFT JOIN source s ON s.id = o.source_id
                 WHERE o.unit_code = :p AND o.provenance = 'published' AND o.value IS NOT NULL
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
    targets = queries.targets_for(province, years=TARGET_YEARS, lang=lang, engine=engine)
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
    """Simulated yearly shares per district for the metrics that correspond to published indicators."""
    frames = []
    inds = queries.indicators(engine).set_index("code")
    by_metric: dict[str, str] = {}
    for code, metric in rollups.INDICATOR_METRIC.items():
        by_metric.setdefault(metric, code)
    for metric, code in by_metric.items():
        s = rollups.district_series(province, metric, levels=levels, districts_=districts, engine=engine)
        if s.empty:
            continue
        ind = inds.loc[code]
        s = s.assign(indicator_code=code, indicator_name=ind["name_en" if lang == "en" else "name_vi"],
                     unit="pct", direction=ind["direction"], pillar=ind["pillar"], level="ALL", breakdown="",
                     breakdown_name="", year=s["school_year"] + 1, scope=s["district_code"],
                     provenance="simulated", metric=metric)
        frames.append(s)
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    df["series_id"] = df["district_code"] + "|" + df["indicator_code"]
    return df


def forecast_table(province: str, *, districts: bool = False, district_codes: Sequence[str] = (),
                   levels: Sequence[str] = (), lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """One row per series and target year: method, points, projection, interval, probability, pace, status.

    Province rows come from published figures; with districts=True, rows for every district (simulated).
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
            parts.append((dis, dt.drop(columns="indicator_code")))
    out = []
    for series, targets in parts:
        info = series.drop_duplicates("series_id").set_index("series_id")
        fc = forecast_many(series[["series_id", "year", "value", "unit", "direction"]],
                           targets=targets[["series_id", "target_year", "target"]] if not targets.empty else None,
                           projection_years=TARGET_YEARS)
        keep = ["indicator_code", "indicator_name", "pillar", "level", "breakdown", "breakdown_name", "scope",
                "provenance"] + (["district_name"] if "district_name" in info else [])
        fc = fc.join(info[keep], on="series_id")
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
    if series_id.count("|") >= 2:
        pts = published_series(province, lang=lang, engine=engine)
    else:
        pts = district_series(province, districts=(series_id.split("|")[0],), lang=lang, engine=engine)
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
    summary = fc.to_dict() | {"series_id": series_id, "indicator_code": first["indicator_code"], "sources": sources,
                              "indicator_name": first["indicator_name"], "level": first["level"],
                              "breakdown_name": first["breakdown_name"], "provenance": first["provenance"],
                              "targets": targets.to_dict("records")}
    return pts[["year", "value"]].assign(provenance=first["provenance"]), {"projection": proj, **summary}
