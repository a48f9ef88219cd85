import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from eventtool.planning import Instance, Meeting, objective, parse_instance, plan, violations
from eventtool.planning.exact import solve_exact
from eventtool.planning.generate import generate
from eventtool.planning.greedy import plan_greedy
from eventtool.planning.instance import Employer, InstanceError, Jobseeker, load_instance


@st.composite
def instances(draw, max_js=7, max_emp=4, max_rounds=5, support=True):
    rounds = draw(st.integers(1, max_rounds))
    round_sets = st.frozensets(st.integers(0, rounds - 1))
    emps = [Employer(id=f"E{k}", tables=draw(st.integers(1, 3)), available_rounds=draw(round_sets),
                     wide_tables=draw(st.one_of(st.none(), st.integers(0, 2))) if support else None)
            for k in range(draw(st.integers(1, max_emp)))]
    js = []
    for i in range(draw(st.integers(0, max_js))):
        prefs = draw(st.dictionaries(st.sampled_from([e.id for e in emps]), st.integers(1, 12), max_size=len(emps)))
        js.append(Jobseeker(id=f"J{i}", max_meetings=draw(st.integers(0, rounds)), available_rounds=draw(round_sets),
                            preferences=prefs, needs_break=support and draw(st.booleans()),
                            jobcoach=support and draw(st.booleans())))
    return Instance(rounds=rounds, employers=emps, jobseekers=js, coverage_bonus=draw(st.integers(0, 20)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_plan_keeps_every_rule(inst):
    result = plan(inst, time_limit=5, polish=False)
    assert violations(inst, result.meetings) == []
    assert result.total == objective(inst, result.meetings) <= result.upper_bound
    assert violations(inst, plan_greedy(inst)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_js=6, max_emp=3, max_rounds=4))
def test_planner_reaches_the_exact_optimum_on_small_instances(inst):
    exact = solve_exact(inst, time_limit=20)
    assert exact.optimal
    result = plan(inst, time_limit=20)
    assert result.optimal and result.total == exact.total
    assert violations(inst, result.meetings) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_js=6, max_emp=3, max_rounds=4), st.data())
def test_locked_meetings_stay_and_the_rest_is_replanned(inst, data):
    first = plan(inst, time_limit=5, polish=False).meetings
    if not first:
        return
    keep = data.draw(st.lists(st.sampled_from(first), unique=True, max_size=3))
    locked = parse_instance(dict(inst.to_json(), locked=[
        {"jobseeker_id": m.jobseeker_id, "employer_id": m.employer_id, "round": m.round} for m in keep]))
    result = plan(locked, time_limit=10)
    assert set(keep) <= set(result.meetings)
    assert violations(locked, result.meetings) == []
    assert result.total == solve_exact(locked, time_limit=20).total


def test_json_round_trip_and_defaults():
    inst = parse_instance({"rounds": 3, "employers": [{"id": "E", "tables": 2}],
                           "jobseekers": [{"id": "J", "preferences": {"E": 4}}]})
    j, e = inst.jobseekers[0], inst.employers[0]
    assert j.max_meetings == 3 and j.available_rounds == {0, 1, 2} and e.available_rounds == {0, 1, 2}
    assert inst.coverage_bonus == 0
    again = parse_instance(json.loads(json.dumps(inst.to_json())))
    assert again.to_json() == inst.to_json()


