"""The workbook interface every backend implements: read everything once, apply every change once.

A command reads a `WorkbookData` snapshot, plans a list of operations (plain data, no backend calls), and
hands the whole list to `Backend.apply`, which carries it out as one atomic write: one
`spreadsheets.batchUpdate` on Google, one temporary file renamed over the old one on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Protocol, Sequence, Union

from sheets_sync.domain.words import Words
from sheets_sync.domain import palette
from sheets_sync.domain.cell import Value, a1
from sheets_sync.domain.schema import ALL_TABS, WRITE_ONLY_TABS, Tab, find_title
from sheets_sync.domain.thai import to_serial

# Number-format markers: each backend spells its own.  A date the tool shows (generated tabs): a BE date cell.
# A date column staff type into: the same BE date cell on .xlsx; on Google a plain-text column, because Google
# has no Buddhist calendar and parses typed dates by the sheet's locale (README, "What staff see and type").
DATE_FORMAT = "date"
INPUT_DATE_FORMAT = "input-date"



def quote_title(title: str) -> str:
    """A tab title as it must stand in an A1 reference; Thai titles are always quoted to be safe."""
    if title.isascii() and title.replace("_", "").isalnum():
        return title
    return "'" + title.replace("'", "''") + "'"


def same_value(found: Value, expected: Value) -> bool:
    """Is a cell's current value the one a command read?  As a person means it: blank equals '', a date cell
    equals the same day (also as a Sheets serial number), 3 equals 3.0."""
    if found in (None, "") and expected in (None, ""):
        return True
    found, expected = (v.date() if isinstance(v, dt.datetime) and v.time() == dt.time(0) else v
                       for v in (found, expected))
    if isinstance(expected, dt.date) and not isinstance(found, dt.date):
        return isinstance(found, (int, float)) and not isinstance(found, bool) and int(found) == to_serial(expected)
    numbers = [v for v in (found, expected) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)]
    if len(numbers) == 2:
        return Decimal(str(found)) == Decimal(str(expected))
    return found == expected


def trimmed(row: list[Value]) -> list[Value]:
    """A row without the blank cells at its end: every backend returns rows this way."""
    while row and row[-1] in (None, ""):
        row.pop()
    return row


@dataclass(frozen=True)
class Area:
    """A block of a tab, 1-based and inclusive; None for "to the end" (a whole column, a whole row, the tab)."""

    tab: str
    first_row: int | None = None
    last_row: int | None = None
    first_col: int | None = None
    last_col: int | None = None


@dataclass(frozen=True)
class Protection:
    """A protected range as the spreadsheet holds it (Google only): for commands that keep their own up to date."""

    description: str
    area: Area
    editors: tuple[str, ...]
    warning_only: bool = False


@dataclass(frozen=True)
class FilterView:
    """A filter view that shows the rows where `formula` (a custom formula on `col`) is true."""

    title: str
    tab: str
    col: int
    formula: str


@dataclass
class Grid:
    """One tab's values as stored: rows[0] is the header row (row 1 in A1 notation)."""

    title: str
    rows: list[list[Value]] = field(default_factory=list)
    notes: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based → note text

    def cell(self, row: int, col: int) -> Value:
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    @property
    def header(self) -> list[Value]:
        return self.rows[0] if self.rows else []

    @property
    def last_row(self) -> int:
        """The last row that holds any value (blank rows at the end do not count)."""
        for index in range(len(self.rows), 0, -1):
            if any(v not in (None, "") for v in self.rows[index - 1]):
                return index
        return 0


@dataclass
class WorkbookData:
    tabs: dict[str, Grid] = field(default_factory=dict)  # in the workbook's tab order
    locale: str | None = None  # the spreadsheet's locale where the backend has one (Google), else None
    time_zone: str | None = None
    # Google keeps the dates staff type as BE text (no Buddhist calendar there), so its canonical date in an input
    # tab is the text `1 ต.ค. 2569`; on .xlsx it is a date cell
    dates_as_text: bool = False
    protections: list[Protection] | None = None  # None: the backend has no per-person protection (a file)
    filter_views: list[FilterView] | None = None
    marks: dict[str, str] = field(default_factory=dict)  # fingerprints the tool keeps in the workbook (Mark)
    headers_only: frozenset[str] = frozenset()  # titles read for their header row only (read(headers_only=…))

    def title_of(self, tab: Tab) -> str | None:
        return find_title(tab, self.tabs)

    @property
    def layout_mark(self) -> str | None:
        """The fingerprint of the layout init last laid down."""
        return self.marks.get(LAYOUT_MARK_KEY)

    def grid(self, tab: Tab) -> Grid | None:
        title = self.title_of(tab)
        return self.tabs[title] if title is not None else None


