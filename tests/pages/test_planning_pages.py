import time
from datetime import timedelta

from eventtool.dayof import dayplan
from eventtool.registration import registration
from eventtool.planning import speedmeet
from eventtool.core.timeutil import to_local

from ..conftest import company, person
from .test_public import make_event


def seed_speedmeet(db):
    ev = make_event(db, kind="speedmeet", title="Speedmeet Zorg", capacity_jobseekers=20, capacity_employers=5)
    emps = [db.write(registration.register_employer, ev.id, company(n, organisation=f"Zorg {n}", sectors=["care"]))
            .registration.employer_id for n in range(3)]
    for n in range(8):
        db.write(registration.register_jobseeker, ev.id, person(n, name=f"Persoon {n}", interests=["care"]),
                 picks=[emps[n % 3]])
    return ev


def finished(event_id: int, timeout: float = 60) -> speedmeet.PlanJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = speedmeet.planning_job(event_id)
        if job is not None and job.finished:
            return job
        time.sleep(0.1)
    raise AssertionError("planning did not finish")


def test_plan_a_speedmeet_from_the_page(app, page_db):
    ev = seed_speedmeet(page_db)
    at = app(role="organiser", page="views/planning.py")
    assert not at.exception
    assert any("nog geen plan" in i.value for i in at.info)
    at.number_input(key=f"pl_{ev.id}_rounds").set_value(3)
    at.get("form_submit_button")[0].click().run()
    assert page_db.read(speedmeet.get_settings, ev.id).rounds == 3
    [b for b in at.button if b.key == f"pl_run_{ev.id}"][0].click().run()
    assert not at.exception
    # Planning runs in the background: the page shows its progress and a stop, then the plan.
    assert any("Het plan wordt gemaakt" in p.proto.text for p in at.get("progress"))
    assert [b for b in at.button if b.key == f"pl_run_{ev.id}"][0].disabled
    finished(ev.id)
    at.run()
    assert any("Plan gemaakt" in s.value for s in at.success)
    grid = next(d.value for d in at.dataframe if str(d.value.index[0]).startswith("Ronde 1"))
    assert len(grid) == 3 and grid.shape[1] >= 3  # rounds x (employer, table)
    assert sum(v != "" for v in grid.to_numpy().ravel()) == len(page_db.read(speedmeet.plan_view, ev.id).meetings)
    assert any("Iedereen heeft minstens één gesprek" in s.value for s in at.success)
    [b for b in at.button if b.key == f"pl_publish_{ev.id}"][0].click().run()
    assert page_db.read(speedmeet.get_settings, ev.id).status == "published"


def test_a_hand_move_that_breaks_a_rule_is_explained(app, page_db):
    ev = seed_speedmeet(page_db)
    page_db.write(speedmeet.save_settings, ev.id, dict(rounds=2, round_minutes=10, break_minutes=5,
                                                        first_round_at=to_local(ev.starts_at) + timedelta(minutes=5),
                                                        max_meetings=2, coverage_bonus=10))
    page_db.write(speedmeet.run_planner, ev.id)
    view = page_db.read(speedmeet.plan_view, ev.id)
    # A jobseeker with two meetings: moving the first into the round of the second breaks rule 1.
    by_person = {}
    for r in view.meetings:
        by_person.setdefault(r["jobseeker_id"], []).append(r)
    first, second = next(rows for rows in by_person.values() if len(rows) == 2)
    at = app(role="organiser", page="views/planning.py")
    at.session_state["pl_tab"] = "Aanpassen"
    at.run()
    at.selectbox(key=f"pl_meeting_{ev.id}").set_value(first["id"]).run()
    at.selectbox(key=f"pl_target_round_{first['id']}").set_value(second["round"]).run()
    [b for b in at.button if b.key == f"pl_move_{first['id']}"][0].click().run()
    assert any("heeft in die ronde al een gesprek" in e.value for e in at.error)
    assert len(page_db.read(speedmeet.plan_view, ev.id).meetings) == len(view.meetings)  # nothing lost


def test_job_fair_day_layout(app, page_db):
    ev = make_event(page_db, kind="job_fair", title="Banenmarkt", capacity_jobseekers=20)
    emp = page_db.write(registration.register_employer, ev.id, company(organisation="Alfa")).registration.employer_id
    page_db.write(registration.register_jobseeker, ev.id, person(name="Leerling", school="VSO De Widdonck"), picks=[emp])
    page_db.write(registration.register_jobseeker, ev.id, person(name="Bezoeker"))
    at = app(role="coordinator", page="views/dayplan.py")
    assert not at.exception
    at.selectbox(key=f"dp_{ev.id}_audience").set_value("pupils")
    at.get("form_submit_button")[0].click().run()
    assert len(page_db.read(dayplan.list_arrival_slots, ev.id)) == 1
    [b for b in at.button if b.key == f"dp_assign_{ev.id}"][0].click().run()
    assert any("1 persoon heeft een aankomsttijd. Zonder plek: 1." in s.value for s in at.success)
    assert at.expander and "Alfa (1)" in at.expander[0].label


