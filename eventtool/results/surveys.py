"""Follow-up that collects itself: some time after an event (a week, 3, 6 and 12 months by default)
the jobseekers who came, their jobcoach and the employers they met each get a short survey behind a
personal link. Answers become outcome records with their source (self, coach, employer); answering
again updates them, never adds a second set. Where respondents disagree about one pair, staff see
both claims and settle which one counts.

Who is asked: jobseekers who came (checked in; at an event where nobody was checked in, everyone
confirmed and not marked absent), their jobcoach when the person confirmed the coach, and every
employer who had a planned conversation with one of them. Anyone who said "no more questions" is
not asked again. Nobody sees another person's data: a jobseeker chooses among organisations, an
employer sees the names of the people they met (as on their schedule), a coach their own client.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, delete, func, select

from ..core import audit
from ..core.collation import name_key
from ..core.config import TZ, parse_waves, wave_offset
from ..core.errors import DomainError, NotFound, ValidationFailed
from ..messages import links, outbox
from ..messages.content import compose_survey
from ..messages.models import Message
from ..people.models import Employer, Jobseeker
from ..events.models import Event, Meeting
from .models import Outcome, OutcomeIn
from ..registration.models import Registration
from .outcomes import LADDER
from ..core.timeutil import to_local, utcnow
from ..core.validation import parse
from ..core.vocab import EventStatus, OutcomeKind, RegStatus
from . import durability
from .models import Survey, SurveyLink

RESPONDENTS = ("jobseeker", "coach", "employer")
SOURCE = {"jobseeker": "self", "coach": "coach", "employer": "employer"}
# What a respondent can say came of a contact, in the order the survey lists them.
ANSWERS = (OutcomeKind.NONE, OutcomeKind.CONTACT, OutcomeKind.SECOND_INTERVIEW, OutcomeKind.TRIAL_PLACEMENT,
           OutcomeKind.TRAINEESHIP, OutcomeKind.TRAINING, OutcomeKind.TEMP_JOB, OutcomeKind.JOB)
# Jobs are counted in hours per week (Banenafspraak, SROI), so a job's answer says how many.
NEEDS_HOURS = {OutcomeKind.TEMP_JOB.value, OutcomeKind.JOB.value}
TAKES_HOURS = NEEDS_HOURS | {OutcomeKind.TRIAL_PLACEMENT.value, OutcomeKind.TRAINEESHIP.value}
SEND_WINDOW = timedelta(days=30)  # a wave missed by more than this (the tool was off) is not sent late
ANSWER_FOR = timedelta(days=60)  # how long a survey's links work
REMIND_AFTER = timedelta(days=7)
# A placement is asked about ("do you still work there?") once it is this old.
ASK_STILL_AFTER = relativedelta(months=5)


def _came(session: Session, event_id: int) -> list[Registration]:
    regs = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.status == RegStatus.CONFIRMED,
                                                   col(Registration.jobseeker_id).is_not(None))).all()
    checked = [r for r in regs if r.checked_in_at is not None]
    return checked if checked else [r for r in regs if not r.no_show]


def _declined(session: Session) -> set[tuple[str, int | str]]:
    """(respondent, who) of everyone who asked for no more surveys: a jobseeker's id, an employer's
    id, a jobcoach's address (a coach said it for themselves, about every client)."""
    rows = session.exec(select(Survey.respondent, Survey.jobseeker_id, Survey.employer_id, Registration.coach_email)
                        .join(Registration, Registration.id == Survey.registration_id, isouter=True)
                        .where(col(Survey.declined_at).is_not(None))).all()
    return {(r, e if r == "employer" else (c if r == "coach" else j)) for r, j, e, c in rows}


def queue_due(session: Session, waves: list[str], now: datetime | None = None) -> int:
    """Create the surveys whose moment has come (once each: the key) and queue their messages.
    Only events that took place (published, ended) and only within SEND_WINDOW of the moment."""
    now = now or utcnow()
    if not waves:
        return 0
    longest = max((wave_offset(w) for w in waves), key=lambda o: o + datetime(2000, 1, 1))
    events = session.exec(select(Event).where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now,
                                              Event.ends_at > now - longest - SEND_WINDOW)).all()
    due_now = [(event, wave) for event in events for wave in waves
               if event.ends_at + wave_offset(wave) <= now < event.ends_at + wave_offset(wave) + SEND_WINDOW]
    if not due_now:
        return 0
    # A wave is made once, when it comes due (the sender asks every few seconds).
    done = set(session.exec(select(Survey.event_id, Survey.wave).where(
        col(Survey.event_id).in_({e.id for e, _ in due_now})).distinct()).all())
    declined = _declined(session)
    made = 0
    for event, wave in due_now:
        if (event.id, wave) not in done:
            made += _create_wave(session, event, wave, now, declined)
    session.flush()
    return made


