from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from eventtool import planning
from eventtool.registration import registration
from eventtool.planning import speedmeet
from eventtool.core.errors import DomainError
from eventtool.events.models import Meeting
from eventtool.core.timeutil import to_local

from ..conftest import company, person


@pytest.fixture
def speedmeet_event(db, create_event):
    ev = create_event(kind="speedmeet", capacity_jobseekers=40, capacity_employers=10)
    emps = [db.write(registration.register_employer, ev.id, company(n, sectors=[s], recruiters=t)).registration.employer_id
            for n, (s, t) in enumerate([("care", 2), ("ict", 1), ("green", 1), ("care", 1)])]
    people = []
    for n in range(12):
        picks = [emps[n % 4], emps[(n + 1) % 4]]
        extra = {}
        if n == 0:
            extra = dict(support_needs=["break_between"], consent_special=True)
        if n == 1:
            extra = dict(support_needs=["jobcoach"], consent_special=True)
        signup = db.write(registration.register_jobseeker, ev.id, person(100 + n, interests=["care"], **extra), picks=picks)
        people.append(signup.registration)
    start = to_local(ev.starts_at)
    db.write(speedmeet.save_settings, ev.id, dict(rounds=4, round_minutes=10, break_minutes=5,
                                                  first_round_at=start + timedelta(minutes=10), max_meetings=3,
                                                  coverage_bonus=10))
    return ev, emps, people


def test_instance_from_registrations(db, speedmeet_event):
    ev, emps, people = speedmeet_event
    inst = db.read(speedmeet.build_instance, ev.id)
    assert inst.rounds == 4 and len(inst.employers) == 4 and len(inst.jobseekers) == 12
    first = inst.jobseeker_by_id[f"J{people[0].jobseeker_id}"]
    assert first.needs_break and not first.jobcoach
    assert first.preferences[f"E{emps[0]}"] == 10 and first.preferences[f"E{emps[1]}"] == 8
    assert first.preferences[f"E{emps[3]}"] == speedmeet.INTEREST_WEIGHT  # care, not picked
    # Green: neither picked nor of interest, still a conversation to plan, below every pick and interest.
    assert first.preferences[f"E{emps[2]}"] == speedmeet.BASE_WEIGHT < speedmeet.INTEREST_WEIGHT
    assert inst.jobseeker_by_id[f"J{people[1].jobseeker_id}"].jobcoach
    assert inst.employer_by_id[f"E{emps[0]}"].tables == 2 and inst.employer_by_id[f"E{emps[0]}"].wide == 1


def test_plan_is_stored_valid_and_optimal(db, speedmeet_event):
    ev, _, _ = speedmeet_event
    summary = db.write(speedmeet.run_planner, ev.id, time_limit=10)
    assert summary.optimal and summary.meetings > 0 and summary.jobseekers_without_meeting == 0
    view = db.read(speedmeet.plan_view, ev.id)
    assert len(view.meetings) == summary.meetings and view.settings.total == summary.total
    inst = db.read(speedmeet.build_instance, ev.id)
    plan = [planning.Meeting(f"J{r['jobseeker_id']}", f"E{r['employer_id']}", r["round"]) for r in view.meetings]
    assert planning.violations(inst, plan) == []
    # Table numbers stay within the employer's tables.
    tables = {e.id: e.tables for e in inst.employers}
    assert all(r["table_no"] <= tables[f"E{r['employer_id']}"] for r in view.meetings)
    grid = speedmeet.grid(view)
    assert sum(len(col) for col in grid.values()) == summary.meetings


