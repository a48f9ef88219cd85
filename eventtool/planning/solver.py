"""The speedmeet planner.

1. Aggregate: which pairs should meet, ignoring *when*. That is a min-cost flow (jobseeker ->
   employer, capacities: meetings wanted and rounds free; employer tables x rounds present; the
   coverage bonus on each jobseeker's first unit). Every valid schedule is a feasible flow, so its
   optimum is an upper bound on any schedule.
2. Rounds: place the chosen pairs round by round, each round a max-priority b-matching (again a
   flow) that first serves pairs and people who have no later chance.
3. Repair what could not be placed by moving one meeting, then re-plan whole rounds exactly (with
   the other rounds fixed a round is a flow again, which also fills every free table) and improve
   locally (upgrades, giving uncovered people a seat), in turns.
4. If the plan is below the bound and time is left, CP-SAT polishes it from this start.
5. Then, until the time limit, a few employers at a time are re-planned exactly (large
   neighbourhood search).
A plan that reaches the bound is proven optimal.
"""
from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .watch import Watch
from .exact import solve_exact
from .instance import Instance, Jobseeker, Meeting
from .rules import objective

# CP-SAT polish is skipped on models larger than this many (pair, round) variables: building and
# solving them takes longer than the planner's budget is meant to be.
POLISH_MAX_VARIABLES = 150_000


@dataclass
class Plan:
    meetings: list[Meeting]
    total: int
    upper_bound: int
    optimal: bool
    seconds: float
    method: str

    @property
    def gap(self) -> float:
        return 0.0 if self.upper_bound <= 0 else (self.upper_bound - self.total) / self.upper_bound


