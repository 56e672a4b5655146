"""The emulator's spreadsheets in memory, and the spreadsheets.batchUpdate request kinds, all-or-nothing."""

from __future__ import annotations

import contextlib
import contextvars
import copy
import dataclasses
import functools
import datetime as dt
import itertools
import pickle
import random
import re
import string
from dataclasses import dataclass, field
from typing import Any

from .grid import clone, col_to_index, formatted, parse_mask, plain

DEFAULT_ROWS, DEFAULT_COLS = 1000, 26
MAX_CELL_CHARS = 50_000  # Google's limits (docs/conformance.md)
MAX_CELLS = 10_000_000
MAX_TITLE = 100


class ApiError(Exception):
    STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
              500: "INTERNAL", 503: "UNAVAILABLE"}

    def __init__(self, code: int, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason  # Drive's errors[].reason, where Google gives one

    def body(self) -> dict:
        error = {"code": self.code, "message": self.message, "status": self.STATUS.get(self.code, "UNKNOWN")}
        if self.reason:
            error["errors"] = [{"domain": "global", "reason": self.reason, "message": self.message}]
        return {"error": error}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


DEFAULT_FORMAT = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {"foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10, "bold": False,
                   "italic": False, "strikethrough": False, "underline": False,
                   "foregroundColorStyle": {"rgbColor": {}}},
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}


def _rgb(hex_rgb: str) -> dict:
    """A colour as Google renders it: components of 0 are left out (black is {})."""
    parts = {name: int(hex_rgb[i:i + 2], 16) / 255 for name, i in (("red", 0), ("green", 2), ("blue", 4))}
    return {k: v for k, v in parts.items() if v}


# Google's default theme for a new spreadsheet (the palette its recorded answers show: Sheets' standard colours)
THEME = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": kind, "color": {"rgbColor": _rgb(hex_rgb)}} for kind, hex_rgb in (
        ("TEXT", "000000"), ("BACKGROUND", "FFFFFF"), ("ACCENT1", "4285F4"), ("ACCENT2", "EA4335"),
        ("ACCENT3", "FBBC04"), ("ACCENT4", "34A853"), ("ACCENT5", "FF6D01"), ("ACCENT6", "46BDC6"),
        ("LINK", "1155CC"))],
}


@dataclass
class Sheet:
    properties: dict
    cells: dict[tuple[int, int], dict] = field(default_factory=dict)
    protected: list[dict] = field(default_factory=list)
    merges: list[dict] = field(default_factory=list)
    basic_filter: dict | None = None
    columns: dict[int, dict] = field(default_factory=dict)
    rows: dict[int, dict] = field(default_factory=dict)
    groups: dict[str, list[dict]] = field(default_factory=dict)
    conditional_formats: list[dict] = field(default_factory=list)
    filter_views: list[dict] = field(default_factory=list)
    # during a batchUpdate that may be undone cell by cell: each written cell's value before the batch (None: none)
    journal: dict[tuple[int, int], dict | None] | None = field(default=None, repr=False, compare=False)

    @property
    def sheet_id(self) -> int:
        return self.properties["sheetId"]

    @property
    def title(self) -> str:
        return self.properties["title"]

    @property
    def row_count(self) -> int:
        return self.properties["gridProperties"]["rowCount"]

    @property
    def col_count(self) -> int:
        return self.properties["gridProperties"]["columnCount"]

    def used(self) -> tuple[int, int]:
        rows = max((r + 1 for (r, c), cell in self.cells.items() if cell.get("userEnteredValue")), default=0)
        cols = max((c + 1 for (r, c), cell in self.cells.items() if cell.get("userEnteredValue")), default=0)
        return rows, cols


@dataclass
class Spreadsheet:
    spreadsheet_id: str
    properties: dict
    sheets: list[Sheet]
    named_ranges: list[dict] = field(default_factory=list)
    # named ranges whose sheet was deleted: Google keeps them as #REF, and the API no longer lists or deletes
    # them (gspread #1530); kept here only so a test can see they were lost
    broken_named_ranges: list[dict] = field(default_factory=list)
    developer_metadata: list[dict] = field(default_factory=list)  # spreadsheet-level only (what the product uses)
    created: str = field(default_factory=_now)
    modified: str = field(default_factory=_now)

    def sheet(self, sheet_id: int | None = None, title: str | None = None) -> Sheet:
        for sheet in self.sheets:
            if (sheet_id is not None and sheet.sheet_id == sheet_id) or (title is not None and sheet.title == title):
                return sheet
        if title is not None:
            raise ApiError(400, f"Unable to parse range: {title}")
        raise ApiError(400, f"No grid with id: {sheet_id}")

    def reindex(self) -> None:
        self.sheets.sort(key=lambda s: s.properties["index"])
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index


def new_id(length: int = 44) -> str:
    return "".join(random.choice(string.ascii_letters + string.digits + "-_") for _ in range(length))


def new_sheet(properties: dict | None, index: int, taken: set[int]) -> Sheet:
    props = copy.deepcopy(properties or {})
    if "sheetId" not in props:
        props["sheetId"] = 0 if not taken else random.randint(1, 2**31 - 1)
    elif props["sheetId"] in taken:
        raise ApiError(400, f"Invalid requests[0].addSheet: A sheet with id {props['sheetId']} already exists.")
    props.setdefault("title", f"Sheet{len(taken) + 1}")
    props.setdefault("index", index)
    props.setdefault("sheetType", "GRID")
    grid = props.setdefault("gridProperties", {})
    grid.setdefault("rowCount", DEFAULT_ROWS)
    grid.setdefault("columnCount", DEFAULT_COLS)
    return Sheet(props)


