"""What the domain tells people, queued in the caller's transaction: a sign-up (a place or the
waiting list), a place after waiting, a cancellation, an event that moved or was cancelled, a
published speedmeet schedule, and reminders. Messages go to the address stored for the person
(never to what a public form typed), in the language they signed up in. Employers' messages never
carry health data: their schedule names jobseekers only."""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from ..events.calendars import addressed, cancel_all, coach_uid, entry_key, held, personal_ics, registration_ics, schedule_changes, with_cancelled
from ..events.reads import round_start
from ..people.models import Employer, Jobseeker
from ..events.models import Event, Meeting, SpeedmeetSettings
from .audiences import reach
from .models import Registration
from . import stands as stand_numbers
from ..core.timeutil import fmt_local, to_local, utcnow
from ..core.vocab import EventKind, EventStatus, RegSource, RegStatus
from ..messages import outbox
from ..messages.content import Facts, compose, place
from ..messages.models import Message

# Kinds whose message is about one registration, with the calendar status it carries.
REGISTRATION_KINDS = {"signup_confirmed": "confirmed", "signup_waitlisted": "waitlisted", "promoted": "confirmed",
                      "cancelled": "cancelled", "reminder": "confirmed",
                      "companion_removed": None, "signup_again": None}  # None: the registration's own status
ACTIVE = (RegStatus.CONFIRMED.value, RegStatus.WAITLISTED.value)
# What makes an event 'moved' for the people on it.
WHEN_AND_WHERE = ("starts_at", "ends_at", "venue_name", "address", "city")


def _recipient(session: Session, reg: Registration) -> tuple[str, str, int | None, int | None] | None:
    if reg.jobseeker_id is not None:
        person = session.get(Jobseeker, reg.jobseeker_id)
        return (person.email, person.name, person.id, None) if person and person.email else None
    employer = session.get(Employer, reg.employer_id)
    return (employer.email, employer.contact_name, None, employer.id) if employer and employer.email else None


def _facts(event: Event, jobseeker: bool, schedule=None, stands=None) -> Facts:
    return Facts(event.title, event.starts_at, event.ends_at, place(event.venue_name, event.address, event.city),
                 event.accessibility_notes, event.description, schedule or [], jobseeker, stands or [])


def _queue(session: Session, kind: str, reg: Registration, event: Event, *, ics: bytes | None, schedule=None,
           key: str | None = None, now: datetime | None = None, key_is_new: bool = False,
           code: str | None = None, stands: list[tuple[str, str]] | None = None) -> Message | None:
    who = _recipient(session, reg)
    if who is None or event.ends_at <= (now or utcnow()):
        return None  # no address, or about something already over
    address, name, jobseeker_id, employer_id = who
    sender, domain = outbox.sender()
    facts = _facts(event, jobseeker_id is not None, schedule, stands)
    if employer_id is not None and reg.stand and reg.status == RegStatus.CONFIRMED:
        facts.own_stand = reg.stand  # where the employer sets up at the job fair
    common = dict(kind=kind, lang=reg.lang, ics_name="activiteit.ics" if ics else "",
                  event_id=event.id, registration_id=reg.id, jobseeker_id=jobseeker_id, employer_id=employer_id,
                  domain=domain)
    subject, text, html = compose(kind, reg.lang, name, facts, with_link=True, sender=sender, with_code=bool(code),
                                  attachment=ics is not None)
    # The calendar files as iTIP for whom the mail goes to (their ATTENDEE).
    own_ics = addressed(ics, address, name).decode() if ics else None
    msg = outbox.queue(session, to_address=address, to_name=name, subject=subject, text=text, html=html, key=key,
                       key_is_new=key_is_new, code=code, ics=own_ics, **common)
    if msg is not None and reg.coach_email and reg.coach_confirmed:
        # The jobcoach who comes along gets the same message, addressed to them, without the
        # person's own link and code: the coach acts through their own login and caseload. Their
        # calendar entries are their own per client (a coach with two clients at one event keeps
        # the other's entry when one cancels), named after the client.
        subject, text, html = compose(kind, reg.lang, reg.coach_name or reg.coach_email, facts, with_link=False,
                                      sender=sender, copy_of=name)
        coach_ics = addressed(ics, reg.coach_email, reg.coach_name or "", coach_of=(reg.id, name)).decode() if ics else None
        outbox.queue(session, to_address=reg.coach_email, to_name=reg.coach_name or "", subject=subject, text=text,
                     html=html, key=f"{key}:coach" if key else None, key_is_new=key_is_new, ics=coach_ics, **common)
    return msg


