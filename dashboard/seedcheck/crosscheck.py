"""Checks across fields and files: keys, references, source documents, quotes and printed numbers.

Numbers are sacred: a stored value must be a reading of the number printed in `printed` (7661 of
'7.661', 84.34 of '84,34%'), counts must occur in the quote, and a share must agree with its count and
denominator to the printed precision (rounded or cut, as documents do). A share that the document itself
prints inconsistently is kept as printed only when its quote prints all three numbers and its note states
the share the count gives (e.g. '465/595 = 78,15%'); the sources page lists it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..units.queries import CURRENT_SUFFIX  # a target scope '92-2025': a province from 7/2025
from . import formats as F
from .files import inside
from .problems import Collector
from .schema import LEVELS

Rec = dict[str, Any]
# Words of a printed bound and the qualifier they mean ('trên 80%' is '>', not an exact 80).
QUALIFIER_WORDS = {">": r"trên|hơn|vượt", ">=": r"tối thiểu|ít nhất", "<": r"dưới",
                   "<=": r"tối đa|không quá", "~": r"khoảng|ước|gần|xấp xỉ"}


def check_keys(kind: str, key: str, records: list[Rec], col: Collector) -> None:
    """Keys are unique across the files of a kind, also when they differ only by case."""
    seen: dict[str, Rec] = {}
    for r in records:
        k = r[key]
        if not k:
            continue
        folded = k.casefold()
        if folded in seen:
            first = seen[folded]
            same = "duplicate key" if first[key] == k else f"duplicate key (differs only by case from {first[key]!r})"
            col.add(r["_file"], r["_row"], key, f"{same} {k!r} (first in {first['_file']} row {first['_row']})")
        else:
            seen[folded] = r


def source_texts(base: Path, sources: list[Rec], col: Collector) -> dict[str, str]:
    """Text of each source document; `file` must name a .txt file inside sources/."""
    texts: dict[str, str] = {}
    folder = base / "sources"
    for s in sources:
        f = s["file"]
        if not f:
            continue
        path = base / f
        if (Path(f).is_absolute() or ".." in Path(f).parts or not f.startswith("sources/")
                or not f.endswith(".txt") or "\\" in f):
            col.add(s["_file"], s["_row"], "file", f"must name a .txt file inside sources/ "
                                                 f"(e.g. sources/dn_bc_2024.txt), got {f[:80]!r}")
        elif not path.is_file():
            col.add(s["_file"], s["_row"], "file", f"no such file: {f}")
        elif not inside(path, folder):
            col.add(s["_file"], s["_row"], "file", f"{f} is a link that leads outside sources/")
        elif path.stat().st_size > F.MAX_FILE_BYTES:
            col.add(s["_file"], s["_row"], "file", f"{f} is larger than {F.MAX_FILE_BYTES // 2**20} MB")
        else:
            try:
                texts[s["source_id"]] = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
                col.add(s["_file"], s["_row"], "file", f"cannot read {f}: {why}")
    return texts


class Refs:
    """What rows may refer to, and the checks of one row's references, quote and numbers."""

    def __init__(self, recs: dict[str, list[Rec]], provinces: list[Rec], districts: list[Rec],
                 texts: dict[str, str], col: Collector):
        self.col = col
        self.sources = {r["source_id"]: r for r in recs["sources"]}
        self.inds = {r["code"]: r for r in recs["indicators"]}
        self.breakdowns = {r["code"] for r in recs["breakdowns"]}
        self.provinces = {p["code"] for p in provinces}
        self.district_parent = {d["code"]: d["parent_code"] for d in districts}
        self.units = {"VN"} | self.provinces | set(self.district_parent)
        self.texts = texts

    def add(self, r: Rec, fld: str, msg: str) -> None:
        self.col.add(r["_file"], r["_row"], fld, msg)

    def refused(self, kind: str, key: str | None) -> bool:
        """A reference to a row or feature already refused for its own cells: not reported twice."""
        return self.col.was_refused(kind, key)

    def unit_known(self, code: str) -> bool:
        return code in self.units or self.refused("adm1", code) or self.refused("adm2", code)

    @property
    def current_provinces(self) -> set[str]:
        """Codes of the provinces from 1 July 2025 (read once, when a target is scoped to one)."""
        if not hasattr(self, "_current"):
            from .geo import current_province_codes  # noqa: PLC0415

            self._current = current_province_codes(Path(self.col.base))
        return self._current

    def source(self, r: Rec, fld: str = "source_id") -> None:
        if r.get(fld) and r[fld] not in self.sources and not self.refused("sources", r[fld]):
            self.add(r, fld, f"unknown source {r[fld]!r}")

    def province(self, r: Rec, fld: str = "province_code") -> None:
        if r[fld] not in self.provinces:
            if self.refused("adm1", r[fld]):
                return
            self.add(r, fld, f"unknown province code {r[fld]!r} (GSO codes of geo/vnm_adm1_censusVN2009.geojson)")
            return
        src = self.sources.get(r.get("source_id") or "")
        if src and src["province_code"] in self.provinces and src["province_code"] != r[fld]:
            self.add(r, fld, f"province {r[fld]} differs from the province of its source "
                             f"{r['source_id']} ({src['province_code']})")

    def quote(self, r: Rec, sid: str | None) -> None:
        q = r.get("quote", "")
        if q and sid in self.texts and q not in self.texts[sid]:
            self.add(r, "quote", f"not found verbatim in {self.sources[sid]['file']}: {q[:70]!r}")
        if r.get("printed") and q and r["printed"] not in q:
            self.add(r, "printed", f"{r['printed'][:60]!r} does not occur in the quote")

    def qualifier(self, r: Rec) -> None:
        """A bound printed in words ('trên 80%', 'tối thiểu 50%', 'khoảng 620') is stored with its qualifier."""
        text = r["printed"].lower()
        said = [q for q, words in QUALIFIER_WORDS.items() if re.search(rf"(?<!\w)({words})(?!\w)", text)]
        if said and r["qualifier"] not in said:
            self.add(r, "qualifier", f"the printed {r['printed'][:40]!r} states a bound: qualifier must be "
                                     f"{' or '.join(repr(q) for q in said)}, not {r['qualifier']!r}")

    def level_breakdown(self, r: Rec) -> None:
        if r["breakdown"] and r["breakdown"] not in self.breakdowns and not self.refused("breakdowns", r["breakdown"]):
            self.add(r, "breakdown", f"unknown breakdown {r['breakdown']!r}")

    def indicator(self, r: Rec) -> Rec | None:
        ind = self.inds.get(r["indicator"])
        if not ind and not self.refused("indicators", r["indicator"]):
            near = [c for c in self.inds if c.casefold() == r["indicator"].casefold()]
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            self.add(r, "indicator", f"unknown indicator {r['indicator']!r}{hint}")
        return ind

    def value(self, r: Rec, ind: Rec | None, *, printed_must_read: bool) -> None:
        """Range, whole counts, and the value as a reading of `printed`."""
        v, raw = r.get("value"), r.get("_raw_value", "")
        if v is None or not ind:
            return
        if ind["unit"] == "pct" and v > 100:
            self.add(r, "value", f"share over 100 %: {v:g}")
        elif ind["unit"] == "count" and not float(v).is_integer():
            self.add(r, "value", f"not a whole number: {raw!r} ({ind['code']} is a count){F._hint(raw)}")
        elif printed_must_read and not F.is_printed_in(v, r["printed"]):
            self.add(r, "value", f"{raw} is not a reading of the printed {r['printed'][:40]!r}"
                                 f"{F._hint(raw) or ' (machine form: 7661 for 7.661, 84.34 for 84,34%)'}")


