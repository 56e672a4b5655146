"""Replay Google's recorded answers (gspread's test cassettes) against the emulator and compare.

For each interaction, in order, the request is sent to the emulator with the recorded ids mapped to the
emulator's own, and the answer is compared with Google's: the status, and the JSON shape (keys and value
types, not values).  `python -m tests.emulator.conformance CASSETTE_DIR` prints the match rate per endpoint.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from .server import Emulator, _endpoint_name

# The endpoints and batchUpdate request kinds the product itself sends.
PRODUCT_ENDPOINTS = {"spreadsheets.get", "spreadsheets.getByDataFilter", "spreadsheets.batchUpdate",
                     "values.update", "drive.files.create", "drive.permissions.create", "drive.files.get",
                     "drive.files.delete", "drive.about.get"}
PRODUCT_KINDS = {"addSheet", "updateCells", "repeatCell", "updateSheetProperties", "updateDimensionProperties",
                 "appendDimension", "setDataValidation", "addProtectedRange", "deleteProtectedRange", "deleteSheet",
                 "updateSpreadsheetProperties", "copyPaste"}


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):  # every element's shape, each distinct one once (lists differ in length)
        return sorted({json.dumps(shape(v), sort_keys=True) for v in value})
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _body(raw: Any) -> Any:
    if isinstance(raw, dict):
        raw = raw.get("string")
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return None


@dataclass
class Outcome:
    cassette: str
    endpoint: str
    kinds: tuple[str, ...]
    matched: bool
    why: str = ""
    replayable: bool = True  # False: it names a file that existed only in the recorder's Drive

    @property
    def product(self) -> bool:
        if self.endpoint not in PRODUCT_ENDPOINTS:
            return False
        return self.endpoint != "spreadsheets.batchUpdate" or set(self.kinds) <= PRODUCT_KINDS


@dataclass
class Mapping:
    ids: dict[str, str] = field(default_factory=dict)
    sheet_ids: dict[int, int] = field(default_factory=dict)
    # Google's ids of protected and named ranges, mapped like sheet ids (a recorded delete names Google's id)
    protected_ids: dict[int, int] = field(default_factory=dict)

    def text(self, text: str) -> str:
        for old, new in self.ids.items():
            text = text.replace(old, new)
        return text

    def body(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (self.sheet_ids.get(v, v) if k == "sheetId" and isinstance(v, int) else
                        self.protected_ids.get(v, v) if k == "protectedRangeId" and isinstance(v, int) else
                        self.body(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.body(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def learn(self, recorded: Any, ours: Any) -> None:
        """Pair ids of the same place in Google's answer and the emulator's."""
        if isinstance(recorded, dict) and isinstance(ours, dict):
            for key, value in recorded.items():
                if key in ("id", "spreadsheetId", "namedRangeId") and isinstance(value, str) \
                        and isinstance(ours.get(key), str):
                    self.ids.setdefault(value, ours[key])
                elif key == "protectedRangeId" and isinstance(value, int) and isinstance(ours.get(key), int):
                    self.protected_ids.setdefault(value, ours[key])
                elif key == "sheetId" and isinstance(value, int) and isinstance(ours.get(key), int):
                    self.sheet_ids.setdefault(value, ours[key])
                elif key in ours:
                    self.learn(value, ours[key])
        elif isinstance(recorded, list) and isinstance(ours, list):
            for a, b in zip(recorded, ours):
                self.learn(a, b)


def replay(cassette: Path, emulator: Emulator) -> list[Outcome]:
    requests.post(f"{emulator.url}/_emulator/reset", timeout=10)
    mapping = Mapping()
    outcomes = []
    session = requests.Session()
    for interaction in json.loads(cassette.read_text())["interactions"]:
        request, response = interaction["request"], interaction["response"]
        parts = urlsplit(mapping.text(request["uri"]))
        url = f"{emulator.url}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        body = _body(request.get("body"))
        kinds = tuple(next(iter(r)) for r in body.get("requests", []) if r) if isinstance(body, dict) and "requests" in body else ()
        endpoint = _endpoint_name(request["method"], parts.path)
        sent = session.request(request["method"], url, json=mapping.body(body) if body is not None else None, timeout=30)
        recorded_status = response["status"]["code"]
        recorded = _body(response.get("body"))
        ours = sent.json() if sent.content else None
        unknown = [t for t in re.findall(r"[A-Za-z0-9_-]{44}", request["uri"]) if t not in mapping.ids]
        if sent.status_code == 404 and recorded_status == 200 and unknown:
            outcomes.append(Outcome(cassette.name, endpoint, kinds, False, "refers to a file only in the recorder's "
                                    "Drive", replayable=False))
            continue
        if sent.status_code != recorded_status:
            outcomes.append(Outcome(cassette.name, endpoint, kinds, False, f"status {sent.status_code} != {recorded_status}: "
                                    f"{json.dumps(ours, ensure_ascii=False)[:200]}"))
            continue
        mapping.learn(recorded, ours)
        if recorded is not None and shape(recorded) != shape(ours):
            outcomes.append(Outcome(cassette.name, endpoint, kinds, False,
                                    f"shape differs: google {json.dumps(shape(recorded))[:300]} emulator {json.dumps(shape(ours))[:300]}"))
            continue
        outcomes.append(Outcome(cassette.name, endpoint, kinds, True))
    return outcomes


def product_only(outcomes: list[Outcome]) -> list[Outcome]:
    """Interactions of the product's endpoints in cassettes whose writes use only the product's request kinds."""
    foreign = {o.cassette for o in outcomes if o.endpoint == "spreadsheets.batchUpdate" and not set(o.kinds) <= PRODUCT_KINDS}
    return [o for o in outcomes if o.product and o.replayable and o.cassette not in foreign]


def run(folder: Path) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with Emulator() as emulator:
        for cassette in sorted(folder.glob("*.json")):
            outcomes += replay(cassette, emulator)
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    skipped = [o for o in outcomes if not o.replayable]
    outcomes = [o for o in outcomes if o.replayable]
    per: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        per[o.endpoint].append(o)
    lines = ["| endpoint | used by the product | interactions | match | rate |", "|---|---|---|---|---|"]
    for endpoint, items in sorted(per.items(), key=lambda kv: -len(kv[1])):
        hits = sum(o.matched for o in items)
        used = "yes" if endpoint in PRODUCT_ENDPOINTS else "no"
        lines.append(f"| `{endpoint}` | {used} | {len(items)} | {hits} | {hits / len(items):.0%} |")
    product = [o for o in outcomes if o.product]
    hits = sum(o.matched for o in product)
    total = sum(o.matched for o in outcomes)
    lines.append(f"| **the product's endpoints and request kinds** | | {len(product)} | {hits} | "
                 f"{hits / max(len(product), 1):.0%} |")
    lines.append(f"| **all** | | {len(outcomes)} | {total} | {total / max(len(outcomes), 1):.0%} |")
    clean = product_only(outcomes)
    hits = sum(o.matched for o in clean)
    lines.append(f"\nIn the cassettes whose writes use only the product's request kinds, the product's endpoints "
                 f"match in {hits} of {len(clean)} interactions ({hits / max(len(clean), 1):.0%}).")
    lines.append(f"\n{len(skipped)} interactions were not replayable: they name spreadsheets that existed only in "
                 "the recording account's Drive (gspread's `openall` tests list every file the account had).")
    return "\n".join(lines)


if __name__ == "__main__":
    results = run(Path(sys.argv[1]))
    print(table(results))
    if "-v" in sys.argv:
        for o in results:
            if not o.matched:
                print(f"{o.cassette} {o.endpoint} {o.kinds}: {o.why}")
