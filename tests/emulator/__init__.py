"""A local Google Sheets v4 (and Drive v3 files) emulator for the tests: a real HTTP server on 127.0.0.1.

`python -m tests.emulator --port 0` prints its base URL; tests start it in-process with `Emulator()`.
"""

from .server import Emulator

__all__ = ["Emulator"]