def check_observation(refs: Refs, r: Rec) -> None:
    ind = refs.indicator(r)
    if not refs.unit_known(r["unit_code"]):
        refs.add(r, "unit_code", f"unknown province or district {r['unit_code']!r}")
    if r["period_end"] < r["period_start"]:
        refs.add(r, "period_end", "ends before period_start")
    first, last = F.period_years(r["period"])
    if r["period_start"].year != first or r["period_end"].year > last:
        refs.add(r, "period", f"period {r['period']!r} does not match {r['period_start']} … {r['period_end']} "
                              f"(it must start in {first} and end by {last})")
    if r["value"] is None and r["numerator"] is None:
        refs.add(r, "value", "neither value nor numerator given")
    refs.level_breakdown(r)
    refs.source(r)
    refs.quote(r, r["source_id"])
    refs.qualifier(r)
    n, d = r["numerator"], r["denominator"]
    if d == 0:
        refs.add(r, "denominator", "denominator is 0")
    elif n is not None and d is not None and n > d:
        refs.add(r, "numerator", "numerator exceeds denominator")
    for fld in ("numerator", "denominator"):
        if r[fld] is not None and not F.is_printed_in(r[fld], r["quote"]):
            refs.add(r, fld, f"{r[fld]} does not occur in the quote in a printed form "
                             f"({', '.join(sorted(F.number_forms(r[fld])))})")
    if r["value_derived"]:
        if r["value"] is not None and n is not None and d:
            if r["value"] != round(n / d * 100, 2):
                refs.add(r, "value", f"derived share {r['value']:g} is not {n:g}/{d:g} × 100 rounded to 2 "
                                     f"decimals ({round(n / d * 100, 2):g})")
        elif r["value"] is not None:
            refs.add(r, "value_derived", "a derived value needs numerator and denominator")
        return
    refs.value(r, ind, printed_must_read=True)
    if ind and ind["unit"] == "pct" and r["value"] is not None and n is not None and d:
        _share_agrees(refs, r, n / d * 100)


