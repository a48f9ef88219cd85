"""Seconds per page rerun with 10,000 jobseekers in the store (AppTest, real SQLite file).

    python bench/page_rerun.py [--jobseekers 10000] [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobseekers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="eventtool-bench-")
    url = f"sqlite:///{tmp}/bench.db"
    os.environ["EVENTTOOL_DATABASE_URL"] = url
    from streamlit.testing.v1 import AppTest

    from bench._data import bulk, logged_in_as
    from eventtool.core.db import Database

    db = Database(url)
    db.migrate()
    t0 = time.perf_counter()
    event_ids = db.write(bulk, jobseekers=args.jobseekers)
    print(f"data: {args.jobseekers} jobseekers, {len(event_ids)} events x 2,500 registrations "
          f"({time.perf_counter() - t0:.1f} s to insert)")

    def timed(page: str, role: str | None, prepare=None) -> list[float]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if role:
            logged_in_as(db, at, role)
        at.run()
        at.switch_page(page).run()
        if prepare:
            prepare(at)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            assert not at.exception, at.exception
        return times

    def pick_big_event(at):
        at.selectbox(key="regs_event").set_value(event_ids[0]).run()

    rows = [
        ("agenda (public)", timed("views/agenda.py", None)),
        ("jobseeker form (public)", timed("views/register_jobseeker.py", None)),
        ("events (organiser)", timed("views/events_admin.py", "organiser")),
        ("registrations, 2,500 on one event (organiser)", timed("views/registrations_admin.py", "organiser",
                                                                 pick_big_event)),
    ]
    print(f"{'page':50} {'median s':>9} {'max s':>7}")
    for name, times in rows:
        print(f"{name:50} {statistics.median(times):9.3f} {max(times):7.3f}")


if __name__ == "__main__":
    main()
