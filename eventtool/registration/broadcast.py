"""One message to everyone of an event, or to one audience of it (issue 29): "De ingang is verplaatst
naar de achterkant van het gebouw." Written in Dutch and, if the organiser likes, in English too;
each recipient gets it through the outbox in the language they signed up in (in Dutch when no
English text was written). Who gets it is audiences.reach: every person once, a jobcoach once
however many clients they have here, never someone cancelled or erased. Each message is linked to
the registration that makes its address a recipient, so one that leaves before the sender took the
message takes it out of the outbox (notify.withdraw_unsent hands it on to another registration that
still makes that address a recipient, such as a coach's other client), and erasure deletes it with
the person's other messages."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import field_validator
from sqlmodel import Session

from ..core import audit
from ..core.errors import DomainError
from ..core.text import Input, text_field
from ..core.timeutil import utcnow
from ..core.validation import parse
from ..core.vocab import EventStatus
from ..events.models import Event
from ..events.reads import get_event
from ..messages import outbox
from ..messages.content import compose_broadcast
from .audiences import Reach, reach
from .notify import BROADCAST

SUBJECT_MAX = 150
BODY_MAX = 4000


class BroadcastIn(Input):
    """What the organiser wrote: the audience, a subject and a text in Dutch, and optionally both in English."""
    audience: Literal["all", "jobseekers", "employers", "coaches", "waitlist"] = "all"
    subject: str
    body: str
    subject_en: str = ""
    body_en: str = ""

    _subject = field_validator("subject", mode="before")(text_field(SUBJECT_MAX, required=True))
    _body = field_validator("body", mode="before")(text_field(BODY_MAX, required=True, multiline=True))
    _subject_en = field_validator("subject_en", mode="before")(text_field(SUBJECT_MAX))
    _body_en = field_validator("body_en", mode="before")(text_field(BODY_MAX, multiline=True))

    @staticmethod
    def cross_rules(values: dict) -> dict[str, str]:
        """English is both a subject and a text, or neither."""
        subject, body = (str(values.get(f) or "").strip() for f in ("subject_en", "body_en"))
        if subject and not body:
            return {"body_en": "broadcast.english_incomplete"}
        if body and not subject:
            return {"subject_en": "broadcast.english_incomplete"}
        return {}


@dataclass
class Preview:
    """What the organiser sees before sending: the message in each language written, as the person
    will see it (lang, subject, text), and whom it reaches."""
    event: Event
    data: BroadcastIn
    reach: Reach
    versions: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reach.recipients)


def _open(session: Session, event_id: int, now: datetime | None) -> Event:
    event = get_event(session, event_id)
    if event.status == EventStatus.CANCELLED:
        raise DomainError("broadcast.event_cancelled")
    if event.ends_at <= (now or utcnow()):
        raise DomainError("broadcast.event_over")
    return event


def _compose(event: Event, data: BroadcastIn, lang: str, name: str) -> tuple[str, str, str]:
    english = lang == "en" and bool(data.subject_en)
    subject, body = (data.subject_en, data.body_en) if english else (data.subject, data.body)
    return compose_broadcast("en" if english else "nl", name, subject, body, event.title, event.starts_at,
                             event.ends_at, sender=outbox.sender()[0])


def preview(session: Session, event_id: int, data: dict | BroadcastIn, name: str, now: datetime | None = None) -> Preview:
    """Check what was written (every problem at once, in ValidationFailed) and show it as it will
    be sent, greeting `name` (a stand-in for each person's own), with whom it reaches. Changes nothing."""
    data = data if isinstance(data, BroadcastIn) else parse(BroadcastIn, data)
    event = _open(session, event_id, now)
    langs = ["nl", "en"] if data.subject_en else ["nl"]
    versions = [(lang, *_compose(event, data, lang, name)[:2]) for lang in langs]
    return Preview(event, data, reach(session, event_id, data.audience), versions)


@audit.action("registration.broadcast")
def broadcast(session: Session, event_id: int, data: dict | BroadcastIn, now: datetime | None = None) -> int:
    """Queue the message for everyone of the audience (one per address), each in their own
    language; returns how many. People without an e-mail address are not in it (the preview
    counts them, to be phoned or told at the door)."""
    data = data if isinstance(data, BroadcastIn) else parse(BroadcastIn, data)
    event = _open(session, event_id, now)
    recipients = reach(session, event_id, data.audience).recipients
    if not recipients:
        raise DomainError("broadcast.nobody")
    _, domain = outbox.sender()
    batch = uuid.uuid4().hex[:12]
    for n, r in enumerate(recipients):
        subject, text, html = _compose(event, data, r.lang, r.name or r.address)
        outbox.queue(session, kind=BROADCAST, to_address=r.address, to_name=r.name, subject=subject, text=text,
                     html=html, lang="en" if r.lang == "en" and data.subject_en else "nl", event_id=event.id,
                     registration_id=r.registration_id, jobseeker_id=r.jobseeker_id, employer_id=r.employer_id,
                     key=f"{BROADCAST}:{data.audience}:{batch}:{n}", key_is_new=True, domain=domain)
    session.flush()
    return len(recipients)