def new_spreadsheet(title: str, spreadsheet_id: str | None = None) -> Spreadsheet:
    properties = {"title": title, "locale": "en_US", "autoRecalc": "ON_CHANGE", "timeZone": "Etc/GMT",
                  "defaultFormat": copy.deepcopy(DEFAULT_FORMAT), "spreadsheetTheme": copy.deepcopy(THEME)}
    return Spreadsheet(spreadsheet_id or new_id(), properties, [new_sheet({"title": "Sheet1"}, 0, set())])


# --- cell values -----------------------------------------------------------------------------------


def check_cell_text(ev: dict | None, where: str) -> None:
    for key in ("stringValue", "formulaValue"):
        if len((ev or {}).get(key, "")) > MAX_CELL_CHARS:
            raise ApiError(400, f"Invalid {where}: Your input contains more than the maximum of {MAX_CELL_CHARS} "
                                "characters in a single cell.")


def check_title(title: object, where: str) -> None:
    if isinstance(title, str) and len(title) > MAX_TITLE:
        raise ApiError(400, f"Invalid {where}: The sheet name must be no longer than {MAX_TITLE} characters.")


def check_cells(book: "Spreadsheet", where: str) -> None:
    total = sum(s.row_count * s.col_count for s in book.sheets)
    if total > MAX_CELLS:
        raise ApiError(400, f"Invalid {where}: This action would increase the number of cells in the workbook above "
                            f"the limit of {MAX_CELLS} cells.")


def set_value(cell: dict, ev: dict, sheet: Any = None) -> None:
    """Store a user-entered ExtendedValue.  Formulas are evaluated only in the simple shapes
    `evaluate_formula` knows (a reference, or two operands joined by + - * /); any other is left without a value,
    where Google would compute one."""
    cell.pop("effectiveFormat", None)
    if not ev:
        for key in ("userEnteredValue", "effectiveValue", "formattedValue"):
            cell.pop(key, None)
        return
    cell["userEnteredValue"] = ev
    if "formulaValue" in ev:
        cell.pop("effectiveValue", None)
        cell.pop("formattedValue", None)
        if sheet is not None:
            evaluate_formula(sheet, cell, ev["formulaValue"])
        return
    cell["effectiveValue"] = dict(ev)
    cell["formattedValue"] = formatted(plain(ev))


_OPERAND = r"\$?([A-Z]{1,3})\$?(\d+)|(\d+(?:\.\d+)?)"
_SIMPLE_FORMULA = re.compile(rf"=\s*(?:{_OPERAND})\s*(?:([-+*/])\s*(?:{_OPERAND}))?\s*")


def evaluate_formula(sheet: Any, cell: dict, formula: str) -> None:
    """`=B2`, `=B2/C2`, `=B2*100`: the value from the cells' values, and — Google's automatic format for a
    formula — the first referenced cell's number format as the cell's effectiveFormat (CellData reference:
    effectiveFormat holds "if the cell contains a formula, the computed number format"); a formula that
    reads a date or a percent shows one.  docs/conformance.md."""
    m = _SIMPLE_FORMULA.fullmatch(formula)
    if m is None:
        return

    def operand(letters: str | None, row: str | None, number: str | None) -> tuple[float | None, dict | None]:
        if number:
            return float(number), None
        source = sheet.cells.get((int(row or 0) - 1, col_to_index(letters or "A")), {})
        value = (source.get("effectiveValue") or {}).get("numberValue")
        fmt = (source.get("userEnteredFormat") or source.get("effectiveFormat") or {}).get("numberFormat")
        return value, fmt

    left, fmt = operand(m[1], m[2], m[3])
    if m[4]:
        right, _ = operand(m[5], m[6], m[7])
        if left is None or right is None or (m[4] == "/" and right == 0):
            return
        left = {"+": left + right, "-": left - right, "*": left * right, "/": left / right if right else 0}[m[4]]
    if left is None:
        return
    cell["effectiveValue"] = {"numberValue": left}
    if fmt:
        cell["effectiveFormat"] = {"numberFormat": copy.deepcopy(fmt)}


def _assign(target: dict, path: list[str], source: dict | None) -> None:
    key = path[0]
    if len(path) == 1:
        if source is not None and key in source:
            target[key] = clone(source[key])
        else:
            target.pop(key, None)
        return
    inner = target.setdefault(key, {})
    _assign(inner, path[1:], source.get(key) if isinstance(source, dict) else None)
    if not inner:
        target.pop(key, None)


