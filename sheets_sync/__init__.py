"""sheets-sync: a Thai Educational Service Area office's performance-agreement cycle on a shared workbook.

The core library: no Click, no printing.  Commands live in the `commands` package.
"""

__version__ = "0.1.0"