@pytest.mark.parametrize("data,message", [
    ({"employers": [], "jobseekers": []}, "rounds must be an integer"),
    ({"rounds": 0, "employers": [], "jobseekers": []}, "rounds must be >= 1"),
    ({"rounds": 2, "employers": [{"id": "E", "tables": 0}], "jobseekers": []}, "tables must be >= 1"),
    ({"rounds": 2, "employers": [{"id": "E", "tables": True}], "jobseekers": []}, "must be an integer"),
    ({"rounds": 2, "employers": [{"id": "E", "available_rounds": [2]}], "jobseekers": []}, "numbered 0..1"),
    ({"rounds": 2, "employers": [{"id": "E"}, {"id": "E"}], "jobseekers": []}, "duplicate employer id"),
    ({"rounds": 2, "employers": [], "jobseekers": [{"id": "J", "preferences": {"X": 1}}]}, "unknown employer 'X'"),
    ({"rounds": 2, "employers": [{"id": "E"}], "jobseekers": [{"id": "J", "preferences": {"E": -1}}]}, ">= 1"),
    ({"rounds": 2, "employers": [{"id": "E"}], "jobseekers": [{"id": "J", "preferences": {"E": 1.5}}]}, "integer"),
    ({"rounds": 2, "employers": [], "jobseekers": [{"id": "J", "max_meetings": -1}]}, "max_meetings must be >= 0"),
    ({"rounds": 2, "employers": [], "jobseekers": [{"id": 7}]}, "must be a string"),
    ({"rounds": 2, "coverage_bonus": -3, "employers": [], "jobseekers": []}, "coverage_bonus must be >= 0"),
    ({"rounds": 2, "employers": "E", "jobseekers": []}, "employers must be a list"),
    ([1, 2], "instance must be an object"),
])
def test_malformed_instances_are_refused_with_one_line(data, message):
    with pytest.raises(InstanceError) as exc:
        parse_instance(data)
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_bad_json():
    with pytest.raises(InstanceError, match="not valid JSON"):
        load_instance("{nope")


def test_locked_meetings_must_themselves_be_valid():
    base = {"rounds": 2, "employers": [{"id": "E"}], "jobseekers": [{"id": "J", "preferences": {"E": 1}}]}
    with pytest.raises(InstanceError, match="locked meetings break a rule"):
        parse_instance(dict(base, locked=[{"jobseeker_id": "J", "employer_id": "E", "round": 0},
                                          {"jobseeker_id": "J", "employer_id": "E", "round": 1}]))


def test_coverage_bonus_spreads_meetings():
    # Two jobseekers want the same single-table employer in a single round: with a bonus the
    # planner still picks the higher weight, and it covers whoever it can.
    inst = parse_instance({"rounds": 1, "coverage_bonus": 100,
                           "employers": [{"id": "A"}, {"id": "B"}],
                           "jobseekers": [{"id": "J1", "preferences": {"A": 10, "B": 1}},
                                          {"id": "J2", "preferences": {"A": 5}}]})
    result = plan(inst)
    assert set(result.meetings) == {Meeting("J1", "B", 0), Meeting("J2", "A", 0)}
    assert result.total == 1 + 5 + 200 and result.optimal


def test_support_needs_are_respected():
    inst = parse_instance({"rounds": 4, "employers": [{"id": "A", "tables": 2, "wide_tables": 1}, {"id": "B"}],
                           "jobseekers": [{"id": "J1", "needs_break": True, "preferences": {"A": 5, "B": 5}},
                                          {"id": "J2", "jobcoach": True, "preferences": {"A": 5}},
                                          {"id": "J3", "jobcoach": True, "preferences": {"A": 5}}]})
    result = plan(inst)
    rounds = sorted(m.round for m in result.meetings if m.jobseeker_id == "J1")
    assert len(rounds) == 2 and rounds[1] - rounds[0] >= 2
    coach_rounds = [m.round for m in result.meetings if m.jobseeker_id in ("J2", "J3")]
    assert len(coach_rounds) == 2 and len(set(coach_rounds)) == 2  # one wide table at A
    assert violations(inst, result.meetings) == []


@pytest.mark.parametrize("size", [(60, 12, 6), (300, 40, 8)])
def test_generated_instances_are_planned_to_proven_optimality(size):
    inst = generate(*size, seed=7, support=True)
    result = plan(inst, time_limit=30)
    assert violations(inst, result.meetings) == []
    assert result.optimal and result.total == result.upper_bound
    assert result.total > objective(inst, plan_greedy(inst))