@dataclass(frozen=True)
class ReadScope:
    """What a command needs of a read: the layout's `tabs`, and of those in `headers_only` the header row alone
    (a command that writes nothing never looks below a summary's header).  A backend saves by it where a read
    costs (Google) and then says so in WorkbookData.headers_only; a file is read whole."""

    tabs: tuple[Tab, ...]
    headers_only: tuple[Tab, ...]

    def ranges(self) -> list[str]:
        """The A1 ranges a read by ranges names: each tab by its usual title, whole or its header row."""
        return [quote_title(t.th) + ("!1:1" if t in self.headers_only else "") for t in self.tabs]

    def header_titles(self, titles: Iterable[str]) -> frozenset[str]:
        """Of `titles`, those read for their header row only (by Thai name or English key)."""
        return frozenset(t for t in titles if any(tab.matches_title(t) for tab in self.headers_only))


READ_ONLY = ReadScope(ALL_TABS, WRITE_ONLY_TABS)
"""What a command that writes nothing reads: every tab, the tool's own summaries and logs by their header."""


def keep_headers_only(data: WorkbookData, scope: ReadScope | None) -> WorkbookData:
    """`data` with the cells of the scope's header-only tabs below the header row dropped, and marked so (a
    full read that stood in for a read by ranges gives the command what it asked for, no more)."""
    if scope is None:
        return data
    data.headers_only = scope.header_titles(data.tabs)
    for title in data.headers_only:
        grid = data.tabs[title]
        del grid.rows[1:]
        grid.notes = {at: note for at, note in grid.notes.items() if at[0] == 1}
    return data


# --- operations: what a command asks a backend to do, as data ------------------------------------


MARK_PREFIX = "sheets-sync "  # the names of the tool's marks: a file's custom properties, a Google Sheet's
LAYOUT_MARK_KEY = MARK_PREFIX + "layout"  # developer metadata


@dataclass(frozen=True)
class Mark:
    """Keep a fingerprint in the workbook under `key` (a name starting with MARK_PREFIX): the layout init laid
    down, so an init that finds nothing missing writes nothing (a rewrite of a large file for nothing took 76 s at
    20,000 KPIs); what build last wrote into a summary, so a build need not read the summary back."""

    key: str
    value: str


def fingerprint(operations: Sequence[Operation]) -> str:
    """What a list of operations would lay down, in 32 hex digits: equal for equal operations, run after run."""
    return hashlib.sha256(repr(list(operations)).encode("utf-8", "backslashreplace")).hexdigest()[:32]


@dataclass(frozen=True)
class AddTab:
    title: str
    index: int | None = None  # position among the tabs; None appends
    hidden: bool = False  # a tab people do not see (Google: a staging tab of a large build)


@dataclass(frozen=True)
class WriteCells:
    """Write a block of values at (row, col), 1-based.

    With `expect`, the backend re-reads each target cell just before writing and leaves alone any cell that
    no longer holds the expected value (a person typed there meanwhile); such cells come back as conflicts.
    """

    tab: str
    row: int
    col: int
    values: tuple[tuple[Value, ...], ...]
    expect: tuple[tuple[Value, ...], ...] | None = None
    formats: tuple[tuple[str | None, ...], ...] | None = None


@dataclass(frozen=True)
class ReplaceTab:
    """Rewrite a generated tab whole: clear it, write `rows` (header first), format columns, colour cells."""

    tab: str
    rows: tuple[tuple[Value, ...], ...]
    column_formats: tuple[str | None, ...] = ()
    fills: tuple[tuple[int, int, str], ...] = ()  # (row, col, "RRGGBB")
    links: tuple[tuple[int, int, str], ...] = ()  # (row, col, A1 reference inside the workbook)
    notes: tuple[tuple[int, int, str], ...] = ()  # (row, col, note text)
    input: bool = False  # a tab staff type into (copy): a backend writes its dates the way staff type them
    alignments: tuple[str, ...] = ()  # per column, as Tab.alignments
    # row spans (first, last; 1-based) the workbook already holds exactly as `rows` has them, by the content
    # mark the last write left (row_blocks): a backend may leave them untouched; writing them is never wrong
    unchanged: tuple[tuple[int, int], ...] = ()


# a content mark fingerprints a generated tab per block of rows: 10 rows, or more for a tab so long that its
# mark would pass MAX_BLOCKS blocks (18,000 characters; developer metadata is not unlimited, docs/conformance.md).
# Blocks of 20 had a 5,000-KPI nightly build (1 % retyped) send 796 KB of JSON; blocks of 10, 473 KB. A mark of
# an older block size matches no block: the first build after it writes the tab whole, once.
MIN_BLOCK_ROWS = 10
MAX_BLOCKS = 2000


