"""Decision 4725/QĐ-BGDĐT (30/12/2022): the level of digital transformation of a school from the scores
of its two criteria groups.

Source read (the Decision's text is not shipped): the scale published with the index by the vnEdu
"Bộ chỉ số đánh giá chuyển đổi số" portal (https://dti.vnedu.vn/, section "Thang điểm đánh giá"), which
restates the Decision: two criteria groups ("Chuyển đổi số trong dạy, học" and "Chuyển đổi số trong quản
trị cơ sở giáo dục"), each scored out of 100, and
  Mức độ 1 (chưa đáp ứng): "Tổng điểm của mỗi nhóm tiêu chí dưới 50";
  Mức độ 2 (đáp ứng cơ bản): "Tổng điểm của mỗi nhóm tiêu chí đạt từ 50 đến 75";
  Mức độ 3 (đáp ứng tốt): "Tổng điểm của mỗi nhóm tiêu chí đạt trên 75".
The same page gives the bands 0–49 / 50–75 / 76–100 and the calendar (schools submit before 31/5, the
Sở/Phòng reviews and publishes before 20/6). LawNet's English summary of Decision 4725 confirms the two
groups.

How the groups combine: the text requires "each group" ("mỗi nhóm") to reach a level's band, so a school
is at level 3 only when both groups are above 75, at level 2 when both are at least 50, else at level 1.
Read literally, level 1 ("each group below 50") leaves a gap (e.g. 40 and 80); we close it by the rule
that the school's level is the LOWER of its two groups' levels (a school does not reach a level unless
every group does). This is our reading, stated on the page; the Decision's own tables remain the authority.
"""
from __future__ import annotations

import math

DECISION = "4725/QĐ-BGDĐT"
DECISION_DATE = "2022-12-30"
GROUPS = {
    "score_teaching": {"vi": "Chuyển đổi số trong dạy, học", "en": "Digital transformation in teaching and learning"},
    "score_management": {"vi": "Chuyển đổi số trong quản trị cơ sở giáo dục",
                         "en": "Digital transformation in school management"},
}
LEVEL_NAMES = {1: {"vi": "Mức 1 – chưa đáp ứng", "en": "Level 1 – not yet meeting"},
               2: {"vi": "Mức 2 – đáp ứng cơ bản", "en": "Level 2 – basic"},
               3: {"vi": "Mức 3 – đáp ứng tốt", "en": "Level 3 – good"}}
LOW, HIGH = 50.0, 75.0  # below 50: level 1; 50–75: level 2; above 75: level 3 (per group)

CITATION = {
    "document": "Quyết định 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ GDĐT ban hành Bộ chỉ số đánh giá mức độ chuyển đổi "
                "số của cơ sở giáo dục phổ thông và giáo dục thường xuyên",
    "read_from": "https://dti.vnedu.vn/ — mục \"Thang điểm đánh giá\" (trình bày lại thang điểm của Quyết định)",
    "quotes": ["Mức độ 1: Tổng điểm của mỗi nhóm tiêu chí dưới 50.",
               "Mức độ 2: Tổng điểm của mỗi nhóm tiêu chí đạt từ 50 đến 75.",
               "Mức độ 3: Tổng điểm của mỗi nhóm tiêu chí đạt trên 75."],
}
RULE = {
    "vi": ("Mức do hệ thống tính theo QĐ 4725/QĐ-BGDĐT: mỗi nhóm tiêu chí (dạy, học; quản trị) được 100 điểm; "
           "dưới 50 là mức 1, từ 50 đến 75 là mức 2, trên 75 là mức 3. Văn bản yêu cầu \"mỗi nhóm tiêu chí\" đạt "
           "ngưỡng, nên mức của trường là mức thấp hơn trong hai nhóm (cách hiểu của chúng tôi; nguồn: thang điểm "
           "trình bày tại dti.vnedu.vn, mục \"Thang điểm đánh giá\")."),
    "en": ("Level computed by Decision 4725/QĐ-BGDĐT: each criteria group (teaching and learning; management) is "
           "scored out of 100; below 50 is level 1, 50 to 75 level 2, above 75 level 3. The text requires \"each "
           "group\" to reach the band, so a school's level is the lower of its two groups' levels (our reading; "
           "source: the scale restated at dti.vnedu.vn, section \"Thang điểm đánh giá\")."),
}


def group_level(score: float | None) -> int | None:
    """Level of one criteria group: < 50 → 1, 50–75 → 2, > 75 → 3; None for a missing score."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    if score < LOW:
        return 1
    if score <= HIGH:
        return 2
    return 3


def computed_level(score_teaching: float | None, score_management: float | None) -> int | None:
    """The school's level: the lower of its two groups' levels (None unless both scores are given)."""
    a, b = group_level(score_teaching), group_level(score_management)
    if a is None or b is None:
        return None
    return min(a, b)


def effective_level(verified: int | None, computed: int | None, declared: int | None) -> int | None:
    """The level the dashboards count: the Sở's verified level, else the computed one, else the declared one."""
    for v in (verified, computed, declared):
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            return int(v)
    return None


def level_sql(a: str, b: str) -> str:
    """The same rule as SQL over two score expressions (for set-based publishing)."""
    def g(x: str) -> str:
        return f"(CASE WHEN {x} IS NULL THEN NULL WHEN {x} < {LOW} THEN 1 WHEN {x} <= {HIGH} THEN 2 ELSE 3 END)"
    return (f"(CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL WHEN {g(a)} <= {g(b)} THEN {g(a)} "
            f"ELSE {g(b)} END)")  # the lower of the two; one text for SQLite and PostgreSQL
