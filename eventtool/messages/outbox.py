"""The transactional outbox. Domain operations add Message rows in their own transaction, so a
message exists exactly when the change it tells about was committed. The sender claims due rows
(FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite, so several app processes never
take the same row), sends them and marks them sent or schedules a retry with backoff."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlmodel import Session, col, func, select

from ..core.config import get_settings
from ..core.text import FORBIDDEN
from ..core.timeutil import utcnow
from .models import Message

# Waits between tries after a temporary failure; after the last one a message is 'failed'.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=12))
CLAIM_FOR = timedelta(minutes=5)
# Why a message failed, as keys the Berichten page shows in the staff member's language (a mail
# server's own answer is kept as it came).
BAD_NAME, BAD_ADDRESS, BAD_SUBJECT = "messages.error.bad_name", "messages.error.bad_address", "messages.error.bad_subject"
GAVE_UP = "messages.error.gave_up"


def sender() -> tuple[str, str]:
    """Who the messages are from (the name in EVENTTOOL_MAIL_FROM, else its address) and the domain
    of that address, for the messages' Message-IDs."""
    name, address = parseaddr(get_settings().mail_from)
    return name or address, (address.rsplit("@", 1)[-1] if "@" in address else "eventtool")


def message_id(domain: str = "eventtool") -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue(session: Session, *, kind: str, to_address: str, subject: str, text: str, html: str, lang: str = "nl",
          to_name: str = "", ics: str | None = None, ics_name: str = "", event_id: int | None = None,
          registration_id: int | None = None, jobseeker_id: int | None = None, employer_id: int | None = None,
          key: str | None = None, domain: str = "eventtool", key_is_new: bool = False,
          survey_id: int | None = None, invitation_id: int | None = None, code: str | None = None,
          login_link_id: int | None = None) -> Message | None:
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
                  invitation_id=invitation_id, code=code, login_link_id=login_link_id)
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
    taken = []
    for msg in session.exec(query):
        if msg.attempts > len(BACKOFF):
            # Claimed this often and never finished: a sender dies on it (killed, out of memory).
            # It fails rather than staying 'sending' for ever; staff can send it again.
            msg.status, msg.claimed_until, msg.last_error = "failed", None, GAVE_UP
            continue
        msg.status = "sending"
        msg.claimed_until = now + claim_for
        msg.attempts += 1
        taken.append(msg)
    session.flush()
    return taken


def unsendable(msg: Message) -> str | None:
    """Why a message cannot be written as an e-mail at all (made from data stored before names
    were checked for every control character), or None. In a header a lone CR or U+2028 would end
    the line; an address outside ASCII needs SMTPUTF8, which the sender does not use."""
    if FORBIDDEN.search(msg.to_name):
        return BAD_NAME
    if FORBIDDEN.search(msg.to_address) or not msg.to_address.isascii():
        return BAD_ADDRESS
    if FORBIDDEN.search(msg.subject):
        return BAD_SUBJECT
    return None


# Kinds whose row goes once sent: a coach's CANCELs for an erased client ('coach_erased') hold the
# erased registration's UIDs next to the coach's address, the very link erasure undoes. Once it went
# out it is in the coach's mailbox and calendar; until then it stays, to be sent (again), and the
# retention purge removes one that never went out.
GONE_WHEN_SENT = ("coach_erased",)


def mark_sent(session: Session, message_pk: int, now: datetime | None = None) -> None:
    msg = session.get(Message, message_pk)
    if msg is not None and msg.kind in GONE_WHEN_SENT:
        session.delete(msg)
        session.flush()
    elif msg is not None:
        msg.status, msg.sent_at, msg.claimed_until, msg.last_error = "sent", now or utcnow(), None, ""
        msg.code = None  # it is in the person's mailbox now; the store keeps only its hash
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
