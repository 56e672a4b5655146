"""Every Jinja2 environment the tool renders with, sandboxed: an office's own Word template and every value from
a cell are hostile input, so a field may read what it is given and nothing else (no `__globals__`, no
`os.popen`), and every value is cleaned for the format it enters.

Jinja2's own `SandboxedEnvironment` does the refusing; this module only decides, per output format, how a value
is made safe: escaped for XML/HTML, and stripped of the control characters XML 1.0 cannot hold at all.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import BaseLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

# XML 1.0 allows tab, line feed and carriage return below U+0020, and nothing else; U+FFFE/U+FFFF are not
# characters at all.  A cell holding one would make Word refuse the whole file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _finalize(value: Any) -> Any:
    if hasattr(value, "__html__"):  # already markup the template itself made (docxtpl's RichText, Listing)
        return value
    return xml_safe(value) if isinstance(value, str) else value


def sandboxed(*, autoescape: Any = False, loader: BaseLoader | None = None,
              keep_trailing_newline: bool = False) -> SandboxedEnvironment:
    """A new sandboxed environment; undefined fields are errors, never silently blank."""
    return SandboxedEnvironment(loader=loader, autoescape=autoescape, undefined=StrictUndefined,
                                keep_trailing_newline=keep_trailing_newline, finalize=_finalize)