def coach_ended(session: Session, reg: Registration, now: datetime | None = None, *,
                anonymous: bool = False) -> list[Message]:
    """The registration's jobcoach stops getting copies (the person is no longer their client):
    copies to them that no sender has taken yet are withdrawn, and the entries their copies put in
    their calendar for this client (`coach_uid`: the event and the conversations of the last
    schedule they were sent) are cancelled in one mail to them, one CANCEL per entry. Nothing when
    their calendar holds nothing of it (they were told of a cancellation already) or it is over.

    `anonymous`: the person is being erased (call it before the erasure deletes their messages).
    Every coach whose calendar still holds entries of this registration after the copies that went
    out (its coach, confirmed or no longer, and any earlier one; queued copies never go) gets them
    cancelled, also for an event that is over, in a mail ('coach_erased') that names nothing of the
    person: not in its subject or text, and the CANCELs carry the event's title as their summary.
    That mail is linked to neither the person nor the registration, so the erasure (and a later
    purge) leaves it be; once sent, its row goes too (outbox.GONE_WHEN_SENT), as it holds the
    registration's UIDs next to the coach's address.

    Why erasure cancels entries of events that are over and the retention purge calls none of this
    (e5f922f): erasure is the person's request to be forgotten, and GDPR art. 19 asks that those we
    passed their data to (the coach's calendar holds an entry named after them, one per event and
    conversation) are told of it, whenever the events were. The purge is our own retention rule,
    a month or more after their last event, not a request: what the coach's calendar holds then is
    the coach's own record of a day gone by, and a mail taking it out would only puzzle them."""
    event = session.get(Event, reg.event_id)
    if anonymous:
        coaches = session.exec(select(Message.to_address).where(
            Message.registration_id == reg.id, col(Message.ics).is_not(None)).distinct()).all()
    elif reg.coach_email and reg.coach_confirmed:
        coaches = [reg.coach_email]
    else:
        return []
    told = []
    for coach in sorted(coaches):
        # A message to everyone goes on to the coach while another client of theirs keeps them on the event.
        hand_on_broadcasts(session, [reg.id], to_address=coach)
        session.exec(delete(Message).where(Message.registration_id == reg.id, Message.to_address == coach,
                                           Message.status == "queued"))
        if event is None or (not anonymous and event.ends_at <= (now or utcnow())):
            continue
        sent = session.exec(select(Message.ics, Message.to_name, Message.status).where(
            Message.registration_id == reg.id, Message.to_address == coach, Message.status != "failed",
            col(Message.ics).is_not(None)).order_by(Message.id)).all()
        # A copy a sender holds ('sending') may still go out, or fail: its entries count as held
        # if either way leaves them there (a CANCEL of an entry no longer there changes nothing).
        theirs = [ve for ve in _held_either_way(sent) if str(ve.get("uid")).startswith(coach_uid(reg.id, ""))]
        if not theirs:
            continue  # the person's own address, or a coach whose calendar holds nothing of it
        coach_name = (reg.coach_name if coach == reg.coach_email else sent[-1][1]) or ""
        sender, domain = outbox.sender()
        if anonymous:
            subject, text, html = compose("coach_erased", reg.lang, coach_name or coach, _facts(event, False),
                                          with_link=False, sender=sender)
            files, links_to = cancel_all(theirs, summary=event.title), {}
        else:
            person = session.get(Jobseeker, reg.jobseeker_id) if reg.jobseeker_id else None
            subject, text, html = compose("coach_ended", reg.lang, coach_name or coach, _facts(event, True),
                                          with_link=False, sender=sender, copy_of=person.name if person else "")
            files, links_to = cancel_all(theirs), dict(registration_id=reg.id, jobseeker_id=reg.jobseeker_id)
        told.append(outbox.queue(session, kind="coach_erased" if anonymous else "coach_ended", to_address=coach,
                                 to_name=coach_name, subject=subject, text=text, html=html, lang=reg.lang,
                                 ics=addressed(files, coach, coach_name).decode(), ics_name="activiteit.ics",
                                 event_id=event.id, domain=domain, **links_to))
    return told


def _held_either_way(sent) -> list:
    """What a calendar may hold after these copies (ics, name, status; oldest first), whether or
    not those still 'sending' arrive: per UID (and RECURRENCE-ID) the entry held with the highest
    SEQUENCE, so a CANCEL built on it is above all of them."""
    either: dict = {}
    for streams in ([ics for ics, _, status in sent if status != "sending"], [ics for ics, _, _ in sent]):
        for ve in held(streams):
            key = entry_key(ve)
            if key not in either or int(ve.get("sequence", 0)) > int(either[key].get("sequence", 0)):
                either[key] = ve
    return list(either.values())


