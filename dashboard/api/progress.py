"""Progress of a province against its targets: the overview's status table, as records.

The rows are `queries.progress_table(..., headline_only=True, target_years=STATUS_YEARS)` — the query behind
the overview's status table and the briefing pack (`packs.status_table`) — and the status and gap words are
`export.status_table.status_rows` of those rows, so the API cannot judge a row differently from the page.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd

from .. import queries
from ..export.status_table import STATUS_YEARS, status_rows
from . import queries as q
from .models import Progress, record


_MEMO: OrderedDict[tuple, list[dict]] = OrderedDict()
_MEMO_LOCK = threading.Lock()
MEMO_ENTRIES = 512


def cached_records(store: str, version: int, province: str, *, headline_only: bool = True, year_max: int | None = None,
                   lang: str = "vi") -> list[dict]:
    """progress_records kept per store and data version: the page function matches targets in pandas (hundreds
    of ms per province), and a province's rows change only when the data version does."""
    key = (store, version, province, headline_only, year_max, lang)
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
    if hit is not None:
        return hit
    recs = progress_records(province, headline_only=headline_only, year_max=year_max, lang=lang)
    with _MEMO_LOCK:
        if any(k[:2] != (store, version) for k in _MEMO):
            _MEMO.clear()
        _MEMO[key] = recs
        while len(_MEMO) > MEMO_ENTRIES:
            _MEMO.popitem(last=False)
    return recs


def warm(seconds: float = 60.0) -> int:
    """Fill the memo for every province with data (the default parameters, as the overview) before the server
    takes requests, so the first readers of /progress do not each pay the page query; stops after `seconds`.
    Returns how many provinces were computed. `DASHBOARD_API_WARM=0` turns it off."""
    import time

    from .routes import context

    ctx = context()
    deadline = time.monotonic() + seconds
    done = 0
    for code in ctx.province_data:
        if time.monotonic() > deadline:
            break
        cached_records(ctx.store, ctx.version, code)
        done += 1
    return done


def _has(v: object) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v))


def progress_records(province: str, *, headline_only: bool = True, year_max: int | None = None,
                     lang: str = "vi") -> list[dict]:
    df = queries.progress_table(province, year_max=year_max, headline_only=headline_only,
                                target_years=STATUS_YEARS, lang=lang)
    if df.empty:
        return []
    shown = status_rows(df, lang)
    batches = {s["id"]: s for s in q.sources() if s["batch_id"] is not None}
    title = "document_title_en" if lang == "en" else "document_title_vi"
    out = []
    for (_, r), (_, s) in zip(df.iterrows(), shown.iterrows()):
        year = next((y for y in STATUS_YEARS if _has(r.get(f"target_{y}"))), STATUS_YEARS[0])
        has_value = _has(r.get("value"))
        doc = r.get("source_id") if has_value else None
        batch = batches.get(doc) if isinstance(doc, str) else None
        row = {
            "indicator_code": r["indicator_code"], "indicator_name": r["indicator_name"], "measure_unit": r["unit"],
            "school_level": r.get("level"), "breakdown": r.get("breakdown"),
            "value": r.get("value") if has_value else None, "qualifier": r.get("qualifier") if has_value else None,
            "printed": r.get("printed") if has_value else None,
            "period_end": r.get("period_end") if has_value else None,
            "target_year": year, "target": r.get(f"target_{year}"), "target_scope": r.get(f"target_{year}_scope"),
            "target_qualifier": r.get(f"target_{year}_qualifier"), "target_printed": r.get(f"target_{year}_printed"),
            "gap": r.get(f"gap_{year}"), "gap_text": s["gap"], "status": s["status_key"],
            "status_basis": r.get(f"status_{year}_basis") or None,
            "provenance": r.get("provenance") if has_value else None,
            "source_kind": ("intake_batch" if batch else "document") if has_value else None,
            "source_document_id": doc, f"source_{title}": r.get("source_title") if has_value else None,
            "source_section": r.get("section") if has_value else None,
            "source_quote": r.get("quote") if has_value else None,
            "source_note": r.get("note") if has_value else None,
            "target_source_kind": "document" if _has(r.get(f"target_{year}")) else None,
            f"target_source_{title}": r.get(f"target_{year}_source"),
            "target_source_section": r.get(f"target_{year}_section"),
            "target_source_quote": r.get(f"target_{year}_quote"),
        }
        if batch:
            row |= {"source_batch_id": batch["batch_id"], "source_file": batch["batch_file"],
                    "source_approved_by": batch["batch_approved_by"], "source_approved_at": batch["batch_approved_at"]}
        out.append(record(Progress, {k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in row.items()}))
    return out
