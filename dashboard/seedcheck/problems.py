"""One problem of the input data (file, row, field, message) and the error carrying all of them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SeedProblem:
    file: str  # relative to the data directory, e.g. 'seed/observations/dn_bc_2024.csv'
    row: int  # as a spreadsheet shows it (header = 1); 0 = the file as a whole
    field: str  # column name, or '(file)' / '(row)'
    message: str

    def __str__(self) -> str:
        if self.row == 0 and self.field == "(file)":
            return f"{self.file}: {self.message}"
        where = f", row {self.row}" if self.row else ""
        return f"{self.file}{where}, field '{self.field}': {self.message}"


class SeedError(Exception):
    """Raised when input data is invalid; carries every problem found."""

    def __init__(self, problems: list[SeedProblem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the seed data:\n{shown}{more}")


class Collector:
    """Collects problems; file names are shown relative to the data directory."""

    def __init__(self, base: Path):
        self.base = base
        self.problems: list[SeedProblem] = []
        self._seen: set[SeedProblem] = set()
        # keys of rows (and codes of features) refused for their own cells: references to them are not
        # reported again as unknown; '*' = the whole file could not be read
        self.refused: dict[str, set[str]] = {}

    def refuse(self, kind: str, key: str) -> None:
        self.refused.setdefault(kind, set()).add(key)

    def was_refused(self, kind: str, key: str | None) -> bool:
        keys = self.refused.get(kind, set())
        return "*" in keys or (key or "") in keys

    def name(self, path: Path | str) -> str:
        p = Path(path)
        if p.is_absolute():
            try:
                return p.relative_to(self.base).as_posix()
            except ValueError:
                return p.name
        return p.as_posix()

    def add(self, path: Path | str, row: int, fld: str, msg: str) -> None:
        problem = SeedProblem(self.name(path), row, fld, msg)
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)
