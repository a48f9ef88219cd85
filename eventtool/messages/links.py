"""The personal 'mijn aanmelding' link: a long random token in the mail, only its hash in the
store, valid until the event has ended. Holding it proves one received mail at the address we
have, so it is also how a returning person confirms what they typed on a public form."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..errors import NotFound
from ..models import Employer, Event, Jobseeker, Registration
from ..timeutil import utcnow
from .models import PersonalLink

PLACEHOLDER = "[[mijn-aanmelding]]"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mint(session: Session, registration_id: int, expires_at: datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(PersonalLink(registration_id=registration_id, token_hash=_hash(token), expires_at=expires_at))
    session.flush()
    return token


def url(base_url: str, token: str, page: str = "mijn-aanmelding") -> str:
    return f"{base_url.rstrip('/')}/{page}?t={token}"


@dataclass
class Opened:
    registration: Registration
    event: Event
    person: Jobseeker | None
    employer: Employer | None


def open_link(session: Session, token: str, now: datetime | None = None) -> Opened:
    """The registration a token belongs to. An unknown, mistyped or expired token gets one and
    the same answer, so the page cannot be used to probe for tokens."""
    token = (token or "").strip()
    link = session.exec(select(PersonalLink).where(PersonalLink.token_hash == _hash(token))).first() \
        if 20 <= len(token) <= 100 else None
    if link is None or link.expires_at <= (now or utcnow()):
        raise NotFound("mine.link_unknown")
    reg = session.get(Registration, link.registration_id)
    event = session.get(Event, reg.event_id)
    return Opened(reg, event, session.get(Jobseeker, reg.jobseeker_id) if reg.jobseeker_id else None,
                  session.get(Employer, reg.employer_id) if reg.employer_id else None)