def _create_wave(session: Session, event: Event, wave: str, now: datetime, declined: set) -> int:
    existing = set(session.exec(select(Survey.key).where(Survey.event_id == event.id, Survey.wave == wave)))
    regs = _came(session, event.id)
    people = {p.id: p for p in session.exec(select(Jobseeker).where(
        col(Jobseeker.id).in_([r.jobseeker_id for r in regs])))}
    made = 0

    def create(respondent: str, address: str, name: str, lang: str, *, jobseeker: Jobseeker | None = None,
               employer: Employer | None = None, reg: Registration | None = None, about: str | None = None) -> None:
        nonlocal made
        subject = employer.id if respondent == "employer" else jobseeker.id
        key = f"{event.id}:{wave}:{respondent}:{subject}"
        who = address if respondent == "coach" else subject
        if key in existing or (respondent, who) in declined or not address:
            return
        survey = Survey(key=key, event_id=event.id, wave=wave, respondent=respondent, lang=lang,
                        jobseeker_id=jobseeker.id if jobseeker else None, employer_id=employer.id if employer else None,
                        registration_id=reg.id if reg else None, created_at=now, expires_at=now + ANSWER_FOR)
        session.add(survey)
        session.flush()
        _queue_message(session, survey, "survey", event, address, name, about)
        made += 1

    for reg in regs:
        person = people.get(reg.jobseeker_id)
        if person is None:
            continue
        create("jobseeker", person.email or "", person.name, reg.lang, jobseeker=person, reg=reg)
        if reg.coach_email and reg.coach_confirmed:
            create("coach", reg.coach_email, reg.coach_name or "", reg.lang, jobseeker=person, reg=reg, about=person.name)
    came = {r.jobseeker_id for r in regs}
    met = {m.employer_id for m in session.exec(select(Meeting).where(Meeting.event_id == event.id))
           if m.jobseeker_id in came}
    employer_regs = {r.employer_id: r for r in session.exec(select(Registration).where(
        Registration.event_id == event.id, col(Registration.employer_id).in_(met)))}
    for employer in session.exec(select(Employer).where(col(Employer.id).in_(met))):
        reg = employer_regs.get(employer.id)
        create("employer", employer.email or "", employer.contact_name, reg.lang if reg else "nl", employer=employer,
               reg=reg)
    return made


def _queue_message(session: Session, survey: Survey, kind: str, event: Event, address: str, name: str,
                   about: str | None) -> None:
    sender, domain = outbox.sender()
    subject, text, html = compose_survey(kind, survey.lang, name, event.title, event.starts_at, sender=sender,
                                         about=about, employer=survey.respondent == "employer")
    outbox.queue(session, kind=kind, to_address=address, to_name=name, subject=subject, text=text, html=html,
                 lang=survey.lang, event_id=event.id, jobseeker_id=survey.jobseeker_id,
                 employer_id=survey.employer_id if survey.respondent == "employer" else None,
                 survey_id=survey.id, key=f"{kind}:{survey.id}", domain=domain)


def _address(session: Session, survey: Survey) -> tuple[str, str, str | None]:
    """Where a survey's reminder goes: the address stored now (a corrected one counts)."""
    if survey.respondent == "employer":
        employer = session.get(Employer, survey.employer_id)
        return (employer.email or "", employer.contact_name, None) if employer else ("", "", None)
    person = session.get(Jobseeker, survey.jobseeker_id)
    if survey.respondent == "coach":
        reg = session.get(Registration, survey.registration_id) if survey.registration_id else None
        return (reg.coach_email or "", reg.coach_name or "", person.name if person else None) if reg else ("", "", None)
    return (person.email or "", person.name, None) if person else ("", "", None)


