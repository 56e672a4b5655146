"""The reminder, digest and alert e-mails: Thai first, English below, a plain-text part and a simple HTML part,
both from Jinja2 templates (the HTML autoescaped: a KPI named `<script>` is shown as text)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Callable

from jinja2 import DictLoader, select_autoescape

from sheets_sync.domain.certification import STATE_TH
from sheets_sync.domain.reminders import KIND_TH, Digest, Reminder
from sheets_sync.domain.thai import format_date_be
from sheets_sync.templating import sandboxed

_TEXT = """\
เรียน {{ name }}

{% if digest %}สรุปรอบ {{ round }} เดือน ของ{{ office }} (กำหนดส่ง {{ due_be }})
รายงานผลแล้ว {{ d.reported }} จาก {{ d.counted }} ตัวชี้วัด
สถานะการรับรอง: {% for state, n in states %}{{ state }} {{ n }}{% if not loop.last %}, {% endif %}{% else %}-{% endfor %}
{% if d.missing_by_owner %}ยังไม่รายงานผล (ตามผู้รับผิดชอบ):
{% for pid, who, ids in d.missing_by_owner %}  • {{ pid or "-" }} {{ who }}: {{ ids | join(", ") }}
{% endfor %}{% endif %}{% else %}สิ่งที่ท่านต้องดำเนินการในรอบ {{ round }} เดือน (กำหนดส่ง {{ due_be }}):
{% endif %}{% for kind, items in sections %}
{{ kinds[kind][0] }}
{% for i in items %}  • {{ i.kpi_id }} {{ i.name }}{% if i.comment %} — ความเห็นผู้ตรวจ: {{ i.comment }}{% endif %}{% if link(i) %}
    {{ link(i) }}{% endif %}
{% endfor %}{% endfor %}
{{ office }} — ส่งโดย sheets-sync

----------------------------------------
Dear {{ name }},

{% if digest %}Round {{ round }} of {{ office }} (due {{ due_iso }}): {{ d.reported }} of {{ d.counted }} KPIs reported.
{% else %}What you have to do for round {{ round }} (due {{ due_iso }}):
{% endif %}{% for kind, items in sections %}
{{ kinds[kind][1] | capitalize }}
{% for i in items %}  • {{ i.kpi_id }} {{ i.name }}
{% endfor %}{% endfor %}
"""

_HTML = """\
<!doctype html><html lang="th"><meta charset="utf-8">
<body style="font-family: Sarabun, Tahoma, sans-serif; font-size: 15px; line-height: 1.5">
<p>เรียน {{ name }}</p>
{% if digest %}<p>สรุปรอบ {{ round }} เดือน ของ{{ office }} (กำหนดส่ง {{ due_be }}): รายงานผลแล้ว
{{ d.reported }} จาก {{ d.counted }} ตัวชี้วัด</p>
<p>สถานะการรับรอง: {% for state, n in states %}{{ state }} {{ n }}{% if not loop.last %}, {% endif %}{% else %}-{% endfor %}</p>
{% if d.missing_by_owner %}<p>ยังไม่รายงานผล (ตามผู้รับผิดชอบ):</p><ul>
{% for pid, who, ids in d.missing_by_owner %}<li>{{ pid or "-" }} {{ who }}: {{ ids | join(", ") }}</li>{% endfor %}
</ul>{% endif %}{% else %}<p>สิ่งที่ท่านต้องดำเนินการในรอบ {{ round }} เดือน (กำหนดส่ง {{ due_be }}):</p>{% endif %}
{% for kind, items in sections %}<h3 style="font-size: 16px">{{ kinds[kind][0] }}</h3><ul>
{% for i in items %}<li>{% if link(i) %}<a href="{{ link(i) }}">{{ i.kpi_id }}</a>{% else %}{{ i.kpi_id }}{% endif %}
{{ i.name }}{% if i.comment %} — ความเห็นผู้ตรวจ: {{ i.comment }}{% endif %}</li>
{% endfor %}</ul>{% endfor %}
<p style="color: #555">{{ office }} — ส่งโดย sheets-sync</p>
<hr><p lang="en">Dear {{ name }}, {% if digest %}round {{ round }} (due {{ due_iso }}): {{ d.reported }} of {{ d.counted }}
KPIs reported.{% else %}what you have to do for round {{ round }} (due {{ due_iso }}) is listed above.{% endif %}</p>
</body></html>
"""

_ALERT = """\
sheets-sync {{ command }} จบด้วยรหัส {{ code }} ({{ name }}) ซึ่งต้องมีผู้ดูแล
{{ error_th }}

sheets-sync {{ command }} ended with exit code {{ code }} ({{ name }}), which needs a person.
{{ error_en }}

The run record is attached (run.json).
"""

_ENV = sandboxed(loader=DictLoader({"reminder.txt": _TEXT, "reminder.html": _HTML, "alert.txt": _ALERT}),
                 autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
                 keep_trailing_newline=True)

Link = Callable[[Any], "str | None"]


def subject(reminder: Reminder, office: str) -> str:
    office = " ".join(office.split())  # a name typed on two lines is one line in a header (no header injection)
    if reminder.digest:
        return f"[{office}] สรุปรอบ {reminder.round} เดือน / Round {reminder.round} digest"
    n = len(reminder.items)
    return f"[{office}] แจ้งเตือนคำรับรองฯ รอบ {reminder.round} เดือน: {n} รายการ / Reminder: {n} items, round {reminder.round}"


def _context(reminder: Reminder, office: str, digest: Digest, link: Link) -> dict[str, Any]:
    return {"name": reminder.name, "office": office, "round": reminder.round, "digest": reminder.digest,
            "due_be": format_date_be(reminder.due), "due_iso": reminder.due.isoformat(),
            "sections": reminder.by_kind(), "kinds": KIND_TH, "d": digest, "link": link,
            "states": [(STATE_TH.get(k, k), n) for k, n in digest.states.items()]}


def reminder_text(reminder: Reminder, office: str, digest: Digest, link: Link) -> str:
    """The plain text of a reminder: also what `--channel print` shows for pasting into a chat group."""
    return _ENV.get_template("reminder.txt").render(_context(reminder, office, digest, link))


def reminder_message(reminder: Reminder, office: str, digest: Digest, link: Link, sender: str) -> EmailMessage:
    message = _envelope(sender, reminder.email, subject(reminder, office))
    message.set_content(reminder_text(reminder, office, digest, link))
    message.add_alternative(_ENV.get_template("reminder.html").render(_context(reminder, office, digest, link)),
                            subtype="html")
    return message


def alert_message(record: dict[str, Any], error_th: str, sender: str, to: str) -> EmailMessage:
    """A failed scheduled run, told to the person who looks after it, with the JSON run record attached."""
    command, code = record.get("command", "?"), record.get("exit_code", "?")
    message = _envelope(sender, to, f"[sheets-sync] {command} ล้มเหลว (รหัส {code}) / {command} failed (exit {code})")
    message.set_content(_ENV.get_template("alert.txt").render(
        command=command, code=code, name=record.get("exit_name", ""), error_th=error_th,
        error_en=record.get("error", "")))
    message.add_attachment(json.dumps(record, ensure_ascii=False, indent=2, default=str).encode("utf-8"),
                           maintype="application", subtype="json", filename="run.json")
    return message


def _envelope(sender: str, to: str, title: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, title
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    return message