def _paths(tree: dict, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    paths = []
    for key, sub in tree.items():
        paths += _paths(sub, prefix + (key,)) if sub else [list(prefix + (key,))]
    return paths


@functools.lru_cache(maxsize=256)
def _mask_paths(fields: str) -> tuple[tuple[str, ...], ...]:
    """A mask's leaf paths, parsed once per mask: a write of 50,000 cells names the same mask each time."""
    return tuple(tuple(p) for p in _paths(parse_mask(fields) or {}))


def apply_fields(target: dict, source: dict | None, fields: str, fresh: bool = False) -> None:
    """Copy the masked fields from source to target; a masked field missing from source is cleared.
    Masks are Google's: `a.b,c`, `a/b`, or `a(b,c.d)`.  `fresh`: source is this cell's own (parsed for it
    alone), so its values are taken, not copied."""
    if fields.strip() == "*":
        keys = list(source or {}) + [k for k in list(target) if k not in (source or {})]
        for key in keys:
            _assign(target, [key], source)
        return
    for path in _mask_paths(fields):
        if len(path) == 1:  # most masks name whole fields: no recursion for them
            key = path[0]
            if source is not None and key in source:
                target[key] = source[key] if fresh else clone(source[key])
            else:
                target.pop(key, None)
        else:
            _assign(target, list(path), source)


# --- hard protected ranges, enforced against the caller ------------------------------------------------------

PROTECTED_MESSAGE = ("You are trying to edit a protected cell or object. Please contact the spreadsheet owner to "
                     "remove protection if you need to edit.")
_ACTING: contextvars.ContextVar[tuple[str, bool] | None] = contextvars.ContextVar("acting", default=None)


@contextlib.contextmanager
def acting_as(email: str, owner: bool):
    """The caller of the request being served: who a hard protected range must name to let a write through.
    The spreadsheet's owner edits every range, as in Google; outside a request nothing is checked."""
    token = _ACTING.set((email.lower(), owner))
    try:
        yield
    finally:
        _ACTING.reset(token)


def may_edit(protected: dict) -> bool:
    acting = _ACTING.get()
    if acting is None or acting[1] or protected.get("warningOnly"):
        return True
    return acting[0] in {u.lower() for u in protected.get("editors", {}).get("users", [])}


def _covers(protected: dict, sheet: Sheet, row: int, col: int) -> bool:
    r1, c1, r2, c2 = _bounds(sheet, protected.get("range", {}))
    return r1 <= row < r2 and c1 <= col < c2


def check_editable(sheet: Sheet, row: int, col: int) -> None:
    """Google refuses the whole request when any cell it writes lies in a hard protected range that does not
    list the caller (400, docs/conformance.md)."""
    if not sheet.protected:
        return
    acting = _ACTING.get()
    if acting is None or acting[1]:  # outside a request, or the owner: every range is theirs to edit
        return
    for protected in sheet.protected:
        if not may_edit(protected) and _covers(protected, sheet, row, col):
            raise ApiError(400, PROTECTED_MESSAGE)


@functools.lru_cache(maxsize=256)
def _sets_value(fields: str) -> bool:
    return fields.strip() == "*" or any(path[0] == "userEnteredValue" for path in _mask_paths(fields))


_DERIVED = frozenset({"effectiveValue", "formattedValue", "effectiveFormat"})  # what a new userEnteredValue resets


@functools.lru_cache(maxsize=256)
def _emptied(fields: str) -> frozenset[str] | None:
    """The fields of a cell that writing nothing under `fields` removes; None: all of them."""
    if fields.strip() == "*":
        return None
    masked = frozenset(path[0] for path in _mask_paths(fields) if len(path) == 1)
    return masked | _DERIVED if _sets_value(fields) else masked


def _journal(sheet: Sheet, key: tuple[int, int], leaving: bool = False) -> None:
    """Keep a cell as it was before the batch, the first time the batch changes it (see _snapshot); a cell
    `leaving` the sheet whole is kept itself, uncopied."""
    journal = sheet.journal
    if journal is not None and key not in journal:
        old = sheet.cells.get(key)
        journal[key] = old if leaving or old is None else clone(old)


def write_cell(sheet: Sheet, row: int, col: int, data: dict | None, fields: str, fresh: bool = False) -> None:
    check_editable(sheet, row, col)
    if not data:
        old = sheet.cells.get((row, col))
        if old is None:  # nothing written onto nothing (a new tab's empty cells)
            return
        emptied = _emptied(fields)
        if emptied is None or old.keys() <= emptied:  # a clear: the cell goes whole
            _journal(sheet, (row, col), leaving=True)
            del sheet.cells[(row, col)]
            return
    _journal(sheet, (row, col))
    check_cell_text((data or {}).get("userEnteredValue"), "updateCells")
    cell = sheet.cells.setdefault((row, col), {})
    apply_fields(cell, data, fields, fresh)
    if _sets_value(fields):
        set_value(cell, (data or {}).get("userEnteredValue") or {}, sheet)
    user_format = cell.get("userEnteredFormat")
    if isinstance(user_format, dict):  # Google mirrors plain colours into their ColorStyle twins
        if "backgroundColor" in user_format:
            user_format["backgroundColorStyle"] = {"rgbColor": clone(user_format["backgroundColor"])}
        text = user_format.get("textFormat")
        if isinstance(text, dict) and "foregroundColor" in text:
            text["foregroundColorStyle"] = {"rgbColor": clone(text["foregroundColor"])}
    for key in [k for k, v in cell.items() if v in ("", {})]:  # an emptied note or format is no field at all
        del cell[key]
    if not cell:
        sheet.cells.pop((row, col), None)


def _bounds(sheet: Sheet, grid_range: dict) -> tuple[int, int, int, int]:
    return (grid_range.get("startRowIndex", 0), grid_range.get("startColumnIndex", 0),
            grid_range.get("endRowIndex", sheet.row_count), grid_range.get("endColumnIndex", sheet.col_count))


def _check_limits(sheet: Sheet, row: int, col: int, where: str) -> None:
    if row >= sheet.row_count:
        raise ApiError(400, f"Invalid {where}: GridCoordinate.rowIndex[{row}] is after last row in grid[{sheet.row_count - 1}]")
    if col >= sheet.col_count:
        raise ApiError(400, f"Invalid {where}: GridCoordinate.columnIndex[{col}] is after last column in grid[{sheet.col_count - 1}]")


# --- spreadsheets.batchUpdate ---------------------------------------------------------------------------


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def batch_update(book: Spreadsheet, requests: list[dict], nulls: bool = True) -> list[dict]:
    """Apply every request or none, as Google does; returns the replies.  `nulls`: the body may hold a JSON null
    (to Google, a field not set)."""
    if nulls:
        requests = _drop_nulls(requests)
    restore = _snapshot(book, requests)
    replies = []
    try:
        for index, request in enumerate(requests):
            if len(request) != 1:
                raise ApiError(400, f"Invalid requests[{index}]: exactly one kind of request is expected")
            kind, body = next(iter(request.items()))
            handler = HANDLERS.get(kind)
            if handler is None:
                raise ApiError(400, f"Invalid requests[{index}]: {kind} is not supported by the emulator")
            replies.append(handler(book, body, f"requests[{index}].{kind}") or {})
            if kind in ("addSheet", "appendDimension", "insertDimension", "updateSheetProperties"):
                check_cells(book, f"requests[{index}].{kind}")
    except BaseException:
        restore()
        raise
    finally:
        for sheet in book.sheets:
            sheet.journal = None
    book.modified = _now()
    return replies


def _sheet_ids(value: Any, found: set[int]) -> set[int]:
    """Every sheetId a request body names, wherever it names it."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sheetId" and isinstance(item, int):
                found.add(item)
            else:
                _sheet_ids(item, found)
    elif isinstance(value, list):
        for item in value:
            _sheet_ids(item, found)
    return found


def _snapshot(book: Spreadsheet, requests: list[dict]) -> Any:
    """What undoes a batchUpdate that fails part way.  Every sheet's properties, protections and the like are
    kept.  Cells: a batch of JOURNALED kinds keeps each cell as it first changes it (a staged 20,000-KPI build's
    25 writes had pickled the growing staging tab before each one: quadratic); any other batch keeps the cells of
    the sheets it names (a request writes cells only where it names the sheet, except deleteSheet, which rewrites
    formulas everywhere: every sheet holding a formula is kept too)."""
    journaled = all(len(r) == 1 and next(iter(r)) in JOURNALED for r in requests)
    named: set[int] = set()
    if not journaled:
        named = _sheet_ids(requests, set())
        if any("deleteSheet" in r for r in requests):  # it rewrites formulas that read the deleted sheet
            named |= {s.sheet_id for s in book.sheets if any("formulaValue" in (c.get("userEnteredValue") or {})
                                                             for c in s.cells.values())}
    live = list(book.sheets)
    cells = {id(s): s.cells for s in live}
    heavy = pickle.dumps({} if journaled else {id(s): s.cells for s in live if s.sheet_id in named})
    light = pickle.dumps((book.properties, book.named_ranges, book.broken_named_ranges, book.developer_metadata,
                          [(id(s), dataclasses.replace(s, cells={})) for s in live]))
    if journaled:  # each cell is kept as the batch first changes it, not every cell of every sheet it names
        for sheet in live:
            sheet.journal = {}

    def restore() -> None:
        for sheet in live:
            for key, old in (sheet.journal or {}).items():
                if old is None:
                    sheet.cells.pop(key, None)
                else:
                    sheet.cells[key] = old
        kept = pickle.loads(heavy)
        book.properties, book.named_ranges, book.broken_named_ranges, book.developer_metadata, sheets = \
            pickle.loads(light)
        for key, sheet in sheets:
            sheet.cells = kept.get(key, cells[key])
        book.sheets = [sheet for _, sheet in sheets]

    return restore


# the kinds of request that change cells only through write_cell, _copy_paste or _delete_sheet (which keep the
# journal), or change none: a batch of these alone is undone from the journal.  Any other kind (insertDimension,
# deleteDimension, sortRange, or one added later and not listed) has the named sheets' cells pickled whole.
JOURNALED = frozenset({
    "addSheet", "deleteSheet", "copyPaste", "updateSheetProperties", "updateSpreadsheetProperties", "updateCells", "repeatCell",
    "updateDimensionProperties", "appendDimension", "setDataValidation", "addProtectedRange", "deleteProtectedRange",
    "addConditionalFormatRule", "deleteConditionalFormatRule", "addFilterView", "deleteFilterView", "mergeCells",
    "unmergeCells", "setBasicFilter", "clearBasicFilter", "addNamedRange", "updateNamedRange", "deleteNamedRange",
    "addDimensionGroup", "deleteDimensionGroup", "createDeveloperMetadata", "updateDeveloperMetadata",
    "updateBorders", "autoResizeDimensions"})


def _add_sheet(book: Spreadsheet, body: dict, where: str) -> dict:
    props = body.get("properties", {})
    title = props.get("title")
    check_title(title, where)
    if title is not None and any(s.title == title for s in book.sheets):
        raise ApiError(400, f"Invalid {where}: A sheet with the name \"{title}\" already exists. "
                            "Please enter another name.")
    index = props.get("index", len(book.sheets))
    sheet = new_sheet(props, index, {s.sheet_id for s in book.sheets})
    for other in book.sheets:
        if other.properties["index"] >= index:
            other.properties["index"] += 1
    book.sheets.append(sheet)
    book.reindex()
    return {"addSheet": {"properties": copy.deepcopy(sheet.properties)}}


def _delete_sheet(book: Spreadsheet, body: dict, where: str) -> None:
    """The sheet goes, and with it what pointed at it (docs/conformance.md): a formula elsewhere that read it
    now reads `#REF!` and shows the error; a named range on it is broken beyond the API's reach."""
    sheet = book.sheet(sheet_id=body["sheetId"])
    if len(book.sheets) == 1:
        raise ApiError(400, f"Invalid {where}: You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()
    title = sheet.title
    quoted = "'" + title.replace("'", "''") + "'"
    reference = re.compile(rf"(?:{re.escape(quoted)}|{re.escape(title)})!\$?[A-Z]{{1,3}}\$?\d+(?::\$?[A-Z]{{1,3}}\$?\d+)?")
    for other in book.sheets:
        for key, cell in other.cells.items():
            formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
            if formula and reference.search(formula):
                _journal(other, key)
                cell["userEnteredValue"] = {"formulaValue": reference.sub("#REF!", formula)}
                cell["effectiveValue"] = {"errorValue": {"type": "REF", "message": "Unresolved sheet name."}}
                cell["formattedValue"] = "#REF!"
    lost = [n for n in book.named_ranges if n.get("range", {}).get("sheetId", 0) == sheet.sheet_id]
    book.named_ranges = [n for n in book.named_ranges if n not in lost]
    book.broken_named_ranges += lost


def _copy_paste(book: Spreadsheet, body: dict, where: str) -> None:
    """copyPaste: the source range's cells onto the destination's top-left corner.  PASTE_NORMAL carries values,
    formats, notes and validation; PASTE_VALUES the values; PASTE_FORMAT the formats.  An empty source cell
    empties its destination (for what the paste type carries).  The destination must be inside its grid."""
    source, destination = body["source"], body["destination"]
    paste_type = body.get("pasteType", "PASTE_NORMAL")
    if body.get("pasteOrientation", "NORMAL") != "NORMAL" or paste_type not in ("PASTE_NORMAL", "PASTE_VALUES",
                                                                                  "PASTE_FORMAT"):
        raise ApiError(400, f"Invalid {where}: the emulator pastes NORMAL / VALUES / FORMAT only")
    from_sheet = book.sheet(sheet_id=source.get("sheetId", 0))
    to_sheet = book.sheet(sheet_id=destination.get("sheetId", 0))
    r1, c1, r2, c2 = _bounds(from_sheet, source)
    r2, c2 = min(r2, from_sheet.row_count), min(c2, from_sheet.col_count)
    d1, e1 = destination.get("startRowIndex", 0), destination.get("startColumnIndex", 0)
    if d1 + (r2 - r1) > to_sheet.row_count or e1 + (c2 - c1) > to_sheet.col_count:
        raise ApiError(400, f"Invalid {where}: Range exceeds grid limits. Max rows: {to_sheet.row_count}, "
                            f"max columns: {to_sheet.col_count}")
    values = ("userEnteredValue", "effectiveValue", "formattedValue")
    formats = ("userEnteredFormat", "effectiveFormat", "textFormatRuns")
    carried = {"PASTE_NORMAL": values + formats + ("note", "dataValidation", "hyperlink"),
               "PASTE_VALUES": values, "PASTE_FORMAT": formats}[paste_type]
    copied = pickle.loads(pickle.dumps(  # a copy of each cell: pickle's C code, not clone's recursion, for large pastes
        {(r, c): from_sheet.cells.get((r, c), {}) for r in range(r1, r2) for c in range(c1, c2)
         if (r, c) in from_sheet.cells or (d1 + r - r1, e1 + c - c1) in to_sheet.cells}))
    for (r, c), cell in copied.items():
        target = (d1 + r - r1, e1 + c - c1)
        check_editable(to_sheet, *target)
        _journal(to_sheet, target)
        existing = to_sheet.cells.setdefault(target, {})
        for key in carried:
            if key in cell:
                existing[key] = cell[key]
            else:
                existing.pop(key, None)
        if not existing:
            to_sheet.cells.pop(target, None)


def _update_sheet_properties(book: Spreadsheet, body: dict, where: str) -> None:
    props = body.get("properties", {})
    sheet = book.sheet(sheet_id=props.get("sheetId", 0))
    title = props.get("title")
    check_title(title, where)
    if title and any(s.title == title and s is not sheet for s in book.sheets):
        raise ApiError(400, f"Invalid {where}: A sheet with the name \"{title}\" already exists.")
    if "fields" not in body:
        raise ApiError(400, f"Invalid {where}: At least one field must be updated, but none were specified.")
    old_index = sheet.properties["index"]
    apply_fields(sheet.properties, props, body["fields"])
    for key in [k for k, v in sheet.properties.items() if v == {}]:  # a cleared colour is no field at all
        del sheet.properties[key]
    sheet.properties["sheetId"] = sheet.sheet_id if "sheetId" in sheet.properties else props.get("sheetId", 0)
    if all(s.properties.get("hidden") for s in book.sheets):
        raise ApiError(400, f"Invalid {where}: You can't hide all the sheets in a document.")
    if sheet.properties.get("index", old_index) != old_index:
        new_index = sheet.properties["index"]
        others = [s for s in book.sheets if s is not sheet]
        others.sort(key=lambda s: s.properties["index"])
        others.insert(min(new_index, len(others)), sheet)
        for i, s in enumerate(others):
            s.properties["index"] = i
        book.reindex()


def _update_spreadsheet_properties(book: Spreadsheet, body: dict, where: str) -> None:
    apply_fields(book.properties, body.get("properties", {}), body.get("fields", "*"))


def _update_cells(book: Spreadsheet, body: dict, where: str) -> None:
    fields = body.get("fields")
    if not fields:
        raise ApiError(400, f"Invalid {where}: At least one field must be updated, but none were specified.")
    rows = body.get("rows", [])
    if "start" in body:
        start = body["start"]
        sheet = book.sheet(sheet_id=start.get("sheetId", 0))
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        for i, row in enumerate(rows):
            for j, data in enumerate(row.get("values", [])):
                _check_limits(sheet, r0 + i, c0 + j, where)
                write_cell(sheet, r0 + i, c0 + j, data, fields, fresh=True)
        return
    grid_range = body.get("range")
    if grid_range is None:
        raise ApiError(400, f"Invalid {where}: no start or range")
    sheet = book.sheet(sheet_id=grid_range.get("sheetId", 0))
    r1, c1, r2, c2 = _bounds(sheet, grid_range)
    if r2 > sheet.row_count or c2 > sheet.col_count:
        _check_limits(sheet, r2 - 1, c2 - 1, where)
    for r in range(r1, r2):
        values = rows[r - r1].get("values", []) if r - r1 < len(rows) else []
        for c in range(c1, c2):
            data = values[c - c1] if c - c1 < len(values) else None
            if data is None and (r, c) not in sheet.cells:
                continue
            write_cell(sheet, r, c, data, fields)


def _repeat_cell(book: Spreadsheet, body: dict, where: str) -> None:
    grid_range = body.get("range", {})
    sheet = book.sheet(sheet_id=grid_range.get("sheetId", 0))
    r1, c1, r2, c2 = _bounds(sheet, grid_range)
    for r in range(r1, min(r2, sheet.row_count)):
        for c in range(c1, min(c2, sheet.col_count)):
            write_cell(sheet, r, c, body.get("cell", {}), body.get("fields", "*"))


def _dimension(sheet: Sheet, dimension: str) -> dict[int, dict]:
    return sheet.rows if dimension == "ROWS" else sheet.columns


def _update_dimension_properties(book: Spreadsheet, body: dict, where: str) -> None:
    dim = body.get("range") or body.get("dataSourceSheetRange")
    sheet = book.sheet(sheet_id=dim.get("sheetId", 0))
    limit = sheet.row_count if dim["dimension"] == "ROWS" else sheet.col_count
    for i in range(dim.get("startIndex", 0), min(dim.get("endIndex", limit), limit)):
        apply_fields(_dimension(sheet, dim["dimension"]).setdefault(i, {}), body.get("properties", {}),
                     body.get("fields", "*"))


def _append_dimension(book: Spreadsheet, body: dict, where: str) -> None:
    sheet = book.sheet(sheet_id=body.get("sheetId", 0))
    key = "rowCount" if body["dimension"] == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] += body["length"]


def _shift(sheet: Sheet, dimension: str, start: int, delta: int, end: int | None = None) -> None:
    moved = {}
    for (r, c), cell in sheet.cells.items():
        pos = r if dimension == "ROWS" else c
        if delta < 0 and start <= pos < (end or start):
            continue
        if pos >= (end if delta < 0 and end is not None else start):
            pos += delta
        moved[(pos, c) if dimension == "ROWS" else (r, pos)] = cell
    sheet.cells = moved


def _insert_dimension(book: Spreadsheet, body: dict, where: str) -> None:
    dim = body["range"]
    sheet = book.sheet(sheet_id=dim.get("sheetId", 0))
    count = dim["endIndex"] - dim["startIndex"]
    _shift(sheet, dim["dimension"], dim["startIndex"], count)
    key = "rowCount" if dim["dimension"] == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] += count


