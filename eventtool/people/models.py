"""Tables of the people capability."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Column
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