def block_rows(rows: int) -> int:
    """How many rows one block of a tab of `rows` rows covers."""
    return max(MIN_BLOCK_ROWS, -(-rows // MAX_BLOCKS))


def row_blocks(op: "ReplaceTab", size: int) -> list[str]:
    """Eight hex digits per `size` rows of what `op` lays down (values, colours, links, notes, column formats):
    a block whose digits the last write's mark also has is already in the workbook, and is not sent."""
    def within(cells: tuple[tuple[int, int, str], ...]) -> dict[int, list[tuple[int, int, str]]]:
        by_block: dict[int, list[tuple[int, int, str]]] = {}
        for cell in cells:
            by_block.setdefault((cell[0] - 1) // size, []).append(cell)
        return by_block

    extras = [within(op.fills), within(op.links), within(op.notes)]
    shared = repr((op.column_formats, op.alignments, op.input))
    blocks = []
    for index, first in enumerate(range(0, len(op.rows), size)):
        text = repr((shared, op.rows[first:first + size], [sorted(e.get(index, [])) for e in extras]))
        blocks.append(hashlib.blake2b(text.encode("utf-8", "backslashreplace"), digest_size=4).hexdigest())
    return blocks


def unchanged_spans(before: list[str], after: list[str], rows: int, size: int) -> tuple[tuple[int, int], ...]:
    """The row spans whose block fingerprints are equal before and after, adjacent ones joined."""
    spans: list[tuple[int, int]] = []
    for index, (old, new) in enumerate(zip(before, after)):
        if old != new:
            continue
        first, last = index * size + 1, min((index + 1) * size, rows)
        if spans and spans[-1][1] == first - 1:
            spans[-1] = (spans[-1][0], last)
        else:
            spans.append((first, last))
    return tuple(spans)


@dataclass(frozen=True)
class StyleHeader:
    tab: str
    columns: int
    generated: bool = False


@dataclass(frozen=True)
class FreezeRows:
    tab: str
    rows: int = 1


@dataclass(frozen=True)
class ColumnWidth:
    tab: str
    col: int
    width: int
    align: str = ""  # as Tab.alignments words it: "center", "indent", "wrap", "indent wrap"


@dataclass(frozen=True)
class ColumnFormat:
    """A number format for a column's data rows (row 2 down), e.g. the BE date format."""

    tab: str
    col: int
    number_format: str


@dataclass(frozen=True)
class Dropdown:
    """A list of allowed values for a column's data rows: fixed choices, or the values of another range.

    `strict=False` shows the list but accepts other text, for columns where staff may type several
    comma-separated choices.
    """

    tab: str
    col: int
    choices: tuple[str, ...] = ()
    source_tab: str | None = None
    source_col: int | None = None
    strict: bool = True


@dataclass(frozen=True)
class NumberRange:
    """Only numbers from `low` to `high` in a column's data rows (a committee score 0–5), refused as typed."""

    tab: str
    col: int
    low: int
    high: int


LAST_CHECKED_ROW = 5000  # how far down dropdowns, column formats and live checks reach on a file; a year stays far below
CHECK_MARK = 'N("sheets-sync")=0'  # inside every highlight formula the tool writes: how it finds its own rules
CHECK_COLOUR = palette.RED  # the live checks' red, as build's below-pass colour


@dataclass(frozen=True)
class Highlights:
    """The tool's live checks on a tab: each (area, formula) colours the cells where the formula is true, as
    staff type.  Replaces the rules this tool made on the tab before (their formulas carry CHECK_MARK); rules
    people made stay.  Formulas are written relative to the area's top-left cell, as both Excel and Sheets read
    them."""

    tab: str
    rules: tuple[tuple[Area, str], ...] = ()
    # the tab whose rows the formulas' ranges (…$2:…$LAST_CHECKED_ROW) cover: a backend with a grid keeps them
    # inside that tab's rows (a range past a Google sheet's grid is not to be relied on, docs/conformance.md)
    spans: str | None = None


@dataclass(frozen=True)
class Protect:
    """Protect a whole generated tab, or only the header row of an input tab, with a warning to editors."""

    tab: str
    header_only: bool = False


def scope_prefix(scope: str) -> str:
    """How every protected range of an EditRights scope is described, so a later run finds its own."""
    return f"sheets-sync [{scope}]"


@dataclass(frozen=True)
class EditRights:
    """Hard protections the tool keeps under one `scope` (e.g. `seal 6`, `rights`): every range it made earlier
    under that scope is replaced by these — `(area, editors, label)` each, where editors are e-mail addresses and
    nobody else may edit; no areas removes them.  Ranges people made themselves are never touched.  Only Google
    can hold them: a file on disk says so in a note."""

    scope: str
    areas: tuple[tuple[Area, tuple[str, ...], str], ...] = ()


@dataclass(frozen=True)
class FilterViews:
    """The tool's filter views: every view whose title starts with `prefix` is replaced by `views`."""

    prefix: str
    views: tuple[FilterView, ...] = ()


@dataclass(frozen=True)
class SheetLocale:
    """The spreadsheet's locale and time zone (Google parses what staff type by them); a file on disk has none."""

    locale: str
    time_zone: str


@dataclass(frozen=True)
class DeleteTab:
    """Remove a tab: only ever the empty default tab of a workbook the tool has just created or filled."""

    tab: str


@dataclass(frozen=True)
class MarkCells:
    """Replace this tool's marks on a tab: clear the marks of the previous run, then put a note and a
    highlight on each (row, col).  Values are never touched."""

    tab: str
    marks: tuple[tuple[int, int, str], ...] = ()


Operation = Union[SheetLocale, DeleteTab, MarkCells, AddTab, WriteCells, ReplaceTab, StyleHeader, FreezeRows, ColumnWidth,
                  ColumnFormat, Dropdown, Protect, EditRights, NumberRange, Highlights, FilterViews, Mark]


@dataclass(frozen=True)
class Conflict:
    """A cell a command meant to write but left alone because a person changed it after the read."""

    tab: str
    row: int
    col: int
    expected: Value
    found: Value

    @property
    def cell(self) -> str:
        return a1(self.tab, self.row, self.col)


@dataclass
class ApplyResult:
    conflicts: list[Conflict] = field(default_factory=list)
    requests: int = 0
    notes: list[Words] = field(default_factory=list)  # (Thai, English) things the user should know


class Backend(Protocol):
    """What every workbook backend offers; backends/xlsx.py (a local file) and backends/google/ implement it.

    What a new backend (an .ods file, a database) must do — the known amount of work:

    - `read()` returns every tab's cells in ONE round trip as the person sees them: numbers as Decimal or int,
      dates as `datetime.date` (or, with `dates_as_text`, as the text shown), text as str, blanks as None;
      each tab's notes; the tool's marks (`Mark` values); protections and filter views where it has them.
      With a `ReadScope`, its header-only tabs may come back with their header row alone.
    - `apply()` applies the operations in ONE atomic write: all of them or none. It handles every kind in
      `Operation` (a `match` with `assert_never`, so the type checker names a missing one); a kind that means
      nothing to the medium (a locale on a file, filter views off Google) is a no-op, and one it cannot honour
      says so in `ApplyResult.notes` (e.g. a file cannot lock edits by person). A `WriteCells` with `expect`
      writes a cell only when it still holds the expected value, and reports the others as `Conflict`s —
      never overwriting what a person typed since the read. `MarkCells` clears the previous run's marks
      (workbook/marks.py) whether or not a read came first.
    - A write between two reads is seen by the second read (no stale cache), and a failed write leaves the
      workbook as it was.
    - `requests` counts calls to a remote service (0 for a file); the tests count them.
    The behaviour is pinned by the tests that run over every backend (tests/test_backends.py).
    """

    description: str

    @property
    def requests(self) -> int:  # API requests made so far (0 for a local file)
        ...

    @property
    def name(self) -> str:  # the file's stem, or the spreadsheet's key: for snapshot names
        ...

    @property
    def folder(self) -> Path | None:  # the folder a local workbook lives in; None for a Google Sheet
        ...

    @property
    def url(self) -> str | None:  # the link people open (a Google Sheet); None for a file
        ...

    @property
    def account(self) -> str | None:  # the Google account the tool writes as; None for a file
        ...

    def link(self, tab: str, row: int, col: int = 1) -> str | None:  # a link that opens at the cell (Google)
        ...

    def request_counts(self) -> tuple[int, int, str]:  # reads, writes and what they were (for --verbose)
        ...

    def file_mode(self) -> int | None:  # a local workbook's permission bits, for the files made from it
        ...

    def exists(self) -> bool: ...

    def read(self, scope: ReadScope | None = None) -> WorkbookData:
        """Every tab's cells; with a scope, of its header-only tabs perhaps only the header row (headers_only)."""
        ...

    def apply(self, operations: Sequence[Operation]) -> ApplyResult: ...


# the empty first tab a new spreadsheet comes with, in English and Thai Google / Excel / LibreOffice
DEFAULT_TAB_NAMES = ("Sheet1", "แผ่น1", "แผ่นงาน1")


def empty_default_tabs(data: WorkbookData) -> list[str]:
    return [t for t, g in data.tabs.items() if t in DEFAULT_TAB_NAMES and g.last_row == 0]