def _delete_dimension(book: Spreadsheet, body: dict, where: str) -> None:
    dim = body["range"]
    sheet = book.sheet(sheet_id=dim.get("sheetId", 0))
    key = "rowCount" if dim["dimension"] == "ROWS" else "columnCount"
    end = dim.get("endIndex", sheet.properties["gridProperties"][key])
    count = end - dim.get("startIndex", 0)
    _shift(sheet, dim["dimension"], dim.get("startIndex", 0), -count, end)
    sheet.properties["gridProperties"][key] -= count


def _set_data_validation(book: Spreadsheet, body: dict, where: str) -> None:
    grid_range = body["range"]
    sheet = book.sheet(sheet_id=grid_range.get("sheetId", 0))
    r1, c1, r2, c2 = _bounds(sheet, grid_range)
    for r in range(r1, min(r2, sheet.row_count)):
        for c in range(c1, min(c2, sheet.col_count)):
            write_cell(sheet, r, c, {"dataValidation": body["rule"]} if body.get("rule") else None, "dataValidation")


_protected_ids = itertools.count(1000)


def _whole_sheet(grid_range: dict) -> bool:
    return not any(k in grid_range for k in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex"))


def _add_protected_range(book: Spreadsheet, body: dict, where: str) -> dict:
    protected = copy.deepcopy(body["protectedRange"])
    sheet = book.sheet(sheet_id=protected.get("range", {}).get("sheetId", 0))
    if _whole_sheet(protected.get("range", {})) and any(_whole_sheet(p.get("range", {})) for p in sheet.protected):
        # one protection over a whole sheet: a second is refused, and with it the whole batchUpdate
        # (docs/conformance.md: googleapis/google-api-python-client#1064)
        raise ApiError(400, f'Invalid {where}: Sheet "{sheet.properties["title"]}" already has sheet protection.')
    protected.setdefault("protectedRangeId", next(_protected_ids))
    # the emulator does not add the requester to a hard range's editors: whether Google does is not documented,
    # so a range lets through only whom it names (and the owner) — the product always names its own account
    protected["requestingUserCanEdit"] = may_edit(protected)
    protected.setdefault("editors", {})  # Google answers with editors even for a warning-only range
    sheet.protected.append(protected)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(protected)}}


