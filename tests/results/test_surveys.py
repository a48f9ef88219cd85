"""Follow-up surveys: who is asked and when, answers becoming outcomes (and answering again
updating them), links that expired or belong to someone else, contradicting answers, reminders,
'no more questions' and the response rate."""
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import func, select

from eventtool.core.config import TZ, parse_waves
from eventtool.core.errors import DomainError, NotFound, ValidationFailed
from eventtool.messages.models import Message
from eventtool.results.models import Outcome
from eventtool.results import surveys
from eventtool.results.models import Survey

from .conftest import link, past_speedmeet


def today() -> date:
    """The day in the Netherlands, as the survey sees it (between 23:00 and 24:00 UTC it is tomorrow there)."""
    return datetime.now(TZ).date()

WAVES = ["1w", "3m", "6m", "12m"]


def count(db, model, *where) -> int:
    return db.read(lambda s: s.exec(select(func.count()).select_from(model).where(*where)).one())


def test_waves_are_read_from_the_setting():
    assert parse_waves("12m, 1w;3m,6m") == ["1w", "3m", "6m", "12m"]
    assert parse_waves("") == []
    for bad in ("1y", "0w", "25m", "m"):
        with pytest.raises(ValueError):
            parse_waves(bad)


def test_the_people_who_came_their_coach_and_the_employers_they_met_are_asked_once(db, past):
    assert db.write(surveys.queue_due, WAVES) == 5
    assert db.write(surveys.queue_due, WAVES) == 0  # once per wave
    rows = db.read(lambda s: s.exec(select(Survey.respondent, Survey.jobseeker_id, Survey.employer_id)).all())
    came, absent = past.people[:2], past.people[2]
    assert sorted(r for r, j, e in rows) == ["coach", "employer", "employer", "jobseeker", "jobseeker"]
    assert {j for r, j, e in rows if r == "jobseeker"} == set(came) and absent not in {j for _, j, _ in rows}
    assert {j for r, j, e in rows if r == "coach"} == {past.people[0]}
    assert {e for r, j, e in rows if r == "employer"} == set(past.employers)  # the second one met person 0
    mails = db.read(lambda s: s.exec(select(Message).where(Message.kind == "survey")).all())
    assert len(mails) == 5 and all(m.survey_id and "[[mijn-aanmelding]]" in m.body_text for m in mails)
    coach_mail = next(m for m in mails if m.to_address == "carla@jobcoach.nl")
    assert "Werkzoekende" in coach_mail.body_text  # asked about their client by name
    employer_mail = next(m for m in mails if m.employer_id == past.employers[0])
    assert "support" not in employer_mail.body_text.lower() and "ondersteuning" not in employer_mail.body_text.lower()


def test_a_moment_missed_by_more_than_a_month_is_not_sent_late(db):
    past_speedmeet(db, days_ago=60)  # the 1-week moment was 53 days ago; 3 months has not come
    assert db.write(surveys.queue_due, WAVES) == 0
    later = datetime.now().astimezone() + timedelta(days=40)  # 100 days after: the 3-month survey
    assert db.write(surveys.queue_due, WAVES, later) == 5
    assert set(db.read(lambda s: s.exec(select(Survey.wave)).all())) == {"3m"}


def answers(db, past, token, rows, still=None):
    return db.write(surveys.answer, token, rows, still or {})


def test_answers_become_outcomes_and_answering_again_updates_them(db, past):
    db.write(surveys.queue_due, WAVES)
    token = link(db, "jobseeker", past.people[0])
    form = db.read(surveys.view, token)
    assert [c.id for c in form.choices] == past.employers + [None]  # the employers met first, then "another"
    assert all(c.met for c in form.choices[:2])
    day = today() - timedelta(days=2)
    answers(db, past, token, [{"subject": past.employers[0], "kind": "second_interview", "occurred_on": day},
                              {"subject": past.employers[1], "kind": "job", "hours_per_week": 24}])
    stored = db.read(lambda s: s.exec(select(Outcome).order_by(Outcome.employer_id)).all())
    assert [(o.employer_id, o.kind, o.source, o.hours_per_week) for o in stored] == [
        (past.employers[0], "second_interview", "self", None), (past.employers[1], "job", "self", 24)]
    assert all(o.event_id == past.event.id and o.jobseeker_id == past.people[0] for o in stored)

    # Again, now with one contact that became a job: one row changes, the other answer is gone.
    answers(db, past, token, [{"subject": past.employers[0], "kind": "job", "hours_per_week": 32}])
    stored = db.read(lambda s: s.exec(select(Outcome)).all())
    assert [(o.employer_id, o.kind, o.hours_per_week) for o in stored] == [(past.employers[0], "job", 32)]
    form = db.read(surveys.view, token)
    assert form.answered and form.answers == {past.employers[0]: {"kind": "job", "occurred_on": today(),
                                                                  "hours_per_week": 32}}