class _State:
    """A partial schedule with O(1) feasibility checks."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.busy: dict[str, dict[int, str]] = defaultdict(dict)  # jobseeker -> round -> employer
        self.used: Counter = Counter()  # (employer, round) -> tables in use
        self.wide_used: Counter = Counter()
        self.met: set[tuple[str, str]] = set()
        self.locked = set(inst.locked)
        self.seated: dict[tuple[str, int], set[str]] = defaultdict(set)  # (employer, round) -> jobseekers

    def count(self, jid: str) -> int:
        return len(self.busy[jid])

    def can_place(self, j, e, r: int) -> bool:
        rounds = self.busy[j.id]
        if r in rounds or (j.id, e.id) in self.met or len(rounds) >= j.max_meetings:
            return False
        if r not in j.available_rounds or r not in e.available_rounds or j.preferences.get(e.id, 0) <= 0:
            return False
        if j.needs_break and (r - 1 in rounds or r + 1 in rounds):
            return False
        if self.used[(e.id, r)] >= e.tables:
            return False
        return not (j.jobcoach and self.wide_used[(e.id, r)] >= e.wide)

    def place(self, j, e, r: int) -> None:
        self.busy[j.id][r] = e.id
        self.seated[(e.id, r)].add(j.id)
        self.used[(e.id, r)] += 1
        if j.jobcoach:
            self.wide_used[(e.id, r)] += 1
        self.met.add((j.id, e.id))

    def remove(self, j, e, r: int) -> None:
        del self.busy[j.id][r]
        self.seated[(e.id, r)].discard(j.id)
        self.used[(e.id, r)] -= 1
        if j.jobcoach:
            self.wide_used[(e.id, r)] -= 1
        self.met.discard((j.id, e.id))

    def meetings(self) -> list[Meeting]:
        return [Meeting(jid, eid, r) for jid, rounds in self.busy.items() for r, eid in rounds.items()]

    def free_slots(self, j, from_round: int = 0) -> int:
        """How many more meetings j could still have in rounds >= from_round."""
        rounds = self.busy[j.id]
        free = [r for r in sorted(j.available_rounds) if r >= from_round and r not in rounds
                and not (j.needs_break and (r - 1 in rounds or r + 1 in rounds))]
        if not j.needs_break:
            return len(free)
        total, run, prev = 0, 0, None
        for r in free:
            # In a run of L consecutive free rounds, every other one: ceil(L / 2).
            run = run + 1 if prev is not None and r == prev + 1 else 1
            prev = r
            if run % 2 == 1:
                total += 1
        return total


def _flow(tails, heads, caps, costs, n_nodes: int, source: int, sink: int, supply: int) -> np.ndarray:
    """Max-profit flow: negative costs are profits; a free source->sink arc lets flow stay unused."""
    f = min_cost_flow.SimpleMinCostFlow()
    tails = np.asarray(list(tails) + [source], dtype=np.int32)
    heads = np.asarray(list(heads) + [sink], dtype=np.int32)
    caps = np.asarray(list(caps) + [supply], dtype=np.int64)
    costs = np.asarray(list(costs) + [0], dtype=np.int64)
    f.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    f.set_nodes_supplies(np.arange(n_nodes, dtype=np.int32), supplies)
    status = f.solve()
    if status != f.OPTIMAL:  # pragma: no cover - the bypass arc makes every network feasible
        raise RuntimeError(f"min-cost flow failed: {status}")
    return f.flows(np.arange(len(tails) - 1, dtype=np.int32)), -f.optimal_cost()


class _Network:
    """source -> jobseekers -> (wide tables ->) employers -> sink; every planning step builds one."""

    def __init__(self):
        self.tails, self.heads, self.caps, self.costs = [], [], [], []
        self.nodes = 2  # 0 = source, 1 = sink
        self.ids: dict = {}
        self.pairs: list[tuple[int, object, object]] = []  # (arc, jobseeker, employer)
        self._wide: set[str] = set()

    def node(self, key) -> int:
        if key not in self.ids:
            self.ids[key] = self.nodes
            self.nodes += 1
        return self.ids[key]

    def arc(self, tail: int, head: int, cap: int, cost: int = 0) -> int:
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(cap)
        self.costs.append(cost)
        return len(self.tails) - 1

    def jobseeker(self, j, cap: int = 1, bonuses: tuple[int, ...] = ()) -> int:
        """The jobseeker's node, with `cap` units from the source; the first ones earn `bonuses`
        (falling: the flow takes the most profitable unit first, so this is exact)."""
        key = ("j", j.id)
        if key not in self.ids:
            jn = self.node(key)
            paid = [b for b in bonuses[:cap] if b > 0]
            for b in paid:
                self.arc(0, jn, 1, -b)
            if cap > len(paid):
                self.arc(0, jn, cap - len(paid))
        return self.ids[key]

    def pair(self, j, e, profit: int) -> None:
        """A possible meeting; a jobseeker with a jobcoach goes through the employer's wide tables."""
        if j.jobcoach:
            self._wide.add(e.id)
        head = self.node(("w", e.id)) if j.jobcoach else self.node(("e", e.id))
        self.pairs.append((self.arc(self.jobseeker(j), head, 1, -profit), j, e))

    def employers(self, inst: Instance, tables, wide) -> None:
        """Close the network: each employer's table capacity, and the wide tables within it."""
        for e in inst.employers:
            if ("e", e.id) in self.ids or e.id in self._wide:
                self.arc(self.node(("e", e.id)), 1, tables(e))
            if e.id in self._wide:
                self.arc(self.node(("w", e.id)), self.node(("e", e.id)), max(wide(e), 0))

    def chosen(self) -> tuple[list[tuple], int]:
        """Solve; the pairs that carry flow, and the profit."""
        if not self.pairs:
            return [], 0
        supply = sum(c for t, c in zip(self.tails, self.caps) if t == 0)
        flows, profit = _flow(self.tails, self.heads, self.caps, self.costs, self.nodes, 0, 1, max(supply, 1))
        return [(j, e) for arc, j, e in self.pairs if flows[arc] > 0], profit


