"""Google's refusals, told by their real cause and with what to do, in Thai and English.

A 403 has half a dozen causes that need different fixes; Google's error body says which (`status`,
`errors[].reason` on Drive, `details[].reason` as ErrorInfo on Sheets, and the message).  The wordings matched
here are Google's as docs/conformance.md lists them; anything not recognised is reported with Google's own
message, never guessed at.
"""

from __future__ import annotations

import re
from typing import Any

from sheets_sync.backends.google.credentials import Identity
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode


def error_body(response: Any) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {"message": (getattr(response, "text", "") or "")[:300]}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {"message": str(body)[:300]}


def reasons(error: dict) -> set[str]:
    found = {str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, dict) and e.get("reason")}
    found |= {str(d.get("reason")) for d in error.get("details", []) if isinstance(d, dict) and d.get("reason")}
    return found


def _activation_url(error: dict) -> str | None:
    for detail in error.get("details", []):
        url = (detail.get("metadata") or {}).get("activationUrl") if isinstance(detail, dict) else None
        if url:
            return str(url)
    m = re.search(r"https://console\.developers\.google\.com/\S+", str(error.get("message", "")))
    return m[0].rstrip(".") if m else None


class RangeNotFound(SheetsSyncError):
    """Google's 400 for an A1 range naming no tab there ("Unable to parse range: …"): a read by ranges falls
    back to reading everything; anywhere else it is the refusal it says."""


class SharingNeedsNotice(SheetsSyncError):
    """Drive's 400 invalidSharingRequest: the address has no Google account, so it can only be shared with
    by an invitation e-mail (Drive API "Resolve errors": invalidSharingRequest)."""