def queue_reminders(session: Session, now: datetime | None = None) -> int:
    """One reminder per unanswered survey, a week after it went out, while its links still work."""
    now = now or utcnow()
    open_ = session.exec(select(Survey).where(col(Survey.answered_at).is_(None), col(Survey.declined_at).is_(None),
                                              col(Survey.reminded_at).is_(None),
                                              Survey.created_at <= now - REMIND_AFTER,
                                              Survey.expires_at > now + timedelta(days=3))).all()
    for survey in open_:
        address, name, about = _address(session, survey)
        if address:
            _queue_message(session, survey, "survey_reminder", session.get(Event, survey.event_id), address, name, about)
        survey.reminded_at = now
    session.flush()
    return len(open_)


def mint(session: Session, survey_id: int, now: datetime | None = None) -> str | None:
    """A new link for a survey that can still be answered (the sender calls this per message)."""
    survey = session.get(Survey, survey_id)
    if survey is None or survey.expires_at <= (now or utcnow()):
        return None
    token, token_hash = links.new_token()
    session.add(SurveyLink(survey_id=survey_id, token_hash=token_hash, expires_at=survey.expires_at))
    session.flush()
    return token


# --------------------------------------------------------------------------- the form


@dataclass
class Choice:
    id: int | None  # employer (for a jobseeker or coach) or jobseeker (for an employer); None: another employer
    label: str
    met: bool = False


@dataclass
class StillQuestion:
    """'Do you still work at X?' about a placement of at least ASK_STILL_AFTER."""
    jobseeker_id: int
    employer_id: int | None
    label: str  # the organisation (for the person or coach) or the person (for the employer)
    started: date
    answer: bool | None = None


@dataclass
class SurveyForm:
    survey_id: int
    respondent: str
    lang: str
    event_title: str
    event_starts_at: datetime
    about: str | None  # a coach's client
    choices: list[Choice]
    answers: dict[int | None, dict] = field(default_factory=dict)  # choice id -> kind, occurred_on, hours_per_week
    still: list[StillQuestion] = field(default_factory=list)
    answered: bool = False
    declined: bool = False


def _open(session: Session, token: str, now: datetime | None = None) -> Survey:
    """A token's survey (one answer for every link that does not work, as links.find gives)."""
    return session.get(Survey, links.find(session, SurveyLink, token, "survey.link_unknown", now).survey_id)


def _choices(session: Session, survey: Survey) -> list[Choice]:
    meetings = session.exec(select(Meeting).where(Meeting.event_id == survey.event_id)).all()
    if survey.respondent == "employer":
        came = {r.jobseeker_id for r in _came(session, survey.event_id)}
        ids = {m.jobseeker_id for m in meetings if m.employer_id == survey.employer_id} & came
        people = sorted(session.exec(select(Jobseeker).where(col(Jobseeker.id).in_(ids))), key=lambda p: name_key(p.name))
        return [Choice(p.id, p.name, True) for p in people]
    met = {m.employer_id for m in meetings if m.jobseeker_id == survey.jobseeker_id}
    at_event = set(session.exec(select(Registration.employer_id).where(
        Registration.event_id == survey.event_id, Registration.status == RegStatus.CONFIRMED,
        col(Registration.employer_id).is_not(None))))
    orgs = session.exec(select(Employer).where(col(Employer.id).in_(met | at_event))).all()
    ordered = sorted(orgs, key=lambda e: (e.id not in met, e.organisation.casefold()))
    return [Choice(e.id, e.organisation, e.id in met) for e in ordered] + [Choice(None, "", False)]


def _stored(session: Session, survey_id: int) -> list[Outcome]:
    return list(session.exec(select(Outcome).where(Outcome.survey_id == survey_id)))


def _still_questions(session: Session, survey: Survey, answered: list[Outcome], now: datetime) -> list[StillQuestion]:
    """Placements of the person (or, for an employer, of the people they met at this event with
    them) that are old enough to ask whether they last."""
    if survey.respondent == "employer":
        people = [c.id for c in _choices(session, survey)]
        query = select(Outcome).where(col(Outcome.jobseeker_id).in_(people), Outcome.employer_id == survey.employer_id)
    else:
        query = select(Outcome).where(Outcome.jobseeker_id == survey.jobseeker_id)
    rows = [o for o in session.exec(query.where(col(Outcome.rejected_at).is_(None))) if o.survey_id != survey.id]
    starts: dict[int, Outcome] = {}
    for o in sorted(rows, key=lambda o: o.occurred_on):
        if o.kind in durability.PLACED and o.jobseeker_id not in starts:
            starts[o.jobseeker_id] = o
    names = {}
    if survey.respondent == "employer":
        names = {p.id: p.name for p in session.exec(select(Jobseeker).where(col(Jobseeker.id).in_(list(starts))))}
    orgs = {e.id: e.organisation for e in session.exec(select(Employer).where(
        col(Employer.id).in_({o.employer_id for o in starts.values()} - {None})))}
    mine = {o.jobseeker_id: o.kind != OutcomeKind.JOB_ENDED.value for o in answered
            if o.kind in durability.STILL_ANSWERS}
    questions = []
    for person_id, start in starts.items():
        if to_local(start.occurred_on).date() + ASK_STILL_AFTER > to_local(now).date():
            continue
        label = names.get(person_id, "") if survey.respondent == "employer" else orgs.get(start.employer_id, "")
        questions.append(StillQuestion(person_id, start.employer_id, label, to_local(start.occurred_on).date(),
                                       mine.get(person_id)))
    return questions


