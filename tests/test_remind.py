"""Reminders and alerts over a real SMTP server on 127.0.0.1 (aiosmtpd, in the test process): who gets what,
never twice on a day, nothing on a dry run, and every refusal told by its cause."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sheets_sync.exit_codes import ExitCode

from .conftest import COORDINATOR, cli, kpi, office_workbook, result, tab_records

OFFICE = "สพป. ทดสอบ เขต 1"
PEOPLE = [
    {"person_id": "P02", "name": "นางสองทดสอบ", "role": "ผู้กำกับดูแลตัวชี้วัด", "email": "p02@example.go.th"},
    {"person_id": "P03", "name": "นายสาม ทดสอบ", "role": "ผู้รับผิดชอบตัวชี้วัด", "email": "p03@example.go.th"},
    {"person_id": "P04", "name": "นางสี่ ทดสอบ", "role": "ผู้รับผิดชอบตัวชี้วัด", "email": "p04@example.go.th"},
    {"person_id": "P05", "name": "นายห้า ไม่มีอีเมล", "role": "ผู้รับผิดชอบตัวชี้วัด"},
]
KPIS = [kpi("1", 50, name="ร้อยละของนักเรียนที่อ่านออกเขียนได้"), kpi("2", 30, owner="P04", name="จำนวนวันโอนเงิน"),
        kpi("3", 20, owner="P05")]
RESULTS = [result("1", 6, 80), result("3", 6, 70, certification="ขอข้อมูลเพิ่ม", reviewer_comment="ขอหลักฐานเพิ่ม")]
TODAY = "27/4/2570"  # three days before round 6's deadline
UNREACHED = ExitCode.BUILT_WITH_PROBLEMS  # P05 has no e-mail: every send says so and exits 4


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    """A real SMTP server in the test process; it takes the login office/secret and refuses any other."""
    inbox = Inbox()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"office", b"secret")
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself

    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    monkeypatch.setenv("SHEETS_SYNC_SMTP_USER", "office")
    monkeypatch.setenv("SHEETS_SYNC_SMTP_PASSWORD", "secret")
    inbox.port = controller.port  # type: ignore[attr-defined]
    yield inbox
    controller.stop()


def office(tmp_path: Path, smtp: Inbox) -> str:
    settings = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_from": "kpi@example.go.th",  # type: ignore[attr-defined]
                "smtp_security": "none", "coordinator_emails": COORDINATOR, "round6_due": "30/4/2570"}
    return str(office_workbook(tmp_path / "workbook.xlsx", KPIS, RESULTS, settings, people=PEOPLE))


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def test_one_email_per_person_with_what_is_theirs_to_do(tmp_path, smtp):
    outcome = cli("remind", "--sheet", office(tmp_path, smtp), "--today", TODAY)
    assert outcome.exit_code == UNREACHED, outcome.output
    assert sorted(m["To"] for m in smtp.messages) == sorted(["p02@example.go.th", "p04@example.go.th", COORDINATOR])
    owner = smtp.to("p04@example.go.th")[0]
    assert owner["Subject"].startswith(f"[{OFFICE}] แจ้งเตือน") and "round 6" in owner["Subject"]
    text = body(owner)
    assert "ตัวชี้วัดที่ยังไม่รายงานผล" in text and "2 จำนวนวันโอนเงิน" in text and "30 เม.ย. 2570" in text
    assert text.index("เรียน") < text.index("Dear")  # Thai first, English below
    assert "<html" in owner.get_body(("html",)).get_content()
    supervisor = body(smtp.to("p02@example.go.th")[0])
    assert "ผลที่รอท่านรับรอง" in supervisor and "1 ร้อยละของนักเรียนที่อ่านออกเขียนได้" in supervisor
    assert "ขอหลักฐานเพิ่ม" in supervisor  # P02 supervises KPI 3, sent back with this comment
    digest = body(smtp.to(COORDINATOR)[0])
    assert "รายงานผลแล้ว 2 จาก 3 ตัวชี้วัด" in digest and "P04 นางสี่ ทดสอบ: 2" in digest
    assert "P05" in outcome.output and "no usable e-mail" in outcome.output  # told, not silently skipped
    assert "secret" not in outcome.output


def test_a_second_run_the_same_day_sends_nothing_and_the_log_says_what_was_sent(tmp_path, smtp):
    sheet = office(tmp_path, smtp)
    assert cli("remind", "--sheet", sheet, "--today", TODAY).exit_code == UNREACHED
    again = cli("remind", "--sheet", sheet, "--today", TODAY)
    assert again.exit_code == UNREACHED and "already sent today" in again.output
    assert len(smtp.messages) == 3
    log = tab_records(Path(sheet), "การแจ้งเตือน")
    assert sorted(r["อีเมล"] for r in log) == sorted(["p02@example.go.th", "p04@example.go.th", COORDINATOR])
    assert {r["ผล"] for r in log} == {"ส่งแล้ว"}
    assert cli("remind", "--sheet", sheet, "--today", "28/4/2570").exit_code == UNREACHED  # the next day: again
    assert len(smtp.messages) == 6


def test_a_dry_run_prints_what_it_would_send_and_sends_and_writes_nothing(tmp_path, smtp):
    sheet = office(tmp_path, smtp)
    before = Path(sheet).read_bytes()
    outcome = cli("remind", "--sheet", sheet, "--today", TODAY, "--dry-run")
    assert outcome.exit_code == 0 and "2 จำนวนวันโอนเงิน" in outcome.output
    assert smtp.messages == [] and Path(sheet).read_bytes() == before


def test_print_channel_writes_a_text_block_per_person_for_chat_groups(tmp_path, smtp):
    out = tmp_path / "chat"
    outcome = cli("remind", "--sheet", office(tmp_path, smtp), "--today", TODAY, "--channel", "print", "--out", str(out))
    assert outcome.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["P02.txt", "P04.txt", "P05.txt", f"{COORDINATOR}.txt"]
    assert "ขอหลักฐานเพิ่ม" in (out / "P05.txt").read_text(encoding="utf-8")
    assert smtp.messages == []


def test_on_schedule_sends_only_on_the_days_the_settings_name(tmp_path, smtp):
    sheet = office(tmp_path, smtp)
    quiet_day = cli("remind", "--sheet", sheet, "--today", "25/4/2570", "--on-schedule")
    assert quiet_day.exit_code == 0 and "not a reminder day" in quiet_day.output and smtp.messages == []
    assert cli("remind", "--sheet", sheet, "--today", TODAY, "--on-schedule").exit_code == UNREACHED  # 3 days before
    assert len(smtp.messages) == 3


def test_an_address_the_server_refuses_is_listed_and_the_others_are_sent(tmp_path, smtp):
    smtp.refuse.add("p04@example.go.th")
    sheet = office(tmp_path, smtp)
    outcome = cli("remind", "--sheet", sheet, "--today", TODAY)
    assert outcome.exit_code == ExitCode.BUILT_WITH_PROBLEMS
    assert "p04@example.go.th" in outcome.output and "550" in outcome.output
    assert len(smtp.messages) == 2
    failed = [r for r in tab_records(Path(sheet), "การแจ้งเตือน") if r["ผล"] == "ส่งไม่สำเร็จ"]
    assert [r["อีเมล"] for r in failed] == ["p04@example.go.th"]
    retry = cli("remind", "--sheet", sheet, "--today", TODAY)  # a failed one is tried again, the sent ones are not
    assert retry.exit_code == ExitCode.BUILT_WITH_PROBLEMS and len(smtp.messages) == 2


def test_a_refused_login_is_the_auth_code_and_a_server_out_of_reach_the_network_code(tmp_path, smtp, monkeypatch):
    sheet = office(tmp_path, smtp)
    monkeypatch.setenv("SHEETS_SYNC_SMTP_PASSWORD", "wrong")
    refused = cli("remind", "--sheet", sheet, "--today", TODAY)
    assert refused.exit_code == ExitCode.AUTH and "SHEETS_SYNC_SMTP_PASSWORD" in refused.output
    assert "wrong" not in refused.output
    unreachable = cli("remind", "--sheet", sheet, "--today", TODAY, "--smtp", f"127.0.0.1:{_free_port()}")
    assert unreachable.exit_code == ExitCode.NETWORK
    assert smtp.messages == []


@pytest.mark.parametrize("command", [("build",), ("validate", "--write"), ("site",)])
def test_a_failed_scheduled_run_alerts_with_the_run_record_and_a_good_one_does_not(tmp_path, smtp, monkeypatch,
                                                                                   command):
    monkeypatch.setenv("SHEETS_SYNC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SHEETS_SYNC_SMTP_PORT", str(smtp.port))  # type: ignore[attr-defined]
    monkeypatch.setenv("SHEETS_SYNC_SMTP_FROM", "kpi@example.go.th")
    monkeypatch.setenv("SHEETS_SYNC_SMTP_SECURITY", "none")
    missing = cli(*command, "--sheet", str(tmp_path / "gone.xlsx"), "--alert-to", COORDINATOR)
    assert missing.exit_code == ExitCode.NOT_FOUND
    alert = smtp.to(COORDINATOR)[0]
    assert command[0] in alert["Subject"] and "5" in alert["Subject"]
    attached = next(part for part in alert.iter_attachments() if part.get_filename() == "run.json")
    assert '"exit_code": 5' in attached.get_payload(decode=True).decode("utf-8")
    good = cli(*command, "--sheet", office(tmp_path, smtp), "--today", TODAY, "--alert-to", COORDINATOR)
    assert good.exit_code in (0, 3, 4) and len(smtp.messages) == 1  # 3 and 4 are the sheet's to show, not an alert


def test_on_google_each_item_links_to_its_row(google, smtp):
    from sheets_sync.backends.target import open_backend, parse_target

    from .conftest import type_office

    key = google.create(OFFICE)
    settings = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_from": "kpi@example.go.th",  # type: ignore[attr-defined]
                "smtp_security": "none", "round6_due": "30/4/2570"}
    type_office(open_backend(parse_target(key)), KPIS, RESULTS, settings, people=PEOPLE)
    assert cli("remind", "--sheet", key, "--today", TODAY).exit_code == UNREACHED
    supervisor = smtp.to("p02@example.go.th")[0]
    link = f"https://docs.google.com/spreadsheets/d/{key}/edit#gid="
    assert link in body(supervisor) and "&range=C2" in body(supervisor)  # KPI 1's round-6 result, row 2
    assert f'<a href="{link}' in supervisor.get_body(("html",)).get_content()


# --- at most once, whatever stops the run (issue 30) ----------------------------------------------------------


def _sent_per_address(smtp: Inbox) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in smtp.messages:
        counts[message["To"]] = counts.get(message["To"], 0) + 1
    return counts


@pytest.mark.parametrize("kill_at", [1, 2])
def test_a_run_killed_while_sending_never_sends_anyone_twice_and_says_who_may_not_have_it(tmp_path, smtp, kill_at):
    import os
    import signal
    import subprocess
    import sys
    import threading

    sheet = office(tmp_path, smtp)
    killed = threading.Event()
    receive = Inbox.handle_DATA

    async def kill_on_the_nth(self, server, session, envelope):
        answer = await receive(self, server, session, envelope)
        if len(self.messages) == kill_at and not killed.is_set():
            os.kill(process.pid, signal.SIGKILL)  # the message is taken; the sender dies before it hears so
            killed.set()
        return answer

    Inbox.handle_DATA = kill_on_the_nth  # type: ignore[method-assign]
    try:
        process = subprocess.Popen([sys.executable, "-c", "from commands.cli import main; main()", "remind", "--sheet", sheet, "--today", TODAY],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
        process.communicate(timeout=300)
    finally:
        Inbox.handle_DATA = receive  # type: ignore[method-assign]
    assert killed.is_set() and process.returncode == -signal.SIGKILL
    again = cli("remind", "--sheet", sheet, "--today", TODAY)
    assert again.exit_code == ExitCode.BUILT_WITH_PROBLEMS, again.output  # someone may not have it: a person looks
    assert "may or may not have arrived" in again.output
    assert max(_sent_per_address(smtp).values()) == 1, _sent_per_address(smtp)
    assert len(smtp.messages) == 3  # P02 (digest), P03, P04: each exactly once
    log = tab_records(Path(sheet), "การแจ้งเตือน")
    assert len(log) == 3  # one row each, the unsure one with what happened
    third = cli("remind", "--sheet", sheet, "--today", TODAY)
    assert len(smtp.messages) == 3 and len(tab_records(Path(sheet), "การแจ้งเตือน")) == 3, third.output


def test_a_log_write_that_fails_after_sending_is_said_and_a_rerun_sends_nobody_twice(tmp_path, smtp, monkeypatch):
    from sheets_sync.backends.xlsx import XlsxBackend
    from sheets_sync.errors import SheetsSyncError

    sheet = office(tmp_path, smtp)
    real_apply = XlsxBackend.apply

    def refused(self, operations):
        raise SheetsSyncError(ExitCode.NETWORK, "Google ตอบ 500", "Google answered 500")

    monkeypatch.setattr(XlsxBackend, "apply", refused)
    failed = cli("remind", "--sheet", sheet, "--today", TODAY)
    assert failed.exit_code == ExitCode.NETWORK
    assert "3 e-mails were sent but the log" in failed.output and "sends none of them twice" in failed.output
    monkeypatch.setattr(XlsxBackend, "apply", real_apply)
    again = cli("remind", "--sheet", sheet, "--today", TODAY)
    assert again.exit_code == UNREACHED, again.output
    assert len(smtp.messages) == 3 and max(_sent_per_address(smtp).values()) == 1
    log = tab_records(Path(sheet), "การแจ้งเตือน")
    assert len(log) == 3 and {r["ผล"] for r in log} == {"ส่งแล้ว"}


def test_an_office_name_on_two_lines_is_one_line_in_the_subject_and_validate_warns(tmp_path, smtp):
    import json

    settings = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_from": "kpi@example.go.th",  # type: ignore[attr-defined]
                "smtp_security": "none", "coordinator_emails": COORDINATOR, "round6_due": "30/4/2570",
                "office_name": "สพป. ทดสอบ\nเขต 1"}
    sheet = str(office_workbook(tmp_path / "workbook.xlsx", KPIS, RESULTS, settings, people=PEOPLE))
    outcome = cli("remind", "--sheet", sheet, "--today", TODAY)
    assert outcome.exit_code == UNREACHED, outcome.output
    assert smtp.messages and all(m["Subject"].startswith("[สพป. ทดสอบ เขต 1]") for m in smtp.messages)
    problems = json.loads(cli("validate", "--sheet", sheet, "--today", TODAY, "--format", "json").output)["problems"]
    assert "settings.office_name_lines" in {p["code"] for p in problems}


def test_a_coordinator_who_owns_a_kpi_gets_one_email_and_quiet_says_only_who_was_not_reached(tmp_path, smtp):
    people = PEOPLE + [{"person_id": "C01", "name": "นางประสาน งานดี", "role": "ผู้ประสานงานคำรับรอง (หน่วยรับรอง)",
                        "email": "c01@example.go.th"}]
    kpis = KPIS + [kpi("4", 0, owner="C01", name="ตัวชี้วัดของผู้ประสานงาน")]
    settings = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_from": "kpi@example.go.th",  # type: ignore[attr-defined]
                "smtp_security": "none", "round6_due": "30/4/2570"}
    sheet = str(office_workbook(tmp_path / "workbook.xlsx", kpis, RESULTS, settings, people=people))
    outcome = cli("remind", "--sheet", sheet, "--today", TODAY, "--quiet")
    assert outcome.exit_code == UNREACHED, outcome.output
    mine = smtp.to("c01@example.go.th")
    assert len(mine) == 1  # the digest, with her own KPI in it
    assert "ตัวชี้วัดของผู้ประสานงาน" in body(mine[0]) and "สรุปรอบ" in body(mine[0])
    assert outcome.output.strip().splitlines() == [
        "ส่งถึง P05 นายห้า ไม่มีอีเมล ไม่ได้: ไม่มีอีเมลที่ใช้ได้ในแท็บบุคลากร  "
        "(cannot reach P05 นายห้า ไม่มีอีเมล: no usable e-mail in the people tab)"]
