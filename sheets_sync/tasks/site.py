"""`site`: the static site from one read (sheets_sync/site), and a quick look at it on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
from pathlib import Path

from sheets_sync.domain.schema import RESULTS
from sheets_sync.site.pages import SiteReport, write_site
from sheets_sync.workbook.operations import READ_ONLY, Backend


def run_site(backend: Backend, out: Path, today: dt.date, public: bool = False, round_: int | None = None) -> SiteReport:
    data = backend.read(READ_ONLY)
    title = data.title_of(RESULTS) or RESULTS.th
    return write_site(data, out, today, public, round_, lambda row: backend.link(title, row, 1), backend.file_mode())


def server(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A web server for the site on 127.0.0.1 only: for a look, not for hosting."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
