"""Changes to an event that reach the people on it: editing, moving, cancelling or deleting an
event (or the following ones of a series), with the waiting list promoted when places grow and the
people told (notify); and the lists that count registrations per event (the public agenda, the
organiser's overview). The event's own fields and series rules stay in events.events; these verbs
sit here because they act on registrations. Operations flush, never commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session, col, func, select

from . import notify
from ..core import audit
from ..core.config import TZ
from ..core.errors import DomainError
from ..core.timeutil import to_utc
from ..core.validation import parse
from ..core.vocab import EventStatus, RegStatus
from ..events.events import SERIES_FIELDS, event_values, list_events, occurrences, public_events, touch
from ..events.models import Event, EventIn, EventSeries, ProgrammeBlock, SpeedmeetSettings
from ..events.reads import get_event, lock_event
from .models import Registration
from .registration import promote_waitlist


@audit.action("events.update_event")
def update_event(session: Session, event_id: int, data: dict | EventIn) -> Event:
    """Edit one event (or one occurrence of a series, which then becomes an exception)."""
    data = data if isinstance(data, EventIn) else parse(EventIn, data)
    event = lock_event(session, event_id)
    old_capacity = event.capacity_jobseekers, event.capacity_employers, event.companions_count
    before = notify.snapshot(event)
    for key, value in event_values(data).items():
        setattr(event, key, value)
    if event.series_id is not None:
        event.is_exception = True
    touch(event)
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


@audit.action("events.set_status")
def set_status(session: Session, event_id: int, status: EventStatus | str) -> Event:
    status = EventStatus(status)
    event = lock_event(session, event_id)
    if event.status == EventStatus.CANCELLED and status != EventStatus.CANCELLED:
        raise DomainError("event.cancelled_is_final")
    was = event.status
    event.status = status.value
    touch(event)
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
    wishes_before = (new_start - data.wishes_until.replace(tzinfo=data.wishes_until.tzinfo or TZ)
                     if data.wishes_until else None)
    time_shift = (datetime.combine(date.min, new_local.time()) - datetime.combine(date.min, old_local.time()))
    day_shift = new_local.date() - old_local.date()
    values = event_values(data)
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
        locked.wishes_until = to_utc(start - wishes_before) if wishes_before is not None else None
        if locked.status != EventStatus.CANCELLED:
            locked.status = values["status"]
        touch(locked)
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
