"""The Google Sheets backend: one read, at most one guard re-read, one atomic spreadsheets.batchUpdate.

read   one spreadsheets.get with a field mask: the locale, every tab's properties, protected ranges, and each
       cell's effective value, note and number-format type.  A cell is read as the person who typed it sees it:
       a PERCENT cell holding 0.785 is 78.5 (they typed `78.5%`), a DATE cell is a date (serial numbers,
       day 0 = 1899-12-30).  What a column means is the domain's business: the backend reads cells only.
apply  when a write carries expectations (a cell staff may have typed into), one spreadsheets.getByDataFilter
       (a POST: the URL stays short whatever the number of cells) of just those cells, read by the same rules;
       cells that changed are left out and reported.  Then every operation becomes requests in one
       batchUpdate, which Google applies all or none.  Values go in as typed userEnteredValues (stringValue is
       never parsed, so `=…` stays text).  A date written into an input tab is the BE text staff would type,
       in a plain-text cell; a date in a generated tab is a real date shown with its BE year.  A body over
       2 MB is split by tab, and the result says so.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator, Sequence

from sheets_sync.domain.words import Words
from sheets_sync.backends.google.batch import (
    SheetMeta,
    _Requests,
    _split,
    covers_whole_sheet,
    hex_colour,
    surely_over_one_body,
)
from sheets_sync.backends.google.errors import RangeNotFound
from sheets_sync.backends.google.http import GoogleHttp
from sheets_sync.backends.google.staging import STAGING_PREFIX, staged_bodies
from sheets_sync.domain.cell import column_letter, percent_as_typed
from sheets_sync.domain.thai import from_serial
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.operations import (
    MARK_PREFIX,
    ApplyResult,
    MarkCells,
    Area,
    Conflict,
    DeleteTab,
    EditRights,
    FilterView,
    Grid,
    Operation,
    Protection,
    ReadScope,
    ReplaceTab,
    Value,
    WorkbookData,
    WriteCells,
    keep_headers_only,
    quote_title,
    same_value,
    trimmed,
)

READ_FIELDS = (
    "spreadsheetId,properties(title,locale,timeZone),developerMetadata(metadataId,metadataKey,metadataValue),sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount,"
    "frozenRowCount)),protectedRanges(protectedRangeId,description,range,warningOnly,editors.users),"
    "conditionalFormats(booleanRule.condition.values.userEnteredValue),filterViews(filterViewId,title,range,filterSpecs),"
    "data(rowData(values(effectiveValue,note,userEnteredFormat.backgroundColor,effectiveFormat.numberFormat.type))))"
)
# a cell's number format is asked once, as effectiveFormat: Google writes it for every cell whose format is not
# the default, a person's own format or the one computed for a formula (CellData reference); asking
# userEnteredFormat's too doubled what each pre-formatted empty cell costs a read
GUARD_FIELDS = ("sheets(properties.title,data(startRow,startColumn,"
                "rowData(values(effectiveValue,effectiveFormat.numberFormat.type))))")
MARK_FIELDS = "sheets(properties.title,data(startRow,startColumn,rowData(values(note,userEnteredFormat.backgroundColor))))"
META_FIELDS = (
    "spreadsheetId,properties.title,developerMetadata(metadataId,metadataKey,metadataValue),sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount,"
    "frozenRowCount)),protectedRanges(protectedRangeId,description,range,warningOnly,editors.users),"
    "conditionalFormats(booleanRule.condition.values.userEnteredValue),filterViews(filterViewId,title,range,filterSpecs))"
)


def grid_cells(block: dict) -> Iterator[tuple[int, int, dict]]:
    """(row, column, CellData) of one GridData block, 1-based, wherever the block starts."""
    for r, row in enumerate(block.get("rowData", []), start=block.get("startRow", 0) + 1):
        for c, cell in enumerate(row.get("values", []), start=block.get("startColumn", 0) + 1):
            yield r, c, cell


def cell_value(cell: dict) -> Value:
    """A cell's value as the person who typed it sees it: a number in a date-formatted cell is the date it
    shows (whatever its year: thai.date_cell_as_meant reads a BE year typed into it), a number in a
    percent-formatted cell is the percentage (`78.5%` is stored as 0.785 and read as 78.5), also when the format
    is the one Google gave a formula's result."""
    value = python_value(cell.get("effectiveValue"))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    kind = number_kind(cell)
    if kind in ("DATE", "DATE_TIME") and 1 <= value < 2_958_466:  # up to 31 Dec 9999
        return from_serial(value)
    if kind == "PERCENT":
        return percent_as_typed(value)
    return value


