"""Read-only queries for the intake and audit pages: batches with their effect, one batch's detail and
files, and the published Decision 4725 assessments."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine

from ..queries import _df

STATUS_NAMES = {
    "staged": {"vi": "Chờ duyệt", "en": "Staged"}, "published": {"vi": "Đã phát hành", "en": "Published"},
    "rolled_back": {"vi": "Đã hoàn tác", "en": "Rolled back"}, "rejected": {"vi": "Bị từ chối", "en": "Rejected"},
}
KIND_NAMES = {
    "register": {"vi": "Danh sách trường", "en": "School register"},
    "school_year": {"vi": "Số liệu năm học", "en": "School-year statistics"},
    "assessment": {"vi": "Tự đánh giá QĐ 4725", "en": "Decision 4725 assessment"},
    "report": {"vi": "Số liệu báo cáo", "en": "Report figures"},
}


def batches(*, province: str | None = None, status: str | None = None, lang: str = "vi",
            engine: Engine | None = None) -> pd.DataFrame:
    """Every batch, newest first, with its effect: id, kind, kind_name, file_name, sha256, province_code,
    province_name, school_years ('2024;2023'), school_year_labels ('2024-2025, 2023-2024'), status, status_name, uploaded_by/at, approved_by/at, rolled_back_by/at,
    rejected_by/at, n_rows, n_new, n_changed, n_unchanged, n_warnings, warnings_acknowledged,
    rows_live (rows of the batch in the dashboards now), superseded (rows it replaced)."""
    df = _df("""SELECT b.id, b.kind, b.file_name, b.sha256, b.province_code, u.name AS province_name, b.school_years,
                   b.status, b.uploaded_by, b.uploaded_at, b.approved_by, b.approved_at, b.rolled_back_by,
                   b.rolled_back_at, b.rejected_by, b.rejected_at, b.n_rows, b.n_new, b.n_changed, b.n_unchanged,
                   b.n_warnings, b.warnings_acknowledged, b.document_name, b.note,
                   (SELECT COUNT(*) FROM school_year WHERE batch_id = b.id) +
                   (SELECT COUNT(*) FROM school WHERE batch_id = b.id) +
                   (SELECT COUNT(*) FROM intake_assessment WHERE batch_id = b.id) +
                   (SELECT COUNT(*) FROM observation WHERE batch_id = b.id) AS rows_live,
                   (SELECT COUNT(*) FROM intake_superseded WHERE batch_id = b.id) AS superseded
                FROM intake_batch b LEFT JOIN admin_unit u ON u.code = b.province_code
                WHERE (CAST(:p AS TEXT) IS NULL OR b.province_code = :p) AND (CAST(:s AS TEXT) IS NULL OR b.status = :s)
                ORDER BY b.id DESC""", {"p": province, "s": status}, engine)
    df["kind_name"] = df["kind"].map(lambda k: KIND_NAMES.get(k, {}).get(lang, k))
    df["status_name"] = df["status"].map(lambda k: STATUS_NAMES.get(k, {}).get(lang, k))
    df["school_year_labels"] = [_year_labels(y, k) for y, k in zip(df["school_years"], df["kind"])]
    return df


def _year_labels(years: object, kind: str) -> str:
    """'2024;2023' → '2024-2025, 2023-2024' (a report's periods stay as stored: they may be calendar years)."""
    ys = [y for y in str(years or "").split(";") if y]
    if kind == "report":
        return ", ".join(ys)
    return ", ".join(f"{y}-{int(y) + 1}" if y.isdigit() else y for y in ys)


def batch_files(bid: int, *, engine: Engine | None = None) -> pd.DataFrame:
    """The files of a batch (role, name, sha256, size) without their bytes."""
    return _df("SELECT role, name, sha256, size FROM intake_file WHERE batch_id = :b ORDER BY id", {"b": bid}, engine)


def batch_file_bytes(bid: int, role: str = "workbook", *, engine: Engine | None = None) -> tuple[str, bytes] | None:
    """(name, bytes) of a batch's uploaded file, for a download button."""
    from ..db import read_engine

    with (engine or read_engine()).connect() as con:
        r = con.execute(text("SELECT name, content FROM intake_file WHERE batch_id = :b AND role = :r"),
                        {"b": bid, "r": role}).first()
    return (r[0], bytes(r[1])) if r else None


def assessments(province: str, school_year: int | None = None, *, engine: Engine | None = None) -> pd.DataFrame:
    """Published Decision 4725 assessments of a province: school_code, school_name, level, district_code,
    district_name, school_year, score_teaching, score_management, declared_level, verified_level,
    computed_level, dx_level, flag_declared (declared ≠ computed), flag_verified (verified ≠ computed), batch_id."""
    return _df("""SELECT a.school_code, s.name AS school_name, s.level, a.district_code, u.fullname AS district_name,
                   s.commune_code, a.school_year, a.score_teaching, a.score_management, a.declared_level,
                   a.verified_level, a.computed_level, a.dx_level,
                   (a.declared_level IS NOT NULL AND a.computed_level IS NOT NULL
                    AND a.declared_level != a.computed_level) AS flag_declared,
                   (a.verified_level IS NOT NULL AND a.computed_level IS NOT NULL
                    AND a.verified_level != a.computed_level) AS flag_verified, a.batch_id
                FROM intake_assessment a JOIN school s ON s.id = a.school_id
                LEFT JOIN admin_unit u ON u.code = a.district_code
                WHERE a.province_code = :p AND (CAST(:y AS INTEGER) IS NULL OR a.school_year = :y)
                ORDER BY a.school_year, u.fullname, s.name""", {"p": province, "y": school_year}, engine)


def assessment_levels(province: str, *, by: str = "district", engine: Engine | None = None) -> pd.DataFrame:
    """Schools per Decision 4725 level (dx_level) by `by` ('district' | 'level' | 'province') and school year:
    group, school_year, schools, l1, l2, l3, pct_l1, pct_l2, pct_l3, declared_ne_computed, verified_ne_computed."""
    group = {"district": "COALESCE(u.fullname, '')", "level": "s.level", "province": "a.province_code"}[by]
    df = _df(f"""SELECT {group} AS grp, a.school_year, COUNT(*) AS schools,
                    SUM(CAST(a.dx_level = 1 AS INTEGER)) AS l1, SUM(CAST(a.dx_level = 2 AS INTEGER)) AS l2,
                    SUM(CAST(a.dx_level = 3 AS INTEGER)) AS l3,
                    SUM(CAST(a.declared_level != a.computed_level AS INTEGER)) AS declared_ne_computed,
                    SUM(CAST(a.verified_level != a.computed_level AS INTEGER)) AS verified_ne_computed,
                    AVG(a.score_teaching) AS mean_score_teaching, AVG(a.score_management) AS mean_score_management
                 FROM intake_assessment a JOIN school s ON s.id = a.school_id
                 LEFT JOIN admin_unit u ON u.code = a.district_code
                 WHERE a.province_code = :p GROUP BY 1, 2 ORDER BY 2, 1""", {"p": province}, engine)
    for n in (1, 2, 3):
        df[f"pct_l{n}"] = 100.0 * df[f"l{n}"] / df["schools"].where(df["schools"] > 0)
    return df.rename(columns={"grp": by})
