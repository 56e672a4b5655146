"""The one declaration of the workbook's tabs, columns, choices and settings.

Everything else in the project asks this module for a header, a tab title or a choice list; nothing else
spells one.  It follows the workbook contract (WORKBOOK.md): tabs and columns are found by their Thai
label or by their English key, never by position.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sheets_sync.domain.cell import Value
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode


class ColumnType(enum.Enum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    LINK = "link"
    PERSON = "person"  # one person_id from the people tab
    RESULT = "result"  # a number, `ระดับ n`, or a placeholder such as `N/A`
    ROUND = "round"  # 6 / 9 / 12
    YESNO = "yesno"


NUMERIC = frozenset({ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.ROUND, ColumnType.RESULT, ColumnType.DATE})
NARROW_COLUMN = 10  # characters: a column this narrow holds a short code
WRAP_FROM = 20  # characters: a column this wide holds text that wraps


class TabKind(enum.Enum):
    INPUT = "input"
    GENERATED = "generated"


@dataclass(frozen=True)
class Choice:
    key: str
    th: str

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.th, self.key)


@dataclass(frozen=True)
class Column:
    key: str
    th: str
    type: ColumnType = ColumnType.TEXT
    choices: tuple[Choice, ...] = ()
    required: bool = False
    width: int = 14
    multiple: bool = False  # several choices or people, comma-separated
    number_format: str | None = None
    en: str = ""
    lookup: tuple[str, str] | None = None  # (tab key, column key) the value must be one of, e.g. a KPI id
    bounds: tuple[int, int] | None = None  # the lowest and highest number allowed

    @property
    def header(self) -> str:
        return self.th

    @property
    def named_en(self) -> str:
        """The column in an English message: its Thai header, with its English name where it has one."""
        return f"{self.th} ({self.en})" if self.en else self.th

    def choice_for(self, text: str) -> Choice | None:
        wanted = normalize(text)
        for choice in self.choices:
            if wanted in (normalize(s) for s in choice.spellings):
                return choice
        return None


@dataclass(frozen=True)
class Tab:
    key: str
    th: str
    kind: TabKind
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...] = ()
    en: str = ""

    @property
    def is_input(self) -> bool:
        return self.kind is TabKind.INPUT

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.key} has no column {key!r}")

    def column_for_header(self, header: object) -> Column | None:
        wanted = normalize(header)
        if not wanted:
            return None
        for col in self.columns:
            if wanted in (normalize(col.th), normalize(col.key)):
                return col
        return None

    def matches_title(self, title: str) -> bool:
        return normalize(title) in (normalize(self.th), normalize(self.key))

    def alignments(self) -> tuple[str, ...]:
        """How each column's cells sit in a file, in words ("center", "indent", "wrap"): a short code (a round, a
        KPI id, a weight) centred; long text wrapped inside its column rather than run over the next one; text
        right after a number column indented, so a right-aligned 6 and a left-aligned 1 never read as 61. Google
        pads cells itself; a file viewer (Excel, LibreOffice) hardly does."""
        aligned: list[str] = []
        for before, col in zip((None, *self.columns), self.columns):
            words = []
            if col.width <= NARROW_COLUMN:
                words.append("center")
            elif col.type not in NUMERIC and before is not None and before.type in NUMERIC:
                words.append("indent")
            if col.width >= WRAP_FROM:
                words.append("wrap")
            aligned.append(" ".join(words))
        return tuple(aligned)


@dataclass(frozen=True)
class Setting:
    key: str
    th: str
    type: ColumnType
    default: Value = None
    en: str = ""


_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))  # a BOM and zero-width characters


def normalize(text: object) -> str:
    """Header, tab and choice matching ignores case, surrounding and repeated spaces, invisible characters
    (a BOM, zero-width spaces) and Unicode form — NFKC, so that ำ typed as ํ + า is the same letter."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return " ".join(folded.split()).casefold()


# --- choices -----------------------------------------------------------------------------------