def test_hand_moves_are_checked_and_locked(db, speedmeet_event):
    ev, emps, _ = speedmeet_event
    db.write(speedmeet.run_planner, ev.id)
    view = db.read(speedmeet.plan_view, ev.id)
    row = view.meetings[0]
    same_person = [r for r in view.meetings if r["jobseeker_id"] == row["jobseeker_id"] and r["id"] != row["id"]]
    if same_person:
        with pytest.raises(DomainError, match="planning.rule_1"):
            db.write(speedmeet.move_meeting, row["id"], same_person[0]["round"])
    with pytest.raises(DomainError, match="planning.range"):
        db.write(speedmeet.move_meeting, row["id"], 99)
    free_rounds = [r for r in range(4) if r not in {m["round"] for m in view.meetings if m["jobseeker_id"] == row["jobseeker_id"]}]
    for target in free_rounds:
        try:
            db.write(speedmeet.move_meeting, row["id"], target)
        except DomainError:
            continue
        moved = db.read(lambda s: s.exec(select(Meeting).where(Meeting.jobseeker_id == row["jobseeker_id"],
                                                                 Meeting.employer_id == row["employer_id"])).one())
        assert moved.round == target and moved.locked
        # Re-planning keeps the hand-made decision.
        db.write(speedmeet.run_planner, ev.id)
        again = db.read(lambda s: s.exec(select(Meeting).where(Meeting.jobseeker_id == row["jobseeker_id"],
                                                                 Meeting.employer_id == row["employer_id"])).one())
        assert again.round == target and again.locked
        break


def test_lock_and_replan(db, speedmeet_event):
    ev, _, _ = speedmeet_event
    db.write(speedmeet.run_planner, ev.id)
    row = db.read(speedmeet.plan_view, ev.id).meetings[-1]
    db.write(speedmeet.set_locked, row["id"], True)
    db.write(speedmeet.run_planner, ev.id)
    after = db.read(speedmeet.plan_view, ev.id).meetings
    assert any((r["jobseeker_id"], r["employer_id"], r["round"], r["locked"]) ==
               (row["jobseeker_id"], row["employer_id"], row["round"], True) for r in after)


def test_late_arrival_is_respected(db, speedmeet_event):
    ev, _, people = speedmeet_event
    db.write(speedmeet.set_availability, people[2].id, [2, 3])
    db.write(speedmeet.run_planner, ev.id)
    rounds = [r["round"] for r in db.read(speedmeet.plan_view, ev.id).meetings if r["jobseeker_id"] == people[2].jobseeker_id]
    assert rounds and set(rounds) <= {2, 3}
    with pytest.raises(DomainError, match="planning.round_out_of_range"):
        db.write(speedmeet.set_availability, people[2].id, [7])


def test_settings_rules(db, speedmeet_event, create_event):
    ev, _, _ = speedmeet_event
    start = to_local(ev.starts_at)
    with pytest.raises(DomainError, match="planning.rounds_outside_event"):
        db.write(speedmeet.save_settings, ev.id, dict(rounds=30, round_minutes=15, break_minutes=5,
                                                      first_round_at=start, max_meetings=3, coverage_bonus=0))
    other = create_event(kind="meet_greet")
    with pytest.raises(DomainError, match="planning.not_a_speedmeet"):
        db.read(speedmeet.get_settings, other.id)


def test_publish(db, speedmeet_event):
    ev, _, _ = speedmeet_event
    with pytest.raises(DomainError, match="planning.nothing_to_publish"):
        db.write(speedmeet.publish, ev.id)
    db.write(speedmeet.run_planner, ev.id)
    assert db.write(speedmeet.publish, ev.id).status == "published"


