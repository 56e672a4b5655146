"""`python -m tests.emulator --port 0 [--latency 0.15]`: run the emulator and print its base URL."""

from __future__ import annotations

import argparse
import signal
import threading

from .server import Emulator


def main() -> None:
    parser = argparse.ArgumentParser(description="Local Google Sheets v4 / Drive v3 emulator for tests")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds every request waits")
    args = parser.parse_args()
    emulator = Emulator(args.port, args.latency).start()
    print(emulator.url, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    emulator.stop()


if __name__ == "__main__":
    main()
