"""Employers' contact persons: accounts of role "employer" that reach their own organisation's pages
only (`User.employer_id`; several people of one organisation make a team).

They sign in by a link by mail, no password: the person types their address on the login page and,
when an active employer account has it, a sign-in link is queued (the token is made when the mail is
sent, only its hash is kept; it works LINK_MINUTES and once; a newer link ends every older unused
one). The page answers the same whether or not the address is known. Staff invite a contact person
the same way, with a link that works INVITE_DAYS.

How a page knows the organisation: `employer_id_of(session, user_id)` for the logged-in account
(never a form's field); every verb of an employer's own pages starts there."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from ..core import audit
from ..core.audit import record as audit_record
from ..core.errors import DomainError, NotFound
from ..core.timeutil import utcnow
from ..core.vocab import Role
from ..messages import links, outbox
from ..messages.models import Message
from ..messages.content import compose_login_link
from . import accounts as auth
from .models import Employer, LoginFailure, LoginLink, User

LINK_PAGE = "inloglink"
LINK_MINUTES = 30
INVITE_DAYS = 7
UNUSABLE_PASSWORD = "!"  # not an argon2 hash: nothing verifies against it (sign-in is by link)
# Requests for a link: at most this many per e-mail address, and per client address, in auth.WINDOW.
REQUESTS_PER_EMAIL = 3
REQUESTS_PER_ADDRESS = 10
UNKNOWN = "login_link.unknown"


def employer_account(session: Session, user_id: int) -> User:
    """The active employer account `user_id`, or auth.not_allowed."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or user.role != Role.EMPLOYER or not user.active or user.employer_id is None:
        raise DomainError("auth.not_allowed")
    return user


def employer_id_of(session: Session, user_id: int) -> int:
    """The organisation the logged-in employer account belongs to."""
    return employer_account(session, user_id).employer_id


def contacts(session: Session, employer_id: int) -> list[User]:
    """The organisation's contact persons (accounts), by name."""
    return list(session.exec(select(User).where(User.employer_id == employer_id, User.role == Role.EMPLOYER)
                             .order_by(User.name, User.id)))


def team(session: Session, user_id: int) -> list[User]:
    """The logged-in employer's colleagues with an active account (themselves included)."""
    return [u for u in contacts(session, employer_id_of(session, user_id)) if u.active]


def _new_link(session: Session, user: User, valid: timedelta, now: datetime) -> LoginLink:
    """A new link for `user`; every older link of theirs that was not used stops working, and a mail
    with one that no sender has taken yet is not sent (it could only carry a link that fails)."""
    older = list(session.exec(select(LoginLink).where(LoginLink.user_id == user.id, LoginLink.used_at.is_(None))))
    for old in older:
        old.token_hash = None
        old.expires_at = min(old.expires_at, now)
    if older:
        session.exec(delete(Message).where(col(Message.login_link_id).in_([old.id for old in older]),
                                           Message.status == "queued"))
    link = LoginLink(user_id=user.id, created_at=now, expires_at=now + valid)
    session.add(link)
    session.flush()
    return link


def _queue(session: Session, user: User, link: LoginLink, lang: str, *, invited_by: str | None = None,
           organisation: str = "") -> None:
    sender, domain = outbox.sender()
    if invited_by is not None:
        subject, text, html = compose_login_link(lang, user.name, sender=sender, organisation=organisation,
                                                 invited_by=invited_by, days=INVITE_DAYS)
    else:
        subject, text, html = compose_login_link(lang, user.name, sender=sender, minutes=LINK_MINUTES)
    outbox.queue(session, kind="login_link", to_address=user.email, to_name=user.name, subject=subject, text=text,
                 html=html, lang=lang, employer_id=user.employer_id, login_link_id=link.id,
                 key=f"login_link:{link.id}", domain=domain)


def _account_for(session: Session, employer: Employer, email: str, name: str) -> User:
    """The employer account with this address for this organisation, made (or switched on) if need be.
    An address that has an account of another kind, or of another organisation, is refused."""
    email, name = auth.account_fields(email, name)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None and (user.role != Role.EMPLOYER or user.employer_id != employer.id):
        raise DomainError("auth.user_exists", field="email")
    if user is None:
        user = User(email=email, name=name, role=Role.EMPLOYER.value, employer_id=employer.id,
                    organisation=employer.organisation, password_hash=UNUSABLE_PASSWORD, active=True)
        session.add(user)
    else:
        user.name, user.active = name, True
    session.flush()
    return user


