"""The rules every schedule keeps, and its objective. One checker serves the CLI, the tests, the
hand-editing in the app and every planner. Each problem starts with its kind ("rule 1", "break",
...) before a colon; the app turns that kind into a message."""
from __future__ import annotations

from collections import Counter

from .model import Instance, Meeting, rather_not


def violations(instance: Instance, meetings: list[Meeting], facts: frozenset[Meeting] = frozenset()) -> list[str]:
    """Every rule a schedule breaks. `facts` are meetings that took place (rounds already held):
    what people want or when they are there cannot undo them, so they are exempt from the rules
    of availability and weight, and count for every other rule."""
    problems: list[str] = []
    js_round = Counter()
    emp_round = Counter()
    wide_round = Counter()
    pairs = Counter()
    per_js = Counter()
    rounds_of: dict[str, set[int]] = {}
    for m in meetings:
        j = instance.jobseeker_by_id.get(m.jobseeker_id)
        e = instance.employer_by_id.get(m.employer_id)
        if j is None or e is None:
            problems.append(f"unknown: party in {m}")
            continue
        if not 0 <= m.round < instance.rounds:
            problems.append(f"range: round out of range in {m}")
        if m not in facts:
            if m.round not in j.available_rounds or m.round not in e.available_rounds:
                problems.append(f"rule 4: {m} outside availability")
            if rather_not(j, e):
                problems.append(f"rather not: {m} one of the two would rather not meet")
            elif j.preferences.get(e.id, 0) <= 0:
                problems.append(f"rule 6: {m} has no positive weight")
        js_round[(j.id, m.round)] += 1
        emp_round[(e.id, m.round)] += 1
        if j.jobcoach:
            wide_round[(e.id, m.round)] += 1
        pairs[(j.id, e.id)] += 1
        per_js[j.id] += 1
        rounds_of.setdefault(j.id, set()).add(m.round)
    problems += [f"rule 1: jobseeker {j!r} has {n} meetings in round {r}" for (j, r), n in js_round.items() if n > 1]
    problems += [f"rule 2: employer {e!r} has {n} meetings in round {r} for "
                 f"{instance.employer_by_id[e].tables} tables" for (e, r), n in emp_round.items()
                 if n > instance.employer_by_id[e].tables]
    problems += [f"rule 3: {j!r} meets {e!r} {n} times" for (j, e), n in pairs.items() if n > 1]
    problems += [f"rule 5: {j!r} has {n} meetings, wants at most {instance.jobseeker_by_id[j].max_meetings}"
                 for j, n in per_js.items() if n > instance.jobseeker_by_id[j].max_meetings]
    problems += [f"break: {j!r} meets in consecutive rounds" for j, rs in rounds_of.items()
                 if instance.jobseeker_by_id[j].needs_break and any(r + 1 in rs for r in rs)]
    problems += [f"jobcoach: employer {e!r} has {n} jobcoach meetings in round {r} for "
                 f"{instance.employer_by_id[e].wide} wide tables" for (e, r), n in wide_round.items()
                 if n > instance.employer_by_id[e].wide]
    locked = set(instance.locked)
    missing = locked - set(meetings)
    problems += [f"locked: meeting {m} is missing" for m in sorted(missing, key=lambda m: (m.round, m.jobseeker_id))]
    return problems


def objective(instance: Instance, meetings: list[Meeting]) -> int:
    count = Counter(m.jobseeker_id for m in meetings)
    earned = sum(instance.bonus_total(jid, n) for jid, n in count.items()) if instance.coverage_bonus else 0
    return sum(instance.weight(m.jobseeker_id, m.employer_id) for m in meetings) + earned