def test_no_contact_at_all_is_one_answer(db, past):
    db.write(surveys.queue_due, WAVES)
    token = link(db, "jobseeker", past.people[1])
    answers(db, past, token, [{"subject": None, "kind": "none"}])
    assert db.read(lambda s: [(o.kind, o.employer_id) for o in s.exec(select(Outcome))]) == [("none", None)]


def test_bad_answers_are_named_and_nothing_is_saved(db, past):
    db.write(surveys.queue_due, WAVES)
    token = link(db, "jobseeker", past.people[0])
    with pytest.raises(ValidationFailed) as caught:
        answers(db, past, token, [
            {"subject": past.employers[0], "kind": "job"},  # no hours
            {"subject": past.employers[1], "kind": "contact", "occurred_on": today() - timedelta(days=30)},
            {"subject": None, "kind": ""}])
    assert caught.value.errors == {f"hours_{past.employers[0]}": ("survey.hours_needed", {}),
                                   f"date_{past.employers[1]}": ("survey.date_before_event", {}),
                                   "kind_other": ("survey.choose_answer", {})}
    with pytest.raises(ValidationFailed) as caught:
        answers(db, past, token, [{"subject": past.employers[0], "kind": "contact",
                                   "occurred_on": today() + timedelta(days=3)}])
    assert caught.value.errors == {f"date_{past.employers[0]}": ("outcomes.in_future", {})}
    assert count(db, Outcome) == 0


def test_a_survey_never_writes_about_anyone_else(db, past):
    db.write(surveys.queue_due, WAVES)
    employer = link(db, "employer", past.employers[1])
    form = db.read(surveys.view, employer)
    # The second employer met person 0 (who came) and person 2 (who did not come): only person 0.
    assert [(c.id, c.label) for c in form.choices] == [(past.people[0], form.choices[0].label)]
    with pytest.raises(NotFound):
        answers(db, past, employer, [{"subject": past.people[2], "kind": "job", "hours_per_week": 20}])
    with pytest.raises(NotFound):
        answers(db, past, employer, [{"subject": None, "kind": "none"}])
    with pytest.raises(NotFound):  # an employer who was not at the event, through a person's survey
        answers(db, past, link(db, "jobseeker", past.people[1]), [{"subject": 99999, "kind": "job",
                                                                  "hours_per_week": 20}])
    with pytest.raises(NotFound):  # a 'still employed' answer about someone without a placement here
        answers(db, past, employer, [], {past.people[1]: True})
    assert count(db, Outcome) == 0


def test_unknown_and_expired_links_get_one_answer(db, past):
    db.write(surveys.queue_due, WAVES)
    token = link(db, "jobseeker", past.people[0])
    for bad in ("", "x" * 30, token[:-2] + "zz"):
        with pytest.raises(NotFound) as caught:
            db.read(surveys.view, bad)
        assert caught.value.code == "survey.link_unknown"
    with pytest.raises(NotFound):
        db.read(surveys.view, token, datetime.now().astimezone() + surveys.ANSWER_FOR + timedelta(days=1))
    assert db.read(surveys.view, token).respondent == "jobseeker"


def test_the_reminder_comes_once_a_week_later_and_only_to_who_did_not_answer(db, past):
    db.write(surveys.queue_due, WAVES)
    answers(db, past, link(db, "jobseeker", past.people[1]), [{"subject": None, "kind": "none"}])
    assert db.write(surveys.queue_reminders) == 0  # not yet a week
    week = datetime.now().astimezone() + timedelta(days=8)
    assert db.write(surveys.queue_reminders, week) == 4
    assert db.write(surveys.queue_reminders, week) == 0
    reminded = db.read(lambda s: {m.to_address for m in s.exec(select(Message).where(Message.kind == "survey_reminder"))})
    assert "carla@jobcoach.nl" in reminded and len(reminded) == 4
    assert db.read(lambda s: s.exec(select(Message.key).where(Message.kind == "survey_reminder")).all()) \
        and all(not m.endswith(f":{past.people[1]}") for m in reminded)