STEP_STATUS = (
    Choice("not_started", "ยังไม่เริ่ม"),
    Choice("in_progress", "กำลังดำเนินการ"),
    Choice("done", "เสร็จสิ้น"),
    Choice("cancelled", "ยกเลิก"),
)
ROLES = (
    Choice("director", "ผู้อำนวยการ"),
    Choice("working_group", "คณะทำงาน"),
    Choice("supervisor", "ผู้กำกับดูแลตัวชี้วัด"),
    Choice("owner", "ผู้รับผิดชอบตัวชี้วัด"),
    Choice("staff", "เจ้าหน้าที่"),
    Choice("school_director", "ผู้อำนวยการสถานศึกษา"),
    Choice("coordinator", "ผู้ประสานงานคำรับรอง (หน่วยรับรอง)"),
)
METHODS = (
    Choice("interpolate", "เทียบบัญญัติไตรยางศ์"),
    Choice("banded", "ช่วงคะแนน"),
    Choice("milestone", "ระดับความสำเร็จ"),
    Choice("manual", "คณะกรรมการ"),
)
DIRECTIONS = (
    Choice("higher", "มากดี"),
    Choice("lower", "น้อยดี"),
)
ROUNDS = (Choice("6", "6"), Choice("9", "9"), Choice("12", "12"))
CERTIFICATION = (
    Choice("pending", "รอตรวจ"),
    Choice("supervisor_certified", "ผู้กำกับรับรอง"),
    Choice("certified", "รับรองแล้ว"),
    Choice("more_data", "ขอข้อมูลเพิ่ม"),
)
AGREEMENT_LEVELS = (
    Choice("obec_office", "สพฐ./จังหวัด ↔ เขต"),
    Choice("office_staff", "เขต ↔ บุคลากร"),
    Choice("office_school", "เขต ↔ สถานศึกษา"),
)
YESNO = (Choice("yes", "ใช่"), Choice("no", "ไม่ใช่"))

ROUND_NUMBERS: tuple[int, ...] = (6, 9, 12)
ROUND_CHOICES = [str(r) for r in ROUND_NUMBERS]  # as a command line takes them


def _col(key: str, th: str, type: ColumnType = ColumnType.TEXT, **kw: object) -> Column:
    return Column(key, th, type, **kw)  # type: ignore[arg-type]


T = ColumnType

# --- input tabs --------------------------------------------------------------------------------

SETTINGS = Tab(
    "settings",
    "ตั้งค่า",
    TabKind.INPUT,
    (
        _col("key", "รายการ", required=True, width=22, en="setting key"),
        _col("value", "ค่า", width=30, en="value"),
        _col("description", "คำอธิบาย", width=60, en="what the setting means"),
    ),
    key_columns=("key",),
    en="settings",
)

STEPS = Tab(
    "steps",
    "ขั้นตอน",
    TabKind.INPUT,
    (
        _col("step", "ลำดับที่", T.INTEGER, required=True, width=8, en="step"),
        _col("work", "งาน", width=26, en="work"),
        _col("detail", "รายละเอียดงาน", required=True, width=60, en="detail"),
        _col("duration", "เวลาดำเนินการ", width=14, en="time allowed"),
        _col("planned_start", "วันเริ่ม (แผน)", T.DATE, width=14, en="planned start"),
        _col("planned_end", "วันสิ้นสุด (แผน)", T.DATE, width=14, en="planned end"),
        _col("actual_start", "วันเริ่มจริง", T.DATE, width=14, en="actual start"),
        _col("actual_end", "วันเสร็จจริง", T.DATE, width=14, en="actual end"),
        _col("status", "สถานะ", T.CHOICE, choices=STEP_STATUS, width=16, en="status"),
        _col("responsible", "ผู้รับผิดชอบ", width=20, en="responsible"),
        _col("quality_standard", "มาตรฐานคุณภาพงาน", width=34, en="quality standard"),
        _col("evidence", "หลักฐาน", T.LINK, width=24, en="evidence"),
        _col("note", "หมายเหตุ", width=30, en="note"),
    ),
    key_columns=("step",),
    en="steps of the cycle",
)