def _aggregate(st: _State) -> tuple[list[tuple], int]:
    """Step 1: the pairs to meet and the flow's profit (an upper bound on what can be added)."""
    inst, net = st.inst, _Network()
    for j in inst.jobseekers:
        cap = min(j.max_meetings - st.count(j.id), st.free_slots(j))
        if cap <= 0:
            continue
        have = st.count(j.id)
        bonuses = tuple(inst.bonus_for(j.id, have + n) for n in range(1, inst.bonus_slots(j.id) - have + 1))
        busy = st.busy[j.id]
        for eid, w in j.preferences.items():
            if w <= 0 or (j.id, eid) in st.met:
                continue
            e = inst.employer_by_id[eid]
            if any(r not in busy and st.used[(eid, r)] < e.tables and
                   (not j.jobcoach or st.wide_used[(eid, r)] < e.wide)
                   for r in j.available_rounds & e.available_rounds):
                net.jobseeker(j, cap, bonuses)
                net.pair(j, e, w)
    net.employers(inst,
                  tables=lambda e: sum(e.tables - st.used[(e.id, r)] for r in e.available_rounds),
                  wide=lambda e: sum(min(e.wide - st.wide_used[(e.id, r)], e.tables - st.used[(e.id, r)])
                                     for r in e.available_rounds))
    return net.chosen()


def _place_by_round(st: _State, pairs: list[tuple]) -> list[tuple]:
    """Step 2: give each chosen pair a round. Returns the pairs that found none. (Not cut short by
    the time limit: it is the first plan there is, a tenth of a second for 5,000 people.)"""
    inst = st.inst
    left = {(j.id, e.id): (j, e) for j, e in pairs}
    common = {key: sorted(j.available_rounds & e.available_rounds) for key, (j, e) in left.items()}
    for r in range(inst.rounds):
        if not left:
            break
        deg_j, deg_e = Counter(), Counter()
        for j, e in left.values():
            deg_j[j.id] += 1
            deg_e[e.id] += 1
        net = _Network()
        for key, (j, e) in left.items():
            if r not in j.available_rounds or r not in e.available_rounds or not st.can_place(j, e, r):
                continue
            later = sum(1 for q in common[key] if q >= r)
            j_slack = st.free_slots(j, r) - deg_j[j.id]
            e_slack = sum(e.tables - st.used[(e.id, q)] for q in e.available_rounds if q >= r) - deg_e[e.id]
            prio = (1000 * (later == 1) + 400 * (j_slack <= 0) + 400 * (e_slack <= 0) + 50 * (j_slack == 1)
                    + 50 * (e_slack == 1) + 10 * (inst.rounds - later) + j.preferences[e.id])
            net.pair(j, e, prio)
        for j, e in _round_capacities(net, st, r).chosen()[0]:
            st.place(j, e, r)
            del left[(j.id, e.id)]
    return list(left.values())


def _round_capacities(net: _Network, st: _State, r: int) -> _Network:
    """The tables still free in round r."""
    net.employers(st.inst, tables=lambda e: e.tables - st.used[(e.id, r)],
                  wide=lambda e: e.wide - st.wide_used[(e.id, r)])
    return net


def _relocate(st: _State, j, e, r: int) -> bool:
    """Move j's meeting with e (in round r) to another round, if one is free for both."""
    for q in sorted(j.available_rounds & e.available_rounds):
        if q == r:
            continue
        st.remove(j, e, r)
        if st.can_place(j, e, q):
            st.place(j, e, q)
            return True
        st.place(j, e, r)
    return False


def _repair(st: _State, unplaced: list[tuple], deadline: float = float("inf"), clock=time.perf_counter) -> None:
    """Step 3a: place leftover pairs, moving one other meeting out of the way where needed."""
    inst = st.inst
    for j, e in sorted(unplaced, key=lambda p: -p[0].preferences[p[1].id]):
        if clock() > deadline:
            return
        rounds = sorted(j.available_rounds & e.available_rounds)
        direct = next((r for r in rounds if st.can_place(j, e, r)), None)
        if direct is not None:
            st.place(j, e, direct)
            continue
        for r in rounds:
            other = st.busy[j.id].get(r)
            if other is not None and Meeting(j.id, other, r) not in st.locked:
                if _relocate(st, j, inst.employer_by_id[other], r) and st.can_place(j, e, r):
                    st.place(j, e, r)
                    break
            elif other is None and st.used[(e.id, r)] >= e.tables:
                moved = False
                for jid2 in sorted(st.seated[(e.id, r)]):
                    if Meeting(jid2, e.id, r) not in st.locked:
                        if _relocate(st, inst.jobseeker_by_id[jid2], e, r):
                            moved = True
                            break
                if moved and st.can_place(j, e, r):
                    st.place(j, e, r)
                    break