def _calendar_files(session: Session):
    """registration_ics by (event, language, status, changes), each built once: a loop over the
    people of an event (400 at a job fair) would otherwise build the same file for every one of them."""
    built: dict[tuple[int, str, str, int], bytes] = {}

    def get(event_id: int, lang: str, status: str, changes: int = 0) -> bytes:
        if (event_id, lang, status, changes) not in built:
            built[event_id, lang, status, changes] = registration_ics(session, event_id, lang, status, changes)
        return built[event_id, lang, status, changes]
    return get


def about_registration(session: Session, reg: Registration, kind: str, *, key: str | None = None,
                       now: datetime | None = None, code: str | None = None) -> Message | None:
    event = session.get(Event, reg.event_id)
    status = REGISTRATION_KINDS[kind] or reg.status
    ics = registration_ics(session, event.id, reg.lang, status, reg.calendar_sequence)
    if status != RegStatus.CONFIRMED:
        # Someone without a place (cancelled, or on the waiting list by staff's hand) had their
        # speedmeet conversations in their calendar: those go too.
        _, conversations = _schedules_told(session, event.id).get(reg.id, (None, None))
        if conversations:
            ics = with_cancelled(ics, conversations, event.sequence, event.title)
    return _queue(session, kind, reg, event, ics=ics, key=key, now=now, code=code)


def signed_up(session: Session, reg: Registration, source: RegSource, code: str | None = None) -> None:
    """After a sign-up: a place, or the waiting list, with the personal code the form showed (people
    who phone in rely on finding it in the mail). Someone added at the door needs no mail."""
    if source != RegSource.WALK_IN:
        about_registration(session, reg, "signup_confirmed" if reg.status == RegStatus.CONFIRMED else "signup_waitlisted",
                           code=code)


def signed_up_again(session: Session, reg: Registration, now: datetime | None = None) -> Message | None:
    """A public or coach form named someone already registered: they hear that nothing changed, with
    their own link, at most once a day however often the form is sent (it may be someone else
    typing their address), and without a calendar file (their entry stands as it was)."""
    event = session.get(Event, reg.event_id)
    day = to_local(now or utcnow()).date().isoformat()
    return _queue(session, "signup_again", reg, event, ics=None, now=now, key=f"again:{reg.id}:{day}")


def about_event(session: Session, event: Event, kind: str) -> int:
    """An event moved (`event_changed`) or was cancelled (`event_cancelled`): everyone on it is told,
    with the calendar entry updated (same UID, higher SEQUENCE) or cancelled."""
    regs = session.exec(select(Registration).where(Registration.event_id == event.id,
                                                   col(Registration.status).in_(ACTIVE))).all()
    if kind == "event_cancelled":  # what the organiser wrote to everyone about the day is moot now
        session.exec(delete(Message).where(Message.event_id == event.id, Message.kind == BROADCAST,
                                           Message.status == "queued"))
    calendar = _calendar_files(session)
    # A cancelled speedmeet: the conversations people were sent go out of their calendars too.
    schedules = _schedules_told(session, event.id) if kind == "event_cancelled" else {}
    sent = 0
    for reg in regs:
        status = "cancelled" if kind == "event_cancelled" else reg.status
        ics = calendar(event.id, reg.lang, status, reg.calendar_sequence)
        _, conversations = schedules.get(reg.id, (None, None))
        if conversations:
            ics = with_cancelled(ics, conversations, event.sequence, event.title)
        if _queue(session, kind, reg, event, ics=ics):
            sent += 1
    return sent


def moved(before: dict, event: Event) -> bool:
    return event.status == EventStatus.PUBLISHED and any(before[f] != getattr(event, f) for f in WHEN_AND_WHERE)


def snapshot(event: Event) -> dict:
    return {f: getattr(event, f) for f in WHEN_AND_WHERE}


