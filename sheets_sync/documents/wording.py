"""The words of the documents, written once as Jinja2 text: the default Word templates carry them as fields,
and the PDF writer renders the very same strings — the two formats cannot say different things."""

from __future__ import annotations

from typing import Mapping

from sheets_sync.templating import sandboxed

AGREEMENT_TITLE = "คำรับรองการปฏิบัติราชการ"
AGREEMENT_HEAD = ("{{ unit }}", "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }}")
# the standard agreement (DOMAIN.md): the parties, one-sided and not a contract, the year it runs, the annex,
# what the receiver and the maker each undertake, and that both have signed
AGREEMENT_CLAUSES = (
    "1. คำรับรองนี้เป็นคำรับรองระหว่าง {{ receiver }} {{ receiver_position }} ผู้รับคำรับรอง "
    "กับ {{ maker }} {{ maker_position }} ผู้ทำคำรับรอง",
    "2. คำรับรองนี้เป็นคำรับรองฝ่ายเดียว มิใช่สัญญา และใช้สำหรับระยะเวลา 1 ปี ตั้งแต่วันที่ {{ period }}",
    "3. รายละเอียดของคำรับรอง ได้แก่ ตัวชี้วัดผลการปฏิบัติราชการ น้ำหนัก ค่าเป้าหมาย และเกณฑ์การให้คะแนน "
    "เป็นไปตามเอกสารประกอบท้ายคำรับรองนี้",
    "4. ข้าพเจ้า {{ receiver }} ในฐานะผู้รับคำรับรอง ได้พิจารณาและเห็นชอบกับตัวชี้วัดและค่าเป้าหมายตามเอกสาร"
    "ประกอบท้ายคำรับรองนี้ และจะกำกับ ติดตาม และให้คำแนะนำแก่ผู้ทำคำรับรอง ให้การปฏิบัติราชการเป็นไปตามคำรับรองนี้",
    "5. ข้าพเจ้า {{ maker }} ในฐานะผู้ทำคำรับรอง ได้ทำความเข้าใจคำรับรองนี้แล้ว ขอให้คำรับรองว่าจะมุ่งมั่นปฏิบัติราชการ"
    "ให้บรรลุค่าเป้าหมายของตัวชี้วัดแต่ละตัวในระดับสูงสุด เพื่อประโยชน์ของผู้เรียนและประชาชน",
    "6. ผู้รับคำรับรองและผู้ทำคำรับรองได้เข้าใจคำรับรองการปฏิบัติราชการนี้และเห็นพ้องกันแล้ว "
    "จึงได้ลงลายมือชื่อไว้เป็นสำคัญ",
)
SIGNATURE = ("ลงชื่อ ...................................", "({{ p.name }})", "{{ p.position }}",
             "{{ role }}", "วันที่ {{ signed_on }}")
ANNEX_TITLE = "เอกสารประกอบท้ายคำรับรอง: ตัวชี้วัด น้ำหนัก ค่าเป้าหมาย และเกณฑ์การให้คะแนน"
ANNEX_HEADER = ("รหัส", "ตัวชี้วัด", "หน่วยนับ", "น้ำหนัก", "ค่าเป้าหมาย", "ระดับ 1", "ระดับ 2", "ระดับ 3", "ระดับ 4",
                "ระดับ 5")
ANNEX_CRITERIA = "เกณฑ์การให้คะแนน"  # one header spanning the five levels
ANNEX_CELLS = ("{{ k.kpi_id }}", "{{ k.indent }}{{ k.name }}", "{{ k.unit }}", "{{ k.weight }}", "{{ k.target }}",
               "{{ k.criteria[0] }}", "{{ k.criteria[1] }}", "{{ k.criteria[2] }}", "{{ k.criteria[3] }}",
               "{{ k.criteria[4] }}")
ANNEX_TOTAL = ("รวม", "{{ annex_total }}")  # under the name, and under the weights
# centimetres on a landscape A4 between the official margins (25.2 cm): the name takes what the figures leave
ANNEX_WIDTHS_CM = (1.3, 7.7, 2.0, 1.8, 2.4, 2.0, 2.0, 2.0, 2.0, 2.0)

KPI_TITLE = "รายละเอียดตัวชี้วัด (KPI Template) ปีงบประมาณ พ.ศ. {{ page.fiscal_year }}"
"""Every KPI field below is `page.…`: one page per KPI, and a file may hold several (`templates --owner`)."""
KPI_ROWS = (
    ("ตัวชี้วัด", "{{ page.kpi_id }} {{ page.name }}"),
    ("หน่วยนับ", "{{ page.unit }}"),
    ("น้ำหนัก", "{{ page.weight }}"),
    ("เป็นเป้าหมาย PSA", "{{ page.psa }}"),
    ("คำอธิบาย", "{{ page.definition }}"),
    ("สูตรการคำนวณ", "{{ page.formula }}"),
    ("วิธีให้คะแนน", "{{ page.method }} ({{ page.direction }})"),
    ("เกณฑ์การให้คะแนน", "ระดับ 1: {{ page.c1 }}\nระดับ 2: {{ page.c2 }}\nระดับ 3: {{ page.c3 }}\nระดับ 4: {{ page.c4 }}\n"
                        "ระดับ 5: {{ page.c5 }}"),
    ("ค่าเป้าหมาย", "{{ page.target }}"),
    ("ข้อมูลพื้นฐาน", "{% for year, value in page.baselines %}ปี {{ year }}: {{ value or '-' }}{% if not loop.last %}   {% endif %}"
                    "{% endfor %}"),
    ("แหล่งข้อมูล", "{{ page.data_source }}"),
    ("หลักฐานที่ต้องรายงาน", "{{ page.evidence_required }}"),
    ("ผู้เกี่ยวข้อง", "{% for c in page.contacts %}{{ c.role }}: {{ c.name }}{% if c.position %} {{ c.position }}{% endif %}"
                    "{% if c.phone %} โทร {{ c.phone }}{% endif %}{% if c.email %} {{ c.email }}{% endif %}"
                    "{% if not loop.last %}\n{% endif %}{% endfor %}"),
    ("รอบที่ประเมิน", "{% for r in page.rounds %}{{ r }} เดือน{% if not loop.last %}, {% endif %}{% endfor %}"),
    ("ลงชื่อผู้รับผิดชอบตัวชี้วัด", "..................................................\n({{ page.owner_name or '..................................................' }})"),
    ("ลงชื่อผู้กำกับดูแลตัวชี้วัด", "..................................................\n({{ page.supervisor_name or '..................................................' }})"),
)
SIGNATURE_ROWS = frozenset({"ลงชื่อผู้รับผิดชอบตัวชี้วัด", "ลงชื่อผู้กำกับดูแลตัวชี้วัด"})  # for the printed form only
RESULT_ROWS = (
    ("รอบที่รายงาน", "{{ page.result.round }} เดือน (กำหนดส่ง {{ page.result.due }})"),
    ("ผลการดำเนินงาน", "{{ page.result.result or '........................' }}"),
    ("คะแนน", "{{ page.result.score or '........................' }}"),
    ("ลงชื่อผู้รายงาน", ".................................................. วันที่ ........................"),
)

ENV = sandboxed()  # plain text for the PDF writer: no markup to escape, nothing outside the context to reach


def render(text: str, context: Mapping[str, object]) -> str:
    return ENV.from_string(text).render(context)