def test_hard_family_is_shaped_as_described():
    inst = generate(1000, 120, 10, seed=3, hard=True)
    short = sum(1 for j in inst.jobseekers if len(j.available_rounds) <= 3) / len(inst.jobseekers)
    breaks = sum(j.needs_break for j in inst.jobseekers) / len(inst.jobseekers)
    coaches = sum(j.jobcoach for j in inst.jobseekers) / len(inst.jobseekers)
    limited = sum(e.wide_tables is not None for e in inst.employers) / len(inst.employers)
    assert 0.75 < short < 0.9 and 0.25 < breaks < 0.35 and 0.07 < coaches < 0.13 and 0.2 < limited < 0.4


@pytest.mark.parametrize("time_limit", [0, 2])
def test_out_of_time_still_gives_a_valid_plan(time_limit):
    """With no time left the planner stops where it is and hands back what it has: every rule kept,
    and never below the first placement of the flow's pairs."""
    inst = generate(600, 40, 8, seed=5, hard=True)
    result = plan(inst, time_limit=time_limit)
    assert violations(inst, result.meetings) == []
    assert result.total > 0 and result.total <= result.upper_bound


def test_seat_index_follows_every_move():
    """The index of who sits where (used to find a seat to free) matches the schedule after the
    whole-round re-plans and local moves have moved meetings around."""
    from eventtool.planning.solver import _improve, _State, _sweep_rounds
    inst = generate(300, 30, 8, seed=11, hard=True)
    st_ = _State(inst)
    for m in plan_greedy(inst):
        st_.place(inst.jobseeker_by_id[m.jobseeker_id], inst.employer_by_id[m.employer_id], m.round)
    _sweep_rounds(st_, float("inf"))
    _improve(st_, float("inf"))
    seated = {key: jids for key, jids in st_.seated.items() if jids}
    expected = {}
    for jid, rounds in st_.busy.items():
        for r, eid in rounds.items():
            expected.setdefault((eid, r), set()).add(jid)
    assert seated == expected
    assert violations(inst, st_.meetings()) == []


def test_two_sided_preferences_in_the_exchange_format():
    """An employer's wish adds to the pair's weight; 'rather not' from either side means no meeting,
    also by hand; an instance without these fields is read exactly as before; written back, it
    says what each side said (not the combined weights)."""
    import json

    from eventtool.planning import plan as make_plan, violations as check
    from eventtool.planning.instance import load_instance
    from eventtool.planning.instance import Meeting as M
    data = {"rounds": 2, "employers": [{"id": "E1", "tables": 1, "wants": {"J2": 5}, "avoids": ["J3"]},
                                       {"id": "E2", "tables": 1}],
            "jobseekers": [{"id": "J1", "max_meetings": 1, "preferences": {"E1": 3}},
                           {"id": "J2", "max_meetings": 1, "preferences": {"E2": 2}},
                           {"id": "J3", "max_meetings": 2, "preferences": {"E1": 9, "E2": 1}, "avoids": ["E2"]}]}
    inst = load_instance(json.dumps(data))
    assert inst.jobseeker_by_id["J2"].preferences == {"E2": 2, "E1": 5}
    assert inst.jobseeker_by_id["J3"].preferences == {}  # E1 would rather not, and J3 would rather not E2
    result = make_plan(inst, time_limit=5)
    assert M("J3", "E1", 0) not in result.meetings and all(m.jobseeker_id != "J3" for m in result.meetings)
    assert any(m.jobseeker_id == "J2" and m.employer_id == "E1" for m in result.meetings)  # 5 beats 2
    assert check(inst, [M("J3", "E1", 0)])[0].startswith("rather not")
    assert inst.to_json()["employers"][0]["wants"] == {"J2": 5}
    assert inst.to_json()["jobseekers"][2] == data["jobseekers"][2] | {"available_rounds": [0, 1]}
    assert load_instance(json.dumps(inst.to_json())).jobseeker_by_id["J2"].preferences == {"E2": 2, "E1": 5}
    plain = load_instance(json.dumps({k: v for k, v in data.items()} | {"employers": [{"id": "E1"}, {"id": "E2"}],
                                                                      "jobseekers": data["jobseekers"][:2]}))
    assert plain.jobseeker_by_id["J2"].preferences == {"E2": 2} and plain.jobseeker_by_id["J2"].stated is None