def _delete_protected_range(book: Spreadsheet, body: dict, where: str) -> None:
    for sheet in book.sheets:
        for protected in sheet.protected:
            if protected["protectedRangeId"] == body["protectedRangeId"]:
                if not may_edit(protected):
                    raise ApiError(400, PROTECTED_MESSAGE)
                sheet.protected.remove(protected)
                return
    raise ApiError(400, f"Invalid {where}: No protected range with id: {body['protectedRangeId']}")


def _add_conditional_format_rule(book: Spreadsheet, body: dict, where: str) -> None:
    rule = copy.deepcopy(body["rule"])
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ApiError(400, f"Invalid {where}: rule.ranges must not be empty")
    sheet = book.sheet(sheet_id=ranges[0].get("sheetId", 0))
    for grid_range in ranges:  # conservative: a range past the grid is refused, as Google refuses other writes there
        r1, c1, r2, c2 = _bounds(sheet, grid_range)
        if r2 > sheet.row_count or c2 > sheet.col_count:
            raise ApiError(400, f"Invalid {where}: Range exceeds grid limits. Max rows: {sheet.row_count}, "
                                f"max columns: {sheet.col_count}")
    for value in rule.get("booleanRule", {}).get("condition", {}).get("values", []):
        _formula_within_grids(book, sheet, str(value.get("userEnteredValue", "")), where)
    index = body.get("index", 0)
    if not 0 <= index <= len(sheet.conditional_formats):
        raise ApiError(400, f"Invalid {where}: index {index} is out of range")
    sheet.conditional_formats.insert(index, rule)


