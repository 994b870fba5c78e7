"""Validate a converted table (convert.py): check ranges and codes (pandera), check
rows against each other and against the store. Every problem names file, sheet, row and field.

Errors block staging; warnings must be acknowledged. Nothing here writes to the store.
"""
from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pandera.pandas as pa
from sqlalchemy import text
from sqlalchemy.engine import Connection

from . import dx4725
from .convert import _show
from .reader import norm
from ..i18n import fmt_number
from .spec import (MAX_PCS_PER_STUDENT, MAX_STUDENTS_PER_TEACHER, Kind, Problems, latest_school_year,
                   parse_school_year, school_year_label)

CHUNK = 900  # SQLite bound-parameter chunk for IN lists


def _pandera(df: pd.DataFrame, kind: Kind, probs: Problems) -> None:
    """Ranges and allowed codes, checked by pandera (lazy: every failing cell is reported)."""
    cols = {}
    for c in kind.columns:
        checks = []
        if c.lo is not None or c.hi is not None:
            checks.append(pa.Check(lambda s, lo=c.lo, hi=c.hi: s.astype(float).between(
                -math.inf if lo is None else lo, math.inf if hi is None else hi), element_wise=False,
                name=f"range:{c.key}"))
        if c.type in ("choice", "level") and c.choices and c.key != "public":
            allowed = set(c.choices) | {float(x) for x in c.choices if x.isdigit()}
            checks.append(pa.Check(lambda s, a=allowed: s.isin(a), name=f"choice:{c.key}"))
        if checks:
            cols[c.key] = pa.Column(None, checks, nullable=True, required=False, coerce=False)
    schema = pa.DataFrameSchema(cols, strict=False)
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        for _, r in fc.iterrows():
            if r["index"] is None or (isinstance(r["index"], float) and math.isnan(r["index"])):
                continue
            c = kind.column(r["column"])
            row = int(df.loc[int(r["index"]), "_row"])
            v = r["failure_case"]
            typed = probs.typed.get((c.key, row))
            shown = typed or (fmt_number(v) if isinstance(v, (int, float)) else _show(v))
            shown_en = typed or (fmt_number(v, lang="en") if isinstance(v, (int, float)) else _show(v))
            if str(r["check"]).startswith("range"):
                lo_vi, hi_vi = fmt_number(c.lo or 0), fmt_number(c.hi) if c.hi is not None else ""
                lo_en, hi_en = fmt_number(c.lo or 0, lang="en"), fmt_number(c.hi, lang="en") if c.hi is not None else ""
                if c.lo == 0 and c.type != "score" and isinstance(v, (int, float)) and v < 0:
                    probs.error(row, c.key, f"giá trị âm ({shown})", f"negative value ({shown_en})", "negative")
                elif c.type == "score":
                    probs.error(row, c.key, f"điểm {shown} ngoài khoảng 0–100", f"score {shown_en} outside 0–100",
                                "score_range")
                elif c.type == "count":
                    probs.error(row, c.key, f"{shown} vượt mức tối đa hợp lý cho một trường ({hi_vi}): hãy kiểm tra "
                                f"đơn vị và số chữ số", f"{shown_en} is above the plausible maximum for one school "
                                f"({hi_en}): check the unit and the digits", "too_large")
                else:
                    probs.error(row, c.key, f"'{shown}' ngoài khoảng {lo_vi}–{hi_vi}",
                                f"'{shown_en}' outside {lo_en}–{hi_en}", "range")
            else:
                probs.error(row, c.key, f"'{shown}' không có trong danh mục: {', '.join(c.choices)}",
                            f"'{shown}' is not an allowed code: {', '.join(c.choices)}", "bad_choice")