def schedule_published(session: Session, event_id: int) -> int:
    """Each jobseeker and employer with conversations gets their own schedule (round, time, table,
    who) and its calendar file. The employer's names only jobseekers: no support needs, no group.
    Publishing again tells only those whose schedule changed since the last one they were sent
    (a changed schedule, or that they no longer have conversations): the others already have it."""
    event = session.get(Event, event_id)
    settings = session.get(SpeedmeetSettings, event_id)
    # A full order: two tables of one employer in a round must list alike every time, or the
    # fingerprint below sees a change where there is none (PostgreSQL returns ties in any order).
    meetings = session.exec(select(Meeting).where(Meeting.event_id == event_id)
                            .order_by(Meeting.round, Meeting.table_no, Meeting.jobseeker_id)).all()
    js_names = {j.id: j.name for j in session.exec(select(Jobseeker).where(
        col(Jobseeker.id).in_({m.jobseeker_id for m in meetings})))}
    orgs = {e.id: e.organisation for e in session.exec(select(Employer).where(
        col(Employer.id).in_({m.employer_id for m in meetings})))}
    regs = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.status == RegStatus.CONFIRMED)).all()
    by_party: dict[tuple[str, int], list[Meeting]] = {}
    for m in meetings:  # grouped once: comparing every person with every meeting grows with their product
        by_party.setdefault(("j", m.jobseeker_id), []).append(m)
        by_party.setdefault(("e", m.employer_id), []).append(m)
    told = _schedules_told(session, event_id)
    sent = 0
    for reg in regs:
        own = by_party.get(("j", reg.jobseeker_id) if reg.jobseeker_id else ("e", reg.employer_id), [])
        rows = [(str(m.round + 1), fmt_local(round_start(settings, m.round), with_date=False), str(m.table_no),
                 orgs.get(m.employer_id, "") if reg.jobseeker_id else js_names.get(m.jobseeker_id, "")) for m in own]
        digest = _schedule_digest(rows, event)
        before, before_ics = told.get(reg.id, (None, None))
        if before == digest or (before is None and not own):
            continue  # they have this schedule already, or never had one and have none now
        who = {"jobseeker_id": reg.jobseeker_id} if reg.jobseeker_id else {"employer_id": reg.employer_id}
        if own and not before:  # the first schedule (or one sent before schedules had fingerprints)
            kind, sequence = "schedule", None
        else:  # a change: the calendar entries are replaced (a higher SEQUENCE), dropped ones cancelled
            kind = "schedule_changed" if own else "schedule_removed"
            sequence = event.sequence + schedule_changes(session, event_id, **who) + 1
        ics = personal_ics(session, event_id, lang=reg.lang, sequence=sequence, replaces=before_ics, itip=True, **who)
        if _queue(session, kind, reg, event, schedule=rows, ics=ics,
                  key=f"schedule:{reg.id}:{digest}:{uuid.uuid4().hex[:12]}", key_is_new=True):
            sent += 1
    session.flush()
    return sent


SCHEDULE_KINDS = ("schedule", "schedule_changed", "schedule_removed")


def withdraw_unsent(session: Session, registration_ids: list[int], kinds: tuple[str, ...] | None = None) -> int:
    """Messages (and their coach copies) about these registrations that no sender has taken yet are
    deleted, of `kinds` or all: what they say is no longer true. What was sent, or is being sent,
    stays. A message to everyone (`BROADCAST`) linked to one of them is handed on instead when
    someone else still makes its address a recipient (hand_on_broadcasts)."""
    if kinds is None or BROADCAST in kinds:
        hand_on_broadcasts(session, registration_ids)
    query = delete(Message).where(col(Message.registration_id).in_(registration_ids), Message.status == "queued")
    if kinds is not None:
        query = query.where(col(Message.kind).in_(kinds))
    result = session.exec(query)
    session.flush()
    return result.rowcount


# A message an organiser wrote to everyone of an event, or one audience of it (registration/broadcast.py).
# Its key is broadcast:<audience>:<batch>:<n>; it is linked to the registration that makes its
# address a recipient (a coach's copy: to one client's), so what withdraws and erases messages of a
# registration withdraws and erases it too.
BROADCAST = "broadcast"


def hand_on_broadcasts(session: Session, registration_ids: list[int], to_address: str | None = None) -> int:
    """Queued messages to everyone linked to these registrations (that are being cancelled, moved,
    erased, or whose coach leaves them: `to_address`) that go to a jobcoach move to another
    registration of the event that makes the coach a recipient of the same audience: a jobcoach with
    three clients gets the one message while any of them is still on the event. The ones left are withdrawn by the
    caller with the rest. Returns how many were handed on."""
    query = select(Message).where(Message.kind == BROADCAST, Message.status == "queued",
                                  col(Message.registration_id).in_(registration_ids), col(Message.event_id).is_not(None))
    if to_address is not None:
        query = query.where(Message.to_address == to_address)
    handed, heirs = 0, {}
    for msg in session.exec(query).all():
        audience = msg.key.split(":")[1]
        if (msg.event_id, audience) not in heirs:
            heirs[msg.event_id, audience] = {r.address.casefold(): r for r in reach(
                session, msg.event_id, audience, leaving=registration_ids).recipients}
        heir = heirs[msg.event_id, audience].get(msg.to_address.casefold())
        # Only a jobcoach's message goes on: it greets the coach and names no client. One to a person
        # greets them by name; handed on to someone sharing their address, it would keep the name of
        # someone who left (or was erased, whose name must go with them), so it is withdrawn.
        if heir is not None and heir.coach:
            msg.registration_id, msg.jobseeker_id, msg.employer_id = heir.registration_id, heir.jobseeker_id, heir.employer_id
            handed += 1
    session.flush()
    return handed


