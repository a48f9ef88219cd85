"""Tables of the people capability."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow


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
