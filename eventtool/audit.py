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


def subject_of(args: tuple) -> str:
    """The record an operation acts on, by its id, and nothing else: the other arguments are what
    was typed or uploaded (a form's values, an imported file), personal data that the log would
    keep after the person is erased."""
    first = args[0] if args else None
    return str(first) if isinstance(first, int) and not isinstance(first, bool) else ""


def audited(actor: str, action: str, subject: str = ""):
    """Wrap a domain operation so that it and its audit entry commit together."""
    def run(session: Session, fn, *args, **kwargs):
        result = fn(session, *args, **kwargs)
        record(session, actor, action, subject or subject_of(args))
        return result
    return run


def entries(session: Session, limit: int = 200, since: datetime | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return list(session.exec(query))