PEOPLE = Tab(
    "people",
    "บุคลากร",
    TabKind.INPUT,
    (
        _col("person_id", "รหัส", required=True, width=10, en="person id"),
        _col("name", "ชื่อ-สกุล", required=True, width=28, en="name"),
        _col("position", "ตำแหน่ง", width=26, en="position"),
        _col("group", "กลุ่มงาน/หน่วยงาน", width=26, en="group"),
        _col("role", "บทบาท", T.CHOICE, choices=ROLES, multiple=True, width=24, en="role"),
        _col("email", "อีเมล", width=28, en="e-mail"),
        _col("phone", "โทรศัพท์", width=14, en="phone"),
    ),
    key_columns=("person_id",),
    en="people",
)

KPIS = Tab(
    "kpis",
    "ตัวชี้วัด",
    TabKind.INPUT,
    (
        _col("kpi_id", "รหัสตัวชี้วัด", required=True, width=10, en="KPI id"),
        _col("parent_id", "ตัวชี้วัดหลัก", width=10, en="parent KPI"),
        _col("name", "ชื่อตัวชี้วัด", required=True, width=50, en="KPI name"),
        _col("unit", "หน่วยวัด", width=12, en="unit"),
        _col("weight", "น้ำหนัก", T.NUMBER, required=True, width=9, en="weight"),
        _col("method", "วิธีให้คะแนน", T.CHOICE, choices=METHODS, required=True, width=20, en="method"),
        _col("direction", "ทิศทาง", T.CHOICE, choices=DIRECTIONS, width=9, en="direction"),
        _col("c1", "เกณฑ์ระดับ 1", T.NUMBER, width=10, en="criterion 1"),
        _col("c2", "เกณฑ์ระดับ 2", T.NUMBER, width=10, en="criterion 2"),
        _col("c3", "เกณฑ์ระดับ 3", T.NUMBER, width=10, en="criterion 3"),
        _col("c4", "เกณฑ์ระดับ 4", T.NUMBER, width=10, en="criterion 4"),
        _col("c5", "เกณฑ์ระดับ 5", T.NUMBER, width=10, en="criterion 5"),
        _col("target", "ค่าเป้าหมาย", T.NUMBER, width=11, en="target"),
        _col("baseline_1", "ข้อมูลพื้นฐาน 1", T.NUMBER, width=11, en="baseline 1"),
        _col("baseline_2", "ข้อมูลพื้นฐาน 2", T.NUMBER, width=11, en="baseline 2"),
        _col("baseline_3", "ข้อมูลพื้นฐาน 3", T.NUMBER, width=11, en="baseline 3"),
        _col("owner", "ผู้รับผิดชอบ", T.PERSON, required=True, width=12, en="owner"),
        _col("supervisor", "ผู้กำกับดูแล", T.PERSON, required=True, width=12, en="supervisor"),
        _col("collector", "ผู้จัดเก็บข้อมูล", width=14, en="data collector"),
        _col("data_source", "แหล่งข้อมูล", width=22, en="data source"),
        _col("formula", "สูตรการคำนวณ", width=30, en="formula"),
        _col("definition", "คำอธิบาย", width=40, en="definition"),
        _col("evidence_required", "หลักฐานที่ต้องรายงาน", width=30, en="evidence required"),
        _col("psa", "PSA", T.YESNO, choices=YESNO, width=8, en="PSA target"),
        _col("start_round", "เริ่มรอบ", T.ROUND, choices=ROUNDS, width=9, en="start round"),
        _col("cancel_round", "ยกเลิกรอบ", T.ROUND, choices=ROUNDS, width=9, en="cancel round"),
        _col("for_schools", "ใช้กับสถานศึกษา", T.YESNO, choices=YESNO, width=10, en="in schools' agreements (blank: yes, unless it is the office's own work)"),
    ),
    key_columns=("kpi_id",),
    en="KPIs",
)

