"""What each agreement and each KPI template says, from one read of the workbook: plain data the Word and
PDF writers (and an office's own template) lay out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from sheets_sync.domain.model import DIRECTION_TH, METHOD_TH, Kpi, Office, Person, _text
from sheets_sync.domain.scoring import Method
from sheets_sync.domain.official_words import (
    full_name,
    levels_in_words,
    office_only,
    position_in_office,
    target_in_words,
)
from sheets_sync.domain.certification import due_date
from sheets_sync.domain.round_scores import RoundSummary, kpi_sort_key
from sheets_sync.domain.schema import (
    AGREEMENT_LEVELS,
    AGREEMENTS,
    KPIS,
    PEOPLE,
    ROUND_NUMBERS,
    normalize,
)
from sheets_sync.domain.scoring import display
from sheets_sync.domain.thai import ParseError, format_date_be, is_yes, parse_date
from sheets_sync.outputs import safe_file_name
from sheets_sync.report.content import fmt_plain
from sheets_sync.workbook.operations import WorkbookData
from sheets_sync.workbook.tables import read_table

LEVEL_SHORT = {"obec_office": "สพฐ-เขต", "office_staff": "เขต-บุคลากร", "office_school": "เขต-สถานศึกษา"}
LEVEL_TH = {c.key: c.th for c in AGREEMENT_LEVELS}


def plain(value: object) -> str:
    """A figure as a document prints it: no trailing zeros, blank for none."""
    return f"{value}" if str(value).startswith("ระดับ") else fmt_plain(value)  # the report's rule; a level as it is


@dataclass
class Party:
    name: str
    position: str


@dataclass
class AnnexRow:
    kpi_id: str
    name: str
    unit: str
    weight: str  # a sub-KPI's in parentheses: it is part of its parent's, not added again
    target: str
    criteria: list[str]
    depth: int = 0  # 1: a sub-KPI, shown indented under its parent
    committee: bool = False  # the committee scores it: the five levels are one cell

    @property
    def indent(self) -> str:
        """What goes before the name of a sub-KPI in a template (`{{ k.indent }}{{ k.name }}`)."""
        return "\u2003\u2003" * self.depth


@dataclass
class Agreement:
    row: int
    level: str  # the choice key
    level_th: str
    makers: list[Party]
    receivers: list[Party]
    unit: str
    signed_on: str  # BE, or blank for a date to write by hand
    document: str
    office: str
    fiscal_year: int
    annex: list[AnnexRow] = field(default_factory=list)
    annex_total: str = ""  # the weights that add up: top-level KPIs only, a parent's children are inside it
    unit_typed: str = ""  # as the ข้อตกลง tab has it: short, for the file name

    @property
    def period(self) -> str:
        return f"1 ตุลาคม {self.fiscal_year - 1} ถึงวันที่ 30 กันยายน {self.fiscal_year}"

    @property
    def file_stem(self) -> str:
        # a person's own agreement by the person's name: a group has several, a file each
        named = self.makers[0].name if self.makers else ""
        who = (named if self.level == "office_staff" else "") or self.unit_typed or named or str(self.row)
        return f"{self.fiscal_year}_{LEVEL_SHORT.get(self.level, self.level)}_{safe_name(who)}"

    def context(self) -> dict[str, object]:
        """The fields a Word template may use: {{ maker }}, {{ receiver }}, {% for k in annex %} …"""
        return {
            "office": self.office, "fiscal_year": self.fiscal_year, "period": self.period, "unit": self.unit or self.office,
            "level": self.level_th, "maker": " และ ".join(p.name for p in self.makers),
            "maker_position": " และ ".join(p.position for p in self.makers if p.position),
            "receiver": " และ ".join(p.name for p in self.receivers),
            "receiver_position": " และ ".join(p.position for p in self.receivers if p.position),
            "makers": self.makers, "receivers": self.receivers, "signed_on": self.signed_on or "……………………",
            "annex": self.annex, "annex_total": self.annex_total,
        }


safe_name = safe_file_name  # a file name made from a cell: one rule for every output (sheets_sync/outputs.py)


def _parties(names: object, positions: object, office_name: str, of_the_office: bool) -> list[Party]:
    """The people on one side, each with the position a signed document writes (the office named in full)."""
    split = lambda v: [p.strip() for p in re.split(r"[\n;]+", _text(v)) if p.strip()]  # noqa: E731
    name_list, position_list = split(names), split(positions)
    return [Party(n, position_in_office(
                position_list[i] if i < len(position_list) else (position_list[-1] if position_list else ""),
                office_name, of_the_office))
            for i, n in enumerate(name_list)]


def annex_row(kpi: Kpi, depth: int = 0) -> AnnexRow:
    weight = plain(kpi.weight)
    return AnnexRow(kpi.kpi_id, kpi.name, kpi.unit, f"({weight})" if depth and weight else weight,
                    target_in_words(kpi), list(levels_in_words(kpi)), depth, kpi.method is Method.MANUAL)


def annex_of(kpis: list[Kpi]) -> tuple[list[AnnexRow], str]:
    """The annex rows in id order, each sub-KPI under its parent, and the total of the weights that add up (a
    sub-KPI whose parent is in the annex is part of the parent's weight)."""
    ids = {k.kpi_id for k in kpis}
    rows = [annex_row(k, 1 if k.parent_id in ids else 0) for k in sorted(kpis, key=lambda k: kpi_sort_key(k.kpi_id))]
    total = sum((k.weight for k in kpis if k.weight is not None and k.parent_id not in ids), Decimal(0))
    return rows, plain(total)


def _for_schools(data: WorkbookData, office: Office) -> set[str]:
    """The KPIs a school signs: typed ใช่ in ใช้กับสถานศึกษา, or left blank and not the office's own work."""
    table = read_table(data, KPIS)
    typed = {_text(r.get("kpi_id")): r.get("for_schools") for r in table.records if not r.blank("for_schools")} \
        if "for_schools" in table.columns else {}
    return {k.kpi_id for k in office.kpis
            if (is_yes(typed[k.kpi_id]) if k.kpi_id in typed else not office_only(k))}


def _people_named(office: Office, names: list[Party]) -> set[str]:
    wanted = {normalize(p.name) for p in names}
    return {p.person_id for p in office.people if normalize(p.name) in wanted}


def agreements(data: WorkbookData, office: Office) -> list[Agreement]:
    table = read_table(data, AGREEMENTS)
    level_col = AGREEMENTS.column("level")
    ordered = sorted(office.kpis, key=lambda k: kpi_sort_key(k.kpi_id))
    schools = _for_schools(data, office)
    found = []
    for r in table.records:
        level = level_col.choice_for(_text(r.get("level")))
        try:  # an official document spells the month out (วันที่ 3 ธันวาคม 2569); blank is written by hand
            signed = format_date_be(parse_date(r.get("signed_on")), long=True) if not r.blank("signed_on") else ""
        except ParseError:
            signed = _text(r.get("signed_on"))
        key = level.key if level else ""
        name = office.settings.office_name
        staff = key == "office_staff"
        unit = full_name(_text(r.get("unit")))
        agreement = Agreement(r.row, key, level.th if level else _text(r.get("level")),
                              _parties(r.get("maker"), r.get("maker_position"), name, staff),
                              _parties(r.get("receiver"), r.get("receiver_position"), name, False),
                              position_in_office(unit, name, staff) if unit else "", signed,
                              _text(r.get("document")), full_name(name), office.settings.fiscal_year,
                              unit_typed=_text(r.get("unit")))
        if agreement.level == "office_staff":
            mine = _people_named(office, agreement.makers)
            scope = [k for k in ordered if k.owner in mine or k.supervisor in mine]
        elif agreement.level == "office_school":
            scope = [k for k in ordered if k.kpi_id in schools]
        else:
            scope = ordered
        agreement.annex, agreement.annex_total = annex_of(scope)
        found.append(agreement)
    return found


# --- the KPI template (step 5) ------------------------------------------------------------------------------


@dataclass
class Contact:
    role: str
    person_id: str
    name: str
    position: str
    phone: str
    email: str


@dataclass
class KpiPage:
    kpi: Kpi
    fiscal_year: int
    office: str
    fields: dict[str, str]
    baselines: list[tuple[int, str]]  # (BE year, value), last year first
    contacts: list[Contact]
    rounds: list[int]
    result: dict[str, str] | None = None  # the round's result block, with --round

    def context(self) -> dict[str, object]:
        return {"kpi": self.kpi, "fiscal_year": self.fiscal_year, "office": self.office, **self.fields,
                "baselines": self.baselines, "contacts": self.contacts, "rounds": self.rounds, "result": self.result}


def _contact(role: str, person: Person | None, person_id: str, positions: dict[str, dict[str, str]]) -> Contact:
    extra = positions.get(person_id, {})
    return Contact(role, person_id, person.name if person else person_id, extra.get("position", ""),
                   extra.get("phone", ""), person.email if person else "")


def kpi_pages(data: WorkbookData, office: Office, summary: RoundSummary | None = None) -> list[KpiPage]:
    kpi_table = read_table(data, KPIS)
    records = {r.row: r for r in kpi_table.records}
    people_table = read_table(data, PEOPLE)
    positions = {_text(r.get("person_id")): {"position": _text(r.get("position")), "phone": _text(r.get("phone"))}
                 for r in people_table.records}
    fy = office.settings.fiscal_year
    pages = []
    for kpi in sorted(office.kpis, key=lambda k: kpi_sort_key(k.kpi_id)):
        record = records[kpi.row]
        fields = {key: _text(record.get(key)) for key in ("unit", "definition", "formula", "data_source",
                                                         "evidence_required", "collector")}
        fields.update({
            "name": kpi.name, "kpi_id": kpi.kpi_id, "weight": plain(kpi.weight), "target": plain(kpi.target),
            "psa": "ใช่" if is_yes(record.get("psa")) else "ไม่ใช่",
            "method": METHOD_TH.get(kpi.method, "") if kpi.method else "",
            "direction": DIRECTION_TH.get(kpi.direction, ""),
        })
        for n, words in enumerate(levels_in_words(kpi), start=1):  # ranges for a banded KPI, the committee's
            fields[f"c{n}"] = words
        fields["target"] = target_in_words(kpi)
        for role, pid in (("owner_name", kpi.owner), ("supervisor_name", kpi.supervisor)):
            person = office.person(pid) if pid else None
            fields[role] = person.name if person else ""
        contacts = [_contact(role, office.person(pid), pid, positions) for role, pid in
                    (("ผู้รับผิดชอบ", kpi.owner), ("ผู้กำกับดูแล", kpi.supervisor), ("ผู้จัดเก็บข้อมูล", kpi.collector))
                    if pid]
        page = KpiPage(kpi, fy, full_name(office.settings.office_name), fields,
                       [(fy - n, plain(b)) for n, b in enumerate(kpi.baselines, start=1)], contacts,
                       [r for r in ROUND_NUMBERS if kpi.counts_in(r)])
        if summary is not None:
            row = next((r for r in summary.rows if r.kpi.kpi_id == kpi.kpi_id), None)
            page.result = {"round": str(summary.round), "due": format_date_be(due_date(office, summary.round)),
                           "result": row.shown_result(unit=True) if row else "",
                           "score": str(display(row.score_used)) if row and row.score_used is not None else ""}
        pages.append(page)
    return pages