def _improve(st: _State, deadline: float, clock=time.perf_counter) -> None:
    """Step 3c (after 3b, _sweep_rounds): local moves that raise the total, until none is left or time is up (the clock is
    read for every jobseeker: one pass over 5,000 people can take longer than the whole limit)."""
    inst = st.inst
    improved = True
    while improved and clock() < deadline:
        improved = False
        # Upgrade: swap a meeting for a better employer free in the same round.
        for n, j in enumerate(inst.jobseekers):
            if n % 64 == 0 and clock() > deadline:
                return
            for r, eid in list(st.busy[j.id].items()):
                if Meeting(j.id, eid, r) in st.locked:
                    continue
                e = inst.employer_by_id[eid]
                w = j.preferences[eid]
                st.remove(j, e, r)
                best = max((inst.employer_by_id[k] for k, w2 in j.preferences.items() if w2 > w
                            and st.can_place(j, inst.employer_by_id[k], r)),
                           key=lambda e2: j.preferences[e2.id], default=None)
                if best is not None:
                    st.place(j, best, r)
                    improved = True
                else:
                    st.place(j, e, r)
        # Cover: a jobseeker short of their bonus meetings takes a seat from someone who keeps
        # all of theirs (with cover_meetings 1: an uncovered person, from someone with two or more).
        if inst.coverage_bonus:
            for j in inst.jobseekers:
                if st.count(j.id) >= min(inst.bonus_slots(j.id), j.max_meetings):
                    continue
                if clock() > deadline:
                    return
                done = False
                for eid, w in sorted(j.preferences.items(), key=lambda kv: -kv[1]):
                    e = inst.employer_by_id[eid]
                    for r in sorted(j.available_rounds & e.available_rounds):
                        for jid2 in sorted(st.seated[(eid, r)]):
                            if Meeting(jid2, eid, r) not in st.locked and _take_seat(st, j, w, e, r,
                                                                                     inst.jobseeker_by_id[jid2]):
                                done = improved = True
                                break
                        if done:
                            break
                    if done:
                        break
                if not done and st.count(j.id) == 0 and _augment(st, j, clock, deadline):
                    improved = True


def _round_value(st: _State, j, r: int) -> int:
    """What j's meeting in round r adds to the total: its weight, and the bonus of the meeting
    that it makes (the others stay)."""
    eid = st.busy[j.id].get(r)
    if eid is None:
        return 0
    return j.preferences.get(eid, 0) + st.inst.bonus_for(j.id, st.count(j.id))


def _reseat_round(st: _State, r: int) -> bool:
    """Re-plan one whole round exactly, every other round staying as it is: with the rest fixed, a
    round is a b-matching (each jobseeker at most one employer, each employer its tables and wide
    tables), so a min-cost flow finds its best seating in one go, moving any number of people at
    once where the local moves change one or three. Applied only when the total rises."""
    inst = st.inst
    net = _Network()
    current = 0
    movable = []
    for j in inst.jobseekers:
        if r not in j.available_rounds:
            continue
        eid = st.busy[j.id].get(r)
        if eid is not None and Meeting(j.id, eid, r) in st.locked:
            continue
        if eid is not None:
            current += _round_value(st, j, r)
            movable.append((j, inst.employer_by_id[eid]))
        others = {q: k for q, k in st.busy[j.id].items() if q != r}
        if len(others) >= j.max_meetings or (j.needs_break and (r - 1 in others or r + 1 in others)):
            continue
        bonus = inst.bonus_for(j.id, len(others) + 1)
        met = set(others.values())
        for k, w in j.preferences.items():
            if w > 0 and k not in met and r in inst.employer_by_id[k].available_rounds:
                net.pair(j, inst.employer_by_id[k], w + bonus)
    if not net.pairs:
        return False
    fixed, fixed_wide = Counter(), Counter()
    for m in st.locked:
        if m.round == r:
            fixed[m.employer_id] += 1
            fixed_wide[m.employer_id] += inst.jobseeker_by_id[m.jobseeker_id].jobcoach
    net.employers(inst, tables=lambda e: max(e.tables - fixed[e.id], 0),
                  wide=lambda e: min(e.wide - fixed_wide[e.id], e.tables - fixed[e.id]))
    chosen, profit = net.chosen()
    if profit <= current:
        return False
    for j, e in movable:
        st.remove(j, e, r)
    for j, e in chosen:
        st.place(j, e, r)
    return True


