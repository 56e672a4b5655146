from __future__ import annotations

import datetime as dt
import sys

import click

from sheets_sync.domain.schema import ROUND_CHOICES

from sheets_sync.config import config
from sheets_sync.domain.scoring import display
from sheets_sync.domain.thai import is_a_reason
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.certify import SEAL_ACTION, STATUS, UNSEAL_ACTION, CertifyOptions, CertifyReport, run_certify

from .common import backend_for, fail, say, sheet_option, today_option, writing
from .render import render_notes, render_problems


def _render_states(report: CertifyReport) -> None:
    say(f"รอบ {report.round} เดือน สถานะการรับรองของตัวชี้วัดที่นับ:", f"round {report.round}, certification of the counted KPIs:")
    for state, ids in report.states.items():
        click.echo(f"  {state}: {len(ids)}  ({', '.join(ids)})")
    if report.seal is not None:
        say(f"ผนึกแล้วเมื่อ {report.seal.at} โดย {report.seal.by} ผลอย่างเป็นทางการ {display(report.seal.official_result)}",
            f"sealed {report.seal.at} by {report.seal.by}; official result {display(report.seal.official_result)}")
    else:
        say(f"ยังไม่ผนึก ผลจากข้อมูลปัจจุบัน {display(report.summary.office_result) or '-'} (ยังไม่ผ่านการรับรอง)",
            f"not sealed; the result from the current entries is {display(report.summary.office_result) or '-'} "
            "(not certified yet)")


@click.command("certify")
@sheet_option
@click.option("--round", "round_", type=click.Choice(ROUND_CHOICES), required=True, help="รอบ / the round.")
@click.option("--seal", "action", flag_value=SEAL_ACTION, help="ผนึกรอบ / seal the round (every counted KPI must be รับรองแล้ว).")
@click.option("--unseal", "action", flag_value=UNSEAL_ACTION, help="ยกเลิกผนึก (ต้องมี --reason) / unseal (needs --reason).")
@click.option("--reason", default="", help="เหตุผลที่ยกเลิกผนึก / why the round is unsealed (kept in the seal tab).")
@click.option("--by", default=None, help="ผู้ดำเนินการ: รหัสหรืออีเมลของผู้ประสานงาน / who seals or unseals: a coordinator's "
              "person id or e-mail (default: the Google account of the credentials; a local file needs --by).")