def test_a_series_remembers_who_met(db):
    """A monthly speedmeet: who met an employer last month (and came) is not planned with them
    again, unless they pick that employer again; with a repeat penalty the pair is allowed, worth
    that much less. Someone who did not come last month met no one."""
    from datetime import datetime

    from eventtool.dayof import checkin
    from eventtool.events import events
    from eventtool.core.config import TZ
    first = (datetime.now(TZ) + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    series = db.write(events.create_series, dict(kind="speedmeet", title="Speedmeet Zorg", starts_at=first,
                                                 ends_at=first + timedelta(hours=2), capacity_jobseekers=20,
                                                 capacity_employers=5, status="published"),
                      events.SeriesRule("WEEKLY", weekday=first.weekday(), count=2))
    june, july = db.read(events.series_events, series.id)
    care = [db.write(registration.register_employer, ev.id, company(1, sectors=["care"])).registration.employer_id
            for ev in (june, july)][0]
    came, stayed_home, picks_again = [db.write(registration.register_jobseeker, june.id, person(n, interests=["care"]))
                                      .registration for n in (1, 2, 3)]
    for ev in (june, july):
        start = to_local(ev.starts_at)
        db.write(speedmeet.save_settings, ev.id, dict(rounds=2, round_minutes=10, break_minutes=5,
                                                      first_round_at=start + timedelta(minutes=10), max_meetings=2,
                                                      coverage_bonus=0))
    db.write(speedmeet.run_planner, june.id, time_limit=5)
    assert {m.jobseeker_id for m in db.read(lambda s: s.exec(select(Meeting).where(Meeting.event_id == june.id)).all())} \
        == {came.jobseeker_id, stayed_home.jobseeker_id, picks_again.jobseeker_id}
    for reg in (came, picks_again):
        db.write(checkin.check_in, reg.id)
    for n in (1, 2):  # the same people sign up for July (found again by their e-mail address)
        db.write(registration.register_jobseeker, july.id, person(n, interests=["care"]))
    db.write(registration.register_jobseeker, july.id, person(3, interests=["care"]), picks=[care])

    def worth(jobseeker_id):
        return db.read(speedmeet.build_instance, july.id).jobseeker_by_id[f"J{jobseeker_id}"].preferences.get(f"E{care}")
    assert worth(came.jobseeker_id) is None  # met last month: not again
    assert worth(stayed_home.jobseeker_id) == speedmeet.INTEREST_WEIGHT  # did not come, so never met
    assert worth(picks_again.jobseeker_id) == speedmeet.PICK_WEIGHTS[0]  # asked for it again
    start = to_local(july.starts_at)
    db.write(speedmeet.save_settings, july.id, dict(rounds=2, round_minutes=10, break_minutes=5,
                                                    first_round_at=start + timedelta(minutes=10), max_meetings=2,
                                                    coverage_bonus=0, repeat_penalty=1))
    assert worth(came.jobseeker_id) == speedmeet.INTEREST_WEIGHT - 1
    summary = db.write(speedmeet.run_planner, july.id, time_limit=5)
    assert summary.meetings == 3


def wait_for(event_id: int, timeout: float = 60) -> speedmeet.PlanJob:
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = speedmeet.planning_job(event_id)
        if job.finished:
            return job
        time.sleep(0.05)
    raise AssertionError("planning did not finish")


@pytest.fixture
def no_jobs():
    yield
    speedmeet.stop_all_jobs(timeout=30)


def test_planning_in_the_background_stores_the_plan_and_audits_it(db, speedmeet_event, no_jobs):
    from eventtool.core.audit import entries
    ev, _, _ = speedmeet_event
    job = speedmeet.start_planning(db, ev.id, 10, "organiser@example.nl")
    with pytest.raises(DomainError) as caught:
        speedmeet.start_planning(db, ev.id, 10, "someone-else@example.nl")
    assert caught.value.code == "planning.already_running"
    job = wait_for(ev.id)
    assert job.error is None and job.summary.meetings == len(db.read(speedmeet.plan_view, ev.id).meetings) > 0
    assert db.read(speedmeet.get_settings, ev.id).status == "draft"
    assert [(e.actor, e.action, e.subject) for e in db.read(entries)][:1] == [
        ("organiser@example.nl", "speedmeet.run_planner", str(ev.id))]


def test_a_change_while_planning_means_planning_again(db, speedmeet_event, no_jobs):
    ev, emps, _ = speedmeet_event
    speedmeet.start_planning(db, ev.id, 10, "organiser@example.nl")
    # The child needs a moment to start; a sign-up lands before its plan does.
    db.write(registration.register_jobseeker, ev.id, person(999), picks=[emps[0]])
    job = wait_for(ev.id)
    assert job.error == "planning.changed_meanwhile" and job.summary is None
    assert db.read(speedmeet.plan_view, ev.id).meetings == []  # nothing was stored
    assert wait_for(ev.id) is job and speedmeet.start_planning(db, ev.id, 10, "organiser@example.nl") is not job


def test_stopping_every_job_stores_the_best_plan_so_far_and_forgets_the_jobs(db, speedmeet_event, no_jobs):
    ev, _, _ = speedmeet_event
    job = speedmeet.start_planning(db, ev.id, 120, "organiser@example.nl")
    assert speedmeet.stop_all_jobs(timeout=30) is True
    assert job.run.stopping and job.finished and job.error is None and job.summary.seconds < 30
    assert speedmeet.planning_job(ev.id) is None  # forgotten: the next start is a new job
    assert len(db.read(speedmeet.plan_view, ev.id).meetings) == job.summary.meetings > 0
    assert speedmeet.stop_all_jobs() is True  # nothing left to stop


def test_stopping_takes_the_best_plan_so_far(db, speedmeet_event, no_jobs):
    ev, _, _ = speedmeet_event
    job = speedmeet.start_planning(db, ev.id, 120, "organiser@example.nl")
    speedmeet.stop_planning(ev.id, job.number + 1)  # another job's stop button: nothing happens
    assert not job.run.stopping
    speedmeet.stop_planning(ev.id, job.number)
    job = wait_for(ev.id, timeout=15)
    assert job.error is None and job.summary.seconds < 15


def test_employers_wishes_shape_the_plan_and_hand_edits(db, speedmeet_event):
    ev, emps, people = speedmeet_event
    ict, green = emps[1], emps[2]
    # Person 5 picked 'green' and 'care'; the ICT employer would like to meet them, 'green' rather not.
    fifth = people[5].jobseeker_id
    db.write(speedmeet.set_wishes, ev.id, ict, [fifth], [])
    db.write(speedmeet.set_wishes, ev.id, green, [], [fifth])
    inst = db.read(speedmeet.build_instance, ev.id)
    j = inst.jobseeker_by_id[f"J{fifth}"]
    assert j.preferences.get(f"E{ict}") == speedmeet.WANT_WEIGHT + j.stated.get(f"E{ict}", 0)
    assert f"E{green}" not in j.preferences and f"E{green}" in j.stated
    db.write(speedmeet.run_planner, ev.id)
    met = {m["employer_id"] for m in db.read(speedmeet.plan_view, ev.id).meetings if m["jobseeker_id"] == fifth}
    assert green not in met and ict in met
    some = next(m for m in db.read(speedmeet.plan_view, ev.id).meetings if m["jobseeker_id"] == fifth)
    with pytest.raises(DomainError) as caught:
        db.write(speedmeet.move_meeting, some["id"], some["round"], green)
    assert caught.value.code == "planning.rather_not"
    with pytest.raises(DomainError) as caught:
        db.write(speedmeet.set_wishes, ev.id, ict, [fifth], [fifth])
    assert caught.value.code == "planning.want_and_avoid"
    assert db.read(speedmeet.wishes, ev.id) == {ict: ({fifth}, set()), green: (set(), {fifth})}


def test_walk_ins_replan_only_the_remaining_rounds(db, speedmeet_event):
    ev, emps, _ = speedmeet_event
    db.write(speedmeet.run_planner, ev.id)
    before = db.read(speedmeet.plan_view, ev.id).meetings
    held = {(m["jobseeker_id"], m["employer_id"], m["round"]) for m in before if m["round"] < 2}
    walk_in = db.write(registration.add_walk_in, ev.id, person(500, interests=["care"])).registration.jobseeker_id
    with pytest.raises(DomainError):
        db.write(speedmeet.run_planner, ev.id, from_round=4)  # there is no round 5
    summary = db.write(speedmeet.run_planner, ev.id, from_round=2)
    after = db.read(speedmeet.plan_view, ev.id).meetings
    assert {(m["jobseeker_id"], m["employer_id"], m["round"]) for m in after if m["round"] < 2} == held
    assert all(m["locked"] for m in after if m["round"] < 2)  # they happened
    assert any(m["jobseeker_id"] == walk_in for m in after) and all(m["round"] >= 2 for m in after
                                                                    if m["jobseeker_id"] == walk_in)
    pairs = [(m["jobseeker_id"], m["employer_id"]) for m in after]
    assert len(pairs) == len(set(pairs))  # nobody meets an employer twice
    inst = db.read(speedmeet.build_instance, ev.id)
    inst.locked = []
    assert planning.violations(inst, [planning.Meeting(f"J{m['jobseeker_id']}", f"E{m['employer_id']}", m["round"])
                                      for m in after]) == []
    assert summary.meetings == len(after) and summary.upper_bound is None


def test_a_wish_entered_after_a_round_was_held_does_not_undo_it(db, speedmeet_event):
    """The rounds held are facts: an employer's 'rather not' about someone they already met only
    shapes the rounds still to come, and the plan can still be published and edited."""
    ev, _, _ = speedmeet_event
    db.write(speedmeet.run_planner, ev.id)
    met = next(m for m in db.read(speedmeet.plan_view, ev.id).meetings if m["round"] == 0)
    db.write(speedmeet.set_wishes, ev.id, met["employer_id"], [], [met["jobseeker_id"]])
    # The planning process gets the instance in the exchange format: it must read back the same.
    rest = db.read(speedmeet.remaining_instance, ev.id, 1)
    again = planning.parse_instance(rest.to_json())
    assert {j.id: j.preferences for j in again.jobseekers} == {j.id: j.preferences for j in rest.jobseekers}
    db.write(speedmeet.run_planner, ev.id, from_round=1)
    after = db.read(speedmeet.plan_view, ev.id).meetings
    assert (met["jobseeker_id"], met["employer_id"], 0) in {(m["jobseeker_id"], m["employer_id"], m["round"])
                                                            for m in after}
    assert not [m for m in after if m["round"] >= 1 and (m["jobseeker_id"], m["employer_id"]) ==
                (met["jobseeker_id"], met["employer_id"])]
    db.write(speedmeet.publish, ev.id)
    assert db.read(speedmeet.get_settings, ev.id).status == "published"
    # A hand move in a later round is still checked in full, with the held round standing.
    later = next(m for m in after if m["round"] == 1)
    db.write(speedmeet.move_meeting, later["id"], 1)  # refused before: round 0 broke the new wish
    assert len(db.read(speedmeet.plan_view, ev.id).meetings) == len(after)


def test_the_fairness_option_gives_everyone_the_minimum_before_the_best_matches(db, create_event):
    """Five seats an hour at one care employer and one ict employer, six people: by weight the two
    people who picked the care employer talk to both; with 'at least 1' everyone present talks."""
    ev = create_event(kind="speedmeet", capacity_jobseekers=40, capacity_employers=10)
    care = db.write(registration.register_employer, ev.id, company(1, sectors=["care"], recruiters=1)).registration.employer_id
    ict = db.write(registration.register_employer, ev.id, company(2, sectors=["ict"], recruiters=1)).registration.employer_id
    keen = [db.write(registration.register_jobseeker, ev.id, person(10 + n, interests=["care", "ict"]),
                     picks=[care, ict]).registration.jobseeker_id for n in range(2)]
    others = [db.write(registration.register_jobseeker, ev.id, person(20 + n, interests=["care"])).registration.jobseeker_id
              for n in range(2)]
    start = to_local(ev.starts_at) + timedelta(minutes=10)
    settings = dict(rounds=2, round_minutes=10, break_minutes=0, first_round_at=start, max_meetings=2, coverage_bonus=0)
    db.write(speedmeet.save_settings, ev.id, settings)
    db.write(speedmeet.run_planner, ev.id, time_limit=5)
    talked = lambda: {m.jobseeker_id for m in db.read(lambda s: s.exec(select(Meeting)).all())}  # noqa: E731
    assert talked() == set(keen)  # by weight alone the keen two take all four seats
    with pytest.raises(Exception) as refused:
        db.write(speedmeet.save_settings, ev.id, dict(settings, min_meetings=3))
    assert "min_meetings" in str(getattr(refused.value, "errors", refused.value))
    db.write(speedmeet.save_settings, ev.id, dict(settings, min_meetings=1))
    inst = db.read(speedmeet.build_instance, ev.id)
    assert inst.cover_meetings == 1 and inst.coverage_bonus == speedmeet.fairness_bonus(inst) > 0
    db.write(speedmeet.run_planner, ev.id, time_limit=5)
    assert talked() == set(keen) | set(others)
    view = db.read(speedmeet.plan_view, ev.id)
    assert view.jobseekers_without_meeting == [] and view.below_minimum == []


def test_a_walk_in_without_picks_or_interests_is_planned_in_the_rounds_to_come(db, speedmeet_event):
    """Someone added at the door (or a client a coach signed up) names no employer and no sector:
    every employer is still worth a conversation to them, below what picks and interests are worth."""
    ev, emps, people = speedmeet_event
    db.write(speedmeet.run_planner, ev.id)
    db.write(speedmeet.publish, ev.id)
    held = {(m["jobseeker_id"], m["employer_id"], m["round"]) for m in db.read(speedmeet.plan_view, ev.id).meetings
            if m["round"] < 1}
    walk_in = db.write(registration.add_walk_in, ev.id, dict(name="Deur Binnenloper", phone="0612345678",
                                                                  consent_registration=True))
    walk_in = walk_in.registration.jobseeker_id
    worth = db.read(speedmeet.build_instance, ev.id).jobseeker_by_id[f"J{walk_in}"].preferences
    assert worth == {f"E{e}": speedmeet.BASE_WEIGHT for e in emps}
    picked = db.read(speedmeet.build_instance, ev.id).jobseeker_by_id[f"J{people[4].jobseeker_id}"].preferences
    assert min(picked[f"E{e}"] for e in (emps[0], emps[1])) > speedmeet.INTEREST_WEIGHT > speedmeet.BASE_WEIGHT
    db.write(speedmeet.run_planner, ev.id, from_round=1)
    view = db.read(speedmeet.plan_view, ev.id)
    mine = [m for m in view.meetings if m["jobseeker_id"] == walk_in]
    assert mine and all(m["round"] >= 1 for m in mine)
    assert "Deur Binnenloper" not in view.jobseekers_without_meeting
    assert {(m["jobseeker_id"], m["employer_id"], m["round"]) for m in view.meetings if m["round"] < 1} == held


def _names_in_messages(db, name: str, *, but_to: str) -> list[tuple[str, str]]:
    """Messages still to be sent to anyone else that carry `name`."""
    from eventtool.messages.models import Message
    rows = db.read(lambda s: s.exec(select(Message).where(Message.status == "queued")).all())
    return [(m.kind, m.to_address) for m in rows if m.to_address != but_to
            and any(name in (text or "") for text in (m.subject, m.body_text, m.body_html, m.ics, m.to_name))]


def _entries(ics: str) -> list:
    """The entries of a message's calendar files (one VCALENDAR per UID)."""
    return [ve for cal in Calendar.from_ical(ics, multiple=True) for ve in cal.walk("VEVENT")]


@pytest.mark.parametrize("how", ["code", "staff", "erasure"])
def test_a_cancellation_takes_the_person_out_of_a_published_plan(db, speedmeet_event, how):
    """Cancelled by their code, by staff or by erasing the person: their conversations go, the
    slots are free, the employers they would have met get their changed schedule (and calendar),
    and their name is nowhere left: grid, lists, calendars, messages still to be sent. (With staff,
    the schedules are still in the outbox: those that name the person are withdrawn, and the
    employer gets a first schedule without them.)"""
    from eventtool.events import calendars
    from eventtool.dayof import exports
    from eventtool.privacy import privacy
    from eventtool.messages import outbox
    from eventtool.messages.models import Message
    from eventtool.registration.models import Registration
    ev, emps, people = speedmeet_event
    signup = db.write(registration.register_jobseeker, ev.id, person(777, name="Afzegger Annemiek"),
                      picks=[emps[1], emps[2]])
    db.write(speedmeet.run_planner, ev.id)
    db.write(speedmeet.publish, ev.id)
    leaving = signup.registration
    theirs = [m for m in db.read(speedmeet.plan_view, ev.id).meetings if m["jobseeker_id"] == leaving.jobseeker_id]
    assert theirs
    met = {m["employer_id"] for m in theirs}
    before = {m["id"] for m in db.read(speedmeet.plan_view, ev.id).meetings}
    # By key: SQLite may give a new row the id of one withdrawn.
    old_keys = set(db.read(lambda s: s.exec(select(Message.key)).all()))
    sent = how != "staff"
    if sent:
        for mid in db.read(lambda s: s.exec(select(Message.id)).all()):
            db.write(outbox.mark_sent, mid)

    if how == "code":
        db.write(registration.cancel_by_code, signup.code)
    elif how == "staff":
        db.write(registration.set_status, leaving.id, "cancelled")
    else:
        db.write(privacy.erase_person, leaving.jobseeker_id)

    view = db.read(speedmeet.plan_view, ev.id)
    assert {m["id"] for m in view.meetings} == before - {m["id"] for m in theirs}  # exactly theirs went
    assert not db.read(lambda s: s.exec(select(Meeting).where(Meeting.jobseeker_id == leaving.jobseeker_id)).all())
    shown = [m["jobseeker"] for m in view.meetings] + [m["employer"] for m in view.meetings]
    assert "?" not in shown and "Afzegger Annemiek" not in shown
    grid = speedmeet.grid(view)
    assert "Afzegger Annemiek" not in str(grid)
    free = {(m["employer"], m["table_no"], str(m["round"] + 1)) for m in theirs}
    assert all(r not in grid[f"{org} · {t}"] for org, t, r in free)  # an empty cell: the slot is free
    for employer_id in met:
        sheet = db.read(exports.attendance, ev.id, employer_id=employer_id, lang="nl")
        assert sheet.rows and "Afzegger Annemiek" not in str(sheet.rows) and "?" not in str(sheet.rows)
        ics = db.read(calendars.personal_ics, ev.id, employer_id=employer_id)
        assert b"Afzegger" not in ics
    new = [m for m in db.read(lambda s: s.exec(select(Message)).all()) if m.key not in old_keys]
    changed = {(m.kind, m.employer_id) for m in new if m.kind.startswith("schedule")}
    kind = "schedule_changed" if sent else "schedule"
    assert changed == {(kind, e) for e in met}  # only those whose schedule changed
    for m in new:
        if m.kind == "schedule_changed":
            cal = _entries(m.ics)
            assert "Afzegger" not in m.body_text + m.ics
            assert "CANCELLED" in {str(v["status"]) for v in cal}  # the talk leaves their calendar
    assert _names_in_messages(db, "Afzegger", but_to="persoon777@example.nl") == []
    if not sent:  # their own schedule, not sent yet, is withdrawn too
        own_kinds = {m.kind for m in db.read(lambda s: s.exec(select(Message).where(
            Message.to_address == "persoon777@example.nl")).all())}
        assert "cancelled" in own_kinds and not own_kinds & {"schedule", "schedule_changed", "schedule_removed"}
    if how != "erasure":  # (an erasure takes their own messages too)
        [own] = [m for m in new if m.kind == "cancelled"]
        entries = _entries(own.ics)
        # The event, and the conversations they were sent (none when their schedule never went out).
        assert len(entries) == 1 + (len(theirs) if sent else 0)
        assert {str(v["status"]) for v in entries} == {"CANCELLED"}
    assert db.read(lambda s: s.get(Registration, leaving.id)).status == "cancelled"


def test_an_employer_who_cancels_leaves_the_plan_and_their_jobseekers_are_told(db, speedmeet_event):
    from eventtool.messages import outbox
    from eventtool.messages.models import Message
    from eventtool.registration.models import Registration
    ev, emps, _ = speedmeet_event
    db.write(speedmeet.run_planner, ev.id)
    db.write(speedmeet.publish, ev.id)
    gone = emps[1]
    talks = [m for m in db.read(speedmeet.plan_view, ev.id).meetings if m["employer_id"] == gone]
    assert talks
    reg_id = db.read(lambda s: s.exec(select(Registration.id).where(Registration.event_id == ev.id,
                                                                   Registration.employer_id == gone)).one())
    for mid in db.read(lambda s: s.exec(select(Message.id)).all()):  # the schedules went out
        db.write(outbox.mark_sent, mid)
    old_keys = set(db.read(lambda s: s.exec(select(Message.key)).all()))
    db.write(registration.cancel_registration, reg_id)
    view = db.read(speedmeet.plan_view, ev.id)
    assert all(m["employer_id"] != gone for m in view.meetings) and "?" not in {m["employer"] for m in view.meetings}
    told = [m for m in db.read(lambda s: s.exec(select(Message).where(Message.kind.startswith("schedule"))).all())
            if m.key not in old_keys]
    assert {m.jobseeker_id for m in told} == {m["jobseeker_id"] for m in talks}
    assert {m.kind for m in told} <= {"schedule_changed", "schedule_removed"}
