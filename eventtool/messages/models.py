"""Tables of the messages capability: the transactional outbox, personal links and unsubscribe links."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from ..core.timeutil import utcnow


class Message(SQLModel, table=True):
    """One e-mail to one person, written in the same transaction as the change it tells about and
    delivered later by the sender. `key` makes queueing idempotent (a reminder is queued once);
    `message_id` is fixed when queued, so a retry after a crash sends the very same message."""
    __tablename__ = "message"
    __table_args__ = (Index("ix_message_due", "status", "next_attempt_at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    message_id: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=30)
    lang: str = Field(default="nl", max_length=5)
    to_address: str = Field(max_length=254)
    to_name: str = Field(default="", max_length=120)
    subject: str = Field(max_length=300)
    # The personal link is made when the message is sent; the stored text holds its place.
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    # The personal code shown at sign-up, which the confirmation repeats (people who phone in rely
    # on it). Kept only until the message is sent: the store otherwise has just the code's hash.
    code: Optional[str] = Field(default=None, max_length=12)
    ics: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    ics_name: str = Field(default="", max_length=100)
    event_id: Optional[int] = Field(default=None, foreign_key="event.id", index=True, ondelete="SET NULL")
    registration_id: Optional[int] = Field(default=None, foreign_key="registration.id", index=True,
                                           ondelete="SET NULL")
    jobseeker_id: Optional[int] = Field(default=None, foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    employer_id: Optional[int] = Field(default=None, foreign_key="employer.id", index=True, ondelete="CASCADE")
    # A follow-up survey's message carries that survey's own link instead of 'mijn aanmelding'.
    survey_id: Optional[int] = Field(default=None, foreign_key="survey.id", index=True, ondelete="CASCADE")
    # An invitation to a coach account carries the link to choose a password.
    invitation_id: Optional[int] = Field(default=None, foreign_key="invitation.id", index=True, ondelete="CASCADE")
    # A sign-in link for an employer's contact person (people.employer_accounts), made when it is sent.
    login_link_id: Optional[int] = Field(default=None, foreign_key="login_link.id", index=True, ondelete="CASCADE")
    status: str = Field(default="queued", max_length=12)  # queued | sending | sent | failed
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_until: Optional[datetime] = None
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = None


class PersonalLink(SQLModel, table=True):
    """A 'mijn aanmelding' link: a long random token of which only the hash is kept. It is made
    when a message carrying it is sent, and works until the event has ended."""
    __tablename__ = "personal_link"
    id: Optional[int] = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class UnsubscribeLink(SQLModel, table=True):
    """The List-Unsubscribe link (RFC 8058 one-click) of a reminder or a follow-up survey mail: a
    long random token of which only the hash is kept, made when the mail is sent. It does one thing
    only, switch off that kind of mail: reminders for its registration (`kind` 'reminders') or
    surveys for the respondent of its survey ('surveys'). It opens nothing and changes nothing else."""
    __tablename__ = "unsubscribe_link"
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)  # reminders | surveys
    registration_id: Optional[int] = Field(default=None, foreign_key="registration.id", index=True,
                                           ondelete="CASCADE")
    survey_id: Optional[int] = Field(default=None, foreign_key="survey.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
