"""The ten steps of the office's work standard (seed: work-standard-flowchart.th.md) and their planned dates.

The seed's obvious typing slips are mended here: จนพ. → จนท., สทฐ. → สพฐ., ส่งต่อ → ส่งผลต่อ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheets_sync.domain.calendar import (
    end_of,
    fiscal_year_bounds,
    next_working_day,
    parse_duration,
    round_end,
)

WORK_AGREEMENT = "งานคำรับรองการปฏิบัติราชการของเขตพื้นที่การศึกษา"
WORK_EVALUATION = "งานประเมินผลการปฏิบัติราชการของเขตพื้นที่การศึกษา"


@dataclass(frozen=True)
class StandardStep:
    step: int
    detail: str
    duration: str
    responsible: str
    quality_standard: str = ""

    @property
    def work(self) -> str:
        return WORK_AGREEMENT if self.step <= 6 else WORK_EVALUATION


STANDARD_STEPS: tuple[StandardStep, ...] = (
    StandardStep(1, "ศึกษา วิเคราะห์ แนวทางการปฏิบัติงาน เกณฑ์การให้คะแนน และค่าเป้าหมายการให้บริการสาธารณะ (PSA)",
                 "1 สัปดาห์", "จนท./คณะทำงาน"),
    StandardStep(2, "นำเสนอผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษา/มัธยมศึกษา พิจารณาให้ความเห็นชอบ "
                    "ลงนามคำสั่ง/มอบหมายงาน", "2 วัน", "จนท."),
    StandardStep(3, "สร้างทีมงาน มอบหมายคณะทำงาน ผู้กำกับดูแลตัวชี้วัด และผู้รับผิดชอบตัวชี้วัด", "1 สัปดาห์",
                 "จนท./คณะทำงาน"),
    StandardStep(4, "จัดเก็บข้อมูลพื้นฐาน ข้อมูลปฏิทิน (baselines) เพื่อให้ผู้รับผิดชอบกำหนดแนวทางบรรลุเป้าหมาย"
                    "สำหรับตัวชี้วัดที่รับผิดชอบ", "1 สัปดาห์", "จนท."),
    StandardStep(5, "สื่อสาร เพื่อให้คณะทำงาน ผู้รับผิดชอบ มีความรู้ ความเข้าใจ และความสำคัญของตัวชี้วัดการปฏิบัติ"
                    "ราชการที่ส่งผลต่อการปฏิบัติราชการของบุคลากรทุกคนและสำนักงานเขตพื้นที่การศึกษา รวมถึงแนวทาง"
                    "การจัดทำคำรับรองการปฏิบัติราชการประจำปีงบประมาณ การจัดทำรายละเอียดตัวชี้วัด (KPI's Template)",
                 "3 สัปดาห์", "จนท."),
    StandardStep(6, "คณะทำงาน ผู้รับผิดชอบ ขับเคลื่อน รายงานผลตามปฏิทินปฏิบัติงานที่กำหนด", "ตลอดปีงบประมาณ",
                 "จนท./คณะทำงาน",
                 "สำนักงานเขตพื้นที่การศึกษามีผลการปฏิบัติราชการบรรลุเป้าหมายตัวชี้วัดที่กำหนด"),
    StandardStep(7, "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาจัดทำข้อตกลงการปฏิบัติงานกับบุคลากรในสำนักงานเขตพื้นที่"
                    "การศึกษา ผู้อำนวยการสถานศึกษา เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน หรือผู้ว่าราชการจังหวัด (ถ้ามี)",
                 "1 วัน", "จนท."),
    StandardStep(8, "ผู้รับผิดชอบประเมินผลและรายงานผลรอบ 6 เดือน 9 เดือน และ 12 เดือน ตามที่ สพฐ./จังหวัด (ถ้ามี) กำหนด",
                 "รอบ 6/9/12 เดือน", "ผู้รับผิดชอบตัวชี้วัด"),
    StandardStep(9, "ตรวจสอบผลการรับรอง/จัดส่งข้อมูลเพิ่มเติม", "1 เดือน", "จนท."),
    StandardStep(10, "สรุป รายงานผล", "1 เดือน", "จนท.", "เอกสารรายงานผลการปฏิบัติราชการ"),
)


def planned_dates(
    start: dt.date,
    fiscal_year: int,
    working_days: bool = False,
    round12_due: dt.date | None = None,
) -> dict[int, tuple[dt.date, dt.date]]:
    """Planned (start, end) per standard step.

    Steps 1–5 run in sequence from `start`; step 7 (signing) follows step 5; step 6 runs from then to the
    end of the fiscal year; step 8 from the end of round 6 to the round-12 deadline (or the year's end);
    steps 9 and 10 follow, a month each.
    """
    plan: dict[int, tuple[dt.date, dt.date]] = {}
    day = next_working_day(start) if working_days else start
    for step in STANDARD_STEPS[:5]:
        duration = parse_duration(step.duration)
        assert duration is not None
        end = end_of(day, duration, working_days)
        plan[step.step] = (day, end)
        day = end + dt.timedelta(days=1)
        if working_days:
            day = next_working_day(day)
    _, year_end = fiscal_year_bounds(fiscal_year)
    plan[7] = (day, day)
    plan[6] = (day, year_end)
    step8_end = round12_due or year_end
    plan[8] = (round_end(fiscal_year, 6), step8_end)
    day = step8_end + dt.timedelta(days=1)
    for number in (9, 10):
        duration = parse_duration(STANDARD_STEPS[number - 1].duration)
        assert duration is not None
        first = next_working_day(day) if working_days else day
        end = end_of(first, duration, working_days)
        plan[number] = (first, end)
        day = end + dt.timedelta(days=1)
    return dict(sorted(plan.items()))
