"""The office's year as pandas DataFrames, for analysts: the same figures `build` and `export` compute.

    >>> from sheets_sync.frames import office_frames
    >>> frames = office_frames("demo/workbook.xlsx", today="20/7/2570")
    >>> frames.rounds[["round", "office_result", "official_result"]]
    >>> frames.results.query("round == 6 and counted").groupby("owner")["score_used"].mean()

`target` is what `--sheet` takes (an .xlsx path, a Google Sheets URL or key) or an open backend.  Scores are
floats rounded half-up to 4 decimals as every output shows them (computed exactly, never rounded before
weighting); dates are pandas Timestamps.  pandas is imported here only, so no command pays for it unless asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sheets_sync.domain.schema import ROUND_NUMBERS
from sheets_sync.domain.scoring import display
from sheets_sync.domain.thai import parse_date
from sheets_sync.templating import xml_safe
from sheets_sync.domain.year import Compiled
from sheets_sync.workbook.office import compile_office
from sheets_sync.workbook.operations import READ_ONLY, Backend

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class OfficeFrames:
    results: "pd.DataFrame"  # one row per KPI and round
    rounds: "pd.DataFrame"  # one row per round: office result, official result, band, pass, certified
    steps: "pd.DataFrame"  # one row per step: plan, actual, days late, state
    owners: "pd.DataFrame"  # one row per person who owns or supervises a KPI

    def to_excel(self, path: Path) -> None:
        """Every frame on its own tab of one .xlsx, for someone who opens it in Excel."""
        import pandas as pd

        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name in ("rounds", "results", "steps", "owners"):
                frame: pd.DataFrame = getattr(self, name)
                # a cell's text may hold control characters an .xlsx cannot: dropped, as in every output
                frame.map(lambda v: xml_safe(v) if isinstance(v, str) else v).to_excel(writer, sheet_name=name,
                                                                                      index=False)
            for sheet in writer.book.worksheets:  # staff text is text: `=HYPERLINK(…)` typed in a cell stays words
                for row in sheet.iter_rows():
                    for cell in row:
                        if cell.data_type == "f":
                            cell.data_type = "s"


def _number(value: Decimal | None) -> float | None:
    shown = display(value)
    return None if shown is None else float(shown)


def frames_of(compiled: Compiled) -> OfficeFrames:
    import pandas as pd

    settings = compiled.office.settings
    results, rounds = [], []
    for s in compiled.rounds:
        rounds.append({"round": s.round, "office_result": _number(s.office_result),
                       "official_result": _number(s.official_result), "certified": s.seal is not None,
                       "band": s.band.name if s.band else None, "passed": s.passed if s.office_result is not None else None,
                       "total_weight": float(s.total_weight)})
        for r in s.rows:
            results.append({"office": settings.office_name, "fiscal_year": settings.fiscal_year, "round": s.round,
                            "kpi_id": r.kpi.kpi_id, "name": r.kpi.name, "parent_id": r.kpi.parent_id,
                            "is_parent": r.is_parent, "owner": r.kpi.owner, "supervisor": r.kpi.supervisor,
                            "result": float(r.result_value) if r.result_value is not None else r.result,
                            "score": _number(r.score), "self_score": _number(r.self_score),
                            "committee_score": _number(r.committee_score), "score_used": _number(r.score_used),
                            "weight": float(r.weight) if r.weight is not None else None,
                            "weighted": _number(r.weighted), "reported": r.reported, "counted": r.counted,
                            "certified": s.seal is not None,
                            "problem": r.problem[1] if r.problem else None})
    steps = [{"step": p.step.number, "detail": p.step.detail, "planned_start": p.step.planned_start,
              "planned_end": p.step.planned_end, "actual_start": p.step.actual_start, "actual_end": p.step.actual_end,
              "days_late": p.days_late, "state": p.state.th, "responsible": p.step.responsible} for p in compiled.steps]
    owners = [{"person_id": o.person_id, "name": o.name, "owned": ", ".join(o.owned),
               "supervised": ", ".join(o.supervised), **{f"missing_{r}": o.missing.get(r) for r in ROUND_NUMBERS},
               "average_score": _number(o.average_score)} for o in compiled.owners]
    step_frame = pd.DataFrame(steps)
    for column in ("planned_start", "planned_end", "actual_start", "actual_end"):
        if column in step_frame:
            step_frame[column] = pd.to_datetime(step_frame[column])
    return OfficeFrames(pd.DataFrame(results), pd.DataFrame(rounds), step_frame, pd.DataFrame(owners))


def office_frames(target: str | Backend, today: str | dt.date | None = None, credentials: str | None = None) -> OfficeFrames:
    """The office's results, rounds, steps and owners as DataFrames, from one read of the workbook."""
    from sheets_sync.backends.target import open_backend, resolve_target
    from sheets_sync.config import config

    backend: Any = open_backend(resolve_target(target), credentials) if isinstance(target, str) else target
    day = parse_date(today) if isinstance(today, str) else (today or config().today)
    return frames_of(compile_office(backend.read(READ_ONLY), day))
