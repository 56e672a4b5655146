"""The local backend: an .xlsx workbook on disk, read and written with openpyxl.

`read` opens the file read-only (values as a person sees them).  `apply` opens it afresh, so edits saved by
someone else since the read are kept, carries out every operation, and saves to a temporary file beside
the workbook that then replaces it in one rename: a crash leaves either the old file or the new one.  A write
that changes only some generated tabs opens and rewrites only those (xlsx_changed_tabs).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import os
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import IO, Any, Callable, Sequence, assert_never
from xml.etree import ElementTree

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.domain.words import Words
from sheets_sync.domain import palette
from sheets_sync.backends.xlsx_changed_tabs import NotInPlace, changed_tabs, check_in_place, load_tabs, write_in_place
from sheets_sync.backends.xlsx_parts import (
    SheetScan,
    TooLarge,
    custom_properties,
    scan_sheets,
)
from sheets_sync.domain.cell import column_letter, percent_as_typed, xml_text
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.marks import (
    MARK_COLOUR,
    Kept,
    before_marking,
    kept_by,
    mark_note,
)
from sheets_sync.workbook.operations import (
    CHECK_COLOUR,
    CHECK_MARK,
    DATE_FORMAT,
    INPUT_DATE_FORMAT,
    LAST_CHECKED_ROW,
    MARK_PREFIX,
    AddTab,
    ApplyResult,
    ColumnFormat,
    ColumnWidth,
    Conflict,
    DeleteTab,
    Dropdown,
    EditRights,
    FilterViews,
    FreezeRows,
    Grid,
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
    WorkbookData,
    ReadScope,
    WriteCells,
    quote_title,
    same_value,
    trimmed,
)

# Thai locale (041E) with the Buddhist calendar (07): Excel and LibreOffice both show `1 ต.ค. 2569`.
XLSX_DATE_FORMAT = "[$-107041E]d mmm yyyy"
LAST_ROW = LAST_CHECKED_ROW

MARK_AUTHOR = "sheets-sync"  # notes with this author are the tool's own, cleared on the next validate --write

HEADER_FILL = {False: palette.BLUE, True: palette.GREY}  # input tabs blue-grey, generated tabs grey
THAI_FONT = "TH Sarabun New"  # as Thai government documents use; LibreOffice falls back to a Thai font it has
THAI_BODY_FONT = Font(name=THAI_FONT, size=14)
PAGE_WIDTH_CHARS = 150  # column-width characters that print readably across one landscape A4 page


def _excel_format(number_format: str | None) -> str | None:
    return XLSX_DATE_FORMAT if number_format in (DATE_FORMAT, INPUT_DATE_FORMAT) else number_format


class _CalamineUnavailable(Exception):
    pass


def _from_calamine(value: object) -> Value:
    """calamine gives every number as a float and a blank as ''; openpyxl gives 3 for 3 and None for blank."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, (str, int, float, dt.date, bool)):  # dt.datetime is a dt.date
        return _as_read(value)
    return str(value)  # a time of day or a duration: kept as the text it shows


