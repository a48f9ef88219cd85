"""Speedmeets in the app: settings, turning registrations into a planning instance, storing the
plan, hand edits with the rules checked, and the views (grid, personal lists)."""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, delete, select

from ..core import audit
from .. import planning
from . import background  # noqa: F401 - named in PlanJob
from ..core.audit import audited
from ..core.collation import name_key, text_key
from ..core.errors import DomainError, NotFound
from ..events.reads import get_event, round_start
from ..registration import notify
from ..people.models import Employer, Jobseeker
from ..events.models import EmployerWish, Event, Meeting, SpeedmeetSettings, SpeedmeetSettingsIn
from ..registration.models import Registration
from ..core.timeutil import to_utc, utcnow
from ..core.validation import parse
from ..core.vocab import EventKind, RegStatus, SupportNeed

PICK_WEIGHTS = (10, 8, 6, 5, 4)  # ranked picks on the registration form
INTEREST_WEIGHT = 2  # the employer works in a sector the jobseeker is interested in
# Any other pair: someone without picks or interests (a walk-in, a client a coach signed up) is
# planned too, below every pick and interest, so those keep their ranking.
BASE_WEIGHT = 1
WANT_WEIGHT = 6  # the employer would like to meet this jobseeker ("graag spreken"): added to the pair
BREAK_NEEDS = {SupportNeed.BREAK_BETWEEN.value, SupportNeed.EXTRA_TIME.value}


def _speedmeet(session: Session, event_id: int):
    event = get_event(session, event_id)
    if event.kind != EventKind.SPEEDMEET:
        raise DomainError("planning.not_a_speedmeet")
    return event


def get_settings(session: Session, event_id: int) -> SpeedmeetSettings:
    """The event's speedmeet settings; sensible defaults (not saved) when there are none yet."""
    event = _speedmeet(session, event_id)
    settings = session.get(SpeedmeetSettings, event_id)
    if settings is None:
        settings = SpeedmeetSettings(event_id=event_id, first_round_at=event.starts_at + timedelta(minutes=15))
    return settings


@audit.action("speedmeet.save_settings")
def save_settings(session: Session, event_id: int, data: dict | SpeedmeetSettingsIn) -> SpeedmeetSettings:
    data = data if isinstance(data, SpeedmeetSettingsIn) else parse(SpeedmeetSettingsIn, data)
    event = _speedmeet(session, event_id)
    first = to_utc(data.first_round_at)
    end = first + timedelta(minutes=data.rounds * data.round_minutes + (data.rounds - 1) * data.break_minutes)
    if first < event.starts_at or end > event.ends_at:
        raise DomainError("planning.rounds_outside_event", field="rounds")
    settings = session.get(SpeedmeetSettings, event_id)
    if settings is None:
        settings = SpeedmeetSettings(event_id=event_id, first_round_at=first)
        session.add(settings)
    old_rounds = settings.rounds
    for key, value in data.model_dump().items():
        setattr(settings, key, value)
    settings.first_round_at = first
    if settings.rounds < old_rounds:
        # Meetings in rounds that no longer exist go; the rest of the plan stays.
        session.exec(delete(Meeting).where(Meeting.event_id == event_id, Meeting.round >= settings.rounds))
    session.flush()
    if settings.status == "published":
        # People have this plan: new round times (or rounds that are gone) reach those they change.
        notify.schedule_published(session, event_id)
    return settings


@dataclass
class Participants:
    jobseekers: dict[int, tuple[Registration, Jobseeker]]
    employers: dict[int, tuple[Registration, Employer]]


def participants(session: Session, event_id: int) -> Participants:
    regs = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.status == RegStatus.CONFIRMED)).all()
    js_ids = [r.jobseeker_id for r in regs if r.jobseeker_id]
    emp_ids = [r.employer_id for r in regs if r.employer_id]
    people = {j.id: j for j in session.exec(select(Jobseeker).where(Jobseeker.id.in_(js_ids)))} if js_ids else {}
    orgs = {e.id: e for e in session.exec(select(Employer).where(Employer.id.in_(emp_ids)))} if emp_ids else {}
    return Participants({r.jobseeker_id: (r, people[r.jobseeker_id]) for r in regs if r.jobseeker_id},
                        {r.employer_id: (r, orgs[r.employer_id]) for r in regs if r.employer_id})


