"""The one exception the core raises for a failure a user can act on; it carries its exit code."""

from __future__ import annotations

from sheets_sync.domain.words import Bilingual
from sheets_sync.exit_codes import ExitCode


class SheetsSyncError(Bilingual):
    def __init__(self, code: ExitCode, th: str, en: str) -> None:
        super().__init__(th, en)
        self.code = code

    def __str__(self) -> str:
        return f"{self.th}\n{self.en}"
