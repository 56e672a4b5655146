"""The one exception the core raises for a failure a user can act on; it carries its exit code."""

from __future__ import annotations

from sheets_sync.exit_codes import ExitCode


class SheetsSyncError(Exception):
    def __init__(self, code: ExitCode, th: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.th = th
        self.en = en

    def __str__(self) -> str:
        return f"{self.th}\n{self.en}"