def _duplicates(df: pd.DataFrame, kind: Kind, probs: Problems) -> None:
    """Rows with the same key; codes compare without regard to case ('87new0001' = '87NEW0001')."""
    keys = [k for k in kind.keys if k in df.columns]
    sub = df[keys].astype(str)
    typed = sub.copy()
    for k in keys:
        if kind.column(k).type == "code":
            sub[k] = sub[k].str.upper()
    dup = sub.duplicated(keep=False)
    if not dup.any():
        return
    first_row: dict = {}
    for row, key, shown in zip(df.loc[dup, "_row"], map(tuple, sub[dup].itertuples(index=False)),
                               map(tuple, typed[dup].itertuples(index=False))):
        if key in first_row:
            r0, shown0 = first_row[key]
            if shown0 == shown:
                probs.error(int(row), kind.keys[0], f"trùng với dòng {r0} ({' / '.join(shown)})",
                            f"duplicate of row {r0} ({' / '.join(shown)})", "duplicate")
            else:
                a, b = " / ".join(shown0), " / ".join(shown)
                probs.error(int(row), kind.keys[0], f"trùng với dòng {r0}: '{a}' (dòng {r0}) và '{b}' (dòng {row}) "
                            "chỉ khác chữ hoa/thường", f"duplicate of row {r0}: '{a}' (row {r0}) and '{b}' (row {row}) "
                            "differ only in case", "duplicate")
        else:
            first_row[key] = (int(row), shown)


def _case_twins(con: Connection, codes: list) -> dict[str, str]:
    """File codes that differ only in case from a code in the store: {file code: stored code}."""
    stored: dict[str, str] = {}
    for (c,) in con.execute(text("SELECT code FROM school")):
        stored.setdefault(c.upper(), c)
    return {c: stored[c.upper()] for c in codes if isinstance(c, str) and c.upper() in stored and stored[c.upper()] != c}


def _lookup(con: Connection, sql: str, values: list, extra: dict | None = None) -> pd.DataFrame:
    """Rows of `sql` (with an IN :vals list) for many values, in chunks."""
    from sqlalchemy import bindparam

    rows: list = []
    keys: list = []
    stmt = text(sql).bindparams(bindparam("vals", expanding=True))
    for i in range(0, len(values), CHUNK):
        res = con.execute(stmt, {"vals": values[i:i + CHUNK], **(extra or {})})
        keys = list(res.keys())
        rows += [tuple(r) for r in res.all()]
    return pd.DataFrame.from_records(rows, columns=keys) if rows else pd.DataFrame()


def _province_name(con: Connection, code: str) -> str:
    r = con.execute(text("SELECT name FROM admin_unit WHERE code = :c"), {"c": code}).first()
    return r[0] if r else code


def check_rows(df: pd.DataFrame, kind: Kind, probs: Problems, con: Connection, province: str | None,
               document_text: str | None) -> tuple[pd.DataFrame, str | None]:
    """Row and store checks. Returns the frame (with school_id etc. where known) and the batch's province."""
    _pandera(df, kind, probs)
    _duplicates(df, kind, probs)
    fn = {"register": _register, "school_year": _school_year, "assessment": _assessment, "report": _report}[kind.key]
    return fn(df, probs, con, province, document_text)


def _mode(values: pd.Series) -> str | None:
    v = values.dropna()
    return str(v.mode().iloc[0]) if not v.empty else None


def _check_years(df: pd.DataFrame, probs: Problems) -> None:
    latest = latest_school_year()
    for row, y in zip(df["_row"], df["school_year"]):
        if y is not None and y > latest:
            probs.error(int(row), "school_year", f"năm học {school_year_label(y)} chưa đến",
                        f"school year {school_year_label(y)} is in the future", "future_year")
        elif y is not None and y < 2015:
            probs.warning(int(row), "school_year", f"năm học {school_year_label(y)} rất cũ, hãy kiểm tra",
                          f"school year {school_year_label(y)} is very old, please check", "old_year")


