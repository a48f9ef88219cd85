"""Speedmeet planners side by side on generated instances (exchange format, skewed popularity,
late arrivals, multi-table employers, some support needs):

    python bench/speedmeet.py [--exact-seconds 30,60,120,300] [--sizes 60x12x6,300x40x8,...]
    python bench/speedmeet.py --hard [--time-limit 10]   # 400x30x8, 1500x100x10, 5000x120x12

--hard: most jobseekers present for one to three rounds, breaks, jobcoaches, few wide tables
(eventtool/planning/generate.py); the planner gets --time-limit seconds and its wall time is shown.

For each size: our planner, a greedy round-by-round planner, and CP-SAT on the full integer
program with generous time. Every plan is checked against the rules; totals, ratios to the best
known bound and seconds are printed.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventtool.planning import objective, plan, violations  # noqa: E402
from eventtool.planning.exact import solve_exact  # noqa: E402
from eventtool.planning.generate import generate  # noqa: E402
from eventtool.planning.greedy import plan_greedy  # noqa: E402

SIZES = "60x12x6,300x40x8,1200x120x10,3000x300x12"
HARD_SIZES = "400x30x8,1500x100x10,5000x120x12"
LIMITS = {"60x12x6": 2, "300x40x8": 2, "1200x120x10": 10, "3000x300x12": 30}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes")
    parser.add_argument("--hard", action="store_true", help="the hard family (short stays, support needs)")
    parser.add_argument("--time-limit", type=float, help="the planner's limit (default per size)")
    parser.add_argument("--exact-seconds", default="30,60,120,300")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--support", action="store_true", help="add break and jobcoach needs")
    parser.add_argument("--save", help="folder to write the instances to (exchange format)")
    args = parser.parse_args()
    sizes = (args.sizes or (HARD_SIZES if args.hard else SIZES)).split(",")
    exact_limits = [float(x) for x in args.exact_seconds.split(",")]
    print(f"{'instance':>12} {'planner':>18} {'greedy':>18} {'CP-SAT':>22} {'bound':>7} {'ours/CP-SAT':>11}")
    for size, exact_limit in zip(sizes, exact_limits + exact_limits[-1:] * len(sizes)):
        nj, ne, nr = map(int, size.split("x"))
        inst = generate(nj, ne, nr, seed=args.seed, support=args.support, hard=args.hard)
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            Path(args.save, f"{size}.json").write_text(json.dumps(inst.to_json()))
        limit = args.time_limit or LIMITS.get(size, 30)
        ours = plan(inst, time_limit=limit)
        t = time.perf_counter()
        greedy = plan_greedy(inst)
        greedy_s = time.perf_counter() - t
        exact = solve_exact(inst, time_limit=exact_limit)
        for name, meetings in (("planner", ours.meetings), ("greedy", greedy), ("exact", exact.meetings or [])):
            problems = violations(inst, meetings)
            assert not problems, (name, problems[:3])
        g_total = objective(inst, greedy)
        e_total = exact.total or 0
        bound = min(ours.upper_bound, exact.bound) if exact.status != "UNKNOWN" else ours.upper_bound
        ratio = f"{ours.total / e_total:.4f}" if e_total else "n/a"
        print(f"{size:>12} {ours.total:>7} {ours.seconds:6.2f}s{'*' if ours.optimal else ' ':1}   "
              f"{g_total:>7} {greedy_s:6.2f}s   {e_total:>7} {exact.seconds:6.1f}s {exact.status[:8]:>8} "
              f"{bound:>7} {ratio:>11}")
        print(f"{'':>12} planner {ours.total / bound:.2%} of bound in {ours.seconds:.2f} s (limit {limit:g} s), "
              f"greedy {g_total / bound:.2%}, CP-SAT {e_total / bound:.2%}")
    print("* = proven optimal (the plan reaches the flow upper bound or CP-SAT proved it)")


if __name__ == "__main__":
    main()