def _sweep_rounds(st: _State, deadline: float, clock=time.perf_counter) -> bool:
    """Step 3b: re-plan round after round (_reseat_round) until a whole pass changes nothing."""
    changed, any_change = True, False
    while changed and clock() < deadline:
        changed = False
        for r in range(st.inst.rounds):
            if clock() >= deadline:
                break
            if _reseat_round(st, r):
                changed = any_change = True
    return any_change


# How many seats one chain search (_augment) may try. The search branches over every seat of every
# person it moves: on the hard 5,000-person event (tables full, 2,000 people without a meeting)
# one search took up to 30 s and found nothing; with this limit 400 searches take 1.4 s. Three-move
# chains such as the one in the tests need a handful of tries, and after the whole-round re-plans
# nobody is left without a meeting on the hard 400- and 1,500-person events anyway.
AUGMENT_TRIES = 60


def _augment(st: _State, j, clock, deadline: float, depth: int = 3, tries: int = AUGMENT_TRIES) -> bool:
    """A first meeting for j along a chain of moves: j takes a seat, whoever sat there takes another
    seat of theirs, and so on (up to `depth` moves), ending at a free table. Everyone moved keeps
    their number of meetings; the chain is kept when j's meeting (and its bonus) outweighs what the
    moved people lose in weight. This finds the seat a round's matching would, where no single
    swap does (people who are there for one round crowd that round)."""
    inst = st.inst
    placed: list[tuple] = []  # (person, employer, round) taken along the chain
    displaced: list[tuple] = []  # (person, employer, round) given up along the chain

    def options(person):
        for eid, w in sorted(person.preferences.items(), key=lambda kv: -kv[1]):
            if w <= 0 or (person.id, eid) in st.met:
                continue
            e = inst.employer_by_id[eid]
            for r in sorted(person.available_rounds & e.available_rounds):
                yield e, r

    left = [tries]

    def seat(person, level: int, seen: frozenset) -> bool:
        left[0] -= 1
        if left[0] < 0 or clock() > deadline:
            return False
        for e, r in options(person):
            if st.can_place(person, e, r):
                st.place(person, e, r)
                placed.append((person, e, r))
                return True
        if person is not j and st.count(person.id) >= 1:
            return True  # someone who keeps another meeting may end the chain by giving this one up
        if level == 0:
            return False
        for e, r in options(person):
            for oid in sorted(st.seated[(e.id, r)]):
                if oid in seen or Meeting(oid, e.id, r) in st.locked:
                    continue
                other = inst.jobseeker_by_id[oid]
                st.remove(other, e, r)
                if st.can_place(person, e, r):
                    st.place(person, e, r)
                    placed.append((person, e, r))
                    displaced.append((other, e, r))
                    if seat(other, level - 1, seen | {oid}):
                        return True
                    displaced.pop()
                    placed.pop()
                    st.remove(person, e, r)
                st.place(other, e, r)
        return False

    if not seat(j, depth, frozenset({j.id})):
        return False
    gain = (inst.bonus_for(j.id, 1) + sum(p.preferences[e.id] for p, e, _ in placed)
            - sum(p.preferences[e.id] for p, e, _ in displaced))
    last = displaced[-1][0] if displaced else None
    if last is not None and not any(p is last for p, _, _ in placed):
        gain -= inst.bonus_for(last.id, st.count(last.id) + 1)  # the meeting they gave up, and its bonus
    if gain > 0:
        return True
    for p, e, r in reversed(placed):
        st.remove(p, e, r)
    for p, e, r in displaced:
        st.place(p, e, r)
    return False