def explain(status: int, error: dict, kind: str, what: str, identity: Identity | None) -> SheetsSyncError:
    """The error a command stops with for Google's answer `status` / `error` to a `kind` ("read"/"write")."""
    message = str(error.get("message", ""))
    why = reasons(error)
    who = identity.email if identity and identity.email else None
    account = who or "บัญชีที่ใช้ / the account in use"
    if status == 404:
        return SheetsSyncError(ExitCode.NOT_FOUND, "ไม่พบสเปรดชีตนี้ ตรวจ URL หรือรหัสอีกครั้ง",
                               f"spreadsheet not found (404): check the URL or key ({what})")
    # before SERVICE_DISABLED: Google words a missing quota project with that reason too
    if "quota project" in message.lower():
        return SheetsSyncError(
            ExitCode.AUTH,
            "ข้อมูลรับรองเริ่มต้น (ADC) ของผู้ใช้ยังไม่ได้ตั้งโปรเจกต์สำหรับโควตา โปรดสั่ง "
            "gcloud auth application-default set-quota-project PROJECT_ID",
            "user application default credentials need a quota project: run "
            "`gcloud auth application-default set-quota-project PROJECT_ID` (a project with the Sheets API enabled)")
    if "SERVICE_DISABLED" in why or "accessNotConfigured" in why or "has not been used in project" in message:
        url = _activation_url(error)
        where = f": {url}" if url else " (Google Cloud console → APIs & Services → Library)"
        api = "Google Drive API" if "drive" in message.lower() and "sheets" not in message.lower() else "Google Sheets API"
        return SheetsSyncError(
            ExitCode.AUTH, f"ยังไม่ได้เปิดใช้ {api} ในโปรเจกต์ของข้อมูลรับรองนี้ โปรดเปิดใช้ที่{where}",
            f"the {api} is not enabled in the credentials' Google Cloud project; enable it{where}")
    if "storageQuotaExceeded" in why:
        if identity is not None and identity.service_account:
            return SheetsSyncError(
                ExitCode.AUTH,
                f"บัญชีบริการ {account} ไม่มีพื้นที่ Drive จึงสร้างไฟล์เป็นของตัวเองไม่ได้ ทางเลือก: (1) สร้างสเปรดชีตใน "
                f"Drive ของท่านเอง แชร์ให้ {account} เป็นผู้แก้ไข แล้วสั่ง sheets-sync init --sheet URL "
                "(หรือ sheets-sync copy office.xlsx URL) หรือ (2) สร้างในไดรฟ์ที่แชร์ด้วย --folder FOLDER_ID "
                f"โดยเพิ่ม {account} เป็นสมาชิกของไดรฟ์นั้น",
                f"the service account {account} has no Drive storage, so it cannot own a new file. Either (1) "
                f"create the spreadsheet in your own Drive, share it with {account} as Editor, then run "
                "`sheets-sync init --sheet URL` (or `sheets-sync copy office.xlsx URL`), or (2) create it in a "
                f"shared drive with --folder FOLDER_ID, with {account} a member of that drive")
        return SheetsSyncError(ExitCode.AUTH, "พื้นที่ Google Drive ของบัญชีนี้เต็ม โปรดลบไฟล์หรือเพิ่มพื้นที่",
                               f"the Google Drive storage of {account} is full; free space or add storage")
    if "protected cell or object" in message or "protected" in message.lower() and status == 400:
        return SheetsSyncError(
            ExitCode.AUTH,
            f"ช่วงที่ป้องกันไว้ในสเปรดชีตห้าม {account} แก้ไข โปรดเพิ่ม {account} เป็นผู้แก้ไขของช่วงนั้น "
            "(ข้อมูล > ชีตและช่วงที่ได้รับการป้องกัน) หรือเอาการป้องกันออก",
            f"a protected range does not let {account} edit ({what}); add {account} as an editor of the range "
            "(Data > Protect sheets and ranges) or remove the protection")
    if status == 401:
        return SheetsSyncError(ExitCode.AUTH, "Google ไม่ยอมรับข้อมูลรับรอง (401) โปรดตรวจไฟล์ข้อมูลรับรอง",
                               f"Google did not accept the credentials (401, {what}): {message}")
    if status == 403:
        if kind == "write":
            return SheetsSyncError(
                ExitCode.AUTH,
                f"{account} อ่านสเปรดชีตนี้ได้แต่แก้ไขไม่ได้ (แชร์แบบผู้ดู) โปรดแชร์ให้ {account} เป็นผู้แก้ไข",
                f"{account} can read this spreadsheet but not edit it (shared view-only, {what}); "
                f"share it with {account} as Editor")
        return SheetsSyncError(
            ExitCode.AUTH,
            f"สเปรดชีตนี้ยังไม่ได้แชร์ให้ {account} โปรดกด แชร์ ในสเปรดชีต แล้วเพิ่ม {account} เป็นผู้แก้ไข",
            f"the spreadsheet is not shared with {account} ({what}): open it, click Share and add {account} "
            "as Editor")
    if status == 400 and "invalidSharingRequest" in why:
        return SharingNeedsNotice(ExitCode.FAILED, f"Google ไม่ยอมแชร์โดยไม่แจ้งทางอีเมล ({message})",
                                  f"Google refused to share without an invitation e-mail ({what}): {message}")
    if status == 400 and message.startswith("Unable to parse range"):
        return RangeNotFound(ExitCode.FAILED, f"ไม่มีแท็บหรือช่วงที่ขอในสเปรดชีต ({message})",
                             f"the spreadsheet has no such tab or range ({what}): {message}")
    return SheetsSyncError(ExitCode.FAILED, f"Google ตอบว่าคำขอไม่ถูกต้อง ({status}): {message}",
                           f"Google refused the request ({status}, {what}): {message}")


def refresh_failed(exc: BaseException, identity: Identity | None) -> SheetsSyncError:
    """A token that could not be had: the grant is gone (revoked, the key deleted, the token expired)."""
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    reason = text.split(":", 1)[0].strip() or "refresh failed"
    who = identity.describe()[1] if identity else "the credentials"
    return SheetsSyncError(
        ExitCode.AUTH,
        f"Google ไม่ออกโทเค็นให้ข้อมูลรับรองนี้ ({reason}) คีย์อาจถูกลบหรือเพิกถอน หรือโทเค็นหมดอายุ "
        "โปรดสร้างคีย์ใหม่ หรือเข้าสู่ระบบ OAuth ใหม่",
        f"Google refused a token for {who} ({reason}): the key was deleted or revoked, or the token expired; "
        "make a new key, or sign in through OAuth again")
