"""The survey page behind a personal link, and the staff follow-up page: each action changes the
record it was drawn for and nothing else."""
from datetime import datetime, timedelta

from sqlmodel import select

from eventtool.core.config import TZ
from eventtool.results.models import Outcome
from eventtool.results import surveys

from ..results.conftest import link, past_speedmeet


def outcomes(db):
    return db.read(lambda s: sorted((o.jobseeker_id, o.employer_id, o.kind, o.source, o.hours_per_week,
                                     o.rejected_at is not None) for o in s.exec(select(Outcome))))


def test_a_jobseeker_answers_and_answers_again(app, page_db):
    past = past_speedmeet(page_db)
    page_db.write(surveys.queue_due, ["1w"])
    token = link(page_db, "jobseeker", past.people[0])
    at = app(page="views/survey.py", query={"t": token})
    assert not at.exception
    sid = page_db.read(surveys.view, token).survey_id
    assert "Speedmeet zorg" in at.markdown[0].value or any("Speedmeet zorg" in m.value for m in at.markdown)
    at.radio(key=f"sv_any_{sid}").set_value(True).run()
    at.multiselect(key=f"sv_who_{sid}").set_value([past.employers[1]]).run()
    at.selectbox(key=f"sv_kind_{sid}_{past.employers[1]}").set_value("job").run()
    at.button(key=f"sv_send_{sid}").click().run()
    assert any("uur per week" in e.value for e in at.error)  # a job says how many hours
    assert outcomes(page_db) == []
    at.number_input(key=f"sv_hours_{sid}_{past.employers[1]}").set_value(24.0).run()
    at.button(key=f"sv_send_{sid}").click().run()
    assert not at.exception and any("Dank u wel" in s.value for s in at.success)
    assert outcomes(page_db) == [(past.people[0], past.employers[1], "job", "self", 24.0, False)]

    again = app(page="views/survey.py", query={"t": token})  # opened again from the mail
    assert any("al beantwoord" in i.value for i in again.info)
    assert again.multiselect(key=f"sv_who_{sid}").value == [past.employers[1]]
    again.radio(key=f"sv_any_{sid}").set_value(False).run()
    again.button(key=f"sv_send_{sid}").click().run()
    assert outcomes(page_db) == [(past.people[0], None, "none", "self", None, False)]


def test_an_employer_answers_about_the_people_they_met(app, page_db):
    past = past_speedmeet(page_db)
    page_db.write(surveys.queue_due, ["1w"])
    token = link(page_db, "employer", past.employers[0])
    at = app(page="views/survey.py", query={"t": token}, lang="en")
    sid = page_db.read(surveys.view, token).survey_id
    kinds = [s for s in at.selectbox if s.key.startswith(f"sv_kind_{sid}_")]
    assert sorted(int(s.key.rsplit("_", 1)[1]) for s in kinds) == sorted(past.people[:2])
    assert any("talked with jobseekers" in m.value for m in at.markdown)
    at.session_state["lang"] = "nl"  # AppTest formats a chosen value outside the run, in Dutch
    at.run()
    at.selectbox(key=f"sv_kind_{sid}_{past.people[1]}").set_value("second_interview").run()
    at.button(key=f"sv_send_{sid}").click().run()
    assert any("Dank u wel" in s.value for s in at.success)
    assert outcomes(page_db) == [(past.people[1], past.employers[0], "second_interview", "employer", None, False)]


def test_a_broken_link_gets_a_friendly_page(app, page_db):
    at = app(page="views/survey.py", query={"t": "not-a-real-token-at-all-1234567"})
    assert not at.exception and "werkt niet" in at.warning[0].value
    assert not at.button


