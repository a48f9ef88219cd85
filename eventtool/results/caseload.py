"""A jobcoach's caseload: their own clients (and nobody else), each with their registrations and the
follow-up surveys they or the coach were asked to answer."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from ..core.collation import name_key
from ..core.timeutil import utcnow
from ..core.vocab import RegStatus
from ..events.models import Event, Meeting, SpeedmeetSettings
from ..events.reads import round_start
from .models import Survey
from ..people.models import CoachClient, Employer, Jobseeker
from ..registration.coaches import ClientEvent, coach_account
from ..registration.models import ProfileCard, Registration


@dataclass
class ClientSurvey:
    title: str
    wave: str
    respondent: str  # jobseeker | coach
    state: str  # open | answered | declined | expired


@dataclass
class Client:
    jobseeker_id: int
    name: str
    email: str | None
    phone: str | None
    since: datetime
    events: list[ClientEvent] = field(default_factory=list)
    surveys: list[ClientSurvey] = field(default_factory=list)


def caseload(session: Session, coach_id: int, now: datetime | None = None) -> list[Client]:
    """The coach's own clients (and nobody else), by surname, with their registrations (newest
    event first), published speedmeet schedules and follow-up surveys."""
    now = now or utcnow()
    coach_account(session, coach_id)
    rows = session.exec(select(CoachClient, Jobseeker).join(Jobseeker, Jobseeker.id == CoachClient.jobseeker_id)
                        .where(CoachClient.coach_id == coach_id)).all()
    clients = {p.id: Client(p.id, p.name, p.email, p.phone, link.since) for link, p in rows}
    if not clients:
        return []
    ids = list(clients)
    regs = session.exec(select(Registration, Event).join(Event, Event.id == Registration.event_id).where(
        col(Registration.jobseeker_id).in_(ids)).order_by(Event.starts_at.desc())).all()
    published = {s.event_id: s for s in session.exec(select(SpeedmeetSettings).where(
        col(SpeedmeetSettings.event_id).in_({e.id for _, e in regs}), SpeedmeetSettings.status == "published"))}
    meetings = session.exec(select(Meeting, Employer.organisation).join(Employer, Employer.id == Meeting.employer_id)
                            .where(col(Meeting.event_id).in_(list(published)), col(Meeting.jobseeker_id).in_(ids))
                            .order_by(Meeting.round)).all() if published else []
    held = {c.registration_id: c for c in session.exec(select(ProfileCard).where(
        col(ProfileCard.registration_id).in_([reg.id for reg, _ in regs])))} if regs else {}
    for reg, event in regs:
        schedule = [(m.round + 1, round_start(published[m.event_id], m.round), m.table_no, org)
                    for m, org in meetings if m.event_id == event.id and m.jobseeker_id == reg.jobseeker_id] \
            if reg.status == RegStatus.CONFIRMED else []
        clients[reg.jobseeker_id].events.append(ClientEvent(reg.id, event.id, event.title, event.starts_at, event.ends_at,
                                                            reg.status, reg.checked_in_at is not None, schedule,
                                                            reg.companion, reg.companion_name, held.get(reg.id)))
    surveys = session.exec(select(Survey, Event.title).join(Event, Event.id == Survey.event_id).where(
        col(Survey.jobseeker_id).in_(ids), col(Survey.respondent).in_(["jobseeker", "coach"])).order_by(Survey.created_at)).all()
    for survey, title in surveys:
        state = ("answered" if survey.answered_at else "declined" if survey.declined_at
                 else "expired" if survey.expires_at <= now else "open")
        clients[survey.jobseeker_id].surveys.append(ClientSurvey(title, survey.wave, survey.respondent, state))
    return sorted(clients.values(), key=lambda c: name_key(c.name))