def _share_agrees(refs: Refs, r: Rec, share: float) -> None:
    """value agrees with numerator/denominator when the share, rounded or cut to the printed decimals, is it."""
    v = r["value"]
    unit = 10.0 ** -F.decimals(r["printed"] if any(c.isdigit() for c in r["printed"]) else r["_raw_value"])
    if v - unit / 2 - 1e-9 <= share < v + unit + 1e-9:
        return
    forms = {f"{share:.{k}f}".replace(".", ",") for k in (1, 2)} | {f"{share:.{k}f}" for k in (1, 2)}
    in_quote = all(F.is_printed_in(x, r["quote"]) for x in (v, r["numerator"], r["denominator"]))
    if in_quote and any(f in r["note"] for f in forms):
        return  # the document's own inconsistency, acknowledged in the note and listed on the sources page
    ratio = f"{r['numerator']:g}/{r['denominator']:g} = {share:.2f}".replace(".", ",") + "%"
    refs.add(r, "value", f"share {v:g} % contradicts {ratio} beyond rounding to {unit:g}; if the document "
                         f"prints it so, its quote must print all three numbers and note must say {ratio!r}")


def check_target(refs: Refs, r: Rec) -> None:
    ind = refs.indicator(r)
    scope = r["scope_code"]
    if scope.endswith(CURRENT_SUFFIX):  # a province from 1 July 2025 ('92-2025'): build writes scope_current_code
        code = scope[:-len(CURRENT_SUFFIX)]
        if code not in refs.current_provinces:
            from .geo import CURRENT_PROVINCES  # noqa: PLC0415

            refs.add(r, "scope_code", f"unknown province from 7/2025 {code!r} in {scope!r} (codes of "
                                      f"{CURRENT_PROVINCES}, written as '<code>{CURRENT_SUFFIX}')")
    elif not refs.unit_known(scope):
        refs.add(r, "scope_code", f"unknown scope {scope!r} (VN, a province or district code of the former "
                                  f"units, or '<code>{CURRENT_SUFFIX}' for a province from 7/2025)")
    refs.level_breakdown(r)
    refs.source(r)
    refs.source(r, "quote_source_id")
    refs.quote(r, r["quote_source_id"] or r["source_id"])
    refs.qualifier(r)
    if r["value"] is not None and not r["printed"]:
        refs.add(r, "printed", "required when value is given: the target as printed")
    if r["qualifier"] and r["value"] is None:
        refs.add(r, "qualifier", "a qualifier needs a value")
    refs.value(r, ind, printed_must_read=any(c.isdigit() for c in r["printed"]))


def check_task(refs: Refs, r: Rec) -> None:
    refs.source(r)
    refs.province(r)
    refs.quote(r, r["source_id"])


def check_budget(refs: Refs, r: Rec) -> None:
    if r["funding_source"] not in refs.breakdowns and not refs.refused("breakdowns", r["funding_source"]):
        refs.add(r, "funding_source", f"unknown funding source {r['funding_source']!r}")
    refs.source(r)
    refs.province(r)
    refs.quote(r, r["source_id"])
    first, last = F.period_years(r["plan_period"])
    if r["year"] is not None and not first <= r["year"] <= last:
        refs.add(r, "year", f"{r['year']} is outside the plan period {r['plan_period']}")
    for lv in filter(None, (x.strip() for x in r["schools_level"].split(";"))):
        if lv not in LEVELS:
            refs.add(r, "schools_level", f"unknown school level {lv!r}; allowed: {sorted(LEVELS)}")
    amount = r["amount_million_vnd"]
    if amount is None and any(c.isdigit() for c in r["printed"]):
        refs.add(r, "amount_million_vnd", f"empty, but the printed amount is {r['printed'][:30]!r}")
    elif amount is not None and not F.is_printed_in(amount, r["printed"]):
        raw = r["_raw_amount_million_vnd"]
        refs.add(r, "amount_million_vnd", f"{raw} is not a reading of the printed {r['printed'][:30]!r}"
                                          f"{F._hint(raw) or ' (machine form: 1300 for 1.300)'}")


def check_school(refs: Refs, r: Rec) -> None:
    refs.source(r)
    refs.province(r)
    dc = r["district_code"]
    if dc and dc not in refs.district_parent:
        if not refs.refused("adm2", dc):
            refs.add(r, "district_code", f"unknown district {dc!r}")
    elif dc and refs.district_parent[dc] != r["province_code"]:
        refs.add(r, "district_code", f"district {dc} is not in province {r['province_code']}")
    refs.quote(r, r["source_id"])


def check_sources(refs: Refs, recs: list[Rec]) -> None:
    for s in recs:
        if (s["province_code"] != "VN" and s["province_code"] not in refs.provinces
                and not refs.refused("adm1", s["province_code"])):
            refs.add(s, "province_code", f"unknown province code {s['province_code']!r} (or VN)")


def check_all(refs: Refs, recs: dict[str, list[Rec]]) -> None:
    check_sources(refs, recs["sources"])
    for kind, fn in (("observations", check_observation), ("targets", check_target), ("tasks", check_task),
                     ("budget", check_budget), ("schools", check_school)):
        for r in recs[kind]:
            fn(refs, r)
