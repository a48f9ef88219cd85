"""Running the day of a job fair or Meet&Greet: arrival time slots (pupils first, then the rest),
who is coming to talk to which employer, and tables grouped by sector."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from ..core import audit
from ..core.collation import name_key, text_key
from ..core.errors import DomainError, NotFound
from ..events.events import get_event, within_event
from ..events.models import ArrivalSlot, ArrivalSlotIn
from ..people.models import Employer, Jobseeker
from ..registration.models import Registration
from ..core.validation import parse
from ..core.vocab import Audience, RegStatus, TargetGroup


@audit.action("dayplan.add_arrival_slot")
def add_arrival_slot(session: Session, event_id: int, data: dict | ArrivalSlotIn) -> ArrivalSlot:
    data = data if isinstance(data, ArrivalSlotIn) else parse(ArrivalSlotIn, data)
    start, end = within_event(get_event(session, event_id), data.starts_at, data.ends_at)
    slot = ArrivalSlot(event_id=event_id, starts_at=start, ends_at=end, capacity=data.capacity,
                       audience=data.audience.value)
    session.add(slot)
    session.flush()
    return slot


@audit.action("dayplan.remove_arrival_slot")
def remove_arrival_slot(session: Session, slot_id: int) -> None:
    slot = session.get(ArrivalSlot, slot_id)
    if slot is None:
        raise NotFound("dayplan.slot_not_found")
    for reg in session.exec(select(Registration).where(Registration.arrival_slot_id == slot_id)):
        reg.arrival_slot_id = None
    session.delete(slot)
    session.flush()


def list_arrival_slots(session: Session, event_id: int) -> list[ArrivalSlot]:
    return list(session.exec(select(ArrivalSlot).where(ArrivalSlot.event_id == event_id).order_by(ArrivalSlot.starts_at)))


def _is_pupil(person: Jobseeker) -> bool:
    return bool(person.school) or person.target_group == TargetGroup.PRACTICAL_SCHOOL


@dataclass
class SlotAssignment:
    assigned: int
    unassigned: int
    per_slot: dict[int, int]


@audit.action("dayplan.assign_arrival_slots")
def assign_arrival_slots(session: Session, event_id: int) -> SlotAssignment:
    """Give every confirmed jobseeker an arrival slot: pupils in pupil slots, others in slots for
    jobseekers or everyone; first registered, first served; existing choices are kept."""
    slots = list_arrival_slots(session, event_id)
    if not slots:
        raise DomainError("dayplan.no_slots")
    used = defaultdict(int)
    rows = session.exec(select(Registration, Jobseeker).join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
                        .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)
                        .order_by(Registration.created_at, Registration.id)).all()
    valid = {s.id for s in slots}
    for reg, _ in rows:
        if reg.arrival_slot_id in valid:
            used[reg.arrival_slot_id] += 1
    unassigned = 0
    for reg, person in rows:
        if reg.arrival_slot_id in valid:
            continue
        wanted = (Audience.PUPILS, Audience.EVERYONE) if _is_pupil(person) else (Audience.JOBSEEKERS, Audience.EVERYONE)
        slot = next((s for s in slots if s.audience in wanted and used[s.id] < s.capacity), None)
        reg.arrival_slot_id = slot.id if slot else None
        if slot:
            used[slot.id] += 1
        else:
            unassigned += 1
    session.flush()
    return SlotAssignment(sum(used.values()), unassigned, dict(used))


def arrival_list(session: Session, event_id: int) -> list[dict]:
    slots = {s.id: s for s in list_arrival_slots(session, event_id)}
    rows = session.exec(select(Registration, Jobseeker).join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
                        .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)
                        ).all()
    rows = sorted(rows, key=lambda pair: name_key(pair[1].name))
    return [{"name": p.name, "school": p.school or "", "slot_id": r.arrival_slot_id,
             "starts_at": slots[r.arrival_slot_id].starts_at if r.arrival_slot_id in slots else None}
            for r, p in rows]


def employer_visitors(session: Session, event_id: int) -> dict[str, list[str]]:
    """Per employer, the confirmed jobseekers who said they want to talk to them, in pick order."""
    get_event(session, event_id)
    employers = {e.id: e.organisation for e in session.exec(
        select(Employer).join(Registration, Registration.employer_id == Employer.id)
        .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED))}
    out: dict[str, list[str]] = {name: [] for name in sorted(employers.values(), key=text_key)}
    rows = session.exec(select(Registration, Jobseeker).join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
                        .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)
                        .order_by(Jobseeker.name)).all()
    for reg, person in rows:
        for eid in reg.picks:
            if eid in employers:
                out[employers[eid]].append(person.name)
    return out


@dataclass
class TableGroup:
    sector: str
    table: int
    employers: list[str]
    jobseekers: list[str]


def table_groups(session: Session, event_id: int, table_size: int = 6) -> list[TableGroup]:
    """Meet&Greet: seat jobseekers at tables by sector, with that sector's employers, tables of
    at most `table_size` jobseekers, balanced. People whose interests match no employer get the
    smallest table."""
    if not 2 <= table_size <= 30:
        raise DomainError("dayplan.table_size_invalid", field="table_size")
    get_event(session, event_id)
    emp_rows = session.exec(select(Employer).join(Registration, Registration.employer_id == Employer.id)
                            .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)).all()
    js_rows = session.exec(select(Jobseeker).join(Registration, Registration.jobseeker_id == Jobseeker.id)
                           .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)
                           .order_by(Jobseeker.name)).all()
    by_sector: dict[str, list[str]] = defaultdict(list)
    for e in emp_rows:
        for s in e.sectors:
            by_sector[s].append(e.organisation)
    demand: dict[str, list[Jobseeker]] = defaultdict(list)
    loose: list[Jobseeker] = []
    load = defaultdict(int)
    # Fewest options first, so people with one matching sector get their place.
    for person in sorted(js_rows, key=lambda p: (len([s for s in p.interests if s in by_sector]), p.name)):
        options = [s for s in person.interests if s in by_sector]
        if not options:
            loose.append(person)
            continue
        sector = min(options, key=lambda s: (load[s], s))
        load[sector] += 1
        demand[sector].append(person)
    groups: list[TableGroup] = []
    for sector in sorted(demand):
        people = demand[sector]
        n_tables = math.ceil(len(people) / table_size)
        for t in range(n_tables):
            groups.append(TableGroup(sector, t + 1, sorted(by_sector[sector]), [p.name for p in people[t::n_tables]]))
    if loose:
        n_tables = math.ceil(len(loose) / table_size)
        for t in range(n_tables):
            groups.append(TableGroup("", t + 1, [], [p.name for p in loose[t::n_tables]]))
    return groups