@st.composite
def fair_instances(draw):
    """Instances with the fairness option: the bonus on each of the first k meetings, and some
    meetings already held outside the instance."""
    inst = draw(instances(max_js=6, max_emp=3, max_rounds=4))
    inst.cover_meetings = draw(st.integers(1, 3))
    inst.coverage_bonus = draw(st.integers(1, 40))
    inst.held = {j.id: draw(st.integers(0, 2)) for j in inst.jobseekers if draw(st.booleans())}
    return inst


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fair_instances())
def test_with_a_minimum_of_k_meetings_the_planner_still_reaches_the_exact_optimum(inst):
    """The bound stays a bound and the planner, its greedy steps and CP-SAT agree on the objective
    with the bonus on each jobseeker's first k meetings (less what they already held)."""
    quick = plan(inst, time_limit=5, polish=False)
    assert violations(inst, quick.meetings) == [] and quick.total == objective(inst, quick.meetings) <= quick.upper_bound
    exact = solve_exact(inst, time_limit=20)
    assert exact.optimal and exact.total == objective(inst, exact.meetings)
    result = plan(inst, time_limit=20)
    assert result.optimal and result.total == exact.total and exact.total <= quick.upper_bound
    assert parse_instance(json.loads(json.dumps(inst.to_json()))).to_json() == inst.to_json()


def test_first_meetings_for_everyone_then_second_ones_before_any_better_match():
    """Two employers, one table each, two rounds: four seats for three people. J1 is the best match
    for both. Weight alone gives J1 both of them; the minimum of two gives everyone a first
    meeting before anyone a second (max-min), and only then the best match."""
    base = {"rounds": 2, "coverage_bonus": 0, "employers": [{"id": "A"}, {"id": "B"}],
            "jobseekers": [{"id": "J1", "preferences": {"A": 10, "B": 10}},
                           {"id": "J2", "preferences": {"A": 1, "B": 1}},
                           {"id": "J3", "preferences": {"A": 1, "B": 1}}]}
    counts = lambda meetings: dict(Counter(m.jobseeker_id for m in meetings))  # noqa: E731
    assert counts(plan(parse_instance(base)).meetings)["J1"] == 2  # J1, and two meetings for one other
    fair = parse_instance(dict(base, coverage_bonus=21, cover_meetings=2))
    result = plan(fair)
    assert sorted(counts(result.meetings).values()) == [1, 1, 2] and result.optimal
    assert counts(result.meetings)["J1"] == 2  # the spare seat goes to the best match
    # Held meetings count towards the minimum: J1 had two already and earns no bonus here.
    held = parse_instance(dict(base, coverage_bonus=21, cover_meetings=2, held={"J1": 2}))
    assert held.bonus_slots("J1") == 0 and held.bonus_slots("J2") == 2
    assert (held.bonus_for("J2", 1), held.bonus_for("J2", 2)) == (42, 21)
    assert counts(plan(held).meetings) == {"J2": 2, "J3": 2}  # second meetings (21) outweigh J1's 10


