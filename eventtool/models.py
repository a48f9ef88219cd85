"""Tables (table=True, no validation on construction) and data models (validated input).

Enumerated values are stored as plain strings so the schema is the same on SQLite and PostgreSQL;
the data models restrict them to the vocabularies in `vocab`.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Literal, Optional

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from .errors import DomainError
from .timeutil import utcnow
from .vocab import REGIONS, SECTORS, Audience, EventKind, EventStatus, OutcomeKind, RegSource, SupportNeed, TargetGroup

# Consent texts are versioned: the stored version says exactly what someone agreed to.
CONSENT_VERSION = "2026-11-v1"

# Control characters (C0, DEL, C1) and Unicode's line and paragraph separators. None belongs in a
# name, an address or a title, and in a mail header a lone CR, NEL or U+2028 ends the line (what
# follows would be a header of its own, e.g. 'Bcc:'). A multi-line field keeps its line breaks.
FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FORBIDDEN_MULTILINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _err(code: str, **ctx):
    return PydanticCustomError(code, code, ctx)


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Strip ends; refuse control characters and line separators (but keep any other Unicode,
    emoji and markup verbatim). A multi-line field keeps its line breaks, each as one LF."""
    value = (value or "").strip()
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if _FORBIDDEN_MULTILINE.search(value):
            raise _err("field.control_chars_multiline")
    elif FORBIDDEN.search(value):
        raise _err("field.control_chars")
    return value


def normalise_email(value: str | None) -> str | None:
    value = clean_text(value)
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise _err("field.email_invalid") from None


def normalise_phone(value: str | None) -> str | None:
    value = clean_text(value)
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        raise _err("field.phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise _err("field.phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def new_uid() -> str:
    return f"{uuid.uuid4()}@eventtool"


# --------------------------------------------------------------------------- tables


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    # A coach's organisation (jobcoach service, municipality, school), shown to staff and in mails.
    organisation: Optional[str] = Field(default=None, max_length=120)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: Optional[datetime] = None


class LoginFailure(SQLModel, table=True):
    """A failed staff login, per account and per address (kept in the database, so no client can
    reset it and every replica sees it). Old rows are removed as new ones come in."""
    __tablename__ = "login_failure"
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, index=True)  # "account:<email>", "address:<ip or /64>" or "pair:<hash of both>"
    at: datetime = Field(default_factory=utcnow, index=True)


class EventSeries(SQLModel, table=True):
    __tablename__ = "event_series"
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    kind: str = Field(max_length=20)
    rrule: str = Field(max_length=500)
    uid: str = Field(default_factory=new_uid, max_length=100, unique=True)
    sequence: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_event_ends_after_start"),
        CheckConstraint("capacity_jobseekers >= 0 AND capacity_employers >= 0", name="ck_event_capacity"),
        Index("ix_event_starts_at", "starts_at"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=4000)
    venue_name: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=80)
    accessibility_notes: str = Field(default="", max_length=1000)
    region: Optional[str] = Field(default=None, max_length=60)
    starts_at: datetime
    ends_at: datetime
    registration_deadline: Optional[datetime] = None
    capacity_jobseekers: int = 0
    capacity_employers: int = 0
    # A jobcoach or interpreter who comes along takes a place of their own (the venue counts heads).
    companions_count: bool = False
    status: str = Field(default=EventStatus.DRAFT.value, max_length=20)
    series_id: Optional[int] = Field(default=None, foreign_key="event_series.id", index=True)
    # The start this occurrence had when the series generated it (RECURRENCE-ID in calendars).
    original_start: Optional[datetime] = None
    is_exception: bool = False
    uid: str = Field(default_factory=new_uid, max_length=100, unique=True)
    sequence: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ProgrammeBlock(SQLModel, table=True):
    __tablename__ = "programme_block"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ck_block_ends_after_start"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=120)
    audience: str = Field(max_length=20)
    starts_at: datetime
    ends_at: datetime


