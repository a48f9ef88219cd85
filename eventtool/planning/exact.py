"""The integer program of the speedmeet format, solved with OR-Tools CP-SAT. Used to polish the
fast planner's result when time allows, to check it on small instances, and as the benchmark's
reference."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .instance import Instance, Meeting


@dataclass
class ExactResult:
    meetings: list[Meeting] | None
    total: int | None
    bound: int
    optimal: bool
    seconds: float
    status: str


def candidate_rounds(instance: Instance, j, e) -> list[int]:
    if j.jobcoach and e.wide == 0:
        return []
    return sorted(j.available_rounds & e.available_rounds)


def solve_exact(instance: Instance, time_limit: float = 60.0, hint: list[Meeting] | None = None,
                workers: int = 2, upper_bound: int | None = None,
                already_covered: frozenset[str] = frozenset(), stop=None) -> ExactResult:
    """already_covered: jobseekers whose coverage bonus is earned outside this (sub)problem.
    stop: an Event; when it is set the search ends with the best solution found so far."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    x: dict[tuple[str, str, int], cp_model.IntVar] = {}
    by_js_round: dict[tuple[str, int], list] = {}
    by_emp_round: dict[tuple[str, int], list] = {}
    by_wide_round: dict[tuple[str, int], list] = {}
    objective = []
    covered = []
    locked = set(instance.locked)
    for j in instance.jobseekers:
        mine = []
        for eid, w in j.preferences.items():
            if w <= 0:
                continue
            e = instance.employer_by_id[eid]
            pair = []
            for r in candidate_rounds(instance, j, e):
                v = model.new_bool_var(f"x[{len(x)}]")
                x[(j.id, eid, r)] = v
                pair.append(v)
                by_js_round.setdefault((j.id, r), []).append(v)
                by_emp_round.setdefault((eid, r), []).append(v)
                if j.jobcoach:
                    by_wide_round.setdefault((eid, r), []).append(v)
            if pair:
                model.add_at_most_one(pair)  # rule 3
                objective.append(w * sum(pair))
                mine.extend(pair)
        if mine:
            model.add(sum(mine) <= j.max_meetings)  # rule 5
            slots = 0 if j.id in already_covered else min(instance.bonus_slots(j.id), j.max_meetings)
            if slots:
                # z[n]: j has at least n meetings here, worth the n-th meeting's (falling) bonus.
                z = [model.new_bool_var(f"z[{j.id},{n}]") for n in range(1, slots + 1)]
                model.add(sum(z) <= sum(mine))
                for a, b in zip(z, z[1:]):
                    model.add_implication(b, a)
                covered.extend(instance.bonus_for(j.id, n) * v for n, v in enumerate(z, start=1))
        if j.needs_break:
            for r in range(instance.rounds - 1):
                both = by_js_round.get((j.id, r), []) + by_js_round.get((j.id, r + 1), [])
                if len(both) > 1:
                    model.add_at_most_one(both)
    for vs in by_js_round.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)  # rule 1
    for (eid, _), vs in by_emp_round.items():
        tables = instance.employer_by_id[eid].tables
        if len(vs) > tables:
            model.add(sum(vs) <= tables)  # rule 2
    for (eid, _), vs in by_wide_round.items():
        wide = instance.employer_by_id[eid].wide
        if len(vs) > wide:
            model.add(sum(vs) <= wide)
    for m in locked:
        v = x.get((m.jobseeker_id, m.employer_id, m.round))
        if v is None:
            return ExactResult(None, None, 0, False, time.perf_counter() - started, "INFEASIBLE")
        model.add(v == 1)
    total = sum(objective) + sum(covered)
    model.maximize(total)
    if upper_bound is not None:
        model.add(total <= upper_bound)
    if hint:
        chosen = {(m.jobseeker_id, m.employer_id, m.round) for m in hint}
        for key, v in x.items():
            model.add_hint(v, key in chosen)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - started), 0.1)
    solver.parameters.num_workers = workers
    done = threading.Event()
    if stop is not None:
        def watch_stop() -> None:
            while not done.wait(0.05):
                if stop.is_set():
                    solver.stop_search()
                    return
        threading.Thread(target=watch_stop, daemon=True, name="cp-sat-stop").start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
    seconds = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactResult(None, None, int(solver.best_objective_bound) if status != cp_model.INFEASIBLE else 0,
                           False, seconds, solver.status_name(status))
    meetings = [Meeting(j, e, r) for (j, e, r), v in x.items() if solver.boolean_value(v)]
    return ExactResult(meetings, int(round(solver.objective_value)), int(round(solver.best_objective_bound)),
                       status == cp_model.OPTIMAL, seconds, solver.status_name(status))
