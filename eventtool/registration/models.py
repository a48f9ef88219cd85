"""Tables of registration: a person's or employer's place at an event (or on its waiting list), and
the sign-up attempts the anti-bot rules count."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Column, Index, JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..core.timeutil import utcnow
from ..core.vocab import RegSource


# What an erasure leaves in place of a registration's code (the column must stay unique): no code
# hashes to it, and such a registration never comes back to life.
ERASED = "erased:"


class Registration(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("(jobseeker_id IS NULL) <> (employer_id IS NULL)", name="ck_registration_one_party"),
        UniqueConstraint("event_id", "jobseeker_id", name="uq_registration_event_jobseeker"),
        UniqueConstraint("event_id", "employer_id", name="uq_registration_event_employer"),
        # Job fair: an employer's stand number, one per stand at an event (registration.stands).
        UniqueConstraint("event_id", "stand", name="uq_registration_event_stand"),
        Index("ix_registration_event_status", "event_id", "status"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    jobseeker_id: Optional[int] = Field(default=None, foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    employer_id: Optional[int] = Field(default=None, foreign_key="employer.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=20)
    # Raised with every change of this person's status at the event (a place, the waiting list, a
    # cancellation, a place again) and added to the event's SEQUENCE in the calendar entries they
    # are sent: each change supersedes the one before in their calendar (RFC 5546).
    calendar_sequence: int = 0
    source: str = Field(default=RegSource.FORM.value, max_length=20)
    # Ranked employer ids a jobseeker wants to meet (speedmeet).
    picks: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tables: int = 1
    cancel_token_hash: str = Field(max_length=64, unique=True)
    # The personal door code's hash (registration.door: the QR code in mails, on the personal page,
    # the letter and badges; None: erased), and the random nonce the code is made from with the key.
    door_code_hash: Optional[str] = Field(default=None, max_length=64, unique=True)
    door_nonce: Optional[str] = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    # Waiting-list order: set when the registration (re)joins the list.
    queued_at: datetime = Field(default_factory=utcnow)
    cancelled_at: Optional[datetime] = None
    checked_in_at: Optional[datetime] = None
    # Set after the event for confirmed people who did not come.
    no_show: bool = False
    # Speedmeet: the rounds a jobseeker is present (None: all); an employer's tables that seat two.
    available_rounds: Optional[list[int]] = Field(default=None, sa_column=Column(JSON, nullable=True))
    wide_tables: Optional[int] = None
    # Job fair: the arrival time slot given to this jobseeker.
    arrival_slot_id: Optional[int] = Field(default=None, foreign_key="arrival_slot.id", ondelete="SET NULL")
    # Job fair: the employer's stand ("12", "A3": up to 10 letters, digits, '-', '.', '/'); None: none yet.
    stand: Optional[str] = Field(default=None, max_length=10)
    # The language the person signed up in: their messages are written in it.
    lang: str = Field(default="nl", max_length=5)
    # Reminders may be switched off (changes to the event are always sent).
    reminders: bool = True
    # A jobcoach named at sign-up gets a copy of the messages, once the person is known to have
    # named them: staff signed them up, the person was new, or they confirmed it with their link.
    coach_name: Optional[str] = Field(default=None, max_length=100)
    coach_email: Optional[str] = Field(default=None, max_length=254)
    coach_confirmed: bool = False
    # Someone who comes along to this event (a linked seat): "jobcoach" or "interpreter", with a name.
    companion: Optional[str] = Field(default=None, max_length=20)
    companion_name: Optional[str] = Field(default=None, max_length=100)


class SignupAttempt(SQLModel, table=True):
    """A public sign-up that was refused (bot trap, invalid input), per client address. Kept in the
    database so no client can reset it and every app process sees it; old rows go as new ones come."""
    __tablename__ = "signup_attempt"
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class ProfileCard(SQLModel, table=True):
    """A jobseeker's profile card for one event: a short pitch, what they look for, what they can,
    the hours they want. Employers of that event see it only when the person chose to share it
    (`shared`, never ticked for them) and staff approved exactly this text; any change by the person
    sends it back for review. Sharing ends `share_days` after the event and the purge removes it.
    Never on it: support needs, target group, health, contact details, the full surname."""
    __tablename__ = "profile_card"
    id: Optional[int] = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", unique=True, ondelete="CASCADE")
    pitch: str = Field(default="", max_length=300)
    seeking: str = Field(default="", max_length=300)
    skills: str = Field(default="", max_length=300)
    hours: str = Field(default="", max_length=60)
    # The person's choice to share the card with this event's employers, when and by whom it was given
    # (None: by the person; "coach:<e-mail>": a coach filled it in, confirmed by the person's link).
    shared: bool = False
    shared_at: Optional[datetime] = None
    share_version: Optional[str] = Field(default=None, max_length=30)
    via: Optional[str] = Field(default=None, max_length=260)
    # pending (waits for staff) | approved | rejected (with the reason told to the person)
    status: str = Field(default="pending", max_length=10)
    reason: str = Field(default="", max_length=300)
    reviewed_by: str = Field(default="", max_length=254)
    reviewed_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CardView(SQLModel, table=True):
    """An employer account looked at a shared card (the audit trail a person's export shows: which
    organisation saw their card, when). Erased with the card."""
    __tablename__ = "card_view"
    id: Optional[int] = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="profile_card.id", index=True, ondelete="CASCADE")
    employer_id: int = Field(foreign_key="employer.id", index=True, ondelete="CASCADE")
    user_id: Optional[int] = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    viewed_at: datetime = Field(default_factory=utcnow)
