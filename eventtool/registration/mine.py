"""What a person can do with their 'mijn aanmelding' link: see the registration, cancel it, switch
reminders off or on, correct their e-mail address and phone number, and confirm what they typed
on a public form about themselves (holding the link proves they read mail at the stored address,
which is what the review list otherwise asks staff to judge), and write, share or stop sharing their
profile card for the event's employers (cards). Once the registration (or its event)
is cancelled the link only shows it: every change is refused, and signing up again goes through
the public form and its rules."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from ..core import audit
from ..people import identity
from ..core.errors import DomainError
from ..events.events import public_events
from ..people.models import JobseekerIn, ProfileProposal
from .models import ProfileCard
from .coaches import coach_confirmed
from .registration import cancel_registration
from ..core.validation import parse
from ..core.vocab import EventStatus, RegStatus
from . import cards, notify, stands
from .personal_link import Opened, open_link


@dataclass
class Mine:
    opened: Opened
    proposal: dict | None  # {"field": (stored, typed)} of an open proposal from a public form
    stands: bool = True  # False once the registration or its event is cancelled: nothing can change
    sign_up_again: bool = False  # cancelled, and the event still takes sign-ups on the public form
    # Job fair: (stand, employer) of the employers the jobseeker picked that have a stand, in their order.
    picked_stands: list[tuple[str, str]] = field(default_factory=list)
    card: ProfileCard | None = None  # a jobseeker's profile card for this event (cards)


def _stands(opened: Opened) -> bool:
    return opened.registration.status != RegStatus.CANCELLED and opened.event.status != EventStatus.CANCELLED


def _open_standing(session: Session, token: str) -> Opened:
    """The registration of a link, for a change: a cancelled one can only be looked at."""
    opened = open_link(session, token)
    if not _stands(opened):
        raise DomainError("cancel.already_cancelled" if opened.registration.status == RegStatus.CANCELLED
                          else "mine.closed")
    return opened


def view(session: Session, token: str) -> Mine:
    opened = open_link(session, token)
    if not _stands(opened):
        again = opened.registration.status == RegStatus.CANCELLED and \
            opened.event.id in {e.id for e in public_events(session)}
        return Mine(opened, None, stands=False, sign_up_again=again)
    proposal = session.exec(select(ProfileProposal).where(
        ProfileProposal.registration_id == opened.registration.id)).first()
    stored = opened.person or opened.employer
    shown = {k: (getattr(stored, k), v) for k, v in proposal.changes.items()} if proposal and stored else None
    return Mine(opened, shown, picked_stands=stands.picked_stands(session, opened.registration),
                card=cards.card_of(session, opened.registration.id))


@audit.action("mine.cancel")
def cancel(session: Session, token: str) -> None:
    cancel_registration(session, _open_standing(session, token).registration.id)


@audit.action("mine.set_reminders")
def set_reminders(session: Session, token: str, on: bool) -> None:
    opened = _open_standing(session, token)
    opened.registration.reminders = bool(on)
    if not on:  # one already in the outbox (or its copy to the jobcoach) does not go out either
        notify.withdraw_unsent(session, [opened.registration.id], ("reminder",))
    session.flush()


@audit.action("mine.update_contact")
def update_contact(session: Session, token: str, email: str | None, phone: str | None) -> None:
    """A jobseeker corrects their own address or phone number (checked as on the sign-up form)."""
    opened = _open_standing(session, token)
    person = opened.person
    if person is None:
        raise DomainError("mine.jobseekers_only")
    checked = parse(JobseekerIn, {"name": person.name, "email": email, "phone": phone, "consent_registration": True})
    identity.apply(session, person, {"email": checked.email, "phone": checked.phone})


@audit.action("mine.confirm_proposal")
def confirm_proposal(session: Session, token: str) -> None:
    opened = _open_standing(session, token)
    proposal = session.exec(select(ProfileProposal).where(
        ProfileProposal.registration_id == opened.registration.id)).first()
    if proposal is None:
        raise DomainError("mine.nothing_to_confirm")
    identity.accept_proposal(session, proposal.id)


@audit.action("mine.confirm_coach")
def confirm_coach(session: Session, token: str) -> None:
    """The person confirms the jobcoach named when they were signed up: from now on the coach
    gets a copy of the messages."""
    opened = _open_standing(session, token)
    if not opened.registration.coach_email:
        raise DomainError("mine.no_coach")
    opened.registration.coach_confirmed = True
    session.flush()
    coach_confirmed(session, opened.registration)


@audit.action("mine.update_support")
def update_support(session: Session, token: str, needs: list[str], consent: bool) -> None:
    """A jobseeker changes what support they need at the event. Health data needs explicit consent
    (the form's own rule refuses needs without it; the consent is recorded with its version); no
    needs and no consent removes what was stored."""
    opened = _open_standing(session, token)
    person = opened.person
    if person is None:
        raise DomainError("mine.jobseekers_only")
    checked = parse(JobseekerIn, {"name": person.name, "email": person.email, "phone": person.phone,
                                  "consent_registration": True, "support_needs": needs, "consent_special": consent})
    if not consent:
        person.support_needs = []
        session.flush()
        return
    identity.apply(session, person, {"support_needs": [n.value for n in checked.support_needs]}, consent_special=True)


@audit.action("mine.save_card")
def save_card(session: Session, token: str, data: dict, share: bool) -> None:
    """A jobseeker writes their profile card for this event and chooses, by their own tick, whether
    the event's employers may see it (after staff checked it; a changed text is checked again)."""
    opened = _open_standing(session, token)
    if opened.person is None:
        raise DomainError("mine.jobseekers_only")
    cards.save_card(session, opened.registration.id, data, share=bool(share))


@audit.action("mine.withdraw_card")
def withdraw_card(session: Session, token: str) -> None:
    """The jobseeker stops sharing their card: employers no longer see it, at once."""
    opened = _open_standing(session, token)
    cards.withdraw(session, opened.registration.id)