def _take_seat(st: _State, j, w: int, e, r: int, j2) -> bool:
    """j, short of their bonus meetings, takes j2's seat at e in round r when the total rises. j2
    goes elsewhere if they can (the same employer in another round loses nothing; another employer
    the difference in weight), or else loses that meeting and its bonus."""
    inst = st.inst
    gain = w + inst.bonus_for(j.id, st.count(j.id) + 1)
    st.remove(j2, e, r)
    if not st.can_place(j, e, r):
        st.place(j2, e, r)
        return False
    st.place(j, e, r)
    w2 = j2.preferences[e.id]
    moved, loss = None, w2 + inst.bonus_for(j2.id, st.count(j2.id) + 1)
    # Anywhere else j2 can still go (this employer in another round loses nothing), best first.
    for k, w3 in sorted(j2.preferences.items(), key=lambda kv: (kv[0] != e.id, -kv[1])):
        if w2 - w3 >= loss:
            break
        e3 = inst.employer_by_id[k]
        q = next((q for q in sorted(j2.available_rounds & e3.available_rounds)
                  if (q, k) != (r, e.id) and st.can_place(j2, e3, q)), None)
        if q is not None:
            moved, loss = (j2, e3, q), max(w2 - w3, 0)
            break
    if gain > loss:
        if moved is not None:
            st.place(*moved)
        return True
    st.remove(j, e, r)
    st.place(j2, e, r)
    return False


def _employer_neighbourhood(inst: Instance, meetings: list[Meeting], free: set[str]
                            ) -> tuple[Instance, list[Meeting], frozenset[str]]:
    """The sub-problem of re-planning every meeting of the `free` employers while all other meetings
    stay: each jobseeker keeps the rounds, meetings and breaks the kept meetings leave them."""
    kept = [m for m in meetings if m.employer_id not in free]
    by_js: dict[str, list[Meeting]] = defaultdict(list)
    for m in kept:
        by_js[m.jobseeker_id].append(m)
    jobseekers = []
    for j in inst.jobseekers:
        mine = by_js.get(j.id, [])
        left = j.max_meetings - len(mine)
        prefs = {eid: w for eid, w in j.preferences.items() if w > 0 and eid in free}
        if left <= 0 or not prefs:
            continue
        busy = {m.round for m in mine}
        rounds = set(j.available_rounds) - busy
        if j.needs_break:
            rounds -= {r + d for r in busy for d in (-1, 1)}
        if rounds:
            jobseekers.append(Jobseeker(j.id, left, frozenset(rounds), prefs, j.needs_break, j.jobcoach))
    sub = Instance(inst.rounds, [e for e in inst.employers if e.id in free], jobseekers, inst.coverage_bonus)
    sub.locked = [m for m in inst.locked if m.employer_id in free]
    sub.covered = inst.covered
    # The meetings kept outside count towards each jobseeker's bonus meetings.
    sub.cover_meetings = inst.cover_meetings
    sub.held = {j.id: inst.held_count(j.id) + len(by_js.get(j.id, ())) for j in jobseekers}
    return sub, kept, frozenset()


def _lns(inst: Instance, meetings: list[Meeting], deadline: float, size: int = 3, step: float = 0.3,
         seed: int = 0, watch: Watch | None = None, bound: int = 0,
         started: float = 0.0) -> tuple[list[Meeting], int]:
    """Step 5, large neighbourhood search: re-plan all meetings of a few related employers at a time
    exactly (CP-SAT on that small model, the rest fixed) and keep the result when the total rises.
    Related: employers that many of the same jobseekers want, so seats can change hands among them."""
    rng = random.Random(seed)
    ids = [e.id for e in inst.employers]
    shared: dict[str, Counter] = defaultdict(Counter)
    for j in inst.jobseekers:
        wanted = [eid for eid, w in j.preferences.items() if w > 0]
        for a in wanted:
            shared[a].update(b for b in wanted if b != a)
    best = objective(inst, meetings)
    clock = watch.clock if watch else time.perf_counter
    while len(ids) > 1 and clock() + 0.05 < deadline:
        first = rng.choice(ids)
        near = [eid for eid, _ in shared[first].most_common(3 * size)]
        free = {first, *rng.sample(near, min(size - 1, len(near)))}
        sub, kept, covered = _employer_neighbourhood(inst, meetings, free)
        if not sub.jobseekers:
            continue
        result = solve_exact(sub, time_limit=min(step, deadline - time.perf_counter()), workers=1,
                             hint=[m for m in meetings if m.employer_id in free], already_covered=covered,
                             stop=watch.stop_event if watch else None)
        if result.meetings is None:
            continue
        candidate = kept + result.meetings
        total = objective(inst, candidate)
        if total > best:
            best, meetings = total, candidate
            if watch:
                watch.report("lns", best, bound, time.perf_counter() - started)
    return meetings, best


