from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sheets_sync.domain.schema import ROUND_CHOICES

from .common import RunRecord, alert_option, backend_for, log_json_option, say, sheet_option, today_option


@click.command("site")
@sheet_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="โฟลเดอร์ของเว็บไซต์ / the site's folder.")
@click.option("--public", is_flag=True, help="ฉบับเผยแพร่: ไม่มีชื่อ อีเมล โทรศัพท์ / public: no staff names, e-mails or phones.")
@click.option("--round", "round_", type=click.Choice(ROUND_CHOICES), default=None,
              help="รอบของรายการที่ต้องทำ / the round for people's to-do lists (default: the next deadline's).")
@click.option("--serve", is_flag=True, help="เปิดดูที่ http://127.0.0.1:PORT / serve it on 127.0.0.1 for a look.")
@click.option("--port", type=int, default=8000, show_default=True)
@today_option
@click.option("--quiet", "-q", is_flag=True, help="ไม่พิมพ์อะไรเมื่อสำเร็จ / print nothing on success (for cron).")
@log_json_option
@alert_option
def site_command(sheet: str | None, out: Path, public: bool, round_: str | None, serve: bool, port: int,
                 today: dt.date, quiet: bool, log_json: str | None, alert_to: tuple[str, ...]) -> None:
    """เว็บไซต์สรุปผล เปิดบนมือถือได้ / A static site: where the office stands, a page per KPI and per person.

    index.html (each round's official and provisional result, late steps, results missing, the charts), a
    page per KPI, "ตัวชี้วัดของฉัน" per person (what is missing, when it is due, a link to the row on
    Google), steps.html. Needs no server: any web server or shared folder hosts it; the Sarabun font is
    shipped with it. --public leaves out staff names, e-mails and phones and marks uncertified figures.

    \b
    Example:
      sheets-sync site --out /var/www/kpi --today 20/7/2570
      sheets-sync site --out public/ --public
      sheets-sync site --serve
      sheets-sync site --out /var/www/kpi --quiet --log-json /var/log/sheets-sync.jsonl   # from cron
    """
    from sheets_sync.tasks.site import run_site, server

    with RunRecord("site", log_json, alert_to) as record:
        target, backend = backend_for(sheet)
        record.fields.update({"target": str(target), "out": str(out), "public": public})
        report = run_site(backend, out, today, public, int(round_) if round_ else None)
        record.fields["pages"] = len(report.pages)
    if not quiet:
        say(f"เขียนเว็บไซต์ {len(report.pages)} หน้าใน {out}" + (" (ฉบับเผยแพร่)" if public else ""),
            f"wrote {len(report.pages)} pages in {out}" + (" (public)" if public else ""))
    if serve:
        httpd = server(out, port)
        say(f"เปิดดูที่ http://127.0.0.1:{port}/ (Ctrl+C เพื่อหยุด)", f"open http://127.0.0.1:{port}/ (Ctrl+C stops)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()