def weights(jobseeker: Jobseeker, picks: list[int], employers: dict[int, Employer],
            met_before: set[int] = frozenset(), repeat_penalty: int | None = None) -> dict[int, int]:
    """What each meeting is worth to this jobseeker: ranked picks first, then sector interests, then
    the base weight for any other employer. An employer they already met earlier in the series is
    left out (repeat_penalty None) or worth that much less, unless they picked that employer again."""
    out = {}
    for rank, eid in enumerate(picks[:len(PICK_WEIGHTS)]):
        if eid in employers:
            out[eid] = PICK_WEIGHTS[rank]
    interests = set(jobseeker.interests)
    for eid, employer in employers.items():
        if eid not in out and interests & set(employer.sectors):
            out[eid] = INTEREST_WEIGHT
    for eid in employers:
        out.setdefault(eid, BASE_WEIGHT)
    for eid in met_before & out.keys() - set(picks):
        out[eid] = 0 if repeat_penalty is None else max(out[eid] - repeat_penalty, 0)
    return {eid: w for eid, w in out.items() if w > 0}


def met_earlier_in_series(session: Session, event_id: int) -> dict[int, set[int]]:
    """Per jobseeker, the employers they met at earlier events of this event's series (a planned
    meeting at an event they came to)."""
    event = session.get(Event, event_id)
    if event is None or event.series_id is None:
        return {}
    earlier = (select(Meeting.jobseeker_id, Meeting.employer_id)
               .join(Event, Event.id == Meeting.event_id)
               .join(Registration, (Registration.event_id == Meeting.event_id)
                     & (Registration.jobseeker_id == Meeting.jobseeker_id))
               .where(Event.series_id == event.series_id, Event.starts_at < event.starts_at,
                      Registration.checked_in_at.is_not(None)))
    out: dict[int, set[int]] = {}
    for jid, eid in session.exec(earlier):
        out.setdefault(jid, set()).add(eid)
    return out


def build_instance(session: Session, event_id: int) -> planning.Instance:
    settings = get_settings(session, event_id)
    parts = participants(session, event_id)
    orgs = {eid: emp for eid, (_, emp) in parts.employers.items()}
    all_rounds = list(range(settings.rounds))

    def rounds_of(reg: Registration) -> list[int]:
        return [r for r in (reg.available_rounds if reg.available_rounds is not None else all_rounds) if r < settings.rounds]

    employers = [planning.Employer(id=f"E{eid}", tables=max(reg.tables, 1), available_rounds=frozenset(rounds_of(reg)),
                                   wide_tables=reg.wide_tables if reg.wide_tables is not None else min(1, reg.tables))
                 for eid, (reg, _) in parts.employers.items()]
    jobseekers = []
    met = met_earlier_in_series(session, event_id)
    for jid, (reg, person) in parts.jobseekers.items():
        needs = set(person.support_needs)
        worth = weights(person, reg.picks, orgs, met.get(jid, set()), settings.repeat_penalty)
        jobseekers.append(planning.Jobseeker(
            id=f"J{jid}", max_meetings=settings.max_meetings, available_rounds=frozenset(rounds_of(reg)),
            preferences={f"E{eid}": w for eid, w in worth.items()},
            # Someone who comes along (a jobcoach, an interpreter) sits at the table too: a wide one.
            needs_break=bool(needs & BREAK_NEEDS), jobcoach=SupportNeed.JOBCOACH.value in needs or bool(reg.companion)))
    said = wishes(session, event_id)
    for e in employers:
        wants, avoids = said.get(int(e.id[1:]), (set(), set()))
        e.wants = {f"J{j}": WANT_WEIGHT for j in sorted(wants) if j in parts.jobseekers}
        e.avoids = frozenset(f"J{j}" for j in avoids if j in parts.jobseekers)
    inst = planning.combine(planning.Instance(rounds=settings.rounds, employers=employers, jobseekers=jobseekers,
                                              coverage_bonus=settings.coverage_bonus))
    if settings.min_meetings:
        inst.cover_meetings = settings.min_meetings
        inst.coverage_bonus = max(settings.coverage_bonus, fairness_bonus(inst))
    locked = session.exec(select(Meeting).where(Meeting.event_id == event_id, Meeting.locked)).all()
    inst.locked = [_as_plan(m) for m in locked
                   if m.jobseeker_id in parts.jobseekers and m.employer_id in parts.employers]
    return inst