def test_no_more_questions_means_none_later(db, past):
    db.write(surveys.queue_due, WAVES)
    db.write(surveys.decline, link(db, "jobseeker", past.people[1]))
    later = datetime.now().astimezone() + timedelta(days=90)
    assert db.write(surveys.queue_due, WAVES, later) == 4  # the 3-month survey, without person 1
    asked = db.read(lambda s: s.exec(select(Survey.jobseeker_id).where(Survey.wave == "3m",
                                                                        Survey.respondent == "jobseeker")).all())
    assert asked == [past.people[0]]
    # A week later, the reminders of the 3-month surveys (the 1-week ones have expired).
    assert db.write(surveys.queue_reminders, later + timedelta(days=8)) == 4


def test_contradicting_answers_are_settled_by_staff(db, past):
    db.write(surveys.queue_due, WAVES)
    first, employer = past.people[0], past.employers[0]
    answers(db, past, link(db, "jobseeker", first), [{"subject": employer, "kind": "job", "hours_per_week": 20}])
    answers(db, past, link(db, "employer", employer), [{"subject": first, "kind": "none"}])
    found = db.read(surveys.conflicts)
    assert len(found) == 1
    conflict = found[0]
    assert (conflict.jobseeker_id, conflict.employer_id, conflict.wave) == (first, employer, "1w")
    assert [(c.source, c.kind) for c in conflict.claims] == [("self", "job"), ("employer", "none")]
    shown = [c.outcome_id for c in conflict.claims]
    with pytest.raises(DomainError):  # staff were shown other answers than there are now
        db.write(surveys.settle, shown[0], shown[:1], "staff@example.nl")
    assert db.write(surveys.settle, shown[1], shown, "staff@example.nl") == 1
    assert db.read(surveys.conflicts) == []
    kept = db.read(lambda s: {o.id: (o.rejected_at is not None, o.rejected_by) for o in s.exec(select(Outcome))})
    assert kept == {shown[0]: (True, "staff@example.nl"), shown[1]: (False, "")}


def test_a_person_who_says_no_contact_contradicts_an_employer_reporting_an_interview(db, past):
    db.write(surveys.queue_due, WAVES)
    answers(db, past, link(db, "jobseeker", past.people[1]), [{"subject": None, "kind": "none"}])
    answers(db, past, link(db, "employer", past.employers[0]), [{"subject": past.people[1], "kind": "second_interview"}])
    (conflict,) = db.read(surveys.conflicts)
    assert conflict.employer_id == past.employers[0] and {c.kind for c in conflict.claims} == {"none", "second_interview"}


def test_response_rate_per_event_wave_and_respondent(db, past):
    db.write(surveys.queue_due, WAVES)
    answers(db, past, link(db, "jobseeker", past.people[0]), [{"subject": None, "kind": "none"}])
    rates = {r["respondent"]: (r["sent"], r["answered"], r["rate"]) for r in db.read(surveys.response_rates)}
    assert rates == {"jobseeker": (2, 1, 0.5), "coach": (1, 0, 0.0), "employer": (2, 0, 0.0)}


def test_a_placement_is_asked_about_after_five_months(db):
    past = past_speedmeet(db, days_ago=200)
    first, employer = past.people[0], past.employers[0]
    db.write(surveys.queue_due, WAVES, datetime.now().astimezone() - timedelta(days=190))  # the 1-week survey
    started = past.event.starts_at + timedelta(days=10)
    db.write(lambda s: s.add(Outcome(jobseeker_id=first, employer_id=employer, event_id=past.event.id, kind="job",
                                     occurred_on=started, hours_per_week=30, source="organiser")))
    db.write(surveys.queue_due, WAVES)  # the 6-month survey
    token = link(db, "jobseeker", first, past.event.id)
    form = db.read(surveys.view, token)
    assert [(q.jobseeker_id, q.employer_id) for q in form.still] == [(first, employer)]
    answers(db, past, token, [], {first: True})
    assert db.read(lambda s: s.exec(select(Outcome.kind).where(Outcome.source == "self")).all()) == ["employed_6m"]
    answers(db, past, token, [], {first: False})  # answered again: the same row changes
    assert db.read(lambda s: s.exec(select(Outcome.kind).where(Outcome.source == "self")).all()) == ["job_ended"]
    employer_form = db.read(surveys.view, link(db, "employer", employer, past.event.id))
    assert [q.jobseeker_id for q in employer_form.still] == [first]


