"""Seals that cannot move unseen (issue 30): a keyed signature a person editing the sheet cannot forge, rows
chained so that removing, inserting or moving one is found at its cell, the end of the chain kept in the
workbook's marks, and a seal that does not check is never published as official."""

from __future__ import annotations

import hashlib
import json

import openpyxl
import pytest

from sheets_sync.domain.schema import SEALS
from sheets_sync.domain.seals import canonical

from .conftest import cli
from .test_certification import ROUND6, TODAY, local

SEAL_ARGS = ("--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY)


def sealed(tmp_path) -> str:
    sheet = local(tmp_path, ROUND6)
    outcome = cli("certify", "--sheet", sheet, *SEAL_ARGS)
    assert outcome.exit_code == 0, outcome.output
    return sheet


def official(sheet: str) -> dict:
    data = json.loads(cli("export", "--sheet", sheet, "--today", TODAY).output)
    return {r["round"]: r for r in data["rounds"]}[6]


def seal_codes(sheet: str) -> dict[str, str]:
    outcome = cli("validate", "--sheet", sheet, "--today", TODAY, "--format", "json")
    return {p["cell"]: p["code"] for p in json.loads(outcome.output)["problems"] if p["code"] == "certification.seal_tampered"}


def edit(sheet: str, change) -> None:
    book = openpyxl.load_workbook(sheet)
    change(book[SEALS.th])
    book.save(sheet)


def test_the_key_is_made_on_the_first_seal_outside_the_workbook_and_private(tmp_path):
    sheet = local(tmp_path, ROUND6)
    outcome = cli("certify", "--sheet", sheet, *SEAL_ARGS)
    key = tmp_path / "config" / "seal.key"
    assert key.is_file() and oct(key.stat().st_mode & 0o777) == "0o600"
    assert str(key) in outcome.output and "back it up" in outcome.output
    assert key.read_text().strip() not in open(sheet, "rb").read().decode("latin-1")
    assert official(sheet)["certified"] is True and official(sheet)["official_result"] == 3.51


def test_an_official_result_edited_and_its_hash_recomputed_by_hand_is_not_official(tmp_path):
    sheet = sealed(tmp_path)

    def forge(tab):  # what an attacker who read the old code would do: change the figure, recompute SHA-256
        tab["H4"] = 4.9
        values = [tab.cell(4, c).value for c in range(1, 15)]
        hashed = ("seal", values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8],
                  values[9], values[11], values[12], values[13])
        tab["K4"] = hashlib.sha256("\x1f".join(canonical(v) for v in hashed).encode()).hexdigest()

    edit(sheet, forge)
    round6 = official(sheet)
    assert round6["certified"] is False and round6["official_result"] is None
    assert "does not check" in round6["seal_problem"]["en"] or "older version" in round6["seal_problem"]["en"]
    assert seal_codes(sheet) == {"ผนึกรอบ!A4": "certification.seal_tampered"}
    build = cli("build", "--sheet", sheet, "--today", TODAY)
    assert build.exit_code == 4, build.output
    assert "4.9000" not in build.output and "ผลอย่างเป็นทางการ" not in build.output
    status = cli("status", "--sheet", sheet, "--today", TODAY)
    assert "provisional" in status.output and "4.9000" not in status.output


def test_a_removed_unseal_row_does_not_bring_the_old_seal_back(tmp_path):
    sheet = sealed(tmp_path)
    assert cli("certify", "--sheet", sheet, "--round", "6", "--unseal", "--yes", "--by", "C01", "--reason",
               "แก้ผลตัวชี้วัด 1").exit_code == 0
    assert cli("certify", "--sheet", sheet, *SEAL_ARGS).exit_code == 0  # sealed again: rows 6-8
    assert cli("certify", "--sheet", sheet, "--round", "6", "--unseal", "--yes", "--by", "C01", "--reason",
               "ขอแก้ไขอีกครั้ง").exit_code == 0  # row 9
    assert official(sheet)["certified"] is False

    edit(sheet, lambda tab: tab.delete_rows(9))  # the last unseal removed by hand: the seal above looks in force
    assert official(sheet)["certified"] is False
    assert seal_codes(sheet) == {"ผนึกรอบ!A9": "certification.seal_tampered"}  # cut off the end: after the last row


