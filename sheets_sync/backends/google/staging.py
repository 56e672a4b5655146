"""A write too large for one batchUpdate, kept all-or-nothing for the people reading the sheet.

Google applies one batchUpdate all or none, and recommends bodies of at most 2 MB. A build of a large office
rewrites summary tabs bigger than that. Split by tab, a failure in the third of six writes left สรุปคะแนน with
6,000 of its 15,004 rows and the other summaries empty (issue #22). Instead, each rewritten tab is written into
a hidden staging tab, over as many requests as it needs; then one last batchUpdate deletes the old tab and gives
the staging tab its title, place and visibility, together with every other request of the write. Until that last
request succeeds nobody sees a change; if a staging write fails, the next write removes the leftovers first.

The price: a swapped tab is a new sheet, so its gid changes, and a link to it by gid opens the first tab instead.
Every request used is a documented one (addSheet with hidden, updateCells, deleteSheet, updateSheetProperties);
docs/conformance.md cites them.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from sheets_sync.backends.google.batch import SheetMeta, _Requests, _split
from sheets_sync.workbook.operations import AddTab, DeleteTab, Operation, ReplaceTab

STAGING_PREFIX = "~sheets-sync staging: "  # Google's titles may be 100 characters; ours are under 40


def staging_title(title: str) -> str:
    return STAGING_PREFIX + title


def staged_bodies(meta: dict[str, SheetMeta], operations: Sequence[Operation],
                  metadata: dict[str, tuple[int, str | None]] | None = None) -> tuple[list[list[dict]], list[dict]]:
    """(the staging bodies, each at most 2 MB, then the one final request list that swaps the tabs in)."""
    # tabs the tool owns; a staff tab (copy writes those too) keeps its sheet, its people's protections and views
    rewritten = {op.tab for op in operations if isinstance(op, ReplaceTab) and not op.input}
    staging = _Requests(meta, metadata)
    for title in [t for t in staging.meta if t.startswith(STAGING_PREFIX)]:  # a failed run's leftovers
        staging.add(DeleteTab(title))
    old_tabs = {title: staging.meta.get(title) for title in rewritten}
    for title in sorted(rewritten):
        staging.add(AddTab(staging_title(title), hidden=True))
        staging.meta[title] = staging.meta[staging_title(title)]  # a link to the tab points at its new sheet
    rest: list[Operation] = []
    for op in operations:
        tab = _tab_of(op)
        if tab not in rewritten:
            rest.append(op)
        elif not isinstance(op, AddTab):  # the staging tab stands for a tab this write would add
            staging.add(dataclasses.replace(op, tab=staging_title(tab)))  # type: ignore[arg-type]

    final = _Requests(staging.meta, metadata)
    for title in sorted(rewritten):
        staged = final.meta.pop(staging_title(title))
        old = old_tabs[title]
        properties: dict = {"sheetId": staged.sheet_id, "title": title, "hidden": False}
        fields = "title,hidden"
        if old is not None:
            final.requests.append({"deleteSheet": {"sheetId": old.sheet_id}})
            properties["index"] = old.index
            fields += ",index"
        final.requests.append({"updateSheetProperties": {"properties": properties, "fields": fields}})
        final.meta[title] = dataclasses.replace(staged, title=title, index=old.index if old else staged.index)
    for op in rest:
        final.add(op)
    return _split(staging.requests), final.requests


def _tab_of(op: Operation) -> str | None:
    if isinstance(op, AddTab):
        return op.title
    return getattr(op, "tab", None)