_FORMULA_RANGE = re.compile(r"(?:'((?:[^']|'')+)'!|([^\s'!(),\"]+)!)?\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?(\d+)")


def _formula_within_grids(book: Spreadsheet, sheet: Any, formula: str, where: str) -> None:
    """Conservative (docs/conformance.md): a formula range reaching past its tab's grid is refused.  What Google
    does with one is not documented (an INDIRECT to rows that do not exist may show #REF!), so the product must
    never depend on it."""
    for quoted, bare, last in _FORMULA_RANGE.findall(formula):
        title = (quoted.replace("''", "'") if quoted else bare) or sheet.properties["title"]
        target = next((s for s in book.sheets if s.properties["title"] == title), None)
        if target is not None and int(last) > target.row_count:
            raise ApiError(400, f"Invalid {where}: the formula's range reaches row {last} of {title!r}, past its "
                                f"grid of {target.row_count} rows (the emulator's conservative rule)")


def _delete_conditional_format_rule(book: Spreadsheet, body: dict, where: str) -> dict:
    sheet = book.sheet(sheet_id=body.get("sheetId", 0))
    index = body.get("index", 0)
    if not 0 <= index < len(sheet.conditional_formats):
        raise ApiError(400, f"Invalid {where}: No conditional format on sheet {sheet.sheet_id} at index {index}")
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}