def _register(df, probs, con, province, _doc):
    province = province or _mode(df["province_code"])
    pname = _province_name(con, province) if province else ""
    provinces = {r[0] for r in con.execute(text("SELECT code FROM admin_unit WHERE level = 'province'"))}
    districts = dict(con.execute(text("SELECT code, parent_code FROM admin_unit WHERE level = 'district'")).all())
    # the register's commune is the current one (from 7/2025); former codes are recognised to say so
    communes = dict(con.execute(text("SELECT code, parent_code FROM unit_current WHERE level = 'commune'")).all())
    former_communes = {r[0] for r in con.execute(text("SELECT code FROM unit_former WHERE level = 'commune'"))}
    current_of = dict(con.execute(text("SELECT code, current_province_code FROM unit_former "
                                       "WHERE level = 'province'")).all())
    known = _lookup(con, "SELECT code, batch_id FROM school WHERE code IN :vals",
                    [c for c in df["school_code"].dropna().unique().tolist()])
    build_owned = set(known.loc[known["batch_id"].isna(), "code"]) if not known.empty else set()
    twins = _case_twins(con, df["school_code"].dropna().unique().tolist())
    for row, code, p, d, c, lat, lon in zip(df["_row"], df["school_code"], df["province_code"], df["district_code"],
                                            df["commune_code"], df["lat"], df["lon"]):
        row = int(row)
        if p is not None and p not in provinces:
            probs.error(row, "province_code", f"mã tỉnh '{p}' không tồn tại", f"unknown province code '{p}'",
                        "unknown_province")
        elif p is not None and province and p != province:
            probs.error(row, "province_code", f"trường thuộc tỉnh khác ({p}), tệp này là của {pname}",
                        f"school in another province ({p}); this file is for {pname}", "other_province")
        if d is not None:
            if d not in districts:
                probs.error(row, "district_code", f"mã huyện '{d}' không tồn tại", f"unknown district code '{d}'",
                            "unknown_district")
            elif p is not None and districts[d] != p:
                probs.error(row, "district_code", f"huyện {d} không thuộc tỉnh {p}", f"district {d} is not in province {p}",
                            "district_province")
        if c is not None:
            _check_commune(probs, row, c, communes, former_communes, current_of.get(p or province))
        if (lat is None) != (lon is None):
            probs.error(row, "lat" if lat is None else "lon", "cần cả vĩ độ và kinh độ",
                        "give both latitude and longitude", "half_coordinates")
        if code in twins:
            probs.error(row, "school_code", f"mã '{code}' chỉ khác chữ hoa/thường với trường '{twins[code]}' đã có: "
                        f"dùng đúng mã '{twins[code]}'", f"code '{code}' differs only in case from the existing school "
                        f"'{twins[code]}': use '{twins[code]}'", "case_duplicate")
        elif code in build_owned:
            probs.error(row, "school_code", f"mã '{code}' trùng với một trường của dữ liệu gốc/mô phỏng",
                        f"code '{code}' belongs to a seed or simulated school", "build_owned_code")
    return df, province


def _check_commune(probs, row: int, c: str, communes: dict, former: set, current_province: str | None) -> None:
    """A current commune of the province the file's province lies in since 1 July 2025; else a warning."""
    if c in communes:
        if current_province and communes[c] != current_province:
            probs.warning(row, "commune_code", f"xã '{c}' (từ 7/2025) thuộc tỉnh {communes[c]}, không thuộc tỉnh "
                          f"{current_province} hiện nay của trường", f"commune '{c}' (from 7/2025) is in province "
                          f"{communes[c]}, not in the school's current province {current_province}", "commune_province")
    elif c in former:
        probs.warning(row, "commune_code", f"'{c}' là mã xã cũ (trước 7/2025); cột này nhận mã xã hiện hành",
                      f"'{c}' is a former commune code (before 7/2025); this column takes the current commune",
                      "former_commune")
    else:
        probs.warning(row, "commune_code", f"mã xã '{c}' không có trong danh mục xã, phường từ 7/2025",
                      f"commune code '{c}' is not in the list of communes from 7/2025", "unknown_commune")