def test_the_sender_queues_due_surveys_and_mails_each_its_own_link(db, past, smtp):
    """Through the real SMTP server: one run of the sender makes the surveys and delivers them;
    the link in each mail opens that respondent's survey, and the reminder's link works too."""
    import re

    from eventtool.core.config import get_settings
    from eventtool import sender
    result = sender.run_once(db, get_settings())
    assert result.sent == 5 and result.failed == 0
    mail = smtp.by_to("carla@jobcoach.nl")[0]
    assert mail["Subject"].startswith("Hoe is het nu?")
    text = mail.get_body(("plain",)).get_content()
    token = re.search(r"https://events\.example/vragenlijst\?t=([\w-]+)", text)[1]
    form = db.read(surveys.view, token)
    assert form.respondent == "coach" and form.about and form.about in text
    html = mail.get_body(("html",)).get_content()
    assert f"vragenlijst?t={token}" in html and "[[" not in text + html
    assert sender.run_once(db, get_settings(), now=datetime.now().astimezone() + timedelta(days=8)).sent == 5
    reminder = smtp.by_to("carla@jobcoach.nl")[1]
    second = re.search(r"vragenlijst\?t=([\w-]+)", reminder.get_body(("plain",)).get_content())[1]
    assert second != token and db.read(surveys.view, second).survey_id == form.survey_id
    assert db.read(surveys.view, token).survey_id == form.survey_id  # the first mail's link still works


def test_a_persons_export_shows_their_surveys_and_erasure_removes_them(db, past):
    from eventtool.privacy import privacy
    db.write(surveys.queue_due, WAVES)
    first = past.people[0]
    answers(db, past, link(db, "jobseeker", first), [{"subject": past.employers[0], "kind": "job", "hours_per_week": 20}])
    data = db.read(privacy.person_data, first)
    assert sorted((s["as"], s["after"], s["answered_at"] is not None) for s in data["surveys"]) == [
        ("coach", "1w", False), ("jobseeker", "1w", True)]
    assert data["outcomes"][0]["hours_per_week"] == 20 and data["outcomes"][0]["set_aside"] is False
    assert "Vragenlijsten" in db.read(privacy.export_csv, first).decode("utf-8-sig")
    db.write(privacy.erase_person, first)
    assert count(db, Survey, Survey.jobseeker_id == first) == 0
    assert count(db, Message, Message.to_address == "carla@jobcoach.nl") == 0  # the coach's copies too


def test_a_coach_who_asks_for_no_more_surveys_gets_none_about_any_client_and_other_coaches_still_do(db):
    """A jobcoach's 'no more questions' (the survey page or the mail's one-click unsubscribe) is the
    coach's, by their address: no more surveys to them about any client, while another coach of the
    same client is still asked."""
    from eventtool.registration.models import Registration
    past = past_speedmeet(db)
    other = past_speedmeet(db, title="Speedmeet techniek")

    def coaches(session):
        second = session.exec(select(Registration).where(Registration.jobseeker_id == past.people[1])).one()
        second.coach_name, second.coach_email, second.coach_confirmed = "Coach Carla", "carla@jobcoach.nl", True
        # At the other event the first client came with another coach (the fixture gave them Carla).
        again = session.exec(select(Registration).where(Registration.jobseeker_id == other.people[0])).one()
        again.jobseeker_id = past.people[0]
        again.coach_name, again.coach_email = "Dirk Doe", "dirk@jobcoach.nl"
    db.write(coaches)
    db.write(surveys.queue_due, WAVES)

    def coach_surveys(session):
        return {(reg.coach_email, s.event_id, s.jobseeker_id): s for s, reg in session.exec(
            select(Survey, Registration).join(Registration, Registration.id == Survey.registration_id)
            .where(Survey.respondent == "coach"))}
    asked = db.read(coach_surveys)
    first, second, event, event2 = past.people[0], past.people[1], past.event.id, other.event.id
    assert set(asked) == {("carla@jobcoach.nl", event, first), ("carla@jobcoach.nl", event, second),
                          ("dirk@jobcoach.nl", event2, first)}
    db.write(surveys.stop_asking, asked["carla@jobcoach.nl", event, first].id)
    declined = {k for k, s in db.read(coach_surveys).items() if s.declined_at is not None}
    assert declined == {("carla@jobcoach.nl", event, first), ("carla@jobcoach.nl", event, second)}
    assert db.read(surveys.still_asking, asked["dirk@jobcoach.nl", event2, first].id)
    assert not db.read(surveys.still_asking, asked["carla@jobcoach.nl", event, second].id)
    queued = db.read(lambda s: set(s.exec(select(Message.to_address).where(Message.kind == "survey",
                                                                           Message.status == "queued")).all()))
    assert "dirk@jobcoach.nl" in queued and "carla@jobcoach.nl" not in queued
    # The next wave: Dirk is asked about his client again, Carla about nobody.
    db.write(surveys.queue_due, WAVES, past.event.ends_at + timedelta(days=95))
    later = {k for k, s in db.read(coach_surveys).items() if s.wave == "3m"}
    assert later == {("dirk@jobcoach.nl", event2, first)}