_filter_view_ids = itertools.count(2000)


def _add_filter_view(book: Spreadsheet, body: dict, where: str) -> dict:
    view = copy.deepcopy(body["filter"])
    sheet = book.sheet(sheet_id=view.get("range", {}).get("sheetId", 0))
    view.setdefault("filterViewId", next(_filter_view_ids))
    sheet.filter_views.append(view)
    return {"addFilterView": {"filter": copy.deepcopy(view)}}


def _delete_filter_view(book: Spreadsheet, body: dict, where: str) -> None:
    for sheet in book.sheets:
        for view in sheet.filter_views:
            if view["filterViewId"] == body.get("filterId"):
                sheet.filter_views.remove(view)
                return
    raise ApiError(400, f"Invalid {where}: No filter view with id: {body.get('filterId')}")


def _merge_cells(book: Spreadsheet, body: dict, where: str) -> None:
    book.sheet(sheet_id=body["range"].get("sheetId", 0)).merges.append(copy.deepcopy(body["range"]))


def _unmerge_cells(book: Spreadsheet, body: dict, where: str) -> None:
    sheet = book.sheet(sheet_id=body["range"].get("sheetId", 0))
    r1, c1, r2, c2 = _bounds(sheet, body["range"])
    sheet.merges = [m for m in sheet.merges if not (r1 <= m.get("startRowIndex", 0) and m.get("endRowIndex", 0) <= r2
                                                   and c1 <= m.get("startColumnIndex", 0) and m.get("endColumnIndex", 0) <= c2)]


def _sort_range(book: Spreadsheet, body: dict, where: str) -> None:
    sheet = book.sheet(sheet_id=body["range"].get("sheetId", 0))
    r1, c1, r2, c2 = _bounds(sheet, body["range"])
    rows = [{c: sheet.cells.pop((r, c)) for c in range(c1, c2) if (r, c) in sheet.cells} for r in range(r1, r2)]
    for spec in reversed(body.get("sortSpecs", [])):
        col = spec.get("dimensionIndex", 0)
        rows.sort(key=lambda row: (row.get(col) is None, str(plain(row.get(col, {}).get("effectiveValue")) or "")),
                  reverse=spec.get("sortOrder") == "DESCENDING")
    for i, row in enumerate(rows):
        for c, cell in row.items():
            sheet.cells[(r1 + i, c)] = cell


