"""The year's report: the docx tables carry the build's figures, the PDF's Thai text is real text, and a PDF
page and the HTML page, rendered to pictures, show something."""

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from .conftest import cli, kpi, office_workbook, result

MILESTONE = "ระดับความสำเร็จ"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    path = office_workbook(folder / "office.xlsx", [
        kpi("1", 4, MILESTONE, (), name="ระดับความสำเร็จของการพัฒนาระบบควบคุมภายใน"),
        kpi("2", 4, MILESTONE, (), name="ระดับความสำเร็จของการดำเนินงานตามแผน"),
        kpi("3", 3, name="ร้อยละของนักเรียนที่อ่านออกเขียนได้"),
        kpi("4", 3, name="ร้อยละความพึงพอใจของผู้รับบริการ"),
        kpi("5", 86, criteria=(10, 20, 30, 40, 50), name="ร้อยละของสถานศึกษาที่ผ่านการประเมิน"),
    ], [
        result("1", 6, "ระดับ 5"), result("2", 6, "ระดับ 5", committee_score=4.8, override_reason="ส่งรายงานไม่ครบ"),
        result("3", 6, 70), result("4", 6, 66), result("5", 6, 50),
    ])
    assert cli("build", "--sheet", str(path), "--today", "2027-04-01").exit_code == 0
    return path


def export_figures(path: Path) -> dict[str, dict]:
    exported = json.loads(cli("export", "--sheet", str(path), "--today", "2027-04-01").output)
    return {k["kpi_id"]: k for k in exported["rounds"][0]["kpis"]}


def report(office: Path, suffix: str) -> Path:
    out = office.parent / f"report{suffix}"
    outcome = cli("report", "--sheet", str(office), "--today", "2027-04-01", "-o", str(out))
    assert outcome.exit_code == 0, outcome.output
    return out


def share(png: Path, near: tuple[int, int, int] | None = None) -> float:
    """The share of a picture's pixels that are text-dark, or within 30 of the colour `near` in each channel."""
    image = Image.open(png).convert("RGB")
    pixels = list(image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata())
    if near is None:
        hits = sum(1 for r, g, b in pixels if r + g + b < 300)
    else:
        hits = sum(1 for px in pixels if all(abs(c - n) < 30 for c, n in zip(px, near)))
    return hits / len(pixels)


CHART_BLUE = (0x2E, 0x75, 0xB6)  # the bars of the office-result and KPI charts (report/charts.py)


def unbroken(text: str) -> str:
    """Word text without the zero-width spaces that tell Word where a Thai line may break."""
    return text.replace("\u200b", "")


def test_the_docx_tables_carry_the_builds_figures_in_the_official_layout(office: Path):
    document = Document(report(office, ".docx"))
    figures = export_figures(office)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "ตัวชี้วัด")
    header = [unbroken(c.text) for c in table.rows[0].cells]
    assert header == ["ตัวชี้วัด", "หน่วยวัด", "น้ำหนัก", "ระดับ 1", "ระดับ 2", "ระดับ 3", "ระดับ 4", "ระดับ 5",
                      "ผลการดำเนินงาน", "ประเมินตนเอง", "คณะกรรมการ", "คะแนนที่ใช้", "คะแนนถ่วงน้ำหนัก"]
    rows = {unbroken(r.cells[0].text).split()[0]: [unbroken(c.text) for c in r.cells] for r in table.rows[1:]}
    for kpi_id, k in figures.items():
        assert rows[kpi_id][12] == f"{k['weighted']:.4f}", kpi_id
    assert [rows[k][12] for k in "1234"] == ["0.2000", "0.1920", "0.0600", "0.0480"]
    assert rows["2"][10] == "4.8000" == rows["2"][11]  # the committee's score, and the one used
    # the shares add up, to the office result: 0.2000 + 0.1920 + 0.0600 + 0.0480 + 4.3000
    assert rows["รวม"][12] == "4.8000" == f"{sum(Decimal(rows[k][12]) for k in '12345')}"
    text = unbroken("\n".join(p.text for p in document.paragraphs))
    assert "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1" in text and "2570" in text and "4.8000" in text
    assert document.styles["Normal"].font.name == "TH Sarabun New"
    assert len(document.inline_shapes) == 3  # the three charts


