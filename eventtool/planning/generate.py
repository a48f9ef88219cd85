"""Synthetic instances shaped like real speedmeets: a few employers everyone wants (Zipf
popularity), ranked picks plus smaller interest weights, late arrivals and early leavers,
employers with one to four tables."""
from __future__ import annotations

import random

from .instance import Employer, Instance, Jobseeker


def generate(jobseekers: int, employers: int, rounds: int, seed: int = 42, coverage_bonus: int = 10,
             support: bool = False, hard: bool = False) -> Instance:
    """hard=True: the events that are hard in practice. 80% of jobseekers are there for only one to
    three rounds (a pupils' block, late arrivals, early leavers), 30% need a break between meetings,
    10% bring a jobcoach, and 30% of employers have only one or two tables that seat two."""
    rng = random.Random(seed)
    emps = []
    for k in range(employers):
        avail = set(range(rounds))
        if rng.random() < 0.1:  # arrives late
            avail = set(range(rng.randint(1, max(1, rounds // 3)), rounds))
        tables = rng.choice([1, 1, 1, 2, 2, 3, 4])
        if hard:
            wide = rng.choice([0, 1, 1, 2]) if rng.random() < 0.3 else None
        else:
            wide = rng.choice([0, 1, 1, 2]) if support else None
        emps.append(Employer(id=f"E{k + 1}", tables=tables, available_rounds=frozenset(avail), wide_tables=wide))
    popularity = [1.0 / (k + 1) ** 0.9 for k in range(employers)]
    js = []
    for i in range(jobseekers):
        start, end = 0, rounds
        roll = rng.random()
        if hard and roll < 0.8:  # here for one to three rounds only
            length = min(rounds, rng.randint(1, 3))
            start = rng.randint(0, rounds - length)
            end = start + length
        elif hard:
            pass
        elif roll < 0.15:
            start = rng.randint(1, max(1, rounds // 2))
        elif roll < 0.25:
            end = rng.randint(max(1, rounds // 2), rounds - 1) if rounds > 1 else rounds
        prefs: dict[str, int] = {}
        n_picks = min(employers, rng.randint(2, 5))
        for rank, k in enumerate(_weighted_sample(rng, popularity, n_picks)):
            prefs[emps[k].id] = 10 - 2 * rank  # ranked picks: 10, 8, 6, ...
        for k in rng.sample(range(employers), min(employers, rng.randint(2, 8))):
            prefs.setdefault(emps[k].id, rng.randint(1, 3))  # interest matches
        js.append(Jobseeker(id=f"J{i + 1}", max_meetings=rng.choice([3, 4, 4, 5, 6]),
                            available_rounds=frozenset(range(start, end)), preferences=prefs,
                            needs_break=rng.random() < 0.3 if hard else support and rng.random() < 0.1,
                            jobcoach=rng.random() < 0.1 if hard else support and rng.random() < 0.08))
    return Instance(rounds=rounds, employers=emps, jobseekers=js, coverage_bonus=coverage_bonus)


def _weighted_sample(rng: random.Random, weights: list[float], k: int) -> list[int]:
    chosen: list[int] = []
    pool = list(range(len(weights)))
    w = list(weights)
    for _ in range(k):
        idx = rng.choices(range(len(pool)), weights=w)[0]
        chosen.append(pool.pop(idx))
        w.pop(idx)
    return chosen
