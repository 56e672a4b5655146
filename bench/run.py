#!/usr/bin/env python
"""Benchmarks: API requests, wall time and peak memory per command, against the usual gspread approach.

    python bench/run.py --quick            # 12 and 100 KPIs, under two minutes, prints the tables
    python bench/run.py --write            # 12, 100, 1,000 and 5,000 KPIs; writes docs/benchmarks.md and .png

Google: the emulator (tests/emulator) with a fixed latency per request (150 ms by default), each command run in
its own process so its peak memory (ru_maxrss) is its own.  The usual approach is what most scripts do with
gspread and gspread-dataframe: open the spreadsheet, `worksheet()` per tab, `get_as_dataframe` per tab, then
`worksheet()`, `clear()` and `set_with_dataframe` per output tab — the same reads and writes as `build`.
Local: `build` on an .xlsx against the floor of just loading and saving that workbook with openpyxl, and
openpyxl's read against python-calamine's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import kpi, result, type_office  # noqa: E402
from tests.emulator import Emulator  # noqa: E402

TODAY = "2027-07-20"
QUICK, FULL = (12, 100), (12, 100, 1000, 5000, 20000)
GENERATED = ("สรุปคะแนน", "สรุปขั้นตอน", "สรุปผู้รับผิดชอบ")

CHILD = r"""
import json, os, resource, sys, time
from commands.cli import main
started = time.monotonic()
before = resource.getrusage(resource.RUSAGE_SELF)
if os.environ.get("BENCH_MAX_BODY"):  # bench/live.py: the write's bodies cut at another size than Google's 2 MB
    from sheets_sync.backends.google import batch
    batch.MAX_BODY = int(os.environ["BENCH_MAX_BODY"])
code = 0
error = None
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit as exc:
    code = exc.code or 0
except BaseException as exc:
    code, error = 1, f"{type(exc).__name__}: {exc}"
usage = resource.getrusage(resource.RUSAGE_SELF)
# ru_maxrss survives exec on Linux and would report the parent's peak; VmHWM is this program's own
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
with open(os.environ["BENCH_RECORD"], "w") as handle:
    json.dump({"seconds": time.monotonic() - started,
               "cpu": usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime,
               "rss_mb": peak_kb / 1024, "code": code, "error": error}, handle)
"""


def office(n: int) -> tuple[list[dict], list[dict], list[dict]]:
    people = [{"person_id": f"P{i:04d}", "name": f"บุคลากร {i}", "role": "ผู้รับผิดชอบตัวชี้วัด"}
              for i in range(1, max(25, n // 10) + 1)]
    kpis = [kpi(str(i), 1, owner=people[i % len(people)]["person_id"], supervisor=people[0]["person_id"])
            for i in range(1, n + 1)]
    results = [result(str(i), r, 55 + (i * 7 + r) % 50) for i in range(1, n + 1) for r in (6, 9, 12)]
    return kpis, results, people


def run_child(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        record = handle.name
    started, children = time.monotonic(), _children_cpu()
    finished = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=cwd,
                              env={**os.environ, **env, "BENCH_RECORD": record},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    text = Path(record).read_text()
    if not text:
        raise RuntimeError(f"{' '.join(args)} died (exit {finished.returncode}): {finished.stderr[-2000:]}")
    data = json.loads(text)
    if data.get("error"):
        raise RuntimeError(f"{' '.join(args)} failed: {data['error']}\n{finished.stderr[-2000:]}")
    data["process_seconds"] = time.monotonic() - started
    data["process_cpu"] = _children_cpu() - children
    os.unlink(record)
    return data


def _children_cpu() -> float:
    """CPU seconds of this process's finished children: a whole child's, interpreter start and imports included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seed(emulator: Emulator, n: int) -> str:
    """An office of n KPIs put straight into the emulator's memory (typed locally first): setting up a large
    workbook through HTTP would measure the emulator, not the product.  The commands measured still go over HTTP."""
    import datetime as dt

    from sheets_sync.backends.xlsx import XlsxBackend
    from sheets_sync.domain.thai import to_serial
    from tests.emulator.grid import extended_value
    from tests.emulator.state import new_sheet, set_value

    path = Path(tempfile.mkdtemp()) / "seed.xlsx"
    kpis, results, people = office(n)
    type_office(XlsxBackend(path), kpis, results, people=people)
    data = XlsxBackend(path).read()
    key = emulator.create(f"bench {n}")
    with emulator.state.lock:
        book = emulator.state.spreadsheets[key]
        book.sheets = []
        for index, (title, grid) in enumerate(data.tabs.items()):
            sheet = new_sheet({"title": title, "sheetId": index + 1, "gridProperties": {
                "rowCount": max(1000, len(grid.rows) + 10), "columnCount": max(26, max(map(len, grid.rows), default=0))}},
                index, {s.sheet_id for s in book.sheets})
            for r, row in enumerate(grid.rows):
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    cell: dict = {}
                    if isinstance(value, dt.date):
                        set_value(cell, {"numberValue": to_serial(value)})
                        cell["userEnteredFormat"] = {"numberFormat": {"type": "DATE", "pattern": "d mmm yyyy"}}
                    else:
                        set_value(cell, extended_value(value))
                    sheet.cells[(r, c)] = cell
            book.sheets.append(sheet)
    return key


