"""The report as one self-contained HTML page: the Sarabun font and the charts are embedded."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import fontpkg_sarabun

from sheets_sync.domain import palette
from sheets_sync.report.charts import comparison_chart, gantt_chart, kpi_score_chart, office_result_chart
from sheets_sync.report.content import (
    KPI_HEADER,
    STEP_HEADER,
    ReportData,
    cover_lines,
    kpi_note,
    kpi_total,
    round_headline,
    sign_off,
    kpi_rows,
    step_rows,
)


def _table(header: list[str], rows: list[list[str]], total: list[str] | None = None) -> str:
    """A table in a box that scrolls sideways on a phone: the page itself never wider than the screen."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    foot = ("<tfoot><tr>" + "".join(f"<th>{html.escape(str(v))}</th>" for v in total) + "</tr></tfoot>") if total else ""
    return f"<div class=scroll><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>{foot}</table></div>"


def _image(png: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def write_html(report: ReportData, path: Path) -> None:
    font = base64.b64encode((fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").read_bytes()).decode()
    bold = base64.b64encode((fontpkg_sarabun.ROOT / "files" / "Sarabun-Bold.ttf").read_bytes()).decode()
    cover = cover_lines(report)
    parts = [f"<h1>{html.escape(report.heading)}</h1>",
             f"<p class=sub>ผลการดำเนินงานรอบ {report.round} เดือน</p>",
             *(f"<p class=provisional>{html.escape(line)}</p>" for line, _, _ in cover[4:]),
             "<h2>คู่คำรับรองการปฏิบัติราชการ</h2>",
             _table(["ระดับ", "ผู้ทำคำรับรอง", "ตำแหน่ง", "ผู้รับคำรับรอง", "ตำแหน่ง", "วันที่ลงนาม"],
                    [[a.level, a.maker, a.maker_position, a.receiver, a.receiver_position, a.signed_on]
                     for a in report.agreements])]
    for summary in report.compiled.rounds:
        parts += [f"<h2>ผลการดำเนินงานรอบ {summary.round} เดือน</h2>",
                  _table(KPI_HEADER, kpi_rows(summary), kpi_total(summary)),
                  f"<p class=note>{html.escape(kpi_note(summary))}</p>",
                  f"<p class=total>{html.escape(round_headline(summary))}</p>"]
    parts += [_image(office_result_chart(report), "ผลคะแนนแต่ละรอบ"), _image(kpi_score_chart(report), "คะแนนรายตัวชี้วัด"),
              "<h2>ขั้นตอนการดำเนินงาน</h2>", _table(STEP_HEADER, step_rows(report.compiled)),
              _image(gantt_chart(report), "แผนเทียบกับการดำเนินการจริง"), "<h2>สถานะการรับรองผล</h2>",
              _table(["รอบ", "สถานะ", "จำนวนตัวชี้วัด"],
                     [[str(r), s, str(n)] for r, counts in sorted(report.certification.items()) for s, n in counts.items()])]
    for extra in report.sections:
        parts += [f"<h2>{html.escape(extra.heading)}</h2>", _table(extra.header, extra.rows)]
    if report.comparison:
        parts.append(_image(comparison_chart(report), "เทียบกับปีที่แล้ว"))
    if report.notes:
        parts.append("<h2>หมายเหตุ</h2><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in report.notes) + "</ul>")
    parts.append("<div class=sign>" + "".join("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>"
                                                for lines in sign_off(report)) + "</div>")
    page = f"""<!doctype html>
<html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(report.heading)}</title>
<style>
@font-face {{ font-family: Sarabun; src: url(data:font/ttf;base64,{font}) format("truetype"); }}
@font-face {{ font-family: Sarabun; font-weight: bold; src: url(data:font/ttf;base64,{bold}) format("truetype"); }}
body {{ font-family: Sarabun, sans-serif; margin: 2em; color: #222; }}
@media (max-width: 600px) {{ body {{ margin: 0.8em; }} }}
.scroll {{ overflow-x: auto; max-width: 100%; }}
.provisional {{ font-weight: bold; color: #9C5700; }}
.note {{ font-size: 0.85em; color: #555; }}
tfoot th {{ background: #F2F2F2; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }}
th, td {{ border: 1px solid #999; padding: 0.2em 0.4em; }}
th {{ background: #{palette.BLUE}; }}
img {{ max-width: 100%; display: block; margin: 1em 0; }}
.sub, .total {{ font-weight: bold; }}
.sign {{ display: flex; gap: 2em; justify-content: space-around; text-align: center; margin-top: 3em; }}
</style></head><body>
{"".join(parts)}
</body></html>
"""
    path.write_text(page, encoding="utf-8")
