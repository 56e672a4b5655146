"""The documents as the officials who sign them read them: the official page (A4, margins 3/2/2.5/2 cm, 16 pt),
Thai titles bold in Word, the office and the month spelled in full, an annex that adds up, schools signing only
what is theirs.  Read from the files themselves: python-docx runs and sections, pdftotext's word boxes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from sheets_sync.backends.target import open_backend, parse_target

from .conftest import cli, kpi, result, type_office
from .test_documents import AGREEMENTS as BASE_AGREEMENTS

PEOPLE = [
    {"person_id": "P01", "name": "นายสมชาย ใจดี", "position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "role": "ผู้อำนวยการ"},
    {"person_id": "P02", "name": "นางสาวพรทิพย์ บุญมา", "position": "ผู้อำนวยการกลุ่มนโยบายและแผน",
     "role": "ผู้กำกับดูแลตัวชี้วัด", "group": "กลุ่มนโยบายและแผน"},
    {"person_id": "P03", "name": "นายวีระ กล้าหาญ", "position": "นักวิเคราะห์นโยบายและแผน", "role": "ผู้รับผิดชอบตัวชี้วัด",
     "group": "กลุ่มนโยบายและแผน"},
    {"person_id": "P04", "name": "นายบุญชู ขยันยิ่ง", "position": "ผู้อำนวยการโรงเรียนบ้านหนองบัว", "role": "ผู้อำนวยการสถานศึกษา"},
]
KPIS = [
    kpi("1", 30, name="ร้อยละของนักเรียนชั้นประถมศึกษาปีที่ 1 ที่อ่านออกเขียนได้", unit="ร้อยละ"),  # no target typed
    kpi("2", 20, name="ผลสัมฤทธิ์ทางการเรียนของผู้เรียน", method=None, criteria=()),
    kpi("2.1", 10, parent_id="2", name="ร้อยละของนักเรียนชั้น ป.6 ที่มีผล O-NET ไม่ต่ำกว่าร้อยละ 50", target=30,
        criteria=(20, 25, 30, 35, 40)),
    kpi("2.2", 10, parent_id="2", name="ค่าเฉลี่ยผลการประเมินคุณภาพผู้เรียน (NT) ชั้น ป.3", criteria=(40, 45, 50, 55, 60)),
    kpi("3", 30, "ช่วงคะแนน", criteria=(0, 75, 80, 85, 90), name="ร้อยละของการเบิกจ่ายงบประมาณรายจ่ายลงทุน"),
    kpi("4", 20, "คณะกรรมการ", criteria=(), name="คุณภาพการบริหารจัดการตามมาตรฐานสำนักงานเขตพื้นที่การศึกษา",
        owner="P01", supervisor="P01"),
]
AGREEMENTS = [
    *BASE_AGREEMENTS[:2],  # the office's with OBEC, signed; a group director's
    {"level": "เขต ↔ บุคลากร", "maker": "นายวีระ กล้าหาญ", "maker_position": "นักวิเคราะห์นโยบายและแผน",
     "receiver": "นายสมชาย ใจดี", "receiver_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "unit": "กลุ่มนโยบายและแผน"},
    {**BASE_AGREEMENTS[2], "document": None},  # a school's, not signed yet
]
FULL_NAME = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "workbook.xlsx"
    type_office(open_backend(parse_target(str(path))), KPIS, [result("1", 6, 80)], people=PEOPLE,
                agreements=AGREEMENTS)
    return path


@pytest.fixture
def made(office: Path, tmp_path: Path) -> Path:
    out = tmp_path / "agreements"
    outcome = cli("agreements", "--sheet", str(office), "--out", str(out), "--format", "both")
    assert outcome.exit_code == 0, outcome.output
    return out


def annex_rows(path: Path) -> list[list[str]]:
    table = docx.Document(str(path)).tables[-1]
    return [[c.text for c in row.cells] for row in table.rows]


def test_thai_titles_and_headers_are_bold_and_sized_as_thai_in_word(made):
    document = docx.Document(str(made / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx"))
    title = document.paragraphs[0].runs[0]
    assert title.text == "คำรับรองการปฏิบัติราชการ"
    properties = title._r.rPr
    assert properties.find(qn("w:bCs")).get(qn("w:val")) == "true"  # bold for the complex script Thai is
    assert properties.find(qn("w:szCs")).get(qn("w:val")) == "40"  # 20 pt for Thai, not only for Latin
    assert properties.rFonts.get(qn("w:cs")) == "TH Sarabun New"
    header_runs = [r for c in document.tables[-1].rows[0].cells for p in c.paragraphs for r in p.runs if r.text]
    assert header_runs and all(r._r.rPr.find(qn("w:bCs")) is not None for r in header_runs)
    # the run properties stay in schema order: Word refuses a file with szCs before sz
    tags = [child.tag.split("}")[1] for child in properties]
    assert tags.index("sz") < tags.index("szCs") < tags.index("cs")


def test_word_pages_are_the_official_page_and_the_annex_is_turned(made):
    document = docx.Document(str(made / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx"))
    text, annex = document.sections[0], document.sections[-1]
    def cm(length: int) -> float:
        return round(length / Cm(1), 2)

    assert (cm(text.page_width), cm(text.page_height)) == (21.0, 29.7)
    assert [cm(m) for m in (text.left_margin, text.right_margin, text.top_margin, text.bottom_margin)] == [3, 2, 2.5, 2]
    assert annex.page_width > annex.page_height
    assert document.styles["Normal"].font.size.pt == 16
    rows = document.tables[-1].rows
    assert all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None for r in rows[:2])
    widths = [c.width for c in rows[2].cells]
    assert widths[1] == max(widths) and widths[1] > 3 * widths[0]  # the KPI name gets the room


def _words_boxes(pdf: Path, page: int) -> list[tuple[float, float, float, float]]:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed; .ci/run installs it")
    html = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                          capture_output=True, check=True).stdout.decode()
    return [tuple(float(v) for v in box) for box in  # type: ignore[misc]
            re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', html)]


def test_pdf_text_sits_inside_the_official_margins(made):
    points = 72 / 2.54
    boxes = _words_boxes(made / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.pdf", 1)
    left = min(b[0] for b in boxes)
    assert 3 * points - 1 <= left <= 3 * points + 4  # 3 cm: the text starts at the margin, not at 1 cm
    assert max(b[2] for b in boxes) <= 595.28 - 2 * points + 1
    assert min(b[1] for b in boxes) >= 2.5 * points - 3  # a tone mark may rise a little above its line
    assert max(b[3] for b in boxes) <= 841.89 - 2 * points + 1
    heights = sorted(b[3] - b[1] for b in boxes)
    assert heights[len(heights) // 2] > 14  # body words at 16 pt, not 14


def test_the_office_and_the_month_are_spelled_in_full_and_positions_name_the_office(made):
    text = "\n".join(p.text for p in docx.Document(str(made / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx")).paragraphs)
    assert FULL_NAME in text and "สพป." not in text
    signatures = docx.Document(str(made / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx")).tables[0]
    signed = "\n".join(c.text for c in signatures.rows[0].cells)
    assert "วันที่ 3 ธันวาคม 2569" in signed and "ธ.ค." not in signed
    assert f"ผู้อำนวยการ{FULL_NAME}" in signed
    staff = docx.Document(str(made / "2570_เขต-บุคลากร_นางสาวพรทิพย์บุญมา.docx"))
    staff_text = "\n".join([p.text for p in staff.paragraphs] + [c.text for c in staff.tables[0].rows[0].cells])
    assert f"ผู้อำนวยการกลุ่มนโยบายและแผน {FULL_NAME}" in staff_text
    assert "วันที่ ……" in staff_text  # not signed yet: written by hand


def test_staff_of_one_group_get_a_file_each_named_by_person(made):
    names = sorted(p.name for p in made.glob("*บุคลากร*.docx"))
    assert names == ["2570_เขต-บุคลากร_นางสาวพรทิพย์บุญมา.docx", "2570_เขต-บุคลากร_นายวีระกล้าหาญ.docx"]


def test_the_annex_adds_up_sub_kpis_sit_under_their_parent_and_every_level_says_something(made):
    rows = annex_rows(made / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.docx")
    assert rows[0][5] == "เกณฑ์การให้คะแนน" == rows[0][9]  # one header spanning the five levels
    assert rows[1][5:] == ["ระดับ 1", "ระดับ 2", "ระดับ 3", "ระดับ 4", "ระดับ 5"]
    body = {r[0]: r for r in rows[2:-1]}
    assert body["2.1"][3] == "(10)" and body["2.1"][1].startswith("\u2003")  # inside KPI 2's weight, indented
    assert rows[-1][0] == "รวม" and rows[-1][3] == "100"  # 30 + 20 + 30 + 20: the sub-KPIs are not added again
    assert body["1"][4] == "80"  # no target typed: level 3, the standard target
    assert body["2.1"][4] == "30"
    assert body["3"][5:] == ["ต่ำกว่า 75", "75–79", "80–84", "85–89", "90 ขึ้นไป"]  # banded: ranges, never a bare 0
    assert "คณะกรรมการ" in body["4"][5]
    pdf = subprocess.run(["pdftotext", "-raw", str(made / "2570_สพฐ-เขต_สพป.ทดสอบเขต1.pdf"), "-"],
                         capture_output=True, check=True).stdout.decode()
    assert "ต่ำกว่า 75" in pdf and "รวม 100" in pdf


def test_a_school_signs_what_is_cascaded_to_schools_not_the_offices_own_work(made):
    ids = [r[0] for r in annex_rows(made / "2570_เขต-สถานศึกษา_โรงเรียนบ้านหนองบัว.docx")[2:-1]]
    assert ids == ["1", "2", "2.1", "2.2"]  # budget disbursement and the office's management are the office's


def test_a_line_never_breaks_inside_a_date_or_a_compound(made):
    text = subprocess.run(["pdftotext", "-raw", str(made / "2570_เขต-สถานศึกษา_โรงเรียนบ้านหนองบัว.pdf"), "-"],
                          capture_output=True, check=True).stdout.decode()
    lines = text.split("\n")
    assert not any(line.strip() in ("ขอให้คำรับรอง", "นี้", "น้ำหนัก") for line in lines)
    for line in lines:
        assert not re.search(r"(?:ผู้ทำ|ผู้รับ)$", line), line
        assert not re.search(r"วันที่ \d{1,2}$", line), line


# --- the report: figures that reconcile, provisional said where it stands ----------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from sheets_sync.tasks.demo import make_demo_workbook

    path = tmp_path_factory.mktemp("demo") / "workbook.xlsx"
    make_demo_workbook(path)
    return path


def _round_table(document: docx.document.Document, round_: int) -> list[list[str]]:
    headings = [p for p in document.paragraphs if p.text.replace("\u200b", "") == f"ผลการดำเนินงานรอบ {round_} เดือน"]
    table_element = headings[-1]._p.getnext()  # the section's heading (the cover names the round too)
    table = next(t for t in document.tables if t._tbl is table_element)
    return [[c.text.replace("\u200b", "") for c in row.cells] for row in table.rows]


def test_the_reports_weighted_column_adds_up_to_the_office_result_in_every_round(demo, tmp_path):
    from decimal import Decimal

    out = tmp_path / "report.docx"
    assert cli("report", "--sheet", str(demo), "--today", "20/7/2570", "-o", str(out)).exit_code == 0
    document = docx.Document(str(out))
    for round_, result, weight in ((6, "3.2353", "97"), (9, "4.2588", "51")):
        rows = _round_table(document, round_)
        total = rows[-1]
        assert total[0] == "รวม" and total[2] == weight and total[12] == result  # the office result, to 4 dp
        shares = [Decimal(r[12]) for r in rows[1:-1] if r[12]]
        assert abs(sum(shares) - Decimal(result)) <= Decimal("0.0001") * len(shares)  # only rounding apart
        parent = next(r for r in rows if r[0].startswith("2 "))
        assert parent[12] == ""  # its children carry the shares: the column is not counted twice
    five = next(r for r in _round_table(document, 6) if r[0].startswith("5 "))
    assert five[9:12] == ["5.0000", "4.8000", "4.8000"]  # self score, the committee's, the one used
    seven = next(r for r in _round_table(document, 6) if r[0].startswith("7 "))
    assert seven[3] == "ต่ำกว่า 75"  # a banded level 1, not 0


def test_an_unsealed_round_says_provisional_and_its_weight_on_the_cover_and_the_chart(demo, tmp_path):
    out = tmp_path / "report.pdf"
    assert cli("report", "--sheet", str(demo), "--today", "20/7/2570", "-o", str(out)).exit_code == 0
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-raw", str(out), "-"], capture_output=True,
                           check=True).stdout.decode().replace("\n", "")
    assert "ผลเบื้องต้น ยังไม่ผ่านการรับรอง (น้ำหนัก 51/100)" in cover
    assert "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาตัวอย่าง เขต 1" in cover
    from sheets_sync.report.charts import office_result_chart
    from sheets_sync.report.content import report_data
    import datetime as dt

    data = report_data(open_backend(parse_target(str(demo))).read(), dt.date(2027, 7, 20))
    import matplotlib.pyplot as plt

    drawn: list[object] = []
    original = plt.Axes.bar

    def spy(self, *args, **kwargs):  # the bars as drawn: colour and hatch of each
        bars = original(self, *args, **kwargs)
        drawn.extend(bars)
        return bars

    plt.Axes.bar = spy  # type: ignore[method-assign]
    try:
        office_result_chart(data)
    finally:
        plt.Axes.bar = original  # type: ignore[method-assign]
    assert [bar.get_hatch() for bar in drawn] == ["//", "//"]  # neither round is sealed: both drawn provisional



# --- on a phone, and the site's not-reported box ------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def overflows(page: Path, width: int, tmp_path: Path) -> bool:
    """Whether the page lays out wider than a `width`-pixel window in Chromium.  A copy of the page measures
    itself and paints the whole window red (wider) or green (fits); the screenshot says which.  (A screenshot,
    because headless Chromium lays out --dump-dom at 500 px at the least, wider than a phone.)"""
    if CHROMIUM is None:
        pytest.skip("Chromium (Debian: chromium) is not installed; .ci/run installs it")
    import matplotlib.image

    probe = page.with_name(f"probe-{page.name}")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", """<script>
