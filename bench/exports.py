"""Seconds to export attendance lists, per format: the median of --runs runs each.

    python bench/exports.py [--registrations 10000] [--small 399] [--runs 3]

Two figures per format: a list of --registrations rows in a warm process, and a list of --small rows
as the first export of a new process (cold: the modules are imported first, as the app has them at
start-up, then fonts and the writer are loaded by the export itself). 399 rows was the largest list
fpdf2's table() drew before issue 27 (from 400 rows on a quicker writer took over). Both with the
bench's usual 8 columns and with every column.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._data import bulk  # noqa: E402
from eventtool.events import calendars
from eventtool.dayof import exports  # noqa: E402
from eventtool.core.db import Database  # noqa: E402

COLUMNS = ["name", "party", "email", "phone", "region", "status", "checked_in", "support_needs"]
FORMATS = ("csv", "csv;", "xlsx", "pdf")

# Run in a new process: import, read the list, then time the first export only.
COLD = """
import json, sys, time
sys.path.insert(0, {root!r})
import eventtool.models  # noqa: F401 - every table
from eventtool.dayof import exports
from eventtool.core.db import Database
db = Database({url!r})
sheet = db.read(exports.attendance, {event_id}, columns={columns!r})
t = time.perf_counter()
content = exports.export(sheet, {fmt!r})[0]
print(json.dumps([time.perf_counter() - t, len(sheet.rows), len(content)]))
"""


def database(registrations: int) -> tuple[str, int]:
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    db = Database(url)
    db.migrate()
    employers = min(60, max(1, registrations // 10))
    (event_id,) = db.write(bulk, jobseekers=registrations - employers, per_event=registrations - employers,
                           employers=employers, n_events=1)
    return url, event_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=399)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = str(Path(__file__).resolve().parent.parent)
    for label, columns in (("8 columns", COLUMNS), ("all columns", list(exports.COLUMNS))):
        url, event_id = database(args.small)
        print(f"\n{args.small} rows, {label}, first export in a new process (median of {args.runs})")
        print(f"{'format':10} {'seconds':>8} {'bytes':>12}")
        for fmt in FORMATS:
            runs = []
            for _ in range(args.runs):
                code = COLD.format(root=root, url=url, event_id=event_id, columns=columns, fmt=fmt)
                out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"{fmt:10} {statistics.median(r[0] for r in runs):8.2f} {runs[0][2]:12,}")

    url, event_id = database(args.registrations)
    db = Database(url)
    for label, columns in (("8 columns", COLUMNS), ("all columns", list(exports.COLUMNS))):
        t = time.perf_counter()
        sheet = db.read(exports.attendance, event_id, columns=columns)
        print(f"\n{len(sheet.rows)} rows, {label}, warm process (median of {args.runs}); "
              f"building the list from the store: {time.perf_counter() - t:.2f} s")
        print(f"{'format':10} {'seconds':>8} {'bytes':>12}")
        for fmt in FORMATS:
            runs = []
            for _ in range(args.runs):
                t = time.perf_counter()
                content, _, _ = exports.export(sheet, fmt)
                runs.append(time.perf_counter() - t)
            print(f"{fmt:10} {statistics.median(runs):8.2f} {len(content):12,}")
    t = time.perf_counter()
    data = db.read(calendars.event_ics, event_id)
    print(f"{'ics':10} {time.perf_counter() - t:8.2f} {len(data):12,}")


if __name__ == "__main__":
    main()
