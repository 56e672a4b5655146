"""Sealed rounds: what `certify --seal` froze, read back from the seal tab (`ผนึกรอบ`), and its history.

A seal is one row per KPI of the round (the values the office certified) and a total row whose score is the
round's official result, exactly as computed at sealing time, so the official figure never moves however the
input tabs change afterwards.  An unseal is one row with its reason.  Every row carries a SHA-256 of its own
values, so a hand edit in the seal tab is noticed.  The tab is only ever appended to: the history stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from sheets_sync.domain.cell import Value

SEAL, UNSEAL = "seal", "unseal"
TOTAL_KEY = "รวม"  # the kpi_id of a seal's total row


def canonical(value: Value) -> str:
    """A value as text that survives a write and a read on either backend: 78.5 and 78.50 and '78.5' typed as a
    number are the same; blank is ''."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def as_decimal(value: Value) -> Decimal | None:
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class SealEntry:
    """One row of the seal tab."""

    event: str  # SEAL or UNSEAL
    round: int
    kpi_id: str = ""
    name: str = ""
    result: Value = None
    score: Decimal | None = None
    committee_score: Decimal | None = None
    score_used: Decimal | None = None
    weight: Decimal | None = None
    evidence: str = ""
    by: str = ""
    at: str = ""
    reason: str = ""
    sha256: str = ""
    row: int = 0  # the row in the seal tab; 0 before it is written

    def hashed(self) -> tuple[Value, ...]:
        return (self.event, self.round, self.kpi_id, self.name, self.result, self.score, self.committee_score,
                self.score_used, self.weight, self.evidence, self.by, self.at, self.reason)

    def digest(self) -> str:
        text = "\x1f".join(canonical(v) for v in self.hashed())
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def signed(self) -> SealEntry:
        return replace(self, sha256=self.digest())

    @property
    def intact(self) -> bool:
        return self.sha256 == self.digest()

    @property
    def is_total(self) -> bool:
        return self.kpi_id == TOTAL_KEY


@dataclass
class Seal:
    """The seal in force for a round."""

    round: int
    rows: list[SealEntry]  # one per KPI, parents included
    total: SealEntry | None
    by: str
    at: str

    @property
    def official_result(self) -> Decimal | None:
        return self.total.score_used if self.total is not None else None

    def row(self, kpi_id: str) -> SealEntry | None:
        return next((r for r in self.rows if r.kpi_id == kpi_id), None)


@dataclass
class SealBook:
    """Every row of the seal tab in order, and the tab's title (None when the workbook has no seal tab yet)."""

    entries: list[SealEntry] = field(default_factory=list)
    title: str | None = None

    def current(self) -> dict[int, Seal]:
        """The seal in force per round: the last seal of the round not followed by an unseal."""
        seals: dict[int, Seal] = {}
        for entry in self.entries:
            if entry.event == UNSEAL:
                seals.pop(entry.round, None)
                continue
            seal = seals.get(entry.round)
            if seal is None or (seal.at, seal.by) != (entry.at, entry.by):  # a new seal of the round
                seal = seals[entry.round] = Seal(entry.round, [], None, entry.by, entry.at)
            if entry.is_total:
                seal.total = entry
            else:
                seal.rows.append(entry)
        return seals

    def tampered(self) -> list[SealEntry]:
        return [e for e in self.entries if not e.intact]
