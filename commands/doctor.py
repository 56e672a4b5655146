from __future__ import annotations

import datetime as dt

import click

from sheets_sync.backends.target import TargetKind
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

from .common import backend_for, sheet_option, today_option


@click.command("doctor")
@sheet_option
@today_option
def doctor_command(sheet: str | None, today: dt.date) -> None:
    """ตรวจการเชื่อมต่อกับ Google Sheet จริง / The live check of a real Google Sheet, before the first real run.

    Says which identity sheets-sync uses and its scopes, whether the sheet is reachable and editable, its
    locale and time zone, what Google stores for the forms staff type (in a scratch tab it adds and removes),
    and how many requests a build costs. Changes nothing else. Paste its report into an issue when asking
    for help. Exit 0 when the sheet is reachable and editable (anything else to fix is listed), 10 when access
    is missing, 9 when Google cannot be reached.

    \b
    Example:
      sheets-sync doctor --sheet https://docs.google.com/spreadsheets/d/KEY/edit
      sheets-sync --credentials key.json doctor --sheet KEY
    """
    from sheets_sync.tasks.doctor import run_doctor

    target, backend = backend_for(sheet)
    if target.kind is not TargetKind.GOOGLE:
        raise SheetsSyncError(ExitCode.USAGE, "doctor ตรวจ Google Sheet เท่านั้น โปรดระบุ --sheet URL",
                              "doctor checks a Google Sheet: give --sheet URL")
    report = run_doctor(backend, today)  # type: ignore[arg-type]  # a Google target, checked above
    identity = report.identity
    lines = ["sheets-sync doctor", f"sheet: {report.sheet}"]
    if identity is not None:
        lines.append(f"identity: {identity.kind} {identity.email or '?'}")
        lines.append(f"scopes: {' '.join(identity.scopes) or '(as granted)'}")
        if identity.quota_project:
            lines.append(f"quota project: {identity.quota_project}")
    lines.append(f"reachable: {'yes' if report.reachable else 'no'}")
    lines.append(f"editable: {'yes' if report.editable else 'no' if report.editable is False else '?'}")
    if report.reachable:
        lines.append(f"locale / time zone: {report.locale} / {report.time_zone}")
    for form in report.typed:
        lines.append(f"typed {form.typed!r:14} → Google stores {form.stored:28} → sheets-sync reads {form.read_as}")
    if report.seal_protection is not None:
        lines.append(f"the seal's protection (one hard protection over a whole tab): "
                     f"{'yes' if report.seal_protection else 'no'}")
    if report.gzipped_writes is not None:
        lines.append(f"a gzipped request body (every write from 1 KB): {'yes' if report.gzipped_writes else 'no'}")
    if report.swaps_in_one_write is not None:
        lines.append("pasting a staging tab over a tab in one write, keeping its named range: "
                     f"{'yes' if report.swaps_in_one_write else 'no'}")
    if report.build_requests:
        reads, writes = report.build_requests
        lines.append(f"a build here: {reads} read + {writes} write request(s)")
    lines.append(f"requests made by this check: {report.requests}")
    for th, en in report.findings:
        lines.append(f"ต้องแก้ไข: {th}")
        lines.append(f"to fix: {en}")
    lines.append("ผล / result: " + ("พร้อมใช้งาน / ready" if report.healthy else "ยังไม่พร้อม / not ready"))
    click.echo("\n".join(lines))
    if report.code is not ExitCode.OK:
        raise SystemExit(int(report.code))