const wide = document.documentElement.scrollWidth > window.innerWidth;
document.body.innerHTML = `<div style="position:fixed;inset:0;background:${wide ? '#ff0000' : '#00ff00'}"></div>`;
</script></body>"""), encoding="utf-8")
    shot = tmp_path / f"{page.stem}-{width}.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},900", f"--screenshot={shot}",
                    probe.as_uri()], check=True, capture_output=True, timeout=120)
    probe.unlink()
    red, green = matplotlib.image.imread(str(shot))[10, 10][:2]
    assert (red, green) in ((1, 0), (0, 1)), "the probe did not run"
    return bool(red == 1)


def test_the_html_report_and_the_steps_page_fit_a_phone(demo, tmp_path):
    report = tmp_path / "report.html"
    assert cli("report", "--sheet", str(demo), "--today", "20/7/2570", "-o", str(report)).exit_code == 0
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in report.read_text(encoding="utf-8")
    assert not overflows(report, 390, tmp_path)  # wide tables scroll in their own box; the page does not
    site = tmp_path / "site"
    assert cli("site", "--sheet", str(demo), "--out", str(site), "--today", "20/7/2570").exit_code == 0
    assert not overflows(site / "steps.html", 390, tmp_path)  # a card per step on a phone
    assert not overflows(site / "steps.html", 1280, tmp_path)


def test_the_site_lists_every_result_not_reported_in_a_round_that_is_due_even_without_an_owner(demo, tmp_path):
    site = tmp_path / "site"
    assert cli("site", "--sheet", str(demo), "--out", str(site), "--today", "20/7/2570").exit_code == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    box = index[index.index("ผลที่ยังไม่รายงาน"):index.index("<h2>ตัวชี้วัด</h2>")]
    assert "ครบทุกรายการ" not in box and box.count("9 เดือน") == 7  # round 9 is due on 31 ก.ค.: seven to report
    assert "ยังไม่มีผู้รับผิดชอบ" in box and "ตัว: 10" in box  # KPI 10 has no owner: listed, not dropped
    public = tmp_path / "public"
    assert cli("site", "--sheet", str(demo), "--out", str(public), "--public", "--today", "20/8/2570").exit_code == 0
    index = (public / "index.html").read_text(encoding="utf-8")
    box = index[index.index("ผลที่ยังไม่รายงาน"):index.index("<h2>ตัวชี้วัด</h2>")]
    assert "7 ตัว: 2.1, 2.2, 4, 8, 9, 10, 11" in box and "เลยกำหนด" in box  # one line for the round, no names
    assert "ผู้รับผิดชอบ" not in box


def test_compare_sets_the_same_round_of_each_year_side_by_side_and_a_rise_carries_its_plus(tmp_path):
    from .conftest import office_workbook

    kpis = [kpi("1", 50), kpi("2", 50)]
    last = office_workbook(tmp_path / "last.xlsx", kpis, [result("1", 6, 70), result("2", 6, 90), result("1", 12, 100)])
    now = office_workbook(tmp_path / "now.xlsx", kpis, [result("1", 6, 80), result("2", 6, 80)])
    out = tmp_path / "report.html"
    outcome = cli("report", "--sheet", str(now), "--compare", str(last), "--round", "6", "--today", "1/5/2570",
                  "-o", str(out))
    assert outcome.exit_code == 0, outcome.output
    page = out.read_text(encoding="utf-8")
    assert "<th>ปี 2570 รอบ 6</th>" in page and "รอบ 12" not in page.split("เทียบกับปีงบประมาณ")[1][:300]
    assert "<td>+1.0000</td>" in page  # KPI 1: 2.0000 → 3.0000, a rise with its sign
    assert "<td>-1.0000</td>" in page  # KPI 2: 4.0000 → 3.0000


# --- --link, and an agreement with nothing to sign ----------------------------------------------------------------


def test_link_puts_a_shared_address_into_a_google_sheet_never_a_path_on_this_computer(google, tmp_path):
    key = google.create("สพป. ทดสอบ")
    type_office(open_backend(parse_target(key)), KPIS, [], people=PEOPLE, agreements=AGREEMENTS)
    out = tmp_path / "agreements"
    refused = cli("agreements", "--sheet", key, "--out", str(out), "--link")
    assert refused.exit_code == 2 and "--link-base" in refused.output and not out.exists()  # nothing written
    base = "https://intranet.example.go.th/ข้อตกลง/2570"
    outcome = cli("agreements", "--sheet", key, "--out", str(out), "--link", "--link-base", base)
    assert outcome.exit_code == 0, outcome.output
    cells = google.cell(key, "ข้อตกลง", 2, 8), google.cell(key, "ข้อตกลง", 5, 8)
    assert cells[0] == f"{base}/2570_%E0%B8%AA%E0%B8%9E%E0%B8%90-%E0%B9%80%E0%B8%82%E0%B8%95_%E0%B8%AA%E0%B8%9E%E0%B8%9B.%E0%B8%97%E0%B8%94%E0%B8%AA%E0%B8%AD%E0%B8%9A%E0%B9%80%E0%B8%82%E0%B8%951.docx"
    assert all(str(c).startswith(base) for c in cells)
    assert cli("agreements", "--sheet", key, "--out", str(out), "--link", "--link-base", "/mnt/shared").exit_code == 2


def test_an_agreement_with_an_empty_annex_is_said_not_written_silently(tmp_path):
    path = tmp_path / "workbook.xlsx"
    agreements = [{"level": "เขต ↔ บุคลากร", "maker": "นายวีระ กล้าหาญ", "maker_position": "นักวิเคราะห์นโยบายและแผน",
                   "receiver": "นายสมชาย ใจดี", "receiver_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"}]
    kpis = [kpi("1", 100, owner="P01", supervisor="P01")]  # P03 owns nothing
    type_office(open_backend(parse_target(str(path))), kpis, [], people=PEOPLE, agreements=agreements)
    outcome = cli("agreements", "--sheet", str(path), "--out", str(tmp_path / "out"))
    assert outcome.exit_code == 0 and "empty annex" in outcome.output and "ไม่มีตัวชี้วัด" in outcome.output


def test_validate_warns_when_a_school_would_sign_for_the_offices_own_work(tmp_path):
    import json

    path = tmp_path / "workbook.xlsx"
    kpis = [kpi("1", 50, name="ร้อยละของนักเรียนที่อ่านออกเขียนได้", for_schools="ใช่"),
            kpi("2", 50, name="ร้อยละของการเบิกจ่ายงบประมาณรายจ่ายลงทุน", for_schools="ใช่")]
    type_office(open_backend(parse_target(str(path))), kpis, [], people=PEOPLE, agreements=AGREEMENTS)
    problems = json.loads(cli("validate", "--sheet", str(path), "--format", "json").output)["problems"]
    found = [p for p in problems if p["code"] == "agreements.office_kpi_for_schools"]
    assert [(p["key"], p["severity"]) for p in found] == [("2", "warning")]
    assert found[0]["cell"].startswith("ตัวชี้วัด!") and "เบิกจ่าย" not in found[0]["th"]


def test_a_kpi_template_lists_each_level_on_its_line_keeps_e_mails_whole_and_has_both_signatures(office, tmp_path):
    out = tmp_path / "templates"
    assert cli("templates", "--sheet", str(office), "--out", str(out), "--format", "both").exit_code == 0
    rows = {r.cells[0].text: r.cells[1].text for r in docx.Document(str(out / "2570_ตัวชี้วัด_3.docx")).tables[0].rows}
    assert rows["เกณฑ์การให้คะแนน"].split("\n") == [
        "ระดับ 1: ต่ำกว่า 75", "ระดับ 2: 75–79", "ระดับ 3: 80–84", "ระดับ 4: 85–89", "ระดับ 5: 90 ขึ้นไป"]
    assert "(นายวีระ กล้าหาญ)" in rows["ลงชื่อผู้รับผิดชอบตัวชี้วัด"]
    assert "(นางสาวพรทิพย์ บุญมา)" in rows["ลงชื่อผู้กำกับดูแลตัวชี้วัด"]
    from sheets_sync.report.thai_text import wrap

    line = "ผู้กำกับดูแล: นางสาวพรทิพย์ บุญมา ผู้อำนวยการกลุ่มนโยบายและแผน p02@example.go.th"
    assert any(piece.endswith("p02@example.go.th") for piece in wrap(line, 60, len))  # never split inside


def test_the_word_report_numbers_its_pages_keeps_headings_with_tables_and_lets_word_break_between_words(demo, tmp_path):
    out = tmp_path / "report.docx"
    assert cli("report", "--sheet", str(demo), "--today", "20/7/2570", "-o", str(out)).exit_code == 0
    document = docx.Document(str(out))
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer  # a page number Word fills in on every page
    headings = [p for p in document.paragraphs if p.text.replace("\u200b", "").startswith("ผลการดำเนินงานรอบ 9")]
    assert headings[-1].paragraph_format.keep_with_next  # never alone at the foot of a page
    name = next(c.text for c in document.tables[1].rows[1].cells)
    assert "\u200b" in name and name.replace("\u200b", "").startswith("1 ร้อยละของนักเรียน")
    from pythainlp.tokenize import word_tokenize

    # every break opportunity is between two words, never inside one
    plain = name.replace("\u200b", "")
    bounds = {0}
    for words in (word_tokenize(plain, engine="newmm"),):
        at = 0
        for word in words:
            at += len(word)
            bounds.add(at)
    at = 0
    for piece in name.split("\u200b")[:-1]:
        at += len(piece)
        assert at in bounds or plain[at - 1] == " ", piece
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert landscape and all(round(s.top_margin / Cm(1), 2) == 3 for s in landscape)


def test_status_and_the_site_agree_on_what_is_still_to_report(demo, tmp_path):
    outcome = cli("status", "--sheet", str(demo), "--today", "20/7/2570")
    assert outcome.exit_code == 0
    lines = [l for l in outcome.output.splitlines() if "รอบ 9:" in l and "กำหนดส่ง 31 ก.ค. 2570" in l]
    assert len(lines) == 7 and any("no owner" in l and "(10)" in l for l in lines)  # round 9 is open: it counts