@audit.action("employer_accounts.invite")
def invite(session: Session, employer_id: int, email: str, name: str, invited_by: str, lang: str = "nl",
           now: datetime | None = None) -> User:
    """Staff invite a contact person of an organisation: an account (or the existing one of this
    organisation, switched on) and a mail with a sign-in link that works INVITE_DAYS."""
    now = now or utcnow()
    employer = session.get(Employer, employer_id) if employer_id is not None else None
    if employer is None:
        raise DomainError("employer_accounts.no_organisation", field="employer")
    user = _account_for(session, employer, email, name)
    by = session.exec(select(User.name).where(User.email == invited_by)).first() or outbox.sender()[0]
    _queue(session, user, _new_link(session, user, timedelta(days=INVITE_DAYS), now), lang, invited_by=by,
           organisation=employer.organisation)
    return user


def account_for_new_organisation(session: Session, employer: Employer, lang: str = "nl",
                                 now: datetime | None = None) -> User | None:
    """The public employer sign-up made this organisation: its contact person gets an account and a
    sign-in link (INVITE_DAYS). Only for an organisation that form created; never for one we knew.
    None when the address is already someone else's account (staff can invite another)."""
    if not employer.email:
        return None
    try:
        user = _account_for(session, employer, employer.email, employer.contact_name)
    except DomainError:
        return None
    _queue(session, user, _new_link(session, user, timedelta(days=INVITE_DAYS), now or utcnow()), lang,
           invited_by="", organisation=employer.organisation)
    return user


def _requests(session: Session, key: str, now: datetime) -> int:
    return len(session.exec(select(LoginFailure.id).where(LoginFailure.key == key,
                                                          LoginFailure.at > now - auth.WINDOW)).all())


@audit.action("employer_accounts.request_link")
def request_link(session: Session, email: str, address: str | None = None, lang: str = "nl",
                 now: datetime | None = None) -> None:
    """Someone asks for a sign-in link. Returns nothing, whatever happened: the page always answers
    the same. Each request counts (per address typed and per client address); over the limit
    nothing is sent."""
    now = now or utcnow()
    try:
        email, _ = auth.account_fields(email, "-")
    except DomainError:
        raise DomainError("field.email_invalid", field="email") from None
    keys = [(f"link:{email}", REQUESTS_PER_EMAIL)] + ([(f"link-from:{address}", REQUESTS_PER_ADDRESS)] if address else [])
    if any(_requests(session, key, now) >= limit for key, limit in keys):
        audit_record(session, email, "auth.link_throttled", f"address {address}" if address else "")
        return None
    for key, _ in keys:
        session.add(LoginFailure(key=key, at=now))
    user = session.exec(select(User).where(User.email == email, User.role == Role.EMPLOYER,
                                           User.active.is_(True), User.employer_id.is_not(None))).first()
    if user is not None:
        _queue(session, user, _new_link(session, user, timedelta(minutes=LINK_MINUTES), now), lang)
    session.flush()
    return None


def mint_login_link(session: Session, link_id: int, now: datetime | None = None) -> str | None:
    """The token of a link that can still be used (the sender calls this when it sends the mail).
    Only its hash is kept."""
    link = session.get(LoginLink, link_id)
    if link is None or link.used_at is not None or link.expires_at <= (now or utcnow()):
        return None
    token, link.token_hash = links.new_token()
    session.flush()
    return token


def _open(session: Session, token: str, now: datetime | None) -> tuple[LoginLink, User]:
    link = links.find(session, LoginLink, token, UNKNOWN, now)
    user = session.get(User, link.user_id)
    if link.used_at is not None or user is None or user.role != Role.EMPLOYER or not user.active \
            or user.employer_id is None:
        raise NotFound(UNKNOWN)
    return link, user


def check_link(session: Session, token: str, now: datetime | None = None) -> str:
    """The name on a link that still works (NotFound otherwise), before it is used."""
    return _open(session, token, now)[1].name


@audit.action("employer_accounts.sign_in_with_link")
def sign_in_with_link(session: Session, token: str, now: datetime | None = None) -> User:
    """The link is used: the account is signed in and the link stops working. An unknown, used,
    replaced or expired link is NotFound(UNKNOWN), all alike."""
    now = now or utcnow()
    link, user = _open(session, token, now)
    link.used_at, link.token_hash = now, None
    user.last_login_at = now
    session.flush()
    return user