def google_rows(emulator: Emulator, sizes: tuple[int, ...], latency: float, repeat: int) -> list[dict]:
    rows = []
    env = {"SHEETS_EMULATOR_HOST": emulator.host, "SHEETS_SYNC_THROTTLE_DIR": tempfile.mkdtemp(),
           "SHEETS_SYNC_READS_PER_MINUTE": "100000", "SHEETS_SYNC_WRITES_PER_MINUTE": "100000"}
    os.environ.update(env)
    for n in sizes:
        emulator.state.latency = 0.0
        key = seed(emulator, n)
        emulator.state.latency = latency
        for name, args in (("init", ["init"]), ("validate --write", ["validate", "--write", "--today", TODAY]),
                           ("build", ["build", "--today", TODAY]), ("build (nothing changed)", ["build", "--today", TODAY]),
                           (NIGHTLY, ["build", "--today", TODAY])):
            samples = []
            for attempt in range(repeat):
                if name == NIGHTLY:  # each run a day's new typing
                    retype_results(emulator, key, n, latency, attempt)
                elif name == "build" and attempt:  # again a whole write: the tabs' content marks forgotten
                    forget_content_marks(key)
                emulator.clear_log()
                record = run_child([*args, "--sheet", key], env)
                log = emulator.requests()
                samples.append((record, log))
            record, log = samples[len(samples) // 2]
            served = sum(e.get("served", 0.0) for e in log)
            rows.append({"kpis": n, "command": name, "requests": len(log),
                         "reads": sum(1 for e in log if e["method"] == "GET"),
                         "writes": sum(1 for e in log if e["method"] != "GET"),
                         "seconds": statistics.median(s[0]["seconds"] for s in samples),
                         "process_seconds": statistics.median(s[0]["process_seconds"] for s in samples),
                         "process_cpu": statistics.median(s[0]["process_cpu"] for s in samples),
                         "cpu": record["cpu"], "served": served, "rss_mb": record["rss_mb"],
                         "latency_floor": len(log) * latency, **traffic(log)})
        for label, script in (("usual gspread build", "usual.py"), ("careful gspread build", "careful.py")):
            runs = []
            for _ in range(repeat):
                emulator.clear_log()
                runs.append(usual_build(emulator.host, key, script))
                log = emulator.requests()
            seconds = statistics.median(r[0] for r in runs)
            process_cpu = statistics.median(r[1] for r in runs)
            code = max(r[2] for r in runs)
            rows.append({"kpis": n, "command": label, "requests": len(log), "code": code,
                         "refused": sorted({e["status"] for e in log if e["status"] >= 400}),
                         "reads": sum(1 for e in log if e["method"] == "GET"),
                         "writes": sum(1 for e in log if e["method"] != "GET"),
                         "seconds": seconds, "process_seconds": seconds, "cpu": None, "process_cpu": process_cpu,
                         "served": sum(e.get("served", 0.0) for e in log),
                         "rss_mb": None, "latency_floor": len(log) * latency, **traffic(log)})
        del emulator.state.spreadsheets[key]
    return rows


NIGHTLY = "build (nightly: 1 % of results retyped)"


def retype_results(emulator: Emulator, key: str, n: int, latency: float, day: int = 0) -> None:
    """A day's typing: the round-12 result of every hundredth KPI retyped (values.update, USER_ENTERED)."""
    from sheets_sync.domain.schema import RESULTS

    col = [c.key for c in RESULTS.columns].index("result") + 1
    emulator.state.latency = 0.0
    for i in range(1, n + 1, 100):
        emulator.type(key, RESULTS.th, 2 + (i - 1) * 3 + 2, col, str(40 + (i + day) % 60))
    emulator.state.latency = latency


def forget_content_marks(key: str, credentials: str | None = None) -> None:
    """Every summary's content mark made to match nothing, through the Sheets API (the emulator's or Google's:
    bench/live.py): the next build writes every summary whole, as a first build does."""
    from sheets_sync.backends.target import open_backend, parse_target
    from sheets_sync.domain.schema import GENERATED_TABS
    from sheets_sync.tasks.build import content_mark_key

    keys = {content_mark_key(tab) for tab in GENERATED_TABS}
    http = open_backend(parse_target(key), credentials).http  # type: ignore[attr-defined]
    answer = http.get_spreadsheet(key, {"fields": "developerMetadata(metadataId,metadataKey)"})
    ids = [m["metadataId"] for m in answer.get("developerMetadata", []) if m.get("metadataKey") in keys]
    if ids:
        http.batch_update(key, {"requests": [{"updateDeveloperMetadata": {
            "dataFilters": [{"developerMetadataLookup": {"metadataId": i}}],
            "developerMetadata": {"metadataValue": "forgotten by the benchmark"}, "fields": "metadataValue"}}
            for i in ids]})


def traffic(log: list[dict]) -> dict[str, int]:
    """Bytes of request bodies the client sent and of answers it received, as the emulator counted them."""
    return {"bytes_up": sum(e.get("bytes", 0) for e in log), "bytes_down": sum(e.get("sent", 0) for e in log)}


def rollup_rows(emulator: Emulator, counts: tuple[int, ...], latency: float) -> list[dict]:
    """rollup over N office sheets at Google's real quota (60 reads a minute on both sides)."""
    import csv
    import pickle

    from sheets_sync.backends.target import open_backend, parse_target

    rows = []
    emulator.state.latency = 0.0
    template_key = emulator.create("template")
    kpis, results, people = office(12)
    type_office(open_backend(parse_target(template_key)), kpis, results, people=people)
    template = pickle.dumps(emulator.state.spreadsheets[template_key])
    for count in counts:
        folder = Path(tempfile.mkdtemp())
        with (folder / "offices.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["office_code", "office_name", "sheet"])
            for n in range(count):
                book = pickle.loads(template)
                book.spreadsheet_id = f"bench{count}office{n:04d}".ljust(40, "x")
                emulator.state.spreadsheets[book.spreadsheet_id] = book
                writer.writerow([f"{1000 + n}", f"เขต {n}", book.spreadsheet_id])
        target = emulator.create(f"rollup {count}")
        env = {"SHEETS_EMULATOR_HOST": emulator.host, "SHEETS_SYNC_THROTTLE_DIR": tempfile.mkdtemp(),
               "SHEETS_SYNC_READS_PER_MINUTE": "60", "SHEETS_SYNC_WRITES_PER_MINUTE": "60"}  # Google's own figures
        emulator.state.quota, emulator.state.recent = {"read": 60, "write": 60}, {"read": [], "write": []}
        emulator.state.latency = latency
        emulator.clear_log()
        record = run_child(["rollup", "--offices", str(folder / "offices.csv"), "--sheet", target, "--today", TODAY,
                            "--cache", str(folder / "cache.json")], env)
        log = emulator.requests()
        emulator.state.quota, emulator.state.latency = {}, 0.0
        rows.append({"offices": count, "requests": len(log), "refused": sum(1 for e in log if e["status"] == 429),
                     "seconds": record["seconds"], "cpu": record["cpu"], "rss_mb": record["rss_mb"],
                     "code": record["code"]})
    return rows


def usual_build(host: str, key: str, script: str = "usual.py") -> tuple[float, float, int]:
    """A gspread script (bench/usual.py, bench/careful.py) as its own process, timed whole, imports included — as
    sheets-sync's commands are: every side is measured the same way.  Its exit code too: a script whose
    request Google refuses (over 10 MiB) fails, and the table says so."""
    started, children = time.monotonic(), _children_cpu()
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), host, key, TODAY], cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    return time.monotonic() - started, _children_cpu() - children, done.returncode


