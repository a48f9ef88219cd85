"""An employer's own pages ("Onze activiteiten"): the published events its contact persons can sign
the organisation up for, its registrations, how many people come, cancelling. And the public
employer sign-up, which gives the contact person an account only when it made a new organisation.

Every verb takes the logged-in account (`user_id`) and finds the organisation from it
(people.employer_accounts.employer_id_of), never from a form. Capacity and the waiting list are
registration's: these verbs call its sign-up and cancellation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..core import audit
from ..core.errors import DomainError
from ..core.timeutil import utcnow
from ..core.vocab import EventStatus, RegSource, RegStatus
from ..events.models import Event, Meeting
from ..people import employer_accounts
from ..people.employer_accounts import employer_id_of
from ..people.models import Employer, EmployerIn, User
from . import registration
from .models import Registration

MAX_PEOPLE = 20  # EmployerIn.recruiters


@dataclass
class PublicSignUp:
    signup: registration.SignUp
    account: User | None  # the contact person's new account (a new organisation only)


# The public form's verb: its log entries keep the name they always had.
@audit.action("registration.register_employer")
def public_sign_up(session: Session, event_id: int, data: dict | EmployerIn, lang: str = "nl",
                   now: datetime | None = None) -> PublicSignUp:
    """The public employer form: the sign-up as before; when it created the organisation, its
    contact person gets an account and a sign-in link by mail. A form never gives access to an
    organisation we already knew (staff invite its contact persons)."""
    signup = registration.register_employer(session, event_id, data, now=now, lang=lang)
    account = None
    if not signup.returning:
        employer = session.get(Employer, signup.registration.employer_id)
        account = employer_accounts.account_for_new_organisation(session, employer, lang, now)
    return PublicSignUp(signup, account)


def _open_for_sign_up(event: Event, now: datetime) -> bool:
    return event.status == EventStatus.PUBLISHED and event.starts_at > now and (
        event.registration_deadline is None or event.registration_deadline >= now) and event.capacity_employers > 0


@dataclass
class EventRow:
    event: Event
    registration: Registration | None  # the organisation's own (not cancelled), if any

    @property
    def can_sign_up(self) -> bool:
        return self.registration is None


def events(session: Session, user_id: int, now: datetime | None = None) -> list[EventRow]:
    """Upcoming published events open to employers, with the organisation's registration at each;
    and upcoming events it is registered for that are no longer open (so it still sees them)."""
    now = now or utcnow()
    employer_id = employer_id_of(session, user_id)
    mine = {r.event_id: r for r in session.exec(select(Registration).where(
        Registration.employer_id == employer_id, Registration.status != RegStatus.CANCELLED))}
    rows = []
    for event in session.exec(select(Event).where(Event.ends_at > now, Event.status != EventStatus.DRAFT)
                              .order_by(Event.starts_at, Event.id)):
        reg = mine.get(event.id)
        if reg is not None or _open_for_sign_up(event, now):
            rows.append(EventRow(event, reg))
    return rows


def _people(people: int) -> int:
    try:
        people = int(people)
    except (TypeError, ValueError):
        raise DomainError("employer_portal.people_range", field="people", max=MAX_PEOPLE) from None
    if not 1 <= people <= MAX_PEOPLE:
        raise DomainError("employer_portal.people_range", field="people", max=MAX_PEOPLE)
    return people


@audit.action("employer_portal.sign_up")
def sign_up(session: Session, user_id: int, event_id: int, people: int, lang: str = "nl",
            now: datetime | None = None) -> registration.SignUp:
    """Sign the account's organisation up for an event open to employers (a place, or the waiting
    list when the employers' places are taken), with how many people come. The organisation's stored
    details are used as they are."""
    now = now or utcnow()
    people = _people(people)
    employer = session.get(Employer, employer_id_of(session, user_id))
    event = session.get(Event, event_id)
    if event is None or not _open_for_sign_up(event, now):
        raise DomainError("employer_portal.event_not_open")
    # The stored details as they are (nothing about the organisation changes by signing up).
    data = EmployerIn(organisation=employer.organisation, contact_name=employer.contact_name,
                      email=employer.email or session.get(User, user_id).email,
                      phone=employer.phone, sectors=employer.sectors, offers=employer.offers, recruiters=people,
                      sroi=employer.sroi, region=employer.region)
    return registration.register_employer(session, event_id, data, source=RegSource.EMPLOYER, now=now, lang=lang)


def _theirs(session: Session, user_id: int, registration_id: int) -> Registration:
    reg = session.get(Registration, registration_id)
    if reg is None or reg.employer_id is None or reg.employer_id != employer_id_of(session, user_id) \
            or reg.status == RegStatus.CANCELLED:
        raise DomainError("employer_portal.not_yours")
    return reg


@audit.action("employer_portal.set_people")
def set_people(session: Session, user_id: int, registration_id: int, people: int,
               now: datetime | None = None) -> Registration:
    """How many people of the organisation come (until the event starts). At a speedmeet each of
    them has a table: once conversations are planned at its tables, staff change it (the plan with
    it)."""
    reg = _theirs(session, user_id, registration_id)
    if session.get(Event, reg.event_id).starts_at <= (now or utcnow()):
        raise DomainError("employer_portal.event_started")
    people = _people(people)
    if people != reg.tables and session.exec(select(Meeting.id).where(
            Meeting.event_id == reg.event_id, Meeting.employer_id == reg.employer_id)).first() is not None:
        raise DomainError("employer_portal.planned", field="people")
    reg.tables = people
    session.flush()
    return reg


@audit.action("employer_portal.cancel")
def cancel(session: Session, user_id: int, registration_id: int) -> Registration:
    """The organisation does not come: cancelled as any cancellation (its place goes to the first
    on the waiting list; the contact person is told)."""
    reg = _theirs(session, user_id, registration_id)
    registration.cancel_registration(session, reg.id)
    return reg
