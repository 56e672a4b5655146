"""The site's pages from one read: the figures are the build's (compile_office), the words the report's, the to-do
lists the reminders'.  Jinja2 with autoescape, so a KPI named `<script>` is shown as text.  `public` leaves out
every name, e-mail and phone of staff and the per-person pages, and marks what is not certified."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

import fontpkg_sarabun
from jinja2 import FileSystemLoader, select_autoescape

from sheets_sync.documents.content import kpi_pages, plain, safe_name
from sheets_sync.documents.wording import KPI_ROWS, SIGNATURE_ROWS, render
from sheets_sync.domain.certification import NOT_CERTIFIED_TH, state_th
from sheets_sync.domain.model import Office
from sheets_sync.domain.outstanding import Outstanding, outstanding
from sheets_sync.domain.certification import due_date
from sheets_sync.domain.reminders import KIND_TH, next_round, reminders_for
from sheets_sync.domain.round_scores import KpiScore, RoundSummary, kpi_sort_key
from sheets_sync.domain.rules import index_results
from sheets_sync.domain.scoring import display
from sheets_sync.domain.scoring import verdict
from sheets_sync.domain.step_tracking import StepState
from sheets_sync.domain.thai import format_date_be
from sheets_sync.outputs import claim_folder, record_folder, write_output
from sheets_sync.templating import sandboxed
from sheets_sync.report.charts import gantt_chart, kpi_rounds_chart, kpi_score_chart, office_result_chart
from sheets_sync.report.content import STEP_HEADER, report_data, step_rows
from sheets_sync.workbook.operations import WorkbookData

TEMPLATES = Path(__file__).parent / "templates"
CONTACT_ROW = "ผู้เกี่ยวข้อง"  # the KPI template's row with names, phones and e-mails: not on a public site

Link = Callable[[int], "str | None"]  # a results row → a link that opens it in the sheet


@dataclass
class SiteReport:
    out: Path
    pages: list[Path]
    public: bool


def _shown(value: object) -> str:
    """A score or a result as the site shows it: scores to 4 decimals, results as typed."""
    if value is None:
        return ""
    return str(display(value)) if isinstance(value, Decimal) else plain(value)


def _round_card(s: RoundSummary) -> dict[str, object]:
    leaves = [r for r in s.rows if not r.is_parent]
    passed = s.official_passed if s.seal is not None else s.passed
    has_figure = s.seal is not None or s.office_result is not None
    return {
        "round": s.round, "official": _shown(s.official_result) if s.seal is not None else "",
        "official_band": s.official_band.name if s.official_band else "-",
        "official_verdict": verdict(s.official_passed)[0],
        "provisional": _shown(s.office_result), "provisional_differs": s.provisional_differs,
        "band": s.band.name if s.band else "-", "verdict": verdict(s.passed)[0],
        "reported": sum(1 for r in leaves if r.reported), "counted": len(leaves), "weight": s.weight_shown[0],
        "colour": ("pass" if passed else "fail") if has_figure else "",
    }


RowIndex = dict[tuple[int, str], KpiScore]  # (round, KPI id) → that KPI's row in the round


def _scores(rounds: list[RoundSummary], rows: RowIndex, kpi_id: str) -> list[str]:
    scores = []
    for s in rounds:
        row = rows.get((s.round, kpi_id))
        scores.append(_shown(row.score_used) if row is not None and row.score_used is not None else "–")
    return scores


NO_OWNER = "ยังไม่มีผู้รับผิดชอบ"


def _missing(rounds: list[RoundSummary], office: Office, today: dt.date, public: bool,
             people_files: dict[str, str]) -> list[dict[str, object]]:
    """The results still to report (domain/outstanding.py), one line per owner and round; the public site names no
    one, so there it is one line per round with the KPIs' ids."""
    items = outstanding(rounds, office, today)
    if public:  # one line per round: the owners' lines of a round joined
        by_round: dict[int, list[Outstanding]] = {}
        for item in items:
            by_round.setdefault(item.round, []).append(item)
        items = [Outstanding(r, None, tuple(sorted((k for i in group for k in i.kpi_ids), key=kpi_sort_key)),
                             group[0].due, group[0].overdue) for r, group in by_round.items()]
    lines: list[dict[str, object]] = []
    for item in items:
        person = office.person(item.owner) if item.owner else None
        who = "" if public else (person.name if person else item.owner or NO_OWNER)
        link = f"people/{people_files[item.owner]}" if item.owner in people_files and not public else None
        lines.append({"who": who, "round": item.round, "count": len(item.kpi_ids), "kpis": ", ".join(item.kpi_ids),
                      "due": format_date_be(item.due), "overdue": item.overdue, "link": link})
    return lines