class Jobseeker(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    email: Optional[str] = Field(default=None, max_length=254, index=True)
    phone: Optional[str] = Field(default=None, max_length=20, index=True)
    region: Optional[str] = Field(default=None, max_length=60, index=True)
    interests: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    seeking: str = Field(default="", max_length=300)
    pitch: str = Field(default="", max_length=600)
    support_needs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    target_group: Optional[str] = Field(default=None, max_length=30)
    school: Optional[str] = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Employer(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    organisation: str = Field(max_length=120)
    # Casefolded name without legal form: how the same organisation is recognised again.
    organisation_key: str = Field(max_length=120, unique=True)
    contact_name: str = Field(max_length=100)
    email: Optional[str] = Field(default=None, max_length=254)
    phone: Optional[str] = Field(default=None, max_length=20)
    sectors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    offers: str = Field(default="", max_length=600)
    recruiters: int = 1
    sroi: bool = False
    region: Optional[str] = Field(default=None, max_length=60)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Registration(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("(jobseeker_id IS NULL) <> (employer_id IS NULL)", name="ck_registration_one_party"),
        UniqueConstraint("event_id", "jobseeker_id", name="uq_registration_event_jobseeker"),
        UniqueConstraint("event_id", "employer_id", name="uq_registration_event_employer"),
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


class ProfileProposal(SQLModel, table=True):
    """What a public form typed about a person or organisation we already know. It changes nothing
    until a staff member accepts it (or, later, the owner of the address confirms it); accepting or
    rejecting removes it, so no typed data lingers."""
    __tablename__ = "profile_proposal"
    id: Optional[int] = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    jobseeker_id: Optional[int] = Field(default=None, foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    employer_id: Optional[int] = Field(default=None, foreign_key="employer.id", index=True, ondelete="CASCADE")
    # field -> the value typed, only for fields that were filled in and differ from what is stored
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    consent_special: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class SignupAttempt(SQLModel, table=True):
    """A public sign-up that was refused (bot trap, invalid input), per client address. Kept in the
    database so no client can reset it and every app process sees it; old rows go as new ones come."""
    __tablename__ = "signup_attempt"
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class Consent(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    jobseeker_id: int = Field(foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    scope: str = Field(max_length=30)  # "registration" | "special_category"
    text_version: str = Field(max_length=30)
    given_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: Optional[datetime] = None
    # Who passed the consent on: None for the person themselves, "coach:<e-mail>" for their coach.
    given_via: Optional[str] = Field(default=None, max_length=260)


class Outcome(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    jobseeker_id: Optional[int] = Field(default=None, foreign_key="jobseeker.id", index=True, ondelete="SET NULL")
    event_id: Optional[int] = Field(default=None, foreign_key="event.id", index=True, ondelete="SET NULL")
    employer_id: Optional[int] = Field(default=None, foreign_key="employer.id", index=True, ondelete="SET NULL")
    kind: str = Field(max_length=30)
    occurred_on: datetime
    recorded_at: datetime = Field(default_factory=utcnow)
    recorded_by: str = Field(default="", max_length=100)
    # Whose view this is: the organiser's, or the employer's when asked for it.
    source: str = Field(default="organiser", max_length=20)
    note: str = Field(default="", max_length=500)
    # Hours per week of a job or placement (Banenafspraak counts jobs in units of 25.5 hours).
    hours_per_week: Optional[float] = None
    # An answer to a follow-up survey (answering again updates it); staff may set one aside when
    # answers disagree, and a set-aside outcome counts nowhere.
    survey_id: Optional[int] = Field(default=None, foreign_key="survey.id", index=True, ondelete="SET NULL")
    rejected_at: Optional[datetime] = None
    rejected_by: str = Field(default="", max_length=100)


class SpeedmeetSettings(SQLModel, table=True):
    __tablename__ = "speedmeet_settings"
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    rounds: int = 6
    round_minutes: int = 10
    break_minutes: int = 5
    first_round_at: datetime
    max_meetings: int = 4
    coverage_bonus: int = 10
    # In a series: points off a pair that already met at an earlier event of it (None: they are
    # not planned together again), unless the jobseeker picked that employer again.
    repeat_penalty: Optional[int] = None
    # Fairness: everyone present gets at least this many conversations where possible, before the
    # best matches are counted (None: off; the coverage bonus then favours a first one only).
    min_meetings: Optional[int] = None
    status: str = Field(default="draft", max_length=20)  # draft | published
    planned_at: Optional[datetime] = None
    total: Optional[int] = None
    upper_bound: Optional[int] = None
    optimal: bool = False
    seconds: Optional[float] = None


class Meeting(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("event_id", "jobseeker_id", "round", name="uq_meeting_jobseeker_round"),
        UniqueConstraint("event_id", "jobseeker_id", "employer_id", name="uq_meeting_pair"),
        Index("ix_meeting_event_round", "event_id", "round"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    jobseeker_id: int = Field(foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    employer_id: int = Field(foreign_key="employer.id", index=True, ondelete="CASCADE")
    round: int
    table_no: int = 1
    locked: bool = False


class EmployerWish(SQLModel, table=True):
    """Before a speedmeet, an employer would like to meet a jobseeker ('want', "graag spreken") or
    would rather not ('avoid', "liever niet")."""
    __tablename__ = "employer_wish"
    __table_args__ = (UniqueConstraint("event_id", "employer_id", "jobseeker_id", name="uq_employer_wish"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    employer_id: int = Field(foreign_key="employer.id", ondelete="CASCADE")
    jobseeker_id: int = Field(foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    wish: str = Field(max_length=5)  # want | avoid


class ArrivalSlot(SQLModel, table=True):
    __tablename__ = "arrival_slot"
    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    starts_at: datetime
    ends_at: datetime
    capacity: int
    audience: str = Field(max_length=20)


class AuditEntry(SQLModel, table=True):
    """Who viewed, exported or changed personal data, and when."""
    __tablename__ = "audit_log"
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=254)
    action: str = Field(max_length=60)
    subject: str = Field(default="", max_length=120)
    detail: str = Field(default="", max_length=500)


# --------------------------------------------------------------------------- data models


# The longest text each public form field takes; the forms cut a longer paste and say so.
JOBSEEKER_LIMITS = {"name": 100, "email": 254, "phone": 20, "seeking": 300, "pitch": 600, "school": 120,
                    "coach_name": 100, "coach_email": 254, "companion_name": 100}
EMPLOYER_LIMITS = {"organisation": 120, "contact_name": 100, "email": 254, "phone": 20, "offers": 600}


def _text(max_len: int, *, required: bool = False, multiline: bool = False):
    def check(value):
        value = clean_text(value, multiline=multiline)
        if required and not value:
            raise _err("field.required")
        if len(value) > max_len:
            raise _err("field.too_long", max=max_len)
        return value
    return check


def one_line(value: str | None, field: str, max_len: int, *, required: bool = False) -> str:
    """A one-line text taken outside the data models (an account's name, a coach's organisation),
    by the same rules; a broken one is a DomainError on `field`."""
    try:
        return _text(max_len, required=required)(value)
    except PydanticCustomError as exc:
        raise DomainError(exc.type, field=field, **(exc.context or {})) from None


class Input(SQLModel):
    """Base of the validated data models. `cross_rules` checks several fields together; it runs
    after the single-field checks pass, and `validation.parse` also runs it on the raw input when
    they do not, so a form shows every problem at once."""

    @staticmethod
    def cross_rules(values: dict) -> dict[str, str]:
        return {}

    @model_validator(mode="after")
    def _cross(self):
        for field, code in self.cross_rules(self.model_dump()).items():
            raise _err(code, field=field)
        return self


def _times_rules(values: dict) -> dict[str, str]:
    start, end = values.get("starts_at"), values.get("ends_at")
    deadline = values.get("registration_deadline")
    errors = {}
    both = lambda a, b: isinstance(a, datetime) and isinstance(b, datetime) and (a.tzinfo is None) == (b.tzinfo is None)  # noqa: E731
    if both(start, end) and end <= start:
        errors["ends_at"] = "event.ends_before_start"
    if both(start, deadline) and deadline > start:
        errors["registration_deadline"] = "event.deadline_after_start"
    return errors


class JobseekerIn(Input):
    # Defaults are validated too: a missing consent tick is an error, not a silent False.
    model_config = ConfigDict(validate_default=True)

    name: str
    email: Optional[str] = None
    phone: Optional[str] = None
    region: Optional[str] = None
    interests: list[str] = []
    seeking: str = ""
    pitch: str = ""
    support_needs: list[SupportNeed] = []
    target_group: Optional[TargetGroup] = None
    school: Optional[str] = None
    consent_registration: bool = False
    consent_special: bool = False
    # A jobcoach who comes along (kept with the registration, not the person): gets a copy.
    coach_name: Optional[str] = None
    coach_email: Optional[str] = None
    # Someone who comes along to this event: a jobcoach or a (sign language) interpreter.
    companion: Optional[Literal["jobcoach", "interpreter"]] = None
    companion_name: Optional[str] = None

    _companion = field_validator("companion", mode="before")(lambda v: v or None)
    _companion_name = field_validator("companion_name", mode="before")(
        lambda v: _text(JOBSEEKER_LIMITS["companion_name"])(v) or None)
    _name = field_validator("name", mode="before")(_text(JOBSEEKER_LIMITS["name"], required=True))
    _coach_name = field_validator("coach_name", mode="before")(
        lambda v: _text(JOBSEEKER_LIMITS["coach_name"])(v) or None)
    _coach_email = field_validator("coach_email", mode="before")(normalise_email)
    _seeking = field_validator("seeking", mode="before")(_text(JOBSEEKER_LIMITS["seeking"], multiline=True))
    _pitch = field_validator("pitch", mode="before")(_text(JOBSEEKER_LIMITS["pitch"], multiline=True))
    _school = field_validator("school", mode="before")(lambda v: _text(JOBSEEKER_LIMITS["school"])(v) or None)
    _email = field_validator("email", mode="before")(normalise_email)
    _phone = field_validator("phone", mode="before")(normalise_phone)

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, v):
        v = clean_text(v) or None
        if v is not None and v not in REGIONS:
            raise _err("field.choice_invalid")
        return v

    @field_validator("interests", mode="before")
    @classmethod
    def _interests(cls, v):
        v = list(dict.fromkeys(v or []))
        if any(s not in SECTORS for s in v):
            raise _err("field.choice_invalid")
        return v

    @field_validator("consent_registration", mode="after")
    @classmethod
    def _consent(cls, v):
        if not v:
            raise _err("consent.registration_required")
        return v

    @staticmethod
    def cross_rules(values: dict) -> dict[str, str]:
        errors = {}
        if not (values.get("email") or "").strip() and not (values.get("phone") or "").strip():
            errors["email"] = "jobseeker.contact_required"
        if (values.get("support_needs") or values.get("target_group")) and not values.get("consent_special"):
            errors["consent_special"] = "consent.special_required"
        return errors


class EmployerIn(Input):
    organisation: str
    contact_name: str
    email: Optional[str] = None
    phone: Optional[str] = None
    sectors: list[str] = []
    offers: str = ""
    recruiters: int = Field(default=1, ge=1, le=20)
    sroi: bool = False
    region: Optional[str] = None

    _org = field_validator("organisation", mode="before")(_text(EMPLOYER_LIMITS["organisation"], required=True))
    _contact = field_validator("contact_name", mode="before")(_text(EMPLOYER_LIMITS["contact_name"], required=True))
    _offers = field_validator("offers", mode="before")(_text(EMPLOYER_LIMITS["offers"], multiline=True))
    _email = field_validator("email", mode="before")(normalise_email)
    _phone = field_validator("phone", mode="before")(normalise_phone)
    _region = field_validator("region", mode="before")(JobseekerIn._region.__func__)
    _sectors = field_validator("sectors", mode="before")(JobseekerIn._interests.__func__)

    @staticmethod
    def cross_rules(values: dict) -> dict[str, str]:
        return {} if (values.get("email") or "").strip() else {"email": "employer.email_required"}


class EventIn(Input):
    kind: EventKind
    title: str
    description: str = ""
    venue_name: str = ""
    address: str = ""
    city: str = ""
    accessibility_notes: str = ""
    region: Optional[str] = None
    starts_at: datetime
    ends_at: datetime
    registration_deadline: Optional[datetime] = None
    capacity_jobseekers: int = Field(default=50, ge=0, le=100_000)
    capacity_employers: int = Field(default=10, ge=0, le=10_000)
    companions_count: bool = False
    status: EventStatus = EventStatus.DRAFT

    _title = field_validator("title", mode="before")(_text(120, required=True))
    _description = field_validator("description", mode="before")(_text(4000, multiline=True))
    _venue = field_validator("venue_name", mode="before")(_text(120))
    _address = field_validator("address", mode="before")(_text(200))
    _city = field_validator("city", mode="before")(_text(80))
    _notes = field_validator("accessibility_notes", mode="before")(_text(1000, multiline=True))
    _region = field_validator("region", mode="before")(JobseekerIn._region.__func__)

    cross_rules = staticmethod(_times_rules)


class BlockIn(Input):
    title: str
    audience: Audience
    starts_at: datetime
    ends_at: datetime

    _title = field_validator("title", mode="before")(_text(120, required=True))
    cross_rules = staticmethod(_times_rules)


class SpeedmeetSettingsIn(Input):
    rounds: int = Field(ge=1, le=30)
    round_minutes: int = Field(ge=3, le=120)
    break_minutes: int = Field(ge=0, le=60)
    first_round_at: datetime
    max_meetings: int = Field(ge=1, le=30)
    coverage_bonus: int = Field(ge=0, le=1000)
    repeat_penalty: Optional[int] = Field(default=None, ge=0, le=1000)
    min_meetings: Optional[int] = Field(default=None, ge=1, le=30)

    @staticmethod
    def cross_rules(values: dict) -> dict[str, str]:
        low, high = values.get("min_meetings"), values.get("max_meetings")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            return {"min_meetings": "planning.min_above_max"}
        return {}


class ArrivalSlotIn(Input):
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(ge=1, le=100_000)
    audience: Audience
    cross_rules = staticmethod(_times_rules)


class OutcomeIn(Input):
    jobseeker_id: int
    event_id: Optional[int] = None
    employer_id: Optional[int] = None
    kind: OutcomeKind
    occurred_on: datetime
    source: Literal["organiser", "employer", "self", "coach"] = "organiser"
    note: str = ""
    hours_per_week: Optional[float] = Field(default=None, ge=1, le=60)

    _note = field_validator("note", mode="before")(_text(500, multiline=True))


# The messages capability keeps its tables in its own module; importing it here registers them
# with the metadata the migrations compare against.
from .messages.models import Message, PersonalLink  # noqa: E402,F401
from .results.models import Survey, SurveyLink  # noqa: E402,F401
from .people.models import CoachClient, ImportBatch, Invitation  # noqa: E402,F401