def local_rows(sizes: tuple[int, ...], repeat: int) -> list[dict]:
    import openpyxl
    from python_calamine import CalamineWorkbook

    from sheets_sync.backends.xlsx import XlsxBackend

    rows = []
    for n in sizes:
        folder = Path(tempfile.mkdtemp())
        path = folder / "workbook.xlsx"
        kpis, results, people = office(n)
        type_office(XlsxBackend(path), kpis, results, people=people)
        subprocess.run([sys.executable, "-c", CHILD, "build", "--sheet", str(path), "--today", "2027-04-01"], cwd=ROOT,
                       env={**os.environ, "BENCH_RECORD": str(folder / "warm.json")}, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        builds = [run_child(["build", "--sheet", str(path), "--today", day], {})
                  for day in ("2027-07-20", "2027-07-21", "2027-07-22")[:repeat]]

        def timed(action) -> float:
            times = []
            for _ in range(repeat):
                started = time.monotonic()
                action()
                times.append(time.monotonic() - started)
            return statistics.median(times)

        floor = timed(lambda: openpyxl.load_workbook(path).save(folder / "copy.xlsx"))
        openpyxl_read = timed(lambda: [list(ws.iter_rows(values_only=True)) for ws in
                                       openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets])
        calamine_read = timed(lambda: [s.to_python() for s in
                                       (CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
                                        for name in CalamineWorkbook.from_path(str(path)).sheet_names)])
        build = statistics.median(b["seconds"] for b in builds)
        rows.append({"kpis": n, "bytes": path.stat().st_size, "build": build, "rss_mb": builds[0]["rss_mb"],
                     "floor": floor, "openpyxl_read": openpyxl_read, "calamine_read": calamine_read})
    return rows


def tables(google: list[dict], local: list[dict], latency: float, rollups: list[dict]) -> str:
    out = [f"### Google Sheets (emulator, {latency * 1000:.0f} ms per request)", "",
           "| KPIs | command | requests (reads + writes) | KB sent | KB received | wall s | requests × latency s | "
           "client CPU s | emulator s | wall ÷ (requests × latency + CPU + emulator) | peak MB |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in google:
        cpu = r["cpu"] if r["cpu"] is not None else 0.0
        expected = r["latency_floor"] + cpu + r["served"]
        out.append(f"| {r['kpis']:,} | {r['command']} | {r['requests']} ({r['reads']} + {r['writes']}) | "
                   f"{r['bytes_up'] / 1024:,.0f} | {r['bytes_down'] / 1024:,.0f} | "
                   f"{r['seconds']:.2f} | {r['latency_floor']:.2f} | "
                   f"{'' if r['cpu'] is None else f'{cpu:.2f}'} | {r['served']:.2f} | "
                   f"{r['seconds'] / expected:.2f} | {_mb(r['rss_mb'])} |")
    out += ["", "### `build` against gspread scripts, side by side (each its own process, imports included)", "",
            "| KPIs | who | requests | KB sent | KB received | wall s | client CPU s | emulator s | "
            "bytes ÷ careful | wall ÷ careful |", "|---|---|---|---|---|---|---|---|---|---|"]
    for n in sorted({r["kpis"] for r in google}):
        careful = next(r for r in google if r["kpis"] == n and r["command"] == "careful gspread build")
        careful_bytes = careful["bytes_up"] + careful["bytes_down"]
        for label in ("build", "build (nothing changed)", NIGHTLY, "careful gspread build", "usual gspread build"):
            r = next(r for r in google if r["kpis"] == n and r["command"] == label)
            who = "sheets-sync " + label if label.startswith("build") else label.replace(" build", "")
            if r.get("code"):
                who += f" — **failed** (exit {r['code']}; Google answered {', '.join(map(str, r['refused']))})"
            out.append(f"| {n:,} | {who} | {r['requests']} | {r['bytes_up'] / 1024:,.0f} | "
                       f"{r['bytes_down'] / 1024:,.0f} | {r['process_seconds']:.2f} | {r['process_cpu']:.2f} | "
                       f"{r['served']:.2f} | {(r['bytes_up'] + r['bytes_down']) / careful_bytes:.2f} | "
                       f"{r['process_seconds'] / careful['process_seconds']:.2f} |")
    out += ["", f"### rollup (emulator, {latency * 1000:.0f} ms per request, Google's quota of 60 reads a minute)", "",
            "| offices | requests | 429 answers | wall s | client CPU s | peak MB | exit code |",
            "|---|---|---|---|---|---|---|"]
    for r in rollups:
        out.append(f"| {r['offices']} | {r['requests']} | {r['refused']} | {r['seconds']:.1f} | {r['cpu']:.1f} | "
                   f"{r['rss_mb']:.0f} | {r['code']} |")
    out += ["", "### Local .xlsx", "",
            "| KPIs | file KB | build s | openpyxl load + save s | build ÷ floor | openpyxl read s | calamine read s | "
            "peak MB |", "|---|---|---|---|---|---|---|---|"]
    for r in local:
        out.append(f"| {r['kpis']:,} | {r['bytes'] / 1024:.0f} | {r['build']:.2f} | {r['floor']:.2f} | "
                   f"{r['build'] / r['floor']:.2f} | {r['openpyxl_read']:.2f} | {r['calamine_read']:.2f} | "
                   f"{r['rss_mb']:.0f} |")
    return "\n".join(out)


def _mb(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def plot(google: list[dict], local: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted({r["kpis"] for r in google})
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for command, style in (("build", "o-"), ("usual gspread build", "s--"), ("validate --write", "^-")):
        left.plot(sizes, [next(r for r in google if r["kpis"] == n and r["command"] == command)["requests"]
                          for n in sizes], style, label=command)
    left.set(xscale="log", xlabel="KPIs", ylabel="requests per run", title="Google API requests")
    left.legend()
    right.plot([r["kpis"] for r in local], [r["build"] for r in local], "o-", label="build (.xlsx)")
    right.plot([r["kpis"] for r in local], [r["floor"] for r in local], "s--", label="openpyxl load + save")
    right.plot(sizes, [next(r for r in google if r["kpis"] == n and r["command"] == "build")["seconds"]
                       for n in sizes], "^-", label="build (Google, emulator)")
    right.set(xscale="log", xlabel="KPIs", ylabel="seconds", title="Wall time")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only 12 and 100 KPIs (under two minutes)")
    parser.add_argument("--latency", type=float, default=0.15, help="seconds per emulated request (default 0.15)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md's tables and the plot")
    parser.add_argument("--sizes", help="comma-separated KPI counts instead of the preset, e.g. 12,100,1000")
    parser.add_argument("--offices", default=None, help="comma-separated office counts for rollup (default 10,250)")
    parser.add_argument("--local-only", action="store_true", help="only the local .xlsx measurements")
    args = parser.parse_args()
    # every process measured runs as on a user's machine, where Python keeps each module compiled after its first
    # import: with PYTHONDONTWRITEBYTECODE set (as some CI and sandboxes do) each side recompiled its modules on
    # every run, 0.1 s that no user pays
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sizes = tuple(int(n) for n in args.sizes.split(",")) if args.sizes else (QUICK if args.quick else FULL)
    repeat = 1 if args.quick else args.repeat
    if args.local_only:
        print(tables([], local_rows(sizes, max(repeat, 3)), args.latency, []))
        return
    with Emulator() as emulator:
        google = google_rows(emulator, sizes, args.latency, repeat)
        offices = tuple(int(n) for n in args.offices.split(",")) if args.offices else ((10,) if args.quick else (10, 250))
        rollups = rollup_rows(emulator, offices, args.latency)
    local = local_rows(sizes, max(repeat, 3))
    text = tables(google, local, args.latency, rollups)
    print(text)
    if args.write:
        (ROOT / "docs" / "benchmark-results.md").write_text(text + "\n", encoding="utf-8")
        plot(google, local, ROOT / "docs" / "benchmarks.png")


if __name__ == "__main__":
    main()