RESULTS = Tab(
    "results",
    "ผลการดำเนินงาน",
    TabKind.INPUT,
    (
        _col("kpi_id", "รหัสตัวชี้วัด", required=True, width=10, en="KPI id", lookup=("kpis", "kpi_id")),
        _col("round", "รอบ", T.ROUND, choices=ROUNDS, required=True, width=7, en="round"),
        _col("result", "ผลการดำเนินงาน", T.RESULT, width=16, en="result"),
        _col("self_score", "คะแนนประเมินตนเอง", T.NUMBER, width=12, en="self-assessment score"),
        _col("committee_score", "คะแนนคณะกรรมการ", T.NUMBER, width=12, en="committee score", bounds=(0, 5)),
        _col("override_reason", "เหตุผล", width=30, en="override reason"),
        _col("evidence", "หลักฐาน", T.LINK, width=24, en="evidence"),
        _col("reported_by", "ผู้รายงาน", width=12, en="reported by"),
        _col("reported_on", "วันที่รายงาน", T.DATE, width=14, en="reported on"),
        _col("certification", "สถานะการรับรอง", T.CHOICE, choices=CERTIFICATION, width=16, en="certification"),
        _col("reviewer_comment", "ความเห็นผู้ตรวจ", width=30, en="reviewer comment"),
        _col("certified_by", "ผู้รับรอง", T.PERSON, width=12, en="certified by"),
        _col("certified_on", "วันที่รับรอง", T.DATE, width=14, en="certified on"),
    ),
    key_columns=("kpi_id", "round"),
    en="round results",
)

AGREEMENTS = Tab(
    "agreements",
    "ข้อตกลง",
    TabKind.INPUT,
    (
        _col("level", "ระดับ", T.CHOICE, choices=AGREEMENT_LEVELS, required=True, width=20, en="level"),
        _col("maker", "ผู้ทำคำรับรอง", required=True, width=26, en="maker"),
        _col("maker_position", "ตำแหน่งผู้ทำคำรับรอง", width=26, en="maker's position"),
        _col("receiver", "ผู้รับคำรับรอง", required=True, width=26, en="receiver"),
        _col("receiver_position", "ตำแหน่งผู้รับคำรับรอง", width=26, en="receiver's position"),
        _col("unit", "หน่วยงาน/สถานศึกษา", width=26, en="unit or school"),
        _col("signed_on", "วันที่ลงนาม", T.DATE, width=14, en="signed on"),
        _col("document", "เอกสาร", T.LINK, width=24, en="document"),
        _col("note", "หมายเหตุ", width=24, en="note"),
    ),
    key_columns=("level", "maker", "receiver"),
    en="performance agreements",
)

# --- generated tabs ----------------------------------------------------------------------------

SCORE_FORMAT = "0.0000"
SHEET_LOCALE, SHEET_TIME_ZONE = "th_TH", "Asia/Bangkok"  # what init and copy --create give a Google Sheet

SCORE_SUMMARY = Tab(
    "score_summary",
    "สรุปคะแนน",
    TabKind.GENERATED,
    (
        _col("round", "รอบ", T.INTEGER, width=7),
        _col("kpi_id", "รหัสตัวชี้วัด", width=10),
        _col("name", "ชื่อตัวชี้วัด", width=44),
        _col("method", "วิธีให้คะแนน", width=18),
        _col("result", "ผลการดำเนินงาน", width=14),
        _col("score", "คะแนนที่คำนวณ", T.NUMBER, width=12, number_format=SCORE_FORMAT),
        _col("self_score", "คะแนนประเมินตนเอง", T.NUMBER, width=12, number_format=SCORE_FORMAT),
        _col("committee_score", "คะแนนคณะกรรมการ", T.NUMBER, width=12, number_format=SCORE_FORMAT),
        _col("score_used", "คะแนนที่ใช้", T.NUMBER, width=12, number_format=SCORE_FORMAT),
        _col("weight", "น้ำหนัก", T.NUMBER, width=9, number_format="0.####"),
        _col("weighted", "คะแนนถ่วงน้ำหนัก", T.NUMBER, width=14, number_format=SCORE_FORMAT),
        _col("band", "ระดับผล", width=14),
        _col("problem", "ปัญหา", width=50),
    ),
    en="score summary",
)

