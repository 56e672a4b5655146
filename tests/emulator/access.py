"""Who is calling and what they may do: OAuth tokens, sharing, and Drive's refusals, as Google answers them.

Tokens: the emulator's `/token` answers the grants google-auth sends (a service account's signed JWT, an OAuth
user's refresh token) with an access token that names the caller; the signature is not checked (a test
double, not a security boundary).  A request with no Authorization header is the spreadsheet's owner, so
tests that do not care about identity are not affected.

Sharing: every spreadsheet has an owner and a list of people it is shared with (reader or writer).  A caller
it is not shared with gets 403 PERMISSION_DENIED on any request, a reader gets it on any write — worded as
Google words it (docs/conformance.md).  Drive refuses to create a file for a service account outside a shared
drive (403 storageQuotaExceeded), as it has since April 2025.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs

OWNER = "owner@sheets-emulator.local"
TOKEN_PREFIX = "emulator-token:"
SERVICE_ACCOUNT_DOMAIN = ".iam.gserviceaccount.com"
SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"


class AccessError(Exception):
    def __init__(self, status: int, body: dict) -> None:
        super().__init__(body)
        self.status = status
        self.body = body


def permission_denied() -> AccessError:
    return AccessError(403, {"error": {"code": 403, "message": "The caller does not have permission",
                                       "status": "PERMISSION_DENIED"}})


def storage_quota_exceeded() -> AccessError:
    message = ("Service Accounts do not have storage quota. Leverage shared drives "
               "(https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth "
               "delegation (http://support.google.com/a/answer/7281227) instead.")
    return AccessError(403, {"error": {"code": 403, "message": message, "errors": [
        {"message": message, "domain": "usageLimits", "reason": "storageQuotaExceeded"}]}})


@dataclass
class Caller:
    email: str
    service_account: bool = False
    scopes: tuple[str, ...] = ()


@dataclass
class Sharing:
    owner: str = OWNER
    readers: set[str] = field(default_factory=set)
    writers: set[str] = field(default_factory=set)

    def role(self, email: str) -> str | None:
        if email == self.owner:
            return "owner"
        if email in self.writers:
            return "writer"
        if email in self.readers:
            return "reader"
        return None

    def check(self, caller: Caller, write: bool) -> None:
        role = self.role(caller.email)
        if role is None or (write and role == "reader"):
            raise permission_denied()


@dataclass
class Accounts:
    """Issued tokens, revoked grants, and the shared drives (folder id → the drive's members)."""

    tokens: dict[str, Caller] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    grants: list[dict] = field(default_factory=list)  # every token request's form, for tests (no secrets here)
    shared_drives: dict[str, set[str]] = field(default_factory=dict)

    def caller(self, authorization: str | None) -> Caller:
        if not authorization:
            return Caller(OWNER)
        token = authorization.removeprefix("Bearer ").strip()
        caller = self.tokens.get(token)
        if caller is None:
            raise AccessError(401, {"error": {"code": 401, "status": "UNAUTHENTICATED", "message":
                                              "Request had invalid authentication credentials. Expected OAuth 2 "
                                              "access token, login cookie or other valid authentication credential."}})
        return caller

    def grant(self, form: bytes) -> tuple[int, dict]:
        """The token endpoint (oauth2.googleapis.com/token) for the two grants google-auth sends."""
        fields = {k: v[0] for k, v in parse_qs(form.decode("utf-8")).items()}
        self.grants.append({k: v for k, v in fields.items() if k in ("grant_type", "scope")})
        grant_type = fields.get("grant_type", "")
        if grant_type == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            claims = _jwt_claims(fields.get("assertion", ""))
            email, scopes = claims.get("iss", ""), tuple(str(claims.get("scope", "")).split())
            service_account = True
        elif grant_type == "refresh_token":
            email = fields.get("refresh_token", "")  # the emulator's convention: the refresh token is the user
            scopes = tuple(fields.get("scope", "").split()) or (SHEETS_SCOPE,)
            service_account = False
        else:
            return 400, {"error": "unsupported_grant_type", "error_description": grant_type}
        if email in self.revoked:
            return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
        token = TOKEN_PREFIX + secrets.token_urlsafe(12)
        self.tokens[token] = Caller(email, service_account, scopes)
        answer = {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
        if not service_account:
            answer["scope"] = " ".join(scopes)
        return 200, answer


def _jwt_claims(assertion: str) -> dict:
    try:
        payload = assertion.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


def is_service_account(email: str) -> bool:
    return email.endswith(SERVICE_ACCOUNT_DOMAIN)