def number_kind(cell: dict) -> str | None:
    """The cell's number format type as shown: a person's own, or what Google computed for a formula (`=C2` of
    a percent cell shows a percent, and only effectiveFormat says so)."""
    kind = cell.get("effectiveFormat", {}).get("numberFormat", {}).get("type") or \
        cell.get("userEnteredFormat", {}).get("numberFormat", {}).get("type")
    return str(kind) if kind else None


def python_value(effective: dict | None) -> Value:
    if not effective:
        return None
    if "numberValue" in effective:
        number = effective["numberValue"]
        return int(number) if isinstance(number, float) and number.is_integer() else number
    if "stringValue" in effective:
        return effective["stringValue"]
    if "boolValue" in effective:
        return effective["boolValue"]
    if "errorValue" in effective:
        return "#ERROR!"
    return None


def _first_formula(rule: dict) -> str:
    values: list[dict] = rule.get("booleanRule", {}).get("condition", {}).get("values", [])
    return str(values[0].get("userEnteredValue", "")) if values else ""


def _area(title: str, grid_range: dict) -> Area:
    def one_based(key: str) -> int | None:
        return grid_range[key] + 1 if key in grid_range else None

    return Area(title, one_based("startRowIndex"), grid_range.get("endRowIndex"), one_based("startColumnIndex"),
                grid_range.get("endColumnIndex"))


def _protection(title: str, protected: dict) -> Protection:
    return Protection(protected.get("description", ""), _area(title, protected.get("range", {})),
                      tuple(sorted(u.lower() for u in protected.get("editors", {}).get("users", []))),
                      bool(protected.get("warningOnly")))


def _filter_view(title: str, view: dict) -> FilterView | None:
    """A filter view with one custom-formula condition (the only kind the tool makes); others are not ours."""
    specs = view.get("filterSpecs") or []
    if len(specs) != 1:
        return None
    values = specs[0].get("filterCriteria", {}).get("condition", {}).get("values", [])
    return FilterView(view.get("title", ""), title, specs[0].get("columnIndex", 0) + 1,
                      values[0].get("userEnteredValue", "") if values else "")


