"""Stands at a job fair (issue 29): each employer with a place gets a stand ("12", "A3"), set by hand
or given in one go in order of sector; the floor list (dayof.floorlist), 'mijn aanmelding' and the
reminder show them. A stand is one per event (a unique constraint on the registration).

Giving stands in order of sector (`assign_by_sector`): the employers with a place, sorted by their
first sector's Dutch name and then their name (Dutch collation), get 1, 2, 3, ...; a stand set by
hand is kept and its number skipped, unless staff ask to number everyone again (`renumber`). An
employer without a place (cancelled, or on the waiting list) is not on the floor and lets go of
their stand. Operations flush, never commit."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from ..core import audit
from ..core.collation import text_key
from ..core.errors import DomainError, NotFound
from ..core.i18n import translate
from ..core.vocab import EventKind, RegStatus
from ..events.reads import lock_event
from ..people.models import Employer
from .models import Registration

MAX_LENGTH = 10
# Letters and digits, with '-', '.', '/' or a space between them: "12", "A3", "B-12", "Hal 2".
_STAND = re.compile(r"[0-9A-Z]+(?:[-./ ]?[0-9A-Z]+)*")


def normalise(typed: str | None) -> str | None:
    """A stand as typed, as it is stored: upper case, spaces trimmed, leading zeros of a number left
    out ("012" is "12"); None for nothing typed. A stand that breaks the rules is a DomainError on
    the field 'stand'."""
    value = " ".join((typed or "").split()).upper()
    if not value:
        return None
    if len(value) > MAX_LENGTH:
        raise DomainError("stands.too_long", field="stand", max=MAX_LENGTH)
    if not _STAND.fullmatch(value):
        raise DomainError("stands.invalid", field="stand")
    if value.isdigit():
        value = str(int(value))
        if value == "0":
            raise DomainError("stands.invalid", field="stand")
    return value


def sort_key(stand: str | None) -> tuple:
    """Stands in the order people walk them: numbers as numbers ("2" before "10", "A2" before
    "A10"); no stand last."""
    if not stand:
        return (1,)
    return (0, tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                     for part in re.findall(r"\d+|\D+", stand)))


@dataclass
class StandRow:
    registration_id: int
    employer_id: int
    organisation: str
    sectors: list[str]
    stand: str | None


def _job_fair(session: Session, event_id: int):
    event = lock_event(session, event_id)
    if event.kind != EventKind.JOB_FAIR:
        raise DomainError("stands.not_job_fair")
    return event


def employers(session: Session, event_id: int) -> list[StandRow]:
    """The employers with a place at the event, by stand (those without one last, by name)."""
    rows = session.exec(select(Registration, Employer).join(Employer, Employer.id == Registration.employer_id).where(
        Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)).all()
    found = [StandRow(r.id, e.id, e.organisation, list(e.sectors or []), r.stand) for r, e in rows]
    return sorted(found, key=lambda row: (sort_key(row.stand), text_key(row.organisation)))


def stand_map(session: Session, event_id: int) -> dict[int, tuple[str, str]]:
    """employer id -> (stand, organisation) of the employers with a place and a stand."""
    return {row.employer_id: (row.stand, row.organisation) for row in employers(session, event_id) if row.stand}


def picked(stands: dict[int, tuple[str, str]], picks: list[int]) -> list[tuple[str, str]]:
    """(stand, organisation) of the employers a jobseeker picked that have a stand, in their order."""
    return [stands[employer_id] for employer_id in dict.fromkeys(picks or []) if employer_id in stands]


def picked_stands(session: Session, reg: Registration) -> list[tuple[str, str]]:
    """The stands of the employers this jobseeker picked (none for an employer, or without picks)."""
    if reg.jobseeker_id is None or not reg.picks:
        return []
    return picked(stand_map(session, reg.event_id), reg.picks)


@audit.action("registration.set_stand")
def set_stand(session: Session, registration_id: int, typed: str | None) -> Registration:
    """Staff give an employer's registration its stand by hand (nothing typed: no stand). A stand
    another employer with a place (or on the waiting list) has is refused, naming them; one held
    by a cancelled registration passes to this one."""
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    if reg.employer_id is None:
        raise DomainError("stands.employers_only")
    _job_fair(session, reg.event_id)
    stand = normalise(typed)
    if stand is not None and stand != reg.stand:
        holder = session.exec(select(Registration).where(Registration.event_id == reg.event_id,
                                                         Registration.stand == stand)).first()
        if holder is not None:
            if holder.status != RegStatus.CANCELLED:
                employer = session.get(Employer, holder.employer_id)
                raise DomainError("stands.taken", field="stand", stand=stand,
                                  organisation=employer.organisation if employer else "?")
            holder.stand = None
            session.flush()
    reg.stand = stand
    session.flush()
    return reg


def sector_key(sectors: list[str]) -> tuple:
    """An employer's place in sector order: their first sector's Dutch name; none last."""
    if not sectors:
        return (1,)
    return (0, text_key(translate(f"sector.{sectors[0]}", "nl")))


@audit.action("registration.assign_stands")
def assign_by_sector(session: Session, event_id: int, renumber: bool = False) -> int:
    """Stands 1, 2, 3, ... for the employers with a place, in order of sector and then name. Stands
    already set are kept and their numbers skipped; with `renumber` every employer is numbered
    again from 1. Employers without a place let go of theirs. Returns how many got a new stand."""
    _job_fair(session, event_id)
    regs = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.employer_id.is_not(None))).all()
    for reg in regs:
        if reg.status != RegStatus.CONFIRMED or renumber:
            reg.stand = None
    session.flush()  # freed before any is given again (the constraint holds after every statement)
    rows = [row for row in employers(session, event_id)]
    taken = {row.stand for row in rows if row.stand}
    todo = sorted((row for row in rows if not row.stand),
                  key=lambda row: (sector_key(row.sectors), text_key(row.organisation), row.registration_id))
    by_id = {reg.id: reg for reg in regs}
    number = 0
    for row in todo:
        number += 1
        while str(number) in taken:
            number += 1
        by_id[row.registration_id].stand = str(number)
    session.flush()
    return len(todo)
