"""Tables of the results capability: follow-up surveys and their personal links."""
from __future__ import annotations

from datetime import datetime
from typing import Literal, Optional

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from ..core.text import Input, text_field
from ..core.timeutil import utcnow
from ..core.vocab import OutcomeKind


class Survey(SQLModel, table=True):
    """One follow-up question to one respondent about one event at one moment ('wave': 1w, 3m, 6m,
    12m after the event). A jobseeker and their jobcoach answer about the jobseeker; an employer
    answers about the jobseekers they met. `key` makes creating it idempotent."""
    __tablename__ = "survey"
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    wave: str = Field(max_length=5)
    respondent: str = Field(max_length=10)  # jobseeker | coach | employer
    jobseeker_id: Optional[int] = Field(default=None, foreign_key="jobseeker.id", index=True, ondelete="CASCADE")
    employer_id: Optional[int] = Field(default=None, foreign_key="employer.id", index=True, ondelete="CASCADE")
    registration_id: Optional[int] = Field(default=None, foreign_key="registration.id", ondelete="CASCADE")
    lang: str = Field(default="nl", max_length=5)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    reminded_at: Optional[datetime] = None
    answered_at: Optional[datetime] = None
    declined_at: Optional[datetime] = None  # "no more questions, please"


class SurveyLink(SQLModel, table=True):
    """A survey's personal link: made when a message carrying it is sent (the first mail and the
    reminder each have their own, both valid), only the token's hash kept."""
    __tablename__ = "survey_link"
    id: Optional[int] = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


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


class OutcomeIn(Input):
    jobseeker_id: int
    event_id: Optional[int] = None
    employer_id: Optional[int] = None
    kind: OutcomeKind
    occurred_on: datetime
    source: Literal["organiser", "employer", "self", "coach"] = "organiser"
    note: str = ""
    hours_per_week: Optional[float] = Field(default=None, ge=1, le=60)

    _note = field_validator("note", mode="before")(text_field(500, multiline=True))