STEP_SUMMARY = Tab(
    "step_summary",
    "สรุปขั้นตอน",
    TabKind.GENERATED,
    (
        _col("step", "ลำดับที่", T.INTEGER, width=8),
        _col("detail", "รายละเอียดงาน", width=50),
        _col("planned_start", "วันเริ่ม (แผน)", T.DATE, width=14),
        _col("planned_end", "วันสิ้นสุด (แผน)", T.DATE, width=14),
        _col("actual_start", "วันเริ่มจริง", T.DATE, width=14),
        _col("actual_end", "วันเสร็จจริง", T.DATE, width=14),
        _col("days_late", "ล่าช้า (วัน)", T.INTEGER, width=10),
        _col("state", "สถานะที่คำนวณ", width=18),
        _col("responsible", "ผู้รับผิดชอบ", width=24),
    ),
    en="step summary",
)

OWNER_SUMMARY = Tab(
    "owner_summary",
    "สรุปผู้รับผิดชอบ",
    TabKind.GENERATED,
    (
        _col("person_id", "รหัส", width=10),
        _col("name", "ชื่อ-สกุล", width=28),
        _col("kpis_owned", "ตัวชี้วัดที่รับผิดชอบ", width=24),
        _col("kpis_supervised", "ตัวชี้วัดที่กำกับดูแล", width=24),
        _col("missing_6", "ยังไม่รายงาน รอบ 6", T.INTEGER, width=12),
        _col("missing_9", "ยังไม่รายงาน รอบ 9", T.INTEGER, width=12),
        _col("missing_12", "ยังไม่รายงาน รอบ 12", T.INTEGER, width=12),
        _col("average_score", "คะแนนเฉลี่ย", T.NUMBER, width=12, number_format=SCORE_FORMAT),
    ),
    en="owner summary",
)

PEOPLE_CHOICES = Tab(
    "people_choices",
    "รายชื่อให้เลือก",
    TabKind.GENERATED,
    (_col("choice", "รหัส — ชื่อ", width=40),),
    en="people to pick from",
)
"""Written by `build` from บุคลากร: `P01 — ชื่อ` per person, the list the owner, supervisor and certifier dropdowns
show, so a person picks by name; the tool reads such a cell as its person id (`person_ref`)."""

PERSON_SEPARATOR = " — "


def person_ref(value: object) -> str:
    """A person cell as its id: `P01 — นายหนึ่ง ทดสอบ` (picked from the list) and `P01` (typed) are both P01."""
    text = " ".join(str(value).split()) if value is not None else ""
    return text.split(PERSON_SEPARATOR.strip(), 1)[0].strip() if PERSON_SEPARATOR.strip() in text else text


PROBLEMS = Tab(
    "problems",
    "ตรวจสอบข้อมูล",
    TabKind.GENERATED,
    (
        _col("severity", "ระดับ", width=10),
        _col("tab", "แท็บ", width=16),
        _col("cell", "เซลล์", width=18),
        _col("key", "รายการ", width=12),
        _col("message_th", "ข้อความ", width=60),
        _col("message_en", "Message", width=60),
    ),
    en="validation problems",
)