def wishes(session: Session, event_id: int) -> dict[int, tuple[set[int], set[int]]]:
    """Per employer: the jobseekers they would like to meet, and those they would rather not."""
    out: dict[int, tuple[set[int], set[int]]] = {}
    for w in session.exec(select(EmployerWish).where(EmployerWish.event_id == event_id)):
        wants, avoids = out.setdefault(w.employer_id, (set(), set()))
        (wants if w.wish == "want" else avoids).add(w.jobseeker_id)
    return out


@audit.action("speedmeet.set_wishes")
def set_wishes(session: Session, event_id: int, employer_id: int, wants: list[int], avoids: list[int]) -> None:
    """What an employer said about the jobseekers signed up (staff enter it for them): replaces
    what was stored. Only people signed up for this speedmeet; nobody both wanted and avoided."""
    _speedmeet(session, event_id)
    wants, avoids = set(wants), set(avoids)
    if wants & avoids:
        raise DomainError("planning.want_and_avoid", field="avoids")
    regs = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.status != RegStatus.CANCELLED)).all()
    if employer_id not in {r.employer_id for r in regs}:
        raise NotFound("planning.employer_not_here")
    if (wants | avoids) - {r.jobseeker_id for r in regs}:
        raise NotFound("planning.jobseeker_not_here")
    session.exec(delete(EmployerWish).where(EmployerWish.event_id == event_id,
                                            EmployerWish.employer_id == employer_id))
    session.add_all([EmployerWish(event_id=event_id, employer_id=employer_id, jobseeker_id=j, wish="want")
                     for j in sorted(wants)] +
                    [EmployerWish(event_id=event_id, employer_id=employer_id, jobseeker_id=j, wish="avoid")
                     for j in sorted(avoids)])
    session.flush()


def _as_plan(m: Meeting) -> planning.Meeting:
    """A stored meeting in the planner's terms (ids J<jobseeker>, E<employer>)."""
    return planning.Meeting(f"J{m.jobseeker_id}", f"E{m.employer_id}", m.round)


def _rule_error(problem: str) -> DomainError:
    kind = problem.split(":", 1)[0].replace(" ", "_")
    return DomainError(f"planning.{kind}")


def _check(inst: planning.Instance, meetings: list[planning.Meeting], facts=frozenset()) -> None:
    """`facts`: locked meetings that stand as they are (held, or fixed by the organiser); a wish or
    a time window entered after them does not make the plan wrong."""
    problems = planning.violations(inst, meetings, frozenset(facts))
    if problems:
        raise _rule_error(problems[0])


def _store(session: Session, event_id: int, inst: planning.Instance, meetings: list[planning.Meeting],
           locked: set[tuple[int, int, int]]) -> None:
    """Replace the event's meetings; table numbers put jobcoach meetings at the wide tables."""
    session.exec(delete(Meeting).where(Meeting.event_id == event_id))
    session.flush()
    by_slot: dict[tuple[str, int], list[planning.Meeting]] = {}
    for m in meetings:
        by_slot.setdefault((m.employer_id, m.round), []).append(m)
    for (_, _), group in by_slot.items():
        group.sort(key=lambda m: (not inst.jobseeker_by_id[m.jobseeker_id].jobcoach, m.jobseeker_id))
        for table_no, m in enumerate(group, start=1):
            jid, eid = int(m.jobseeker_id[1:]), int(m.employer_id[1:])
            session.add(Meeting(event_id=event_id, jobseeker_id=jid, employer_id=eid, round=m.round,
                                table_no=table_no, locked=(jid, eid, m.round) in locked))
    session.flush()


def _current(session: Session, event_id: int) -> list[Meeting]:
    return list(session.exec(select(Meeting).where(Meeting.event_id == event_id)
                             .order_by(Meeting.round, Meeting.employer_id, Meeting.table_no)))


@dataclass
class PlanSummary:
    meetings: int
    total: int
    upper_bound: int | None  # None: only the later rounds were planned, no bound for the whole
    optimal: bool
    seconds: float
    jobseekers: int
    jobseekers_without_meeting: int


