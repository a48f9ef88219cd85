"""Times are aware datetimes; the store keeps them in UTC (SQLModel's UTCDateTime) and pages show
them in Europe/Amsterdam. A naive datetime coming from a form is read as Amsterdam wall-clock time."""
from __future__ import annotations

from datetime import UTC, datetime

from .config import TZ


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=TZ)
    return dt.astimezone(UTC)


def to_local(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(TZ)


def fmt_local(dt: datetime | None, with_date: bool = True) -> str:
    local = to_local(dt)
    if local is None:
        return ""
    return local.strftime("%d-%m-%Y %H:%M" if with_date else "%H:%M")