def test_a_row_removed_inserted_or_moved_in_the_middle_is_found_at_the_next_row(tmp_path):
    sheet = sealed(tmp_path)
    assert cli("certify", "--sheet", sheet, "--round", "6", "--unseal", "--yes", "--by", "C01", "--reason",
               "แก้ผลตัวชี้วัด 1").exit_code == 0
    assert cli("certify", "--sheet", sheet, *SEAL_ARGS).exit_code == 0  # rows 2-4 seal, 5 unseal, 6-8 seal
    assert official(sheet)["certified"] is True

    edit(sheet, lambda tab: tab.delete_rows(5))  # the unseal between two seals
    codes = seal_codes(sheet)
    assert "ผนึกรอบ!A5" in codes  # the row after the gap does not check
    assert official(sheet)["certified"] is False

    sheet = sealed(tmp_path / "moved")

    def swap(tab):
        first = [tab.cell(2, c).value for c in range(1, 15)]
        for c in range(1, 15):
            tab.cell(2, c).value = tab.cell(3, c).value
            tab.cell(3, c).value = first[c - 1]

    edit(sheet, swap)
    assert set(seal_codes(sheet)) >= {"ผนึกรอบ!A2", "ผนึกรอบ!A3"} and official(sheet)["certified"] is False


def test_an_unseal_row_added_by_hand_is_reported_and_the_round_is_not_silently_changed(tmp_path):
    sheet = sealed(tmp_path)
    edit(sheet, lambda tab: tab.append(["ยกเลิกผนึก", 6, None, None, None, None, None, None, None, None, "x" * 64,
                                        "C01", "1 ส.ค. 2570 10:00:00", "ปลอม"]))
    assert seal_codes(sheet) == {"ผนึกรอบ!A5": "certification.seal_tampered"}


def test_the_seal_tab_deleted_is_found(tmp_path):
    sheet = sealed(tmp_path)
    book = openpyxl.load_workbook(sheet)
    del book[SEALS.th]
    book.save(sheet)
    outcome = cli("build", "--sheet", sheet, "--today", TODAY)
    assert outcome.exit_code == 4 and "seal tab are gone" in outcome.output, outcome.output
    assert official(sheet)["certified"] is False


def test_without_the_key_no_seal_is_official_and_the_reason_is_said(tmp_path, monkeypatch):
    sheet = sealed(tmp_path)
    monkeypatch.setenv("SHEETS_SYNC_SEAL_KEY", str(tmp_path / "elsewhere" / "seal.key"))
    round6 = official(sheet)
    assert round6["certified"] is False and "no seal key" in round6["seal_problem"]["en"]


@pytest.mark.parametrize("reason", [".", "\u200b\u200b", " - ", "ก็"])
def test_an_unseal_reason_must_be_words(tmp_path, reason):
    sheet = sealed(tmp_path)
    outcome = cli("certify", "--sheet", sheet, "--round", "6", "--unseal", "--yes", "--by", "C01", "--reason", reason)
    assert outcome.exit_code == 2 and "reason in words" in outcome.output
    assert official(sheet)["certified"] is True


def test_a_seal_before_the_deadline_needs_early_and_the_sealer_must_be_a_coordinator(tmp_path):
    sheet = local(tmp_path, ROUND6)
    before_due = cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", "1/3/2570")
    assert before_due.exit_code == 3 and "--early" in before_due.output
    not_a_coordinator = cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "P03",
                            "--today", TODAY)
    assert not_a_coordinator.exit_code == 3 and "P03 is not a coordinator" in not_a_coordinator.output
    nobody = cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--today", TODAY)
    assert nobody.exit_code == 2 and "--by" in nobody.output
    assert official(sheet)["certified"] is False
    early = cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", "1/3/2570",
                "--early")
    assert early.exit_code == 0, early.output
    assert official(sheet)["certified"] is True
