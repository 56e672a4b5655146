"""A realistic sample office for `sheets-sync demo`: สพป. ตัวอย่าง เขต 1, fiscal year 2570, as of July 2570.

It is laid out by `init` like any workbook, then filled the way staff fill one, including a handful of
deliberate typing slips for validate to find: Thai digits, BE date text, a percent typed in words, a
placeholder, and a KPI with no owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sheets_sync.backends.target import local_workbook
from sheets_sync.domain.schema import AGREEMENTS, KPIS, PEOPLE, RESULTS, STEPS
from sheets_sync.domain.thai import parse_integer
from sheets_sync.tasks.init import InitOptions, InitReport, run_init
from sheets_sync.workbook.operations import Backend, Operation, Value, WriteCells
from sheets_sync.workbook.tables import append_rows, read_table, set_settings

OFFICE_NAME = "สพป. ตัวอย่าง เขต 1"
FISCAL_YEAR = 2570
START = dt.date(2026, 10, 1)  # 1 ต.ค. 2569
AS_OF = dt.date(2027, 7, 20)  # 20 ก.ค. 2570: round 9 closed, its report not yet due

PEOPLE_ROWS: list[tuple[str, str, str, str, str]] = [
    ("P01", "นายสมชาย ใจดี", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "สำนักงานเขต", "ผู้อำนวยการ"),
    ("P02", "นางสาวสุนีย์ รักเรียน", "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "สำนักงานเขต", "ผู้กำกับดูแลตัวชี้วัด"),
    ("P03", "นายประเสริฐ มั่นคง", "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "สำนักงานเขต", "ผู้กำกับดูแลตัวชี้วัด"),
    ("P04", "นางวิไล ศรีสุข", "ผู้อำนวยการกลุ่มอำนวยการ", "กลุ่มอำนวยการ", "คณะทำงาน, ผู้กำกับดูแลตัวชี้วัด"),
    ("P05", "นายธนา พัฒนา", "ผู้อำนวยการกลุ่มนโยบายและแผน", "กลุ่มนโยบายและแผน", "คณะทำงาน, ผู้กำกับดูแลตัวชี้วัด"),
    ("P06", "นางอรุณี แสงทอง", "ผู้อำนวยการกลุ่มส่งเสริมการจัดการศึกษา", "กลุ่มส่งเสริมการจัดการศึกษา", "ผู้กำกับดูแลตัวชี้วัด"),
    ("P07", "นายวีระ กล้าหาญ", "ผู้อำนวยการกลุ่มบริหารงานการเงินและสินทรัพย์", "กลุ่มบริหารงานการเงินและสินทรัพย์", "ผู้กำกับดูแลตัวชี้วัด"),
    ("P08", "นางพรทิพย์ บุญมา", "ผู้อำนวยการกลุ่มนิเทศ ติดตามและประเมินผล", "กลุ่มนิเทศ ติดตามและประเมินผล", "ผู้กำกับดูแลตัวชี้วัด"),
    ("P09", "นายสุรชัย ทองดี", "ผู้อำนวยการกลุ่มบริหารงานบุคคล", "กลุ่มบริหารงานบุคคล", "ผู้กำกับดูแลตัวชี้วัด"),
    ("P10", "นางสาวกนกวรรณ ใจงาม", "ผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกลฯ", "กลุ่ม ICT", "ผู้กำกับดูแลตัวชี้วัด"),
    ("P11", "นางสาวนภา จันทร์เพ็ญ", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "กลุ่มนโยบายและแผน", "เจ้าหน้าที่, คณะทำงาน"),
    ("P12", "นายกิตติ ศักดิ์สิทธิ์", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "กลุ่มนโยบายและแผน", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P13", "นางมาลี ดอกไม้", "ศึกษานิเทศก์ชำนาญการพิเศษ", "กลุ่มนิเทศ ติดตามและประเมินผล", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P14", "นายอนันต์ ยิ่งใหญ่", "ศึกษานิเทศก์ชำนาญการ", "กลุ่มนิเทศ ติดตามและประเมินผล", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P15", "นางสาวจิราพร แก้วใส", "นักวิชาการเงินและบัญชีชำนาญการ", "กลุ่มบริหารงานการเงินและสินทรัพย์", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P16", "นายณัฐพล เรืองศรี", "นักจัดการงานทั่วไปชำนาญการ", "กลุ่มอำนวยการ", "ผู้รับผิดชอบตัวชี้วัด, คณะทำงาน"),
    ("P17", "นางสาวปิยะนุช สดใส", "นักทรัพยากรบุคคลชำนาญการ", "กลุ่มบริหารงานบุคคล", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P18", "นายชัยวัฒน์ พรหมมา", "นักวิชาการศึกษาชำนาญการ", "กลุ่มส่งเสริมการจัดการศึกษา", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P19", "นางรัตนา คำดี", "นักวิชาการตรวจสอบภายในชำนาญการ", "หน่วยตรวจสอบภายใน", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P20", "นายภูมิ ใจกว้าง", "นักวิชาการคอมพิวเตอร์ปฏิบัติการ", "กลุ่ม ICT", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P21", "นางสาวอัญชลี บัวงาม", "เจ้าพนักงานธุรการชำนาญงาน", "กลุ่มอำนวยการ", "เจ้าหน้าที่"),
    ("P22", "นายสมศักดิ์ ดีงาม", "นักวิชาการพัสดุชำนาญการ", "กลุ่มบริหารงานการเงินและสินทรัพย์", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P23", "นางสุภาพร ศรีวงศ์", "นิติกรชำนาญการ", "กลุ่มกฎหมายและคดี", "ผู้รับผิดชอบตัวชี้วัด"),
    ("P24", "นายบุญชู ขยันยิ่ง", "ผู้อำนวยการโรงเรียนบ้านหนองบัว", "โรงเรียนบ้านหนองบัว", "ผู้อำนวยการสถานศึกษา"),
    ("P25", "นางลำดวน หอมกลิ่น", "ผู้อำนวยการโรงเรียนวัดป่าเลไลย์", "โรงเรียนวัดป่าเลไลย์", "ผู้อำนวยการสถานศึกษา"),
]


@dataclass(frozen=True)
class DemoKpi:
    kpi_id: str
    name: str
    unit: str
    weight: int
    method: str
    criteria: tuple[Value, ...]
    owner: str | None
    supervisor: str
    direction: str = "มากดี"
    parent: str | None = None
    start_round: int | None = None
    psa: str = "ไม่ใช่"


KPI_ROWS: list[DemoKpi] = [
    DemoKpi("1", "ร้อยละของนักเรียนชั้นประถมศึกษาปีที่ 1 ที่อ่านออกเขียนได้", "ร้อยละ", 10, "เทียบบัญญัติไตรยางศ์",
            (60, 70, 80, 90, 100), "P13", "P08"),
    DemoKpi("2", "ผลสัมฤทธิ์ทางการเรียนของผู้เรียน", "", 20, "เทียบบัญญัติไตรยางศ์", (), "P14", "P08"),
    DemoKpi("2.1", "ร้อยละของนักเรียนชั้น ป.6 ที่มีผลการทดสอบ O-NET ไม่ต่ำกว่าร้อยละ 50", "ร้อยละ", 10,
            "เทียบบัญญัติไตรยางศ์", (20, 25, 30, 35, 40), "P14", "P08", parent="2"),
    DemoKpi("2.2", "ค่าเฉลี่ยผลการประเมินคุณภาพผู้เรียน (NT) ชั้น ป.3", "คะแนน", 10, "เทียบบัญญัติไตรยางศ์",
            (40, 45, 50, 55, 60), "P13", "P08", parent="2"),
    DemoKpi("3", "จำนวนวันเฉลี่ยในการโอนเงินอุดหนุนให้สถานศึกษา", "วัน", 8, "เทียบบัญญัติไตรยางศ์",
            (15, 12, 9, 6, 3), "P15", "P07", direction="น้อยดี"),
    DemoKpi("4", "จำนวนเรื่องร้องเรียนที่ไม่ได้รับการแก้ไขภายในเวลาที่กำหนด", "เรื่อง", 7, "เทียบบัญญัติไตรยางศ์",
            (10, 8, 6, 4, 2), "P23", "P04", direction="น้อยดี", psa="ใช่"),
    DemoKpi("5", "ระดับความสำเร็จของการพัฒนาระบบการควบคุมภายใน", "ระดับ", 10, "ระดับความสำเร็จ",
            (1, 2, 3, 4, 5), "P19", "P02"),
    DemoKpi("6", "ระดับความสำเร็จของการดำเนินงานตามแผนปฏิบัติการประจำปี", "ระดับ", 10, "ระดับความสำเร็จ",
            (1, 2, 3, 4, 5), "P12", "P05"),
    DemoKpi("7", "ร้อยละของการเบิกจ่ายงบประมาณรายจ่ายลงทุน", "ร้อยละ", 10, "ช่วงคะแนน",
            (0, 75, 80, 85, 90), "P22", "P07"),
    DemoKpi("8", "ร้อยละของสถานศึกษาที่ผ่านการประเมินคุณภาพภายนอก", "ร้อยละ", 8, "ช่วงคะแนน",
            (0, 70, 80, 90, 95), "P18", "P06"),
    DemoKpi("9", "ร้อยละความพึงพอใจของผู้รับบริการ", "ร้อยละ", 4, "เทียบบัญญัติไตรยางศ์",
            (70, 75, 80, 85, 90), "P16", "P04", psa="ใช่"),
    DemoKpi("10", "ผลการประเมินคุณธรรมและความโปร่งใส (ITA)", "คะแนน", 5, "เทียบบัญญัติไตรยางศ์",
            (75, 80, 85, 90, 95), None, "P03"),  # deliberate: the owner is missing
    DemoKpi("11", "คุณภาพการบริหารจัดการตามมาตรฐานสำนักงานเขตพื้นที่การศึกษา", "คะแนน", 5, "คณะกรรมการ",
            (), "P11", "P05"),
    DemoKpi("12", "ร้อยละของเด็กพิการที่ได้รับการศึกษาตามแผนการจัดการศึกษาเฉพาะบุคคล", "ร้อยละ", 3,
            "เทียบบัญญัติไตรยางศ์", (80, 85, 90, 95, 100), "P18", "P06", start_round=9),
]

# (kpi_id, round, result, committee score, reason, reported_by, reported_on, certification)
RESULT_ROWS: list[tuple[Value, ...]] = [
    ("1", 6, 78.5, None, None, "P13", dt.date(2027, 4, 20), "รับรองแล้ว"),
    ("2.1", 6, 27.3, None, None, "P14", dt.date(2027, 4, 22), "รับรองแล้ว"),
    ("2.2", 6, 47.25, None, None, "P13", dt.date(2027, 4, 22), "รับรองแล้ว"),
    ("3", 6, 7.5, None, None, "P15", "15/04/2570", "รับรองแล้ว"),  # BE date typed as text
    ("4", 6, 5, None, None, "P23", dt.date(2027, 4, 25), "รับรองแล้ว"),
    ("5", 6, "ระดับ 5", 4.8, "ส่งรายงานไม่ครบ 1 ครั้ง", "P19", dt.date(2027, 4, 28), "รับรองแล้ว"),
    ("6", 6, "ระดับ 3", None, None, "P12", dt.date(2027, 4, 28), "รับรองแล้ว"),
    ("7", 6, "ร้อยละ 82", None, None, "P22", dt.date(2027, 4, 29), "ผู้กำกับรับรอง"),  # percent in words
    ("8", 6, 84, None, None, "P18", dt.date(2027, 4, 29), "รับรองแล้ว"),
    ("9", 6, 83.4, None, None, "P16", dt.date(2027, 4, 30), "รับรองแล้ว"),
    ("10", 6, 86, None, None, "P11", dt.date(2027, 4, 30), "รับรองแล้ว"),
    ("11", 6, None, 4.2, "คณะกรรมการประเมินตามหลักฐาน", "P11", dt.date(2027, 4, 30), "รับรองแล้ว"),
    ("1", 9, "๘๕", None, None, "P13", dt.date(2027, 7, 10), "รอตรวจ"),  # Thai digits
    ("3", 9, 6, None, None, "P15", "๑๒ ก.ค. ๒๕๗๐", "รอตรวจ"),  # Thai digits in a BE date
    ("5", 9, "ระดับ 5", None, None, "P19", dt.date(2027, 7, 12), "รอตรวจ"),
    ("6", 9, "ระดับ 4", None, None, "P12", dt.date(2027, 7, 12), "รอตรวจ"),
    ("7", 9, "91%", None, None, "P22", dt.date(2027, 7, 15), "รอตรวจ"),
    ("9", 9, "ไม่ได้รายงาน", None, None, "P16", None, "ขอข้อมูลเพิ่ม"),  # placeholder
    ("12", 9, 92, None, None, "P18", dt.date(2027, 7, 18), "รอตรวจ"),
]

# the supervisor's comment on a row sent back for more data (certification ขอข้อมูลเพิ่ม needs one)
REVIEWER_COMMENTS: dict[tuple[str, int], str] = {
    ("9", 9): "ขอผลการทดสอบ O-NET ฉบับยืนยันจาก สทศ. ภายใน 5 ส.ค.",
}

# (step, actual_start, actual_end, status, note)
STEP_PROGRESS: dict[int, tuple[Value, ...]] = {
    1: (dt.date(2026, 10, 1), dt.date(2026, 10, 7), "เสร็จสิ้น", None),
    2: (dt.date(2026, 10, 8), dt.date(2026, 10, 12), "เสร็จสิ้น", "รอผู้อำนวยการลงนามคำสั่ง 2 วัน"),
    3: (dt.date(2026, 10, 14), dt.date(2026, 10, 21), "เสร็จสิ้น", None),
    4: ("22 ต.ค. 2569", "30 ต.ค. 2569", "เสร็จสิ้น", None),  # BE date text
    5: (dt.date(2026, 11, 2), dt.date(2026, 11, 27), "เสร็จสิ้น", "จัดประชุมชี้แจงเพิ่ม 1 ครั้ง"),
    6: (dt.date(2026, 11, 30), None, "กำลังดำเนินการ", None),
    7: (dt.date(2026, 12, 3), dt.date(2026, 12, 3), "เสร็จสิ้น", None),
    8: (dt.date(2027, 4, 1), None, "กำลังดำเนินการ", None),
}


def _agreements() -> list[dict[str, Value]]:
    director, position = PEOPLE_ROWS[0][1], PEOPLE_ROWS[0][2]
    rows: list[dict[str, Value]] = [{
        "level": "สพฐ./จังหวัด ↔ เขต", "maker": director, "maker_position": position,
        "receiver": "นายอัมพร พินะสา", "receiver_position": "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน",
        "unit": OFFICE_NAME, "signed_on": dt.date(2026, 12, 3),
    }]
    for pid in ("P04", "P05", "P07"):
        person = next(p for p in PEOPLE_ROWS if p[0] == pid)
        rows.append({"level": "เขต ↔ บุคลากร", "maker": person[1], "maker_position": person[2],
                     "receiver": director, "receiver_position": position, "unit": person[3],
                     "signed_on": dt.date(2026, 12, 3)})
    for person in PEOPLE_ROWS[-2:]:
        rows.append({"level": "เขต ↔ สถานศึกษา", "maker": person[1], "maker_position": person[2],
                     "receiver": director, "receiver_position": position, "unit": person[3],
                     "signed_on": "๔/๑๒/๒๕๖๙"})  # Thai digits, BE date
    return rows


def _kpi_row(kpi: DemoKpi) -> dict[str, Value]:
    row: dict[str, Value] = {
        "kpi_id": kpi.kpi_id, "parent_id": kpi.parent, "name": kpi.name, "unit": kpi.unit,
        "weight": kpi.weight, "method": kpi.method, "direction": kpi.direction if kpi.criteria else None,
        "owner": kpi.owner, "supervisor": kpi.supervisor, "psa": kpi.psa, "start_round": kpi.start_round,
        "data_source": "ระบบรายงานผลของ สพฐ.",
    }
    for level, value in enumerate(kpi.criteria, start=1):
        row[f"c{level}"] = value
    if kpi.kpi_id == "1":
        row["c3"] = "ร้อยละ ๘๐"  # criteria copied from an official table, Thai digits and all
        row["baseline_1"], row["baseline_2"] = 74.2, 77.9
    return row


def fill_operations(backend: Backend) -> list[Operation]:
    data = backend.read()
    ops: list[Operation] = []
    ops += set_settings(data, {
        "office_name": OFFICE_NAME, "office_code": "1099",
        "round6_due": dt.date(2027, 4, 30), "round9_due": dt.date(2027, 7, 31), "round12_due": dt.date(2027, 10, 31),
    })
    ops += append_rows(data, PEOPLE, [
        {"person_id": p[0], "name": p[1], "position": p[2], "group": p[3], "role": p[4],
         "email": f"{p[0].lower()}@example.go.th"} for p in PEOPLE_ROWS
    ])
    ops += append_rows(data, KPIS, [_kpi_row(k) for k in KPI_ROWS])
    ops += append_rows(data, RESULTS, [
        {"kpi_id": r[0], "round": r[1], "result": r[2], "committee_score": r[3], "override_reason": r[4],
         "reported_by": r[5], "reported_on": r[6], "certification": r[7],
         "reviewer_comment": REVIEWER_COMMENTS.get((str(r[0]), int(r[1])))} for r in RESULT_ROWS  # type: ignore[arg-type]
    ])
    ops += append_rows(data, AGREEMENTS, _agreements())
    steps = read_table(data, STEPS)
    for record in steps.records:
        progress = STEP_PROGRESS.get(parse_integer(record.get("step")))
        if progress is None:
            continue
        for key, value in zip(("actual_start", "actual_end", "status", "note"), progress):
            if value is not None:
                ops.append(WriteCells(steps.title or STEPS.th, record.row, steps.columns[key], ((value,),)))
    return ops


def _refuse_unless_demo(path: Path) -> None:
    """A real office's workbook where the demo would go is never replaced: only an earlier demo is."""
    from sheets_sync.errors import SheetsSyncError
    from sheets_sync.exit_codes import ExitCode
    from sheets_sync.workbook.tables import read_settings

    try:
        entries = read_settings(local_workbook(path).read())
    except SheetsSyncError:
        entries = {}
    name = entries.get("office_name")
    if name is None or str(name.value or "").strip() != OFFICE_NAME:
        raise SheetsSyncError(
            ExitCode.USAGE,
            f"{path} มีอยู่แล้วและไม่ใช่สมุดงานตัวอย่าง จึงไม่เขียนทับ โปรดเลือกโฟลเดอร์อื่นด้วย --dir",
            f"{path} exists and is not the demo's workbook, so it is not replaced; choose another folder with --dir")


def make_demo_workbook(path: Path) -> InitReport:
    """Write the sample office's workbook at `path`, replacing an earlier demo there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        _refuse_unless_demo(path)
    path.unlink(missing_ok=True)
    backend = local_workbook(path)
    report = run_init(backend, InitOptions(FISCAL_YEAR, START, OFFICE_NAME, today=AS_OF))
    backend.apply(fill_operations(backend))
    return report
