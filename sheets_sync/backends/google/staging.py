"""A write too large for one batchUpdate, kept all-or-nothing for the people reading the sheet.

Google applies one batchUpdate all or none, and recommends bodies of at most 2 MB. A build of a large office
rewrites summary tabs bigger than that. Split by tab, a failure in the third of six writes left สรุปคะแนน with
6,000 of its 15,004 rows and the other summaries empty (issue #22). Instead, each rewritten tab's cells are
written into a hidden staging tab, over as many requests as it needs; then one last batchUpdate empties the real
tab, pastes the staging tab onto it (copyPaste, PASTE_NORMAL: values, formats, notes) and deletes the staging
tab, together with every other request of the write. Until that last request succeeds nobody sees a change; if
a staging write fails, the next write removes the leftovers first.

The real tab is never deleted, so nothing that points at it breaks: a staff formula `=สรุปคะแนน!B2` elsewhere,
a named range on it, a chart, a filter view, a person's protection, column widths and its gid all stay (deleting
it made them `#REF!`, issue 31).  Only a tab the write adds anew is the staging tab itself, renamed.  A tab
whose content mark says which rows it already holds stages only the rows that changed, at their own places, and
each run of them is emptied and pasted back alone: a nightly build of a 20,000-KPI office whose changes are
spread over the whole tab sends those rows, not 40 MB (issue 35).  Every
request used is a documented one (addSheet with hidden, updateCells, copyPaste, deleteSheet,
updateSheetProperties); docs/conformance.md cites them.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from sheets_sync.backends.google.batch import SheetMeta, _changed_runs, _Requests, _split
from sheets_sync.domain.words import Words
from sheets_sync.workbook.operations import AddTab, DeleteTab, Operation, ReplaceTab

STAGING_PREFIX = "~sheets-sync staging: "  # Google's titles may be 100 characters; ours are under 40


def staging_title(title: str) -> str:
    return STAGING_PREFIX + title


def staged_bodies(meta: dict[str, SheetMeta], operations: Sequence[Operation],
                  metadata: dict[str, tuple[int, str | None]] | None = None
                  ) -> tuple[list[list[dict]], list[dict], list[Words]]:
    """(the staging bodies, each at most 2 MB, then the one final request list that swaps the tabs in, and what
    the person should know about the write)."""
    # tabs the tool owns; a staff tab (copy writes those too) keeps its sheet, its people's protections and views
    rewritten = {op.tab for op in operations if isinstance(op, ReplaceTab) and not op.input}
    staging = _Requests(meta, metadata)
    for title in [t for t in staging.meta if t.startswith(STAGING_PREFIX)]:  # a failed run's leftovers
        staging.add(DeleteTab(title))
    old_tabs = {title: staging.meta.get(title) for title in rewritten}
    for title in sorted(rewritten):
        staging.add(AddTab(staging_title(title), hidden=True))
        if old_tabs[title] is None:  # a new tab: the staging tab will be it, so links to it point there
            staging.meta[title] = staging.meta[staging_title(title)]
    rest: list[Operation] = []
    rewrites: dict[str, ReplaceTab] = {}  # each tab's rewrite: whole, or its changed rows (op.unchanged)
    for op in operations:
        tab = _tab_of(op)
        if tab not in rewritten:
            rest.append(op)
        elif isinstance(op, AddTab):
            continue  # the staging tab stands for a tab this write adds
        elif isinstance(op, ReplaceTab):  # the cells, large: the staging tab starts empty
            if old_tabs[tab] is None:  # a new tab is its staging tab: all of it is written
                op = dataclasses.replace(op, unchanged=())
            rewrites[tab] = op  # with unchanged rows: only the changed ones, at their places, each pasted back alone
            staging.stage_rows(dataclasses.replace(op, tab=staging_title(tab)))
        elif old_tabs[tab] is None:  # anything on a new tab
            staging.add(dataclasses.replace(op, tab=staging_title(tab)))  # type: ignore[arg-type]
        else:  # widths, frozen rows, protection: small, and made on the real tab itself
            rest.append(op)

    final = _Requests(staging.meta, metadata)
    for title in sorted(rewritten):
        staged = final.meta.pop(staging_title(title))
        old = old_tabs[title]
        if old is None:
            final.requests.append({"updateSheetProperties": {
                "properties": {"sheetId": staged.sheet_id, "title": title, "hidden": False}, "fields": "title,hidden"}})
            final.meta[title] = dataclasses.replace(staged, title=title)
            continue
        real, op = final.meta[title], rewrites[title]
        final.clear(real, op)
        final.grow(real, staged.rows, staged.cols)
        for first, last in _changed_runs(len(op.rows), op.unchanged) if op.unchanged else [(1, staged.rows)]:
            span = {"startRowIndex": first - 1, "endRowIndex": last, "startColumnIndex": 0,
                    "endColumnIndex": staged.cols}
            final.requests.append({"copyPaste": {"source": {"sheetId": staged.sheet_id, **span},
                                                 "destination": {"sheetId": real.sheet_id, **span},
                                                 "pasteType": "PASTE_NORMAL", "pasteOrientation": "NORMAL"}})
        final.requests.append({"deleteSheet": {"sheetId": staged.sheet_id}})
    for op in rest:
        final.add(op)
    return _split(staging.requests), final.requests, staging.said + final.said


def _tab_of(op: Operation) -> str | None:
    if isinstance(op, AddTab):
        return op.title
    return getattr(op, "tab", None)
