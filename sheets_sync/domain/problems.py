"""Problems are data: each names its severity, tab, cell, the row's key, and says what is wrong in Thai and
English.  They are collected all at once, never raised one at a time."""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, field

from sheets_sync.domain.cell import Location
from sheets_sync.domain.schema import INPUT_TABS


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def th(self) -> str:
        return {"error": "ผิดพลาด", "warning": "คำเตือน", "info": "ข้อสังเกต"}[self.value]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str  # a stable message key, e.g. "result.not_a_number"
    tab: str
    cell: str  # A1 reference, e.g. ตัวชี้วัด!F7
    key: str  # the row's key: kpi_id, "kpi_id/round", step number, person_id …
    th: str
    en: str
    at: Location | None = field(default=None, compare=False)  # the cell, structured, where the maker knew it

    @property
    def location(self) -> Location | None:
        """The cell as (tab, row, column): as made, or read from the A1 text for a problem made without it."""
        return self.at if self.at is not None else Location.parse(self.cell)

    def as_dict(self) -> dict[str, str]:
        data = asdict(self)
        data.pop("at")
        data["severity"] = self.severity.value
        return data


def count(problems: list[Problem], severity: Severity) -> int:
    return sum(1 for p in problems if p.severity is severity)


# --- the registry of problem codes: stable keys, listed once (README's table is made from it) ------------------


@dataclass(frozen=True)
class Code:
    """A stable problem code, or a family of them: `<tab>`, `<column>`, `<setting>` and `<role>` stand for the
    workbook's keys (e.g. `results.reported_on.short_year`)."""

    pattern: str
    meaning: str


CODES: tuple[Code, ...] = (
    Code("layout.tab_missing", "an input tab is missing (run init)"),
    Code("layout.column_missing", "a required column is missing"),
    Code("layout.column_doubled", "a header appears twice"),
    Code("layout.rules_skipped", "information: the rules that read a missing tab or column wait until it is fixed; "
         "every other rule runs"),
    Code("layout.header_unknown", "a header looks like a misspelt known one"),
    Code("sheet.locale", "the Google Sheet's locale is not th_TH"),
    Code("settings.<setting>.unreadable", "a setting's value does not read"),
    Code("<tab>.<column>.missing", "a required cell is empty"),
    Code("<tab>.<column>.unreadable", "a cell does not read as its column's type"),
    Code("<tab>.<column>.short_year", "a date cell in 19xx: a two-digit BE year typed into a spreadsheet"),
    Code("<tab>.<column>.loose", "a cell reads but is better stored in its canonical form (--strict; fix)"),
    Code("<tab>.duplicate_key", "a row's key is entered twice"),
    Code("cell.at_excel_limit", "a text at Excel's 32,767-character limit"),
    Code("cell.formula_text", "a value starting with = (kept as text)"),
    Code("kpis.weights_total", "the leaf KPIs' weights do not add up to 100 (or 1)"),
    Code("kpis.parent_weight", "a parent's weight differs from its children's sum"),
    Code("kpis.parent_unknown", "a parent KPI id that does not exist"),
    Code("kpis.criteria_missing", "fewer than five criteria levels"),
    Code("kpis.criteria_not_monotonic", "criteria levels not strictly rising or falling"),
    Code("kpis.criteria_direction", "the criteria order disagrees with the direction"),
    Code("kpis.target_vs_baseline", "a target below last year's baseline (higher-is-better), or above it (lower)"),
    Code("kpis.template_incomplete", "information: a KPI template field still blank (unit, definition, formula, …)"),
    Code("kpis.rounds", "the cancel round does not come after the start round"),
    Code("kpis.<role>_unknown", "an owner, supervisor or collector who is not in the people tab"),
    Code("results.unknown_kpi", "a result for a KPI that does not exist"),
    Code("results.round_not_counted", "a result in a round the KPI does not count in"),
    Code("results.level_unreadable", "a milestone result that is not a level 0–5"),
    Code("results.result_unreadable", "a result that does not read as a number"),
    Code("results.committee_range", "a committee score outside 0–5"),
    Code("results.committee_reason", "a committee score without its reason"),
    Code("results.manual_needs_committee", "a committee-scored KPI without a committee score"),
    Code("results.level_down", "a milestone level lower than the round before"),
    Code("results.overdue", "a result missing after its round's deadline"),
    Code("steps.<column>.future", "an actual date in the future"),
    Code("steps.<column>.before_year", "a date before the fiscal year starts"),
    Code("steps.late_without_note", "a late step without a note"),
    Code("steps.end_before_start", "a step ends before it starts"),
    Code("steps.done_without_end", "a step marked done without its end date"),
    Code("people.email", "an e-mail that is not an address (an error while protect_rows is on)"),
    Code("people.email_missing", "protect_rows is on and a KPI's owner or supervisor has no usable e-mail"),
    Code("settings.coordinator_emails", "an entry of coordinator_emails that is not an e-mail address"),
    Code("settings.office_name_lines", "the office name typed on several lines (joined into one in subjects)"),
    Code("agreements.top_level_missing", "no agreement between the office and OBEC or the province"),
    Code("agreements.office_kpi_for_schools", "a KPI of the office's own work is marked for schools' agreements"),
    Code("certification.comment_missing", "ขอข้อมูลเพิ่ม (more data) without a reviewer comment"),
    Code("certification.without_result", "certified (by the supervisor or the unit) on a row with no result"),
    Code("certification.certifier", "certified by someone who is neither the KPI's supervisor nor a coordinator"),
    Code("certification.date_future", "a certification date after today"),
    Code("certification.round_order", "a round certified while the round before is not sealed (certify_in_order)"),
    Code("certification.changed_after_seal", "a sealed value (result, committee score, evidence, certification, "
                                             "weight) changed after the round was sealed"),
    Code("certification.seal_tampered", "a row of the seal tab that does not check against its keyed signature and "
         "the chain (edited, removed, inserted, moved, cut off the end), or seals that cannot be checked here"),
    Code("certification.sealer", "a seal or unseal by someone who is not a coordinator"),
    Code("certification.early", "a seal before the round's report deadline without --early"),
    Code("certification.not_certified", "certify --seal: a KPI of the round that is not รับรองแล้ว or not scorable"),
    Code("score.unscorable", "a KPI that cannot be scored in a round: left out of the total"),
)


def _family(pattern: str) -> str:
    tabs = "|".join(t.key for t in INPUT_TABS)
    expression = re.escape(pattern)
    for placeholder, alternatives in (("<tab>", f"(?:{tabs})"), ("<column>", "[a-z0-9_]+"),
                                      ("<setting>", "[a-z0-9_]+"), ("<role>", "(?:owner|supervisor|collector)")):
        expression = expression.replace(re.escape(placeholder), alternatives)
    return expression


_REGISTERED = re.compile("|".join(f"(?:{_family(c.pattern)})" for c in CODES))


def registered(code: str) -> bool:
    return _REGISTERED.fullmatch(code) is not None


def codes_table() -> str:
    lines = ["| code | meaning |", "|---|---|"]
    lines += [f"| `{c.pattern}` | {c.meaning} |" for c in CODES]
    return "\n".join(lines)
