"""A client-side limit that keeps every process on this machine under Google's per-user quota together.

Each request takes a slot from a sliding window (60 reads and 60 writes a minute by default); the slots live
in a small JSON file guarded by a file lock, so a cron build and a coordinator's command share one budget.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Callable

from filelock import FileLock

from sheets_sync.config import config

READS_PER_MINUTE = 60
WRITES_PER_MINUTE = 60
# A slot is stamped when a request leaves; Google counts it when it arrives.  A second of margin keeps the two
# windows from disagreeing at their edge (found by bench/reliability.py against the emulator's quota).
WINDOW = 61.0


def default_dir() -> Path:
    settings = config()
    return settings.path("SHEETS_SYNC_THROTTLE_DIR") or settings.cache_dir


class Throttle:
    def __init__(self, name: str = "quota", folder: Path | None = None, reads: int | None = None,
                 writes: int | None = None, window: float | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep) -> None:
        folder = folder or default_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{name}.json"
        self.lock = FileLock(str(self.path) + ".lock")
        settings = config()
        self.limits = {
            "read": reads or int(settings.number("SHEETS_SYNC_READS_PER_MINUTE", READS_PER_MINUTE)),
            "write": writes or int(settings.number("SHEETS_SYNC_WRITES_PER_MINUTE", WRITES_PER_MINUTE)),
        }
        self.window = window or settings.number("SHEETS_SYNC_QUOTA_WINDOW", WINDOW)
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0

    def _load(self) -> dict[str, list[float]]:
        """The shared window as it stands; a file of the wrong shape (hand-edited, truncated) counts as empty,
        and a stamp from the future (the clock was stepped back) is dropped, so neither can block a command."""
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {k: [] for k in self.limits}
        now = self.clock()
        slots: dict[str, list[float]] = {}
        for kind in self.limits:
            stamps = data.get(kind, []) if isinstance(data, dict) else []
            slots[kind] = [float(t) for t in stamps if isinstance(t, (int, float)) and not isinstance(t, bool)
                           and t <= now + 1] if isinstance(stamps, list) else []
        return slots

    def acquire(self, kind: str) -> float:
        """Take a slot for a read or a write, waiting as long as needed; returns the seconds waited."""
        waited = 0.0
        while True:
            with self.lock:
                now = self.clock()
                slots = self._load()
                recent = [t for t in slots[kind] if now - t < self.window]
                if len(recent) < self.limits[kind]:
                    recent.append(now)
                    slots[kind] = recent
                    tmp = self.path.with_suffix(".tmp")
                    tmp.write_text(json.dumps(slots))
                    os.replace(tmp, self.path)
                    self.waited += waited
                    return waited
                pause = max(min(recent) + self.window - now, 0.01)
            self.sleep(pause)
            waited += pause