ROLLUP = Tab(
    "rollup",
    "สรุปรายเขต",
    TabKind.GENERATED,
    (
        _col("rank", "อันดับ", T.INTEGER, width=8),
        _col("office_code", "รหัสเขต", width=10),
        _col("office_name", "ชื่อเขต", width=30),
        _col("fiscal_year", "ปีงบประมาณ", T.INTEGER, width=10),
        _col("result_6", "ผลรอบ 6", T.NUMBER, width=10, number_format=SCORE_FORMAT),
        _col("result_9", "ผลรอบ 9", T.NUMBER, width=10, number_format=SCORE_FORMAT),
        _col("result_12", "ผลรอบ 12", T.NUMBER, width=10, number_format=SCORE_FORMAT),
        _col("certified", "รอบที่รับรองแล้ว (ผลทางการ)", width=14),
        _col("band", "ระดับผลล่าสุด", width=14),
        _col("steps_late", "ขั้นตอนล่าช้า", T.INTEGER, width=10),
        _col("results_missing", "ผลที่ยังไม่รายงาน", T.INTEGER, width=12),
        _col("validation_errors", "ข้อผิดพลาดในข้อมูล", T.INTEGER, width=12),
        _col("sheet", "สมุดงาน", width=40),
    ),
    en="rollup over offices",
)

ROLLUP_FAILURES = Tab(
    "rollup_failures",
    "เขตที่อ่านไม่ได้",
    TabKind.GENERATED,
    (
        _col("office_code", "รหัสเขต", width=10),
        _col("office_name", "ชื่อเขต", width=30),
        _col("sheet", "สมุดงาน", width=40),
        _col("reason_th", "สาเหตุ", width=50),
        _col("reason_en", "Reason", width=50),
    ),
    en="offices that could not be read",
)

SEAL_EVENTS = (Choice("seal", "ผนึก"), Choice("unseal", "ยกเลิกผนึก"))

SEALS = Tab(
    "seals",
    "ผนึกรอบ",
    TabKind.GENERATED,
    (
        _col("event", "รายการ", T.CHOICE, choices=SEAL_EVENTS, width=12),
        _col("round", "รอบ", T.INTEGER, width=7),
        _col("kpi_id", "รหัสตัวชี้วัด", width=10),
        _col("name", "ชื่อตัวชี้วัด", width=40),
        _col("result", "ผลการดำเนินงาน", width=14),
        _col("score", "คะแนนที่คำนวณ", T.NUMBER, width=12, number_format=SCORE_FORMAT),
        _col("committee_score", "คะแนนคณะกรรมการ", T.NUMBER, width=12, number_format=SCORE_FORMAT),
        _col("score_used", "คะแนนที่ใช้", T.NUMBER, width=12, number_format=SCORE_FORMAT),
        _col("weight", "น้ำหนัก", T.NUMBER, width=9, number_format="0.####"),
        _col("evidence", "หลักฐาน", width=24),
        _col("sha256", "SHA-256", width=20),
        _col("by", "ผู้ดำเนินการ", width=24),
        _col("at", "เวลา", width=22),
        _col("reason", "เหตุผล", width=40),
    ),
    en="sealed rounds and their history",
)
"""Written only by `certify`: one row per KPI a seal froze (and a total row, kpi_id รวม), one row per unseal."""

REMINDER_KINDS = (Choice("todo", "งานที่ต้องทำ"), Choice("digest", "สรุปสำหรับผู้ประสานงาน"))
SEND_STATUS = (Choice("sent", "ส่งแล้ว"), Choice("failed", "ส่งไม่สำเร็จ"))

REMINDERS = Tab(
    "reminders",
    "การแจ้งเตือน",
    TabKind.GENERATED,
    (
        _col("sent_on", "วันที่", T.DATE, width=14),
        _col("time", "เวลา", width=10),
        _col("round", "รอบ", T.INTEGER, width=7),
        _col("person_id", "รหัส", width=10),
        _col("name", "ชื่อ-สกุล", width=28),
        _col("email", "อีเมล", width=28),
        _col("kind", "ประเภท", T.CHOICE, choices=REMINDER_KINDS, width=20),
        _col("items", "รายการ", width=40),
        _col("status", "ผล", T.CHOICE, choices=SEND_STATUS, width=14),
        _col("detail", "รายละเอียด", width=40),
    ),
    en="reminders sent",
)
"""Written only by `remind`: one row per e-mail it tried, so a second run on the same day sends nothing again."""