class GoogleBackend:
    def __init__(self, key: str, http: GoogleHttp) -> None:
        self.key = key
        self.http = http
        self.description = f"Google Sheet {key}"
        self.name = key
        self.folder = None
        self.meta: dict[str, SheetMeta] | None = None
        self.metadata: dict[str, tuple[int, str | None]] = {}  # developer metadata key → (id, value)
        self.every_tab_read = True  # False after a read by ranges: a write in parts first learns every tab
        self.cells_known: set[str] = set()  # tabs whose notes and colours the last read brought
        self._said: list[Words] = []  # what the last planned write has to tell the person
        self.share_with: tuple[str, ...] = ()  # a new sheet's editors to add (create_google_sheet)
        self.invited: list[str] = []  # of those, the ones Google had to e-mail an invitation (no Google account)

    @property
    def requests(self) -> int:
        return self.http.requests

    def file_mode(self) -> int | None:
        return None  # Google's sharing decides who sees it

    def request_counts(self) -> tuple[int, int, str]:
        calls = self.http.calls
        reads = sum(c.attempts for c in calls if c.kind == "read")
        writes = sum(c.attempts for c in calls if c.kind == "write")
        return reads, writes, ", ".join(f"{c.what}×{c.attempts}" for c in calls) or "-"

    @property
    def account(self) -> str | None:
        """The Google account the tool writes as.  A personal login's token file does not say, so it is asked
        of Drive once (about.get): a hard protection that does not name the tool locks the tool out."""
        identity = self.http.identity
        if identity is not None and identity.email is None and identity.kind in ("user", "application_default"):
            email = self.http.whoami()
            if email:
                self.http.identity = identity = replace(identity, email=email)
        return identity.email if identity is not None else None

    def link(self, tab: str, row: int, col: int = 1) -> str | None:
        info = (self.meta or {}).get(tab)
        return f"{self.url}#gid={info.sheet_id}&range={column_letter(col)}{row}" if info is not None else None

    @property
    def url(self) -> str:
        return f"https://docs.google.com/spreadsheets/d/{self.key}/edit"

    def exists(self) -> bool:
        return True  # a key names an existing spreadsheet; read() says so when it does not

    def _remember(self, response: dict) -> dict[str, SheetMeta]:
        meta = {}
        for sheet in response.get("sheets", []):
            props = sheet["properties"]
            grid = props.get("gridProperties", {})
            info = SheetMeta(props.get("sheetId", 0), props["title"], grid.get("rowCount", 1000),
                             grid.get("columnCount", 26), index=props.get("index", 0))
            info.protected = [(p["protectedRangeId"], p.get("description", "")) for p in sheet.get("protectedRanges", [])]
            info.whole = {p["protectedRangeId"] for p in sheet.get("protectedRanges", [])
                          if covers_whole_sheet(p.get("range", {}))}
            info.views = [(v["filterViewId"], v.get("title", "")) for v in sheet.get("filterViews", [])]
            info.rules = [_first_formula(rule) for rule in sheet.get("conditionalFormats", [])]
            meta[info.title] = info
        self.meta = meta
        self.metadata = {m.get("metadataKey", ""): (int(m["metadataId"]), m.get("metadataValue"))
                         for m in response.get("developerMetadata", []) if "metadataId" in m}
        return meta

    def read(self, scope: ReadScope | None = None) -> WorkbookData:
        """One spreadsheets.get.  With a scope it names the ranges it wants: every tab of the layout by its usual
        title, the header-only ones by their header row, so a command that writes nothing does not download the
        summaries.  A tab missing or titled otherwise makes Google refuse the ranges (400), and then everything
        is read, as without a scope.  Tabs outside the layout are not seen by such a read: a write after it that
        names one, or comes in parts, first learns every tab."""
        params = {"includeGridData": "true", "fields": READ_FIELDS}
        response = None
        if scope is not None:
            try:
                response = self.http.get_spreadsheet(self.key, {**params, "ranges": scope.ranges()})
            except RangeNotFound:
                pass
        self.every_tab_read = response is None
        if response is None:
            response = self.http.get_spreadsheet(self.key, params)
        meta = self._remember(response)
        properties = response.get("properties", {})
        data = WorkbookData(locale=properties.get("locale"), time_zone=properties.get("timeZone"),
                            dates_as_text=True, protections=[], filter_views=[],
                            marks={k: v for k, (_, v) in self.metadata.items() if k.startswith(MARK_PREFIX) and v})
        for sheet in sorted(response.get("sheets", []), key=lambda s: s["properties"].get("index", 0)):
            title = sheet["properties"]["title"]
            if title.startswith(STAGING_PREFIX):  # a failed large write's hidden leftover: the next write removes it
                continue
            data.protections += [_protection(title, p) for p in sheet.get("protectedRanges", [])]  # type: ignore[operator]
            data.filter_views += [v for v in (_filter_view(title, v) for v in sheet.get("filterViews", [])) if v]  # type: ignore[operator]
            grid = Grid(title)
            fills = meta[title].fills
            for block in sheet.get("data", []):
                for r, c, cell in grid_cells(block):
                    if not cell:  # most cells of a pre-formatted input tab: nothing to keep
                        continue
                    if cell.get("note"):
                        grid.notes[(r, c)] = cell["note"]
                    if "userEnteredFormat" in cell:
                        fill = hex_colour(cell["userEnteredFormat"].get("backgroundColor"))
                        if fill is not None:
                            fills[(r, c)] = fill
                    value = cell_value(cell) if "effectiveValue" in cell else None
                    if value is None:  # the row is padded with blanks up to the next value, and trimmed
                        continue
                    while len(grid.rows) < r:
                        grid.rows.append([])
                    row = grid.rows[r - 1]
                    row.extend([None] * (c - 1 - len(row)))
                    row.append(value)
            for row in grid.rows:
                trimmed(row)
            del grid.rows[grid.last_row:]
            meta[title].notes = dict(grid.notes)
            data.tabs[title] = grid
        headers_only = scope.header_titles(data.tabs) if scope is not None else frozenset()
        self.cells_known = {title for title in data.tabs if title not in headers_only}
        return keep_headers_only(data, scope)

    # --- apply ------------------------------------------------------------------------------------

    def apply(self, operations: Sequence[Operation]) -> ApplyResult:
        result = ApplyResult()
        if not operations:
            return result
        if any(isinstance(op, EditRights) and op.areas for op in operations) and not self.account:
            raise SheetsSyncError(
                ExitCode.AUTH,
                "บอกไม่ได้ว่าเครื่องมือเขียนในนามบัญชี Google ใด การป้องกันที่ไม่มีชื่อบัญชีนี้จะล็อกเครื่องมือเอง จึงไม่ป้องกัน "
                "โปรดใช้ข้อมูลรับรองที่ระบุอีเมลได้ (บัญชีบริการ หรือโทเค็นที่ให้สิทธิ์อ่านข้อมูลบัญชี)",
                "cannot tell which Google account the tool writes as, and a hard protection that does not name it "
                "would lock the tool out; nothing was protected: use credentials that name their account (a "
                "service account, or a user token Drive's about.get answers for)")
        if self.meta is None:
            self._learn_every_tab()
        self._learn_marks(operations)
        operations = self._guard(list(operations), result)
        at_once = self._staged(operations)
        if at_once and not self.every_tab_read:  # its hidden tabs lie outside the layout read
            self._learn_every_tab()
        try:
            bodies, note = self._planned_bodies(operations, at_once)
            unseen = len(bodies) > 1  # a write in parts makes and removes hidden tabs outside the layout
        except SheetsSyncError:  # a tab outside the layout
            if self.every_tab_read:
                raise
            unseen = True
        if unseen and not self.every_tab_read:  # which a read by ranges did not see
            self._learn_every_tab()
            bodies, note = self._planned_bodies(operations, at_once)
        if note:
            result.notes.append(note)
        result.notes += self._said
        for body in bodies:
            self.http.batch_update(self.key, {"requests": body})
        self.meta = None  # layout changed: the next apply re-reads what it needs
        result.requests = self.requests
        return result

    def _learn_every_tab(self) -> None:
        self._remember(self.http.get_spreadsheet(self.key, {"fields": META_FIELDS}))
        self.every_tab_read = True
        self.cells_known = set()

    def _learn_marks(self, operations: Sequence[Operation]) -> None:
        """The notes and colours of the tabs whose marks a write replaces, when no read brought them (apply()
        without read(), or after a write): one read of just those cells, or last run's marks would stay."""
        marked = {op.tab for op in operations if isinstance(op, MarkCells)}
        unknown = sorted((marked & set(self.meta or {})) - self.cells_known)
        if not unknown:
            return
        response = self.http.get_spreadsheet(self.key, {
            "includeGridData": "true", "ranges": [quote_title(t) for t in unknown], "fields": MARK_FIELDS})
        for sheet in response.get("sheets", []):
            info = (self.meta or {}).get(sheet["properties"]["title"])
            if info is None:
                continue
            for block in sheet.get("data", []):
                for r, c, cell in grid_cells(block):
                    if cell.get("note"):
                        info.notes[(r, c)] = cell["note"]
                    fill = hex_colour(cell.get("userEnteredFormat", {}).get("backgroundColor"))
                    if fill is not None:
                        info.fills[(r, c)] = fill
            self.cells_known.add(info.title)

    def write_requests(self, operations: Sequence[Operation]) -> int:
        """How many batchUpdate requests `operations` would take, planned from the last read; nothing is sent."""
        return len(self._planned_bodies(operations)[0]) if operations else 0

    def _planned_bodies(self, operations: Sequence[Operation], at_once: bool | None = None
                        ) -> tuple[list[list[dict]], Words | None]:
        """The batchUpdate bodies of a write, and what to tell the person when it takes more than one; `at_once`:
        whether the write surely goes through hidden tabs, when the caller knows."""
        leftovers = [DeleteTab(t) for t in (self.meta or {}) if t.startswith(STAGING_PREFIX)]  # a failed write's
        if at_once is None:
            at_once = self._staged(operations)
        operations = [*leftovers, *operations]
        if not at_once:  # else planned staged at once, not whole first only to find it too large
            bodies = self._bodies(operations)
            if len(bodies) == 1:
                return bodies, None
        if any(isinstance(op, ReplaceTab) and not op.input for op in operations):  # always so when staged at once
            staged, final, self._said = staged_bodies(self.meta or {}, operations, self.metadata)
            finals = _split(final)
            bodies = staged + finals
            if len(finals) == 1:
                return bodies, Words(
                    f"คำขอเขียนใหญ่เกิน 2 MB จึงเขียนลงแท็บซ่อน {len(staged)} ครั้ง แล้วสลับเข้าที่ในครั้งเดียว "
                    "ผู้อ่านเห็นการเปลี่ยนแปลงทั้งหมดพร้อมกัน",
                    f"the write was over 2 MB: it went into hidden tabs in {len(staged)} batchUpdates, then one "
                    "more swapped them in, so readers saw all of it change at once")
        return bodies, Words(f"คำขอเขียนใหญ่เกิน 2 MB จึงแบ่งเป็น {len(bodies)} ครั้งตามแท็บ",
                        f"the write was over 2 MB, so it was split by tab into {len(bodies)} batchUpdates")

    @staticmethod
    def _staged(operations: Sequence[Operation]) -> bool:
        """A write that surely goes through hidden tabs: tabs the tool owns, rewritten in rows too many for one
        body."""
        return (any(isinstance(op, ReplaceTab) and not op.input for op in operations)
                and surely_over_one_body(operations))

    def _bodies(self, operations: Sequence[Operation]) -> list[list[dict]]:
        planner = _Requests(self.meta or {}, self.metadata)
        for op in operations:
            planner.add(op)
        self._said = planner.said
        return _split(planner.requests)

    def _guard(self, operations: list[Operation], result: ApplyResult) -> list[Operation]:
        guarded = [op for op in operations if isinstance(op, WriteCells) and op.expect is not None]
        if not guarded:
            return operations
        current = self._cells_now(guarded)
        kept: list[Operation] = []
        for op in operations:
            if not isinstance(op, WriteCells) or op.expect is None:
                kept.append(op)
                continue
            for i, row in enumerate(op.values):
                for j, value in enumerate(row):
                    found = current.get((op.tab, op.row + i, op.col + j))
                    expected = op.expect[i][j]
                    if same_value(found, expected):
                        fmt = op.formats[i][j] if op.formats else None
                        kept.append(WriteCells(op.tab, op.row + i, op.col + j, ((value,),),
                                               formats=((fmt,),) if fmt else None))
                    else:
                        result.conflicts.append(Conflict(op.tab, op.row + i, op.col + j, expected, found))
        return kept

    def _cells_now(self, guarded: list[WriteCells]) -> dict[tuple[str, int, int], Value]:
        """The guarded cells as they are now, read by the rules `read` uses, in one POST whatever their number
        (a GET with one range per cell outgrows Google's ~8 KB URL limit at about a hundred cells)."""
        ranges = []
        for op in guarded:
            info = (self.meta or {}).get(op.tab)
            if info is None or op.row > info.rows or op.col > info.cols:
                continue  # a tab this write adds, or cells beyond the grid: blank by definition, nothing to read
            last_col = min(op.col + max(len(r) for r in op.values) - 1, info.cols)
            last_row = min(op.row + len(op.values) - 1, info.rows)
            ranges.append(f"{quote_title(op.tab)}!{column_letter(op.col)}{op.row}:{column_letter(last_col)}{last_row}")
        if not ranges:
            return {}
        response = self.http.get_by_data_filter(self.key, ranges, GUARD_FIELDS)
        cells: dict[tuple[str, int, int], Value] = {}
        for sheet in response.get("sheets", []):
            for block in sheet.get("data", []):
                for r, c, cell in grid_cells(block):
                    cells[(sheet["properties"]["title"], r, c)] = cell_value(cell)
        return cells


