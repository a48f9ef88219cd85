"""Does planning slow down everyone else in the app process? Another organiser's page, stood in for
by the work of one rerun of the public agenda's data (a read of the store plus Python), is timed
while nothing plans, while a hard event (1,500 x 100 x 10) is planned in a thread of the same
process (how the app planned before), and while it is planned in a process of its own (how it
plans now: planning.background).

    python bench/planning_background.py [--seconds 20]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    from eventtool.results import charts
    from eventtool import fixtures
    from eventtool.core.db import Database
    from eventtool.planning import background, generate, plan

    db = Database(f"sqlite:///{tempfile.mkdtemp(prefix='eventtool-bench-')}/bench.db")
    db.migrate()
    db.write(fixtures.seed_demo)
    inst = generate.generate(1500, 100, 10, seed=1, hard=True)

    def page() -> float:
        started = time.perf_counter()
        charts.summary(db.read(charts.load))
        return time.perf_counter() - started

    def measure(label: str, window: float) -> None:
        times = []
        end = time.monotonic() + window
        while time.monotonic() < end:
            times.append(page())
            time.sleep(0.05)  # a person clicking, not a loop hogging the interpreter
        times.sort()
        print(f"{label:<34} runs {len(times):>4}   p50 {statistics.median(times) * 1000:6.0f} ms   "
              f"p95 {times[int(0.95 * (len(times) - 1))] * 1000:6.0f} ms")

    page()
    measure("nothing planning", args.seconds / 2)
    worker = threading.Thread(target=plan, args=(inst,), kwargs={"time_limit": args.seconds}, daemon=True)
    worker.start()
    time.sleep(0.5)
    measure("planning in a thread of the app", args.seconds - 1)
    worker.join()
    run = background.Run(inst, args.seconds)
    time.sleep(0.5)
    measure("planning in its own process", args.seconds - 1)
    run.wait()
    print(f"background plan: total {run.result.total}, bound {run.result.upper_bound}, {run.result.seconds:.1f} s")


if __name__ == "__main__":
    main()