CHANGE_KINDS = (Choice("changed", "แก้ไข"), Choice("added", "เพิ่มแถว"), Choice("removed", "ลบแถว"))

CHANGES = Tab(
    "changes",
    "ประวัติการแก้ไข",
    TabKind.GENERATED,
    (
        _col("checked_on", "วันที่ตรวจ", T.DATE, width=14),
        _col("since", "เทียบกับสำเนา", width=30),
        _col("kind", "รายการ", T.CHOICE, choices=CHANGE_KINDS, width=10),
        _col("tab", "แท็บ", width=16),
        _col("cell", "เซลล์", width=18),
        _col("key", "รหัส", width=12),
        _col("column", "คอลัมน์", width=16),
        _col("before", "ค่าเดิม", width=24),
        _col("after", "ค่าใหม่", width=24),
    ),
    en="history of changes",
)
"""Written only by `changes --write`: each change found since a snapshot, appended; the history is never cut."""

INPUT_TABS: tuple[Tab, ...] = (SETTINGS, STEPS, PEOPLE, KPIS, RESULTS, AGREEMENTS)
GENERATED_TABS: tuple[Tab, ...] = (SCORE_SUMMARY, STEP_SUMMARY, OWNER_SUMMARY, PEOPLE_CHOICES, PROBLEMS, SEALS,
                                   REMINDERS, CHANGES)
ROLLUP_TABS: tuple[Tab, ...] = (ROLLUP, ROLLUP_FAILURES)
ALL_TABS: tuple[Tab, ...] = INPUT_TABS + GENERATED_TABS
"""The tabs of an office's workbook; a rollup's target workbook holds ROLLUP_TABS instead."""
WRITE_ONLY_TABS: tuple[Tab, ...] = (SCORE_SUMMARY, STEP_SUMMARY, OWNER_SUMMARY, PROBLEMS, CHANGES)
"""Tabs the tool writes and that a command which only reads never looks at below the header: such a command reads
them header-only (`Backend.read(headers_only=…)`); at 5,000 KPIs they are two thirds of a Google read's bytes."""


def tab_by_key(key: str) -> Tab:
    for tab in ALL_TABS:
        if tab.key == key:
            return tab
    raise KeyError(key)


def find_title(tab: Tab, titles: Iterable[str]) -> str | None:
    """The title of the existing tab that is `tab` (by Thai name or English key), if any.  Two tabs that both
    read as `tab` — a hidden copy, a look-alike spelling, the Thai name beside the English key — are a layout
    problem for every command: reading either could be reading the wrong one."""
    found = [title for title in titles if tab.matches_title(title)]
    if len(found) > 1:
        raise SheetsSyncError(
            ExitCode.LAYOUT,
            f"มีแท็บ {tab.th} มากกว่าหนึ่งแท็บ ({', '.join(repr(t) for t in found)} รวมแท็บที่ซ่อนไว้) โปรดรวมหรือเปลี่ยนชื่อก่อน",
            f"more than one tab is {tab.key} ({', '.join(repr(t) for t in found)}, hidden ones included); merge or "
            "rename them first",
        )
    return found[0] if found else None


# --- settings ----------------------------------------------------------------------------------

DEFAULT_BANDS = "1:ต้องปรับปรุง;3:ผ่าน;4:ดี;4.5:ดีมาก"

