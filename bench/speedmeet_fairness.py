"""The fairness option on generated events: how many people present get fewer than k meetings,
and what it costs in match weight, with and without 'everyone at least k meetings'.

    python bench/speedmeet_fairness.py [--sizes 400x30x8,1500x100x10] [--k 2] [--time-limit 10] [--hard]

The bonus per meeting towards the minimum is the app's (speedmeet.fairness_bonus): more than one
person's meetings can weigh. Every plan is checked against the rules.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from eventtool.planning import objective, plan, violations
    from eventtool.planning.generate import generate
    from eventtool.planning.speedmeet import fairness_bonus

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="400x30x8,1500x100x10")
    parser.add_argument("--k", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=10)
    parser.add_argument("--hard", action="store_true", help="the hard family (short stays, support needs)")
    args = parser.parse_args()
    print(f"{'instance':>12} {'option':>10} {'below k':>8} {'none':>6} {'weight':>8} {'seconds':>8}  meetings per person")
    for size in args.sizes.split(","):
        nj, ne, nr = map(int, size.split("x"))
        for fair in (False, True):
            inst = generate(nj, ne, nr, seed=42, hard=args.hard)
            if fair:
                inst.cover_meetings = args.k
                inst.coverage_bonus = max(inst.coverage_bonus, fairness_bonus(inst))
            result = plan(inst, time_limit=args.time_limit)
            assert not violations(inst, result.meetings)
            count = Counter(m.jobseeker_id for m in result.meetings)
            # Who could have k at all: present in enough rounds, allowed k, wanting k employers.
            able = [j for j in inst.jobseekers
                    if min(len(j.available_rounds), j.max_meetings, len(j.preferences)) >= args.k]
            below = sum(1 for j in able if count[j.id] < args.k)
            none = sum(1 for j in inst.jobseekers if j.preferences and j.max_meetings and not count[j.id])
            weight = sum(inst.weight(m.jobseeker_id, m.employer_id) for m in result.meetings)
            spread = sorted(Counter(count[j.id] for j in inst.jobseekers).items())
            print(f"{size:>12} {'k=' + str(args.k) if fair else 'off':>10} {below:>8} {none:>6} {weight:>8} "
                  f"{result.seconds:8.2f}  {', '.join(f'{n}: {c}' for n, c in spread)}")
            assert result.total == objective(inst, result.meetings)
    print("below k: people who could have had k meetings (present, allowed and wanting that many) but got fewer")


if __name__ == "__main__":
    main()