def view(session: Session, token: str, now: datetime | None = None) -> SurveyForm:
    now = now or utcnow()
    survey = _open(session, token, now)
    event = session.get(Event, survey.event_id)
    about = None
    if survey.respondent == "coach":
        person = session.get(Jobseeker, survey.jobseeker_id)
        about = person.name if person else None
    stored = _stored(session, survey.id)
    subject = "jobseeker_id" if survey.respondent == "employer" else "employer_id"
    answers = {getattr(o, subject): {"kind": o.kind, "occurred_on": to_local(o.occurred_on).date(),
                                     "hours_per_week": o.hours_per_week}
               for o in stored if o.kind not in durability.STILL_ANSWERS}
    return SurveyForm(survey.id, survey.respondent, survey.lang, event.title, event.starts_at, about,
                      _choices(session, survey), answers, _still_questions(session, survey, stored, now),
                      survey.answered_at is not None, survey.declined_at is not None)


def _when(value, event: Event, now: datetime, field_name: str) -> datetime:
    """A date from the form: not before the event, not in the future; none given means today."""
    if value in (None, ""):
        return now
    if isinstance(value, datetime):
        value = to_local(value).date()
    if not isinstance(value, date):
        raise DomainError("survey.bad_date", field=field_name)
    if value < to_local(event.starts_at).date():
        raise DomainError("survey.date_before_event", field=field_name)
    if value > to_local(now).date():
        raise DomainError("outcomes.in_future", field=field_name)
    return datetime.combine(value, time(12, 0), tzinfo=TZ)


@audit.action("surveys.answer")
def answer(session: Session, token: str, rows: list[dict], still: dict[int, bool] | None = None,
           now: datetime | None = None) -> int:
    """Save a survey's answers. `rows`: one per contact, {"subject": choice id, "kind", "occurred_on",
    "hours_per_week"}; `still`: jobseeker id -> still employed. The subjects must be the survey's
    own choices (a changed form cannot write about anyone else). Answering again replaces the
    earlier answers of this survey; nothing is saved when anything is wrong."""
    now = now or utcnow()
    survey = _open(session, token, now)
    event = session.get(Event, survey.event_id)
    allowed = {c.id for c in _choices(session, survey)}
    if survey.respondent == "employer":
        allowed.discard(None)
    problems: dict[str, tuple[str, dict]] = {}
    wanted: dict[tuple[int | None, int | None], dict] = {}
    for row in rows:
        subject, kind = row.get("subject"), str(row.get("kind") or "")
        name = f"{subject if subject is not None else 'other'}"
        if subject not in allowed:
            raise NotFound("survey.not_yours")
        if kind not in {k.value for k in ANSWERS}:
            problems[f"kind_{name}"] = ("survey.choose_answer", {})
            continue
        hours = row.get("hours_per_week")
        hours = None if hours in (None, "", 0) or kind not in TAKES_HOURS else hours
        if kind in NEEDS_HOURS and hours is None:
            problems[f"hours_{name}"] = ("survey.hours_needed", {})
            continue
        try:
            when = _when(row.get("occurred_on"), event, now, f"date_{name}")
        except DomainError as exc:
            problems[exc.field] = (exc.code, exc.params)
            continue
        jobseeker_id = subject if survey.respondent == "employer" else survey.jobseeker_id
        employer_id = survey.employer_id if survey.respondent == "employer" else subject
        wanted[jobseeker_id, employer_id] = {"kind": kind, "occurred_on": when, "hours_per_week": hours}
    questions = {q.jobseeker_id: q for q in _still_questions(session, survey, [], now)}
    for person_id, employed in (still or {}).items():
        if person_id not in questions:
            raise NotFound("survey.not_yours")
        if employed is None:
            continue
        q = questions[person_id]
        kind = durability.still_kind(q.started, to_local(now).date()) if employed else OutcomeKind.JOB_ENDED.value
        wanted[("still", person_id)] = {"kind": kind, "occurred_on": now, "hours_per_week": None,
                                        "jobseeker_id": person_id, "employer_id": q.employer_id}
    if problems:
        raise ValidationFailed(problems)
    stored = {}
    for o in _stored(session, survey.id):
        key = ("still", o.jobseeker_id) if o.kind in durability.STILL_ANSWERS else (o.jobseeker_id, o.employer_id)
        stored[key] = o
    source = SOURCE[survey.respondent]
    for key, values in wanted.items():
        jobseeker_id = values.pop("jobseeker_id", key[0])
        employer_id = values.pop("employer_id", key[1])
        data = parse(OutcomeIn, {"jobseeker_id": jobseeker_id, "event_id": event.id, "employer_id": employer_id,
                                 "source": source, **values})
        o = stored.pop(key, None)
        if o is None:
            o = Outcome(jobseeker_id=jobseeker_id, event_id=event.id, employer_id=employer_id, survey_id=survey.id,
                        kind=data.kind.value, occurred_on=data.occurred_on, source=source, recorded_by=source)
            session.add(o)
        o.kind, o.occurred_on, o.hours_per_week = data.kind.value, data.occurred_on, data.hours_per_week
        o.recorded_at, o.rejected_at, o.rejected_by = now, None, ""
    for o in stored.values():  # what the earlier answer said and this one no longer does
        session.delete(o)
    survey.answered_at = now
    session.flush()
    return len(wanted)


