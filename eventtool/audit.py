"""The audit log: who viewed, exported or changed personal data. Written in the same transaction
as the change it records, so the log and the data cannot disagree."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from .models import AuditEntry


def record(session: Session, actor: str, action: str, subject: str = "", detail: str = "") -> AuditEntry:
    entry = AuditEntry(actor=actor[:254], action=action[:60], subject=str(subject)[:120], detail=detail[:500])
    session.add(entry)
    session.flush()
    return entry


def audited(actor: str, action: str, subject: str = ""):
    """Wrap a domain operation so that it and its audit entry commit together."""
    def run(session: Session, fn, *args, **kwargs):
        result = fn(session, *args, **kwargs)
        record(session, actor, action, subject or (str(args[0]) if args else ""))
        return result
    return run


def entries(session: Session, limit: int = 200, since: datetime | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return list(session.exec(query))