def _schools(df, probs, con, province):
    """Attach school_id/province/district/level of registered (intake) schools; unknown codes are errors."""
    codes = df["school_code"].dropna().unique().tolist()
    known = _lookup(con, """SELECT code AS school_code, id AS school_id, name AS reg_name, province_code AS reg_province,
                                   district_code AS reg_district, level AS reg_level, batch_id AS reg_batch
                            FROM school WHERE code IN :vals""", codes)
    if known.empty:
        known = pd.DataFrame(columns=["school_code", "school_id", "reg_name", "reg_province", "reg_district",
                                      "reg_level", "reg_batch"])
    df = df.merge(known, on="school_code", how="left")
    province = province or _mode(df["reg_province"])
    pname = _province_name(con, province) if province else ""
    unknown = df.loc[df["school_id"].isna(), "school_code"].dropna().unique().tolist()
    twins = _case_twins(con, unknown) if unknown else {}
    for row, code, sid, prov, batch, name, reg_name in zip(df["_row"], df["school_code"], df["school_id"],
                                                           df["reg_province"], df["reg_batch"], df.get("school_name"),
                                                           df["reg_name"]):
        row = int(row)
        if code is None:
            continue
        if pd.isna(sid) and code in twins:
            probs.error(row, "school_code", f"mã trường '{code}' chưa có trong danh sách trường; danh sách có "
                        f"'{twins[code]}' (chỉ khác chữ hoa/thường): dùng đúng mã đó", f"unknown school code '{code}'; "
                        f"the register has '{twins[code]}' (differs only in case): use that code", "unknown_school")
        elif pd.isna(sid):
            probs.error(row, "school_code", f"mã trường '{code}' chưa có trong danh sách trường: hãy nhập và phê duyệt "
                        "danh sách trường trước", f"unknown school code '{code}': upload and publish the school "
                        "register first", "unknown_school")
        elif pd.isna(batch):
            probs.error(row, "school_code", f"mã '{code}' là trường của dữ liệu gốc/mô phỏng, không phải của danh "
                        "sách trường đã nhập", f"code '{code}' is a seed or simulated school, not one of the "
                        "imported register", "build_owned_code")
        elif province and prov != province:
            probs.error(row, "school_code", f"trường '{code}' thuộc tỉnh khác ({prov}), tệp này là của {pname}",
                        f"school '{code}' is in another province ({prov}); this file is for {pname}", "other_province")
        elif name is not None and isinstance(reg_name, str) and name != reg_name and norm(name) != norm(reg_name):
            probs.warning(row, "school_name", f"tên '{_show(name)}' khác tên trong danh sách trường "
                          f"('{_show(reg_name)}')", f"name '{_show(name)}' differs from the register "
                          f"('{_show(reg_name)}')", "name_mismatch")
    return df, province


def _school_year(df, probs, con, province, _doc):
    _check_years(df, probs)
    for total, part in (("students", "learners_digital"), ("teachers", "teachers_digital")):
        bad = df[part].notna() & df[total].notna() & (df[part].astype(float) > df[total].astype(float))
        for row, a, b in zip(df.loc[bad, "_row"], df.loc[bad, part], df.loc[bad, total]):
            probs.error(int(row), part, f"{a:g} lớn hơn tổng số ({b:g})", f"{a:g} is above its total ({b:g})",
                        "above_total")
    _ratios(df, probs)
    return _schools(df, probs, con, province)


def _ratios(df: pd.DataFrame, probs: Problems) -> None:
    """Warn on implausible ratios: more than MAX_PCS_PER_STUDENT computers per student, more than
    MAX_STUDENTS_PER_TEACHER students per teacher."""
    f = lambda c: pd.to_numeric(df[c], errors="coerce")  # noqa: E731
    students, teachers = f("students"), f("teachers")
    pcs = f("pc_teaching").fillna(0) + f("pc_management").fillna(0) + f("pc_informatics").fillna(0)
    any_pc = df[["pc_teaching", "pc_management", "pc_informatics"]].notna().any(axis=1)
    bad = any_pc & (students > 0) & (pcs > MAX_PCS_PER_STUDENT * students)
    for row, p, st in zip(df.loc[bad, "_row"], pcs[bad], students[bad]):
        probs.warning(int(row), "pc_teaching", f"{fmt_number(p)} máy tính cho {fmt_number(st)} học sinh (hơn "
                      f"{MAX_PCS_PER_STUDENT} máy mỗi học sinh): hãy kiểm tra", f"{fmt_number(p, lang='en')} computers "
                      f"for {fmt_number(st, lang='en')} students (more than {MAX_PCS_PER_STUDENT} per student): "
                      "please check", "implausible_ratio")
    bad = (teachers > 0) & (students > MAX_STUDENTS_PER_TEACHER * teachers)
    for row, st, te in zip(df.loc[bad, "_row"], students[bad], teachers[bad]):
        r = fmt_number(st / te, 1)
        probs.warning(int(row), "teachers", f"{r} học sinh mỗi giáo viên (hơn {MAX_STUDENTS_PER_TEACHER}): hãy kiểm tra",
                      f"{fmt_number(st / te, 1, lang='en')} students per teacher (more than "
                      f"{MAX_STUDENTS_PER_TEACHER}): please check", "implausible_ratio")