def write_site(data: WorkbookData, out: Path, today: dt.date, public: bool = False, round_: int | None = None,
               link: Link = lambda row: None, mode: int | None = None) -> SiteReport:
    """The whole site in `out`: what an earlier build wrote there is removed first (a public build never keeps
    the staff pages of a private one), a folder holding anything else is refused; every file gets `mode`."""
    report = report_data(data, today)
    compiled, office = report.compiled, report.compiled.office
    round_ = round_ or next_round(office, today)
    env = sandboxed(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html",)))
    claim_folder(out)
    assets = out / "assets"
    every: list[Path] = []

    def asset(path: Path, content: bytes) -> None:
        every.append(write_output(path, content, mode))

    for name in ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf"):
        asset(assets / name, (fontpkg_sarabun.ROOT / "files" / name).read_bytes())
    asset(assets / "site.css", (TEMPLATES / "site.css").read_bytes())
    for name, chart in (("office_result", office_result_chart), ("kpi_scores", kpi_score_chart), ("gantt", gantt_chart)):
        asset(assets / f"{name}.png", chart(report))

    base = {"office": office.settings.office_name, "fiscal_year": office.settings.fiscal_year,
            "as_of": format_date_be(today), "public": public, "not_certified": NOT_CERTIFIED_TH}
    written: list[Path] = []

    def page(path: Path, template: str, root: str, **context: object) -> None:
        write_output(path, env.get_template(template).render(**base, root=root, **context), mode)
        written.append(path)

    kpis = sorted(office.kpis, key=lambda k: kpi_sort_key(k.kpi_id))
    rows: RowIndex = {(s.round, r.kpi.kpi_id): r for s in compiled.rounds for r in s.rows}  # built once, not per page
    files = {k.kpi_id: f"{safe_name(k.kpi_id)}.html" for k in kpis}
    people_files = {p.person_id: f"{safe_name(p.person_id)}.html" for p in office.people if p.person_id}
    missing = _missing(compiled.rounds, office, today, public, people_files)
    late = [{"number": p.step.number, "detail": p.step.detail, "days": p.days_late} for p in compiled.steps
            if p.state is StepState.LATE]
    page(out / "index.html", "index.html", "", rounds=[_round_card(s) for s in compiled.rounds], late=late,
         missing=missing, kpis=[{"kpi_id": k.kpi_id, "name": k.name, "weight": plain(k.weight), "file": files[k.kpi_id],
                                 "scores": _scores(compiled.rounds, rows, k.kpi_id)} for k in kpis],
         people=[] if public else [{"name": p.name, "file": people_files[p.person_id]} for p in office.people
                                   if any(p.person_id in (k.owner, k.supervisor, k.collector) for k in kpis)])

    entries = index_results(office).by_key
    for template_page in kpi_pages(data, office):
        kpi = template_page.kpi
        context = {"page": template_page.context()}
        fields = [(label, render(value, context)) for label, value in KPI_ROWS
                  if not (public and label == CONTACT_ROW) and label not in SIGNATURE_ROWS]  # a page, not a form
        rounds, scored = [], []
        for s in compiled.rounds:
            row = rows.get((s.round, kpi.kpi_id))
            scored.append((f"รอบ {s.round}", float(row.score_used) if row is not None and row.score_used is not None
                          else None))
            entry = entries.get((kpi.kpi_id, s.round))
            sealed = s.seal is not None and s.seal.row(kpi.kpi_id) is not None
            rounds.append({"round": s.round, "result": row.shown_result(unit=True) if row is not None else "",
                           "score": _shown(row.score_used) if row is not None and row.score_used is not None else "",
                           "state": "รับรองและผนึกแล้ว" if sealed else
                           (NOT_CERTIFIED_TH if public else state_th(entry.certification if entry else ""))})
        stem = safe_name(kpi.kpi_id)
        asset(assets / f"kpi_{stem}.png", kpi_rounds_chart(kpi.kpi_id, scored))
        page(out / "kpi" / files[kpi.kpi_id], "kpi.html", "../", fields=fields, rounds=rounds,
             k={"kpi_id": kpi.kpi_id, "name": kpi.name, "file_stem": stem})

    if not public:
        reminders, _ = reminders_for(office, round_)
        by_person = {r.person_id: r for r in reminders if not r.digest}
        for person in office.people:
            related = [(k, role) for k in kpis for role, pid in (("ผู้รับผิดชอบ", k.owner), ("ผู้กำกับดูแล", k.supervisor),
                                                                ("ผู้จัดเก็บข้อมูล", k.collector)) if pid == person.person_id]
            if not related:
                continue
            todo = [{"kind": KIND_TH[i.kind][0], "kpi_id": i.kpi_id, "name": i.name, "round": i.round,
                     "due": format_date_be(i.due), "comment": i.comment, "link": link(i.row) if i.row else None}
                    for i in (by_person[person.person_id].items if person.person_id in by_person else [])]
            page(out / "people" / people_files[person.person_id], "person.html", "../", round=round_, todo=todo,
                 person={"name": person.name, "position": ""},
                 round_numbers=[s.round for s in compiled.rounds],
                 kpis=[{"kpi_id": k.kpi_id, "name": k.name, "role": role, "file": files[k.kpi_id],
                        "scores": _scores(compiled.rounds, rows, k.kpi_id)} for k, role in related])
    page(out / "steps.html", "steps.html", "", header=STEP_HEADER, rows=step_rows(compiled))
    record_folder(out, every + written, mode)
    return SiteReport(out, written, public)

