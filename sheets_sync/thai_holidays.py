"""Thai public holidays from the `holidays` package, kept in the cache folder for the installed package.

Asking `holidays` for Thailand first imports every one of its some 250 countries' modules (its countries package
imports them all): 110–140 ms of each command that counts working days, the default, and a third of `status`. What
one installation of the package says of a range of years does not change, so the first command to ask keeps the
dates in the cache folder (`~/.cache/sheets-sync/holidays/`), under a name made from where the package's code lies
and when it was written: an upgrade, a reinstall or another environment asks the package again.  A cache file that
cannot be read or written is no error: the package is asked, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path

from sheets_sync.config import config
from sheets_sync.domain.calendar import holidays_from_package


def thai_holidays(first_year: int, last_year: int) -> frozenset[dt.date]:
    """What `calendar.holidays_from_package` answers, from the cache folder when it is kept there; the command line
    installs it (`calendar.use_holidays`), so the domain itself stays without I/O."""
    path = _kept_at(first_year, last_year)
    if path is not None:
        try:
            return frozenset(dt.date.fromisoformat(day) for day in json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            pass  # not kept yet, or damaged: asked again below, and kept anew
    days = holidays_from_package(first_year, last_year)
    if path is not None:
        _keep(path, days)
    return days


def _kept_at(first_year: int, last_year: int) -> Path | None:
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    try:
        written = os.stat(spec.origin)
    except OSError:
        return None
    stamp = hashlib.sha256(f"{spec.origin}\0{written.st_mtime_ns}\0{written.st_size}".encode()).hexdigest()[:16]
    return config().cache_dir / "holidays" / f"TH-{first_year}-{last_year}-{stamp}.json"


def _keep(path: Path, days: frozenset[dt.date]) -> None:
    """Written whole or not at all (a file beside it, then renamed): two commands at once each write their own."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as handle:
            json.dump(sorted(day.isoformat() for day in days), handle)
        os.replace(handle.name, path)
    except OSError:
        pass  # a cache folder this user may not write: the next command asks the package again