def test_the_pdf_holds_the_thai_kpi_names_and_figures_as_text(office: Path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian: poppler-utils) is not installed; .ci/run installs it")
    text = subprocess.run(["pdftotext", "-layout", str(report(office, ".pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    # the table text is what a reader searches: names with sara am (ำ), tone marks, and both at once (a name
    # wrapped in its cell reads whole once its lines are joined, as a search across lines finds it)
    raw = subprocess.run(["pdftotext", "-raw", str(report(office, ".pdf")), "-"], capture_output=True,
                         text=True, check=True).stdout.replace("\n", "")
    for name in ("ร้อยละของนักเรียนที่อ่านออกเขียนได้", "ร้อยละความพึงพอใจของผู้รับบริการ",
                 "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
                 "ระดับความสำเร็จของการดำเนินงานตามแผน", "ระดับความสำเร็จของการพัฒนาระบบควบคุมภายใน"):
        assert name in raw
    assert "\b" not in text and "ำ " not in text.replace("ำ  ", "")  # no stray character or gap after sara am
    for figure in ("0.2000", "0.1920", "0.0600", "0.0480", "4.8000"):
        assert figure in text


def test_every_pdf_page_renders_with_text_and_one_with_the_charts(office: Path, tmp_path: Path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (Debian: poppler-utils) is not installed; .ci/run installs it")
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(report(office, ".pdf")), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 3
    # every page carries text (measured: 0.3–8 % dark pixels), and one carries the bar charts (measured: 8 % of
    # its pixels in the bars' blue); a blank or chart-less render fails either bound by a wide margin
    assert all(share(page) > 0.002 for page in pages)
    assert max(share(page, CHART_BLUE) for page in pages) > 0.02


def test_the_html_page_renders_in_chromium_and_is_not_blank(office: Path, tmp_path: Path):
    if CHROMIUM is None:
        pytest.skip("Chromium (Debian: chromium) is not installed; .ci/run installs it")
    page = report(office, ".html")
    assert "ร้อยละความพึงพอใจของผู้รับบริการ" in page.read_text(encoding="utf-8")
    shot = tmp_path / "page.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600", f"--screenshot={shot}",
                    page.as_uri()], check=True, capture_output=True, timeout=120)
    assert share(shot) > 0.015  # Thai text and table rules: measured 3.5 % of a 1200×1600 screenshot


def test_an_unknown_report_format_is_a_usage_error(office: Path):
    outcome = cli("report", "--sheet", str(office), "-o", str(office.parent / "report.txt"))
    assert outcome.exit_code == 2 and ".docx" in outcome.stderr


def test_pdf_text_with_sara_am_and_tone_marks_reads_back_as_typed(tmp_path: Path):
    """HarfBuzz draws ำ as two glyphs; the text must still read back as the one character people type."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian: poppler-utils) is not installed; .ci/run installs it")
    from sheets_sync.report.pdf_kit import new_pdf, paragraph

    with_sara_am = "คำรับรอง ผลการดำเนินงาน น้ำหนัก สำนักงาน ผู้อำนวยการ ต่ำกว่า ซ้ำ"
    stacked_marks = "ที่นั้น ปี๊บ"
    pdf = new_pdf()
    pdf.add_page()
    paragraph(pdf, f"{with_sara_am} {stacked_marks}", 12)  # one line
    pdf.output(str(tmp_path / "words.pdf"))

    def extracted(mode: str) -> str:
        return subprocess.run(["pdftotext", mode, str(tmp_path / "words.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout.strip()

    # as a reader's search sees the page (poppler's layout order) ...
    assert extracted("-layout").startswith(with_sara_am)
    # ... and as copy sees it, in the order written: every character, none added
    assert extracted("-raw") == f"{with_sara_am} {stacked_marks}"


def _pages_text(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("rows, whole_block_on_one_page", [(12, True), (80, False)])
def test_a_table_keeps_its_total_line_unless_it_is_longer_than_a_page(tmp_path: Path, rows: int,
                                                                      whole_block_on_one_page: bool):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian: poppler-utils) is not installed; .ci/run installs it")
    from sheets_sync.report.pdf_kit import (
        heading,
        keep_together,
        new_pdf,
        paragraph,
        table,
    )

    def block(pdf) -> None:
        heading(pdf, "ผลการดำเนินงานรอบ 6 เดือน")
        table(pdf, ["ตัวชี้วัด", "คะแนน"], [[f"ตัวชี้วัดที่ {n}", "3.0000"] for n in range(rows)])
        heading(pdf, "ผลคะแนนรวม 3.2353")

    pdf = new_pdf()
    pdf.add_page()
    while pdf.get_y() < pdf.h - 60:  # a page nearly full: the block cannot fit below
        paragraph(pdf, "ข้อความก่อนตาราง")
    keep_together(pdf, block)
    pdf.output(str(tmp_path / "kept.pdf"))
    pages = _pages_text(tmp_path / "kept.pdf")
    title_page = next(n for n, page in enumerate(pages) if "ผลการดำเนินงานรอบ 6 เดือน" in page)
    total_page = next(n for n, page in enumerate(pages) if "ผลคะแนนรวม 3.2353" in page)
    if whole_block_on_one_page:
        assert title_page == total_page == 1
    else:  # longer than a page: it starts right below the text, no page left empty
        assert title_page == 0 and total_page > title_page
