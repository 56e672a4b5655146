"""The batchUpdate requests of the Google backend: each operation becomes Sheets API requests, growing the
grid first wherever a write reaches past it; bodies are kept under Google's recommended 2 MB ("Usage limits").
A date in an input tab is written as the BE text staff would type, in a plain-text cell; a date in a generated
tab is a real date shown with its BE year."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Sequence, assert_never

from sheets_sync.domain.words import Words
from sheets_sync.domain import palette
from sheets_sync.backends.google.http import encode_body
from sheets_sync.domain.cell import column_letter
from sheets_sync.domain.thai import BE_OFFSET, format_date_be, to_serial
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.marks import (
    MARK_COLOUR,
    Kept,
    before_marking,
    is_mark,
    kept_by,
    mark_note,
)
from sheets_sync.workbook.operations import (
    CHECK_COLOUR,
    CHECK_MARK,
    DATE_FORMAT,
    LAST_CHECKED_ROW,
    INPUT_DATE_FORMAT,
    AddTab,
    Area,
    ColumnFormat,
    ColumnWidth,
    DeleteTab,
    Dropdown,
    EditRights,
    FilterViews,
    FreezeRows,
    Highlights,
    MarkCells,
    Mark,
    NumberRange,
    Operation,
    Protect,
    ReplaceTab,
    SheetLocale,
    StyleHeader,
    Value,
    WriteCells,
    quote_title,
    scope_prefix,
)

MAX_BODY = 2 * 1024 * 1024
ROWS_PER_REQUEST = 1000
PROTECTION_PREFIX = "sheets-sync"
HEADER_FILL = {False: palette.BLUE, True: palette.GREY}
TEXT_FORMAT = {"type": "TEXT", "pattern": "@"}
EVERYTHING = "userEnteredValue,userEnteredFormat,note,textFormatRuns"  # all a generated tab's cells hold


def be_date_format(day: dt.date) -> dict:
    """Google has no Buddhist calendar: a real date shown with its BE year as a literal (`1 ต.ค. 2569` in a
    th_TH sheet, whose `mmm` is the Thai month abbreviation)."""
    return {"type": "DATE", "pattern": f'd mmm "{day.year + BE_OFFSET}"'}


def hex_colour(value: dict | None) -> str | None:
    """Google's colour (components 0–1, zeros left out) as RRGGBB; None when there is none."""
    if not value:
        return None
    return "".join(f"{round(float(value.get(name, 0)) * 255):02X}" for name in ("red", "green", "blue"))


def _cell_with(note: str | None, fill: str | None) -> dict:
    cell: dict[str, Any] = {}
    if note:
        cell["note"] = note
    if fill:
        cell["userEnteredFormat"] = {"backgroundColor": colour(fill)}
    return cell


def colour(hex_rgb: str) -> dict[str, float]:
    """Google's colour for RRGGBB: components 0–1 to four places, which still read back as the same byte
    (hex_colour) and cost a coloured cell 20 bytes fewer than 0.7803921568627451."""
    return {name: round(int(hex_rgb[i:i + 2], 16) / 255, 4) for name, i in (("red", 0), ("green", 2), ("blue", 4))}


def number_format(fmt: str | None) -> dict | None:
    """A column's number format; a BE date column has none of its own (each date cell carries its year)."""
    if fmt is None or fmt == DATE_FORMAT:
        return None
    if fmt == INPUT_DATE_FORMAT:
        return TEXT_FORMAT
    return {"type": "NUMBER", "pattern": fmt}


def extended(value: Value, input_tab: bool = False) -> tuple[dict, dict | None]:
    """A typed value as a userEnteredValue, and the number format it needs (dates).  In an input tab a date is
    the BE text staff would type there, in a plain-text cell."""
    kind = type(value)
    if kind is str:  # most cells, checked first: a large write asks this of every cell
        return ({"stringValue": value} if value else {}), None
    if kind is int:
        return {"numberValue": value}, None
    if value is None or value == "":
        return {}, None
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if input_tab:
            return {"stringValue": format_date_be(value)}, TEXT_FORMAT
        return {"numberValue": to_serial(value)}, be_date_format(value)
    if isinstance(value, int):
        return {"numberValue": value}, None
    if isinstance(value, (float, Decimal)):
        number = float(value)
        return {"numberValue": int(number) if number.is_integer() else number}, None
    return {"stringValue": str(value)}, None