def withdraw_unsent_schedules(session: Session, event_id: int, registration_id: int, name: str) -> int:
    """The event's schedule messages that no sender has taken yet and that are this registration's
    or name it (`name`, also from a plan published before the one in hand): what they say must not
    go out, and a newer schedule replaces them. What was sent, or is being sent, stays the last
    schedule told."""
    result = session.exec(delete(Message).where(
        Message.event_id == event_id, col(Message.kind).in_(SCHEDULE_KINDS), Message.status == "queued",
        (Message.registration_id == registration_id) | col(Message.body_text).contains(name)))
    session.flush()
    return result.rowcount


def _schedule_digest(rows: list[tuple[str, ...]], event: Event) -> str:
    """A short fingerprint of what a schedule message and its calendar entries say: rounds, times,
    tables, names, and the event's day and place (the rows give the time of day only)."""
    where_and_when = [str(value) for value in snapshot(event).values()]
    return hashlib.sha256(json.dumps([rows, where_and_when]).encode()).hexdigest()[:16]


def _schedules_told(session: Session, event_id: int) -> dict[int, tuple[str, str | None]]:
    """Per registration, the last schedule message it was sent (or is about to be): its fingerprint
    ("" for one from before fingerprints) and its calendar. A message that failed for good told
    nobody anything."""
    rows = session.exec(select(Message.registration_id, Message.key, Message.ics).where(
        Message.event_id == event_id, col(Message.kind).in_(SCHEDULE_KINDS), Message.status != "failed",
        col(Message.key).startswith("schedule:"), ~col(Message.key).endswith(":coach")).order_by(Message.id)).all()
    told: dict[int, tuple[str, str | None]] = {}
    for registration_id, key, ics in rows:
        parts = key.split(":")
        told[registration_id] = (parts[2] if len(parts) == 4 else "", ics)
    return told


def queue_due_reminders(session: Session, days: list[int], now: datetime | None = None) -> int:
    """Reminders for confirmed people of published events: `days` before the start (7 and 1 by
    default). One per registration and moment (the key), the nearest moment only, never to someone
    who signed up after that moment, and not to people who switched reminders off."""
    now = now or utcnow()
    if not days:
        return 0
    horizon = now + timedelta(days=max(days))
    rows = session.exec(select(Registration, Event).join(Event, Event.id == Registration.event_id).where(
        Event.status == EventStatus.PUBLISHED, Event.starts_at > now, Event.starts_at <= horizon,
        Registration.status == RegStatus.CONFIRMED, Registration.reminders.is_(True))).all()
    sent = set(session.exec(select(Message.key).where(col(Message.key).startswith("reminder:"),
                                                       col(Message.registration_id).in_([r.id for r, _ in rows]))))
    calendar = _calendar_files(session)
    stands: dict[int, dict[int, tuple[str, str]]] = {}  # per job fair: employer -> (stand, name), read once
    queued = 0
    for reg, event in rows:
        due = [d for d in days if event.starts_at - timedelta(days=d) <= now < event.starts_at
               and reg.created_at < event.starts_at - timedelta(days=d)]
        if not due:
            continue
        nearest = min(due)
        if any(f"reminder:{reg.id}:{d}:{event.sequence}" in sent for d in days if d <= nearest):
            continue
        picked = []
        if reg.jobseeker_id is not None and reg.picks and event.kind == EventKind.JOB_FAIR:
            if event.id not in stands:
                stands[event.id] = stand_numbers.stand_map(session, event.id)
            picked = stand_numbers.picked(stands[event.id], reg.picks)  # the stands of the employers they chose
        if _queue(session, "reminder", reg, event, ics=calendar(event.id, reg.lang, "confirmed", reg.calendar_sequence), key=f"reminder:{reg.id}:{nearest}:{event.sequence}", now=now,
                  key_is_new=True, stands=picked):
            queued += 1
    session.flush()
    return queued
