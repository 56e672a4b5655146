"""How an official document names things: the office in full, a position with the office it belongs to, a KPI's
five levels as the scoring table prints them.  Plain functions of the domain's values, shared by every document."""

from __future__ import annotations

import re
from decimal import Decimal

from sheets_sync.domain.model import Kpi
from sheets_sync.domain.scoring import Direction, Method

# The short forms offices type, and the names the documents spell out (สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน's own
# naming: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1 — no space between the kind and the province)
SHORT_FORMS = (
    ("สพป.", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา"),
    ("สพม.", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา"),
    ("สพฐ.", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"),
)
OFFICE_KIND = "สำนักงานเขตพื้นที่การศึกษา"


def full_name(name: str) -> str:
    """`สพป. ตัวอย่าง เขต 1` → `สำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 1`; a full name stays as typed."""
    text = " ".join(name.split())
    for short, full in SHORT_FORMS:
        if text.startswith(short):
            return full + text[len(short):].lstrip()
    return text


def position_in_office(position: str, office_name: str, of_the_office: bool) -> str:
    """A position as a signed document writes it: `ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา` names which office
    (`…ประถมศึกษาตัวอย่าง เขต 1`), and a group director of the office says the office after the group.  A position
    that already names a place (a school, OBEC, the office itself) stays as typed."""
    text = " ".join(position.split())
    office = full_name(office_name)
    if not text or office in text:
        return text
    generic = re.fullmatch(rf"(.*?){OFFICE_KIND}(ประถมศึกษา|มัธยมศึกษา)?", text)
    if generic and office.startswith(OFFICE_KIND):
        return generic.group(1) + office
    if of_the_office:
        return f"{text} {office}"
    return text


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _band(low: Decimal, high: Decimal | None, direction: Direction, first: bool) -> str:
    """A band's range in words; `high` is the next level's bound (None for level 5)."""
    if direction is Direction.HIGHER:
        if high is None:
            return f"{_plain(low)} ขึ้นไป"
        if first and low == 0:
            return f"ต่ำกว่า {_plain(high)}"
        if _whole(low) and _whole(high):
            return f"{_plain(low)}–{_plain(high - 1)}"
        return f"{_plain(low)} ถึงน้อยกว่า {_plain(high)}"
    if high is None:
        return f"ไม่เกิน {_plain(low)}"
    if _whole(low) and _whole(high):
        return f"{_plain(high + 1)}–{_plain(low)}"
    return f"มากกว่า {_plain(high)} ถึง {_plain(low)}"


COMMITTEE = "คณะกรรมการประเมินและให้คะแนน 1–5"


def levels_in_words(kpi: Kpi) -> tuple[str, ...]:
    """The five levels as the annex and the KPI template print them: a figure for the rule of three, a range for a
    banded KPI (`ต่ำกว่า 75`, `75–79`, … `90 ขึ้นไป`, never a bare `0`), `ระดับ n` for a level of success, and the
    committee for a KPI it scores.  Blank where a level is not typed."""
    if kpi.method is Method.MANUAL:  # one cell across the five where the layout can span it
        return (COMMITTEE, "", "", "", "")
    criteria = kpi.criteria
    if kpi.method is Method.MILESTONE:
        return tuple(f"ระดับ {n}" if c is not None else "" for n, c in enumerate(criteria, start=1))
    if kpi.method is Method.BANDED and all(c is not None for c in criteria):
        bounds = [c for c in criteria if c is not None]
        return tuple(_band(bounds[k], bounds[k + 1] if k < 4 else None, kpi.direction, k == 0) for k in range(5))
    return tuple("" if c is None else _plain(c) for c in criteria)


def target_in_words(kpi: Kpi) -> str:
    """The target as typed; blank, it is level 3, the standard target of the OPDC scoring scale (ค่าเป้าหมายมาตรฐาน)."""
    if kpi.target is not None:
        return _plain(kpi.target)
    if kpi.method is Method.MANUAL:
        return "-"  # the committee's own scale: the five levels' cell says so
    return levels_in_words(kpi)[2]


# What an office does for itself, not what a school signs for (the work standard cascades learners' outcomes to
# schools; the office's own budget, integrity, control, complaints, plan and service stay with the office)
OFFICE_ONLY_TOPICS = ("เบิกจ่าย", "งบประมาณ", "ITA", "คุณธรรมและความโปร่งใส", "ควบคุมภายใน", "มาตรฐานสำนักงานเขตพื้นที่",
                      "ร้องเรียน", "โอนเงิน", "แผนปฏิบัติการ", "ผู้รับบริการ")


def office_only(kpi: Kpi) -> bool:
    """Whether the KPI is the office's own work by what it measures (a blank `ใช้กับสถานศึกษา` goes by this)."""
    return any(topic in kpi.name for topic in OFFICE_ONLY_TOPICS)
