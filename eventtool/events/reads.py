"""Reading one event and its parts (its series, its programme blocks, when its speedmeet rounds
start): the look-ups shared by the calendar files, the messages, registration and the event
verbs. Kept apart from `events` (whose verbs call registration) so that the modules below it can
use them without an import cycle."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from ..core.errors import NotFound
from .models import Event, ProgrammeBlock, SpeedmeetSettings
from ..core.timeutil import to_local


def get_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("event.not_found")
    return event


def local_day(session: Session, event_id: int) -> date:
    """The event's date in Amsterdam: the day a form's times of day (blocks, slots, rounds) fall on."""
    return to_local(get_event(session, event_id).starts_at).date()


def lock_event(session: Session, event_id: int) -> Event:
    """Load an event for a read-check-write. SQLite already holds the write lock (BEGIN IMMEDIATE);
    on PostgreSQL the row lock serialises concurrent registrations for the same event."""
    event = session.exec(select(Event).where(Event.id == event_id).with_for_update()).one_or_none()
    if event is None:
        raise NotFound("event.not_found")
    return event


def series_events(session: Session, series_id: int) -> list[Event]:
    return list(session.exec(select(Event).where(Event.series_id == series_id).order_by(Event.original_start)))


def list_blocks(session: Session, event_id: int) -> list[ProgrammeBlock]:
    return list(session.exec(select(ProgrammeBlock).where(ProgrammeBlock.event_id == event_id)
                             .order_by(ProgrammeBlock.starts_at)))


def round_start(settings: SpeedmeetSettings, r: int) -> datetime:
    return settings.first_round_at + timedelta(minutes=r * (settings.round_minutes + settings.break_minutes))