def _as_read(value: Value) -> Value:
    """Date cells come back as dates, as from every backend; a time of day is kept only where there is one."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


# points a line of 14 pt Thai takes as LibreOffice prints it with TH Sarabun New's stand-in (fonts-thai-tlwg's
# Laksaman): 19 let a three-line step's text spill over the row above (seen on the printed page)
LINE_HEIGHT = 24
THAI_PER_WIDTH = 1.2  # Thai letters of 14 pt TH Sarabun New per unit of column width (a digit's width), as printed


def _fit_row_heights(ws: Worksheet, op: ReplaceTab) -> None:
    """Rows tall enough for their wrapped text. LibreOffice keeps a file's rows one line high when it opens it,
    and prints them so, which hides every line after the first; so a row whose text wraps gets its height here,
    estimated from the characters that take width (Thai vowels and tone marks above or below take none)."""
    wrapped = [c for c, align in enumerate(op.alignments) if "wrap" in align.split()]
    widths = [ws.column_dimensions[column_letter(c + 1)].width or 13 for c in range(len(op.alignments))]
    for r, values in enumerate(op.rows, start=1):
        columns = range(len(widths)) if r == 1 else wrapped  # every header wraps (StyleHeader)
        lines = max((_lines(values[c], widths[c]) for c in columns if c < len(values)), default=1)
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines


def _width(ws: Worksheet, col: int) -> float:
    return ws.column_dimensions[column_letter(col)].width or 13


def _fit_rows_written(wb: openpyxl.Workbook, operations: Sequence[Operation]) -> None:
    """After every operation (a column's wrap is often laid down after the cells are written, as by init)."""
    for op in operations:
        if isinstance(op, WriteCells) and op.tab in wb.sheetnames:
            _fit_written_rows(wb[op.tab], op)


def _fit_written_rows(ws: Worksheet, op: WriteCells) -> None:
    """Rows the tool wrote into a staff tab (init's standard steps, fix, restore) tall enough for text that
    wraps in its column, as LibreOffice does not grow a row itself when it opens the file."""
    wraps: dict[int, float | None] = {}
    for i, row_values in enumerate(op.values):
        lines = 1
        for j, value in enumerate(row_values):
            col = op.col + j
            if col not in wraps:
                dimension = ws.column_dimensions.get(column_letter(col))
                wraps[col] = _width(ws, col) if dimension is not None and dimension.alignment is not None \
                    and dimension.alignment.wrap_text else None
            if wraps[col] is not None:
                lines = max(lines, _lines(value, wraps[col]))  # type: ignore[arg-type]
        r = op.row + i
        if lines > 1 and (ws.row_dimensions[r].height or 0) < LINE_HEIGHT * lines:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines


def _lines(value: Value, width: float) -> int:
    if not isinstance(value, str):
        return 1
    return sum(max(1, math.ceil(sum(1 for ch in line if not unicodedata.combining(ch) and ch not in THAI_ABOVE_BELOW)
                                / max(width * THAI_PER_WIDTH, 1))) for line in value.split("\n"))


THAI_ABOVE_BELOW = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


def _as_its_column(ws: Worksheet, row: int, col: int) -> None:
    """A cell the tool writes into a staff tab looks like one typed there: the column's alignment (init set it)."""
    dimension = ws.column_dimensions.get(column_letter(col))
    if dimension is not None and dimension.alignment is not None and row > 1:
        ws.cell(row=row, column=col).alignment = copy.copy(dimension.alignment)  # a proxy: its value, unbound


def _thai_default_font(workbook: openpyxl.Workbook) -> None:
    """Every cell without a font of its own (generated tabs, what staff typed before init styled the columns)
    draws in a font with Thai in it: the file's default font is the first of its fonts, Calibri unless changed,
    and openpyxl offers no public setter for it."""
    fonts = workbook._fonts  # noqa: SLF001
    if fonts[0] != THAI_BODY_FONT:
        list.__setitem__(fonts, 0, THAI_BODY_FONT)
        fonts.clean = False  # its value → index map is rebuilt on the next lookup


@functools.cache
def _aligned(words: str) -> Alignment:
    """An openpyxl Alignment for Tab.alignments' words."""
    # vertical stays the file's default (bottom) for every cell, so in a row made taller for a wrapped name the
    # numbers and the name's last line share a baseline
    return Alignment(horizontal="center" if "center" in words else "left" if "indent" in words else None,
                     indent=int("indent" in words), wrap_text="wrap" in words.split())


def _store(ws: Worksheet, row: int, col: int, value: Value, number_format: str | None = None) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if isinstance(value, str):
        value = xml_text(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text, never evaluated
    if isinstance(value, dt.date) and number_format is None:
        number_format = DATE_FORMAT
    if number_format:
        cell.number_format = _excel_format(number_format)


FILE_CANNOT_LOCK = Words("ไฟล์ .xlsx ล็อกแถวให้แก้ได้เฉพาะบางคนไม่ได้ การป้องกันรายแถวและรายบุคคลมีผลเฉพาะบน Google Sheets",
                    "a .xlsx file cannot lock rows per person; row and per-person protection work on Google Sheets only")


def existing_cells(ws: Worksheet) -> list[Any]:
    """The cells the tab holds, without making the empty ones in between: `iter_rows()` creates every cell up to
    the last formatted row (a fill on row 1,048,576 made validate --write build 13 million cells, 4 GB)."""
    return list(ws._cells.values())  # openpyxl has no public view of the cells that exist


class XlsxBackend:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._scanned: tuple[tuple[int, int], dict[str, SheetScan]] | None = None
        self.description = str(self.path)
        self.requests = 0
        self.name = self.path.stem
        self.folder: Path | None = self.path.parent
        self.url: str | None = None
        self.account: str | None = None  # a file has no account: whoever can write the file can write any cell
        self.loaded_as: tuple[int, int] | None = None  # (size, mtime) of the file as the write loaded it

    def link(self, tab: str, row: int, col: int = 1) -> str | None:
        return None  # a file has no address that opens at a cell for everyone

    def _fingerprint(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def _refuse_if_saved_meanwhile(self) -> None:
        """A save by Excel or LibreOffice (or another command) while this write ran — after it loaded the file,
        before its copy replaces it: renaming would throw that save away, so nothing is written.  (A save before
        the write loads the file is kept by the write itself: it starts from the file as it is, and every cell
        it writes into a staff range is guarded.)"""
        if self.loaded_as is not None and self._fingerprint() != self.loaded_as:
            raise SheetsSyncError(
                ExitCode.LOCKED,
                f"มีผู้บันทึก {self.path.name} ระหว่างที่คำสั่งทำงาน จึงไม่ได้เขียนอะไร (งานที่เขาบันทึกยังอยู่ครบ) "
                "โปรดสั่งคำสั่งเดิมอีกครั้ง",
                f"{self.path.name} was saved by someone while the command ran, so nothing was written (their save "
                "is kept); run the command again",
            )

    def editor_lock_files(self) -> list[Path]:
        """The lock files Excel (`~$name.xlsx`) and LibreOffice (`.~lock.name.xlsx#`) keep beside an open file."""
        candidates = (self.path.with_name("~$" + self.path.name[2:] if len(self.path.name) > 2 else "~$"),
                      self.path.with_name("~$" + self.path.name),
                      self.path.with_name(f".~lock.{self.path.name}#"))
        return [p for p in dict.fromkeys(candidates) if p.exists()]

    def request_counts(self) -> tuple[int, int, str]:
        return 0, 0, "-"

    def file_mode(self) -> int | None:
        try:
            return self.path.stat().st_mode & 0o777
        except FileNotFoundError:
            return None

    def exists(self) -> bool:
        return self.path.is_file()

    def _load(self, **kw: bool) -> openpyxl.Workbook:
        self._scan()
        try:
            return openpyxl.load_workbook(self.path, **kw)
        except FileNotFoundError as exc:
            raise SheetsSyncError(
                ExitCode.NOT_FOUND,
                f"ไม่พบไฟล์สมุดงาน {self.path} (สร้างได้ด้วย sheets-sync init)",
                f"workbook file not found: {self.path} (create it with `sheets-sync init`)",
            ) from exc
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise SheetsSyncError(
                ExitCode.NOT_FOUND,
                f"เปิดไฟล์ {self.path} ไม่ได้: ไม่ใช่ไฟล์ .xlsx ที่ถูกต้อง ({exc})",
                f"cannot open {self.path}: not a valid .xlsx workbook ({exc})",
            ) from exc

    def read(self, scope: ReadScope | None = None) -> WorkbookData:
        """Every tab's values as a person sees them (formulas as their last computed value).  A file is read
        whole whatever the scope: its summaries cost no quota to read, and build then compares them cell by cell.

        python-calamine parses the file several times faster than openpyxl (docs/benchmarks.md); openpyxl
        reads when calamine is missing or cannot, and says precisely why a broken file cannot be opened.
        """
        scans = self._scan()
        try:
            data = self._read_calamine()
        except _CalamineUnavailable:
            data = self._read_openpyxl()
        else:
            _add_what_calamine_does_not_read(data, scans)
        data.marks = custom_properties(self.path, MARK_PREFIX)
        return data

    def _scan(self) -> dict[str, SheetScan]:
        """The tabs' extent and value-less formulas, before anything is loaded: a tab beyond the bounds is
        refused (exit 5) rather than allocated until the process aborts. A read followed by a write scans the
        file once: the scan is kept while the file's size and modification time stay the same."""
        fingerprint = self._fingerprint()
        if fingerprint is not None and self._scanned is not None and self._scanned[0] == fingerprint:
            return self._scanned[1]
        try:
            scans = scan_sheets(self.path)
            self._scanned = (fingerprint, scans) if fingerprint is not None else None
            return scans
        except TooLarge as exc:
            raise SheetsSyncError(ExitCode.NOT_FOUND, f"ไม่เปิด {self.path.name}: {exc.th}",
                                  f"not opening {self.path.name}: {exc.en}") from None
        except (zipfile.BadZipFile, ElementTree.ParseError, OSError, KeyError):
            return {}  # not a readable package: the reader below says precisely why

    def _read_calamine(self) -> WorkbookData:
        try:
            from python_calamine import CalamineWorkbook
        except ImportError as exc:
            raise _CalamineUnavailable() from exc
        if not self.path.is_file():
            raise _CalamineUnavailable()
        try:
            book = CalamineWorkbook.from_path(str(self.path))
            data = WorkbookData()
            for name in book.sheet_names:
                # skip_empty_area=False keeps every cell in its own column even when A1 is blank
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                grid = Grid(name, [trimmed([_from_calamine(v) for v in row]) for row in rows])
                del grid.rows[grid.last_row:]
                data.tabs[name] = grid
            return data
        except Exception as exc:  # noqa: BLE001 - calamine's own error types vary by version
            raise _CalamineUnavailable() from exc

    def _read_openpyxl(self) -> WorkbookData:
        wb = self._load(data_only=True)  # not read-only: read-only mode does not load comments
        try:
            data = WorkbookData()
            for ws in wb.worksheets:
                rows = [trimmed([_as_read(c.value if "%" not in str(c.number_format) or isinstance(c.value, bool)
                                          or not isinstance(c.value, (int, float)) else percent_as_typed(c.value))
                                 for c in r]) for r in ws.iter_rows()]
                grid = Grid(ws.title, rows)
                grid.notes = {(c.row, c.column): c.comment.text for c in existing_cells(ws) if c.comment is not None}
                del grid.rows[grid.last_row:]
                data.tabs[ws.title] = grid
            return data
        finally:
            wb.close()

    def apply(self, operations: Sequence[Operation]) -> ApplyResult:
        result = ApplyResult()
        if not operations:
            return result
        fresh = not self.exists()
        if self.path.suffix.lower() == ".xlsm":
            raise SheetsSyncError(
                ExitCode.NOT_AVAILABLE,
                f"sheets-sync ไม่เขียนสมุดงานที่มีแมโคร ({self.path.name}) เพราะแมโครจะหายเมื่อบันทึก "
                "โปรดบันทึกสำเนาเป็น .xlsx แล้วใช้สำเนานั้น (อ่านอย่างเดียวใช้ไฟล์ .xlsm ได้)",
                f"sheets-sync does not write macro workbooks ({self.path.name}): saving would drop the macros; save "
                "a copy as .xlsx and use that (read-only commands work on the .xlsm)")
        self.loaded_as = self._fingerprint()
        tabs = None if fresh else changed_tabs(operations)
        written = self._apply_to_tabs(operations, tabs, result) if tabs else None
        if written is None:
            written = self._apply_to_workbook(operations, fresh, result)
        self.loaded_as = None
        for lock in self.editor_lock_files() if written else []:
            result.notes.append(Words(
                f"{self.path.name} เปิดอยู่ในโปรแกรมอื่น ({lock.name}) สิ่งที่เขียนอยู่ในไฟล์แล้ว แต่ถ้าผู้ที่เปิดอยู่กดบันทึก "
                "สำเนาในเครื่องของเขาจะทับ โปรดให้ปิดแล้วเปิดไฟล์ใหม่",
                f"{self.path.name} is open in an editor ({lock.name}): what was written is in the file, but if that "
                "person saves, their copy replaces it; ask them to close and reopen the file"))
        return result

    def _apply_to_workbook(self, operations: Sequence[Operation], fresh: bool, result: ApplyResult) -> bool:
        """Load the whole workbook, carry out every operation, save it whole; False when nothing changed."""
        wb = openpyxl.Workbook() if fresh else self._load()
        placeholder = wb.active if fresh else None
        for op in operations:
            self._apply_one(wb, op, result)
        _fit_rows_written(wb, operations)
        if placeholder is not None and len(wb.worksheets) > 1:
            wb.remove(placeholder)
        return self._save_atomically(wb.save)

    def _apply_to_tabs(self, operations: Sequence[Operation], tabs: set[str], result: ApplyResult) -> bool | None:
        """Load and rewrite only the tabs the operations change (xlsx_changed_tabs); None when this write
        cannot be done so, and the whole workbook is written instead."""
        self._scan()
        try:
            package = self.path.read_bytes()
            check_in_place(package, tabs, operations)
            wb = load_tabs(package, tabs)
        except (NotInPlace, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, OSError):
            return None  # the whole-workbook path opens the file again and says precisely what is wrong
        attempt = ApplyResult()
        for op in operations:
            self._apply_one(wb, op, attempt)
        _fit_rows_written(wb, operations)
        try:
            written = self._save_atomically(lambda handle: write_in_place(package, wb, tabs, handle))
        except NotInPlace:
            return None
        result.conflicts += attempt.conflicts
        result.notes += attempt.notes
        return written

    def _apply_one(self, wb: openpyxl.Workbook, op: Operation, result: ApplyResult) -> None:
        """One operation on the open workbook: every kind is named here, and mypy checks none is missing."""
        match op:
            case SheetLocale():
                pass  # a file has no locale: Excel and LibreOffice parse typing by the computer's own settings
            case FilterViews():
                pass  # a Google feature; `protect`, which makes them, runs on Google only
            case AddTab():
                if op.title not in wb.sheetnames:
                    wb.create_sheet(op.title, op.index)
            case DeleteTab():
                if op.tab in wb.sheetnames and len(wb.sheetnames) > 1:
                    wb.remove(wb[op.tab])
            case Mark():
                kept = [p for p in wb.custom_doc_props.props if p.name != op.key]
                wb.custom_doc_props.props = [*kept, StringProperty(name=op.key, value=op.value)]
            case EditRights():
                if op.areas and FILE_CANNOT_LOCK not in result.notes:
                    result.notes.append(FILE_CANNOT_LOCK)
            case WriteCells():
                _write_cells(wb[op.tab], op, result)
            case ReplaceTab():
                _replace_tab(wb, wb[op.tab], op)
            case MarkCells():
                self._mark(wb[op.tab], op)
            case StyleHeader():
                _style_header(wb[op.tab], op)
            case FreezeRows():
                wb[op.tab].freeze_panes = f"A{op.rows + 1}"
            case ColumnWidth():
                dimension = wb[op.tab].column_dimensions[column_letter(op.col)]
                dimension.width = op.width
                if op.align:  # for what staff type later; the cells written now get theirs with their values
                    dimension.alignment = _aligned(op.align)
            case ColumnFormat():
                _column_format(wb[op.tab], op)
            case Dropdown():
                self._dropdown(wb[op.tab], op)
            case NumberRange():
                self._number_range(wb[op.tab], op)
            case Highlights():
                self._highlights(wb[op.tab], op)
            case Protect():
                if not op.header_only:
                    # Without a password: Excel and LibreOffice refuse edits and say why, and a coordinator
                    # who must can still unprotect.  openpyxl cannot protect only a header row without locking
                    # every typed cell too, so input tabs' headers are protected on Google only.
                    wb[op.tab].protection.sheet = True
            case _:
                assert_never(op)

    @staticmethod
    def _mark(ws: Worksheet, op: MarkCells) -> None:
        """Clear the last run's marks, giving each cell back the note and colour it had, then mark anew,
        keeping what each cell has (workbook/marks.py)."""
        had: dict[tuple[int, int], Kept] = {}
        for cell in existing_cells(ws):
            if cell.comment is not None and cell.comment.author == MARK_AUTHOR:
                kept = kept_by(cell.comment.text)
                had[(cell.row, cell.column)] = kept
                cell.comment = Comment(kept.note, kept.author or "") if kept.note else None
                cell.fill = PatternFill("solid", fgColor=kept.fill) if kept.fill else PatternFill(fill_type=None)
        for r, c, note in op.marks:
            cell = ws.cell(row=r, column=c)
            if isinstance(cell, MergedCell):  # a note lives on a merged block's top-left cell
                block = next((m for m in ws.merged_cells.ranges if cell.coordinate in m), None)
                if block is None:
                    continue
                r, c = block.min_row, block.min_col
                cell = ws.cell(row=r, column=c)
            kept = had.get((r, c)) or before_marking(
                cell.comment.text if cell.comment is not None else None, _solid_fill(cell),
                cell.comment.author if cell.comment is not None else None)
            comment = Comment(mark_note(note, kept), MARK_AUTHOR)
            comment.width, comment.height = 320, 120
            cell.comment = comment
            cell.fill = PatternFill("solid", fgColor=MARK_COLOUR)

    @staticmethod
    def _dropdown(ws: Worksheet, op: Dropdown) -> None:
        letter = column_letter(op.col)
        sqref = f"{letter}2:{letter}{LAST_ROW}"
        if op.source_tab is not None and op.source_col is not None:
            src = column_letter(op.source_col)
            formula = f"{quote_title(op.source_tab)}!${src}$2:${src}${LAST_ROW}"
        else:
            formula = '"' + ",".join(op.choices) + '"'
        kept = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref) != sqref]
        ws.data_validations.dataValidation = kept
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
        dv.showErrorMessage = True
        dv.errorStyle = "stop" if op.strict else "information"
        dv.errorTitle = "ค่าไม่อยู่ในรายการ / Not in the list"
        dv.error = "โปรดเลือกจากรายการ / Please pick a value from the list."
        dv.add(sqref)
        ws.add_data_validation(dv)

    @staticmethod
    def _number_range(ws: Worksheet, op: NumberRange) -> None:
        letter = column_letter(op.col)
        sqref = f"{letter}2:{letter}{LAST_ROW}"
        ws.data_validations.dataValidation = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref) != sqref]
        dv = DataValidation(type="decimal", operator="between", formula1=str(op.low), formula2=str(op.high),
                            allow_blank=True)
        dv.showErrorMessage = True
        dv.errorTitle = "ค่านอกช่วง / Out of range"
        dv.error = f"โปรดพิมพ์ตัวเลข {op.low}–{op.high} / Please type a number from {op.low} to {op.high}."
        dv.add(sqref)
        ws.add_data_validation(dv)

    @staticmethod
    def _highlights(ws: Worksheet, op: Highlights) -> None:
        """The tool's rules replaced, people's own kept: openpyxl keeps rules by range, so the list is rebuilt."""
        kept = [(cf.sqref, rule) for cf in ws.conditional_formatting for rule in cf.rules
                if not any(CHECK_MARK in f for f in (rule.formula or []))]
        ws.conditional_formatting = ConditionalFormattingList()
        for sqref, rule in kept:
            ws.conditional_formatting.add(str(sqref), rule)
        fill = PatternFill("solid", bgColor=CHECK_COLOUR)
        for area, formula in op.rules:
            ref = (f"{column_letter(area.first_col or 1)}{area.first_row or 1}:"
                   f"{column_letter(area.last_col or area.first_col or 1)}{area.last_row or LAST_ROW}")
            ws.conditional_formatting.add(ref, FormulaRule(formula=[formula.removeprefix("=")], fill=fill))

    def _save_atomically(self, write: Callable[[IO[bytes]], None]) -> bool:
        """Write the workbook by renaming a complete copy (`write` makes it) over it; False when it would not
        change."""
        # a symlinked workbook is written where the link points, so the link stays a link
        real = self.path.resolve() if self.path.is_symlink() else self.path
        real.parent.mkdir(parents=True, exist_ok=True)
        before = real.stat() if real.exists() else None
        mode = before.st_mode & 0o777 if before is not None else None
        remove_stale_temporaries(real.parent, real.name)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            if mode is not None:
                os.chmod(tmp, mode)
            else:
                os.chmod(tmp, 0o644 & ~_umask())
            if before is not None and _same_content(tmp, real):
                tmp.unlink()  # nothing changed: nothing written, and the file an editor may hold stays as it was
                return False
            if before is not None:
                try:  # the owner and group stay the workbook's (possible when run as root or as the owner)
                    os.chown(tmp, before.st_uid, before.st_gid)
                except OSError:
                    pass
            self._refuse_if_saved_meanwhile()  # the last moment before the rename
            os.replace(tmp, real)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(real.parent)
        return True


