"""Opening a personal 'mijn aanmelding' link: the registration, event and person a token belongs to.
The tokens themselves (minting, hashing, expiry) are messages.links."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ..events.models import Event
from ..messages.links import find
from ..messages.models import PersonalLink
from .models import Registration
from ..people.models import Employer, Jobseeker


@dataclass
class Opened:
    registration: Registration
    event: Event
    person: Jobseeker | None
    employer: Employer | None


def open_link(session: Session, token: str, now: datetime | None = None) -> Opened:
    """The registration a token belongs to."""
    link = find(session, PersonalLink, token, "mine.link_unknown", now)
    reg = session.get(Registration, link.registration_id)
    event = session.get(Event, reg.event_id)
    return Opened(reg, event, session.get(Jobseeker, reg.jobseeker_id) if reg.jobseeker_id else None,
                  session.get(Employer, reg.employer_id) if reg.employer_id else None)