def _assessment(df, probs, con, province, _doc):
    _check_years(df, probs)
    comp = [dx4725.computed_level(a, b) for a, b in zip(df["score_teaching"], df["score_management"])]
    df["computed_level"] = pd.Series(comp, dtype=object)
    for row, c, dec, ver in zip(df["_row"], comp, df["declared_level"], df["verified_level"]):
        if c is None:
            continue
        for fld, v, who_vi, who_en in (("declared_level", dec, "trường tự đánh giá", "declared"),
                                       ("verified_level", ver, "Sở/Phòng xác nhận", "verified")):
            if v is not None and not pd.isna(v) and int(v) in (1, 2, 3) and int(v) != c:
                probs.warning(int(row), fld, f"mức {who_vi} ({int(v)}) khác mức tính từ điểm theo QĐ 4725 ({c})",
                              f"{who_en} level ({int(v)}) contradicts the level computed from the scores by "
                              f"Decision 4725 ({c})", "level_mismatch")
    return _schools(df, probs, con, province)


def _report(df, probs, con, province, doc):
    inds = dict(con.execute(text("SELECT code, unit FROM indicator")).all())
    units = dict(con.execute(text("SELECT code, COALESCE(parent_code, '') FROM admin_unit "
                                  "WHERE level IN ('province', 'district')")).all())
    prov_of = {u: (u if p == "VN" or p == "" else p) for u, p in units.items()}
    province = province or _mode(df["unit_code"].map(lambda u: prov_of.get(u)))
    if doc is None:
        probs.error(None, "", "chưa tải lên văn bản (tệp .txt) kèm theo số liệu báo cáo",
                    "the document (a .txt file) was not uploaded with the report figures", "no_document")
    docs = df["document"].dropna().unique().tolist()
    if len(docs) > 1:
        probs.error(None, "document", f"một tệp chỉ cho một văn bản (có {len(docs)}: {', '.join(map(_show, docs))})",
                    f"one document per file (found {len(docs)}: {', '.join(map(_show, docs))})", "many_documents")
    for r in df.to_dict("records"):
        row = int(r["_row"])
        ind, unit = r["indicator"], r["unit_code"]
        if ind is not None and ind not in inds:
            probs.error(row, "indicator", f"mã chỉ tiêu '{ind}' không có trong danh mục",
                        f"unknown indicator code '{ind}'", "unknown_indicator")
        if unit is not None and unit not in units:
            probs.error(row, "unit_code", f"mã đơn vị '{unit}' không tồn tại", f"unknown unit code '{unit}'",
                        "unknown_unit")
        elif unit is not None and province and prov_of.get(unit) != province:
            probs.error(row, "unit_code", f"đơn vị {unit} thuộc tỉnh khác", f"unit {unit} is in another province",
                        "other_province")
        if r["value"] is None and r["numerator"] is None:
            probs.error(row, "value", "cần giá trị hoặc tử số", "a value or a numerator is required", "no_value")
        if inds.get(ind) == "pct" and r["value"] is not None and r["value"] > 100:
            probs.error(row, "value", f"tỷ lệ {r['value']:g}% ngoài khoảng 0–100", f"share {r['value']:g}% outside 0–100",
                        "share_range")
        if r["numerator"] is not None and r["denominator"] and r["numerator"] > r["denominator"]:
            probs.error(row, "numerator", "tử số lớn hơn mẫu số", "numerator above denominator", "above_total")
        q, printed = r["quote"], r["printed"]
        if q and doc is not None and _squash(q) not in _squash(doc):
            probs.error(row, "quote", "không tìm thấy nguyên văn trích dẫn trong văn bản tải lên",
                        "the quote is not found verbatim in the uploaded document", "quote_not_found")
        if q and printed and printed not in q:
            probs.error(row, "printed", f"số '{_show(printed)}' không có trong trích dẫn",
                        f"'{_show(printed)}' does not occur in the quote", "printed_not_in_quote")
        try:
            start, _end = period_dates(r["period"])
            if start.year > latest_school_year():
                probs.error(row, "period", f"kỳ {r['period']} chưa đến", f"period {r['period']} is in the future",
                            "future_year")
        except ValueError:
            probs.error(row, "period", f"kỳ '{_show(r['period'])}' không hợp lệ (2024-2025 hoặc 2024)",
                        f"period '{_show(r['period'])}' is not valid (2024-2025 or 2024)", "bad_period")
    return df, province


