"""The core table: the audit log (who viewed, exported or changed personal data, and when)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from .timeutil import utcnow


class AuditEntry(SQLModel, table=True):
    """Who viewed, exported or changed personal data, and when."""
    __tablename__ = "audit_log"
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=254)
    action: str = Field(max_length=60)
    subject: str = Field(default="", max_length=120)
    detail: str = Field(default="", max_length=500)
