"""Finding input files safely and reading a CSV into a frame of strings (index = spreadsheet row).

Refused with a problem instead of a traceback: a directory named like a file, a dangling symlink, a
symlink loop, a link or path leading outside the data directory, a file over MAX_FILE_BYTES, bytes that
are not UTF-8, NUL bytes or broken quoting, rows with more or fewer cells than the header, repeated
column names.
"""
from __future__ import annotations

import csv
import errno
import io
import os
import unicodedata
from pathlib import Path

import pandas as pd

from . import formats as F
from .problems import Collector


def entry_problem(path: Path, base: Path) -> str | None:
    """Why `path` (found by a glob under base) cannot be read as an input file, or None."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if path.is_symlink():
            return f"dangling symbolic link (to {os.readlink(path)!s})"
        return f"cannot open: {exc.strerror}"
    if path.is_dir():
        return "a directory, not a file"
    if not path.is_file():
        return "not a regular file"
    real, root = path.resolve(), base.resolve()
    if real != root and root not in real.parents:
        return "a link that leads outside the data directory"
    if path.stat().st_size > F.MAX_FILE_BYTES:
        return f"larger than {F.MAX_FILE_BYTES // 2**20} MB"
    return None


def inside(path: Path, folder: Path) -> bool:
    """True when path, links resolved, is a file inside folder."""
    real, root = path.resolve(), folder.resolve()
    return root in real.parents


def read_text(path: Path, col: Collector) -> str | None:
    """UTF-8 text of an input file, or None after recording why not."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        col.add(path, 0, "(file)", f"cannot read: {exc.strerror}")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col.add(path, line, "(file)", f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}; "
                                      "save the file as UTF-8")
        return None


def read_csv(path: Path, col: Collector) -> pd.DataFrame | None:
    """The cells of a CSV as strings (NFC), one frame row per data row, indexed by spreadsheet row number.

    None when the file cannot be read as a table at all (problems recorded)."""
    text = read_text(path, col)
    if text is None:
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        col.add(path, line, "(file)", "contains a NUL byte (not a text file)")
        return None
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, F.MAX_FILE_BYTES))  # cells are measured below, with their row and field
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows = []
        try:
            header = next(reader, None)
            for cells in reader:
                rows.append((reader.line_num, cells))
        except csv.Error as exc:
            col.add(path, reader.line_num, "(row)", f"not a valid CSV row: {exc}")
            return None
    finally:
        csv.field_size_limit(old)
    if not header:
        col.add(path, 1, "(file)", "empty file: a header row is required")
        return None
    if len(header) == 1 and header[0].count(";") >= 2:
        col.add(path, 1, "(file)", "columns are separated by ';': save the file as CSV with ',' (UTF-8)")
        return None
    header = [unicodedata.normalize("NFC", h) for h in header]
    seen: set[str] = set()
    for h in header:
        if h in seen:
            col.add(path, 1, h, "column named twice in the header")
        seen.add(h)
    if len(seen) != len(header):
        return None
    data: list[list[str]] = []
    index: list[int] = []
    rownum = 1
    for line_num, cells in rows:
        rownum += 1
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) != len(header):
            word = "more" if len(cells) > len(header) else "fewer"
            col.add(path, rownum, "(row)", f"{len(cells)} cells: {word} than the {len(header)} columns of the header")
            continue
        data.append([unicodedata.normalize("NFC", c) for c in cells])
        index.append(rownum)
    return pd.DataFrame(data, columns=header, index=index, dtype=object)
