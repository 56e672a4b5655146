"""The emulator against Google's own recorded answers (gspread's test cassettes, MIT, in ../shared)."""

from pathlib import Path

import pytest

from .conftest import SHARED
from .emulator import conformance

CASSETTES = SHARED / "conformance" / "gspread-cassettes"


@pytest.fixture(scope="module")
def outcomes():
    if not CASSETTES.is_dir():
        pytest.skip(f"no recorded Google traffic at {CASSETTES}: the conformance check needs ../shared beside "
                    "the repository, which a user's clone does not have")
    return conformance.run(CASSETTES)


def test_the_request_kinds_the_product_sends_get_googles_answers(outcomes):
    writes = [o for o in outcomes if o.endpoint == "spreadsheets.batchUpdate" and o.product and o.replayable]
    assert writes and all(o.matched for o in writes), [(o.cassette, o.why) for o in writes if not o.matched]


def test_the_products_endpoints_match_google_where_only_the_products_writes_were_made(outcomes):
    clean = conformance.product_only(outcomes)
    misses = [(o.cassette, o.endpoint, o.why[:200]) for o in clean if not o.matched]
    assert misses == [] and len(clean) > 600


def test_the_overall_match_rate_is_written_down(outcomes):
    table = conformance.table(outcomes)
    doc = (Path(__file__).parent.parent / "docs" / "conformance.md").read_text(encoding="utf-8")
    assert table in doc, "docs/conformance.md is out of date: regenerate it with `python -m tests.emulator.conformance`"