def _set_basic_filter(book: Spreadsheet, body: dict, where: str) -> None:
    flt = body["filter"]
    book.sheet(sheet_id=flt["range"].get("sheetId", 0)).basic_filter = copy.deepcopy(flt)


def _clear_basic_filter(book: Spreadsheet, body: dict, where: str) -> None:
    book.sheet(sheet_id=body.get("sheetId", 0)).basic_filter = None


def _add_named_range(book: Spreadsheet, body: dict, where: str) -> dict:
    named = copy.deepcopy(body["namedRange"])
    named.setdefault("namedRangeId", new_id(12))
    book.named_ranges.append(named)
    return {"addNamedRange": {"namedRange": copy.deepcopy(named)}}


def _update_named_range(book: Spreadsheet, body: dict, where: str) -> None:
    for named in book.named_ranges:
        if named["namedRangeId"] == body["namedRange"]["namedRangeId"]:
            apply_fields(named, body["namedRange"], body.get("fields", "*"))
            return
    raise ApiError(400, f"Invalid {where}: no such named range")


def _delete_named_range(book: Spreadsheet, body: dict, where: str) -> None:
    book.named_ranges = [n for n in book.named_ranges if n["namedRangeId"] != body["namedRangeId"]]


def _dimension_group(book: Spreadsheet, body: dict, where: str, add: bool) -> dict:
    dim = body["range"]
    sheet = book.sheet(sheet_id=dim.get("sheetId", 0))
    groups = sheet.groups.setdefault(dim["dimension"], [])
    if add:
        groups.append({"range": copy.deepcopy(dim), "depth": 1})
    else:
        groups[:] = [g for g in groups if g["range"] != dim]
    return {("addDimensionGroup" if add else "deleteDimensionGroup"): {"dimensionGroups": copy.deepcopy(groups)}}


def _create_developer_metadata(book: Spreadsheet, body: dict, where: str) -> dict:
    metadata = copy.deepcopy(body.get("developerMetadata", {}))
    if not metadata.get("visibility"):  # the reference: "Developer metadata must always have a visibility specified"
        raise ApiError(400, f"Invalid {where}: developer metadata must always have a visibility specified")
    if metadata.get("location", {}).get("spreadsheet") is not True:
        raise ApiError(400, f"Invalid {where}: the emulator keeps spreadsheet-level metadata only")
    taken = {m["metadataId"] for m in book.developer_metadata}
    metadata_id = random.randint(1, 2**31 - 1)
    while metadata_id in taken:
        metadata_id = random.randint(1, 2**31 - 1)
    metadata["metadataId"] = metadata_id
    metadata["location"] = {"locationType": "SPREADSHEET", "spreadsheet": True}
    book.developer_metadata.append(metadata)
    return {"createDeveloperMetadata": {"developerMetadata": copy.deepcopy(metadata)}}


def _update_developer_metadata(book: Spreadsheet, body: dict, where: str) -> dict:
    wanted = {f.get("developerMetadataLookup", {}).get("metadataId") for f in body.get("dataFilters", [])}
    if not body.get("fields"):
        raise ApiError(400, f"Invalid {where}: At least one field must be updated, but none were specified.")
    changed = []
    for metadata in book.developer_metadata:
        if metadata["metadataId"] in wanted:
            apply_fields(metadata, body.get("developerMetadata", {}), body["fields"])
            changed.append(copy.deepcopy(metadata))
    return {"updateDeveloperMetadata": {"developerMetadata": changed}}


def _nothing(book: Spreadsheet, body: dict, where: str) -> None:
    return None


HANDLERS = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "copyPaste": _copy_paste,
    "updateSheetProperties": _update_sheet_properties,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "updateCells": _update_cells,
    "repeatCell": _repeat_cell,
    "updateDimensionProperties": _update_dimension_properties,
    "appendDimension": _append_dimension,
    "insertDimension": _insert_dimension,
    "deleteDimension": _delete_dimension,
    "setDataValidation": _set_data_validation,
    "addProtectedRange": _add_protected_range,
    "deleteProtectedRange": _delete_protected_range,
    "addConditionalFormatRule": _add_conditional_format_rule,
    "deleteConditionalFormatRule": _delete_conditional_format_rule,
    "addFilterView": _add_filter_view,
    "deleteFilterView": _delete_filter_view,
    "mergeCells": _merge_cells,
    "unmergeCells": _unmerge_cells,
    "sortRange": _sort_range,
    "setBasicFilter": _set_basic_filter,
    "clearBasicFilter": _clear_basic_filter,
    "addNamedRange": _add_named_range,
    "updateNamedRange": _update_named_range,
    "deleteNamedRange": _delete_named_range,
    "addDimensionGroup": lambda b, body, w: _dimension_group(b, body, w, True),
    "deleteDimensionGroup": lambda b, body, w: _dimension_group(b, body, w, False),
    "createDeveloperMetadata": _create_developer_metadata,
    "updateDeveloperMetadata": _update_developer_metadata,
    "updateBorders": _nothing,
    "autoResizeDimensions": _nothing,
}
