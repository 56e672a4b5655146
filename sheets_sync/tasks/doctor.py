"""`doctor`: the live check a coordinator runs once against a real Google Sheet, before the first real run.

It says who sheets-sync acts as and whether it can name that account (a hard protection must), whether the sheet
is reachable and editable, its locale and time zone, what Google stores for the forms staff type and whether
each reads as meant (in a scratch tab it adds and removes), whether Google takes the seal's protection (one hard
protection over a whole tab) and the one-write paste a build over 2 MB ends with, keeping a named range on the
pasted tab (on two hidden scratch tabs), and what a build would cost.  Each thing that would go wrong on this
sheet is a finding, and findings set the exit code.  It changes nothing else: the scratch tabs are removed
whatever happens, and no staff cell is written.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sheets_sync.domain.words import Words
from sheets_sync.domain.schema import SHEET_LOCALE, SHEET_TIME_ZONE
from sheets_sync.domain.thai import (
    ParseError,
    format_date_be,
    parse_date,
    parse_level,
    parse_number,
)
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.build import plan_build
from sheets_sync.workbook.office import compile_office

if TYPE_CHECKING:
    from sheets_sync.backends.google.backend import GoogleBackend
    from sheets_sync.backends.google.credentials import Identity

TYPED_FORMS = ("80%", "1/10/2569", "1/10/69", "๘๐", "1 ต.ค. 2569", "ระดับ 5")
SCRATCH_PREFIX = "sheets-sync-doctor-"


@dataclass
class TypedForm:
    typed: str
    stored: str  # what Google keeps: value and number-format type
    read_as: str  # what sheets-sync makes of it


@dataclass
class DoctorReport:
    sheet: str
    identity: Identity | None = None
    locale: str | None = None
    time_zone: str | None = None
    reachable: bool = False
    editable: bool | None = None
    typed: list[TypedForm] = field(default_factory=list)
    build_requests: tuple[int, int] | None = None  # (reads, writes)
    # a build over 2 MB pastes hidden staging tabs onto the real ones in one batchUpdate (staging.py), keeping
    # what points at them (a named range here)
    swaps_in_one_write: bool | None = None
    seal_protection: bool | None = None  # one hard protection over a whole tab, naming the tool, is accepted
    gzipped_writes: bool | None = None  # a request body sent gzipped (every write from 1 KB) is taken
    findings: list[Words] = field(default_factory=list)  # (Thai, English) things to act on
    requests: int = 0
    code: ExitCode = ExitCode.OK  # what the check ends with: the read's failure, or AUTH when it cannot edit

    @property
    def healthy(self) -> bool:
        return self.reachable and bool(self.editable) and not self.findings


def _read_as(value: object, kind: str | None) -> str:
    if isinstance(value, dt.date):
        try:
            return f"วันที่ / date {format_date_be(parse_date(value))}"
        except ParseError:
            return "อ่านไม่ได้ / unreadable"
    for parse, th, en in ((parse_number, "ตัวเลข", "number"), (parse_level, "ระดับ", "level"),
                          (parse_date, "วันที่", "date")):
        try:
            parsed = parse(value)
        except ParseError:
            continue
        shown = format_date_be(parsed) if isinstance(parsed, dt.date) else str(parsed)
        return f"{th} / {en} {shown}"
    return "อ่านไม่ได้ / unreadable"


def run_doctor(backend: GoogleBackend, today: dt.date) -> DoctorReport:
    from sheets_sync.backends.google.backend import GUARD_FIELDS, cell_value, grid_cells, number_kind

    report = DoctorReport(backend.url, backend.http.identity)
    try:
        data = backend.read()
    except SheetsSyncError as exc:
        report.findings.append(exc.words)
        report.requests, report.code = backend.requests, exc.code
        return report
    report.reachable = True
    report.locale, report.time_zone = data.locale, data.time_zone
    if (data.locale, data.time_zone) != (SHEET_LOCALE, SHEET_TIME_ZONE):
        report.findings.append(Words(
            f"ภาษาและภูมิภาคของสเปรดชีตคือ {data.locale} / {data.time_zone} ควรเป็น {SHEET_LOCALE} / {SHEET_TIME_ZONE} "
            "(sheets-sync init ตั้งให้)",
            f"the spreadsheet's locale is {data.locale} / {data.time_zone}, not {SHEET_LOCALE} / {SHEET_TIME_ZONE} "
            "(`sheets-sync init` sets it)"))
    try:
        compiled = compile_office(data, today)
        operations, _ = plan_build(data, compiled)
        report.build_requests = (1, backend.write_requests(operations))
    except SheetsSyncError as exc:
        report.findings.append(Words(f"คำนวณคำขอของ build ไม่ได้: {exc.th}", f"could not plan a build: {exc.en}"))
    scratch = SCRATCH_PREFIX + secrets.token_hex(3)
    http, key = backend.http, backend.key
    added, scratch_ids = False, []
    try:
        reply = http.batch_update(key, {"requests": [
            {"addSheet": {"properties": {"title": scratch, "hidden": True}}},
            {"addSheet": {"properties": {"title": scratch + "-staged", "hidden": True}}}]})
        added = True
        scratch_ids = [r["addSheet"]["properties"]["sheetId"] for r in reply["replies"]]
        report.editable = True
        http.type_values(key, f"'{scratch}'!A1:A{len(TYPED_FORMS)}", [[form] for form in TYPED_FORMS])
        stored = http.get_by_data_filter(key, [f"'{scratch}'!A1:A{len(TYPED_FORMS)}"], GUARD_FIELDS)
        by_row = {r: cell for sheet in stored.get("sheets", []) for block in sheet.get("data", [])
                  for r, _, cell in grid_cells(block)}
        for row, form in enumerate(TYPED_FORMS, start=1):
            cell = by_row.get(row, {})
            effective = cell.get("effectiveValue", {})
            kind = number_kind(cell)
            raw = next(iter(effective.values()), None)
            read = _read_as(cell_value(cell), kind)
            report.typed.append(TypedForm(form, f"{raw!r}" + (f" ({kind})" if kind else ""), read))
            meant = _read_as(form, None)
            if read != meant:  # e.g. `80%` read as 0.8: a score would be wrong on this sheet
                report.findings.append(Words(f"พิมพ์ {form} แล้วเครื่องมืออ่านได้ {read} แทนที่จะเป็น {meant} โปรดแจ้งผู้พัฒนา",
                                        f"{form} typed here reads as {read}, not {meant}: tell the developers"))
        if not backend.account:
            report.findings.append(Words(
                "บอกไม่ได้ว่าเครื่องมือใช้บัญชี Google ใด จึงป้องกันแถวแบบห้ามแก้ไม่ได้ (protect, certify --seal จะปฏิเสธ)",
                "cannot tell which Google account the tool acts as, so it cannot write hard protections (protect and "
                "certify --seal will refuse): use credentials that name their account"))
        else:
            report.seal_protection = False
            http.batch_update(key, {"requests": [{"addProtectedRange": {"protectedRange": {
                "range": {"sheetId": scratch_ids[0]}, "warningOnly": False, "description": "sheets-sync doctor",
                "editors": {"users": [backend.account], "domainUsersCanEdit": False}}}}]})
            report.seal_protection = True
        report.swaps_in_one_write = False
        whole = {"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}
        http.batch_update(key, {"requests": [
            {"addNamedRange": {"namedRange": {"name": "sheets_sync_doctor_" + scratch[-6:],
                                              "range": {"sheetId": scratch_ids[0], **whole}}}}]})
        http.batch_update(key, {"requests": [  # what the last write of a build over 2 MB does (staging.py)
            {"updateCells": {"range": {"sheetId": scratch_ids[0]}, "fields": "userEnteredValue,userEnteredFormat,note"}},
            {"copyPaste": {"source": {"sheetId": scratch_ids[1], **whole},
                           "destination": {"sheetId": scratch_ids[0], **whole},
                           "pasteType": "PASTE_NORMAL", "pasteOrientation": "NORMAL"}},
            {"deleteSheet": {"sheetId": scratch_ids[1]}}]})
        scratch_ids.pop(1)
        kept = http.get_spreadsheet(key, {"fields": "namedRanges(name,range.sheetId)"}).get("namedRanges", [])
        report.swaps_in_one_write = any(n.get("name", "").endswith(scratch[-6:]) and
                                        n.get("range", {}).get("sheetId", 0) == scratch_ids[0] for n in kept)
        if not report.swaps_in_one_write:
            report.findings.append(Words(
                "หลังวางแท็บทดสอบทับในคำขอเดียว ช่วงที่ตั้งชื่อไว้บนแท็บนั้นหายไป build ที่ใหญ่เกิน 2 MB อาจทำให้สิ่งที่ชี้มาที่แท็บสรุปเสีย "
                "โปรดแจ้งผู้พัฒนา",
                "after pasting a scratch tab over another in one write, the named range on it was gone: a build over "
                "2 MB could break what points at the summary tabs; tell the developers"))
        report.gzipped_writes = False
        try:  # every write from 1 KB goes gzipped, as Google's client libraries send them (docs/conformance.md)
            http.batch_update(key, {"requests": [{"updateCells": {  # one word into the scratch tab, removed below
                "start": {"sheetId": scratch_ids[0], "rowIndex": 0, "columnIndex": 1},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "gzip"}}]}],
                "fields": "userEnteredValue"}}]}, gzipped=True)
            report.gzipped_writes = True
        except SheetsSyncError:
            report.findings.append(Words(
                "Google ไม่ยอมรับคำขอเขียนที่บีบอัดแบบ gzip การเขียนทุกครั้งที่ใหญ่กว่า 1 KB จะล้มเหลว โปรดแจ้งผู้พัฒนา",
                "Google refused a gzipped request body: every write of 1 KB or more would fail; tell the developers"))
    except SheetsSyncError as exc:
        if not added:
            report.editable, report.code = False, exc.code
        if report.seal_protection is False:
            report.findings.append(Words(
                "Google ไม่ยอมรับการป้องกันทั้งแท็บแบบที่ certify --seal ใช้ การผนึกจะล้มเหลว โปรดแจ้งผู้พัฒนา",
                "Google refused the whole-tab protection certify --seal writes: sealing will fail; tell the "
                "developers"))
        elif report.swaps_in_one_write is False:
            report.findings.append(Words(
                "Google ไม่ยอมวางแท็บทับในคำขอเดียว: build ที่ใหญ่เกิน 2 MB จะล้มเหลว (ข้อมูลที่ผู้อ่านเห็นไม่เปลี่ยน) "
                "โปรดแจ้งผู้พัฒนา",
                "Google refused to paste a tab over another within one batchUpdate: a build over 2 MB will fail "
                "(what readers see stays as it was); tell the developers"))
        report.findings.append(exc.words)
    finally:
        if scratch_ids:
            try:
                named = http.get_spreadsheet(key, {"fields": "namedRanges(namedRangeId,name)"}).get("namedRanges", [])
                ours = [{"deleteNamedRange": {"namedRangeId": n["namedRangeId"]}} for n in named
                        if n.get("name", "").startswith("sheets_sync_doctor_")]
                http.batch_update(key, {"requests": ours + [{"deleteSheet": {"sheetId": i}} for i in scratch_ids]})
            except SheetsSyncError as exc:
                report.findings.append(Words(f"ลบแท็บทดสอบ {scratch} ไม่ได้ โปรดลบเอง: {exc.th}",
                                        f"could not remove the scratch tab {scratch}; delete it by hand: {exc.en}"))
    report.requests = backend.requests
    if report.findings and report.code is ExitCode.OK:  # checked, and something here needs a person
        report.code = ExitCode.BUILT_WITH_PROBLEMS
    return report
