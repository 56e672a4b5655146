"""The compiled results for other systems, as JSON or CSV; numbers rounded to 4 decimals half-up."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from sheets_sync.domain.cell import is_blank
from sheets_sync.config import config
from sheets_sync.domain.round_scores import KpiScore
from sheets_sync.domain.scoring import display
from sheets_sync.domain.seals import seal_time
from sheets_sync.domain.year import Compiled
from sheets_sync.workbook.office import compile_office
from sheets_sync.workbook.operations import READ_ONLY, Backend


def run_export(backend: Backend, today: dt.date, round_: int | None = None) -> Compiled:
    """The year compiled from one read that writes nothing (every round with results, or `round_` alone): what
    JSON, CSV and the .xlsx of tables are written from."""
    return compile_office(backend.read(READ_ONLY), today, (round_,) if round_ else None)


def _number(value: Decimal | None) -> float | None:
    shown = display(value)
    return None if shown is None else float(shown)


def _result(row: KpiScore) -> Any:
    if row.result_value is not None:
        return _number(row.result_value)
    if is_blank(row.result):
        return None
    return row.result if isinstance(row.result, str) else _number(Decimal(str(row.result)))


def _kpi(row: KpiScore) -> dict[str, Any]:
    return {
        "kpi_id": row.kpi.kpi_id,
        "parent_id": row.kpi.parent_id,
        "is_parent": row.is_parent,
        "result": _result(row),
        "reported": row.reported,
        "score": _number(row.score),
        "self_score": _number(row.self_score),
        "committee_score": _number(row.committee_score),
        "score_used": _number(row.score_used),
        "weight": _number(row.weight),
        "weighted": _number(row.weighted),
        "counted": row.counted,
        "problem": {"th": row.problem[0], "en": row.problem[1]} if row.problem else None,
    }


def _iso(at: str) -> str:
    """A seal's time as ISO 8601 with the office's offset (`2027-07-20T14:05:33+07:00`); its BE text if it
    does not read."""
    from zoneinfo import ZoneInfo

    moment = seal_time(at)
    return moment.replace(tzinfo=ZoneInfo(config().time_zone)).isoformat() if moment is not None else at


def as_dict(compiled: Compiled) -> dict[str, Any]:
    settings = compiled.office.settings
    return {
        "office": settings.office_name,
        "office_code": settings.office_code,
        "fiscal_year": settings.fiscal_year,
        "as_of": compiled.today.isoformat(),
        "rounds": [{
            "round": s.round,
            "office_result": _number(s.office_result),
            "band": s.band.name if s.band else None,
            "passed": s.passed if s.office_result is not None else None,
            "certified": s.seal is not None,
            "official_result": _number(s.official_result),
            "official_band": s.official_band.name if s.official_band else None,
            "sealed_at": _iso(s.seal.at) if s.seal is not None else None,
            "seal_problem": {"th": s.seal_fault.th, "en": s.seal_fault.en} if s.seal_fault is not None else None,
            "kpis": [_kpi(r) for r in s.rows],
        } for s in compiled.rounds],
    }


def to_json(compiled: Compiled) -> str:
    return json.dumps(as_dict(compiled), ensure_ascii=False, indent=2) + "\n"


CSV_FIELDS = ("office", "fiscal_year", "round", "office_result", "band", "passed", "kpi_id", "parent_id",
              "is_parent", "result", "score", "self_score", "committee_score", "score_used", "weight", "weighted",
              "counted", "problem", "certified", "official_result")  # the last two: added, so older readers keep working


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def csv_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made inert (OWASP "CSV Injection"; ASVS 1.2.10): a text that
    starts with = + - @, a tab, a carriage return or NUL gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def to_csv(compiled: Compiled) -> str:
    """One row per KPI and round, the round's office result repeated on each, UTF-8 with a BOM for Excel."""
    data = as_dict(compiled)
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for round_ in data["rounds"]:
        for kpi in round_["kpis"]:
            problem = kpi["problem"]
            row = {
                "office": data["office"], "fiscal_year": data["fiscal_year"], "round": round_["round"],
                "office_result": round_["office_result"], "band": round_["band"], "passed": round_["passed"],
                "certified": round_["certified"], "official_result": round_["official_result"],
                **{k: kpi[k] for k in CSV_FIELDS if k in kpi and k != "problem"},
                "problem": f"{problem['th']} / {problem['en']}" if problem else "",
            }
            writer.writerow({key: csv_safe(value) for key, value in row.items()})
    return "\ufeff" + out.getvalue()
