"""The audit log: who viewed, exported or changed personal data. Written in the same transaction
as the change it records, so the log and the data cannot disagree."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Callable, TypeVar

from sqlmodel import Session, select

from .models import AuditEntry

F = TypeVar("F", bound=Callable)

# `capability.verb`: lower case words joined by dots, at most as long as the log's column.
_ACTION_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_ACTION_ATTRIBUTE = "audit_action"


def action(name: str) -> Callable[[F], F]:
    """Name a verb for the audit log: `@audit.action("registration.cancel_by_code")`.

    The name is written beside the function, not derived from the module it lives in, so moving the
    function to another module (or reaching it by a re-export) keeps its entries under the one name.
    The function itself is returned unchanged; only the name is attached to it (functools.wraps
    copies it to a wrapper)."""
    if not _ACTION_NAME.fullmatch(name) or len(name) > 60:
        raise ValueError(f"audit action {name!r} is not of the form capability.verb (at most 60 characters)")

    def named(fn: F) -> F:
        setattr(fn, _ACTION_ATTRIBUTE, name)
        return fn
    return named


def action_of(fn: Callable) -> str:
    """The audit name a verb was given with `action`; a verb without one is a programming error."""
    name = getattr(fn, _ACTION_ATTRIBUTE, None)
    if name is None:
        where = f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', fn)!s}"
        raise TypeError(f"{where} has no audit action name: give it one with @audit.action(\"capability.verb\") "
                        "before a page runs it as a change")
    return name


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


def ids_of(args: tuple) -> str:
    """The ids an operation on several records acts on (a list of ints among its arguments), for the
    entry's detail: 'ids 12,15,31'. Only ids, as subject_of."""
    for arg in args:
        if isinstance(arg, (list, tuple)) and arg and all(isinstance(i, int) and not isinstance(i, bool) for i in arg):
            return "ids " + ",".join(map(str, arg))
    return ""


def audited(actor: str, action: str, subject: str = ""):
    """Wrap a domain operation so that it and its audit entry commit together. The entry names the
    record the operation acted on: `subject`, else what its result names (`audit_subject`, e.g. the
    registration a scanned door code turned out to be), else its first id argument."""
    def run(session: Session, fn, *args, **kwargs):
        result = fn(session, *args, **kwargs)
        record(session, actor, action, subject or getattr(result, "audit_subject", None) or subject_of(args),
               ids_of(args))
        return result
    return run


def entries(session: Session, limit: int = 200, since: datetime | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return list(session.exec(query))
