"""Sign-ups for events: capacity, waiting list, cancellation, recognising returning people.

Every function here runs inside the write transaction that `Database.write` opened. Capacity is
checked and claimed in that same transaction, after `lock_event`, so concurrent sign-ups queue up
instead of overbooking.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from ..core.errors import DomainError, NotFound, ValidationFailed
from ..events.reads import get_event, lock_event
from ..core.i18n import translate
from ..core import audit
from ..people import identity
from ..messages import links
from . import cards, door, notify
from ..people.models import Employer, EmployerIn, Jobseeker, JobseekerIn
from ..events.models import Event, Meeting, SpeedmeetSettings
from .models import ERASED, Registration
from ..core.timeutil import utcnow
from ..core.validation import parse
from ..core.vocab import EventKind, EventStatus, RegSource, RegStatus

TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out over the phone
TOKEN_LENGTH = 10
MAX_PICKS = 5
# Events where a jobseeker names the employers they want to talk to.
PICK_KINDS = (EventKind.SPEEDMEET, EventKind.JOB_FAIR)
_LEGAL_FORMS = re.compile(r"\b(b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|stichting|vereniging)\s*$", re.I)


@dataclass
class SignUp:
    registration: Registration
    code: str  # the personal cancellation code, shown once; only its hash is stored
    returning: bool  # the person or organisation was already known
    # What the form tells the person who sent it: the registration's status, or, for a public or
    # coach form that named someone already registered, what a new sign-up would have been told.
    answer: str = ""
    # Whom the caller may name as signed up: the coach verb sets it for a client of their own (or
    # new); never the stored name of someone a form merely typed the address of.
    name: str | None = None
    # The form named someone already on the list: this sign-up created (and may show) nothing of theirs.
    again: bool = False

    def __post_init__(self):
        self.answer = self.answer or self.registration.status


# Sources whose typing never changes a stored person and that get the public rules (open events,
# deadlines) and the public answer for someone already registered.
UNTRUSTED = frozenset({RegSource.FORM, RegSource.COACH})


def new_code() -> str:
    raw = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def erase_code(reg: Registration) -> None:
    """Erasure: neither the cancellation code nor the door code finds this registration any more."""
    reg.cancel_token_hash = f"{ERASED}{reg.id}"
    door.forget(reg)


def _alive(reg: Registration) -> Registration:
    if reg.cancel_token_hash.startswith(ERASED):
        raise DomainError("registration.erased")
    return reg


def normalise_code(code: str) -> str:
    return re.sub(r"[\s\-]", "", (code or "")).upper()


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def organisation_key(name: str) -> str:
    key = " ".join(name.casefold().replace(",", " ").split())
    return _LEGAL_FORMS.sub("", key).strip() or key


# --------------------------------------------------------------------------- people


def upsert_jobseeker(session: Session, data: JobseekerIn, *, trusted: bool,
                     update: frozenset[str] | None = None) -> tuple[Jobseeker, bool, dict]:
    """The person the sign-up is for: a new one, or the one we know by e-mail or phone.

    A known person is changed only by a trusted (staff) source, only where a value was filled in,
    and (when `update` is given) only in those fields. Returns the person, whether they were known,
    and what an untrusted form typed differently (to be proposed, not applied)."""
    values = identity.jobseeker_values(data)
    person = identity.find_jobseeker(session, data.email, data.phone, data.name)
    if person is None:
        person = Jobseeker(**values)
        session.add(person)
        session.flush()
        identity.record_consent(session, person, "registration")
        if data.consent_special:
            identity.record_consent(session, person, "special_category")
        return person, False, {}
    changes = identity.differences(person, values)
    if not trusted:
        return person, True, changes
    if update is not None:
        changes = {k: v for k, v in changes.items() if k in update}
    identity.apply(session, person, changes, consent_special=data.consent_special)
    identity.record_consent(session, person, "registration")
    return person, True, {}


def upsert_employer(session: Session, data: EmployerIn, *, trusted: bool) -> tuple[Employer, bool, dict]:
    key = organisation_key(data.organisation)
    employer = session.exec(select(Employer).where(Employer.organisation_key == key)).first()
    values = identity.employer_values(data)
    if employer is None:
        employer = Employer(**values, organisation_key=key)
        session.add(employer)
        session.flush()
        return employer, False, {}
    changes = identity.differences(employer, values)
    changes.pop("organisation", None)  # the same organisation by its key; the stored spelling stays
    if not trusted:
        return employer, True, changes
    identity.apply(session, employer, changes)
    return employer, True, {}


# --------------------------------------------------------------------------- capacity


def _taken(session: Session, event: Event, jobseekers: bool) -> int:
    """Places taken by confirmed registrations of one party; where the event says so, a jobcoach or
    interpreter who comes along with a jobseeker takes a place too."""
    party = Registration.jobseeker_id if jobseekers else Registration.employer_id
    people, companions = session.exec(select(func.count(), func.count(Registration.companion)).select_from(Registration)
                                      .where(Registration.event_id == event.id, Registration.status == RegStatus.CONFIRMED,
                                             party.is_not(None))).one()
    return people + (companions if jobseekers and event.companions_count else 0)


def seats(event: Event, reg: Registration) -> int:
    """The places one registration takes: the person, and who comes along where the event counts them."""
    return 1 + (1 if reg.jobseeker_id is not None and reg.companion and event.companions_count else 0)


def _capacity(event: Event, jobseekers: bool) -> int:
    return event.capacity_jobseekers if jobseekers else event.capacity_employers


def _check_open(event: Event, source: RegSource, now: datetime) -> None:
    if event.status == EventStatus.CANCELLED:
        raise DomainError("registration.event_cancelled")
    if source in UNTRUSTED:
        if event.status != EventStatus.PUBLISHED:
            raise DomainError("registration.event_not_open")
        if event.starts_at <= now:
            raise DomainError("registration.event_started")
        if event.registration_deadline is not None and event.registration_deadline < now:
            raise DomainError("registration.deadline_passed")


def _fits(session: Session, event: Event, reg: Registration, jobseekers: bool) -> bool:
    """Whether the places this registration needs are free now."""
    return _taken(session, event, jobseekers) + seats(event, reg) <= _capacity(event, jobseekers)


def _place(session: Session, event: Event, reg: Registration, jobseekers: bool, *, force: bool) -> None:
    """Give the registration a seat if one is free (or the organiser forces it), else the waiting list."""
    if force or _fits(session, event, reg, jobseekers):
        reg.status = RegStatus.CONFIRMED.value
    else:
        reg.status = RegStatus.WAITLISTED.value
        reg.queued_at = utcnow()


def _existing(session: Session, event_id: int, *, jobseeker_id=None, employer_id=None) -> Registration | None:
    query = select(Registration).where(Registration.event_id == event_id)
    if jobseeker_id is not None:
        query = query.where(Registration.jobseeker_id == jobseeker_id)
    else:
        query = query.where(Registration.employer_id == employer_id)
    return session.exec(query).first()


def first_calendar_sequence(session: Session, *, jobseeker_id=None, employer_id=None) -> int:
    """Where a new registration of this person or organisation for an event starts counting its
    calendar changes (`Registration.calendar_sequence`). Staff may have moved one of their
    registrations away from this event: it was sent a CANCEL for the event's entry at the event's
    SEQUENCE plus that registration's count then, and a new sign-up for the event must supersede it
    (RFC 5546: a calendar takes only a higher SEQUENCE for the same UID, else it keeps the entry
    cancelled). Which registration left the event is not stored, but a count only rises: one above
    the highest count of any of their registrations is above anything they were sent for this event
    (the event's own SEQUENCE only rises too). A CANCEL raises the count, so while all their counts
    are 0 nothing was cancelled in their calendar and the new one starts at 0 too."""
    party = Registration.jobseeker_id == jobseeker_id if jobseeker_id is not None else Registration.employer_id == employer_id
    highest = session.exec(select(func.max(Registration.calendar_sequence)).where(party)).one()
    return highest + 1 if highest else 0  # all at 0: none of them was ever sent a CANCEL


def _sign_up(session: Session, event: Event, *, jobseeker_id=None, employer_id=None, source: RegSource,
             force: bool, picks: list[int] | None = None, tables: int = 1, lang: str = "nl",
             companion: tuple[str | None, str | None] = (None, None)) -> tuple[Registration, str, str | None]:
    """The registration, its new personal code, and (for a public or coach form that named someone
    already registered) the answer that form gets instead of the registration's own status."""
    reg = _existing(session, event.id, jobseeker_id=jobseeker_id, employer_id=employer_id)
    code = new_code()
    if reg is not None and reg.status != RegStatus.CANCELLED:
        if source not in UNTRUSTED:
            raise DomainError("registration.already_registered")
        # Whoever sent this form may not be the person: they get the answer anyone would get (the
        # form must not tell who takes part), with a code that works for nothing, since this
        # sign-up created nothing. The registration, its code and its link stay as they were.
        asked = Registration(jobseeker_id=jobseeker_id, employer_id=employer_id, companion=companion[0])
        answer = RegStatus.CONFIRMED if _fits(session, event, asked, jobseeker_id is not None) else RegStatus.WAITLISTED
        return reg, code, answer.value
    if reg is None:
        reg = Registration(event_id=event.id, jobseeker_id=jobseeker_id, employer_id=employer_id,
                           status=RegStatus.WAITLISTED.value, cancel_token_hash="",
                           calendar_sequence=first_calendar_sequence(session, jobseeker_id=jobseeker_id,
                                                                     employer_id=employer_id))
        session.add(reg)
    else:  # signed up again after a cancellation: their calendar has the cancellation to supersede
        reg.calendar_sequence += 1
    # A new code every time: a code from before a cancellation no longer works, nor does a link
    # (the new sign-up's confirmation brings a new one).
    reg.cancel_token_hash = hash_code(code)
    if reg.id is not None:
        links.revoke(session, [reg.id])
    reg.cancelled_at = None
    reg.source = source.value
    reg.lang = lang if lang in ("nl", "en") else "nl"
    reg.picks = list(picks or [])
    reg.tables = tables
    reg.companion, reg.companion_name = companion if companion[0] else (None, None)
    _place(session, event, reg, jobseeker_id is not None, force=force)
    session.flush()
    # A door code of its own; after a cancellation a new one, as for the cancellation code.
    door.assign(reg) if reg.door_code_hash is None else door.new_code(reg)
    session.flush()
    return reg, code, None


def _clean_picks(session: Session, event: Event, picks: list[int] | None) -> list[int]:
    picks = list(dict.fromkeys(int(p) for p in (picks or [])))
    if len(picks) > MAX_PICKS:
        raise DomainError("registration.too_many_picks", field="picks", max=MAX_PICKS)
    if picks:
        known = set(session.exec(select(Registration.employer_id).where(
            Registration.event_id == event.id, Registration.employer_id.in_(picks),
            Registration.status != RegStatus.CANCELLED)))
        if set(picks) - known:
            raise DomainError("registration.pick_unknown", field="picks")
    return picks


def _tell(session: Session, reg: Registration, source: RegSource, code: str, again: str | None) -> None:
    if again:
        notify.signed_up_again(session, reg)
    else:
        notify.signed_up(session, reg, source, code=code)


@audit.action("registration.register_jobseeker")
def register_jobseeker(session: Session, event_id: int, data: dict | JobseekerIn, *,
                       picks: list[int] | None = None, source: RegSource = RegSource.FORM,
                       force: bool = False, now: datetime | None = None,
                       update: frozenset[str] | None = None, lang: str = "nl",
                       coach_confirmed: bool | None = None, card: dict | None = None,
                       share_card: bool = False) -> SignUp:
    """Sign a jobseeker up. From the public form (`source` FORM) or a coach (COACH) nothing stored
    about a known person changes: what they typed differently waits in the review list. The
    confirmation goes to the address stored for the person, in `lang`. A coach named on the form
    gets copies once confirmed (`coach_confirmed`; by default: staff signed up, or a new person).

    `card` (pitch, seeking, skills, hours) is the person's profile card for this event and
    `share_card` their own tick to share it with the event's employers (cards.save_card). It is
    kept only for a registration this call created: a form that finds a registration of the
    person already (standing or cancelled) changes nothing of its card."""
    errors = {}  # the person's fields and the card's, every problem at once
    try:
        data = data if isinstance(data, JobseekerIn) else parse(JobseekerIn, data)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        card_data = cards.check(card, share=share_card) if card is not None or share_card else None
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    source = RegSource(source)
    event = lock_event(session, event_id)
    _check_open(event, source, now or utcnow())
    picks = _clean_picks(session, event, picks) if event.kind in PICK_KINDS else []
    person, returning, proposed = upsert_jobseeker(session, data, trusted=source not in UNTRUSTED, update=update)
    existing = _existing(session, event.id, jobseeker_id=person.id)
    active_before = existing is not None and existing.status != RegStatus.CANCELLED
    reg, code, again = _sign_up(session, event, jobseeker_id=person.id, source=source, force=force, picks=picks,
                                lang=lang, companion=(data.companion, data.companion_name))
    if not again:  # a form that named someone on the list proposes nothing about them: it created nothing
        identity.propose(session, reg.id, person, proposed, consent_special=data.consent_special)
    if data.coach_email and not active_before:
        # From a public form about someone we already knew, the coach waits until the person
        # confirms it with their own link: a stranger cannot have copies sent to themselves.
        reg.coach_name, reg.coach_email = data.coach_name, data.coach_email
        reg.coach_confirmed = (source != RegSource.FORM or not returning) if coach_confirmed is None else coach_confirmed
        session.flush()
    if card_data is not None and existing is None:
        # A public or coach form about someone we already knew keeps the card unshared: anyone can type
        # a known person's details, so only their own tick with their own link shares it ('mijn
        # aanmelding'), as a coach they named waits for their confirmation.
        cards.save_card(session, reg.id, card_data, share=share_card and (source not in UNTRUSTED or not returning))
    _tell(session, reg, source, code, again)
    return SignUp(reg, code, returning, again or "", again=bool(again))


# Its audit name is carried by employer_portal.public_sign_up, which the public form runs (and which
# also gives a new organisation's contact person an account); the employer's own page runs it as
# employer_portal.sign_up.
def register_employer(session: Session, event_id: int, data: dict | EmployerIn, *,
                      source: RegSource = RegSource.FORM, force: bool = False,
                      now: datetime | None = None, lang: str = "nl") -> SignUp:
    data = data if isinstance(data, EmployerIn) else parse(EmployerIn, data)
    source = RegSource(source)
    event = lock_event(session, event_id)
    _check_open(event, source, now or utcnow())
    employer, returning, proposed = upsert_employer(session, data, trusted=source != RegSource.FORM)
    reg, code, again = _sign_up(session, event, employer_id=employer.id, source=source, force=force,
                                tables=data.recruiters, lang=lang)
    if not again:
        identity.propose(session, reg.id, employer, proposed)
    _tell(session, reg, source, code, again)
    return SignUp(reg, code, returning, again or "", again=bool(again))


@audit.action("registration.add_walk_in")
def add_walk_in(session: Session, event_id: int, data: dict | JobseekerIn,
                update: frozenset[str] | list[str] = frozenset()) -> SignUp:
    """Someone at the door: registered, given a place even when the event is full, checked in.
    For a returning person only the fields staff chose to `update` change (none by default)."""
    signup = register_jobseeker(session, event_id, data, source=RegSource.WALK_IN, force=True,
                                update=frozenset(update))
    signup.registration.checked_in_at = utcnow()
    session.flush()
    return signup


@audit.action("registration.add_by_phone")
def add_by_phone(session: Session, event_id: int, data: dict | JobseekerIn,
                 update: frozenset[str] | list[str] = frozenset(), lang: str = "nl") -> SignUp:
    """Someone who phoned or e-mailed staff to sign up: the public form's rules (a place while there
    is one, else the waiting list) and the same confirmation in their language, with the personal
    link and calendar file. For a returning person only the fields staff chose to `update` change."""
    return register_jobseeker(session, event_id, data, source=RegSource.ORGANISER, update=frozenset(update),
                              lang=lang)


def promote_waitlist(session: Session, event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served, per party."""
    promoted = []
    for jobseekers in (True, False):
        free = _capacity(event, jobseekers) - _taken(session, event, jobseekers)
        if free <= 0:
            continue
        party = Registration.jobseeker_id if jobseekers else Registration.employer_id
        waiting = session.exec(select(Registration).where(
            Registration.event_id == event.id, Registration.status == RegStatus.WAITLISTED,
            party.is_not(None)).order_by(Registration.queued_at, Registration.id))
        for reg in waiting:
            # In order of the list; someone who comes with a companion and needs two places waits
            # while only one is free, and the next one who fits goes first.
            if seats(event, reg) <= free:
                reg.status = RegStatus.CONFIRMED.value
                reg.calendar_sequence += 1
                promoted.append(reg)
                free -= seats(event, reg)
            if free <= 0:
                break
    session.flush()
    for reg in promoted:
        notify.about_registration(session, reg, "promoted")
    return promoted


def _leave_plan(session: Session, reg: Registration) -> None:
    """Someone who loses their place (a cancellation of any kind, the waiting list by staff's hand,
    a move to another event) leaves the event's speedmeet plan: their conversations go (the slots
    are free for a re-plan of the rounds to come or a hand edit). Every schedule of the event not
    sent yet is withdrawn, since one may name them (also one from a plan published before the one
    in hand); on a published plan the re-publish then tells exactly those whose schedule differs
    from what they were sent. After that their name is nowhere to be read or sent."""
    party = Meeting.jobseeker_id if reg.jobseeker_id is not None else Meeting.employer_id
    own_id = reg.jobseeker_id if reg.jobseeker_id is not None else reg.employer_id
    gone = session.exec(select(Meeting).where(Meeting.event_id == reg.event_id, party == own_id)).all()
    for m in gone:
        session.delete(m)
    session.flush()
    who = session.get(Jobseeker, reg.jobseeker_id) if reg.jobseeker_id is not None else session.get(Employer, reg.employer_id)
    name = who.name if isinstance(who, Jobseeker) else who.organisation
    withdrawn = notify.withdraw_unsent_schedules(session, reg.event_id, reg.id, name)
    settings = session.get(SpeedmeetSettings, reg.event_id)
    if settings is not None and settings.status == "published" and (gone or withdrawn):
        notify.schedule_published(session, reg.event_id)


def _cancel(session: Session, reg: Registration) -> list[Registration]:
    event = lock_event(session, reg.event_id)
    if reg.status == RegStatus.CANCELLED:
        return []
    was_confirmed = reg.status == RegStatus.CONFIRMED
    reg.status = RegStatus.CANCELLED.value
    reg.calendar_sequence += 1
    reg.cancelled_at = utcnow()
    session.flush()
    _leave_plan(session, reg)
    # Employers no longer see their card (nor does signing up again bring it back shared).
    cards.withdraw(session, reg.id)
    # A confirmation, a reminder or a schedule not sent yet is no longer true: only the
    # cancellation goes out.
    notify.withdraw_unsent(session, [reg.id])
    notify.about_registration(session, reg, "cancelled")
    return promote_waitlist(session, event) if was_confirmed else []


def find_by_code(session: Session, code: str) -> Registration:
    if len(normalise_code(code)) != TOKEN_LENGTH:
        raise NotFound("cancel.code_unknown", field="code")
    reg = session.exec(select(Registration).where(Registration.cancel_token_hash == hash_code(code))).first()
    if reg is None:
        raise NotFound("cancel.code_unknown", field="code")
    return reg


@dataclass
class CodeLookup:
    registration: Registration
    event: Event


def lookup_code(session: Session, code: str) -> CodeLookup:
    reg = find_by_code(session, code)
    return CodeLookup(reg, get_event(session, reg.event_id))


@audit.action("registration.cancel_by_code")
def cancel_by_code(session: Session, code: str) -> Registration:
    reg = find_by_code(session, code)
    if reg.status == RegStatus.CANCELLED:
        raise DomainError("cancel.already_cancelled")
    _cancel(session, reg)
    return reg


def cancel_registration(session: Session, registration_id: int) -> list[Registration]:
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    return _cancel(session, reg)


COMPANIONS = ("jobcoach", "interpreter")


def companion_label(kind: str | None, name: str | None, lang: str = "nl") -> str:
    """Who comes along, as the lists show it: "tolk Tineke Tolk", "jobcoach" without a name, or ""
    for nobody. (A name that is not text, such as the NaN pandas puts in an empty cell, is none.)"""
    if kind not in COMPANIONS:
        return ""
    return " ".join(part for part in (translate(f"companion.{kind}", lang), name if isinstance(name, str) else "")
                    if part)


@audit.action("registration.remove_companion")
def remove_companion(session: Session, registration_id: int) -> list[Registration]:
    """The jobcoach or interpreter no longer comes along; the person's own registration stays. Where
    the event counted them, their place goes to the waiting list. The person is told."""
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    event = lock_event(session, reg.event_id)
    if not reg.companion:
        raise DomainError("registration.no_companion")
    reg.companion = reg.companion_name = None
    session.flush()
    if reg.status != RegStatus.CANCELLED:
        notify.about_registration(session, reg, "companion_removed")
    return promote_waitlist(session, event) if reg.status == RegStatus.CONFIRMED else []


@audit.action("registration.set_status")
def set_status(session: Session, registration_id: int, status: RegStatus | str) -> Registration:
    """Organiser override: confirm (even over capacity), put on the waiting list, or cancel."""
    status = RegStatus(status)
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    _alive(reg)
    if status == RegStatus.CANCELLED:
        _cancel(session, reg)
        return reg
    event = lock_event(session, reg.event_id)
    was = reg.status
    reg.status = status.value
    reg.calendar_sequence += was != status
    reg.cancelled_at = None
    if status == RegStatus.WAITLISTED:
        reg.queued_at = utcnow()
    session.flush()
    if status == RegStatus.CONFIRMED and was != RegStatus.CONFIRMED:
        notify.about_registration(session, reg, "promoted")
    if status == RegStatus.WAITLISTED and was == RegStatus.CONFIRMED:
        _leave_plan(session, reg)  # no place, so no conversations either
        notify.withdraw_unsent(session, [reg.id])  # (a reminder of the place, say)
    if status == RegStatus.WAITLISTED or was == RegStatus.CONFIRMED:
        promote_waitlist(session, event)  # nobody waits while a place that fits them is free
    if reg.status == RegStatus.WAITLISTED and was != RegStatus.WAITLISTED:
        # What their calendar and mail said (a place, or a cancellation) is no longer true.
        notify.about_registration(session, reg, "signup_waitlisted")
    return reg


@audit.action("registration.move_registration")
def move_registration(session: Session, registration_id: int, to_event_id: int) -> Registration:
    """Move someone to another event: the new event places them by its own capacity, the seat
    they leave goes to the first on the old event's waiting list."""
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    _alive(reg)
    if reg.event_id == to_event_id:
        raise DomainError("registration.move_same_event")
    target = lock_event(session, to_event_id)
    _check_open(target, RegSource.ORGANISER, utcnow())
    source = lock_event(session, reg.event_id)
    was_confirmed = reg.status == RegStatus.CONFIRMED
    if _existing(session, target.id, jobseeker_id=reg.jobseeker_id, employer_id=reg.employer_id) is not None:
        raise DomainError("registration.already_registered")
    if reg.status != RegStatus.CANCELLED:
        # They leave the old event: its speedmeet plan, what was not sent about it yet, and (told
        # as a cancellation) its entry in their calendar.
        _leave_plan(session, reg)
        notify.withdraw_unsent(session, [reg.id])
        reg.calendar_sequence += 1
        notify.about_registration(session, reg, "cancelled")
    reg.event_id = target.id
    # The person chose to share their profile card with the old event's employers, not the new
    # one's: that sharing ends (they can share it again on their page; the text stays).
    cards.withdraw(session, reg.id)
    reg.picks = []
    reg.checked_in_at = None
    reg.cancelled_at = None
    reg.status = RegStatus.WAITLISTED.value  # not counted as a place at the new event before it has one
    door.new_code(reg)  # a code mailed or printed for the old event does not open the new one's door
    session.flush()
    _place(session, target, reg, reg.jobseeker_id is not None, force=False)
    session.flush()
    notify.signed_up(session, reg, RegSource.ORGANISER)  # the new event, with its calendar entry
    if was_confirmed:
        promote_waitlist(session, source)
    return reg


# --------------------------------------------------------------------------- views


def registrations_table(session: Session, event_id: int) -> list[dict]:
    """Rows for the organiser's list of one event (jobseekers and employers)."""
    get_event(session, event_id)
    # Columns, not ORM objects: 2,500 rows load in a tenth of the time.
    query = (select(Registration.id, Registration.jobseeker_id, Registration.status, Registration.source,
                    Registration.created_at, Registration.checked_in_at, Registration.companion,
                    Registration.companion_name, Jobseeker.name, Jobseeker.email,
                    Jobseeker.phone, Jobseeker.region, Jobseeker.support_needs, Employer.organisation,
                    Employer.contact_name, Employer.email.label("employer_email"),
                    Employer.region.label("employer_region"))
             .outerjoin(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
             .outerjoin(Employer, Employer.id == Registration.employer_id)
             .where(Registration.event_id == event_id)
             .order_by(Registration.status, Registration.queued_at, Registration.id))
    rows = []
    for r in session.exec(query):
        js = r.jobseeker_id is not None
        rows.append({
            "id": r.id,
            "party": "jobseeker" if js else "employer",
            "name": r.name if js else r.organisation,
            "contact": (r.email or r.phone) if js else f"{r.contact_name} <{r.employer_email}>",
            "region": r.region if js else r.employer_region,
            "status": r.status,
            "source": r.source,
            "support_needs": list(r.support_needs or []) if js else [],
            "registered_at": r.created_at,
            "checked_in": r.checked_in_at is not None,
            "companion": r.companion,
            "companion_name": r.companion_name,
        })
    return rows


def event_employers(session: Session, event_id: int) -> list[Employer]:
    """Employers confirmed for an event (the choices for a jobseeker's speedmeet picks)."""
    return list(session.exec(select(Employer).join(Registration, Registration.employer_id == Employer.id)
                             .where(Registration.event_id == event_id,
                                    Registration.status == RegStatus.CONFIRMED)
                             .order_by(Employer.organisation)))


def employers_overview(session: Session) -> list[dict]:
    """Every employer on file, by name (to choose one in a filter)."""
    return [{"employer_id": e.id, "organisation": e.organisation}
            for e in sorted(session.exec(select(Employer)), key=lambda e: e.organisation.casefold())]
