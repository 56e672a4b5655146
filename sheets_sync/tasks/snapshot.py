"""Snapshots: every tab (values and notes) saved to a timestamped .xlsx with a JSON manifest holding a
SHA-256 checksum per tab, taken before any command writes into staff's input tabs, and put back by restore.

A snapshot is made from the data a command has already read, so on Google it costs no request.  They are
kept in `.sheets-sync/snapshots/` beside a local workbook, or in the working directory for a Google Sheet;
the newest `keep` of each workbook are kept (setting `snapshots_keep`, 20 by default).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from sheets_sync.domain.words import Words
from sheets_sync.domain.cell import is_blank
from sheets_sync.config import config
from sheets_sync.domain.schema import INPUT_TABS
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.copy import plan_copy
from sheets_sync.workbook.operations import (
    AddTab,
    Backend,
    Conflict,
    ReplaceTab,
    WorkbookData,
    WriteCells,
)

DEFAULT_KEEP = 20


def _json_value(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) or value.time() == dt.time(0) \
            else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def tab_checksum(rows: Sequence[Sequence[object]], notes: dict[tuple[int, int], str]) -> str:
    """The same content gives the same checksum on every backend: dates as ISO days, 3.0 as 3."""
    payload = {"rows": [[_json_value(v) for v in row] for row in rows],
               "notes": sorted([r, c, text] for (r, c), text in notes.items())}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def snapshot_dir(backend: Backend) -> Path:
    return (backend.folder or Path.cwd()) / ".sheets-sync" / "snapshots"


def _stem(backend: Backend) -> str:
    """A file-name-safe stem that tells workbooks apart: Thai names all once became dashes, and one workbook's
    retention deleted another's snapshots."""
    slug = re.sub(r"[^A-Za-z0-9_.-]", "-", backend.name)[:40]
    return f"{slug}-{hashlib.sha256(backend.description.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"


def snapshots_of(backend: Backend, folder: Path | None = None) -> list[Path]:
    """This workbook's snapshots, oldest first (their names sort by the time they were taken)."""
    return sorted((folder or snapshot_dir(backend)).glob(f"{_stem(backend)}-*.xlsx"))


def keep_setting(data: WorkbookData) -> int:
    from sheets_sync.domain.thai import ParseError, parse_integer
    from sheets_sync.workbook.tables import read_settings

    entry = read_settings(data).get("snapshots_keep")
    try:
        return max(1, parse_integer(entry.value)) if entry and not is_blank(entry.value) else DEFAULT_KEEP
    except ParseError:
        return DEFAULT_KEEP


def take_snapshot(backend: Backend, data: WorkbookData, reason: str, keep: int | None = None,
                  folder: Path | None = None, now: dt.datetime | None = None) -> Path:
    from sheets_sync.backends.target import local_workbook
    from sheets_sync.backends.xlsx import remove_stale_temporaries

    keep = keep or keep_setting(data)

    folder = folder or snapshot_dir(backend)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    stamp = (now or config().now()).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{_stem(backend)}-{stamp}.xlsx"
    saved = local_workbook(target)
    saved.apply(plan_copy(data, WorkbookData(), layout=False, as_typed=True))
    held = saved.read()  # the checksums are of what the file holds, so restore can check the very same thing
    manifest = {
        "workbook": backend.description.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
        "taken": stamp,
        "reason": reason,
        "file_sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "tabs": {title: {"rows": len(grid.rows), "sha256": tab_checksum(grid.rows, grid.notes)}
                 for title, grid in held.tabs.items()},
    }
    target.with_suffix(".json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    mode = backend.file_mode()
    if mode is not None:  # a private workbook's copies are as private as it is
        for path in (target, target.with_suffix(".json")):
            os.chmod(path, mode)
    for old in snapshots_of(backend, folder)[:-keep]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)
    return target


@dataclass
class TabDifference:
    title: str
    rows_now: int
    rows_then: int
    cells_changed: int


@dataclass
class RestorePlan:
    snapshot: Path
    differences: list[TabDifference] = field(default_factory=list)
    operations: list = field(default_factory=list)