@audit.action("surveys.decline")
def decline(session: Session, token: str, now: datetime | None = None) -> None:
    """'No more questions, please': this survey and every open one of the same respondent stop, and
    no new one is made for them."""
    now = now or utcnow()
    _stop(session, _open(session, token, now), now)


def stop_asking(session: Session, survey_id: int, now: datetime | None = None) -> Survey | None:
    """The same, from the unsubscribe link of a survey's mail (messages.unsubscribe); again is the same
    as once. None when the survey is gone (its person was erased)."""
    survey = session.get(Survey, survey_id)
    if survey is not None:
        _stop(session, survey, now or utcnow())
    return survey


def still_asking(session: Session, survey_id: int) -> bool:
    """Whether stop_asking would still stop something: a survey of this one's respondent that is not
    declined (a read, so a repeated unsubscribe needs no write)."""
    survey = session.get(Survey, survey_id)
    return survey is not None and any(s.declined_at is None for s in _theirs(session, survey))


def _theirs(session: Session, survey: Survey) -> list[Survey]:
    """Every survey of this survey's respondent: a jobseeker's, an employer's, or a jobcoach's about
    any of their clients (by the coach's address on the registrations; another coach of the same
    client is someone else)."""
    if survey.respondent == "coach":
        reg = session.get(Registration, survey.registration_id) if survey.registration_id else None
        if reg is None or not reg.coach_email:
            return [survey]
        same = col(Survey.registration_id).in_(select(Registration.id).where(Registration.coach_email == reg.coach_email))
    elif survey.respondent == "employer":
        same = Survey.employer_id == survey.employer_id
    else:
        same = Survey.jobseeker_id == survey.jobseeker_id
    return list(session.exec(select(Survey).where(Survey.respondent == survey.respondent, same)).all())


def _stop(session: Session, survey: Survey, now: datetime) -> None:
    """Every survey of this respondent (_theirs) is declined, so no new one is made (_declined) and
    none is reminded; their survey mails that no sender has taken yet are withdrawn."""
    theirs = _theirs(session, survey)
    for s in theirs:
        if s.declined_at is None:
            s.declined_at = now
    session.exec(delete(Message).where(col(Message.survey_id).in_([s.id for s in theirs]), Message.status == "queued"))
    session.flush()


# --------------------------------------------------------------------------- staff


@dataclass
class Claim:
    outcome_id: int
    source: str
    kind: str
    occurred_on: datetime
    hours_per_week: float | None


@dataclass
class Conflict:
    event_id: int
    event_title: str
    wave: str
    jobseeker_id: int
    jobseeker: str
    employer_id: int | None
    employer: str
    claims: list[Claim]

    @property
    def key(self) -> str:
        return f"{self.event_id}:{self.wave}:{self.jobseeker_id}:{self.employer_id}"


