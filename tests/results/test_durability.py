"""How long placements last: the one rule, the figures ('49 placed, 37 still employed'), the staff
work list and what a follow-up call records."""
from datetime import date, datetime, timedelta

from sqlmodel import select

from eventtool.core.config import TZ
from eventtool.results.models import Outcome
from eventtool.results import durability
from eventtool.results.durability import EMPLOYED, NO_LONGER, NOT_YET, UNKNOWN

from .conftest import past_speedmeet

TODAY = date(2027, 6, 1)


def status(*events, today=TODAY):
    rows = [(1, 7, kind, day) for kind, day in events]
    (found,) = durability.placements(rows, today)
    return found.status[6], found.status[12]


def test_the_rule():
    start = date(2026, 1, 10)
    assert status(("job", start)) == (UNKNOWN, UNKNOWN)
    assert status(("contact", start - timedelta(days=5)), ("job", start), ("employed_6m", date(2026, 7, 1))) == \
        (EMPLOYED, UNKNOWN)
    assert status(("job", start), ("employed_12m", date(2027, 1, 15))) == (EMPLOYED, EMPLOYED)  # 12 covers 6
    assert status(("job", start), ("job_ended", date(2026, 4, 1))) == (NO_LONGER, NO_LONGER)
    assert status(("job", start), ("job_ended", date(2026, 9, 1))) == (EMPLOYED, NO_LONGER)  # ended after 6
    # Ended, then a new job that is still going a year after the first started.
    assert status(("job", start), ("job_ended", date(2026, 3, 1)), ("temp_job", date(2026, 5, 1)),
                  ("employed_12m", date(2027, 1, 20))) == (EMPLOYED, EMPLOYED)
    assert status(("job", date(2027, 3, 1))) == (NOT_YET, NOT_YET)
    assert durability.placements([(1, 7, "second_interview", start)], TODAY) == []


def test_figures_like_49_placed_37_still_employed():
    rows = []
    for person in range(10):
        rows.append((person, 1, "job", date(2026, 1, 1)))
        if person < 7:
            rows.append((person, 1, "employed_6m", date(2026, 7, 2)))
        elif person < 9:
            rows.append((person, 1, "job_ended", date(2026, 3, 1)))
    found = durability.figures(durability.placements(rows, TODAY))
    assert (found.placed, found.checked[6], found.employed[6], found.no_longer[6], found.unknown[6]) == (10, 10, 7, 2, 1)


def test_work_list_and_a_follow_up_call(db):
    past = past_speedmeet(db, days_ago=400)
    first, second = past.people[:2]
    started = datetime.now(TZ) - timedelta(days=200)

    def placed(session):
        for person in (first, second):
            session.add(Outcome(jobseeker_id=person, employer_id=past.employers[0], event_id=past.event.id, kind="job",
                                occurred_on=started, hours_per_week=32))
        session.add(Outcome(jobseeker_id=second, employer_id=past.employers[0], event_id=past.event.id,
                            kind="employed_6m", occurred_on=datetime.now(TZ)))
    db.write(placed)
    due = db.read(durability.work_list)
    assert [(r["jobseeker_id"], r["months"]) for r in due] == [(first, 6)]
    assert due[0]["coach"] == "Coach Carla, carla@jobcoach.nl" and due[0]["overdue"]
    db.write(durability.record_check, first, 6, False, "staff@example.nl")
    assert db.read(durability.work_list) == []
    kinds = db.read(lambda s: s.exec(select(Outcome.kind, Outcome.event_id).where(Outcome.jobseeker_id == first)
                                     .order_by(Outcome.id)).all())
    assert kinds == [("job", past.event.id), ("job_ended", past.event.id)]
    found = db.read(durability.overall)
    assert (found.placed, found.employed[6], found.no_longer[6]) == (2, 1, 1)


def test_adding_months_is_relativedeltas_rule_for_every_day():
    """The dashboard's fast month arithmetic gives what dateutil gives, month ends included."""
    from datetime import date

    from dateutil.relativedelta import relativedelta
    from hypothesis import given, strategies as st

    from eventtool.results.durability import add_months

    @given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(-24, 24))
    def same(day, months):
        assert add_months(day, months) == day + relativedelta(months=months)
    same()
