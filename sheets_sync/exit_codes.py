"""Every exit code the commands use, in one place; the README's table is written from this enum."""

from __future__ import annotations

import enum

from sheets_sync.domain.words import Words


class ExitCode(enum.IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    INVALID_DATA = 3
    BUILT_WITH_PROBLEMS = 4
    NOT_FOUND = 5
    LOCKED = 6
    NOT_AVAILABLE = 7
    LAYOUT = 8
    NETWORK = 9
    AUTH = 10


_MEANINGS = {
    ExitCode.OK: ("สำเร็จ", "done; for validate: no errors (warnings may have been reported)"),
    ExitCode.FAILED: ("ผิดพลาดที่ไม่คาดคิด", "an unexpected failure; the message says what happened"),
    ExitCode.USAGE: ("พิมพ์คำสั่งหรือตัวเลือกไม่ถูกต้อง", "a command or option was typed wrong"),
    ExitCode.INVALID_DATA: ("พบข้อผิดพลาดในข้อมูล", "validate found errors in the staff's entries"),
    ExitCode.BUILT_WITH_PROBLEMS: (
        "สรุปผลแล้ว แต่บางแถวคำนวณไม่ได้",
        "build finished, but some rows could not be scored and were left out of the totals",
    ),
    ExitCode.NOT_FOUND: ("ไม่พบหรือเปิดสมุดงานไม่ได้ หรือเขียนไฟล์ไม่ได้เพราะดิสก์เต็ม/เกินขีดจำกัดขนาดไฟล์",
                         "the workbook (or a snapshot) could not be found, opened or trusted, or a file could not be "
                         "written for a full disk or a file-size limit (the workbook as it was is kept)"),
    ExitCode.LOCKED: (
        "สมุดงานกำลังถูกเขียนหรือถูกบันทึกระหว่างทำงาน",
        "another command holds this workbook's lock, or someone saved it while the command ran; nothing was "
        "written",
    ),
    ExitCode.NOT_AVAILABLE: (
        "รุ่นนี้ยังไม่รองรับเป้าหมายนี้",
        "the target needs a part of the tool this version does not have yet",
    ),
    ExitCode.NETWORK: (
        "ติดต่อ Google ไม่ได้หรือถูกปฏิเสธซ้ำจนครบจำนวนครั้ง เรียกคำสั่งเดิมอีกครั้งได้อย่างปลอดภัย",
        "Google could not be reached, or kept refusing after every retry; running the command again is safe",
    ),
    ExitCode.AUTH: (
        "ไม่มีสิทธิ์หรือข้อมูลรับรองใช้ไม่ได้",
        "credentials missing, unreadable, too open, or refused; or the sheet is not shared with them",
    ),
    ExitCode.LAYOUT: (
        "แท็บหรือคอลัมน์ที่จำเป็นหายไปหรือซ้ำ",
        "a tab or required column is missing or doubled; run `sheets-sync init`",
    ),
}


def meaning(code: ExitCode) -> Words:
    return Words(*_MEANINGS[code])