def coverage(df: pd.DataFrame, kind: Kind, probs: Problems, con: Connection, province: str | None) -> dict:
    """For school-year and assessment files: per school year, how many of the province's registered (imported)
    schools the file covers, how many others already have imported rows that year, and how many will have none.
    Warns (acknowledgement needed) when some registered schools would be left without data that year."""
    if kind.key not in ("school_year", "assessment") or not province or "school_id" not in df.columns:
        return {}
    table = "school_year" if kind.key == "school_year" else "intake_assessment"
    of = con.execute(text("SELECT COUNT(*) FROM school WHERE province_code = :p AND batch_id IS NOT NULL"),
                     {"p": province}).scalar() or 0
    out: dict = {}
    ok = df[df["school_id"].notna() & df["school_year"].notna()]
    if "reg_province" in ok.columns:
        ok = ok[ok["reg_province"] == province]
    for y in sorted({int(v) for v in df["school_year"].dropna()}):
        mine = {int(i) for i in ok.loc[ok["school_year"] == y, "school_id"]}
        have = {r[0] for r in con.execute(text(
            f"SELECT DISTINCT school_id FROM {table} WHERE province_code = :p AND school_year = :y "
            "AND batch_id IS NOT NULL"), {"p": province, "y": y})}
        earlier = len(have - mine)
        missing = max(0, of - len(mine) - earlier)
        out[y] = {"file": len(mine), "earlier": earlier, "missing": missing, "of": int(of)}
        if of and missing:
            label = school_year_label(y)
            n, nn, e, mi = (fmt_number(x) for x in (len(mine), of, earlier, missing))
            ne, nne, ee, mie = (fmt_number(x, lang="en") for x in (len(mine), of, earlier, missing))
            vi_mid = f", {e} trường khác đã có số liệu từ lô trước" if earlier else ""
            en_mid = f", {ee} others already have data from earlier batches" if earlier else ""
            probs.warning(None, "", f"Tệp có {n}/{nn} trường của tỉnh{vi_mid}; {mi} trường còn lại sẽ không có số "
                          f"liệu năm học {label}", f"the file has {ne}/{nne} of the province's schools{en_mid}; the "
                          f"other {mie} will have no data for school year {label}", "partial_coverage")
    return out


def _squash(s: str) -> str:
    """The seed build's verbatim rule, tolerant only of line breaks and runs of spaces (PDF text wraps)."""
    import unicodedata
    return " ".join(unicodedata.normalize("NFC", s).split())


def period_dates(period: str | None) -> tuple[date, date]:
    """'2024-2025' → school year 5/9/2024–31/5/2025; '2024' → the calendar year."""
    if period is None:
        raise ValueError("empty")
    y = parse_school_year(period)
    if "-" in str(period) or "–" in str(period):
        return date(y, 9, 5), date(y + 1, 5, 31)
    return date(y, 1, 1), date(y, 12, 31)
