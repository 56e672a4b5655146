"""Sealed rounds: what `certify --seal` froze, read back from the seal tab (`ผนึกรอบ`), and its history.

A seal is one row per KPI of the round (the values the office certified) and a total row whose score is the
round's official result, exactly as computed at sealing time, so the official figure never moves however the
input tabs change afterwards.  An unseal is one row with its reason.  The tab is only ever appended to.

Every row is signed with an HMAC-SHA-256 under a key only the tool holds (a file on the coordinator's computer,
never in the workbook), over its own values and the previous row's signature: the rows form a chain.  A person
who edits a value cannot sign it again; a row removed, inserted or moved breaks the chain at the next row; rows
cut off the end are found by the chain's head, which the tool keeps signed in the workbook's marks.  A seal
whose rows do not check is never official: the round is shown as provisional and the fault at its cell.

What it does not prove: that the values were right when sealed (that is the certification chain's job); that
no one with the key file signed something; and a workbook rolled back whole (tabs and marks, e.g. an old copy
put in its place) checks as what it was then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from sheets_sync.domain.cell import Value, is_blank

SEAL, UNSEAL = "seal", "unseal"
TOTAL_KEY = "รวม"  # the kpi_id of a seal's total row
KEYED = "hmac:"  # a keyed signature; a row without it was signed by an older version with a bare SHA-256
HEAD_MARK = "sheets-sync seal chain"  # the workbook mark holding the chain's signed head: rows, last signature


def canonical(value: Value) -> str:
    """A value as text that survives a write and a read on either backend: 78.5 and 78.50 and '78.5' typed as a
    number are the same; blank is ''."""
    if is_blank(value):
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


def seal_time(at: str) -> dt.datetime | None:
    """The BE text a seal row keeps (`20 ก.ค. 2570 14:05:33`, the office's time) as a naive date and time."""
    from sheets_sync.domain.thai import ParseError, parse_date

    day, _, clock = at.strip().rpartition(" ")
    try:
        return dt.datetime.combine(parse_date(day), dt.time.fromisoformat(clock))
    except (ParseError, ValueError):
        return None


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
        """The bare SHA-256 of an older version's rows: kept to name such a row, never trusted."""
        text = "\x1f".join(canonical(v) for v in self.hashed())
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def mac(self, key: bytes, previous: str) -> str:
        """This row's signature: its values and the previous row's signature, under the tool's key."""
        text = "\x1f".join([previous] + [canonical(v) for v in self.hashed()])
        return KEYED + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def signed(self, key: bytes, previous: str) -> SealEntry:
        return replace(self, sha256=self.mac(key, previous))

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


@dataclass(frozen=True)
class SealFault:
    """A row of the seal tab that does not check, or rows missing from it; `row` is the tab's row (the first row
    after the last one for rows cut off the end)."""

    row: int
    round: int
    kpi_id: str
    th: str
    en: str


def head_text(key: bytes, rows: int, last: str) -> str:
    """The chain's head as the workbook keeps it: how many rows, the last signature, signed."""
    body = f"{rows} {last}"
    return body + " " + hmac.new(key, ("head\x1f" + body).encode("utf-8"), hashlib.sha256).hexdigest()


NO_KEY = ("เครื่องนี้ไม่มีกุญแจผนึก (SHEETS_SYNC_SEAL_KEY) จึงตรวจการผนึกไม่ได้ ผลจึงยังไม่เป็นทางการ",
          "this computer has no seal key (SHEETS_SYNC_SEAL_KEY), so the seals cannot be checked and are not official")


@dataclass
class SealBook:
    """Every row of the seal tab in order, and the tab's title (None when the workbook has no seal tab yet).

    `faults` is filled by `check`: until a book is checked with the tool's key, no seal in it is official."""

    entries: list[SealEntry] = field(default_factory=list)
    title: str | None = None
    head: str | None = None  # the signed head the workbook keeps (HEAD_MARK)
    faults: list[SealFault] = field(default_factory=list)
    checked: bool = False

    @property
    def last_signature(self) -> str:
        return self.entries[-1].sha256 if self.entries else ""

    def check(self, key: bytes | None) -> list[SealFault]:
        """Every row against its signature and the row before it; the end of the chain against the head."""
        self.faults, self.checked = [], key is not None
        if key is None:
            if self.entries:
                first = self.entries[0]
                self.faults.append(SealFault(first.row, first.round, first.kpi_id, *NO_KEY))
            return self.faults
        previous = ""
        for entry in self.entries:
            if not entry.sha256.startswith(KEYED):
                self.faults.append(SealFault(
                    entry.row, entry.round, entry.kpi_id,
                    "แถวนี้ผนึกโดยรุ่นเก่าที่ไม่มีกุญแจ ใครก็แก้ได้ จึงไม่นับเป็นทางการ โปรดผนึกรอบนี้อีกครั้ง",
                    "this row was sealed by an older version without a key, which anyone could forge; it is not "
                    "official: seal the round again"))
            elif not hmac.compare_digest(entry.sha256, entry.mac(key, previous)):
                self.faults.append(SealFault(
                    entry.row, entry.round, entry.kpi_id,
                    "แถวนี้ในแท็บผนึกรอบถูกแก้ไขด้วยมือ หรือมีแถวก่อนหน้าถูกลบ แทรก หรือย้าย (ลายมือชื่อไม่ตรง) "
                    "ค่าที่ผนึกไว้เชื่อถือไม่ได้",
                    "this seal row was edited by hand, or a row before it was removed, inserted or moved (its "
                    "signature does not check); the sealed values cannot be trusted"))
            previous = entry.sha256
        self._check_head(key)
        return self.faults

    def _check_head(self, key: bytes) -> None:
        keyed = [e for e in self.entries if e.sha256.startswith(KEYED)]
        after = (self.entries[-1].row + 1) if self.entries else 2
        if self.head is None:
            if keyed:
                self.faults.append(SealFault(after, 0, "", "ไม่พบหัวของสายการผนึกในสมุดงาน (ถูกลบ) จึงไม่รู้ว่ามีแถวหายไปหรือไม่",
                                             "the seal chain's head is missing from the workbook (deleted), so rows "
                                             "cut off the end could not be noticed"))
            return
        parts = self.head.split(" ")
        if len(parts) != 3 or not hmac.compare_digest(self.head, head_text(key, _int(parts[0]), parts[1])):
            self.faults.append(SealFault(after, 0, "", "หัวของสายการผนึกในสมุดงานถูกแก้ไข", "the seal chain's head was edited"))
            return
        rows, last = _int(parts[0]), parts[1]
        faulty = {f.row for f in self.faults}
        if len(self.entries) >= rows and rows and self.entries[rows - 1].row in faulty:
            return  # the head's row itself was edited: said at that row already
        if len(self.entries) < rows or (rows and self.entries[rows - 1].sha256 != last):
            gone = rows - len(self.entries) if len(self.entries) < rows else 0
            self.faults.append(SealFault(
                after, 0, "",
                f"แถวท้ายแท็บผนึกรอบหายไป{f' {gone} แถว' if gone else ''} (หรือทั้งแท็บถูกลบ) สถานะการผนึกจึงเชื่อถือไม่ได้",
                f"{f'{gone} rows' if gone else 'rows'} at the end of the seal tab are gone (or the whole tab was "
                "deleted), so which rounds are sealed cannot be trusted"))

    def _in_force(self) -> dict[int, Seal]:
        """The last seal of each round not followed by an unseal, whatever the checks say."""
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

    def current(self) -> dict[int, Seal]:
        """The seal in force per round, of the rows that check.  A fault voids every seal at or before it (a
        removed unseal row could be anywhere above it); an unseal always counts, since it only takes
        officialness away.  Never checked with the key: nothing is official."""
        if not self.checked:
            return {}
        void_until = max((f.row for f in self.faults), default=0)
        return {r: seal for r, seal in self._in_force().items()  # row 0: planned now, not written yet
                if all((e.row or 1 << 30) > void_until for e in seal.rows + ([seal.total] if seal.total else []))}

    def voided(self) -> dict[int, SealFault]:
        """The rounds a seal would be in force for but for a fault, each with the first fault that voids it."""
        official = self.current()
        return {r: self.faults[0] for r in self._in_force() if r not in official and self.faults}


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1