def run_planner(session: Session, event_id: int, time_limit: float = 10.0, from_round: int = 0) -> PlanSummary:
    """Plan (or re-plan around the locked meetings) and store the result as a draft, in one
    transaction (the command line and the demo; the app plans in the background instead). With
    `from_round`, only the rounds from there on are planned again (walk-ins on the day)."""
    inst = _instance_to_plan(session, event_id, from_round)
    return _save_plan(session, event_id, inst, planning.plan(inst, time_limit=time_limit), from_round)


def _instance_to_plan(session: Session, event_id: int, from_round: int = 0) -> planning.Instance:
    inst = build_instance(session, event_id) if not from_round else remaining_instance(session, event_id, from_round)
    if not inst.jobseekers or not inst.employers:
        raise DomainError("planning.nobody_to_plan")
    return inst


def next_round(settings: SpeedmeetSettings, now: datetime | None = None) -> int:
    """The first round (1-based) that has not begun: where a re-plan for walk-ins starts, as the
    round under way is being held. At least 2, at most the last round."""
    now = now or utcnow()
    begun = sum(1 for r in range(settings.rounds) if round_start(settings, r) <= now)
    return min(max(begun + 1, 2), settings.rounds)


def remaining_instance(session: Session, event_id: int, from_round: int) -> planning.Instance:
    """The day itself: rounds before `from_round` were held (or are published as the next one) and
    stay as they are; the rest is planned again, with whoever is there now (walk-ins included).
    Nobody meets an employer twice, nobody gets more meetings than allowed, and someone who needs
    a break and talked in the round before does not talk in the first one planned."""
    settings = get_settings(session, event_id)
    if not 1 <= from_round < settings.rounds:
        raise DomainError("planning.bad_from_round", field="from_round", rounds=settings.rounds)
    inst = build_instance(session, event_id)
    held = [_as_plan(m) for m in _current(session, event_id) if m.round < from_round]
    pairs = {(m.jobseeker_id, m.employer_id) for m in held}
    count: dict[str, int] = {}
    last: dict[str, int] = {}
    for m in held:
        count[m.jobseeker_id] = count.get(m.jobseeker_id, 0) + 1
        last[m.jobseeker_id] = max(last.get(m.jobseeker_id, -1), m.round)
    for j in inst.jobseekers:
        rounds = {r for r in j.available_rounds if r >= from_round}
        if j.needs_break and last.get(j.id) == from_round - 1:
            rounds.discard(from_round)
        j.available_rounds = frozenset(rounds)
        j.max_meetings = max(j.max_meetings - count.get(j.id, 0), 0)
        j.preferences = {eid: w for eid, w in j.preferences.items() if (j.id, eid) not in pairs}
        if j.stated is not None:  # what the exchange format carries (to the planning process) must agree
            j.stated = {eid: w for eid, w in j.stated.items() if (j.id, eid) not in pairs}
    for e in inst.employers:
        e.available_rounds = frozenset(r for r in e.available_rounds if r >= from_round)
        e.wants = {jid: w for jid, w in e.wants.items() if (jid, e.id) not in pairs}
    inst.locked = [m for m in inst.locked if m.round >= from_round]
    inst.covered = frozenset(count) & set(inst.jobseeker_by_id)
    inst.held = {jid: n for jid, n in count.items() if jid in inst.jobseeker_by_id}
    return inst


def fairness_bonus(inst: planning.Instance) -> int:
    """A bonus per meeting towards the minimum that outweighs everything one person's meetings can
    be worth: a plan gives one more meeting to someone below the minimum rather than any better match."""
    best = max((w for j in inst.jobseekers for w in j.preferences.values()), default=0)
    most = max((j.max_meetings for j in inst.jobseekers), default=0)
    return best * most + 1


def fingerprint(inst: planning.Instance) -> str:
    """Changes when anything the planner reads changes: who is there, when, their picks, locks."""
    return hashlib.sha256(json.dumps(inst.to_json(), sort_keys=True).encode()).hexdigest()


