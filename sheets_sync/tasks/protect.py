"""`protect`: on a Google Sheet, each person edits only their own rows and has their own filter view.

One read and one atomic write: hard protected ranges (Google ignores editors on warning-only ones) made from
domain/rights.py, and a filter view `ของฉัน: <name>` per person on the KPI and results tabs.  Re-running replaces
only what the tool made (its ranges' descriptions start `sheets-sync [rights]`, its views' titles `ของฉัน: `) and
writes nothing when that is already in place; people's own protections and views are never touched.  Rows of
a sealed round are left to the seal's own protection (coordinators only).  The tabs the tool writes get a hard
protection for the coordinators and the tool in place of init's warning (Google allows one over a whole tab), so
staff cannot leave a hand edit in a summary that a build, reading it by its header alone, would not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheets_sync.domain.words import Words
from sheets_sync.domain.cell import column_letter, consecutive_runs
from sheets_sync.domain.model import Office
from sheets_sync.domain.rights import (
    COORDINATOR_TABS,
    REVIEW_COLUMNS,
    STAFF_COLUMNS,
    TOOL_TABS,
    MissingEmail,
    always_editors,
    missing_emails,
    people_to_view,
    row_rights,
)
from sheets_sync.domain.schema import KPIS, RESULTS
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.live_checks import LAST_ROW
from sheets_sync.workbook.tables import Table
from sheets_sync.workbook.office import load_office
from sheets_sync.workbook.operations import (
    Area,
    Backend,
    EditRights,
    FilterView,
    FilterViews,
    Operation,
    Protect,
    WorkbookData,
    quote_title,
    scope_prefix,
)

RIGHTS_SCOPE = "rights"
VIEW_PREFIX = "ของฉัน: "
STAFF_LABEL = ("ผลของตัวชี้วัด: แก้ได้เฉพาะผู้รับผิดชอบ ผู้จัดเก็บข้อมูล ผู้กำกับดูแล และผู้ประสานงาน / "
               "results: the KPI's owner, collector, supervisor and the coordinators")
REVIEW_LABEL = ("คะแนนคณะกรรมการและการรับรอง: แก้ได้เฉพาะผู้กำกับดูแลและผู้ประสานงาน / "
                "committee score and certification: the KPI's supervisor and the coordinators")
TAB_LABEL = "แก้ได้เฉพาะผู้ประสานงาน / coordinators only"
TOOL_TAB_LABEL = ("แท็บที่เครื่องมือเขียน: แก้ได้เฉพาะผู้ประสานงาน (build เขียนทับ) / "
                  "a tab the tool writes: coordinators only (build rewrites it)")


@dataclass
class ProtectPlan:
    rights: EditRights
    views: FilterViews
    missing: list[MissingEmail] = field(default_factory=list)
    unchanged: bool = False
    warnings: tuple[Protect, ...] = ()  # after --remove: init's warning back over the tabs the tool writes

    def operations(self) -> list[Operation]:
        return [] if self.unchanged else [self.rights, self.views, *self.warnings]


@dataclass
class ProtectReport:
    target: str
    plan: ProtectPlan
    removed: bool = False
    written: bool = False
    requests: int = 0
    notes: list[Words] = field(default_factory=list)

    @property
    def ranges(self) -> int:
        return len(self.plan.rights.areas)

    @property
    def views(self) -> int:
        return len(self.plan.views.views)


def _result_areas(office: Office, always: set[str]) -> list[tuple[Area, tuple[str, ...], str]]:
    table: Table = office.tables[RESULTS.key]
    title = office.title(RESULTS.key)
    kpis = {k.kpi_id: k for k in office.kpis}
    sealed = {(row.kpi_id, seal.round) for seal in office.seals.current().values() for row in seal.rows}
    rows = sorted((entry.row, row_rights(office, kpis.get(entry.kpi_id), always))
                  for entry in office.results if (entry.kpi_id, entry.round) not in sealed)
    areas = []
    for keys, label, pick in ((STAFF_COLUMNS, STAFF_LABEL, lambda r: r.staff), (REVIEW_COLUMNS, REVIEW_LABEL,
                                                                                lambda r: r.review)):
        col_runs = consecutive_runs([table.columns[k] for k in keys if k in table.columns])
        row_runs: list[tuple[int, int, tuple[str, ...]]] = []
        for row, rights in rows:  # rows next to each other with the same people share one range
            editors = pick(rights)
            if row_runs and row_runs[-1][1] == row - 1 and row_runs[-1][2] == editors:
                row_runs[-1] = (row_runs[-1][0], row, editors)
            else:
                row_runs.append((row, row, editors))
        areas += [(Area(title, first, last, c1, c2), editors, label)
                  for first, last, editors in row_runs for c1, c2 in col_runs]
    return areas


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _views(office: Office) -> tuple[FilterView, ...]:
    kpi_table: Table = office.tables[KPIS.key]
    kpi_title, result_title = office.title(KPIS.key), office.title(RESULTS.key)
    roles = [k for k in ("owner", "supervisor", "collector") if k in kpi_table.columns]
    id_col, result_id_col = kpi_table.columns["kpi_id"], office.places[RESULTS.key].columns["kpi_id"]

    def span(key: str) -> str:
        letter = column_letter(kpi_table.columns[key])
        return f'INDIRECT("{quote_title(kpi_title)}!${letter}$2:${letter}${LAST_ROW}")'

    views = []
    for person_id, name in people_to_view(office):
        mine = ",".join(f"${column_letter(kpi_table.columns[k])}2={_text(person_id)}" for k in roles)
        theirs = ",".join(f"COUNTIFS({span('kpi_id')},${column_letter(result_id_col)}2,{span(k)},{_text(person_id)})>0"
                          for k in roles)
        views.append(FilterView(f"{VIEW_PREFIX}{name}", kpi_title, id_col, f"=OR({mine})"))
        views.append(FilterView(f"{VIEW_PREFIX}{name}", result_title, result_id_col, f"=OR({theirs})"))
    return tuple(views)


def _same_protections(data: WorkbookData, rights: EditRights) -> bool:
    """Are exactly these ranges in place?  Google may list the owner among a range's editors as well: one address
    that every range has beyond what was asked is not a difference."""
    found = {p.area: set(p.editors) for p in data.protections or [] if p.description.startswith(scope_prefix(RIGHTS_SCOPE))}
    wanted = {area: set(editors) for area, editors, _ in rights.areas}
    if found.keys() != wanted.keys() or any(not found[a] >= wanted[a] for a in wanted):
        return False
    beyond = {frozenset(found[a] - wanted[a]) for a in wanted}
    return len(beyond) <= 1 and all(len(b) <= 1 for b in beyond)


def plan_protection(data: WorkbookData, office: Office, account: str | None, remove: bool = False) -> ProtectPlan:
    if remove:
        plan = ProtectPlan(EditRights(RIGHTS_SCOPE), FilterViews(VIEW_PREFIX),
                           warnings=tuple(Protect(title) for tab in TOOL_TABS if (title := data.title_of(tab))))
    else:
        always = always_editors(office, account)
        areas = [(Area(office.title(tab.key)), tuple(sorted(always)), TAB_LABEL)
                 for tab in COORDINATOR_TABS] + _result_areas(office, always)
        areas += [(Area(title), tuple(sorted(always)), TOOL_TAB_LABEL)
                  for tab in TOOL_TABS if (title := data.title_of(tab)) is not None]
        plan = ProtectPlan(EditRights(RIGHTS_SCOPE, tuple(areas)), FilterViews(VIEW_PREFIX, _views(office)),
                           missing_emails(office))
    views_now = {v for v in data.filter_views or [] if v.title.startswith(VIEW_PREFIX)}
    plan.unchanged = _same_protections(data, plan.rights) and views_now == set(plan.views.views)
    return plan


def require_google(data: WorkbookData) -> None:
    if data.protections is None:
        raise SheetsSyncError(
            ExitCode.NOT_AVAILABLE,
            "การป้องกันรายบุคคลใช้ได้เฉพาะบน Google Sheets: ไฟล์ .xlsx ล็อกแถวให้แก้ได้เฉพาะบางคนไม่ได้ "
            "(ใช้ validate ตรวจแทน หรือ copy ขึ้น Google Sheets)",
            "per-person protection works on Google Sheets only: a .xlsx file cannot lock rows to some people "
            "(rely on validate there, or copy the workbook to Google Sheets)")


def run_protect(backend: Backend, remove: bool = False, dry_run: bool = False) -> ProtectReport:
    data = backend.read()
    require_google(data)
    office = load_office(data)
    report = ProtectReport(backend.description, plan_protection(data, office, backend.account, remove), removed=remove)
    operations = report.plan.operations()
    if operations and not dry_run:
        report.notes = backend.apply(operations).notes
        report.written = True
    report.requests = backend.requests
    return report
