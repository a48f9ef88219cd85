"""How long placements last: "49 placed, 37 still employed". One rule, used by the dashboard, the
impact report, the Banenafspraak report and the staff work list.

A person's placement is their first job (paid job or temporary job) on record. At 6 and 12 months
after it started they count as
- employed: any sign of work dated from 15 days before that moment on (a job, "still employed"), a
  "still employed at 12 months" (which covers 6 too), or a job that ended only after that moment;
- no longer employed: a job that ended before that moment, with no sign of work after it;
- unknown: neither (staff follow this up: the work list);
- not yet: the moment lies in the future.
Outcomes staff set aside count nowhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Iterable

import calendar
from sqlmodel import Session, col, select

from ..core import audit
from ..core.config import TZ
from ..core.errors import DomainError, NotFound
from ..people.models import Employer, Jobseeker
from .models import Outcome
from ..registration.models import Registration
from ..core.timeutil import to_local, utcnow
from ..core.vocab import OutcomeKind

PLACED = {OutcomeKind.JOB.value, OutcomeKind.TEMP_JOB.value}
IN_WORK = PLACED | {OutcomeKind.EMPLOYED_6M.value, OutcomeKind.EMPLOYED_12M.value}
ENDED = OutcomeKind.JOB_ENDED.value
# What a "do you still work there?" answer is stored as.
STILL_ANSWERS = {OutcomeKind.EMPLOYED_6M.value, OutcomeKind.EMPLOYED_12M.value, ENDED}
CHECKS = (6, 12)
TOLERANCE = timedelta(days=15)
EMPLOYED, NO_LONGER, UNKNOWN, NOT_YET = "employed", "ended", "unknown", "not_yet"


def still_kind(started: date, on: date) -> str:
    """'Still employed' said on `on` about a job that started on `started`."""
    if on + TOLERANCE >= add_months(started, 12):
        return OutcomeKind.EMPLOYED_12M.value
    return OutcomeKind.EMPLOYED_6M.value


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (31 August + 6
    months = 28/29 February), as dateutil's relativedelta does; a tenth of its cost, which counted
    when the dashboard works out thousands of placements."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Placement:
    jobseeker_id: int
    employer_id: int | None
    started: date
    hours_per_week: float | None
    event_id: int | None = None  # the event the placement came of
    status: dict[int, str] = field(default_factory=dict)  # months -> EMPLOYED / NO_LONGER / UNKNOWN / NOT_YET

    def moment(self, months: int) -> date:
        return add_months(self.started, months)


def _day(value) -> date:
    if isinstance(value, datetime):
        return to_local(value).date() if value.tzinfo else value.date()
    return value


def _id(value) -> int | None:
    return None if value is None or value != value else int(value)  # pandas gives NaN for a missing id


def placements(rows: Iterable, today: date) -> list[Placement]:
    """rows: (jobseeker_id, employer_id, kind, occurred_on[, hours_per_week[, event_id]]) of outcomes
    that count."""
    per_person: dict[int, list[tuple]] = {}
    for row in rows:
        jobseeker_id, employer_id, kind, occurred_on = row[0], row[1], row[2], row[3]
        if jobseeker_id is None or occurred_on is None:
            continue
        hours = row[4] if len(row) > 4 else None
        event_id = row[5] if len(row) > 5 else None
        per_person.setdefault(int(jobseeker_id), []).append(
            (_day(occurred_on), kind, _id(employer_id), hours, _id(event_id)))
    found = []
    for person, events in per_person.items():
        events.sort(key=lambda e: e[0])
        start = next((e for e in events if e[1] in PLACED), None)
        if start is None:
            continue
        hours = start[3] if start[3] is not None and start[3] == start[3] else None  # NaN: not given
        p = Placement(person, start[2], start[0], hours, start[4])
        for months in CHECKS:
            p.status[months] = _status(events, start[0], p.moment(months), months, today)
        found.append(p)
    return found


def _status(events: list, started: date, moment: date, months: int, today: date) -> str:
    later = [e for e in events if e[0] >= started]
    if any((kind in IN_WORK and day >= moment - TOLERANCE)
           or (kind == OutcomeKind.EMPLOYED_12M.value)
           or (kind == OutcomeKind.EMPLOYED_6M.value and months == 6)
           or (kind == ENDED and day >= moment)
           for day, kind, *_ in later):
        return EMPLOYED
    if moment > today:
        return NOT_YET
    ended = [day for day, kind, *_ in later if kind == ENDED and day < moment]
    if ended and not any(kind in IN_WORK and day > ended[-1] for day, kind, *_ in later):
        return NO_LONGER
    return UNKNOWN


@dataclass
class Figures:
    placed: int
    checked: dict[int, int]  # months -> placements whose moment has passed
    employed: dict[int, int]
    no_longer: dict[int, int]
    unknown: dict[int, int]


def figures(found: list[Placement]) -> Figures:
    """'49 placed, 37 still employed at 6 months (of 45 whose 6 months have passed, 3 unknown)'."""
    def count(months: int, *states: str) -> int:
        return sum(p.status[months] in states for p in found)
    return Figures(len(found), {m: count(m, EMPLOYED, NO_LONGER, UNKNOWN) for m in CHECKS},
                   {m: count(m, EMPLOYED) for m in CHECKS}, {m: count(m, NO_LONGER) for m in CHECKS},
                   {m: count(m, UNKNOWN) for m in CHECKS})


def overall(session: Session, today: date | None = None) -> Figures:
    """The figures over every placement on record."""
    return figures(placements(counted_outcomes(session), today or to_local(utcnow()).date()))


def counted_outcomes(session: Session, jobseeker_ids: Iterable[int] | None = None) -> list[tuple]:
    """(jobseeker_id, employer_id, kind, occurred_on, hours_per_week, event_id) of every outcome that
    counts."""
    query = select(Outcome.jobseeker_id, Outcome.employer_id, Outcome.kind, Outcome.occurred_on,
                   Outcome.hours_per_week, Outcome.event_id).where(col(Outcome.rejected_at).is_(None),
                                                 col(Outcome.jobseeker_id).is_not(None))
    if jobseeker_ids is not None:
        query = query.where(col(Outcome.jobseeker_id).in_(list(jobseeker_ids)))
    return list(session.exec(query))


def work_list(session: Session, today: date | None = None, days_ahead: int = 7) -> list[dict]:
    """Who is due for a durability follow-up: placements whose 6- or 12-month moment has passed or
    falls within `days_ahead`, with nothing known yet. Earliest moment first, with how to reach
    the person (and their jobcoach)."""
    today = today or to_local(utcnow()).date()
    horizon = today + timedelta(days=days_ahead)
    due = []
    for p in placements(counted_outcomes(session), horizon):
        for months in CHECKS:
            if p.status[months] == UNKNOWN:
                due.append((p, months))
                break  # one question per person: the earliest open one
    if not due:
        return []
    people = {j.id: j for j in session.exec(select(Jobseeker).where(col(Jobseeker.id).in_([p.jobseeker_id for p, _ in due])))}
    orgs = {e.id: e.organisation for e in session.exec(select(Employer).where(
        col(Employer.id).in_({p.employer_id for p, _ in due} - {None})))}
    coaches = {}
    for reg in session.exec(select(Registration).where(col(Registration.jobseeker_id).in_(list(people)),
                                                       col(Registration.coach_email).is_not(None))
                            .order_by(Registration.created_at)):
        coaches[reg.jobseeker_id] = ", ".join(c for c in (reg.coach_name, reg.coach_email) if c)
    rows = []
    for p, months in sorted(due, key=lambda d: (d[0].moment(d[1]), d[0].jobseeker_id)):
        person = people.get(p.jobseeker_id)
        if person is None:
            continue
        rows.append({"jobseeker_id": p.jobseeker_id, "name": person.name, "email": person.email or "",
                     "phone": person.phone or "", "coach": coaches.get(p.jobseeker_id, ""),
                     "employer_id": p.employer_id, "employer": orgs.get(p.employer_id, ""), "started": p.started,
                     "months": months, "moment": p.moment(months), "overdue": p.moment(months) < today})
    return rows


@audit.action("durability.record_check")
def record_check(session: Session, jobseeker_id: int, months: int, employed: bool, recorded_by: str,
                 now: datetime | None = None) -> Outcome:
    """Staff record what a follow-up call found: still employed at 6 or 12 months, or the job ended
    (dated today; the work list then no longer shows the person for that moment)."""
    if months not in CHECKS:
        raise DomainError("durability.bad_moment")
    now = now or utcnow()
    today = to_local(now).date()
    found = next((p for p in placements(counted_outcomes(session, [jobseeker_id]), today)
                  if p.jobseeker_id == jobseeker_id), None)
    if found is None:
        raise NotFound("durability.no_placement")
    kind = (OutcomeKind.EMPLOYED_12M if months == 12 else OutcomeKind.EMPLOYED_6M).value if employed else ENDED
    when = now if employed else datetime.combine(min(today, found.moment(months) - timedelta(days=1)), time(12), tzinfo=TZ)
    outcome = Outcome(jobseeker_id=jobseeker_id, employer_id=found.employer_id, event_id=found.event_id, kind=kind, occurred_on=when,
                      source="organiser", recorded_by=recorded_by[:100])
    session.add(outcome)
    session.flush()
    return outcome
