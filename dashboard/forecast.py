"""Forecast of target attainment: trend projections, prediction intervals and an SDG progress status.

Pure model core: plain Python, numpy, pandas and scikit-learn. No Streamlit, no database; callers pass the
series in (years and values as published) and get typed, JSON-serialisable results back.

Trend (per series of yearly points, x = year as a float)
-------------------------------------------------------
* Shares (unit 'pct', values in percent): a **logistic** trend, fitted as a *linear* model
  (``sklearn.linear_model.LinearRegression``) on ``logit(y / ceiling)``; the ceiling is 100 % or a stated
  ``ceiling`` (0 < ceiling <= 100), so the trend saturates there and never leaves 0..ceiling. Values are first
  clipped to ``(eps, ceiling - eps)`` with ``eps = 0.001 * ceiling`` (0.1 percentage point at 100 %), because
  the logit of 0 % or of the ceiling is infinite; the result notes it when a value was moved. It is compared
  with a plain **linear** trend whose projections are clipped to ``[0, ceiling]``.
* Counts and amounts ('count', 'million_vnd', 'vnd'): a plain **linear** trend clipped at 0 (so it never
  goes negative) compared with a **log-linear** trend (linear model on ``log y``: constant growth rate, always
  positive). The log-linear trend is only a candidate when every value is > 0.
* The candidate with the smaller **leave-last-out backtest error** wins (fit on all points but the last,
  predict the last, absolute error in the unit of the series; computed without a second fit by the exact
  least-squares deleted-residual identity); this needs >= 3 points. On a tie the
  unit-aware candidate for shares (logistic) and the linear one for counts are kept. With exactly 2 points
  the trend goes through both points: logistic for shares, linear for counts and amounts;
  ``backtest_error`` is then None. With fewer than 2 points there is no trend (method 'none').
* Several values for the same year are averaged; missing or non-finite values are dropped. ``n_points`` is
  the number of distinct years a result rests on.

Prediction interval and probability
-----------------------------------
Residual bootstrap of the chosen trend, on the scale it is fitted on (logit, log or the value itself):
residuals of the fit, inflated by sqrt(n / (n - 2)) for the two fitted parameters, are resampled with
replacement onto the fitted line, the line is refitted (ordinary least squares in closed form, the same
estimator as LinearRegression), and one more resampled residual is added as the noise of the future year.
The draws are mapped back to the unit (logistic / exp / clip), so they respect 0..ceiling and >= 0.
The interval at ``interval_level`` (default 80 %) is the central quantile range of the draws (widened, if
ever needed, to contain the point projection); the probability of reaching a target is the share of draws at
or beyond it (>= for direction 'up', <= for 'down'). The same random indices (from ``seed``) are used for
every series, year and target, so results do not depend on which other series are in a batch and the
probability is monotone in the target. With fewer than 3 points the residuals carry no information (two
points are fitted exactly), so interval and probability are **not estimable** and are None, and the result
says so. When the points lie exactly on the trend the draws have (almost) no spread, which understates the real
uncertainty; the result says that too ('exact_fit'). Where, in a projection or target year, every draw is the same
value (a trend clipped at the unit's limit, e.g. a share saturated at 100 %, or an exact fit), a zero-width range
would read as certainty: that year gets no interval and no probability (None) and the note 'interval_collapsed'.
The probability is a model probability: it assumes the trend and the
scatter around it continue.

Status rule (one published rule)
--------------------------------
United Nations Statistics Division (2022). *Sustainable Development Goals Progress Chart 2022 — Technical
Note*, section II(b) "Measuring the trend for indicators with an explicit numerical target".
https://unstats.un.org/sdgs/report/2022/Progress_Chart_Technical_Note_2022.pdf
(Provenance: the PDF itself was not reachable when this was written; the section title comes from a copy of
the note's contents, the thresholds from public implementations that cite it, e.g. UNDP's SDG Push
diagnostic. Check against the PDF before publishing.)

The progress ratio is observed growth divided by the growth required to reach the target on time, from the
base (first) point::

    CR = [(current - base) / (current_year - base_year)] / [(target - base) / (target_year - base_year)]

and the published thresholds are

    CR >= 0.95          substantial progress / on track            -> 'on_track'
    0.5 <= CR < 0.95    fair progress but acceleration needed      -> 'acceleration_needed'
    -0.1 <= CR < 0.5    limited or no progress                     -> 'limited_progress'
    CR < -0.1           deterioration                              -> 'deterioration'

plus 'reached' when the latest value already meets the target (checked first), 'insufficient_data' with
fewer than two points, and 'not_applicable' for indicators without a desired direction (direction 'none').
Direction matters: for direction 'down' both growths are negative when things improve, so CR is positive.
If the base already met the target and the latest value no longer does, the required growth has the wrong
sign and CR is undefined; the series has moved away from the target: 'deterioration'.
**Departure from the note:** the note measures growth as compound annual growth rates,
CAGR = (x_t / x_0)^(1 / (t - t_0)) - 1; as the issue specifies, this module uses the average absolute
change per year (``growth="linear"``, better suited to shares close to 100 %). ``growth="cagr"`` gives the
note's form.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Iterable, Literal, Mapping, Sequence

import numpy as np
import pandas as pd
import sklearn
from scipy.special import expit, logit
from sklearn.linear_model import LinearRegression

from .i18n import register, t

SHARE_UNITS = frozenset({"pct"})
AMOUNT_UNITS = frozenset({"count", "million_vnd", "vnd"})
DIRECTIONS = ("up", "down", "none")
METHODS = ("logistic", "linear", "log_linear", "none")
STATUSES = ("reached", "on_track", "acceleration_needed", "limited_progress", "deterioration",
            "insufficient_data", "not_applicable")

# Published thresholds of the progress ratio (UNSD Progress Chart 2022 Technical Note, section II(b)).
ON_TRACK_MIN = 0.95
ACCELERATION_MIN = 0.5
LIMITED_MIN = -0.1

STATUS_RULE_CITATION = (
    "United Nations Statistics Division (2022). Sustainable Development Goals Progress Chart 2022 — "
    "Technical Note, section II(b) \"Measuring the trend for indicators with an explicit numerical target\". "
    "https://unstats.un.org/sdgs/report/2022/Progress_Chart_Technical_Note_2022.pdf — progress ratio "
    "CR = observed / required growth; CR >= 0.95 substantial progress/on track; 0.5 <= CR < 0.95 fair "
    "progress but acceleration needed; -0.1 <= CR < 0.5 limited or no progress; CR < -0.1 deterioration. "
    "The note uses compound annual growth rates; this dashboard uses average absolute change per year."
)
STATUS_RULE_URL = "https://unstats.un.org/sdgs/report/2022/Progress_Chart_Technical_Note_2022.pdf"

DEFAULT_CEILING = 100.0
EPS_FRACTION = 1e-3      # eps = EPS_FRACTION * ceiling for the logit clip
N_BOOT = 1000            # bootstrap replicates
_CHUNK = 256             # series per bootstrap chunk (memory: chunk * N_BOOT * n floats)
_MAX_LOG = 700.0         # exp() cap for log-linear projections (keeps them finite)

Growth = Literal["linear", "cagr"]

# ---------------------------------------------------------------------------------------------- texts
FORECAST_STRINGS: dict[str, dict[str, str]] = {
    "forecast_status_reached": {"vi": "Đã đạt mục tiêu", "en": "Target already met"},
    "forecast_status_on_track": {"vi": "Đúng tiến độ", "en": "On track (substantial progress)"},
    "forecast_status_acceleration_needed": {"vi": "Có tiến bộ nhưng cần tăng tốc",
                                            "en": "Fair progress, acceleration needed"},
    "forecast_status_limited_progress": {"vi": "Tiến bộ hạn chế hoặc không tiến bộ",
                                         "en": "Limited or no progress"},
    "forecast_status_deterioration": {"vi": "Đi xuống (xa dần mục tiêu)", "en": "Deterioration"},
    "forecast_status_insufficient_data": {"vi": "Chưa đủ số liệu (dưới 2 điểm)",
                                          "en": "Insufficient data (fewer than 2 points)"},
    "forecast_status_not_applicable": {"vi": "Không đánh giá (chỉ tiêu không có chiều mong muốn)",
                                       "en": "Not assessed (no desired direction)"},
    "forecast_method_logistic": {"vi": "xu hướng logistic", "en": "logistic trend"},
    "forecast_method_linear": {"vi": "xu hướng tuyến tính", "en": "linear trend"},
    "forecast_method_log_linear": {"vi": "xu hướng log-tuyến tính (tăng trưởng đều theo tỉ lệ)",
                                   "en": "log-linear trend (constant growth rate)"},
    "forecast_method_none": {"vi": "không có xu hướng", "en": "no trend"},
    "forecast_note_no_data": {"vi": "Không có số liệu công bố: không ước lượng được xu hướng.",
                              "en": "No published value: no trend can be fitted."},
    "forecast_note_one_point": {
        "vi": "Chỉ có 1 điểm số liệu: không có xu hướng, dự báo hay khoảng dự báo; trạng thái chỉ cho biết "
              "mục tiêu đã đạt hay chưa.",
        "en": "Only one point: no trend, projection or interval; the status only says whether the target is "
              "already met."},
    "forecast_note_two_points": {
        "vi": "Chỉ có 2 điểm: xu hướng đi qua cả hai điểm, không kiểm tra ngược được; khoảng dự báo và xác "
              "suất đạt mục tiêu không ước lượng được từ 2 điểm.",
        "en": "Only two points: the trend goes through both and cannot be backtested; a prediction interval "
              "and a probability of reaching the target cannot be estimated from two points."},
    "forecast_note_three_points": {
        "vi": "Chỉ có 3 điểm: khoảng dự báo dựa trên một bậc tự do nên rất thô.",
        "en": "Only three points: the interval rests on one degree of freedom and is very rough."},
    "forecast_note_interval": {
        "vi": "Khoảng dự báo {level}% và xác suất đạt mục tiêu tính bằng bootstrap phần dư ({n_boot} lần lặp); "
              "chỉ phản ánh độ dao động của các điểm trong chuỗi quanh xu hướng.",
        "en": "{level}% prediction interval and probability of reaching the target from a residual bootstrap "
              "({n_boot} replicates); they only reflect the scatter of the series' points around the trend."},
    "forecast_note_exact_fit": {
        "vi": "Các điểm nằm đúng trên xu hướng nên khoảng dự báo gần như bằng 0: mức bất định thực tế lớn hơn.",
        "en": "The points lie exactly on the trend, so the interval has (almost) zero width: the real "
              "uncertainty is larger."},
    "forecast_note_interval_collapsed": {
        "vi": "Ở năm dự báo, mọi lần lặp bootstrap cho cùng một giá trị (chuỗi đã chạm giới hạn của đơn vị hoặc "
              "các điểm nằm đúng trên xu hướng): một khoảng rộng bằng 0 không phải là sự chắc chắn, nên không ghi "
              "khoảng dự báo và xác suất cho năm đó.",
        "en": "In the projection year every bootstrap draw gives the same value (the series has reached the limit "
              "of the unit, or the points lie exactly on the trend): a zero-width range is not certainty, so no "
              "interval and no probability are given for that year."},
    "forecast_note_clipped": {
        "vi": "Giá trị bằng 0% hoặc bằng mức trần được dịch vào trong {eps} điểm % trước khi lấy logit.",
        "en": "Values at 0% or at the ceiling were moved {eps} percentage points inside before the logit."},
    "forecast_note_capped": {
        "vi": "Xu hướng tuyến tính chạm giới hạn của đơn vị (0 hoặc mức trần) trước năm dự báo; dự báo được giữ "
              "ở giới hạn đó.",
        "en": "The linear trend reaches the limit of the unit (0 or the ceiling) before the projection year; the "
              "projection is held at that limit."},
    "forecast_note_duplicates_averaged": {"vi": "Nhiều giá trị cho cùng một năm đã được lấy trung bình.",
                                          "en": "Several values for the same year were averaged."},
    "forecast_note_log_linear_skipped": {
        "vi": "Không xét xu hướng log-tuyến tính vì chuỗi có giá trị bằng 0 hoặc âm.",
        "en": "Log-linear trend not considered: the series has zero or negative values."},
}
register(FORECAST_STRINGS)

MODEL_CARD: dict[str, dict[str, object]] = {
    "vi": {
        "title": "Dự báo khả năng đạt mục tiêu: cách tính và giới hạn",
        "method": (
            "Mỗi chuỗi số liệu theo năm được so sánh giữa hai xu hướng. Với tỉ lệ (%): xu hướng logistic "
            "(hồi quy tuyến tính trên logit của giá trị chia cho mức trần 100% hoặc mức trần được nêu, nên dự "
            "báo luôn nằm trong 0–100%) và xu hướng tuyến tính cắt trong 0–mức trần. Với số lượng và kinh phí: "
            "xu hướng tuyến tính không âm và xu hướng log-tuyến tính (tăng trưởng đều theo tỉ lệ). Chọn xu "
            "hướng có sai số nhỏ hơn khi kiểm tra ngược: bỏ điểm cuối, ước lượng trên các điểm còn lại rồi dự "
            "báo điểm cuối (cần ít nhất 3 điểm). Với đúng 2 điểm, xu hướng đi qua cả hai điểm."),
        "interval": (
            "Khoảng dự báo (mặc định 80%) và xác suất đạt mục tiêu tính bằng bootstrap phần dư của xu hướng "
            "đã chọn. Cần ít nhất 3 điểm; với 1–2 điểm, khoảng dự báo và xác suất được ghi là không ước "
            "lượng được. Nhịp cần thiết mỗi năm = (mục tiêu − giá trị mới nhất) / (năm mục tiêu − năm mới nhất)."),
        "status_rule": (
            "Trạng thái theo tỉ số tiến độ của Liên Hợp Quốc (UNSD, Progress Chart 2022, ghi chú kỹ thuật): "
            "tỉ số = mức thay đổi bình quân mỗi năm đã đạt (từ điểm đầu đến điểm mới nhất) chia cho mức cần "
            "đạt mỗi năm (từ điểm đầu đến mục tiêu). Từ 0,95: đúng tiến độ; 0,5 đến dưới 0,95: cần tăng tốc; "
            "−0,1 đến dưới 0,5: tiến bộ hạn chế; dưới −0,1: đi xuống. Đã đạt nếu giá trị mới nhất đã đạt mục "
            "tiêu. Ghi chú kỹ thuật dùng tốc độ tăng trưởng kép; ở đây dùng mức thay đổi tuyệt đối mỗi năm."),
        "limitations": (
            "Mô hình chỉ thấy các con số đã công bố: không biết thay đổi chính sách, đầu tư hay chương trình "
            "mới có thể làm xu hướng tăng tốc hoặc chững lại.",
            "Không biết khi định nghĩa, phạm vi hoặc cách tính chỉ tiêu trong báo cáo thay đổi giữa các năm "
            "(ví dụ đổi mẫu số, gộp cấp học); khi đó các điểm không so sánh được với nhau.",
            "Chuỗi số liệu công bố rất ngắn (thường 1–3 điểm): dự báo rất thô; với 1–2 điểm không có khoảng "
            "dự báo và xác suất.",
            "Từ 01/7/2025 các tỉnh được sắp xếp lại theo Nghị quyết 202/2025/QH15 (Sóc Trăng nhập vào thành "
            "phố Cần Thơ, Đắk Nông vào Lâm Đồng, Đồng Tháp hợp nhất với Tiền Giang thành tỉnh Đồng Tháp mới): "
            "số liệu và mục tiêu sau đó được báo cáo cho tỉnh mới, nên dự báo theo tỉnh cũ có thể không so "
            "sánh được với số liệu sẽ công bố.",
            "Xác suất là xác suất theo mô hình, giả định xu hướng và mức dao động quanh xu hướng không đổi.",
        ),
    },
    "en": {
        "title": "Forecast of target attainment: method and limits",
        "method": (
            "Each yearly series is fitted with two trends. Shares (%): a logistic trend (a linear regression on "
            "the logit of the value divided by a ceiling of 100% or a stated ceiling, so projections stay within "
            "0–100%) and a linear trend clipped to 0–ceiling. Counts and amounts: a linear trend clipped at 0 and "
            "a log-linear trend (constant growth rate). The trend with the smaller backtest error wins: leave "
            "the last point out, fit the rest, predict the last point (needs at least 3 points). With exactly "
            "2 points the trend goes through both."),
        "interval": (
            "Prediction interval (80% by default) and probability of reaching the target from a residual "
            "bootstrap of the chosen trend. Needs at least 3 points; with 1–2 points interval and probability "
            "are reported as not estimable. Required yearly pace = (target − latest value) / (target year − "
            "latest year)."),
        "status_rule": (
            "Status by the UN progress ratio (UNSD, SDG Progress Chart 2022, Technical Note): ratio = observed "
            "average change per year (first point to latest) divided by the change per year required to reach "
            "the target on time (first point to target). 0.95 or more: on track; 0.5 to below 0.95: "
            "acceleration needed; −0.1 to below 0.5: limited or no progress; below −0.1: deterioration. Reached "
            "when the latest value already meets the target. The note uses compound growth rates; this "
            "dashboard uses absolute change per year."),
        "limitations": (
            "The model only sees published figures: it cannot know about policy changes, investments or new "
            "programmes that may speed up or stall a trend.",
            "It cannot know when a report changes an indicator's definition, scope or calculation between "
            "years (a new denominator, merged school levels); such points are not comparable.",
            "Published series are very short (often 1–3 points): projections are rough; with 1–2 points there "
            "is no interval and no probability.",
            "From 1 July 2025 provinces were merged under Resolution 202/2025/QH15 (Sóc Trăng into Cần Thơ city, "
            "Đắk Nông into Lâm Đồng, Đồng Tháp with Tiền Giang into a new Đồng Tháp): later figures and targets "
            "are reported for the new provinces, so a projection for a former province may not be comparable "
            "with what will be published.",
            "The probability is a model probability: it assumes the trend and the scatter around it continue.",
        ),
    },
}


# ---------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Projection:
    """Projected value of the chosen trend in one year, with its prediction interval (None if not estimable)
    and the number of points (distinct years) it rests on."""
    year: int
    value: float | None
    lower: float | None
    upper: float | None
    n_points: int


@dataclass(frozen=True)
class TargetOutlook:
    """One target of one series: projection at the target year, probability, paces, progress ratio, status.

    required_pace: (target - latest) / (target_year - latest_year), None when target_year <= latest_year.
    observed_pace: (latest - first) / (latest_year - first_year), None with fewer than 2 points.
    progress_ratio: observed_pace / required pace from the first point (see ``progress_ratio``).
    probability: share of bootstrap draws at or beyond the target in the target year; None when not estimable.
    status: one of STATUSES, by the published rule (see ``sdg_status``).
    n_points: distinct years the outlook rests on.
    """
    year: int
    target: float
    projected: float | None
    lower: float | None
    upper: float | None
    probability: float | None
    required_pace: float | None
    observed_pace: float | None
    progress_ratio: float | None
    status: str
    n_points: int


@dataclass(frozen=True)
class SeriesForecast:
    """Forecast of one series.

    method: the trend kept ('logistic', 'linear', 'log_linear', or 'none' below 2 points).
    n_points: distinct years used. first_/last_year and _value: the observed base and latest points.
    backtest_error: leave-last-out absolute error of the kept trend (None below 3 points);
    candidate_errors: the same for every candidate (None when it could not be fitted).
    interval_level / n_boot: level and replicates of the bootstrap (the level is kept even when no
    interval is estimable). notes: codes of plain statements (``note(lang)`` gives the text).
    """
    method: str
    n_points: int
    unit: str
    direction: str
    ceiling: float | None
    first_year: float | None
    first_value: float | None
    last_year: float | None
    last_value: float | None
    backtest_error: float | None
    candidate_errors: Mapping[str, float | None] = field(hash=False)
    interval_level: float = 0.8
    n_boot: int = N_BOOT
    projections: tuple[Projection, ...] = ()
    outlooks: tuple[TargetOutlook, ...] = ()
    notes: tuple[str, ...] = ()

    def note(self, lang: str = "vi") -> str:
        """The plain statements of ``notes`` in one language, one sentence after another."""
        eps = f"{EPS_FRACTION * (self.ceiling or DEFAULT_CEILING):g}"
        n_boot = f"{self.n_boot:,}"
        if lang == "vi":
            eps, n_boot = eps.replace(".", ","), n_boot.replace(",", ".")
        fmt = {"level": f"{self.interval_level * 100:g}", "n_boot": n_boot, "eps": eps}
        return " ".join(t(f"forecast_note_{code}", lang).format(**fmt) for code in self.notes)

    def to_dict(self) -> dict:
        """JSON-serialisable dict (NaN never appears: missing numbers are None), with the notes in vi and en."""
        d = asdict(self)
        d["candidate_errors"] = dict(self.candidate_errors)
        d["projections"] = [asdict(p) for p in self.projections]
        d["outlooks"] = [asdict(o) for o in self.outlooks]
        d["notes"] = list(self.notes)
        d["note_vi"] = self.note("vi")
        d["note_en"] = self.note("en")
        return d


# ---------------------------------------------------------------------------------------------- status rule
def progress_ratio(*, base_year: float, base_value: float, current_year: float, current_value: float,
                   target_year: float, target: float, direction: str = "up",
                   growth: Growth = "linear") -> float | None:
    """Observed growth / required growth (UNSD Progress Chart 2022 Technical Note, section II(b)).

    growth='linear' (default, as specified by the issue):
        [(current - base) / (current_year - base_year)] / [(target - base) / (target_year - base_year)]
    growth='cagr' (the note's form): CAGR_observed / CAGR_required with CAGR = (x_t / x_0)^(1/(t - t_0)) - 1.

    None when it is undefined: direction not 'up'/'down', current_year <= base_year, target_year <= base_year,
    non-positive values under 'cagr', or a required growth that is zero or points the wrong way for the
    direction (the base already met the target).
    """
    if direction not in ("up", "down"):
        return None
    if current_year <= base_year or target_year <= base_year:
        return None
    if growth == "linear":
        observed = (current_value - base_value) / (current_year - base_year)
        required = (target - base_value) / (target_year - base_year)
    elif growth == "cagr":
        if base_value <= 0 or current_value <= 0 or target <= 0:
            return None
        observed = (current_value / base_value) ** (1.0 / (current_year - base_year)) - 1.0
        required = (target / base_value) ** (1.0 / (target_year - base_year)) - 1.0
    else:
        raise ValueError(f"growth must be 'linear' or 'cagr', not {growth!r}")
    if required * (1 if direction == "up" else -1) <= 0:
        return None
    return float(observed / required)


def classify_progress_ratio(ratio: float) -> str:
    """The published thresholds: >= 0.95 on_track; >= 0.5 acceleration_needed; >= -0.1 limited_progress;
    else deterioration."""
    if ratio >= ON_TRACK_MIN:
        return "on_track"
    if ratio >= ACCELERATION_MIN:
        return "acceleration_needed"
    if ratio >= LIMITED_MIN:
        return "limited_progress"
    return "deterioration"


def _reached(value: float, target: float, direction: str) -> bool:
    return value >= target if direction == "up" else value <= target


def sdg_status(years: Iterable[float], values: Iterable[float], *, target_year: float, target: float,
               direction: str = "up", growth: Growth = "linear") -> str:
    """Status of one series against one target, by the rule in the module docstring.

    Order: 'not_applicable' (direction 'none'); 'reached' (latest value meets the target — a fact about the
    latest value, so it holds even for a single point); 'insufficient_data' (fewer than two points, or no
    point before the target year to measure from); otherwise the progress ratio from the first to the latest
    point, classified by the published thresholds; a base that met the target followed by a latest value that
    no longer does is 'deterioration'.
    """
    _check_direction(direction)
    x, y, _ = _clean(years, values)
    return _status(x, y, target_year, target, direction, growth)


def _status(x: np.ndarray, y: np.ndarray, target_year: float, target: float, direction: str,
            growth: Growth = "linear") -> str:
    if direction == "none":
        return "not_applicable"
    if len(x) == 0:
        return "insufficient_data"
    if _reached(float(y[-1]), target, direction):
        return "reached"
    if len(x) < 2 or target_year <= x[0]:
        return "insufficient_data"
    ratio = progress_ratio(base_year=float(x[0]), base_value=float(y[0]), current_year=float(x[-1]),
                           current_value=float(y[-1]), target_year=target_year, target=target,
                           direction=direction, growth=growth)
    if ratio is None:
        if growth == "cagr" and min(float(y[0]), float(y[-1]), target) <= 0:
            return "insufficient_data"
        return "deterioration"  # the base met the target, the latest value does not: moved away from it
    return classify_progress_ratio(ratio)


# ---------------------------------------------------------------------------------------------- helpers
def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")


def _check_unit(unit: str) -> bool:
    """True for shares, False for counts/amounts."""
    if unit in SHARE_UNITS:
        return True
    if unit in AMOUNT_UNITS:
        return False
    raise ValueError(f"unit must be one of {sorted(SHARE_UNITS | AMOUNT_UNITS)}, not {unit!r}")


def _check_ceiling(unit: str, ceiling: float | None) -> float | None:
    share = _check_unit(unit)
    if ceiling is None or (isinstance(ceiling, float) and math.isnan(ceiling)):
        return DEFAULT_CEILING if share else None
    if not share:
        raise ValueError(f"a ceiling only applies to shares ('pct'), not to unit {unit!r}")
    ceiling = float(ceiling)
    if not 0 < ceiling <= DEFAULT_CEILING:
        raise ValueError(f"ceiling must be in (0, 100], not {ceiling}")
    return ceiling


def _clean(years: Iterable[float], values: Iterable[float]) -> tuple[np.ndarray, np.ndarray, bool]:
    """Finite points, one per year (duplicates averaged), sorted by year; and whether duplicates were found."""
    x = np.asarray(list(years) if not isinstance(years, (np.ndarray, pd.Series)) else years, dtype=float)
    y = np.asarray(list(values) if not isinstance(values, (np.ndarray, pd.Series)) else values, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("years and values must be one-dimensional and of the same length")
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    ux, inv = np.unique(x, return_inverse=True)
    if len(ux) == len(x):
        order = np.argsort(x, kind="stable")
        return x[order], y[order], False
    return ux, np.bincount(inv, weights=y) / np.bincount(inv), True


def _candidates(share: bool) -> tuple[str, str]:
    """Candidate trends, the preferred one (kept on ties, used with 2 points) first."""
    return ("logistic", "linear") if share else ("linear", "log_linear")


def _transform(method: str, y: np.ndarray, ceiling: float | None) -> np.ndarray:
    if method == "logistic":
        eps = EPS_FRACTION * ceiling
        return logit(np.clip(y, eps, ceiling - eps) / ceiling)
    if method == "log_linear":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, np.log(np.where(y > 0, y, 1.0)), np.nan)
    return y


def _inverse(method: str, z: np.ndarray, ceiling: float | None) -> np.ndarray:
    if method == "logistic":
        return ceiling * expit(z)
    if method == "log_linear":
        return np.exp(np.minimum(z, _MAX_LOG))
    return np.clip(z, 0.0, ceiling)  # ceiling None (counts): only clipped at 0


def _ols(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intercepts and slopes of S independent least-squares lines z[s] ~ x (one multi-output sklearn fit).

    The inputs are finite by construction, so sklearn's finiteness and parameter checks are skipped (they
    cost more than the fit itself on a handful of points).
    """
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        model = LinearRegression().fit(x.reshape(-1, 1), z.T)
    return np.atleast_1d(model.intercept_).astype(float), np.asarray(model.coef_, dtype=float).reshape(-1)


@lru_cache(maxsize=64)
def _draw_indices(seed: int, n: int, n_boot: int) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap indices shared by every series with n points: residuals onto the line, and the future one."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    new = rng.integers(0, n, size=n_boot)
    idx.flags.writeable = False
    new.flags.writeable = False
    return idx, new


@dataclass
class _GroupFit:
    """Fits of S series that share the same years, unit family and ceiling, evaluated at eval_years."""
    eval_years: np.ndarray
    method: list[str]
    errors: dict[str, np.ndarray]
    usable: dict[str, np.ndarray]
    point: np.ndarray                  # (S, m)
    lower: np.ndarray | None           # (S, m) or None (fewer than 3 points)
    upper: np.ndarray | None
    draws: np.ndarray | None           # (S, B, m) or None
    exact: np.ndarray                  # (S,) residuals all ~0
    clipped: np.ndarray                # (S,) a value was moved inside (eps, ceiling - eps)
    collapsed: np.ndarray | None = None  # (S, m) the draws have zero spread: no interval, no probability


def _fit_group(x: np.ndarray, y: np.ndarray, *, share: bool, ceiling: float | None, eval_years: np.ndarray,
               level: float, seed: int, n_boot: int) -> _GroupFit:
    """Fit, backtest, choose and bootstrap S series at once (x: (n,), n >= 2; y: (S, n))."""
    s_count, n = y.shape
    cands = _candidates(share)
    point: dict[str, np.ndarray] = {}
    errors: dict[str, np.ndarray] = {}
    usable: dict[str, np.ndarray] = {}
    fits: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    zs = {}
    for c in cands:
        z = _transform(c, y, ceiling)
        usable[c] = np.isfinite(z).all(axis=1)
        zs[c] = np.where(usable[c][:, None], z, 0.0)   # unusable rows are fitted on zeros and ignored
    a, b = _ols(x, np.vstack([zs[c] for c in cands]))  # both candidates of all S series in one fit
    # Leave-last-out backtest without refitting: for least squares the prediction of point i by the fit
    # without it is z_i - e_i / (1 - h_ii) (deleted-residual identity), h_ii = 1/n + (x_i - mean)^2 / Sxx.
    xc = x - x.mean()
    h_last = 1.0 / n + xc[-1] ** 2 / float(xc @ xc)
    for k, c in enumerate(cands):
        ak, bk = a[k * s_count:(k + 1) * s_count, None], b[k * s_count:(k + 1) * s_count, None]
        z = zs[c]
        zhat = ak + bk * x[None, :]
        point[c] = _inverse(c, ak + bk * eval_years[None, :], ceiling)
        fits[c] = (z, zhat)
        if n >= 3:
            loo = z[:, -1] - (z[:, -1] - zhat[:, -1]) / (1.0 - h_last)
            err = np.abs(_inverse(c, loo, ceiling) - y[:, -1])
            errors[c] = np.where(usable[c], err, np.nan)
        else:
            errors[c] = np.full(s_count, np.nan)
    first, second = cands
    if n >= 3:
        tol = 1e-9 * (1.0 + np.abs(y[:, -1]))
        take_second = usable[second] & (errors[second] < errors[first] - tol)
    else:
        take_second = np.zeros(s_count, dtype=bool)
    method = [second if ts else first for ts in take_second]
    chosen_point = np.where(take_second[:, None], point[second], point[first])

    exact = np.zeros(s_count, dtype=bool)
    clipped = np.zeros(s_count, dtype=bool)
    if share:  # a value the logistic fit had to move inside (eps, ceiling - eps)
        eps = EPS_FRACTION * ceiling
        outside = ((y <= eps) | (y >= ceiling - eps)).any(axis=1)
        clipped = outside & np.array([m == "logistic" for m in method])
    if n < 3:
        return _GroupFit(eval_years, method, errors, usable, chosen_point, None, None, None, exact, clipped)

    idx, new = _draw_indices(seed, n, n_boot)
    xm = x.mean()
    sxx = float(xc @ xc)
    dx = eval_years - xm
    q = ((1 - level) / 2, (1 + level) / 2)
    lower = np.empty_like(chosen_point)
    upper = np.empty_like(chosen_point)
    draws = np.empty((s_count, n_boot, len(eval_years)))
    for c in cands:
        rows = np.flatnonzero(take_second if c == second else ~take_second)
        for start in range(0, len(rows), _CHUNK):
            r = rows[start:start + _CHUNK]
            z, zhat = fits[c][0][r], fits[c][1][r]
            resid = z - zhat
            scale = np.abs(z).max(axis=1) + 1.0
            exact[r] = np.abs(resid).max(axis=1) <= 1e-9 * scale
            resid = resid * math.sqrt(n / (n - 2))
            zstar = zhat[:, None, :] + resid[:, idx]                       # (R, B, n)
            slope = zstar @ xc / sxx                                       # (R, B)
            pred = zstar.mean(axis=2)[..., None] + slope[..., None] * dx + resid[:, new][..., None]
            d = _inverse(c, pred, ceiling)                                 # (R, B, m)
            lo, hi = np.quantile(d, q, axis=1)
            lower[r] = np.minimum(lo, chosen_point[r])
            upper[r] = np.maximum(hi, chosen_point[r])
            draws[r] = d
    collapsed = (upper - lower) <= 1e-9 * (1.0 + np.abs(chosen_point))
    return _GroupFit(eval_years, method, errors, usable, chosen_point, lower, upper, draws, exact, clipped, collapsed)


def _num(v: float | np.floating | None) -> float | None:
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _assemble(x: np.ndarray, y: np.ndarray, *, unit: str, direction: str, ceiling: float | None,
              targets: Mapping[int, float], projection_years: Sequence[int], level: float, n_boot: int,
              duplicates: bool, fit: _GroupFit | None, row: int) -> SeriesForecast:
    n = len(x)
    share = unit in SHARE_UNITS
    notes: list[str] = []
    if duplicates:
        notes.append("duplicates_averaged")
    col = {} if fit is None else {int(yr): j for j, yr in enumerate(fit.eval_years)}

    def at(arr: np.ndarray | None, year: int) -> float | None:
        return None if arr is None else _num(arr[row, col[int(year)]])

    def collapsed(year: int) -> bool:
        return fit is not None and fit.collapsed is not None and bool(fit.collapsed[row, col[int(year)]])

    def bound(arr: np.ndarray | None, year: int) -> float | None:
        """An interval end, or None where the draws have zero spread (a 100–100 range is not certainty)."""
        return None if collapsed(year) else at(arr, year)

    if fit is None:
        method, backtest, cand = "none", None, {}
        notes.append("no_data" if n == 0 else "one_point")
    else:
        method = fit.method[row]
        cand = {c: _num(fit.errors[c][row]) for c in _candidates(share)}
        backtest = cand[method]
        if n == 2:
            notes.append("two_points")
        else:
            if n == 3:
                notes.append("three_points")
            notes.append("interval")
            if fit.exact[row]:
                notes.append("exact_fit")
        if not share and not fit.usable["log_linear"][row]:
            notes.append("log_linear_skipped")
        if fit.clipped[row]:
            notes.append("clipped")
        if method == "linear":
            pts = fit.point[row]
            if (pts <= 0).any() or (share and (pts >= ceiling).any()):
                notes.append("capped")

    projections = tuple(Projection(int(yr), at(fit.point, yr) if fit else None, bound(fit.lower, yr) if fit else None,
                                   bound(fit.upper, yr) if fit else None, n) for yr in projection_years)
    if fit is not None and fit.collapsed is not None and any(
            collapsed(yr) for yr in (*projection_years, *(int(k) for k in targets))):
        notes.append("interval_collapsed")
    first_year = float(x[0]) if n else None
    last_year = float(x[-1]) if n else None
    last_value = float(y[-1]) if n else None
    observed = (float(y[-1]) - float(y[0])) / (last_year - first_year) if n >= 2 else None
    outlooks = []
    for ty, tv in sorted(targets.items()):
        ty, tv = int(ty), float(tv)
        prob = None
        if fit is not None and fit.draws is not None and direction in ("up", "down") and not collapsed(ty):
            d = fit.draws[row, :, col[ty]]
            prob = float(np.mean(d >= tv) if direction == "up" else np.mean(d <= tv))
        required = (tv - last_value) / (ty - last_year) if n and ty > last_year else None
        ratio = None
        if n >= 2:
            ratio = progress_ratio(base_year=first_year, base_value=float(y[0]), current_year=last_year,
                                   current_value=last_value, target_year=ty, target=tv, direction=direction)
        outlooks.append(TargetOutlook(
            year=ty, target=tv, projected=at(fit.point, ty) if fit else None,
            lower=bound(fit.lower, ty) if fit else None, upper=bound(fit.upper, ty) if fit else None,
            probability=prob, required_pace=_num(required), observed_pace=_num(observed),
            progress_ratio=_num(ratio), status=_status(x, y, ty, tv, direction), n_points=n))
    return SeriesForecast(
        method=method, n_points=n, unit=unit, direction=direction, ceiling=ceiling if share else None,
        first_year=first_year, first_value=float(y[0]) if n else None, last_year=last_year, last_value=last_value,
        backtest_error=backtest, candidate_errors=cand, interval_level=float(level), n_boot=int(n_boot),
        projections=projections, outlooks=tuple(outlooks), notes=tuple(notes))


def _check_common(interval_level: float, n_boot: int, projection_years: Sequence[int]) -> tuple[int, ...]:
    if not 0 < interval_level < 1:
        raise ValueError(f"interval_level must be in (0, 1), not {interval_level}")
    if n_boot < 1:
        raise ValueError("n_boot must be >= 1")
    return tuple(int(p) for p in projection_years)


# ---------------------------------------------------------------------------------------------- public API
def forecast_series(years: Iterable[float], values: Iterable[float], *, unit: str, direction: str = "up",
                    targets: Mapping[int, float] | None = None, ceiling: float | None = None,
                    projection_years: Sequence[int] = (2025, 2030), interval_level: float = 0.8,
                    seed: int = 0, n_boot: int = N_BOOT) -> SeriesForecast:
    """Forecast one yearly series: chosen trend, projections with intervals, and one outlook per target.

    years/values: the published points (x = year as float, y = value; NaN dropped, duplicates averaged).
    unit: 'pct' (share in percent, 0..ceiling) or 'count' / 'million_vnd' / 'vnd' (non-negative).
    direction: 'up' (higher is better), 'down' (lower is better) or 'none' (no status, no probability).
    targets: {target_year: target value}. ceiling: saturation level for shares (default 100).
    See the module docstring for the method, the interval and the status rule.
    """
    _check_direction(direction)
    ceiling = _check_ceiling(unit, ceiling)
    projection_years = _check_common(interval_level, n_boot, projection_years)
    targets = dict(targets or {})
    x, y, dup = _clean(years, values)
    fit = None
    if len(x) >= 2:
        eval_years = np.array(sorted(set(projection_years) | {int(k) for k in targets}), dtype=float)
        fit = _fit_group(x, y[None, :], share=unit in SHARE_UNITS, ceiling=ceiling, eval_years=eval_years,
                         level=interval_level, seed=seed, n_boot=n_boot)
    return _assemble(x, y, unit=unit, direction=direction, ceiling=ceiling, targets=targets,
                     projection_years=projection_years, level=interval_level, n_boot=n_boot, duplicates=dup,
                     fit=fit, row=0)


def forecast_many(series: pd.DataFrame, *, key: str | Sequence[str] = "series_id",
                  targets: pd.DataFrame | None = None, year_col: str = "year", value_col: str = "value",
                  unit_col: str = "unit", direction_col: str = "direction", ceiling_col: str = "ceiling",
                  projection_years: Sequence[int] = (2025, 2030), interval_level: float = 0.8, seed: int = 0,
                  n_boot: int = N_BOOT) -> pd.DataFrame:
    """Forecast many series at once; one row per series and target year (one row with no target if none).

    series: long frame with the key column(s), year, value, unit and optionally direction (default 'up') and
    ceiling (shares only; default 100). unit, direction and ceiling must be constant within a series.
    targets: optional frame with the key column(s), 'target_year' and 'target' (one target per series and year).
    Series sharing the same years, unit family and ceiling are fitted together (one multi-output regression
    per candidate), so the cost grows with the number of distinct year patterns, not of series. Each row is
    identical to what ``forecast_series`` gives for that series.

    Columns: the key(s), unit, direction, method, n_points, first_year, last_year, last_value, backtest_error,
    interval_level, target_year, target, projected, lower, upper, probability, required_pace, observed_pace,
    progress_ratio, status, value_<year>/lower_<year>/upper_<year> for each projection year, notes (codes
    separated by ';'), note_vi, note_en.
    """
    keys = [key] if isinstance(key, str) else list(key)
    projection_years = _check_common(interval_level, n_boot, projection_years)
    need = keys + [year_col, value_col, unit_col]
    missing = [c for c in need if c not in series.columns]
    if missing:
        raise ValueError(f"series lacks columns {missing}")
    df = series.copy()
    if direction_col not in df.columns:
        df[direction_col] = "up"
    if ceiling_col not in df.columns:
        df[ceiling_col] = np.nan
    df[year_col] = pd.to_numeric(df[year_col], errors="coerce").astype(float)
    df[value_col] = pd.to_numeric(df[value_col], errors="coerce").astype(float)
    df[ceiling_col] = pd.to_numeric(df[ceiling_col], errors="coerce").astype(float)

    grouped = df.groupby(keys, sort=True, dropna=False)
    attrs = grouped.agg(unit=(unit_col, "first"), n_unit=(unit_col, "nunique"),
                        direction=(direction_col, "first"), n_direction=(direction_col, "nunique"),
                        ceiling=(ceiling_col, "first"), n_ceiling=(ceiling_col, "nunique"))
    bad = attrs[(attrs["n_unit"] > 1) | (attrs["n_direction"] > 1) | (attrs["n_ceiling"] > 1)]
    if len(bad):
        raise ValueError(f"unit, direction or ceiling varies within series {list(bad.index[:5])}")
    attrs["direction"] = attrs["direction"].fillna("up")

    target_map: dict[object, dict[int, float]] = {}
    if targets is not None and len(targets):
        tmissing = [c for c in keys + ["target_year", "target"] if c not in targets.columns]
        if tmissing:
            raise ValueError(f"targets lacks columns {tmissing}")
        tg = targets.dropna(subset=["target_year", "target"])
        if tg.duplicated(keys + ["target_year"]).any():
            raise ValueError("more than one target for the same series and year")
        for k, ty, tv in zip(_key_values(tg, keys), tg["target_year"].astype(int), tg["target"].astype(float)):
            target_map.setdefault(k, {})[int(ty)] = float(tv)

    clean = df[np.isfinite(df[year_col]) & np.isfinite(df[value_col])]
    dup_flags = clean.duplicated(keys + [year_col], keep=False)
    dup_keys = set(_key_values(clean[dup_flags], keys))
    pts = clean.groupby(keys + [year_col], sort=True, dropna=False)[value_col].mean().reset_index()
    pts_keys = _key_values(pts, keys)
    years_arr = pts[year_col].to_numpy(float)
    vals_arr = pts[value_col].to_numpy(float)
    bounds: dict[object, tuple[int, int]] = {}
    start = 0
    for i in range(1, len(pts_keys) + 1):
        if i == len(pts_keys) or pts_keys[i] != pts_keys[start]:
            bounds[pts_keys[start]] = (start, i)
            start = i

    all_keys = _key_values(attrs.reset_index(), keys)
    info = []
    groups: dict[tuple, list[int]] = {}
    for i, (k, unit, direction, ceil) in enumerate(zip(all_keys, attrs["unit"], attrs["direction"], attrs["ceiling"])):
        _check_direction(direction)
        ceiling = _check_ceiling(unit, None if pd.isna(ceil) else float(ceil))
        lo, hi = bounds.get(k, (0, 0))
        x, y = years_arr[lo:hi], vals_arr[lo:hi]
        info.append((k, unit, direction, ceiling, x, y))
        if len(x) >= 2:
            groups.setdefault((tuple(x), unit in SHARE_UNITS, ceiling), []).append(i)

    fits: dict[int, tuple[_GroupFit, int]] = {}
    for (xs, share, ceiling), members in groups.items():
        eval_years = set(projection_years)
        for i in members:
            eval_years |= set(target_map.get(info[i][0], {}))
        y = np.vstack([info[i][5] for i in members])
        fit = _fit_group(np.array(xs), y, share=share, ceiling=ceiling, eval_years=np.array(sorted(eval_years), float),
                         level=interval_level, seed=seed, n_boot=n_boot)
        for row, i in enumerate(members):
            fits[i] = (fit, row)

    rows = []
    for i, (k, unit, direction, ceiling, x, y) in enumerate(info):
        fit, row = fits.get(i, (None, 0))
        fc = _assemble(x, y, unit=unit, direction=direction, ceiling=ceiling, targets=target_map.get(k, {}),
                       projection_years=projection_years, level=interval_level, n_boot=n_boot,
                       duplicates=k in dup_keys, fit=fit, row=row)
        rows.extend(_rows(fc, dict(zip(keys, k if len(keys) > 1 else (k,)))))
    out = pd.DataFrame(rows)
    return out


def _key_values(df: pd.DataFrame, keys: list[str]) -> list:
    if len(keys) == 1:
        return df[keys[0]].tolist()
    return list(zip(*(df[k].tolist() for k in keys)))


def _rows(fc: SeriesForecast, key: dict) -> list[dict]:
    base = {**key, "unit": fc.unit, "direction": fc.direction, "method": fc.method, "n_points": fc.n_points,
            "first_year": fc.first_year, "last_year": fc.last_year, "last_value": fc.last_value,
            "backtest_error": fc.backtest_error, "interval_level": fc.interval_level}
    proj = {}
    for p in fc.projections:
        proj.update({f"value_{p.year}": p.value, f"lower_{p.year}": p.lower, f"upper_{p.year}": p.upper})
    tail = {"notes": ";".join(fc.notes), "note_vi": fc.note("vi"), "note_en": fc.note("en")}
    if not fc.outlooks:
        empty = {k: None for k in ("target_year", "target", "projected", "lower", "upper", "probability",
                                   "required_pace", "observed_pace", "progress_ratio", "status")}
        return [{**base, **empty, **proj, **tail}]
    return [{**base, "target_year": o.year, "target": o.target, "projected": o.projected, "lower": o.lower,
             "upper": o.upper, "probability": o.probability, "required_pace": o.required_pace,
             "observed_pace": o.observed_pace, "progress_ratio": o.progress_ratio, "status": o.status,
             **proj, **tail} for o in fc.outlooks]