def read_snapshot(path: Path, verify: bool = True) -> WorkbookData:
    """A snapshot's content, after checking each tab against the manifest's checksum; without a manifest there is
    nothing to check it against, so it is refused unless `verify` is off."""
    from sheets_sync.backends.target import local_workbook

    manifest_path = path.with_suffix(".json")
    if not manifest_path.is_file():
        if verify:
            raise SheetsSyncError(
                ExitCode.NOT_FOUND,
                f"ไม่พบบันทึกกำกับ {manifest_path.name} ของสำเนา {path.name} จึงตรวจไม่ได้ว่าถูกแก้ไขหรือไม่ และไม่นำกลับ "
                "(ถ้าแน่ใจ ใช้ --no-verify)",
                f"the snapshot {path.name} has no manifest ({manifest_path.name}), so nothing shows it was not changed "
                "after it was taken; it is not restored (use --no-verify if you are sure)")
        return local_workbook(path).read()
    data = local_workbook(path).read()
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    mismatch = None
    if manifest.get("file_sha256") and hashlib.sha256(path.read_bytes()).hexdigest() != manifest["file_sha256"]:
        mismatch = "the file"
    for title, entry in manifest.get("tabs", {}).items():
        grid = data.tabs.get(title)
        if grid is None or len(grid.rows) != entry["rows"] or tab_checksum(grid.rows, grid.notes) != entry["sha256"]:
            mismatch = mismatch or f"tab {title}"
    if mismatch:
        raise SheetsSyncError(
            ExitCode.NOT_FOUND,
            f"สำเนา {path.name} ไม่ตรงกับบันทึกกำกับ ({mismatch}) อาจถูกแก้ไขหลังบันทึก จึงไม่นำกลับ",
            f"the snapshot {path.name} does not match its manifest ({mismatch}): it was changed after it was "
            "taken, so it is not restored")
    return data


def plan_restore(current: WorkbookData, snapshot: WorkbookData, path: Path, tabs: list[str] | None) -> RestorePlan:
    plan = RestorePlan(path)
    wanted = [t.th for t in INPUT_TABS] if not tabs else tabs
    for title in wanted:
        then = snapshot.tabs.get(title)
        if then is None:
            raise SheetsSyncError(ExitCode.USAGE, f"สำเนาไม่มีแท็บ {title}", f"the snapshot has no tab {title!r}")
        now = current.tabs.get(title)
        now_rows = now.rows if now else []
        if now is None:
            plan.differences.append(TabDifference(title, 0, len(then.rows), sum(len(r) for r in then.rows)))
            width = max((len(r) for r in then.rows), default=0)
            plan.operations += [AddTab(title), ReplaceTab(title, tuple(tuple(r) + (None,) * (width - len(r))
                                                                       for r in then.rows))]
            continue
        changed = 0
        for r in range(max(len(now_rows), len(then.rows))):
            a = now_rows[r] if r < len(now_rows) else []
            b = then.rows[r] if r < len(then.rows) else []
            for c in range(max(len(a), len(b))):
                was, back = (a[c] if c < len(a) else None), (b[c] if c < len(b) else None)
                if was != back:
                    changed += 1
                    # only the differing cells, each written only if it still holds what was read
                    plan.operations.append(WriteCells(title, r + 1, c + 1, ((back,),), expect=((was,),)))
        if changed:
            plan.differences.append(TabDifference(title, len(now_rows), len(then.rows), changed))
    return plan


@dataclass
class RestoreReport:
    plan: RestorePlan
    restored: bool = False
    safety_snapshot: Path | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[Words] = field(default_factory=list)  # (Thai, English) the backend said while writing


def run_restore(backend: Backend, path: Path, tabs: list[str] | None, confirm, verify: bool = True) -> RestoreReport:
    """Put input tabs back from a snapshot, after `confirm(plan)` agrees; the current state is saved first."""
    current = backend.read()
    plan = plan_restore(current, read_snapshot(path, verify), path, tabs)
    report = RestoreReport(plan)
    if plan.operations and confirm(plan):
        report.safety_snapshot = take_snapshot(backend, current, f"before restore of {path.name}")
        result = backend.apply(plan.operations)
        report.conflicts, report.notes = result.conflicts, result.notes
        report.restored = True
    return report


def run_snapshot(backend: Backend, folder: Path | None = None) -> Path:
    return take_snapshot(backend, backend.read(), "snapshot command", folder=folder)
