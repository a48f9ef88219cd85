"""Tables and input models of events: series, events, programme blocks, and the speed-meet rounds an
event holds (settings, meetings, employers' wishes, arrival slots). The rounds live here, beside the
event they move with, because events, registration, planning and the calendars all read them."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import field_validator
from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..core.text import Input, new_uid, text_field, times_rules
from ..core.timeutil import utcnow
from ..core.vocab import Audience, EventKind, EventStatus
from ..people.models import JobseekerIn


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
    # Where the quiet room (stilteruimte), the toilets (the accessible one too) and the lift are:
    # printed on a job fair's floor list (dayof.floorlist) for visitors to find them.
    quiet_room: str = Field(default="", max_length=200)
    toilets: str = Field(default="", max_length=200)
    lift: str = Field(default="", max_length=200)
    region: Optional[str] = Field(default=None, max_length=60)
    starts_at: datetime
    ends_at: datetime
    registration_deadline: Optional[datetime] = None
    # Until when employers mark "graag spreken" / "liever niet" on the shared profile cards (None:
    # until the plan is published).
    wishes_until: Optional[datetime] = None
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
    # "staff" (entered for the employer on the planning page) or "portal" (the employer on its own page,
    # about a shared card: taken back when the card stops being shared).
    source: str = Field(default="staff", max_length=10)


class ArrivalSlot(SQLModel, table=True):
    __tablename__ = "arrival_slot"
    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    starts_at: datetime
    ends_at: datetime
    capacity: int
    audience: str = Field(max_length=20)


class EventIn(Input):
    kind: EventKind
    title: str
    description: str = ""
    venue_name: str = ""
    address: str = ""
    city: str = ""
    accessibility_notes: str = ""
    quiet_room: str = ""
    toilets: str = ""
    lift: str = ""
    region: Optional[str] = None
    starts_at: datetime
    ends_at: datetime
    registration_deadline: Optional[datetime] = None
    # Speedmeet: until when employers mark whom they would like to meet (None: until the plan is published).
    wishes_until: Optional[datetime] = None
    capacity_jobseekers: int = Field(default=50, ge=0, le=100_000)
    capacity_employers: int = Field(default=10, ge=0, le=10_000)
    companions_count: bool = False
    status: EventStatus = EventStatus.DRAFT

    _title = field_validator("title", mode="before")(text_field(120, required=True))
    _description = field_validator("description", mode="before")(text_field(4000, multiline=True))
    _venue = field_validator("venue_name", mode="before")(text_field(120))
    _address = field_validator("address", mode="before")(text_field(200))
    _city = field_validator("city", mode="before")(text_field(80))
    _notes = field_validator("accessibility_notes", mode="before")(text_field(1000, multiline=True))
    _facilities = field_validator("quiet_room", "toilets", "lift", mode="before")(text_field(200))
    _region = field_validator("region", mode="before")(JobseekerIn._region.__func__)

    cross_rules = staticmethod(times_rules)


class BlockIn(Input):
    title: str
    audience: Audience
    starts_at: datetime
    ends_at: datetime

    _title = field_validator("title", mode="before")(text_field(120, required=True))
    cross_rules = staticmethod(times_rules)


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
    cross_rules = staticmethod(times_rules)