_RANK = {k.value: i for i, k in enumerate(LADDER)}


def conflicts(session: Session, event_id: int | None = None) -> list[Conflict]:
    """Pairs (person, employer) about which survey answers of one wave disagree: the person says
    'job', the employer 'none'; or a person who said 'no contact' at all while an employer reports
    a second interview. Set-aside answers no longer count."""
    query = select(Outcome, Survey).join(Survey, Survey.id == Outcome.survey_id).where(
        col(Outcome.rejected_at).is_(None), col(Outcome.jobseeker_id).is_not(None),
        col(Outcome.kind).not_in(durability.STILL_ANSWERS))
    if event_id is not None:
        query = query.where(Outcome.event_id == event_id)
    groups: dict[tuple, list[Outcome]] = {}
    overall_none: dict[tuple, list[Outcome]] = {}
    for o, s in session.exec(query):
        if o.employer_id is None:
            if o.kind == OutcomeKind.NONE.value:
                overall_none.setdefault((o.event_id, s.wave, o.jobseeker_id), []).append(o)
            continue
        groups.setdefault((o.event_id, s.wave, o.jobseeker_id, o.employer_id), []).append(o)
    found = []
    for (ev, wave, person, employer), claims in groups.items():
        claims = claims + overall_none.get((ev, wave, person), [])
        if len({c.kind for c in claims}) > 1 and len({c.source for c in claims}) > 1:
            found.append((ev, wave, person, employer, claims))
    if not found:
        return []
    titles = {e.id: e.title for e in session.exec(select(Event).where(col(Event.id).in_({f[0] for f in found})))}
    names = {p.id: p.name for p in session.exec(select(Jobseeker).where(col(Jobseeker.id).in_({f[2] for f in found})))}
    orgs = {e.id: e.organisation for e in session.exec(select(Employer).where(col(Employer.id).in_({f[3] for f in found})))}
    return sorted((Conflict(ev, titles.get(ev, ""), wave, person, names.get(person, ""), employer, orgs.get(employer, ""),
                            sorted((Claim(c.id, c.source, c.kind, c.occurred_on, c.hours_per_week) for c in claims),
                                   key=lambda c: (-_RANK.get(c.kind, 0), c.source)))
                   for ev, wave, person, employer, claims in found),
                  key=lambda c: (c.event_title, c.jobseeker, c.employer))


@audit.action("surveys.settle")
def settle(session: Session, keep_outcome_id: int, shown: list[int], actor: str, now: datetime | None = None) -> int:
    """Staff choose the answer that counts among the claims they were shown; the others are set
    aside (kept, marked, counted nowhere). If the claims changed since they were shown (someone
    answered again), nothing happens and staff look again."""
    current = next((c for c in conflicts(session) if keep_outcome_id in {x.outcome_id for x in c.claims}), None)
    if current is None or sorted(x.outcome_id for x in current.claims) != sorted(shown):
        raise DomainError("survey.conflict_changed")
    now = now or utcnow()
    rejected = 0
    for claim in current.claims:
        if claim.outcome_id != keep_outcome_id:
            o = session.get(Outcome, claim.outcome_id)
            o.rejected_at, o.rejected_by = now, actor[:100]
            rejected += 1
    session.flush()
    return rejected


def response_rates(session: Session, event_ids: list[int] | None = None) -> list[dict]:
    """Per event, wave and respondent: surveys sent and answered."""
    query = select(Survey.event_id, Survey.wave, Survey.respondent, func.count(),
                   func.count(Survey.answered_at)).group_by(Survey.event_id, Survey.wave, Survey.respondent)
    if event_ids is not None:
        query = query.where(col(Survey.event_id).in_(event_ids))
    rows = session.exec(query).all()
    titles = {e.id: (e.title, e.starts_at) for e in session.exec(select(Event).where(
        col(Event.id).in_({r[0] for r in rows})))}
    order = {w: i for i, w in enumerate(parse_waves(",".join({r[1] for r in rows})))} if rows else {}
    out = [{"event_id": ev, "event": titles[ev][0], "starts_at": titles[ev][1], "wave": wave, "respondent": who,
            "sent": sent, "answered": answered, "rate": round(answered / sent, 3) if sent else None}
           for ev, wave, who, sent, answered in rows]
    return sorted(out, key=lambda r: (r["starts_at"], r["event_id"], order.get(r["wave"], 0),
                                      RESPONDENTS.index(r["respondent"])))
