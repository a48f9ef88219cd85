"""Events, recurring series and programme blocks. Operations flush, never commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.rrule import rrulestr
from sqlmodel import Session, col, func, select

from . import audit
from .config import TZ
from .errors import DomainError, NotFound
from .event_reads import get_event, list_blocks, local_day, lock_event, series_events  # noqa: F401 - events.<name> for callers
from .messages import notify
from .models import BlockIn, Event, EventIn, EventSeries, ProgrammeBlock, Registration, SpeedmeetSettings
from .registration import promote_waitlist
from .timeutil import to_utc, utcnow
from .validation import parse
from .vocab import EventStatus, RegStatus

# Fields that "this and all following" edits carry over to later occurrences.
SERIES_FIELDS = ("title", "description", "venue_name", "address", "city", "accessibility_notes",
                 "region", "capacity_jobseekers", "capacity_employers", "companions_count", "kind")
MAX_OCCURRENCES = 60

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _event_values(data: EventIn) -> dict:
    values = data.model_dump()
    for key in ("starts_at", "ends_at", "registration_deadline"):
        if values[key] is not None:
            values[key] = to_utc(values[key])
    values["kind"] = data.kind.value
    values["status"] = data.status.value
    return values


@audit.action("events.create_event")
def create_event(session: Session, data: dict | EventIn) -> Event:
    data = data if isinstance(data, EventIn) else parse(EventIn, data)
    event = Event(**_event_values(data))
    session.add(event)
    session.flush()
    return event


@audit.action("events.update_event")
def update_event(session: Session, event_id: int, data: dict | EventIn) -> Event:
    """Edit one event (or one occurrence of a series, which then becomes an exception)."""
    data = data if isinstance(data, EventIn) else parse(EventIn, data)
    event = lock_event(session, event_id)
    old_capacity = event.capacity_jobseekers, event.capacity_employers, event.companions_count
    before = notify.snapshot(event)
    for key, value in _event_values(data).items():
        setattr(event, key, value)
    if event.series_id is not None:
        event.is_exception = True
    _touch(event)
    session.flush()
    if notify.moved(before, event):
        notify.about_event(session, event, "event_changed")
    _move_rounds(session, event, event.starts_at - before["starts_at"])
    if (event.capacity_jobseekers, event.capacity_employers, event.companions_count) != old_capacity:
        promote_waitlist(session, event)
    return event


def _move_rounds(session: Session, event: Event, shift) -> None:
    """A speedmeet that moves takes its rounds along (the same time after the start), and people
    with a published schedule get their new one: the calendar entries of their conversations move
    too (same UIDs, a higher SEQUENCE)."""
    settings = session.get(SpeedmeetSettings, event.id)
    if not shift or settings is None:
        return
    settings.first_round_at = settings.first_round_at + shift
    session.flush()
    if settings.status == "published":
        notify.schedule_published(session, event.id)


def _touch(event: Event) -> None:
    event.sequence += 1
    event.updated_at = utcnow()


@audit.action("events.set_status")
def set_status(session: Session, event_id: int, status: EventStatus | str) -> Event:
    status = EventStatus(status)
    event = lock_event(session, event_id)
    if event.status == EventStatus.CANCELLED and status != EventStatus.CANCELLED:
        raise DomainError("event.cancelled_is_final")
    was = event.status
    event.status = status.value
    _touch(event)
    session.flush()
    if status == EventStatus.CANCELLED and was != EventStatus.CANCELLED:
        notify.about_event(session, event, "event_cancelled")
    return event


@audit.action("events.delete_event")
def delete_event(session: Session, event_id: int) -> None:
    """Only drafts without registrations may be deleted; anything else is cancelled instead."""
    event = get_event(session, event_id)
    has_regs = session.exec(select(func.count()).select_from(Registration)
                            .where(Registration.event_id == event_id)).one()
    if event.status != EventStatus.DRAFT or has_regs:
        raise DomainError("event.delete_only_empty_drafts")
    session.delete(event)
    session.flush()


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


@dataclass(frozen=True)
class Counts:
    jobseekers_confirmed: int = 0
    jobseekers_waitlisted: int = 0
    employers_confirmed: int = 0
    employers_waitlisted: int = 0
    # Confirmed jobseekers who bring a jobcoach or interpreter along.
    companions_confirmed: int = 0

    def jobseeker_places_taken(self, event: Event) -> int:
        return self.jobseekers_confirmed + (self.companions_confirmed if event.companions_count else 0)


def registration_counts(session: Session, event_ids: list[int] | None = None) -> dict[int, Counts]:
    is_js = Registration.jobseeker_id.is_not(None)
    query = (select(Registration.event_id, is_js.label("js"), Registration.status, func.count(),
                    func.count(Registration.companion))
             .where(Registration.status != RegStatus.CANCELLED)
             .group_by(Registration.event_id, is_js, Registration.status))
    if event_ids is not None:
        query = query.where(col(Registration.event_id).in_(event_ids))
    raw: dict[int, dict[str, int]] = {}
    for event_id, js, status, n, companions in session.exec(query):
        raw.setdefault(event_id, {})[f"{'jobseekers' if js else 'employers'}_{status}"] = n
        if js and status == RegStatus.CONFIRMED:
            raw[event_id]["companions_confirmed"] = companions
    return {k: Counts(**v) for k, v in raw.items()}


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
    base = _event_values(data)
    for start in starts:
        values = dict(base, starts_at=to_utc(start), ends_at=to_utc(start + duration),
                      registration_deadline=to_utc(start - deadline_before) if deadline_before is not None else None)
        session.add(Event(**values, series_id=series.id, original_start=values["starts_at"]))
    session.flush()
    return series


@audit.action("events.update_following")
def update_following(session: Session, event_id: int, data: dict | EventIn) -> list[Event]:
    """Edit this occurrence and every later one of its series: the descriptive fields are copied,
    the time of day and duration shift by the same amount in local time."""
    data = data if isinstance(data, EventIn) else parse(EventIn, data)
    event = get_event(session, event_id)
    if event.series_id is None:
        return [update_event(session, event_id, data)]
    new_start = data.starts_at if data.starts_at.tzinfo else data.starts_at.replace(tzinfo=TZ)
    new_end = data.ends_at if data.ends_at.tzinfo else data.ends_at.replace(tzinfo=TZ)
    old_local = event.starts_at.astimezone(TZ)
    new_local = new_start.astimezone(TZ)
    duration = new_end - new_start
    deadline_before = (new_start - data.registration_deadline.replace(tzinfo=data.registration_deadline.tzinfo or TZ)
                       if data.registration_deadline else None)
    time_shift = (datetime.combine(date.min, new_local.time()) - datetime.combine(date.min, old_local.time()))
    day_shift = new_local.date() - old_local.date()
    values = _event_values(data)
    # One query loads and (on PostgreSQL) locks the whole series.
    occurrences = list(session.exec(select(Event).where(Event.series_id == event.series_id)
                                    .order_by(Event.original_start).with_for_update()))
    from_start = event.starts_at  # before this loop moves `event` itself
    changed = []
    for locked in occurrences:
        if locked.starts_at < from_start:
            continue
        old_caps = locked.capacity_jobseekers, locked.capacity_employers, locked.companions_count
        before = notify.snapshot(locked)
        for key in SERIES_FIELDS:
            setattr(locked, key, values[key])
        local = locked.starts_at.astimezone(TZ).replace(tzinfo=None) + time_shift + day_shift
        start = local.replace(tzinfo=TZ)
        locked.starts_at = to_utc(start)
        locked.ends_at = to_utc(start + duration)
        locked.registration_deadline = to_utc(start - deadline_before) if deadline_before is not None else None
        if locked.status != EventStatus.CANCELLED:
            locked.status = values["status"]
        _touch(locked)
        session.flush()
        if notify.moved(before, locked):
            notify.about_event(session, locked, "event_changed")
        if (locked.capacity_jobseekers, locked.capacity_employers, locked.companions_count) != old_caps:
            promote_waitlist(session, locked)
        changed.append(locked)
    series = session.get(EventSeries, event.series_id)
    if series is not None:
        if event.id == occurrences[0].id:
            series.title = values["title"]
        series.sequence += 1
    session.flush()
    return changed


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
    _touch(event)
    session.flush()
    return block


@audit.action("events.remove_block")
def remove_block(session: Session, block_id: int) -> None:
    block = session.get(ProgrammeBlock, block_id)
    if block is None:
        raise NotFound("block.not_found")
    _touch(get_event(session, block.event_id))
    session.delete(block)
    session.flush()


@dataclass
class AgendaItem:
    event: Event
    places_left_jobseekers: int
    places_left_employers: int
    blocks: list[ProgrammeBlock]


def agenda(session: Session, now: datetime | None = None) -> list[AgendaItem]:
    """What the public sees: open events with free places and their programme."""
    items = public_events(session, now)
    counts = registration_counts(session, [e.id for e in items])
    blocks: dict[int, list[ProgrammeBlock]] = {}
    if items:
        for block in session.exec(select(ProgrammeBlock).where(col(ProgrammeBlock.event_id).in_([e.id for e in items]))
                                  .order_by(ProgrammeBlock.starts_at)):
            blocks.setdefault(block.event_id, []).append(block)
    out = []
    for e in items:
        c = counts.get(e.id, Counts())
        out.append(AgendaItem(e, max(e.capacity_jobseekers - c.jobseeker_places_taken(e), 0),
                              max(e.capacity_employers - c.employers_confirmed, 0), blocks.get(e.id, [])))
    return out


def overview(session: Session) -> list[dict]:
    """One row per event for the organiser's table."""
    all_events = list_events(session)
    counts = registration_counts(session)
    rows = []
    for e in all_events:
        c = counts.get(e.id, Counts())
        rows.append({"id": e.id, "starts_at": e.starts_at, "kind": e.kind, "title": e.title, "status": e.status,
                     "series_id": e.series_id, "jobseekers": c.jobseekers_confirmed,
                     "capacity_jobseekers": e.capacity_jobseekers, "waitlist": c.jobseekers_waitlisted,
                     "employers": c.employers_confirmed, "capacity_employers": e.capacity_employers})
    return rows
