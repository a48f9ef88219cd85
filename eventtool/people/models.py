"""Tables of the people capability."""
from __future__ import annotations

from datetime import datetime
from typing import Literal, Optional

from pydantic import ConfigDict, field_validator
from sqlalchemy import Column, JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..core.text import (EMPLOYER_LIMITS, Input, JOBSEEKER_LIMITS, clean_text, field_error, normalise_email, normalise_phone, text_field)
from ..core.timeutil import utcnow
from ..core.vocab import REGIONS, SECTORS, SupportNeed, TargetGroup


class ImportBatch(SQLModel, table=True):
    """One bulk import, kept so it can be undone: who was created, and what merged records held
    before (only the fields the import changed)."""
    __tablename__ = "import_batch"
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)  # jobseekers | employers
    filename: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=254)
    created_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    before: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    undone_at: Optional[datetime] = None


class CoachClient(SQLModel, table=True):
    """A jobseeker on a coach's caseload: the coach (a 'begeleider' account) signs them up, sees
    their registrations, schedules and surveys, and gets copies of their messages. A person comes on
    a caseload when the coach signed them up as someone new, or when they confirmed that coach with
    their own link; never because a coach typed an address we already knew."""
    __tablename__ = "coach_client"
    __table_args__ = (UniqueConstraint("coach_id", "jobseeker_id", name="uq_coach_client"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    coach_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    jobseeker_id: int = Field(foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    since: datetime = Field(default_factory=utcnow)
    # "signed_up" (the coach brought a new person) or "confirmed" (the person confirmed the coach)
    how: str = Field(default="signed_up", max_length=12)


class Invitation(SQLModel, table=True):
    """An invitation to a coach account: the account exists (inactive, without a password) until
    the invitee chooses a password through the link in the mail. The link is made when the mail is
    sent; only its hash is kept."""
    __tablename__ = "invitation"
    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: Optional[str] = Field(default=None, max_length=64, unique=True)
    expires_at: datetime
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=254)
    accepted_at: Optional[datetime] = None


# Consent texts are versioned: the stored version says exactly what someone agreed to.
CONSENT_VERSION = "2026-11-v1"


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
    # An employer's contact person (role "employer"): the organisation whose pages the account reaches.
    # Several accounts may share one organisation (a team); no other role has one.
    employer_id: Optional[int] = Field(default=None, foreign_key="employer.id", index=True, ondelete="CASCADE")


class LoginLink(SQLModel, table=True):
    """A sign-in link sent by mail (no password needed): one use, a short life. Only the hash of the
    token is kept; the link is made when the mail is sent."""
    __tablename__ = "login_link"
    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: Optional[str] = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: Optional[datetime] = None


class LoginFailure(SQLModel, table=True):
    """A failed staff login, per account and per address (kept in the database, so no client can
    reset it and every replica sees it). Old rows are removed as new ones come in."""
    __tablename__ = "login_failure"
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, index=True)  # "account:<email>", "address:<ip or /64>" or "pair:<hash of both>"
    at: datetime = Field(default_factory=utcnow, index=True)


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


class Vacancy(SQLModel, table=True):
    """A place an employer has to offer, kept with the organisation and shown at every event it comes
    to: title, hours, where, and what can be adapted ("jobcoach welkom", "aangepaste werkplek")."""
    id: Optional[int] = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=120)
    hours: str = Field(default="", max_length=60)
    place: str = Field(default="", max_length=80)
    # Keys of core.vocab.Adaptation
    adaptations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str = Field(default="", max_length=600)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


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


class Consent(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    jobseeker_id: int = Field(foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    scope: str = Field(max_length=30)  # "registration" | "special_category"
    text_version: str = Field(max_length=30)
    given_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: Optional[datetime] = None
    # Who passed the consent on: None for the person themselves, "coach:<e-mail>" for their coach.
    given_via: Optional[str] = Field(default=None, max_length=260)


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
        lambda v: text_field(JOBSEEKER_LIMITS["companion_name"])(v) or None)
    _name = field_validator("name", mode="before")(text_field(JOBSEEKER_LIMITS["name"], required=True))
    _coach_name = field_validator("coach_name", mode="before")(
        lambda v: text_field(JOBSEEKER_LIMITS["coach_name"])(v) or None)
    _coach_email = field_validator("coach_email", mode="before")(normalise_email)
    _seeking = field_validator("seeking", mode="before")(text_field(JOBSEEKER_LIMITS["seeking"], multiline=True))
    _pitch = field_validator("pitch", mode="before")(text_field(JOBSEEKER_LIMITS["pitch"], multiline=True))
    _school = field_validator("school", mode="before")(lambda v: text_field(JOBSEEKER_LIMITS["school"])(v) or None)
    _email = field_validator("email", mode="before")(normalise_email)
    _phone = field_validator("phone", mode="before")(normalise_phone)

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, v):
        v = clean_text(v) or None
        if v is not None and v not in REGIONS:
            raise field_error("field.choice_invalid")
        return v

    @field_validator("interests", mode="before")
    @classmethod
    def _interests(cls, v):
        v = list(dict.fromkeys(v or []))
        if any(s not in SECTORS for s in v):
            raise field_error("field.choice_invalid")
        return v

    @field_validator("consent_registration", mode="after")
    @classmethod
    def _consent(cls, v):
        if not v:
            raise field_error("consent.registration_required")
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

    _org = field_validator("organisation", mode="before")(text_field(EMPLOYER_LIMITS["organisation"], required=True))
    _contact = field_validator("contact_name", mode="before")(text_field(EMPLOYER_LIMITS["contact_name"], required=True))
    _offers = field_validator("offers", mode="before")(text_field(EMPLOYER_LIMITS["offers"], multiline=True))
    _email = field_validator("email", mode="before")(normalise_email)
    _phone = field_validator("phone", mode="before")(normalise_phone)
    _region = field_validator("region", mode="before")(JobseekerIn._region.__func__)
    _sectors = field_validator("sectors", mode="before")(JobseekerIn._interests.__func__)

    @staticmethod
    def cross_rules(values: dict) -> dict[str, str]:
        return {} if (values.get("email") or "").strip() else {"email": "employer.email_required"}
