"""Series from the store, matched to their targets, through the forecast model (dashboard.forecast).

Two kinds of series, never mixed: the province's published figures (per indicator, level and breakdown;
usually one or two points, and the result says so) and, for districts, yearly shares from the simulated
school-year mart (four points, labelled simulated).

Simulated series claim no more than they are. Only the calibrated school year of a district series rests on
a published figure (the province total it adds up to), and only as a sum over the districts; the earlier
years are back-cast by the simulation's own assumptions. So a district series is shown only where a
published (or imported) figure of the province anchors it (``simulation_anchors``), its status is
'simulated' ("mô phỏng — minh hoạ"), and it gets no interval, no probability and no progress ratio; its note
says what it rests on.

Years: a published figure counts for the calendar year of its as-of date; a simulated school year counts
for the same year as the published figure it is calibrated to (the school year that contains the figure's
as-of date), so the two carry the same year on one chart.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from . import queries, rollups
from .forecast import forecast_many, forecast_series
from .i18n import register
from .querybase import REPORTED, _df

TARGET_YEARS = (2025, 2030)
SIMULATED_STATUS = "simulated"

register({
    "forecast_status_simulated": {"vi": "Mô phỏng — minh hoạ", "en": "Simulated — illustration"},
    "forecast_note_simulated_anchor": {
        "vi": "Dữ liệu mô phỏng, chỉ để minh hoạ. Năm học {school_year} được hiệu chỉnh để tổng toàn tỉnh bằng số "
              "đã công bố ({printed}, {source}, {section}); giá trị từng huyện là phân bổ mô phỏng, các năm học "
              "trước do mô phỏng tự suy ngược theo tỉ lệ giả định, không phải số liệu. Không có khoảng dự báo, "
              "xác suất hay đánh giá tiến độ.",
        "en": "Simulated data, for illustration only. School year {school_year} is calibrated so that the province "
              "total equals the published figure ({printed}, {source}, {section}); each district's value is a "
              "simulated allocation and the earlier school years are back-cast by the simulation's own assumed "
              "ratios, not data. No prediction interval, probability or progress status."},
    "forecast_note_imported_anchor": {
        "vi": "Số liệu trường do tỉnh nhập (năm học {school_year}); các năm không có số nhập là mô phỏng. Không có "
              "khoảng dự báo, xác suất hay đánh giá tiến độ.",
        "en": "School data imported by the province (school year {school_year}); years without imported data are "
              "simulated. No prediction interval, probability or progress status."},
})


def _school_year_of(d: str) -> int:
    """The school year (as its first calendar year) that contains an ISO date: Sept–Dec Y and Jan–Aug Y+1 -> Y."""
    y, m = int(d[:4]), int(d[5:7])
    return y if m >= 9 else y - 1


def simulation_anchors(province: str, *, lang: str = "vi", engine: Engine | None = None) -> dict[str, dict]:
    """What each district metric of the province rests on: metric -> anchor (None: nothing published or imported).

    An anchor is the province's published figure of an indicator that corresponds to the metric (the broadest
    level first), or the province's own imported school rows; with its year (as-of calendar year) and the school
    year that contains its as-of date (the simulation calibrates that school year to it).
    """
    codes = list(rollups.INDICATOR_METRIC)
    pub = _df(f"""SELECT o.obs_key, o.indicator_code, o.level, o.printed, o.qualifier, o.section, o.period_end, o.year,
                         s.short_title_{'en' if lang == 'en' else 'vi'} AS source_title
                  FROM observation o LEFT JOIN source s ON s.id = o.source_id
                  WHERE o.unit_code = :p AND o.provenance IN {REPORTED} AND o.indicator_code IN :codes
                  ORDER BY o.period_end DESC, o.qualifier <> '', o.obs_key""",
              {"p": province, "codes": codes}, engine, expanding=("codes",))
    imported = _df("""SELECT MAX(school_year) AS sy FROM school_year WHERE province_code = :p
                      AND provenance = 'imported'""", {"p": province}, engine)["sy"].iloc[0]
    out: dict[str, dict] = {}
    for code, metric in rollups.INDICATOR_METRIC.items():
        if metric in out:
            continue
        if imported is not None and not pd.isna(imported):
            out[metric] = {"kind": "imported", "school_year": int(imported), "year": int(imported) + 1}
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
    key = "forecast_note_imported_anchor" if anchor["kind"] == "imported" else "forecast_note_simulated_anchor"
    return t(key, lang).format(school_year=sy, printed=anchor.get("printed", ""), source=anchor.get("source", ""),
                               section=anchor.get("section", ""))


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
    """Simulated yearly shares per district for the metrics that a published (or imported) figure anchors.

    A metric with nothing published for the province (e.g. learners on digital records in Sóc Trăng) gives no
    series. The year of a school year is that of the anchoring figure (see the module docstring); columns
    anchor_vi / anchor_en say what the series rests on.
    """
    frames = []
    inds = queries.indicators(engine).set_index("code")
    anchors = {"vi": simulation_anchors(province, lang="vi", engine=engine),
               "en": simulation_anchors(province, lang="en", engine=engine)}
    for metric, anchor in anchors["vi"].items():
        code = anchor.get("indicator_code") or next(c for c, m in rollups.INDICATOR_METRIC.items() if m == metric)
        s = rollups.district_series(province, metric, levels=levels, districts_=districts, engine=engine)
        if s.empty:
            continue
        ind = inds.loc[code]
        offset = anchor["year"] - anchor["school_year"]
        s = s.assign(indicator_code=code, indicator_name=ind["name_en" if lang == "en" else "name_vi"],
                     unit="pct", direction=ind["direction"], pillar=ind["pillar"], level="ALL", breakdown="",
                     breakdown_name="", year=s["school_year"] + offset, scope=s["district_code"],
                     provenance="simulated", metric=metric, anchor_vi=_anchor_note(anchor, "vi"),
                     anchor_en=_anchor_note(anchors["en"][metric], "en"))
        frames.append(s)
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    df["series_id"] = df["district_code"] + "|" + df["indicator_code"]
    return df


def forecast_table(province: str, *, districts: bool = False, district_codes: Sequence[str] = (),
                   levels: Sequence[str] = (), lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """One row per series and target year: method, points, projection, interval, probability, pace, status.

    last_qualifier: the qualifier of the latest published point ('>' for 'trên 99,5%'; '' when exact).

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
        # the latest point's qualifier: 'trên 99,5%' stays a bound wherever the last value is shown
        last = series.sort_values("year").groupby("series_id").tail(1).set_index("series_id")
        fc["last_qualifier"] = fc["series_id"].map(last["qualifier"]).fillna("") if "qualifier" in last else ""
        if (series["provenance"] == "simulated").any():
            fc = _strip_simulated(fc, {sid: (r["anchor_vi"], r["anchor_en"]) for sid, r in info.iterrows()})
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
    base = fc.to_dict()
    if first["provenance"] == "simulated":  # an illustration: no interval, probability or progress status
        proj = proj.assign(lower=None, upper=None)
        base["projections"] = proj.to_dict("records")
        base["outlooks"] = [o | {"lower": None, "upper": None, "probability": None, "progress_ratio": None,
                                 "observed_pace": None, "status": SIMULATED_STATUS} for o in base["outlooks"]]
        base |= {"notes": ["simulated_anchor"], "note_vi": first["anchor_vi"], "note_en": first["anchor_en"]}
    summary = base | {"series_id": series_id, "indicator_code": first["indicator_code"], "sources": sources,
                              "indicator_name": first["indicator_name"], "level": first["level"],
                              "breakdown_name": first["breakdown_name"], "provenance": first["provenance"],
                              "targets": targets.to_dict("records")}
    cols = ["year", "value"] + (["qualifier"] if "qualifier" in pts else [])
    return pts[cols].assign(provenance=first["provenance"]), {"projection": proj, **summary}