def _save_plan(session: Session, event_id: int, inst: planning.Instance, result: planning.Plan,
               from_round: int = 0) -> PlanSummary:
    """Store a plan of `inst`; from a later round on, together with the rounds before it, which
    stay as they were (and are locked: they happened)."""
    settings = session.get(SpeedmeetSettings, event_id)
    if settings is None:
        settings = get_settings(session, event_id)
        session.add(settings)
    _check(inst, result.meetings)
    locked = {(int(m.jobseeker_id[1:]), int(m.employer_id[1:]), m.round) for m in inst.locked}
    meetings, total, bound, optimal = result.meetings, result.total, result.upper_bound, result.optimal
    if from_round:
        full = build_instance(session, event_id)
        held = [_as_plan(m) for m in _current(session, event_id) if m.round < from_round]
        locked |= {(int(m.jobseeker_id[1:]), int(m.employer_id[1:]), m.round) for m in held}
        meetings = held + result.meetings
        full.locked = []
        _check(full, meetings, held)
        inst, total, bound, optimal = full, planning.objective(full, meetings), None, False
    _store(session, event_id, inst, meetings, locked)
    settings.status = "draft"
    settings.planned_at = utcnow()
    settings.total, settings.upper_bound = total, bound
    settings.optimal, settings.seconds = optimal, round(result.seconds, 3)
    session.flush()
    covered = {m.jobseeker_id for m in meetings}
    return PlanSummary(len(meetings), total, bound, optimal, result.seconds,
                       len(inst.jobseekers), len(inst.jobseekers) - len(covered))


def save_background_plan(session: Session, event_id: int, planned_from: str, result: planning.Plan,
                         from_round: int = 0) -> PlanSummary:
    """Store a plan made in the background, if what it was made from is still what there is: a
    sign-up, a cancellation, a lock or a new setting since then means planning again."""
    inst = _instance_to_plan(session, event_id, from_round)
    if fingerprint(inst) != planned_from:
        raise DomainError("planning.changed_meanwhile")
    return _save_plan(session, event_id, inst, result, from_round)


@dataclass
class PlanJob:
    """A plan being made for one event in a process of its own (planning.background), and what
    came of it once it is stored."""
    event_id: int
    time_limit: float
    started_by: str
    run: "background.Run"
    planned_from: str
    summary: PlanSummary | None = None
    error: str | None = None  # an i18n key
    finished: bool = False
    number: int = 0  # tells one job of an event from the next
    from_round: int = 0  # 0: the whole event; otherwise the rounds from this one on (walk-ins)
    storing: threading.Thread | None = None  # waits for the child and stores its plan


# One app process keeps its own jobs (a replica behind a sticky balancer serves the same organiser).
_JOBS: dict[int, PlanJob] = {}
_JOBS_LOCK = threading.Lock()
_JOB_NUMBERS = itertools.count(1)
log = logging.getLogger("eventtool.planning")


def start_planning(db, event_id: int, time_limit: float, started_by: str, from_round: int = 0) -> PlanJob:
    """Start planning an event in the background and return at once. The instance is read now; the
    plan is stored (audited for `started_by`) when it is ready, if nothing changed meanwhile."""
    if not 1 <= time_limit <= 600:
        raise DomainError("planning.bad_time_limit")

    def finish(job: PlanJob) -> None:
        job.run.wait()
        try:
            if job.run.error is not None:
                log.error("planning event %s failed: %s", event_id, job.run.error)
                job.error = "planning.failed"
            else:
                job.summary = db.write(audited(started_by, "speedmeet.run_planner"), save_background_plan, event_id,
                                       job.planned_from, job.run.result, job.from_round)
        except DomainError as exc:
            job.error = exc.code
        except Exception:  # noqa: BLE001 - the organiser sees that it failed; the log has why
            log.exception("storing the plan of event %s failed", event_id)
            job.error = "planning.failed"
        finally:
            job.finished = True

    with _JOBS_LOCK:
        job = _JOBS.get(event_id)
        if job is not None and not job.finished:
            raise DomainError("planning.already_running")
        inst = db.read(_instance_to_plan, event_id, from_round)
        job = PlanJob(event_id, time_limit, started_by, background.Run(inst, time_limit), fingerprint(inst),
                      number=next(_JOB_NUMBERS), from_round=from_round)
        # Started under the lock, so that stop_all_jobs never finds a job without its storing thread.
        job.storing = threading.Thread(target=finish, args=(job,), daemon=True, name=f"plan-{event_id}")
        job.storing.start()
        _JOBS[event_id] = job
    return job


def planning_job(event_id: int) -> PlanJob | None:
    return _JOBS.get(event_id)


def stop_planning(event_id: int, number: int) -> None:
    """Stop job `number` of the event (the one the organiser saw running): the best plan so far
    is stored."""
    job = _JOBS.get(event_id)
    if job is not None and job.number == number and not job.finished:
        job.run.stop()


