"""The first real run on Google: who the tool is, what it may do, and every refusal told by its cause — over
real HTTP, with real OAuth token requests (a service account's signed JWT, a user's refresh token) answered by
the emulator's token endpoint."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.exit_codes import ExitCode

from .conftest import COORDINATOR, GRANTED, SERVICE_ACCOUNT, cli, key_file, kpi, result, type_office, user_token_file

@pytest.fixture
def office(google) -> str:
    key = google.create("สพป. ทดสอบ")
    type_office(open_backend(parse_target(key)), [kpi("1", 100)], [result("1", 6, 85)])
    google.clear_log()
    return key


def as_service_account(tmp_path, private_key, *args: str):
    return cli("--credentials", str(key_file(tmp_path, private_key)), *args)


# --- sharing --------------------------------------------------------------------------------------------


def test_a_sheet_not_shared_with_the_service_account_says_share_it_with_that_address(google, office, tmp_path,
                                                                                      private_key):
    outcome = as_service_account(tmp_path, private_key, "build", "--sheet", office, "--today", "2027-04-01")
    assert outcome.exit_code == ExitCode.AUTH
    assert f"not shared with {SERVICE_ACCOUNT}" in outcome.stderr and "Editor" in outcome.stderr
    assert [e["status"] for e in google.requests() if e["endpoint"] != "oauth2.token"] == [403]


def test_a_sheet_shared_view_only_reads_but_says_give_editor_on_the_write(google, office, tmp_path, private_key):
    google.share(office, SERVICE_ACCOUNT, "reader")
    assert as_service_account(tmp_path, private_key, "status", "--sheet", office, "--today", "2027-04-01").exit_code == 0
    outcome = as_service_account(tmp_path, private_key, "build", "--sheet", office, "--today", "2027-04-01")
    assert outcome.exit_code == ExitCode.AUTH
    assert "can read this spreadsheet but not edit it" in outcome.stderr


def test_a_sheet_shared_as_editor_builds_with_a_real_token(google, office, tmp_path, private_key):
    google.share(office, SERVICE_ACCOUNT, "writer")
    outcome = as_service_account(tmp_path, private_key, "build", "--sheet", office, "--today", "2027-04-01")
    assert outcome.exit_code == 0, outcome.stderr
    assert google.state.accounts.grants[-1]["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"


# --- creating a sheet -----------------------------------------------------------------------------------


def test_a_service_account_cannot_own_a_new_sheet_and_is_told_the_ways_that_work(google, tmp_path, private_key):
    outcome = as_service_account(tmp_path, private_key, "init", "--create", "ปี 2570", "--fiscal-year", "2570")
    assert outcome.exit_code == ExitCode.AUTH
    for words in (f"service account {SERVICE_ACCOUNT} has no Drive storage", "share it with", "init --sheet URL",
                  "--folder FOLDER_ID"):
        assert words in outcome.stderr
    assert "share the sheet with the service account's e-mail" not in outcome.stderr


def test_a_service_account_creates_in_a_shared_drive_and_shares_with_a_person(google, tmp_path, private_key):
    google.state.accounts.shared_drives["0AFolder"] = {SERVICE_ACCOUNT}
    outcome = as_service_account(tmp_path, private_key, "init", "--create", "ปี 2570", "--fiscal-year", "2570",
                                 "--folder", "0AFolder", "--share-with", COORDINATOR)
    assert outcome.exit_code == 0, outcome.stderr
    key = next(line for line in outcome.output.splitlines() if "docs.google.com" in line).split("/d/")[1].split("/")[0]
    assert google.owner_of(key) == "shared-drive:0AFolder"
    assert google.shared_with(key)[COORDINATOR] == "writer"
    assert "belongs to the shared drive (folder 0AFolder)" in outcome.output
    assert f"shared with {COORDINATOR} as editor" in outcome.output
    endpoints = [e["endpoint"] for e in google.requests() if e["endpoint"] != "oauth2.token"]
    assert endpoints[:2] == ["drive.files.create", "drive.permissions.create"]


def test_a_person_signed_in_with_oauth_creates_in_their_own_drive_and_is_the_owner(google, tmp_path):
    outcome = cli("--credentials", str(user_token_file(tmp_path)), "copy", str(
        _office_file(tmp_path)), "--create", "สำเนา")
    assert outcome.exit_code == 0, outcome.stderr
    key = next(line for line in outcome.output.splitlines() if "docs.google.com" in line).split("/d/")[-1].split("/")[0]
    assert google.owner_of(key) == COORDINATOR
    refresh = [g for g in google.state.accounts.grants if g["grant_type"] == "refresh_token"][-1]
    assert refresh.get("scope", " ".join(GRANTED)).split() == GRANTED  # never a scope the person did not grant


def _office_file(tmp_path: Path) -> Path:
    from .conftest import office_workbook

    return office_workbook(tmp_path / "office.xlsx", [kpi("1", 100)], [result("1", 6, 85)])


# --- tokens ---------------------------------------------------------------------------------------------


def test_a_revoked_or_deleted_key_is_an_auth_error_with_the_reason(google, office, tmp_path, private_key):
    google.state.accounts.revoked.add(SERVICE_ACCOUNT)
    try:
        outcome = as_service_account(tmp_path, private_key, "status", "--sheet", office)
    finally:
        google.state.accounts.revoked.discard(SERVICE_ACCOUNT)
    assert outcome.exit_code == ExitCode.AUTH
    assert "invalid_grant" in outcome.stderr and "make a new key" in outcome.stderr
    assert "BEGIN PRIVATE KEY" not in outcome.stderr + outcome.output


def test_a_token_endpoint_out_of_reach_is_retried_then_a_network_error(google, office, tmp_path, private_key,
                                                                        monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_RETRY_ATTEMPTS", "3")
    path = key_file(tmp_path, private_key, token_uri="http://127.0.0.1:9/token")  # nothing listens on port 9
    outcome = cli("--credentials", str(path), "status", "--sheet", office)
    assert outcome.exit_code == ExitCode.NETWORK
    assert "could not reach Google's token endpoint" in outcome.stderr and "after 3 attempts" in outcome.stderr


# --- the quota ------------------------------------------------------------------------------------------


def test_a_quota_429_looks_like_googles_and_is_waited_out_for_a_window(google, office, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_QUOTA_WINDOW", "2.5")  # the window the client waits out (Google's: a minute)
    google.state.quota, google.state.quota_window = {"read": 1}, 2.0
    google.state.recent = {"read": [], "write": []}
    try:
        answer = requests.get(f"http://{google.host}/v4/spreadsheets/{office}", timeout=30)
        started = time.monotonic()
        outcome = cli("status", "--sheet", office, "--today", "2027-04-01")
        waited = time.monotonic() - started
    finally:
        google.state.quota, google.state.quota_window = {}, 60.0
    assert answer.status_code == 200
    assert outcome.exit_code == 0, outcome.stderr
    assert waited >= 2.0 and "waiting 2 s for it to refill" in outcome.stderr
    refused = requests.Session()
    google.state.quota, google.state.quota_window = {"read": 0}, 60.0
    try:
        body = refused.get(f"http://{google.host}/v4/spreadsheets/{office}", timeout=30)
    finally:
        google.state.quota = {}
    assert body.status_code == 429 and "Retry-After" not in body.headers
    error = body.json()["error"]
    assert error["status"] == "RESOURCE_EXHAUSTED" and error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"


# --- refusals the emulator cannot cause itself: Google's own bodies, told by cause ---------------------------

SERVICE_DISABLED = {"error": {
    "code": 403, "status": "PERMISSION_DENIED",
    "message": "Google Sheets API has not been used in project 123456 before or it is disabled. Enable it by visiting "
               "https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=123456 then retry.",
    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
                 "domain": "googleapis.com", "metadata": {
                     "service": "sheets.googleapis.com", "consumer": "projects/123456",
                     "activationUrl": "https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=123456"}}]}}
NO_QUOTA_PROJECT = {"error": {
    "code": 403, "status": "PERMISSION_DENIED",
    "message": "Your application is authenticating by using local Application Default Credentials. The "
               "sheets.googleapis.com API requires a quota project, which is not set by default. To learn how to set "
               "your quota project, see https://cloud.google.com/docs/authentication/adc-troubleshooting/user-creds .",
    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
                 "domain": "googleapis.com", "metadata": {"service": "sheets.googleapis.com"}}]}}
PROTECTED = {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                       "message": "You are trying to edit a protected cell or object. Please contact the spreadsheet "
                                  "owner to remove protection if you need to edit."}}


@pytest.mark.parametrize("status, body, words", [
    (403, SERVICE_DISABLED, "enable it: https://console.developers.google.com/apis/api/sheets.googleapis.com"),
    (403, NO_QUOTA_PROJECT, "gcloud auth application-default set-quota-project"),
    (400, PROTECTED, "a protected range does not let"),
])
def test_each_refusal_is_told_by_its_cause(google, office, status, body, words):
    google.add_fault(str(status), count=1, body=body, match=":batchUpdate" if status == 400 else None)
    outcome = cli("build", "--sheet", office, "--today", "2027-04-01")
    assert outcome.exit_code == ExitCode.AUTH
    assert words in outcome.stderr


# --- the live check -------------------------------------------------------------------------------------


def test_doctor_reports_identity_access_locale_typed_forms_and_build_cost_and_changes_nothing(
        google, office, tmp_path, private_key):
    google.share(office, SERVICE_ACCOUNT, "writer")
    before = {s["properties"]["title"] for s in google.snapshot(office)["sheets"]}
    outcome = as_service_account(tmp_path, private_key, "doctor", "--sheet", office, "--today", "2027-04-01")
    assert outcome.exit_code == 0, outcome.output + outcome.stderr
    report = outcome.output
    for line in (f"identity: service_account {SERVICE_ACCOUNT}", "reachable: yes", "editable: yes",
                 "locale / time zone: th_TH / Asia/Bangkok", "a build here: 1 read + 1 write request(s)",
                 "the seal's protection (one hard protection over a whole tab): yes",
                 "pasting a staging tab over a tab in one write, keeping its named range: yes",
                 "a gzipped request body (every write from 1 KB): yes", "พร้อมใช้งาน / ready"):
        assert line in report
    assert "typed '80%'" in report and "0.8 (PERCENT)" in report and "number 80" in report
    assert "typed '1/10/69'" in report and "date 1 ต.ค. 2569" in report
    assert "typed '๘๐'" in report and "'๘๐'" in report
    after = {s["properties"]["title"] for s in google.snapshot(office)["sheets"]}
    assert after == before  # the scratch tab is gone
    endpoints = [e["endpoint"] for e in google.requests() if e["endpoint"] != "oauth2.token"]
    assert endpoints == ["spreadsheets.get", "spreadsheets.batchUpdate", "values.update",
                         "spreadsheets.getByDataFilter", "spreadsheets.batchUpdate", "spreadsheets.batchUpdate",
                         "spreadsheets.batchUpdate", "spreadsheets.get", "spreadsheets.batchUpdate",
                         "spreadsheets.get", "spreadsheets.batchUpdate"]
    gzipped = [e for e in google.requests() if e["endpoint"] == "spreadsheets.batchUpdate"][4]
    assert gzipped.get("gzip_request") is True  # a body of a few dozen bytes, gzipped to try what every large write does
    assert not google.snapshot(office).get("namedRanges")  # the scratch named range is gone too


def test_doctor_on_a_sheet_shared_view_only_says_so_and_exits_with_the_access_code(google, office, tmp_path,
                                                                                   private_key):
    google.share(office, SERVICE_ACCOUNT, "reader")
    outcome = as_service_account(tmp_path, private_key, "doctor", "--sheet", office)
    assert outcome.exit_code == ExitCode.AUTH
    assert "reachable: yes" in outcome.output and "editable: no" in outcome.output
    assert "not edit it" in outcome.output


def test_a_credentials_file_of_an_unsupported_kind_names_the_kinds_that_work(google, tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"type": "gdch_service_account"}))
    path.chmod(0o600)
    outcome = cli("--credentials", str(path), "status", "--sheet", "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms")
    assert outcome.exit_code == ExitCode.AUTH
    for kind in ("service_account", "authorized_user", "external_account", "impersonated_service_account"):
        assert kind in outcome.stderr


def test_impersonation_and_workload_identity_files_are_accepted_and_name_their_identity(tmp_path):
    """What gcloud writes for `--impersonate-service-account` and for workload identity federation: read by
    google-auth, never refused as an unknown kind (their token exchanges need Google, so only loading is tested)."""
    from sheets_sync.backends.google.credentials import _from_file

    impersonation = tmp_path / "impersonated.json"
    impersonation.write_text(json.dumps({
        "type": "impersonated_service_account",
        "service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                                             f"{SERVICE_ACCOUNT}:generateAccessToken",
        "source_credentials": {"type": "authorized_user", "client_id": "id", "client_secret": "secret",
                               "refresh_token": COORDINATOR},
        "delegates": []}))
    impersonation.chmod(0o600)
    _, identity = _from_file(impersonation)
    assert identity.kind == "impersonated_service_account" and identity.email == SERVICE_ACCOUNT

    token = tmp_path / "token.txt"
    token.write_text("a-subject-token")
    workload = tmp_path / "external.json"
    workload.write_text(json.dumps({
        "type": "external_account", "audience": "//iam.googleapis.com/projects/1/locations/global/"
                                                "workloadIdentityPools/p/providers/q",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "token_url": "https://sts.googleapis.com/v1/token",
        "credential_source": {"file": str(token)}}))
    workload.chmod(0o600)
    _, identity = _from_file(workload)
    assert identity.kind == "external_account"


def test_a_fake_key_says_the_key_is_not_valid(google, tmp_path):
    outcome = cli("--credentials", str(key_file(tmp_path, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")),
                  "status", "--sheet", "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms")
    assert outcome.exit_code == ExitCode.AUTH
    assert "is not valid" in outcome.stderr and "not a key" not in outcome.stderr  # never the key's text


def _doctor_with_a_write_refused(google, office, tmp_path, private_key, skip: int, message: str):
    """doctor run as the service account with Google refusing its write number `skip` + 1 (400, `message`); the
    outcome, after checking the refusal is a finding (exit 4) and that the scratch tabs were removed all the same."""
    google.share(office, SERVICE_ACCOUNT, "writer")
    google.add_fault("400", count=1, match=":batchUpdate", skip=skip,
                     body={"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}})
    try:
        outcome = as_service_account(tmp_path, private_key, "doctor", "--sheet", office, "--today", "2027-04-01")
    finally:
        google.state.faults.clear()
    assert outcome.exit_code == ExitCode.BUILT_WITH_PROBLEMS, outcome.output
    assert "ยังไม่พร้อม / not ready" in outcome.output
    assert not any(s["properties"]["title"].startswith("sheets-sync-doctor") for s in google.snapshot(office)["sheets"])
    return outcome


def test_doctor_finds_a_paste_google_refuses_and_exits_with_problems(google, office, tmp_path, private_key):
    # the fourth write: the paste that ends a large build
    outcome = _doctor_with_a_write_refused(google, office, tmp_path, private_key, 3,
                                           "Invalid requests[1].copyPaste: refused")
    assert "pasting a staging tab over a tab in one write, keeping its named range: no" in outcome.output
    assert "refused to paste a tab" in outcome.output


def test_doctor_finds_google_refusing_a_gzipped_write_and_exits_with_problems(google, office, tmp_path, private_key):
    # the fifth write: doctor's gzipped one
    outcome = _doctor_with_a_write_refused(google, office, tmp_path, private_key, 4, "Invalid JSON payload received.")
    assert "a gzipped request body (every write from 1 KB): no" in outcome.output
    assert "refused a gzipped request body" in outcome.output
