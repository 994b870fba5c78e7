"""Exceptions of the intake. Each carries its message in Vietnamese and English (`message(lang)`), and
the file problems where there are some; none carries a path, a traceback or a secret."""
from __future__ import annotations

from ..db import StoreError
from .spec import Problem


class IntakeError(Exception):
    def __init__(self, vi: str, en: str, problems: list[Problem] | None = None):
        self.vi, self.en = vi, en
        self.problems = problems or []
        super().__init__(en)

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def lines(self, lang: str = "vi", limit: int = 200) -> list[str]:
        """The message, then one line per problem (file, sheet, row, field: message)."""
        out = [self.message(lang)] + [p.text(lang) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            more = len(self.problems) - limit
            out.append(f"... and {more} more" if lang == "en" else f"... và {more} vấn đề khác")
        return out


class Rejected(IntakeError):
    """The file has errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        errs = [p for p in problems if p.severity == "error"]
        super().__init__(f"tệp bị từ chối: {len(errs)} lỗi, không có gì được ghi",
                         f"file rejected: {len(errs)} error(s), nothing was written", errs)


class WarningsNotAcknowledged(IntakeError):
    """The file has warnings the uploader has not acknowledged; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"tệp có {len(problems)} cảnh báo cần xác nhận (đã xem và chấp nhận) trước khi nạp",
                         f"the file has {len(problems)} warning(s) to acknowledge before it can be staged", problems)


class PermissionDenied(IntakeError):
    """The account does not exist, is locked, or lacks the role."""


class StateError(IntakeError):
    """The batch is not in a state that allows the action (or later batches depend on it)."""


class StoreUnavailable(IntakeError, StoreError):
    """There is no usable store (missing, not ours, older or newer schema): nothing was created or written.
    `message(lang)` names no path (it may reach a browser); `detail` is the command line's one line."""

    def __init__(self, detail: str):
        super().__init__("kho dữ liệu chưa sẵn sàng (chưa tạo, không phải kho của hệ thống hoặc khác phiên bản); "
                         "hãy báo quản trị viên", "the data store is not ready (missing, not a store of this "
                         "dashboard or of another version); tell the administrator")
        self.detail = detail