def _add_what_calamine_does_not_read(data: WorkbookData, scans: dict[str, SheetScan]) -> None:
    """The notes; a number shown as a percent, read as the percentage typed; and a formula the file carries no
    value for, read as its text (`=SUM(C2:C4)`), so validate names the cell and build reports the row instead of
    scoring it as not reported."""
    for title, scan in scans.items():
        grid = data.tabs.get(title)
        if grid is None:
            continue
        grid.notes = dict(scan.notes)
        for r, c in scan.percent_cells:  # `85%` typed in Excel or LibreOffice is stored 0.85: read as 85
            value = grid.cell(r, c)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                grid.rows[r - 1][c - 1] = percent_as_typed(value)
        for (r, c), text in scan.formulas_without_value.items():
            if grid.cell(r, c) not in (None, ""):
                continue
            while len(grid.rows) < r:
                grid.rows.append([])
            row = grid.rows[r - 1]
            row.extend([None] * (c - len(row)))
            row[c - 1] = text


def _solid_fill(cell: Any) -> str | None:
    """A cell's own solid background as RRGGBB, or None (no fill, a pattern, a theme colour)."""
    fill = cell.fill
    rgb = fill.fgColor.rgb if fill is not None and fill.fill_type == "solid" else None
    return rgb[-6:].upper() if isinstance(rgb, str) and len(rgb) >= 6 else None