def _variables(inst: Instance) -> int:
    return sum(len(j.available_rounds & inst.employer_by_id[eid].available_rounds)
               for j in inst.jobseekers for eid, w in j.preferences.items() if w > 0)


def plan(inst: Instance, time_limit: float = 10.0, polish: bool = True, watch: Watch | None = None) -> Plan:
    """The best plan found within `time_limit` seconds. The first plan (the flow's pairs placed
    round by round) is always made; every step after it reads the clock and stops where it is, so
    the planner returns within the limit plus that first plan's time, whatever the size. With a
    `watch`, it reports its best total after each step and stops early when told (watch.py; the
    app runs it in a child process, background.py)."""
    started = time.perf_counter()
    clock = watch.clock if watch else time.perf_counter

    def report(step: str) -> None:
        if watch:
            watch.report(step, total, bound, time.perf_counter() - started)
    deadline = started + time_limit
    st = _State(inst)
    for m in inst.locked:
        st.place(inst.jobseeker_by_id[m.jobseeker_id], inst.employer_by_id[m.employer_id], m.round)
    base = objective(inst, st.meetings())
    pairs, profit = _aggregate(st)
    bound = base + profit
    unplaced = _place_by_round(st, pairs)
    method = "flow"
    if unplaced:
        _repair(st, unplaced, deadline, clock)
    meetings = st.meetings()
    total = objective(inst, meetings)
    report("flow")
    if total < bound:
        # Whole-round re-plans (the first pass also fills every free table) and local moves take
        # turns until neither finds more (or three quarters of the time left is used; the rest is
        # for CP-SAT and the neighbourhood search).
        local_end = deadline - 0.25 * (deadline - time.perf_counter())
        _sweep_rounds(st, local_end, clock)
        _improve(st, local_end, clock)
        while _sweep_rounds(st, local_end, clock):
            _improve(st, local_end, clock)
        meetings = st.meetings()
        total = objective(inst, meetings)
        report("improve")
    optimal = total >= bound
    remaining = deadline - clock()
    if not optimal and polish and remaining > 0.5 and _variables(inst) <= POLISH_MAX_VARIABLES:
        # The whole model first, for a tenth of the time: where it can prove the optimum it mostly
        # does so at once. On the hard events it found nothing in a third of the time, which the
        # neighbourhood search below turns into more (400x30x8: 7400 -> 7401, 1500x100x10: 28844 -> 28848).
        exact = solve_exact(inst, time_limit=max(0.5, remaining / 10), hint=meetings, upper_bound=bound,
                            stop=watch.stop_event if watch else None)
        if exact.meetings is not None and exact.total > total:
            meetings, total = exact.meetings, exact.total
            method = "flow+cp-sat"
        bound = min(bound, exact.bound) if exact.status != "UNKNOWN" else bound
        optimal = exact.optimal or total >= bound
        report("cp-sat")
    if not optimal and polish and deadline - clock() > 0.3:
        better, better_total = _lns(inst, meetings, deadline, watch=watch, bound=bound, started=started)
        if better_total > total:
            meetings, total = better, better_total
            method += "+lns"
        optimal = total >= bound
    return Plan(meetings, total, bound, optimal, time.perf_counter() - started, method)