def test_no_more_questions_asks_first(app, page_db):
    past = past_speedmeet(page_db)
    page_db.write(surveys.queue_due, ["1w"])
    token = link(page_db, "jobseeker", past.people[1])
    at = app(page="views/survey.py", query={"t": token})
    sid = page_db.read(surveys.view, token).survey_id
    at.button(key=f"sv_stop_{sid}").click().run()
    assert page_db.read(surveys.view, token).declined is False
    at.button(key=f"survey_stop_yes_{sid}").click().run()
    assert page_db.read(surveys.view, token).declined is True


def test_staff_record_a_follow_up_call_for_the_row_they_clicked(app, page_db):
    past = past_speedmeet(page_db, days_ago=400)
    started = datetime.now(TZ) - timedelta(days=200)
    page_db.write(lambda s: s.add_all([Outcome(jobseeker_id=p, employer_id=past.employers[0], event_id=past.event.id,
                                               kind="job", occurred_on=started, hours_per_week=30)
                                       for p in past.people]))
    at = app(role="organiser", page="views/follow_up.py")
    assert not at.exception
    assert "3 mensen aan het werk geholpen" in at.markdown[0].value or any(
        "3 mensen aan het werk geholpen" in m.value for m in at.markdown)
    before = outcomes(page_db)
    at.button(key=f"follow_ended_{past.people[1]}_6").click().run()
    after = outcomes(page_db)
    assert sorted(set(after) - set(before)) == [(past.people[1], past.employers[0], "job_ended", "organiser", None, False)]
    assert len(after) == len(before) + 1
    assert not [b for b in at.button if b.key == f"follow_ended_{past.people[1]}_6"]
    assert [b for b in at.button if b.key == f"follow_ended_{past.people[0]}_6"]


def test_one_placement_and_one_work_experience_place_read_in_the_singular(app, page_db):
    past = past_speedmeet(page_db, days_ago=400)
    started = datetime.now(TZ) - timedelta(days=200)
    page_db.write(lambda s: s.add_all([
        Outcome(jobseeker_id=past.people[0], employer_id=past.employers[0], event_id=past.event.id, kind="job",
                occurred_on=started, hours_per_week=30),
        Outcome(jobseeker_id=past.people[1], employer_id=past.employers[1], event_id=past.event.id,
                kind="trial_placement", occurred_on=started)]))
    at = app(role="organiser", page="views/follow_up.py")
    assert not at.exception
    assert any("1 persoon aan het werk geholpen. Na 6 maanden: 0 van 1 nog aan het werk (1 nog niet bekend). "
               "Na 12 maanden: 0 van 0 (0 nog niet bekend)." in m.value for m in at.markdown)
    at.session_state["follow_tab"] = "Banenafspraak en SROI"
    at.run()
    at.date_input(key="follow_ba_start").set_value((started - timedelta(days=1)).date()).run()
    at.date_input(key="follow_ba_end").set_value(datetime.now(TZ).date()).run()
    assert not at.exception
    assert any(m.value == "1 baan (0,00 Banenafspraak-eenheden), 1 werkervaringsplek of leerwerktraject."
               for m in at.markdown)


def test_staff_settle_contradicting_answers(app, page_db):
    past = past_speedmeet(page_db)
    page_db.write(surveys.queue_due, ["1w"])
    first, employer = past.people[0], past.employers[0]
    page_db.write(surveys.answer, link(page_db, "jobseeker", first), [{"subject": employer, "kind": "job",
                                                                       "hours_per_week": 20}], {})
    page_db.write(surveys.answer, link(page_db, "employer", employer), [{"subject": first, "kind": "none"}], {})
    at = app(role="organiser", page="views/follow_up.py")
    at.session_state["follow_tab"] = "Tegenstrijdige antwoorden"
    at.run()
    (conflict,) = page_db.read(surveys.conflicts)
    keep = conflict.claims[0].outcome_id  # the person's own 'job'
    at.button(key=f"follow_keep_{keep}").click().run()
    assert not at.exception
    assert outcomes(page_db) == sorted([(first, employer, "job", "self", 20.0, False),
                                        (first, employer, "none", "employer", None, True)])
    assert page_db.read(surveys.conflicts) == []