@click.option("--early", is_flag=True, help="ผนึกก่อนกำหนดส่งของรอบโดยตั้งใจ / seal before the round's report deadline, on purpose.")
@click.option("--yes", is_flag=True, help="ไม่ต้องถามยืนยัน / do not ask for confirmation (scheduled runs).")
@click.option("--dry-run", is_flag=True, help="แสดงสิ่งที่จะทำโดยไม่เขียน / show what would happen, write nothing.")
@today_option
def certify_command(sheet: str | None, round_: str, action: str | None, reason: str, by: str | None, early: bool,
                    yes: bool, dry_run: bool, today: dt.date) -> None:
    """การรับรองผลและการผนึกรอบ / Step 9: where a round stands in certification; seal or unseal it.

    Without --seal or --unseal: prints how many counted KPIs are in each state and what keeps the round from
    being sealed; writes nothing. --seal refuses (exit 3, listing each row) unless every counted KPI of the
    round is รับรองแล้ว and scorable, the sealer is a coordinator, and the round's deadline has passed (or
    --early); otherwise it records the seal in ผนึกรอบ (the values, who and when, each row signed with the
    tool's seal key and chained to the row before) in one write, and on Google locks the round's result rows
    to the coordinators. The round's official result is then fixed. --unseal --reason "…" is the only way
    back; the reason stays in the seal tab's history. The first seal on a computer makes its seal key
    (SHEETS_SYNC_SEAL_KEY): back it up.

    \b
    Example:
      sheets-sync certify --round 6
      sheets-sync certify --round 6 --seal --yes --by C01
      sheets-sync certify --round 6 --unseal --by C01 --reason "แก้ผลตัวชี้วัด 3 ตามหนังสือ สพฐ."
    """
    action = action or STATUS
    if action == UNSEAL_ACTION and not is_a_reason(reason):
        fail("ยกเลิกผนึกต้องระบุเหตุผลเป็นถ้อยคำ --reason \"…\" (จุดหรือช่องว่างอย่างเดียวไม่ใช่เหตุผล)",
             "unsealing needs a reason in words: --reason \"…\" (a dot or blank space is not a reason)", ExitCode.USAGE)
    if action != STATUS and not yes and not dry_run and not sys.stdin.isatty():
        fail("ไม่มีผู้ตอบยืนยัน โปรดเพิ่ม --yes เมื่อสั่งจากสคริปต์", "no one to confirm: add --yes when run from a script",
             ExitCode.USAGE)
    target, backend = backend_for(sheet)
    options = CertifyOptions(int(round_), action, by or "", reason.strip(), today, config().now().time(), dry_run,
                             early)

    def confirm(report: CertifyReport) -> bool:
        what = ("ผนึก", "seal") if action == SEAL_ACTION else ("ยกเลิกผนึก", "unseal")
        return yes or click.confirm(f"{what[0]}รอบ {report.round} หรือไม่ / {what[1]} round {report.round}?", default=False)

    with writing(target):
        options.by = (options.by or backend.account or "").strip()  # who, as Google knows them; never the OS user
        if action != STATUS and not options.by:
            fail("ผนึกหรือยกเลิกผนึกสมุดงานในเครื่องต้องระบุผู้ดำเนินการ --by รหัสหรืออีเมลของผู้ประสานงาน",
                 "sealing or unsealing a local file needs who does it: --by a coordinator's person id or e-mail",
                 ExitCode.USAGE)
        report = run_certify(backend, options, confirm)
    render_notes(report.notes)
    if report.key_made is not None:
        say(f"สร้างกุญแจผนึกใหม่ที่ {report.key_made} โปรดสำรองไฟล์นี้ไว้กับข้อมูลรับรอง ถ้าหาย การผนึกทั้งหมดจะตรวจไม่ได้",
            f"made a new seal key at {report.key_made}: back it up with the credentials; without it no seal can "
            "be checked")
    _render_states(report)
    if report.blockers:
        render_problems(report.blockers)
        if report.seal is not None:
            say("รอบนี้ผนึกแล้ว แต่ค่าข้างต้นเปลี่ยนไปหลังผนึก ผนึกซ้ำไม่ได้ ให้คืนค่าเดิม หรือยกเลิกผนึกพร้อมเหตุผลก่อน",
                "the round is sealed but the values above changed since; put them back, or unseal with a reason first")
        else:
            say(f"ยังผนึกรอบ {report.round} ไม่ได้ ({len(report.blockers)} แถวข้างต้น)",
                f"round {report.round} cannot be sealed yet ({len(report.blockers)} rows above)")
        raise SystemExit(int(report.exit_code))
    if report.nothing_to_do:
        say("รอบนี้ผนึกไว้แล้วด้วยค่าเดียวกัน ไม่ต้องทำอะไร" if action == SEAL_ACTION else "รอบนี้ยังไม่ได้ผนึก ไม่ต้องทำอะไร",
            "already sealed with the same values; nothing to do" if action == SEAL_ACTION else "not sealed; nothing to do")
    elif report.cancelled:
        say("ยกเลิก ไม่ได้เปลี่ยนอะไร", "cancelled; nothing changed")
    elif dry_run and action != STATUS:
        say("ทดลองเท่านั้น ไม่ได้เขียนอะไร", "dry run: nothing written")
    elif report.written and action == SEAL_ACTION:
        say(f"ผนึกรอบ {report.round} แล้ว ผลอย่างเป็นทางการ {display(report.seal.official_result) if report.seal else '-'}"
            + (f" ล็อก {report.locked_rows} แถว" if backend.url else "") + " สั่ง build เพื่อแสดงในแท็บสรุปคะแนน",
            f"round {report.round} sealed" + (f"; {report.locked_rows} rows locked" if backend.url else "")
            + "; run build to show it in สรุปคะแนน")
    elif report.written:
        say(f"ยกเลิกผนึกรอบ {report.round} แล้ว เหตุผลบันทึกในแท็บผนึกรอบ", f"round {report.round} unsealed; the reason is kept")
