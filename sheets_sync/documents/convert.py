"""A Word document as PDF through LibreOffice, for an office's own template (whose layout only a word processor
knows).  The default documents never need it: their PDF is written directly (documents/pdf.py)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sheets_sync.config import config
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

TIMEOUT = 300.0


def _fonts_conf(folder: Path) -> str:
    """A fontconfig file adding the Sarabun the tool ships, standing in for TH Sarabun New where that is not
    installed (the documents name TH Sarabun New, as Thai government documents do): never a page of boxes."""
    import fontpkg_sarabun

    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<dir>{fontpkg_sarabun.ROOT / "files"}</dir>
<alias binding="same"><family>TH Sarabun New</family><accept><family>{fontpkg_sarabun.FAMILY}</family></accept></alias>
</fontconfig>""", encoding="utf-8")
    return str(conf)


def docx_to_pdf(docx: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SheetsSyncError(
            ExitCode.NOT_AVAILABLE,
            "ทำ PDF จากแม่แบบของเขตต้องมี LibreOffice (soffice) ในเครื่อง หรือใช้ --format docx แล้วบันทึกเป็น PDF เอง",
            "a PDF from the office's own template needs LibreOffice (soffice) on this computer; or use "
            "--format docx and save it as PDF yourself")
    with tempfile.TemporaryDirectory() as profile:  # its own profile: a LibreOffice a person has open is not disturbed
        env = {**config().environ, "FONTCONFIG_FILE": _fonts_conf(Path(profile))}
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                               "--outdir", str(docx.parent), str(docx)], capture_output=True, timeout=TIMEOUT, env=env)
    pdf = docx.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise SheetsSyncError(ExitCode.FAILED, f"LibreOffice แปลง {docx.name} เป็น PDF ไม่ได้",
                              f"LibreOffice could not convert {docx.name}: {done.stderr.decode(errors='replace')[-300:]}")
    return pdf
