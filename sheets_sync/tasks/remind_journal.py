"""The reminders' journal: what `remind` is about to send and what it sent, on this computer, beside the locks.

An e-mail cannot be taken back, and the log in the workbook is written once, after the sending: a run killed
in between, or a log write Google refuses, used to leave no trace, and the next run sent everyone again.  So the
intent is written (and flushed to disk) before each e-mail goes, and the outcome after; a later run on the same
day never sends again to anyone the journal names, and puts in the workbook's log what the journal knows and the
log does not.  At most once per person, kind and round a day: one who may or may not have received it (killed
mid-send) is told to the coordinator, never sent twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sheets_sync.config import config

SENDING, SENT, FAILED = "sending", "sent", "failed"
Key = tuple[int, str, str]  # round, address (lower case), kind


@dataclass(frozen=True)
class Entry:
    round: int
    email: str
    kind: str
    state: str
    person_id: str = ""
    name: str = ""
    detail: str = ""

    @property
    def key(self) -> Key:
        return self.round, self.email.lower(), self.kind


def journal_path(target: str) -> Path:
    name = hashlib.sha256(target.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return config().cache_dir / "remind" / f"{name}.jsonl"


class Journal:
    def __init__(self, path: Path, today: dt.date) -> None:
        self.path, self.today = path, today

    def entries(self) -> dict[Key, Entry]:
        """Today's last word on each e-mail (older days are history)."""
        found: dict[Key, Entry] = {}
        if not self.path.is_file():
            return found
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                raw = json.loads(line)
                if raw.pop("day") != self.today.isoformat():
                    continue
                entry = Entry(**raw)
            except (ValueError, TypeError, KeyError):
                continue  # a line cut by a crash mid-write: the line before it still stands
            found[entry.key] = entry
        return found

    def record(self, entry: Entry) -> None:
        """Appended and on disk before this returns: the intent must outlive a kill -9 right after."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        line = json.dumps({"day": self.today.isoformat(), **entry.__dict__}, ensure_ascii=False) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def forget_other_days(self) -> None:
        """Keep only today's lines, once a run's log write has succeeded."""
        if not self.path.is_file():
            return
        today = self.today.isoformat()
        kept = [line for line in self.path.read_text(encoding="utf-8").splitlines()
                if f'"day": "{today}"' in line]
        self.path.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
