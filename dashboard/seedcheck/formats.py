"""Machine formats of seed cells (stated in data/README.md) and the readings of printed numbers.

Machine form (columns `value`, `numerator`, `denominator`, `amount_million_vnd`, counts, years, dates):
ASCII digits only; a number is digits with at most one '.' as the decimal separator; no thousands
separator, no ',' , no exponent ('1e3'), no '_', no spaces, no leading zeros ('03' is printed form),
no 'nan' or 'inf'. Counts are whole numbers. Years have four digits between YEAR_MIN and YEAR_MAX;
dates are YYYY-MM-DD in that range. The number as the document prints it (Vietnamese '1.937', '84,34%')
goes into `printed`, verbatim.
"""
from __future__ import annotations

import re
from datetime import date

YEAR_MIN, YEAR_MAX = 2000, 2050
MAX_NUMBER = 10**12  # no figure of a province's education sector comes near this (VND included)
MAX_FIELD_BYTES = 128 * 1024  # one cell
MAX_FILE_BYTES = 32 * 1024 * 1024  # one seed CSV or source text

NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", re.ASCII)
WHOLE = re.compile(r"0|[1-9][0-9]*", re.ASCII)
YEAR = re.compile(r"[0-9]{4}", re.ASCII)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
PARTIAL_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?", re.ASCII)
PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{4}))?", re.ASCII)
KEY = re.compile(r"[A-Za-z0-9_]+", re.ASCII)
# C0 controls but tab and line breaks, DEL, and the bidirectional overrides/isolates (no Vietnamese text needs them)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
THOUSANDS_DOT = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+", re.ASCII)
PRINTED_NUMBER = re.compile(r"[0-9][0-9.,]*[0-9]|[0-9]", re.ASCII)

NUMBER_HELP = "machine form: ASCII digits, '.' for decimals, no thousands separator, e.g. 84.34 or 7661"


def _hint(v: str) -> str:
    """A hint for the usual mistakes: Vietnamese thousands dots, decimal commas, leading zeros."""
    s = v.strip()
    if THOUSANDS_DOT.fullmatch(s):
        return f"; the printed {s} is written {s.replace('.', '')} here (the printed form goes in 'printed')"
    if re.fullmatch(r"[0-9]+,[0-9]+", s, re.ASCII):
        return f"; write {s.replace(',', '.')} (decimal point); the printed form goes in 'printed'"
    if re.fullmatch(r"0[0-9]+(\.[0-9]+)?", s, re.ASCII):
        return f"; write {s.lstrip('0') or '0'} without leading zeros; the printed form goes in 'printed'"
    return ""


def number_problem(v: str) -> str | None:
    """Why v (non-empty) is not a number in machine form, or None."""
    if not NUMBER.fullmatch(v):
        if re.fullmatch(r"-[0-9.]+", v, re.ASCII) and NUMBER.fullmatch(v[1:]):
            return f"negative value {v}"
        return f"not a number in {NUMBER_HELP}: {v[:60]!r}{_hint(v)}"
    if float(v) >= MAX_NUMBER:
        return f"implausibly large number {v[:30]} (limit {MAX_NUMBER:.0e})"
    return None


def whole_problem(v: str) -> str | None:
    """Why v (non-empty) is not a whole number (a count) in machine form, or None."""
    p = number_problem(v)
    if p:
        return p
    if not WHOLE.fullmatch(v):
        return f"not a whole number: {v!r} (a count){_hint(v)}"
    return None


def year_problem(v: str) -> str | None:
    if not YEAR.fullmatch(v) or not YEAR_MIN <= int(v) <= YEAR_MAX:
        return f"not a year between {YEAR_MIN} and {YEAR_MAX}: {v[:30]!r}"
    return None


def date_problem(v: str) -> str | None:
    if ISO_DATE.fullmatch(v):
        try:
            d = date.fromisoformat(v)
        except ValueError:
            return f"not a calendar date (YYYY-MM-DD): {v!r}"
        if YEAR_MIN <= d.year <= YEAR_MAX:
            return None
        return f"date outside {YEAR_MIN}-01-01 … {YEAR_MAX}-12-31: {v!r}"
    return f"not an ISO date (YYYY-MM-DD): {v[:30]!r}"


def partial_date_problem(v: str) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD (a document's printed date, day or month may be blank)."""
    if not PARTIAL_DATE.fullmatch(v):
        return f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {v[:30]!r}"
    full = v + "-01" * (2 - v.count("-"))
    return date_problem(full) and f"not a valid date: {v!r}"


def period_problem(v: str) -> str | None:
    m = PERIOD.fullmatch(v)
    if not m:
        return f"not a period label (2023, or 2023-2024): {v[:30]!r}"
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if not (YEAR_MIN <= first <= last <= YEAR_MAX):
        return f"not a period between {YEAR_MIN} and {YEAR_MAX} with its first year first: {v!r}"
    return None


def period_years(v: str) -> tuple[int, int]:
    m = PERIOD.fullmatch(v)
    assert m is not None
    return int(m.group(1)), int(m.group(2) or m.group(1))


def number_forms(x: float) -> set[str]:
    """Ways a document may print x: 7661 -> {'7661', '7.661', …}; 84.34 -> {'84.34', '84,34'}; 3 -> {'3', '03'}."""
    if float(x).is_integer():
        n = int(x)
        return {str(n), f"{n:,}".replace(",", "."), f"{n:02d}"}
    forms = set()
    for d in range(1, 4):
        s = f"{x:.{d}f}"
        if float(s) == x:
            forms |= {s, s.replace(".", ",")}
            if d >= 2:
                break  # one trailing zero at most ('1,30'), so 1.3 never reads '1.300'
    return forms


def printed_numbers(text: str) -> set[str]:
    """The numbers in a printed text or quote, as printed ('1.937', '84,34', '03')."""
    return set(PRINTED_NUMBER.findall(text))


def is_printed_in(x: float, text: str) -> bool:
    return bool(number_forms(x) & printed_numbers(text))


def decimals(v: str) -> int:
    """Decimals of a machine or printed number: '86.5' -> 1, '84,34%' -> 2, '100' -> 0."""
    m = re.search(r"[.,]([0-9]+)\s*%?\s*$", v)
    return len(m.group(1)) if m else 0
