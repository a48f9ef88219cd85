"""Events, recurring series and programme blocks. Operations flush, never commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.rrule import rrulestr
from sqlmodel import Session, select

from ..core import audit
from ..core.config import TZ
from ..core.errors import DomainError, NotFound
from .reads import get_event, list_blocks, local_day, lock_event, series_events  # noqa: F401 - events.<name> for callers
from .models import BlockIn, Event, EventIn, EventSeries, ProgrammeBlock
from ..core.timeutil import to_utc, utcnow
from ..core.validation import parse
from ..core.vocab import EventStatus

# Fields that "this and all following" edits carry over to later occurrences.
SERIES_FIELDS = ("title", "description", "venue_name", "address", "city", "accessibility_notes",
                 "quiet_room", "toilets", "lift",
                 "region", "capacity_jobseekers", "capacity_employers", "companions_count", "kind")
MAX_OCCURRENCES = 60

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def event_values(data: EventIn) -> dict:
    values = data.model_dump()
    for key in ("starts_at", "ends_at", "registration_deadline", "wishes_until"):
        if values[key] is not None:
            values[key] = to_utc(values[key])
    values["kind"] = data.kind.value
    values["status"] = data.status.value
    return values


@audit.action("events.create_event")
def create_event(session: Session, data: dict | EventIn) -> Event:
    data = data if isinstance(data, EventIn) else parse(EventIn, data)
    event = Event(**event_values(data))
    session.add(event)
    session.flush()
    return event


def touch(event: Event) -> None:
    event.sequence += 1
    event.updated_at = utcnow()


def list_events(session: Session, *, status: str | None = None, kind: str | None = None,
                upcoming: bool | None = None, now: datetime | None = None) -> list[Event]:
    now = now or utcnow()
    query = select(Event)
    if status:
        query = query.where(Event.status == status)
    if kind:
        query = query.where(Event.kind == kind)
    if upcoming is True:
        query = query.where(Event.ends_at >= now)
    elif upcoming is False:
        query = query.where(Event.ends_at < now)
    return list(session.exec(query.order_by(Event.starts_at, Event.id)))


def public_events(session: Session, now: datetime | None = None) -> list[Event]:
    """Published events people can still sign up for."""
    now = now or utcnow()
    events = list_events(session, status=EventStatus.PUBLISHED.value, upcoming=True, now=now)
    return [e for e in events if e.starts_at > now and (e.registration_deadline is None or e.registration_deadline >= now)]


# --------------------------------------------------------------------------- series


@dataclass(frozen=True)
class SeriesRule:
    """'Every month on the first Thursday' = SeriesRule('MONTHLY', weekday=3, setpos=1, count=10)."""
    freq: str  # "WEEKLY" | "MONTHLY"
    weekday: int  # 0 = Monday
    interval: int = 1
    setpos: int | None = None  # monthly: 1..4 = nth weekday, -1 = last
    count: int | None = None
    until: date | None = None

    def to_rrule(self) -> str:
        if self.freq not in ("WEEKLY", "MONTHLY"):
            raise DomainError("series.freq_invalid")
        if not 0 <= self.weekday <= 6 or not 1 <= self.interval <= 12:
            raise DomainError("series.rule_invalid")
        day = WEEKDAYS[self.weekday]
        parts = [f"FREQ={self.freq}", f"INTERVAL={self.interval}"]
        if self.freq == "MONTHLY":
            pos = self.setpos or 1
            if pos not in (1, 2, 3, 4, -1):
                raise DomainError("series.rule_invalid")
            parts.append(f"BYDAY={pos:+d}{day}")
        else:
            parts.append(f"BYDAY={day}")
        if self.count is not None:
            if not 1 <= self.count <= MAX_OCCURRENCES:
                raise DomainError("series.count_invalid", max=MAX_OCCURRENCES)
            parts.append(f"COUNT={self.count}")
        elif self.until is not None:
            # UNTIL in UTC, end of that local day, as RFC 5545 requires with a zoned DTSTART.
            end = to_utc(datetime.combine(self.until, time(23, 59, 59)))
            parts.append("UNTIL=" + end.strftime("%Y%m%dT%H%M%SZ"))
        else:
            raise DomainError("series.end_required")
        return ";".join(parts)


def occurrences(rule: str, first_start_local: datetime) -> list[datetime]:
    """Local wall-clock starts: 10:00 stays 10:00 across the daylight-saving change.

    dateutil expands the rule in naive local time, so a UTC UNTIL is first turned into local time."""
    parts = []
    for part in rule.split(";"):
        if part.startswith("UNTIL="):
            until = datetime.strptime(part[6:], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(TZ)
            part = "UNTIL=" + until.strftime("%Y%m%dT%H%M%S")
        parts.append(part)
    naive_start = first_start_local.astimezone(TZ).replace(tzinfo=None)
    starts = list(rrulestr(";".join(parts), dtstart=naive_start)[:MAX_OCCURRENCES])
    return [s.replace(tzinfo=TZ) for s in starts]


@audit.action("events.create_series")
def create_series(session: Session, data: dict | EventIn, rule: SeriesRule) -> EventSeries:
    """Create a recurring series; every occurrence is a normal event linked to it."""
    data = data if isinstance(data, EventIn) else parse(EventIn, data)
    rrule = rule.to_rrule()
    first = data.starts_at if data.starts_at.tzinfo else data.starts_at.replace(tzinfo=TZ)
    starts = occurrences(rrule, first.astimezone(TZ))
    if not starts:
        raise DomainError("series.no_occurrences")
    series = EventSeries(title=data.title, kind=data.kind.value, rrule=rrule)
    session.add(series)
    session.flush()
    duration = data.ends_at - data.starts_at
    deadline_before = (data.starts_at - data.registration_deadline) if data.registration_deadline else None
    wishes_before = (data.starts_at - data.wishes_until) if data.wishes_until else None
    base = event_values(data)
    for start in starts:
        values = dict(base, starts_at=to_utc(start), ends_at=to_utc(start + duration),
                      registration_deadline=to_utc(start - deadline_before) if deadline_before is not None else None,
                      wishes_until=to_utc(start - wishes_before) if wishes_before is not None else None)
        session.add(Event(**values, series_id=series.id, original_start=values["starts_at"]))
    session.flush()
    return series


# --------------------------------------------------------------------------- programme


def within_event(event: Event, starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """A part of the event's day (programme block, arrival slot) must lie inside the event."""
    start, end = to_utc(starts_at), to_utc(ends_at)
    if start < event.starts_at or end > event.ends_at:
        raise DomainError("block.outside_event", field="starts_at")
    return start, end


@audit.action("events.add_block")
def add_block(session: Session, event_id: int, data: dict | BlockIn) -> ProgrammeBlock:
    data = data if isinstance(data, BlockIn) else parse(BlockIn, data)
    event = get_event(session, event_id)
    start, end = within_event(event, data.starts_at, data.ends_at)
    block = ProgrammeBlock(event_id=event_id, title=data.title, audience=data.audience.value,
                           starts_at=start, ends_at=end)
    session.add(block)
    touch(event)
    session.flush()
    return block


@audit.action("events.remove_block")
def remove_block(session: Session, block_id: int) -> None:
    block = session.get(ProgrammeBlock, block_id)
    if block is None:
        raise NotFound("block.not_found")
    touch(get_event(session, block.event_id))
    session.delete(block)
    session.flush()