def test_a_chain_of_moves_gives_someone_their_first_meeting_where_no_single_swap_does():
    """J0 is there for round 2 only and wants A, where J1 sits. J1 can only go to C, where J3 sits,
    and J3 can go on to D: three moves, and everyone has a meeting. Taking J1's seat alone would
    only trade one uncovered person for another."""
    import time

    from eventtool.planning import solver
    inst = parse_instance({"rounds": 2, "coverage_bonus": 30, "employers": [
        {"id": "A", "available_rounds": [0, 1]}, {"id": "C", "available_rounds": [0]}, {"id": "D"}],
        "jobseekers": [{"id": "J0", "available_rounds": [1], "preferences": {"A": 5}},
                       {"id": "J1", "preferences": {"A": 5, "C": 5}},
                       {"id": "J2", "available_rounds": [0], "preferences": {"A": 5}},
                       {"id": "J3", "preferences": {"C": 5, "D": 5}}]})
    st = solver._State(inst)
    for jid, eid, r in (("J1", "A", 1), ("J2", "A", 0), ("J3", "C", 0)):
        st.place(inst.jobseeker_by_id[jid], inst.employer_by_id[eid], r)
    before = objective(inst, st.meetings())
    assert not solver._take_seat(st, inst.jobseeker_by_id["J0"], 5, inst.employer_by_id["A"], 1,
                                 inst.jobseeker_by_id["J1"])
    assert solver._augment(st, inst.jobseeker_by_id["J0"], time.perf_counter, time.perf_counter() + 5)
    after = st.meetings()
    assert violations(inst, after) == [] and objective(inst, after) == before + 5 + 30
    assert sorted(Counter(m.jobseeker_id for m in after).values()) == [1, 1, 1, 1]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fair_instances(), st.data())
def test_a_round_is_replanned_to_its_exact_optimum_with_the_other_rounds_kept(inst, data):
    """_reseat_round re-plans one whole round by a flow: the total it reaches is what CP-SAT proves
    best when every meeting outside that round is fixed. It never lowers the total, keeps every rule
    and every locked meeting, and leaves the other rounds exactly as they were."""
    from eventtool.planning import solver
    greedy = plan_greedy(inst)
    if not greedy:
        return
    r = data.draw(st.integers(0, inst.rounds - 1))
    # A start with room to improve: round r keeps only some of its meetings.
    start = [m for m in greedy if m.round != r or data.draw(st.booleans())]
    locked_here = data.draw(st.lists(st.sampled_from(start), unique=True, max_size=2)) if start else []
    inst.locked = [m for m in locked_here if not violations(inst, [m])]
    state = solver._State(inst)
    for m in start:
        state.place(inst.jobseeker_by_id[m.jobseeker_id], inst.employer_by_id[m.employer_id], m.round)
    before = objective(inst, state.meetings())
    solver._reseat_round(state, r)
    after = state.meetings()
    assert violations(inst, after) == [] and set(inst.locked) <= set(after)
    assert {m for m in after if m.round != r} == {m for m in start if m.round != r}
    assert objective(inst, after) >= before
    # The same question for CP-SAT: only round r is free, everything else is locked.
    others = [m for m in start if m.round != r]
    fixed = {}
    for m in others + [m for m in inst.locked if m.round == r]:
        fixed.setdefault(m.jobseeker_id, set()).add(m.round)
    only_r = Instance(inst.rounds, inst.employers,
                      [Jobseeker(j.id, j.max_meetings, frozenset((j.available_rounds & {r}) | fixed.get(j.id, set())),
                                 j.preferences, j.needs_break, j.jobcoach) for j in inst.jobseekers],
                      inst.coverage_bonus, locked=others + [m for m in inst.locked if m.round == r],
                      covered=inst.covered, cover_meetings=inst.cover_meetings, held=inst.held)
    exact = solve_exact(only_r, time_limit=20)
    assert exact.optimal and objective(inst, after) == exact.total


def test_a_chain_search_gives_up_after_its_tries_and_changes_nothing():
    """Where the tables are full a chain search could run for half a minute; it stops after a
    number of tries, and a search that stops leaves every meeting where it was."""
    import time

    from eventtool.planning import solver
    inst = generate(300, 12, 6, seed=3, hard=True)
    state = solver._State(inst)
    for m in plan_greedy(inst):
        state.place(inst.jobseeker_by_id[m.jobseeker_id], inst.employer_by_id[m.employer_id], m.round)
    without = [j for j in inst.jobseekers if state.count(j.id) == 0 and j.preferences]
    assert without
    before = sorted(state.meetings(), key=str)
    for j in without:
        assert not solver._augment(state, j, time.perf_counter, time.perf_counter() + 5, tries=1)
    assert sorted(state.meetings(), key=str) == before
