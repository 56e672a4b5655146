"""The documents of steps 5 and 7, opened as a person opens them: the Word text, the PDF's text through pdftotext,
a page rendered to PNG and looked at; an office's own template, and a typo in it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.report.thai_text import thai_words, wrap

from .conftest import cli, kpi, office_workbook, result, tab_records
from .test_report import share

PEOPLE = [
    {"person_id": "P01", "name": "นายสมชาย ใจดี", "position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "role": "ผู้อำนวยการ"},
    {"person_id": "P02", "name": "นางสาวพรทิพย์ บุญมา", "position": "ผู้อำนวยการกลุ่มนโยบายและแผน",
     "role": "ผู้กำกับดูแลตัวชี้วัด", "email": "p02@example.go.th", "phone": "0 4351 2345"},
    {"person_id": "P03", "name": "นายบุญชู ขยันยิ่ง", "position": "ผู้อำนวยการโรงเรียนบ้านหนองบัว", "role": "ผู้อำนวยการสถานศึกษา"},
]
KPIS = [kpi("1", 60, name="ร้อยละของนักเรียนชั้นประถมศึกษาปีที่ 1 ที่อ่านออกเขียนได้", unit="ร้อยละ", target=85,
            supervisor="P02", owner="P02", definition="นักเรียนอ่านออกเขียนได้ตามเกณฑ์", formula="ก / ข × 100",
            data_source="ระบบ DMC", evidence_required="ผลการประเมิน", collector="P02", baseline_1=74.2),
        kpi("2", 40, name="จำนวนวันเฉลี่ยในการโอนเงินอุดหนุน", owner="P01", supervisor="P01", for_schools="ไม่ใช่")]
AGREEMENTS = [
    {"level": "สพฐ./จังหวัด ↔ เขต", "maker": "นายสมชาย ใจดี", "maker_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
     "receiver": "นายอัมพร พินะสา", "receiver_position": "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน", "unit": "สพป. ทดสอบ เขต 1",
     "signed_on": "3/12/2569"},
    {"level": "เขต ↔ บุคลากร", "maker": "นางสาวพรทิพย์ บุญมา", "maker_position": "ผู้อำนวยการกลุ่มนโยบายและแผน",
     "receiver": "นายสมชาย ใจดี", "receiver_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "unit": "กลุ่มนโยบายและแผน"},
    {"level": "เขต ↔ สถานศึกษา", "maker": "นายบุญชู ขยันยิ่ง", "maker_position": "ผู้อำนวยการโรงเรียนบ้านหนองบัว",
     "receiver": "นายสมชาย ใจดี", "receiver_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "unit": "โรงเรียนบ้านหนองบัว",
     "document": "https://drive.example/signed.pdf"},
]


@pytest.fixture
def office(tmp_path: Path) -> Path:
    from .conftest import type_office

    path = tmp_path / "workbook.xlsx"
    type_office(open_backend(parse_target(str(path))), KPIS, [result("1", 6, 80)], people=PEOPLE, agreements=AGREEMENTS)
    return path


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed; .ci/run installs it")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def annex_ids(path: Path) -> list[str]:
    return [row.cells[0].text for row in docx.Document(str(path)).tables[-1].rows[2:-1]]  # headers, total


def test_one_agreement_per_row_named_to_be_found_with_the_annex_scoped_by_level(office, tmp_path):
    out = tmp_path / "agreements"
    outcome = cli("agreements", "--sheet", str(office), "--out", str(out))
    assert outcome.exit_code == 0, outcome.output
    files = sorted(p.name for p in out.iterdir())
    assert files == ["2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx", "2570_เขต-บุคลากร_นางสาวพรทิพย์บุญมา.docx",
                     "2570_เขต-สถานศึกษา_โรงเรียนบ้านหนองบัว.docx"]
    top = docx_text(out / files[0])
    for words in ("คำรับรองการปฏิบัติราชการ", "ประจำปีงบประมาณ พ.ศ. 2570", "นายอัมพร พินะสา", "นายสมชาย ใจดี",
                  "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน", "มิใช่สัญญา", "1 ตุลาคม 2569 ถึงวันที่ 30 กันยายน 2570",
                  "วันที่ 3 ธันวาคม 2569", "ร้อยละของนักเรียนชั้นประถมศึกษาปีที่ 1 ที่อ่านออกเขียนได้"):
        assert words in top, words
    assert annex_ids(out / files[0]) == ["1", "2"]  # the office: every KPI
    assert annex_ids(out / files[1]) == ["1"]  # a staff member: the KPIs she owns or supervises
    assert annex_ids(out / files[2]) == ["1"]  # a school: KPI 2 is marked not for schools
    assert "วันที่ ……" in docx_text(out / files[2])  # not signed yet: a date to write by hand


def test_the_pdfs_carry_every_party_and_kpi_as_text_and_the_page_is_not_blank(office, tmp_path):
    out = tmp_path / "agreements"
    combined = tmp_path / "all.pdf"
    assert cli("agreements", "--sheet", str(office), "--out", str(out), "--format", "pdf",
               "--combine", str(combined)).exit_code == 0
    school = pdf_text(out / "2570_เขต-สถานศึกษา_โรงเรียนบ้านหนองบัว.pdf")
    for words in ("นายบุญชู ขยันยิ่ง", "โรงเรียนบ้านหนองบัว", "นายสมชาย ใจดี", "ร้อยละของนักเรียน"):
        assert words in school, words
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(combined)], capture_output=True,
                          check=True).stdout.decode()
    turned = [float(w) > float(h) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    firsts = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-raw", str(combined), "-"], capture_output=True,
                             check=True).stdout.decode().split("\n")[0] for n in range(1, len(turned) + 1)]
    assert sum(f == "คำรับรองการปฏิบัติราชการ" for f in firsts) == 3  # three agreements
    # each annex on a landscape page of its own, and only the annex
    assert [f.startswith("เอกสารประกอบท้ายคำรับรอง") for f in firsts] == turned and sum(turned) == 3
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", str(combined), str(tmp_path / "page")],
                   check=True)
    assert 0.005 < share(next(tmp_path.glob("page*.png"))) < 0.5  # words on the page, not a blank or a black one


def test_link_fills_only_the_blank_document_cells(office, tmp_path):
    out = tmp_path / "agreements"
    outcome = cli("agreements", "--sheet", str(office), "--out", str(out), "--link")
    assert outcome.exit_code == 0 and "linked 2" in outcome.output
    documents = [r["เอกสาร"] for r in tab_records(office, "ข้อตกลง")]
    assert documents[0].endswith("2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx") and Path(documents[0]).is_file()
    assert documents[2] == "https://drive.example/signed.pdf"  # a person's link stays
    assert "linked 0" in cli("agreements", "--sheet", str(office), "--out", str(out), "--link").output


def test_an_offices_own_template_is_filled_and_a_typo_names_the_field(office, tmp_path):
    own = docx.Document()
    own.add_paragraph("ตราครุฑ สพป. ทดสอบ — หัวกระดาษของเขต")
    own.add_paragraph("คำรับรองระหว่าง {{ receiver }} กับ {{ maker }} ปี {{ fiscal_year }}")
    table = own.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text = "{%tr for k in annex %}"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "{{ k.kpi_id }}", "{{ k.weight }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    template = tmp_path / "letterhead.docx"
    own.save(str(template))
    out = tmp_path / "own"
    assert cli("agreements", "--sheet", str(office), "--out", str(out), "--only", "2", "--template", str(template),
               "--format", "both").exit_code == 0
    text = docx_text(out / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx")
    assert "หัวกระดาษของเขต" in text and "คำรับรองระหว่าง นายอัมพร พินะสา กับ นายสมชาย ใจดี ปี 2570" in text
    assert [r.cells[1].text for r in docx.Document(str(out / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx")).tables[0].rows] == ["60", "40"]
    if shutil.which("soffice"):  # the office's own layout goes to PDF through LibreOffice
        assert "หัวกระดาษของเขต" in pdf_text(out / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.pdf")
    own.add_paragraph("ผู้ลงนาม {{ makr }}")
    own.save(str(template))
    typo = cli("agreements", "--sheet", str(office), "--out", str(out), "--template", str(template))
    assert typo.exit_code == 2 and "{{ makr }}" in typo.output and "maker" in typo.output


def test_a_kpi_template_per_kpi_and_per_owner_with_a_round_result_block(office, tmp_path):
    out = tmp_path / "templates"
    assert cli("templates", "--sheet", str(office), "--out", str(out), "--format", "both").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["2570_ตัวชี้วัด_1.docx", "2570_ตัวชี้วัด_1.pdf",
                                                      "2570_ตัวชี้วัด_2.docx", "2570_ตัวชี้วัด_2.pdf"]
    page = docx_text(out / "2570_ตัวชี้วัด_1.docx")
    for words in ("รายละเอียดตัวชี้วัด", "ก / ข × 100", "ระบบ DMC", "เทียบบัญญัติไตรยางศ์ (มากดี)", "ระดับ 5: 100",
                  "ปี 2569: 74.2", "นางสาวพรทิพย์ บุญมา", "ผู้อำนวยการกลุ่มนโยบายและแผน", "0 4351 2345",
                  "p02@example.go.th", "6 เดือน, 9 เดือน, 12 เดือน"):
        assert words in page, words
    assert "ระบบ DMC" in pdf_text(out / "2570_ตัวชี้วัด_1.pdf")
    forms = tmp_path / "forms"
    assert cli("templates", "--sheet", str(office), "--out", str(forms), "--owner", "P02", "--round", "6",
               "--today", "1/5/2570").exit_code == 0
    form = docx_text(forms / "2570_ผู้รับผิดชอบ_P02.docx")
    assert "6 เดือน (กำหนดส่ง" in form and "80" in form


def test_validate_lists_blank_template_fields_and_status_counts_complete_ones(office):
    plain = json.loads(cli("validate", "--sheet", str(office), "--format", "json").output)["problems"]
    assert not [p for p in plain if p["code"] == "kpis.template_incomplete"]  # only when asked
    problems = json.loads(cli("validate", "--sheet", str(office), "--format", "json", "--templates").output)["problems"]
    info = [p for p in problems if p["code"] == "kpis.template_incomplete"]
    assert [(p["key"], p["severity"]) for p in info] == [("2", "info")]
    assert "คำอธิบาย" in info[0]["th"]
    assert "templates complete: 1/2" in cli("status", "--sheet", str(office)).output


def test_thai_lines_break_between_words_never_inside_one():
    text = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาจัดทำคำรับรองการปฏิบัติราชการประจำปีงบประมาณ"
    lines = wrap(text, 12, len)
    assert "".join(lines) == text and all(len(line) <= 12 for line in lines)
    from pythainlp.tokenize import word_tokenize

    boundaries = set()
    for words in (thai_words(text), word_tokenize(text, engine="newmm")):  # ours, or the dictionary's smaller words
        position = 0
        for word in words:
            position += len(word)
            boundaries.add(position)
    position = 0
    for line in lines[:-1]:
        position += len(line)
        assert position in boundaries, line