def _same_content(new: Path, old: Path) -> bool:
    """Do two .xlsx files hold the same parts, byte for byte, but for the save time openpyxl stamps in
    docProps/core.xml?  (The zip entries' own dates differ on every save, so the files' bytes always do.)"""
    try:
        with zipfile.ZipFile(new) as a, zipfile.ZipFile(old) as b:
            names = set(a.namelist())
            if names != set(b.namelist()):
                return False
            return all(a.read(n) == b.read(n) for n in sorted(names) if n != "docProps/core.xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


STALE_TEMPORARY = 15 * 60  # seconds: a temporary file this old was left by a killed run (writes hold the lock)


def remove_stale_temporaries(folder: Path, name: str = "*") -> None:
    """The `.name.xlsx.*.tmp` files a killed run left in a folder (beside the workbook, among the snapshots),
    cleaned at the next write there."""
    import time

    for leftover in folder.glob(f".{name}.*.tmp"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_TEMPORARY:
                leftover.unlink()
        except OSError:
            pass


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_cells(ws: Worksheet, op: WriteCells, result: ApplyResult) -> None:
    for i, row_values in enumerate(op.values):
        for j, value in enumerate(row_values):
            row, col = op.row + i, op.col + j
            if op.expect is not None:
                current = ws.cell(row=row, column=col).value
                if not same_value(current, op.expect[i][j]):
                    result.conflicts.append(Conflict(op.tab, row, col, op.expect[i][j], current))
                    continue
            fmt = op.formats[i][j] if op.formats else None
            _store(ws, row, col, value, fmt)
            _as_its_column(ws, row, col)


def _replace_tab(wb: openpyxl.Workbook, ws: Worksheet, op: ReplaceTab) -> None:
    if ws.max_row:
        ws.delete_rows(1, ws.max_row)
    ws.row_dimensions.clear()  # the old rows' heights, which delete_rows leaves where they were
    for r, row_values in enumerate(op.rows, start=1):
        for c, value in enumerate(row_values, start=1):
            fmt = op.column_formats[c - 1] if r > 1 and c <= len(op.column_formats) else None
            _store(ws, r, c, value, fmt)
    for c, align in enumerate(op.alignments, start=1):
        if align:
            # what `cell.alignment = …` stores, found once: assigned per cell, openpyxl hashed the
            # Alignment 15,000 times at 5,000 KPIs, a third of the whole tab's writing
            index = wb._alignments.add(_aligned(align))  # noqa: SLF001
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(op.rows), min_col=c, max_col=c):
                if cell._style is None:  # noqa: SLF001  (a cell with no style yet, as openpyxl makes one)
                    cell._style = StyleArray()  # noqa: SLF001
                cell._style.alignmentId = index  # noqa: SLF001
    _fit_row_heights(ws, op)
    for r, c, colour in op.fills:
        ws.cell(row=r, column=c).fill = PatternFill("solid", fgColor=colour)
    for r, c, text in op.notes:
        ws.cell(row=r, column=c).comment = Comment(text, "sheets-sync snapshot")
    for r, c, location in op.links:
        ws.cell(row=r, column=c).hyperlink = Hyperlink(ref=f"{column_letter(c)}{r}", location=location)
        ws.cell(row=r, column=c).font = Font(color=palette.LINK, underline="single")


def _style_header(ws: Worksheet, op: StyleHeader) -> None:
    _thai_default_font(ws.parent)
    fill = PatternFill("solid", fgColor=HEADER_FILL[op.generated])
    for col in range(1, op.columns + 1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(name=THAI_FONT, size=14, bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        # what staff type in the column gets a font with Thai in it (Calibri has none)
        ws.column_dimensions[column_letter(col)].font = THAI_BODY_FONT
    # a header row tall enough for its wrapped words: LibreOffice keeps a row one line high, so the
    # second line of a header landed over the first data row
    lines = max((_lines(ws.cell(row=1, column=c).value, _width(ws, c)) for c in range(1, op.columns + 1)),
                default=1)
    ws.row_dimensions[1].height = LINE_HEIGHT * max(lines, 1) + 4
    if not op.generated:  # a filter button on every header: find one's own rows without a formula
        ws.auto_filter.ref = f"A1:{column_letter(op.columns)}{max(ws.max_row, 2)}"
    # printed as staff print it: landscape A4, header on every page, as many pages wide as the columns need
    # (about 150 characters a page) so the text stays readable: one page wide printed ตัวชี้วัด at ~4 pt
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    total = sum(ws.column_dimensions[column_letter(c)].width or 10 for c in range(1, op.columns + 1))
    ws.page_setup.fitToWidth = max(1, math.ceil(total / PAGE_WIDTH_CHARS))
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def _column_format(ws: Worksheet, op: ColumnFormat) -> None:
    fmt = _excel_format(op.number_format)
    ws.column_dimensions[column_letter(op.col)].number_format = fmt
    for cell in existing_cells(ws):
        if cell.column == op.col and cell.row >= 2 and isinstance(cell.value, (dt.date, dt.datetime)):
            cell.number_format = fmt
