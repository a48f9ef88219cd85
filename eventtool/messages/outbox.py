"""The transactional outbox. Domain operations add Message rows in their own transaction, so a
message exists exactly when the change it tells about was committed. The sender claims due rows
(FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite, so several app processes never
take the same row), sends them and marks them sent or schedules a retry with backoff."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from ..errors import DomainError, NotFound
from ..timeutil import utcnow
from .models import Message

# Waits between tries after a temporary failure; after the last one a message is 'failed'.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))
CLAIM_FOR = timedelta(minutes=5)


def message_id(domain: str = "eventtool") -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue(session: Session, *, kind: str, to_address: str, subject: str, text: str, html: str, lang: str = "nl",
          to_name: str = "", ics: str | None = None, ics_name: str = "", event_id: int | None = None,
          registration_id: int | None = None, jobseeker_id: int | None = None, employer_id: int | None = None,
          key: str | None = None, domain: str = "eventtool", key_is_new: bool = False,
          survey_id: int | None = None, invitation_id: int | None = None) -> Message | None:
    """Add one message to the outbox (in the caller's transaction). With a `key` that was queued
    before, nothing is added: queueing is idempotent (a caller that checked many keys at once says
    `key_is_new`; the unique index still holds)."""
    if key is not None and not key_is_new and \
            session.exec(select(Message.id).where(Message.key == key)).first() is not None:
        return None
    msg = Message(key=key or f"{kind}:{uuid.uuid4().hex}", message_id=message_id(domain), kind=kind, lang=lang,
                  to_address=to_address, to_name=to_name[:120], subject=subject[:300], body_text=text, body_html=html,
                  ics=ics, ics_name=ics_name, event_id=event_id, registration_id=registration_id,
                  jobseeker_id=jobseeker_id, employer_id=employer_id, survey_id=survey_id,
                  invitation_id=invitation_id)
    session.add(msg)
    if not key_is_new:
        session.flush()
    return msg


def claim(session: Session, limit: int = 50, now: datetime | None = None,
          claim_for: timedelta = CLAIM_FOR) -> list[Message]:
    """Take up to `limit` due messages for this sender: queued ones whose time has come, and ones
    another sender claimed but never finished (it was killed). Runs in its own write transaction."""
    now = now or utcnow()
    due = ((col(Message.status) == "queued") & (col(Message.next_attempt_at) <= now)) | (
        (col(Message.status) == "sending") & (col(Message.claimed_until) < now))
    query = select(Message).where(due).order_by(Message.next_attempt_at, Message.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    taken = list(session.exec(query))
    for msg in taken:
        msg.status = "sending"
        msg.claimed_until = now + claim_for
        msg.attempts += 1
    session.flush()
    return taken


def mark_sent(session: Session, message_pk: int, now: datetime | None = None) -> None:
    msg = session.get(Message, message_pk)
    if msg is not None:
        msg.status, msg.sent_at, msg.claimed_until, msg.last_error = "sent", now or utcnow(), None, ""
        session.flush()


def mark_failed(session: Session, message_pk: int, error: str, *, permanent: bool, now: datetime | None = None) -> None:
    """A refusal for good (an address that does not exist) fails at once; anything else is tried
    again after a growing wait, and fails after the last."""
    msg = session.get(Message, message_pk)
    if msg is None:
        return
    msg.last_error = error[:500]
    msg.claimed_until = None
    if permanent or msg.attempts > len(BACKOFF):
        msg.status = "failed"
    else:
        msg.status = "queued"
        msg.next_attempt_at = (now or utcnow()) + BACKOFF[msg.attempts - 1]
    session.flush()


def resend(session: Session, message_pk: int) -> Message:
    """Staff: send a message again (after a failure, or because the person lost it). It keeps its
    Message-ID when it never went out; a copy of a sent one gets a new one."""
    msg = session.get(Message, message_pk)
    if msg is None:
        raise NotFound("messages.not_found")
    if msg.status in ("queued", "sending"):
        raise DomainError("messages.already_on_its_way")
    if msg.status == "sent":
        msg.message_id = message_id(msg.message_id.rsplit("@", 1)[-1].rstrip(">"))
    msg.status, msg.attempts, msg.next_attempt_at, msg.last_error = "queued", 0, utcnow(), ""
    session.flush()
    return msg


def listing(session: Session, event_id: int | None = None, status: str | None = None,
            limit: int = 500) -> list[Message]:
    """The newest messages first, of one event and/or one status (staff look for what failed)."""
    query = select(Message).order_by(col(Message.created_at).desc(), col(Message.id).desc()).limit(limit)
    if event_id is not None:
        query = query.where(Message.event_id == event_id)
    if status is not None:
        query = query.where(Message.status == status)
    return list(session.exec(query))


def counts(session: Session, event_id: int | None = None) -> dict[str, int]:
    query = select(Message.status, func.count()).group_by(Message.status)
    if event_id is not None:
        query = query.where(Message.event_id == event_id)
    return dict(session.exec(query).all())