def stop_all_jobs(timeout: float = 10) -> bool:
    """Stop and forget every planning job of this process (the app's stop, and tests between their own
    databases): each child is told to stop, then waited for, with what it has stored, within `timeout`
    seconds in all. False if one was still running when the time was up (it is forgotten all the same)."""
    with _JOBS_LOCK:
        jobs = list(_JOBS.values())
        _JOBS.clear()
    for job in jobs:
        job.run.stop()  # all at once, so that the children stop side by side
    deadline = time.monotonic() + timeout
    for job in jobs:
        job.run.wait(max(0.0, deadline - time.monotonic()))
        if job.storing is not None:
            job.storing.join(max(0.0, deadline - time.monotonic()))
    return all(job.finished for job in jobs)


def _edit(session: Session, meeting_id: int, change) -> None:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("planning.meeting_not_found")
    event_id = meeting.event_id
    inst = build_instance(session, event_id)
    inst.locked = []  # a hand edit may move a locked meeting on purpose
    current = {m.id: m for m in _current(session, event_id)}
    plan = {mid: _as_plan(m) for mid, m in current.items()}
    change(plan)
    _check(inst, list(plan.values()),
           {p for mid, p in plan.items() if current[mid].locked and p == _as_plan(current[mid])})
    locked = {(m.jobseeker_id, m.employer_id, m.round) for m in current.values() if m.locked}
    new_locked = set()
    for mid, m in plan.items():
        old = current[mid]
        key = (int(m.jobseeker_id[1:]), int(m.employer_id[1:]), m.round)
        # An edited meeting is locked, so a re-plan keeps what the organiser decided by hand.
        if (old.jobseeker_id, old.employer_id, old.round) in locked or key != (old.jobseeker_id, old.employer_id, old.round):
            new_locked.add(key)
    _store(session, event_id, inst, list(plan.values()), new_locked)
    settings = session.get(SpeedmeetSettings, event_id)
    if settings is not None:
        settings.total = planning.objective(inst, list(plan.values()))
        settings.optimal = settings.upper_bound is not None and settings.total >= settings.upper_bound
    session.flush()


@audit.action("speedmeet.move_meeting")
def move_meeting(session: Session, meeting_id: int, round: int, employer_id: int | None = None) -> None:
    """Move a meeting to another round (and optionally another employer); every rule is checked."""
    def change(plan):
        m = plan[meeting_id]
        plan[meeting_id] = planning.Meeting(m.jobseeker_id, f"E{employer_id}" if employer_id else m.employer_id, round)
    _edit(session, meeting_id, change)


@audit.action("speedmeet.swap_meetings")
def swap_meetings(session: Session, first_id: int, second_id: int) -> None:
    """Swap the rounds of two meetings (e.g. two jobseekers at one employer, or one person's two talks)."""
    def change(plan):
        if second_id not in plan:
            raise NotFound("planning.meeting_not_found")
        a, b = plan[first_id], plan[second_id]
        plan[first_id] = planning.Meeting(a.jobseeker_id, a.employer_id, b.round)
        plan[second_id] = planning.Meeting(b.jobseeker_id, b.employer_id, a.round)
    _edit(session, first_id, change)


@audit.action("speedmeet.remove_meeting")
def remove_meeting(session: Session, meeting_id: int) -> None:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("planning.meeting_not_found")
    session.delete(meeting)
    session.flush()


@audit.action("speedmeet.set_locked")
def set_locked(session: Session, meeting_id: int, locked: bool) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("planning.meeting_not_found")
    meeting.locked = locked
    session.flush()
    return meeting


@audit.action("speedmeet.publish")
def publish(session: Session, event_id: int) -> SpeedmeetSettings:
    settings = session.get(SpeedmeetSettings, event_id)
    current = _current(session, event_id)
    if settings is None or not current:
        raise DomainError("planning.nothing_to_publish")
    inst = build_instance(session, event_id)
    inst.locked = []
    _check(inst, [_as_plan(m) for m in current], {_as_plan(m) for m in current if m.locked})
    settings.status = "published"
    session.flush()
    notify.schedule_published(session, event_id)
    return settings


