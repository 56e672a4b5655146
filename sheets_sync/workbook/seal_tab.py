"""The seal tab (`ผนึกรอบ`) read into the domain's SealBook, and the rows `certify` writes back to it."""

from __future__ import annotations

from sheets_sync.domain.model import _text, kpi_id_text
from sheets_sync.domain.schema import SEAL_EVENTS, SEALS
from sheets_sync.domain.seals import HEAD_MARK, SealBook, SealEntry, as_decimal
from sheets_sync.domain.thai import ParseError, parse_integer
from sheets_sync.workbook.operations import Value, WorkbookData
from sheets_sync.workbook.tables import read_table

_EVENT_TH = {c.key: c.th for c in SEAL_EVENTS}


def read_seal_book(data: WorkbookData, key: bytes | None) -> SealBook:
    """Every row of the seal tab, checked with the tool's key against their chain and the head the workbook
    keeps; a workbook without a seal tab has an empty book."""
    table = read_table(data, SEALS)
    book = SealBook(title=table.title, head=data.marks.get(HEAD_MARK))
    event_column = SEALS.column("event")
    for record in table.records:
        event = event_column.choice_for(_text(record.get("event")))
        try:
            round_ = parse_integer(record.get("round"))
        except (ParseError, ValueError, TypeError):
            round_ = 0
        result = record.get("result")
        book.entries.append(SealEntry(
            event=event.key if event is not None else _text(record.get("event")),
            round=round_,
            kpi_id=kpi_id_text(record.get("kpi_id")),
            name=_text(record.get("name")),
            result=result.strip() if isinstance(result, str) else result,
            score=as_decimal(record.get("score")),
            committee_score=as_decimal(record.get("committee_score")),
            score_used=as_decimal(record.get("score_used")),
            weight=as_decimal(record.get("weight")),
            evidence=_text(record.get("evidence")),
            by=_text(record.get("by")),
            at=_text(record.get("at")),
            reason=_text(record.get("reason")),
            sha256=_text(record.get("sha256")),
            row=record.row,
        ))
    book.check(key)
    return book


def seal_tab_rows(book: SealBook) -> list[tuple[Value, ...]]:
    """The whole tab, header first, in the schema's column order."""
    rows: list[tuple[Value, ...]] = [tuple(c.th for c in SEALS.columns)]
    for e in book.entries:
        rows.append((_EVENT_TH.get(e.event, e.event), e.round, e.kpi_id, e.name or None, e.result, e.score,
                     e.committee_score, e.score_used, e.weight, e.evidence or None, e.sha256, e.by or None,
                     e.at or None, e.reason or None))
    return rows
