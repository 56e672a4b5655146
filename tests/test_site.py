"""The static site: the build's figures on the pages, nothing personal on the public one, pages a phone and a
desktop show (Chromium at 390 and 1280 px), links that resolve, text that stays text, and a quick local server."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from .conftest import cli, kpi, office_workbook, result
from .test_report import share

PEOPLE = [
    {"person_id": "P02", "name": "นางสองทดสอบ", "role": "ผู้กำกับดูแลตัวชี้วัด", "email": "p02@example.go.th",
     "phone": "081-234-5678"},
    {"person_id": "P03", "name": "นายสาม ทดสอบ", "role": "ผู้รับผิดชอบตัวชี้วัด", "email": "p03@example.go.th",
     "phone": "089-876-5432"},
]
KPIS = [kpi("1", 60, name="ร้อยละของนักเรียนที่อ่านออกเขียนได้"), kpi("2", 40, name="<script>alert(1)</script>")]
RESULTS = [result("1", 6, 78.5, certification="รับรองแล้ว"), result("2", 6, 95, certification="รับรองแล้ว")]
TODAY = "1/8/2570"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return office_workbook(tmp_path / "workbook.xlsx", KPIS, RESULTS, {"round9_due": "31/7/2570", "coordinator_emails": "kpi@example.go.th"},
                           people=PEOPLE)


def site(office: Path, *extra: str) -> Path:
    out = office.parent / ("public" if "--public" in extra else "site")
    outcome = cli("site", "--sheet", str(office), "--out", str(out), "--today", TODAY, *extra)
    assert outcome.exit_code == 0, outcome.output
    return out


def text_of(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.html"))


def test_a_scheduled_site_prints_nothing_and_logs_its_run(office):
    log = office.parent / "runs.jsonl"
    outcome = cli("site", "--sheet", str(office), "--out", str(office.parent / "site"), "--today", TODAY, "--quiet",
                  "--log-json", str(log))
    assert (outcome.exit_code, outcome.output) == (0, "")
    record = json.loads(log.read_text(encoding="utf-8"))
    assert (record["command"], record["exit_code"], record["public"]) == ("site", 0, False)
    assert record["pages"] == len(list((office.parent / "site").rglob("*.html"))) > 3


def test_the_pages_hold_the_figures_the_build_computed(office):
    assert cli("certify", "--sheet", str(office), "--round", "6", "--seal", "--yes", "--by", "kpi@example.go.th",
               "--today", TODAY).exit_code == 0
    out = site(office)
    exported = json.loads(cli("export", "--sheet", str(office), "--today", TODAY).output)["rounds"][0]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{exported['official_result']:.4f}" in index and "ผลอย่างเป็นทางการ" in index
    kpi_page = (out / "kpi" / "1.html").read_text(encoding="utf-8")
    assert "2.8500" in kpi_page and "78.5" in kpi_page and "รับรองและผนึกแล้ว" in kpi_page
    mine = (out / "people" / "P03.html").read_text(encoding="utf-8")
    assert "ตัวชี้วัดของฉัน" in mine and "ตัวชี้วัดที่ยังไม่รายงานผล" in mine and "30 ก.ย. 2570" in mine  # round 12 is next


def test_the_public_site_holds_no_name_email_or_phone_and_marks_uncertified_figures(office):
    out = site(office, "--public")
    everything = text_of(out)
    for private in ("p02@example.go.th", "089-876-5432", "นายสาม ทดสอบ", "นางสองทดสอบ", "@"):
        assert private not in everything, private
    assert not list(out.glob("people/*"))  # no staff page, not even an empty folder of them
    assert "ยังไม่ผ่านการรับรอง" in (out / "index.html").read_text(encoding="utf-8")


def test_a_kpi_name_with_markup_is_shown_as_text(office):
    out = site(office)
    page = (out / "kpi" / "2.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in text_of(out)


def test_every_link_between_pages_resolves(office):
    out = site(office)
    for page in out.rglob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"#]+)"', page.read_text(encoding="utf-8")):
            if not target.startswith(("http:", "https:")):
                assert (page.parent / target).resolve().is_file(), (page.name, target)
    css = (out / "assets" / "site.css").read_text(encoding="utf-8")
    for font in re.findall(r"url\(([^)]+)\)", css):  # the font travels with the site: no network needed
        assert (out / "assets" / font).is_file()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.parametrize("width", [390, 1280])
def test_index_and_an_owner_page_render_at_phone_and_desktop_widths(office, tmp_path, width):
    if CHROMIUM is None:
        pytest.skip("Chromium (Debian: chromium) is not installed; .ci/run installs it")
    out = site(office)
    for page in (out / "index.html", out / "people" / "P03.html"):
        shot = tmp_path / f"{page.stem}-{width}.png"
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},1200", f"--screenshot={shot}",
                        page.as_uri()], check=True, capture_output=True, timeout=120)
        assert share(shot) > 0.01, page.name  # text, tables and the header band; a blank page is 0


def test_serve_answers_on_localhost(office, tmp_path):
    out = site(office)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", "from commands.cli import main; main()", "site", "--sheet", str(office), "--out",
                                str(out), "--serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/index.html", timeout=5)
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""  # it died: say why
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.2)
        assert answer.status_code == 200 and "ผลการปฏิบัติราชการ" in answer.content.decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)
