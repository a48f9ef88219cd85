"""Coaches ('begeleiders': jobcoaches, klantmanagers, school contacts) and their caseloads.

A coach has an account of their own (made by staff, or by an invitation link through which they
choose their own password). They sign up their clients for events under the public form's rules
(open events, deadlines, capacity and waiting list) but without its limit per address, with the
client's consent recorded as passed on by the coach. They see their own clients only:
registrations, speedmeet schedules and follow-up surveys, and they get copies of their clients'
messages.

Trust: a coach typing the e-mail or phone of someone we already know changes nothing stored about
that person (what differs waits for staff review, as from the public form) and does not bring the
person onto the caseload: that happens only when the person confirms the coach with their own
'mijn aanmelding' link. A person the coach brings in new is on the caseload at once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from ..core import audit
from ..people import accounts as auth, identity
from . import registration
from ..core.errors import DomainError, NotFound
from ..messages import links, outbox
from . import cards, notify
from ..messages.content import compose_invitation
from ..people.models import Consent, Jobseeker, JobseekerIn, User
from ..events.models import Event
from .models import ProfileCard, Registration
from ..core.text import one_line
from ..core.timeutil import utcnow
from ..core.validation import parse
from ..core.vocab import RegSource, RegStatus, Role
from ..people.models import CoachClient, Invitation

INVITATION_DAYS = 14
INVITATION_PAGE = "uitnodiging"
UNUSABLE_PASSWORD = "!"  # not an argon2 hash: nothing verifies against it


# --------------------------------------------------------------------------- accounts


@audit.action("coaches.invite")
def invite(session: Session, email: str, name: str, organisation: str, invited_by: str,
           lang: str = "nl", now: datetime | None = None) -> Invitation:
    """A coach account that waits for its owner: an e-mail with a link (valid INVITATION_DAYS) to
    choose a password. Inviting an address again that never accepted sends a new link; the old
    one stops working."""
    now = now or utcnow()
    email, name = auth.account_fields(email, name)
    organisation = one_line(organisation, "organisation", 120)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None and (user.role != Role.COACH or user.password_hash != UNUSABLE_PASSWORD):
        raise DomainError("auth.user_exists", field="email")
    if user is None:
        user = User(email=email, name=name, role=Role.COACH.value, organisation=organisation or None,
                    password_hash=UNUSABLE_PASSWORD, active=False)
        session.add(user)
        session.flush()
    else:
        user.name, user.organisation = name, organisation or None
        for old in session.exec(select(Invitation).where(Invitation.user_id == user.id,
                                                         Invitation.accepted_at.is_(None))):
            old.expires_at = min(old.expires_at, now)
            old.token_hash = None
    invitation = Invitation(user_id=user.id, expires_at=now + timedelta(days=INVITATION_DAYS), created_by=invited_by,
                            created_at=now)
    session.add(invitation)
    session.flush()
    sender, domain = outbox.sender()
    by = session.exec(select(User.name).where(User.email == invited_by)).first() or sender
    subject, text, html = compose_invitation(lang, name, by, INVITATION_DAYS, sender=sender)
    outbox.queue(session, kind="invitation", to_address=email, to_name=name, subject=subject, text=text, html=html,
                 lang=lang, invitation_id=invitation.id, key=f"invitation:{invitation.id}", domain=domain)
    return invitation


def mint_invitation(session: Session, invitation_id: int, now: datetime | None = None) -> str | None:
    """The link for an invitation that can still be accepted (the sender calls this when it sends
    the mail). Only the hash is kept."""
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= (now or utcnow()):
        return None
    token, invitation.token_hash = links.new_token()
    session.flush()
    return token


@dataclass
class InvitationView:
    name: str
    email: str
    organisation: str


def _open(session: Session, token: str, now: datetime | None) -> Invitation:
    invitation = links.find(session, Invitation, token, "invite.link_unknown", now)
    if invitation.accepted_at is not None:
        raise NotFound("invite.link_unknown")
    return invitation


def open_invitation(session: Session, token: str, now: datetime | None = None) -> InvitationView:
    user = session.get(User, _open(session, token, now).user_id)
    return InvitationView(user.name, user.email, user.organisation or "")


@audit.action("coaches.accept_invitation")
def accept_invitation(session: Session, token: str, password: str, repeat: str, now: datetime | None = None) -> User:
    """The invitee chooses their password: the account becomes active and the link stops working."""
    invitation = _open(session, token, now)
    user = session.get(User, invitation.user_id)
    auth.check_password(password, user.email, user.name)
    if password != repeat:
        raise DomainError("invite.passwords_differ", field="repeat")
    auth.set_password(session, user, password)
    user.active = True
    user.last_login_at = now or utcnow()
    invitation.accepted_at = now or utcnow()
    invitation.token_hash = None
    session.flush()
    return user


def coach_account(session: Session, coach_id: int) -> User:
    user = session.get(User, coach_id)
    if user is None or user.role != Role.COACH or not user.active:
        raise DomainError("auth.not_allowed")
    return user


# --------------------------------------------------------------------------- caseload


def _mine(session: Session, coach_id: int, jobseeker_id: int) -> bool:
    return session.exec(select(CoachClient.id).where(CoachClient.coach_id == coach_id,
                                                     CoachClient.jobseeker_id == jobseeker_id)).first() is not None


def add_client(session: Session, coach: User, jobseeker_id: int, how: str) -> None:
    if not _mine(session, coach.id, jobseeker_id):
        session.add(CoachClient(coach_id=coach.id, jobseeker_id=jobseeker_id, how=how))
        session.flush()


@audit.action("coaches.sign_up_client")
def sign_up_client(session: Session, coach_id: int, event_id: int, data: dict | JobseekerIn,
                   picks: list[int] | None = None, lang: str = "nl", now: datetime | None = None) -> registration.SignUp:
    """Sign a client up. The coach states that the client consented (recorded as passed on by
    this coach); the coach is named on the registration and gets copies of its messages when the
    client is theirs. A returning person who is not on this caseload is treated as the public form
    treats them: nothing stored changes, the coach waits for the person's confirmation and is not
    told the stored name (`SignUp.name` is set only for a new client or one of the coach's own)."""
    coach = coach_account(session, coach_id)
    data = parse(JobseekerIn, dict(data if isinstance(data, dict) else data.model_dump(),
                                   coach_name=coach.name, coach_email=coach.email))
    known = identity.find_jobseeker(session, data.email, data.phone, data.name)
    mine = known is not None and _mine(session, coach.id, known.id)
    if mine and session.exec(select(Registration.id).where(
            Registration.event_id == event_id, Registration.jobseeker_id == known.id,
            Registration.status != RegStatus.CANCELLED)).first() is not None:
        raise DomainError("coach.already_registered")
    signup = registration.register_jobseeker(session, event_id, data, picks=picks, source=RegSource.COACH,
                                             now=now, lang=lang, coach_confirmed=mine or known is None)
    if known is None:
        person_id = signup.registration.jobseeker_id
        add_client(session, coach, person_id, "signed_up")
        for consent in session.exec(select(Consent).where(Consent.jobseeker_id == person_id)):
            consent.given_via = f"coach:{coach.email}"
        session.flush()
    if known is None or mine:
        signup.name = session.get(Jobseeker, signup.registration.jobseeker_id).name
    return signup


def coach_confirmed(session: Session, reg: Registration) -> None:
    """The person confirmed the coach named on their registration: if that coach has an account,
    the person is on their caseload from now on."""
    if not reg.coach_email or reg.jobseeker_id is None:
        return
    coach = session.exec(select(User).where(User.email == reg.coach_email, User.role == Role.COACH,
                                            User.active.is_(True))).first()
    if coach is not None:
        add_client(session, coach, reg.jobseeker_id, "confirmed")


def _client_registration(session: Session, coach_id: int, registration_id: int) -> Registration:
    reg = session.get(Registration, registration_id)
    if reg is None or reg.jobseeker_id is None or not _mine(session, coach_id, reg.jobseeker_id):
        raise DomainError("coach.not_your_client")
    return reg


@audit.action("coaches.cancel_for_client")
def cancel_for_client(session: Session, coach_id: int, registration_id: int) -> Registration:
    """The coach cancels their client's registration (the client is told, with a copy to the coach)."""
    coach_account(session, coach_id)
    reg = _client_registration(session, coach_id, registration_id)
    if reg.status == RegStatus.CANCELLED:
        raise DomainError("cancel.already_cancelled")
    registration.cancel_registration(session, reg.id)
    return reg


@audit.action("coaches.fill_card")
def fill_card(session: Session, coach_id: int, registration_id: int, data: dict) -> ProfileCard:
    """The coach helps their client write the profile card for a registration (issue 28). It is never
    shared by the coach: a card the client had shared stops being shared, and the client shares it
    themselves, by ticking it on their own page (their link), once they agree with the text; staff
    then review it as any card. `via` names the coach who wrote it."""
    coach = coach_account(session, coach_id)
    reg = _client_registration(session, coach_id, registration_id)
    if reg.status == RegStatus.CANCELLED:
        raise DomainError("cancel.already_cancelled")
    checked = cards.check(data)
    if not any(getattr(checked, k) for k in cards.TEXT_FIELDS):  # a coach writes something, or nothing
        raise DomainError("card.empty", field="card_pitch")
    card = cards.save_card(session, reg.id, checked, share=False)
    card.via = f"coach:{coach.email}"
    session.flush()
    return card


@audit.action("coaches.end_caseload")
def end_caseload(session: Session, coach_id: int, jobseeker_id: int) -> None:
    """'No longer my client': the coach stops seeing the person and stops getting copies of the
    messages about their coming events; the calendar entries those copies gave them about the
    person are cancelled (notify.coach_ended). The coach is taken off those registrations (name
    and address), so the person's page no longer asks whether they are their coach and their
    link cannot put them back (mine.confirm_coach): a coach is named again only by a new sign-up
    or by staff."""
    coach = coach_account(session, coach_id)
    link = session.exec(select(CoachClient).where(CoachClient.coach_id == coach_id,
                                                  CoachClient.jobseeker_id == jobseeker_id)).first()
    if link is None:
        raise DomainError("coach.not_your_client")
    session.delete(link)
    upcoming = session.exec(select(Registration).join(Event, Event.id == Registration.event_id).where(
        Registration.jobseeker_id == jobseeker_id, Registration.coach_email == coach.email, Event.ends_at > utcnow()))
    for reg in upcoming:
        notify.coach_ended(session, reg)
        reg.coach_name, reg.coach_email, reg.coach_confirmed = None, None, False
    session.flush()


@dataclass
class ClientEvent:
    registration_id: int
    event_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    checked_in: bool
    # Speedmeet, once published: (round, start, table, employer)
    schedule: list[tuple[int, datetime, int, str]] = field(default_factory=list)
    # Who comes along ("jobcoach" | "interpreter", with their name), as on the registration.
    companion: str | None = None
    companion_name: str | None = None
    # The profile card for this event's employers (cards), as the client or the coach wrote it.
    card: ProfileCard | None = None