SETTINGS_DECLARED: tuple[Setting, ...] = (
    Setting("office_name", "ชื่อหน่วยงาน", T.TEXT, "", "office name"),
    Setting("office_code", "รหัสหน่วยงาน", T.TEXT, "", "office code"),
    Setting("fiscal_year", "ปีงบประมาณ (พ.ศ.)", T.INTEGER, None, "fiscal year (BE)"),
    Setting("start_date", "วันเริ่มขั้นตอนที่ 1", T.DATE, None, "first day of step 1"),
    Setting("pass_score", "คะแนนผ่านเกณฑ์", T.NUMBER, "3.0000", "pass score"),
    Setting("below_level1_score", "คะแนนเมื่อต่ำกว่าระดับ 1 (1 หรือ 0)", T.NUMBER, 1, "score below level 1 (1 or 0)"),
    Setting("bands", "ช่วงระดับผล (คะแนนต่ำสุด:ชื่อ;…)", T.TEXT, DEFAULT_BANDS, "bands (lowest score:name;…)"),
    Setting("round6_due", "กำหนดส่งรอบ 6 เดือน", T.DATE, None, "round 6 report deadline"),
    Setting("round9_due", "กำหนดส่งรอบ 9 เดือน", T.DATE, None, "round 9 report deadline"),
    Setting("round12_due", "กำหนดส่งรอบ 12 เดือน", T.DATE, None, "round 12 report deadline"),
    Setting("working_days", "นับเฉพาะวันทำการ (ใช่/ไม่ใช่)", T.YESNO, "yes", "count working days only (yes/no)"),
    Setting("snapshots_keep", "จำนวนสำเนาที่เก็บไว้", T.INTEGER, 20, "snapshots to keep"),
    Setting("coordinator_emails", "อีเมลผู้ประสานงาน/หน่วยรับรอง (คั่นด้วย ,)", T.TEXT, "",
            "coordinators' e-mails (comma-separated): they certify, seal, and may edit sealed rows"),
    Setting("protect_rows", "ป้องกันรายแถวบน Google และซิงก์ทุกครั้งที่ build (ใช่/ไม่ใช่)", T.YESNO, "no",
            "protect each person's rows on Google, re-synced by every build (yes/no); see `protect`"),
    Setting("remind_days_before", "วันแจ้งเตือนก่อนกำหนดส่ง (จำนวนวัน คั่นด้วย ,)", T.TEXT, "7,3,1",
            "remind --on-schedule: days before a round's deadline (comma-separated)"),
    Setting("remind_days_after", "วันแจ้งเตือนหลังกำหนดส่ง (จำนวนวัน คั่นด้วย ,)", T.TEXT, "1,7",
            "remind --on-schedule: days after a round's deadline (comma-separated)"),
    Setting("smtp_host", "เซิร์ฟเวอร์ส่งอีเมล (SMTP)", T.TEXT, "", "SMTP server for reminders, e.g. smtp.gmail.com"),
    Setting("smtp_port", "พอร์ต SMTP", T.INTEGER, 587, "SMTP port (587 starttls, 465 ssl, 25 none)"),
    Setting("smtp_from", "อีเมลผู้ส่ง", T.TEXT, "", "the sender address of reminders and alerts"),
    Setting("smtp_security", "การเข้ารหัส SMTP (starttls/ssl/none)", T.TEXT, "starttls", "starttls, ssl or none"),
    Setting("snapshot_on_build", "เก็บสำเนาทุกครั้งที่ build (ใช่/ไม่ใช่)", T.YESNO, "no",
            "build keeps a snapshot of what it read, for `changes --since-last` (yes/no)"),
    Setting("certify_in_order", "รับรองรอบถัดไปได้เมื่อผนึกรอบก่อนแล้วเท่านั้น (ใช่/ไม่ใช่)", T.YESNO, "yes",
            "certify a round only after the round before is sealed (yes/no)"),
)


def setting_by_key(key: str) -> Setting | None:
    wanted = normalize(key)
    for setting in SETTINGS_DECLARED:
        if wanted in (normalize(setting.key), normalize(setting.th)):
            return setting
    return None


CHOICE_COLUMNS = [(tab, col) for tab in INPUT_TABS for col in tab.columns if col.choices]
"""Every column that gets a dropdown list; listed once so init and validate agree."""