@dataclass
class SheetMeta:
    sheet_id: int
    title: str
    rows: int
    cols: int
    protected: list[tuple[int, str]] = field(default_factory=list)
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # a cell's own background, RRGGBB
    rules: list[str] = field(default_factory=list)  # each conditional format rule's first formula, in order
    views: list[tuple[int, str]] = field(default_factory=list)  # (filter view id, title)
    index: int = 0  # position among the tabs
    whole: set[int] = field(default_factory=set)  # ids of protections over the whole sheet (Google allows one)
    planned_whole: dict | None = None  # the whole-sheet protection this batch adds, if any


def covers_whole_sheet(grid_range: dict) -> bool:
    """A protected range given by its sheet alone is the sheet's protection, of which Google allows one."""
    return not any(k in grid_range for k in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"))


def _size(requests: list[dict]) -> int:
    return len(encode_body({"requests": requests}))


_EMPTY = _size([])  # {"requests":[]}


class _Body:
    """A body being packed, its encoded size kept as requests are added: each request is measured once, so
    packing is linear in the number of requests (measuring the whole body again for each was quadratic)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.size = _EMPTY

    def size_with(self, extra: int, count: int = 1) -> int:
        return self.size + extra + (count if self.requests else count - 1)  # a comma before each but the first

    def add(self, request: dict, size: int) -> None:
        self.size = self.size_with(size)
        self.requests.append(request)


def _split(requests: list[dict]) -> list[list[dict]]:
    """Bodies of at most MAX_BODY: the requests of one tab stay together, whole tabs are packed into as few
    bodies as fit, and only a tab larger than the limit on its own is cut by size."""
    sizes = [len(encode_body(r)) for r in requests]
    if _EMPTY + sum(sizes) + max(len(requests) - 1, 0) <= MAX_BODY:
        return [requests]
    chunks: list[list[tuple[dict, int]]] = []
    current_sheet: Any = object()
    for request, size in zip(requests, sizes):
        sheet = _sheet_of(request)
        if sheet is None or (chunks and sheet == current_sheet):
            chunks[-1].append((request, size)) if chunks else chunks.append([(request, size)])
        else:
            chunks.append([(request, size)])
            current_sheet = sheet
    bodies = [_Body()]
    for chunk in chunks:
        chunk_size = sum(size for _, size in chunk) + len(chunk) - 1
        if bodies[-1].size_with(chunk_size) <= MAX_BODY:
            for request, size in chunk:
                bodies[-1].add(request, size)
            continue
        if bodies[-1].requests:
            bodies.append(_Body())
        for request, size in chunk:  # a tab too large for one body: cut it by size
            if bodies[-1].requests and bodies[-1].size_with(size) > MAX_BODY:
                bodies.append(_Body())
            bodies[-1].add(request, size)
    return [b.requests for b in bodies if b.requests]


def _changed_runs(rows: int, unchanged: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """The row spans of 1..rows outside the unchanged ones (sorted, not overlapping)."""
    runs, next_row = [], 1
    for first, last in sorted(unchanged):
        if first > next_row:
            runs.append((next_row, min(first - 1, rows)))
        next_row = max(next_row, last + 1)
    if next_row <= rows:
        runs.append((next_row, rows))
    return [(a, b) for a, b in runs if a <= b]


CELL_OVERHEAD = 100  # bytes of CellData JSON around a value: its keys, a number format or colour, a note's key


def _blocks(rows: Sequence[Sequence[Value]]) -> list[tuple[int, int]]:
    """Row spans [first, last) of at most ROWS_PER_REQUEST rows and about MAX_BODY bytes each.  The size is
    estimated (3 bytes a character: UTF-8 Thai; JSON escapes of control characters can double that), so one
    block never nears Google's hard 10 MiB per request, which a block of long texts cut by count alone did."""
    blocks, first, size = [], 0, 0
    for index, row in enumerate(rows):
        row_size = CELL_OVERHEAD * len(row) + 3 * sum(len(v) for v in row if isinstance(v, str))
        if index > first and (index - first == ROWS_PER_REQUEST or size + row_size > MAX_BODY):
            blocks.append((first, index))
            first, size = index, 0
        size += row_size
    if first < len(rows):
        blocks.append((first, len(rows)))
    return blocks


LEAST_VALUE_CELL = len('{"userEnteredValue":{"numberValue":0}}')  # the smallest CellData holding a value


def least_json(rows: Sequence[Sequence[Value]]) -> int:
    """A lower bound of the CellData JSON of `rows`: 2 bytes an empty cell, a value's smallest CellData, a
    character at least a byte, a comma each."""
    least = 0
    for row in rows:
        least += 3 * len(row)
        for value in row:
            if value is not None and value != "":
                least += LEAST_VALUE_CELL - 2 + (len(value) if type(value) is str else 0)
    return least


def surely_over_one_body(operations: Sequence[Operation]) -> bool:
    """Whether the rows the operations send cannot fit one body, whatever else they carry (a tab's unchanged
    rows are not sent).  A write that surely needs staging is planned staged at once: planning it whole first
    built every cell of a 5,000-KPI build once more, only to find it too large (docs/benchmarks.md)."""
    least = 0
    for op in operations:
        if isinstance(op, ReplaceTab):
            runs = _changed_runs(len(op.rows), op.unchanged) if op.unchanged else [(1, len(op.rows))]
            least += sum(least_json(op.rows[first - 1:last]) for first, last in runs)
            if least > MAX_BODY:
                return True
    return False


def _sheet_of(request: dict) -> Any:
    body = next(iter(request.values()))
    for key in ("start", "range", "properties", "protectedRange"):
        if isinstance(body.get(key), dict):
            inner = body[key]
            if "range" in inner and isinstance(inner["range"], dict):
                inner = inner["range"]
            return inner.get("sheetId")
    return body.get("sheetId")


class _Requests:
    """Turns operations into batchUpdate requests, growing the grid first wherever a write reaches past it."""

    def __init__(self, meta: dict[str, SheetMeta], metadata: dict[str, tuple[int, str | None]] | None = None) -> None:
        self.metadata = dict(metadata or {})  # the spreadsheet's developer metadata: key → (id, value)
        self.meta = {title: SheetMeta(m.sheet_id, m.title, m.rows, m.cols, list(m.protected), dict(m.notes),
                                          dict(m.fills), list(m.rules), list(m.views), m.index, set(m.whole))
                     for title, m in meta.items()}
        self.requests: list[dict] = []
        self.said: list[Words] = []  # what the person should know about this write

    def sheet(self, title: str) -> SheetMeta:
        if title not in self.meta:
            raise SheetsSyncError(ExitCode.LAYOUT, f"ไม่พบแท็บ {title}", f"no tab {title!r} in the spreadsheet")
        return self.meta[title]

    def grow(self, info: SheetMeta, rows: int, cols: int) -> None:
        if rows > info.rows:
            self.requests.append({"appendDimension": {"sheetId": info.sheet_id, "dimension": "ROWS",
                                                      "length": rows - info.rows}})
            info.rows = rows
        if cols > info.cols:
            self.requests.append({"appendDimension": {"sheetId": info.sheet_id, "dimension": "COLUMNS",
                                                      "length": cols - info.cols}})
            info.cols = cols

    def add(self, op: Operation) -> None:
        """The requests of one operation: every kind is named here, and mypy checks none is missing."""
        match op:
            case AddTab():
                self._AddTab(op)
            case DeleteTab():
                self._DeleteTab(op)
            case WriteCells():
                self._WriteCells(op)
            case ReplaceTab():
                self._ReplaceTab(op)
            case Mark():
                self._Mark(op)
            case SheetLocale():
                self._SheetLocale(op)
            case StyleHeader():
                self._StyleHeader(op)
            case FreezeRows():
                self._FreezeRows(op)
            case ColumnWidth():
                self._ColumnWidth(op)
            case ColumnFormat():
                self._ColumnFormat(op)
            case Dropdown():
                self._Dropdown(op)
            case Protect():
                self._Protect(op)
            case NumberRange():
                self._NumberRange(op)
            case Highlights():
                self._Highlights(op)
            case FilterViews():
                self._FilterViews(op)
            case EditRights():
                self._EditRights(op)
            case MarkCells():
                self._MarkCells(op)
            case _:
                assert_never(op)

    def _AddTab(self, op: AddTab) -> None:
        if op.title in self.meta:
            return
        taken = {m.sheet_id for m in self.meta.values()}
        sheet_id = random.randint(1, 2**31 - 1)
        while sheet_id in taken:
            sheet_id = random.randint(1, 2**31 - 1)
        props: dict[str, Any] = {"sheetId": sheet_id, "title": op.title,
                                 "gridProperties": {"rowCount": 1000, "columnCount": 26}}
        if op.index is not None:
            props["index"] = op.index
        if op.hidden:
            props["hidden"] = True
        self.requests.append({"addSheet": {"properties": props}})
        self.meta[op.title] = SheetMeta(sheet_id, op.title, 1000, 26,
                                        index=op.index if op.index is not None else len(self.meta))

    def _DeleteTab(self, op: DeleteTab) -> None:
        if op.tab in self.meta and len(self.meta) > 1:
            self.requests.append({"deleteSheet": {"sheetId": self.meta.pop(op.tab).sheet_id}})

    def _cell(self, value: Value, fmt: str | None, fill: str | None = None, link: str | None = None,
              bare: bool = False, input_tab: bool = False) -> dict:
        """CellData for a value; `bare` leaves the number format to a column-wide repeatCell."""
        ev, needed = extended(value, input_tab or fmt == INPUT_DATE_FORMAT)
        if bare:
            needed = None
        cell: dict[str, Any] = {}
        if ev:
            cell["userEnteredValue"] = ev
        fmt_json = number_format(fmt) or needed
        user_format: dict[str, Any] = {}
        if fmt_json:
            user_format["numberFormat"] = fmt_json
        if fill:
            user_format["backgroundColor"] = colour(fill)
        if user_format:
            cell["userEnteredFormat"] = user_format
        if link and isinstance(value, str) and value:
            cell["textFormatRuns"] = [{"startIndex": 0, "format": {"link": {"uri": link},
                                                                    "foregroundColor": colour(palette.LINK),
                                                                    "underline": True}}]
        return cell

    def _WriteCells(self, op: WriteCells) -> None:
        info = self.sheet(op.tab)
        width = max(len(r) for r in op.values)
        self.grow(info, op.row + len(op.values) - 1, op.col + width - 1)
        # WriteCells writes only into input tabs (staff ranges): a date goes in as the BE text staff would type
        rows = [{"values": [self._cell(v, op.formats[i][j] if op.formats else None, input_tab=True)
                            for j, v in enumerate(row)]} for i, row in enumerate(op.values)]
        dated = any(isinstance(v, dt.date) for row in op.values for v in row) or op.formats is not None
        fields = "userEnteredValue,userEnteredFormat.numberFormat" if dated else "userEnteredValue"
        self.requests.append({"updateCells": {"start": {"sheetId": info.sheet_id, "rowIndex": op.row - 1,
                                                        "columnIndex": op.col - 1}, "rows": rows, "fields": fields}})

    def _ReplaceTab(self, op: ReplaceTab) -> None:
        self.clear(self.sheet(op.tab), op)
        self.stage_rows(op)

    def clear(self, info: SheetMeta, op: ReplaceTab) -> None:
        """Empty what `op` rewrites on the tab `info`: all of it, or its changed rows and whatever lies below
        its new last row."""
        if not op.unchanged:
            self.requests.append({"updateCells": {"range": {"sheetId": info.sheet_id}, "fields": EVERYTHING}})
            return
        old_rows = info.rows
        for first, last in [*_changed_runs(len(op.rows), op.unchanged), (len(op.rows) + 1, old_rows)]:
            if first <= min(last, old_rows):
                self.requests.append({"updateCells": {"range": {
                    "sheetId": info.sheet_id, "startRowIndex": first - 1, "endRowIndex": min(last, old_rows)},
                    "fields": EVERYTHING}})

    def stage_rows(self, op: ReplaceTab) -> None:
        """Write the rows of `op` outside its unchanged spans, clearing nothing (the tab is empty there)."""
        info = self.sheet(op.tab)
        width = max((len(r) for r in op.rows), default=1)
        runs = _changed_runs(len(op.rows), op.unchanged)
        self.grow(info, len(op.rows), width)
        fills = {(r, c): colour_hex for r, c, colour_hex in op.fills}
        notes = {(r, c): text for r, c, text in op.notes}
        links = {}
        for r, c, location in op.links:
            title, _, ref = location.rpartition("!")
            title = title[1:-1].replace("''", "'") if title.startswith("'") else title
            if title in self.meta:
                links[(r, c)] = f"#gid={self.meta[title].sheet_id}&range={ref}"
        # a column's number format goes once per column (repeatCell), not into every cell: it keeps the body
        # small enough for one request far longer (docs/benchmarks.md)
        # (a BE date column has none: each date carries its own year, see be_date_format)
        formatted = {c for c, fmt in enumerate(op.column_formats, start=1) if number_format(fmt)}
        text_dates = {c for c, fmt in enumerate(op.column_formats, start=1) if fmt == INPUT_DATE_FORMAT}
        for run_first, run_last in runs:
            rows = []
            for r in range(run_first, run_last + 1):
                values = []
                for c, value in enumerate(op.rows[r - 1], start=1):
                    cell = self._cell(value, None, fills.get((r, c)), links.get((r, c)),
                                      bare=r > 1 and c in formatted, input_tab=op.input or c in text_dates)
                    if (r, c) in notes:
                        cell["note"] = notes[(r, c)]
                    values.append(cell)
                rows.append({"values": values})
            for first, last in _blocks(op.rows[run_first - 1:run_last]):  # so a large tab splits between bodies
                self.requests.append({"updateCells": {
                    "start": {"sheetId": info.sheet_id, "rowIndex": run_first - 1 + first, "columnIndex": 0},
                    "rows": rows[first:last], "fields": EVERYTHING}})
            for c in sorted(formatted):
                if run_last > 1:
                    self.requests.append({"repeatCell": {
                        "range": {"sheetId": info.sheet_id, "startRowIndex": max(run_first, 2) - 1,
                                  "endRowIndex": run_last, "startColumnIndex": c - 1, "endColumnIndex": c},
                        "cell": {"userEnteredFormat": {"numberFormat": number_format(op.column_formats[c - 1])}},
                        "fields": "userEnteredFormat.numberFormat"}})

    def _Mark(self, op: Mark) -> None:
        if op.key in self.metadata:
            metadata_id = self.metadata[op.key][0]
            self.requests.append({"updateDeveloperMetadata": {
                "dataFilters": [{"developerMetadataLookup": {"metadataId": metadata_id}}],
                "developerMetadata": {"metadataValue": op.value}, "fields": "metadataValue"}})
        else:
            self.requests.append({"createDeveloperMetadata": {"developerMetadata": {
                "metadataKey": op.key, "metadataValue": op.value, "location": {"spreadsheet": True},
                "visibility": "DOCUMENT"}}})

    def _SheetLocale(self, op: SheetLocale) -> None:
        # the font stays Google's own: Sheets draws Thai in it, and a theme change is not in any recorded answer
        self.requests.append({"updateSpreadsheetProperties": {
            "properties": {"locale": op.locale, "timeZone": op.time_zone}, "fields": "locale,timeZone"}})

    def _StyleHeader(self, op: StyleHeader) -> None:
        info = self.sheet(op.tab)
        self.grow(info, 1, op.columns)
        self.requests.append({"repeatCell": {
            "range": {"sheetId": info.sheet_id, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0,
                      "endColumnIndex": op.columns},
            "cell": {"userEnteredFormat": {"backgroundColor": colour(HEADER_FILL[op.generated]),
                                           "textFormat": {"bold": True}, "wrapStrategy": "WRAP",
                                           "verticalAlignment": "MIDDLE"}},
            "fields": "userEnteredFormat(backgroundColor,textFormat.bold,wrapStrategy,verticalAlignment)"}})
        if not op.generated:
            self.requests.append({"setBasicFilter": {"filter": {"range": {
                "sheetId": info.sheet_id, "startRowIndex": 0, "startColumnIndex": 0, "endColumnIndex": op.columns}}}})

    def _FreezeRows(self, op: FreezeRows) -> None:
        info = self.sheet(op.tab)
        self.requests.append({"updateSheetProperties": {
            "properties": {"sheetId": info.sheet_id, "gridProperties": {"frozenRowCount": op.rows}},
            "fields": "gridProperties.frozenRowCount"}})

    def _ColumnWidth(self, op: ColumnWidth) -> None:
        info = self.sheet(op.tab)
        self.grow(info, 1, op.col)
        self.requests.append({"updateDimensionProperties": {
            "range": {"sheetId": info.sheet_id, "dimension": "COLUMNS", "startIndex": op.col - 1, "endIndex": op.col},
            "properties": {"pixelSize": op.width * 7 + 5}, "fields": "pixelSize"}})

    def _ColumnFormat(self, op: ColumnFormat) -> None:
        if number_format(op.number_format) is None:
            return  # a BE date column: each date cell carries its own format
        info = self.sheet(op.tab)
        self.grow(info, 1, op.col)
        self.requests.append({"repeatCell": {
            "range": {"sheetId": info.sheet_id, "startRowIndex": 1, "endRowIndex": info.rows,
                      "startColumnIndex": op.col - 1, "endColumnIndex": op.col},
            "cell": {"userEnteredFormat": {"numberFormat": number_format(op.number_format)}},
            "fields": "userEnteredFormat.numberFormat"}})

    def _Dropdown(self, op: Dropdown) -> None:
        info = self.sheet(op.tab)
        self.grow(info, 1, op.col)
        if op.source_tab is not None and op.source_col is not None:
            letter = column_letter(op.source_col)
            condition = {"type": "ONE_OF_RANGE",
                         "values": [{"userEnteredValue": f"={quote_title(op.source_tab)}!${letter}$2:${letter}"}]}
        else:
            condition = {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in op.choices]}
        self.requests.append({"setDataValidation": {
            "range": {"sheetId": info.sheet_id, "startRowIndex": 1, "endRowIndex": info.rows,
                      "startColumnIndex": op.col - 1, "endColumnIndex": op.col},
            "rule": {"condition": condition, "strict": op.strict, "showCustomUi": True,
                     "inputMessage": "เลือกจากรายการ / pick from the list"}}})

    def _Protect(self, op: Protect) -> None:
        info = self.sheet(op.tab)
        self._drop_protections(f"{PROTECTION_PREFIX}:", (info,))
        grid_range: dict[str, Any] = {"sheetId": info.sheet_id}
        if op.header_only:
            grid_range.update(startRowIndex=0, endRowIndex=1)
        elif self._sheet_protected(info):
            # Google allows one protection over a whole sheet and refuses a second (400 `Sheet "…" already has
            # sheet protection`), cancelling the whole write: a tab already protected whole is warned enough —
            # by `protect`'s hard protection (the tool's own: nothing to say), or by a person's
            if info.planned_whole is None and not self._tool_protects_whole(info):
                self.said.append(Words(f"แท็บ {info.title} มีผู้ป้องกันทั้งแท็บไว้แล้ว จึงคงไว้ตามเดิม ไม่เพิ่มคำเตือนของเครื่องมือ",
                                  f"someone already protects the whole tab {info.title}: theirs is left as it is and "
                                  "the tool adds no warning of its own"))
            return
        what = "header row" if op.header_only else "generated tab"
        request = {"addProtectedRange": {"protectedRange": {
            "range": grid_range, "warningOnly": True,
            "description": f"{PROTECTION_PREFIX}: {what} / แท็บหรือหัวคอลัมน์ที่เครื่องมือจัดการ"}}}
        self.requests.append(request)
        if not op.header_only:
            info.planned_whole = request

    @staticmethod
    def _tool_protects_whole(info: SheetMeta) -> bool:
        return any(i in info.whole and d.startswith(PROTECTION_PREFIX) for i, d in info.protected)

    def _sheet_protected(self, info: SheetMeta) -> bool:
        """The sheet has, or this batch gives it, a protection over the whole sheet."""
        return info.planned_whole is not None or any(i in info.whole for i, _ in info.protected)

    def _whole_or_bounded(self, info: SheetMeta, grid_range: dict[str, Any]) -> dict[str, Any]:
        """A hard protection over a whole tab: the tool's own warning there gives way to it; a person's own
        protection of the whole tab stays, and the tool's goes over the tab's grid as a range instead."""
        planned = info.planned_whole
        if planned is not None and planned["addProtectedRange"]["protectedRange"].get("warningOnly"):
            self.requests.remove(planned)
            info.planned_whole = None
        for protected_id, description in list(info.protected):
            if protected_id in info.whole and description.startswith(f"{PROTECTION_PREFIX}:"):
                self.requests.append({"deleteProtectedRange": {"protectedRangeId": protected_id}})
                info.protected.remove((protected_id, description))
        if self._sheet_protected(info):
            self.said.append(Words(f"แท็บ {info.title} มีผู้ป้องกันทั้งแท็บไว้แล้ว เครื่องมือจึงป้องกันเป็นช่วงเซลล์ทั้งแท็บแทน",
                              f"someone already protects the whole tab {info.title}: the tool protects the tab's "
                              "cells as a range instead"))
            return {**grid_range, "startRowIndex": 0, "endRowIndex": info.rows, "startColumnIndex": 0,
                    "endColumnIndex": info.cols}
        return grid_range

    def _grid_range(self, area: Area) -> dict[str, Any]:
        grid_range: dict[str, Any] = {"sheetId": self.sheet(area.tab).sheet_id}
        for key, value in (("startRowIndex", area.first_row and area.first_row - 1), ("endRowIndex", area.last_row),
                           ("startColumnIndex", area.first_col and area.first_col - 1),
                           ("endColumnIndex", area.last_col)):
            if value is not None:
                grid_range[key] = value
        return grid_range

    def _NumberRange(self, op: NumberRange) -> None:
        info = self.sheet(op.tab)
        self.grow(info, 1, op.col)
        self.requests.append({"setDataValidation": {
            "range": {"sheetId": info.sheet_id, "startRowIndex": 1, "endRowIndex": info.rows,
                      "startColumnIndex": op.col - 1, "endColumnIndex": op.col},
            "rule": {"condition": {"type": "NUMBER_BETWEEN", "values": [{"userEnteredValue": str(op.low)},
                                                                         {"userEnteredValue": str(op.high)}]},
                     "strict": True, "inputMessage": f"ตัวเลข {op.low}–{op.high} / a number {op.low}–{op.high}"}}})

    def _Highlights(self, op: Highlights) -> None:
        info = self.sheet(op.tab)
        for index in sorted((i for i, f in enumerate(info.rules) if CHECK_MARK in f), reverse=True):
            self.requests.append({"deleteConditionalFormatRule": {"sheetId": info.sheet_id, "index": index}})
        info.rules = [f for f in info.rules if CHECK_MARK not in f]
        reach = self.sheet(op.spans).rows if op.spans is not None and op.spans in self.meta else None
        for area, formula in op.rules:
            if reach is not None:  # the ranges end at the spanned tab's last row, inside its grid
                formula = formula.replace(f"${LAST_CHECKED_ROW}", f"${reach}")
            grid_range = self._grid_range(area)
            if "endRowIndex" in grid_range:  # within the grid, as Google requires of a range (a file has no grid)
                grid_range["endRowIndex"] = min(grid_range["endRowIndex"], info.rows)
            self.requests.append({"addConditionalFormatRule": {"index": 0, "rule": {
                "ranges": [grid_range],
                "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]},
                                "format": {"backgroundColor": colour(CHECK_COLOUR)}}}}})
            info.rules.insert(0, formula)

    def _FilterViews(self, op: FilterViews) -> None:
        for info in self.meta.values():
            for view_id, title in info.views:
                if title.startswith(op.prefix):
                    self.requests.append({"deleteFilterView": {"filterId": view_id}})
            info.views = [(i, t) for i, t in info.views if not t.startswith(op.prefix)]
        for view in op.views:
            self.requests.append({"addFilterView": {"filter": {
                "title": view.title, "range": self._grid_range(Area(view.tab)),
                "filterSpecs": [{"columnIndex": view.col - 1, "filterCriteria": {"condition": {
                    "type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": view.formula}]}}}]}}})

    def _drop_protections(self, prefix: str, sheets: Iterable[SheetMeta]) -> None:
        """Delete the protected ranges this tool made whose description starts with `prefix`; no other."""
        for info in sheets:
            for protected_id, description in info.protected:
                if description.startswith(prefix):
                    self.requests.append({"deleteProtectedRange": {"protectedRangeId": protected_id}})
            info.protected = [(i, d) for i, d in info.protected if not d.startswith(prefix)]

    def _EditRights(self, op: EditRights) -> None:
        prefix = scope_prefix(op.scope)
        self._drop_protections(prefix, self.meta.values())
        for area, editors, label in op.areas:
            info, grid_range = self.sheet(area.tab), self._grid_range(area)
            whole = covers_whole_sheet(grid_range)
            if whole:
                grid_range = self._whole_or_bounded(info, grid_range)
            request = {"addProtectedRange": {"protectedRange": {
                "range": grid_range, "warningOnly": False, "description": f"{prefix}: {label}",
                # said outright: in a Workspace domain, domain users may otherwise edit a hard range
                "editors": {"users": sorted(set(editors)), "domainUsersCanEdit": False}}}}
            self.requests.append(request)
            if whole and covers_whole_sheet(grid_range):
                info.planned_whole = request

    def _MarkCells(self, op: MarkCells) -> None:
        """Clear the last run's marks, giving each cell back the note and colour it had, then mark anew,
        keeping what each cell has (workbook/marks.py); a cell both cleared and marked gets one request."""
        info = self.sheet(op.tab)
        fields = "note,userEnteredFormat.backgroundColor"
        cells: dict[tuple[int, int], dict] = {}
        had: dict[tuple[int, int], Kept] = {}
        for (r, c), note in sorted(info.notes.items()):
            if is_mark(note):
                kept = had[(r, c)] = kept_by(note)
                cells[(r, c)] = _cell_with(kept.note, kept.fill)
        for r, c, problem in op.marks:
            self.grow(info, r, c)
            kept = had.get((r, c)) or before_marking(info.notes.get((r, c)), info.fills.get((r, c)))
            cells[(r, c)] = _cell_with(mark_note(problem, kept), MARK_COLOUR)
        for (r, c), cell in sorted(cells.items()):
            self.requests.append({"updateCells": {
                "start": {"sheetId": info.sheet_id, "rowIndex": r - 1, "columnIndex": c - 1},
                "rows": [{"values": [cell]}], "fields": fields}})