def set_availability(session: Session, registration_id: int, rounds: list[int] | None) -> Registration:
    """Late arrival / early departure: the rounds this participant is present (None: all)."""
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    settings = get_settings(session, reg.event_id)
    if rounds is not None:
        rounds = sorted(set(int(r) for r in rounds))
        if any(r < 0 or r >= settings.rounds for r in rounds):
            raise DomainError("planning.round_out_of_range", field="rounds", max=settings.rounds)
    reg.available_rounds = rounds
    session.flush()
    return reg


# --------------------------------------------------------------------------- views


@dataclass
class PlanView:
    settings: SpeedmeetSettings
    meetings: list[dict]  # one row per meeting, with names and times
    jobseekers_without_meeting: list[str]
    # With the fairness option: the people (by name) who have fewer conversations than the minimum.
    below_minimum: list[str] = field(default_factory=list)
    # Every employer's tables (organisation, how many): the grid shows a free slot as an empty cell,
    # also one a cancellation left.
    tables: list[tuple[str, int]] = field(default_factory=list)


def plan_view(session: Session, event_id: int) -> PlanView:
    settings = get_settings(session, event_id)
    parts = participants(session, event_id)
    rows = []
    for m in _current(session, event_id):
        js = parts.jobseekers.get(m.jobseeker_id)
        emp = parts.employers.get(m.employer_id)
        rows.append({"id": m.id, "round": m.round, "starts_at": round_start(settings, m.round),
                     "employer_id": m.employer_id, "employer": emp[1].organisation if emp else "?",
                     "table_no": m.table_no, "jobseeker_id": m.jobseeker_id, "jobseeker": js[1].name if js else "?",
                     "locked": m.locked})
    met = Counter(r["jobseeker_id"] for r in rows)
    missing = sorted((p.name for jid, (_, p) in parts.jobseekers.items() if jid not in met), key=name_key)
    below = sorted((p.name for jid, (_, p) in parts.jobseekers.items()
                    if settings.min_meetings and 0 < met[jid] < settings.min_meetings), key=name_key)
    tables = [(emp.organisation, max(reg.tables, 1)) for reg, emp in parts.employers.values()]
    return PlanView(settings, rows, missing, below, tables)


def grid(view: PlanView) -> dict[str, dict[str, str]]:
    """Round x (employer, table) -> jobseeker name: the sheet organisers hang on the wall."""
    columns: dict[str, dict[str, str]] = {f"{org} · {n}": {} for org, count in view.tables
                                          for n in range(1, count + 1)}
    for row in view.meetings:
        label = f"{row['employer']} · {row['table_no']}"
        columns.setdefault(label, {})[str(row["round"] + 1)] = row["jobseeker"]
    return dict(sorted(columns.items()))


def availability_rows(session: Session, event_id: int) -> list[dict]:
    """Everyone confirmed, with the first and last round they are present (1-based, None: all)."""
    parts = participants(session, event_id)
    rows = []
    for kind, group in (("jobseeker", parts.jobseekers), ("employer", parts.employers)):
        for reg, who in group.values():
            rounds = reg.available_rounds
            rows.append({"registration_id": reg.id, "party": kind,
                         "name": who.name if kind == "jobseeker" else who.organisation,
                         "first_round": min(rounds) + 1 if rounds else None,
                         "last_round": max(rounds) + 1 if rounds else None})
    return sorted(rows, key=lambda r: (r["party"] != "employer",
                                       text_key(r["name"]) if r["party"] == "employer" else name_key(r["name"])))


@audit.action("speedmeet.set_availabilities")
def set_availabilities(session: Session, event_id: int, windows: dict[int, tuple[int | None, int | None]]) -> int:
    """Save presence windows {registration id: (first round, last round)}, 1-based as organisers
    count; (None, None) means every round. Returns how many changed."""
    settings = get_settings(session, event_id)
    changed = 0
    for reg_id, (first, last) in windows.items():
        reg = session.get(Registration, reg_id)
        if reg is None or reg.event_id != event_id:
            raise NotFound("registration.not_found")
        if first is None and last is None:
            rounds = None
        else:
            first, last = first or 1, last or settings.rounds
            if not 1 <= first <= last <= settings.rounds:
                raise DomainError("planning.round_out_of_range", field="rounds", max=settings.rounds)
            rounds = list(range(first - 1, last))
        if reg.available_rounds != rounds:
            set_availability(session, reg_id, rounds)
            changed += 1
    return changed