def test_meet_and_greet_tables(app, page_db):
    ev = make_event(page_db, kind="meet_greet", capacity_jobseekers=20)
    page_db.write(registration.register_employer, ev.id, company(organisation="Zorg BV", sectors=["care"]))
    for n in range(3):
        page_db.write(registration.register_jobseeker, ev.id, person(n, interests=["care"]))
    at = app(role="organiser", page="views/dayplan.py")
    assert not at.exception
    assert any("Zorg en welzijn" in m.value for m in at.markdown)


def test_series_speedmeet_asks_what_a_second_meeting_is_worth(app, page_db):
    """Only a speedmeet that is part of a series shows the repeat setting; empty means 'not again'."""
    from datetime import datetime

    from eventtool.events import events
    from eventtool.core.config import TZ
    first = (datetime.now(TZ) + timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0)
    series = page_db.write(events.create_series, dict(kind="speedmeet", title="Speedmeet Reeks", starts_at=first,
                                                      ends_at=first + timedelta(hours=2), capacity_jobseekers=20,
                                                      capacity_employers=5, status="published"),
                           events.SeriesRule("WEEKLY", weekday=first.weekday(), count=2))
    ev = page_db.read(events.series_events, series.id)[0]
    single = seed_speedmeet(page_db)
    at = app(role="organiser", page="views/planning.py")
    at.selectbox(key="plan_event").set_value(ev.id).run()
    field = at.number_input(key=f"pl_{ev.id}_repeat_penalty")
    assert field.value is None and "Al eerder gesproken" in field.label
    field.set_value(3)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert page_db.read(speedmeet.get_settings, ev.id).repeat_penalty == 3
    at.selectbox(key="plan_event").set_value(single.id).run()
    assert not [n for n in at.number_input if n.key == f"pl_{single.id}_repeat_penalty"]


def test_employers_wishes_are_saved_for_the_employer_shown(app, page_db):
    ev = seed_speedmeet(page_db)
    parts = page_db.read(speedmeet.participants, ev.id)
    first, second = sorted(parts.employers)[:2]
    person_id = sorted(parts.jobseekers)[0]
    at = app(role="organiser", page="views/planning.py")
    at.selectbox(key=f"pl_wish_employer_{ev.id}").set_value(second).run()
    at.multiselect(key=f"pl_avoids_{ev.id}_{second}").set_value([person_id])  # in a form: sent with its button
    next(b for b in at.get("form_submit_button") if "Wensen opslaan" in b.label).click().run()
    assert not at.exception
    assert page_db.read(speedmeet.wishes, ev.id) == {second: (set(), {person_id})}  # not the first employer
    at.multiselect(key=f"pl_wants_{ev.id}_{second}").set_value([person_id])
    at.multiselect(key=f"pl_avoids_{ev.id}_{second}").set_value([person_id])
    next(b for b in at.get("form_submit_button") if "Wensen opslaan" in b.label).click().run()
    assert any("graag spreken én bij liever niet" in e.value for e in at.error)
    assert page_db.read(speedmeet.wishes, ev.id) == {second: (set(), {person_id})}  # nothing lost
    assert first not in page_db.read(speedmeet.wishes, ev.id)


def test_walk_ins_replan_the_remaining_rounds_from_the_page(app, page_db):
    ev = seed_speedmeet(page_db)
    page_db.write(speedmeet.save_settings, ev.id, dict(rounds=3, round_minutes=10, break_minutes=5,
                                                        first_round_at=to_local(ev.starts_at) + timedelta(minutes=5),
                                                        max_meetings=2, coverage_bonus=10))
    page_db.write(speedmeet.run_planner, ev.id)
    first_round = {(m["jobseeker_id"], m["employer_id"]) for m in page_db.read(speedmeet.plan_view, ev.id).meetings
                   if m["round"] == 0}
    walk_in = page_db.write(registration.add_walk_in, ev.id, person(77, name="Inloop Ida", interests=["care"])
                            ).registration.jobseeker_id
    at = app(role="organiser", page="views/planning.py")
    at.number_input(key=f"pl_from_{ev.id}").set_value(2)
    at.button(key=f"pl_rest_{ev.id}").click().run()
    assert not at.exception
    job = finished(ev.id)
    assert job.error is None and job.from_round == 1
    at.run()
    after = page_db.read(speedmeet.plan_view, ev.id).meetings
    assert {(m["jobseeker_id"], m["employer_id"]) for m in after if m["round"] == 0} == first_round
    assert any(m["jobseeker_id"] == walk_in and m["round"] >= 1 for m in after)


def test_the_minimum_of_conversations_is_set_on_the_page_and_a_minimum_above_the_maximum_is_refused(app, page_db):
    ev = seed_speedmeet(page_db)
    at = app(role="organiser", page="views/planning.py")
    at.number_input(key=f"pl_{ev.id}_max_meetings").set_value(2)
    at.number_input(key=f"pl_{ev.id}_min_meetings").set_value(3)
    at.get("form_submit_button")[0].click().run()
    assert any("niet hoger zijn dan het maximum" in e.value for e in at.error)
    assert page_db.read(speedmeet.get_settings, ev.id).min_meetings is None  # nothing saved
    at.number_input(key=f"pl_{ev.id}_min_meetings").set_value(2)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert page_db.read(speedmeet.get_settings, ev.id).min_meetings == 2
    assert page_db.read(speedmeet.build_instance, ev.id).cover_meetings == 2
