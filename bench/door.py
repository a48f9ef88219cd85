"""Check-in at the door by QR code, server side: several door devices scanning at once (issue 29).

    python bench/door.py [--doors 3] [--people 400] [--runs 5] [--postgres]

A job fair of --people confirmed jobseekers (the bench's bulk data, door codes given as start-up
gives them) on a new SQLite file as the app runs it (WAL, BEGIN IMMEDIATE for every write), or with
--postgres on a throwaway PostgreSQL server with fsync on. --doors threads (a Streamlit process
serves each door device's session on a thread of its own) each scan every person's code in an order
of their own, back to back, as a queue at the door would at worst: the first scan of someone checks
them in, the others answer "al binnen". Each scan is what the door page runs for it: checkin.scan
with its audit entry, in one write transaction. Prints per run the median, p95 and max of a scan's
time and that every person was checked in exactly once; then the medians over the runs.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import eventtool.models  # noqa: E402,F401 - every table, before the Database is used
from bench._data import bulk  # noqa: E402
from eventtool.core import audit  # noqa: E402
from eventtool.core.db import Database  # noqa: E402
from eventtool.dayof import checkin  # noqa: E402
from eventtool.registration import door  # noqa: E402
from eventtool.registration.models import Registration  # noqa: E402
from sqlmodel import select  # noqa: E402
from tests import pg  # noqa: E402


def one_run(url: str, doors: int, people: int, seed: int) -> tuple[list[float], int, int]:
    db = Database(url)
    db.migrate()
    event_id = db.write(bulk, jobseekers=people * 2, employers=20, per_event=people, n_events=1, seed=seed)[0]
    db.write(door.fill_missing)
    codes = db.read(lambda s: [door.token(r) for r in s.exec(select(Registration).where(
        Registration.event_id == event_id, Registration.jobseeker_id.is_not(None)))])
    scan = audit.audited("deur@bench.example", "checkin.scan")
    times: list[float] = []
    welcomed = []
    lock = threading.Lock()
    start = threading.Barrier(doors)

    def device(n: int) -> None:
        order = codes[:]
        random.Random(seed * 100 + n).shuffle(order)
        start.wait()
        for code in order:
            t0 = time.perf_counter()
            result = db.write(scan, checkin.scan, event_id, code)
            took = time.perf_counter() - t0
            with lock:
                times.append(took)
                if result.outcome == "welcome":
                    welcomed.append(result.registration_id)

    threads = [threading.Thread(target=device, args=(n,)) for n in range(doors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    present = db.read(checkin.counts, event_id).present
    assert len(welcomed) == len(set(welcomed)) == present == len(codes), "someone was checked in twice or not at all"
    db.engine.dispose()
    return times, len(welcomed), len(codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--doors", type=int, default=3)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL (fsync on) instead of SQLite")
    args = parser.parse_args()
    server = pg.start(durable=True) if args.postgres else None
    if args.postgres and server is None:
        raise SystemExit("no PostgreSQL here (initdb not found)")
    medians, p95s, maxes = [], [], []
    try:
        for run in range(args.runs):
            url = server.new_database() if server else f"sqlite:///{Path(tempfile.mkdtemp(prefix='eventtool-door-')) / 'door.db'}"
            times, welcomed, people = one_run(url, args.doors, args.people, 42 + run)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            medians.append(statistics.median(times))
            p95s.append(p95)
            maxes.append(times[-1])
            print(f"run {run + 1}: {len(times)} scans at {args.doors} doors, {welcomed}/{people} checked in once; "
                  f"median {medians[-1] * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms", flush=True)
    finally:
        if server:
            server.stop()
    print(f"{'PostgreSQL' if args.postgres else 'SQLite'}, {args.doors} doors, {args.people} people, {args.runs} runs: "
          f"median {statistics.median(medians) * 1000:.1f} ms, p95 {statistics.median(p95s) * 1000:.1f} ms "
          f"(runs {min(p95s) * 1000:.1f}-{max(p95s) * 1000:.1f}), max {max(maxes) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
