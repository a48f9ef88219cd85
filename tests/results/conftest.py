"""A speedmeet that took place eight days ago: who came, whom they met, a jobcoach, and the
real SMTP server of the messages tests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from eventtool.dayof import checkin
from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.config import TZ
from eventtool.events.models import Meeting
from eventtool.registration.models import Registration
from eventtool.results import surveys
from eventtool.results.models import Survey

from ..conftest import company, person
from ..messages.conftest import smtp  # noqa: F401 - the same real SMTP server


@dataclass
class Past:
    event: object
    people: list[int]  # jobseeker ids: 0 and 1 came, 2 did not
    employers: list[int]
    now: datetime


def past_speedmeet(db, days_ago: int = 8, title: str = "Speedmeet zorg") -> Past:
    start = datetime.now(TZ) - timedelta(days=days_ago, hours=3)
    event = db.write(events.create_event, dict(kind="speedmeet", title=title, starts_at=start,
                                               ends_at=start + timedelta(hours=2), capacity_jobseekers=20,
                                               capacity_employers=5, status="published"))
    employers = [db.write(registration.register_employer, event.id, company(), source=registration.RegSource.ORGANISER)
                 .registration.employer_id for _ in range(2)]
    regs = [db.write(registration.register_jobseeker, event.id, person(), source=registration.RegSource.ORGANISER)
            .registration for _ in range(3)]
    for reg in regs[:2]:
        db.write(checkin.check_in, reg.id)

    def plan(session):
        for js, emp, rnd in ((0, 0, 0), (0, 1, 1), (1, 0, 1), (2, 1, 0)):
            session.add(Meeting(event_id=event.id, jobseeker_id=regs[js].jobseeker_id, employer_id=employers[emp],
                                round=rnd))
        first = session.get(Registration, regs[0].id)
        first.coach_name, first.coach_email, first.coach_confirmed = "Coach Carla", "carla@jobcoach.nl", True
    db.write(plan)
    return Past(event, [r.jobseeker_id for r in regs], employers, datetime.now(TZ))


@pytest.fixture
def past(db):
    return past_speedmeet(db)


def link(db, respondent: str, subject: int, event_id: int | None = None) -> str:
    """A personal link to the survey of `respondent` about `subject` (as the sender makes one)."""
    def find(session):
        query = select(Survey).where(Survey.respondent == respondent,
                                     (Survey.employer_id if respondent == "employer" else Survey.jobseeker_id) == subject)
        if event_id is not None:
            query = query.where(Survey.event_id == event_id)
        return session.exec(query.order_by(Survey.id.desc())).first().id
    return db.write(surveys.mint, db.read(find))
