"""Seconds to export 10,000 registrations of one event, per format.

    python bench/exports.py [--registrations 10000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._data import bulk  # noqa: E402
from eventtool import calendars, exports  # noqa: E402
from eventtool.db import Database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=10_000)
    args = parser.parse_args()
    db = Database(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    db.migrate()
    (event_id,) = db.write(bulk, jobseekers=args.registrations, per_event=args.registrations, n_events=1)
    columns = ["name", "party", "email", "phone", "region", "status", "checked_in", "support_needs"]
    t = time.perf_counter()
    sheet = db.read(exports.attendance, event_id, columns=columns)
    print(f"rows: {len(sheet.rows)}; building the list from the store: {time.perf_counter() - t:.2f} s")
    print(f"{'format':10} {'seconds':>8} {'bytes':>12}")
    for fmt in ("csv", "csv;", "xlsx", "pdf"):
        t = time.perf_counter()
        content, _, _ = exports.export(sheet, fmt)
        print(f"{fmt:10} {time.perf_counter() - t:8.2f} {len(content):12,}")
    t = time.perf_counter()
    data = db.read(calendars.event_ics, event_id)
    print(f"{'ics':10} {time.perf_counter() - t:8.2f} {len(data):12,}")


if __name__ == "__main__":
    main()
