"""What an employer's contact person sees and does for an event their organisation comes to (issue 28):
who is coming (the profile cards people chose to share with this event's employers and staff
approved), whom they would like to meet (until the organiser's deadline), their speedmeet schedule,
and what came of each talk, right after it.

Every verb takes the signed-in account (`user_id`) and finds its organisation from it
(people.employer_accounts.employer_id_of: an active employer account, never a form's field), and
acts only where that organisation has a confirmed place at the event. An employer
learns nothing about a person who did not share a card: the cards are the only way in, except the
people their own published speedmeet schedule seats at their table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from ..core import audit
from ..core.config import get_settings
from ..core.errors import DomainError, NotFound
from ..core.text import checked_text
from ..core.timeutil import to_utc, utcnow
from ..core.vocab import EventKind, EventStatus, OutcomeKind, RegStatus
from ..dayof import exports
from ..events.calendars import personal_ics
from ..events.models import EmployerWish, Event, Meeting, SpeedmeetSettings
from ..events.reads import round_start
from ..people.employer_accounts import employer_id_of
from ..people.models import Jobseeker
from ..registration import cards
from ..registration.models import CardView, Registration
from .models import Outcome

# Looking at the same card again within this time adds no new line to its view log.
VIEW_AGAIN_AFTER = timedelta(hours=1)
WISHES = ("want", "avoid")
# The one tap after a talk, and the outcome it becomes ("weet ik nog niet" records nothing: it
# withdraws an earlier tap). The store's ladder has one rung for work experience and trial placement.
AFTER_TALK = {
    "second_interview": OutcomeKind.SECOND_INTERVIEW,
    "trial_placement": OutcomeKind.TRIAL_PLACEMENT,
    "traineeship": OutcomeKind.TRAINEESHIP,
    "none": OutcomeKind.NONE,
}
UNSURE = "unsure"
ANSWERS = (*AFTER_TALK, UNSURE)
EMPLOYER_SOURCE = "employer"


@dataclass(frozen=True)
class AttendedEvent:
    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CardRow:
    card: cards.VisibleCard
    wish: str | None  # want | avoid | None


@dataclass(frozen=True)
class Coming:
    event: AttendedEvent
    cards: list[CardRow]  # this page of the cards that match
    wishes_open: bool  # a speedmeet whose deadline has not passed and whose plan is not published
    wishes_until: datetime | None  # the organiser's deadline (None: until the plan is published)
    shared: int = 0  # cards shared with this event's employers, in all
    found: int = 0  # of those, the ones that match the search
    page: int = 1
    pages: int = 1
    regions: tuple[str, ...] = ()  # the regions on the shared cards, to choose from


PER_PAGE = 20
# Filters on "Wie komt er": everyone, those marked "graag spreken", those not marked yet.
SHOWN = ("all", "want", "unmarked")


@dataclass(frozen=True)
class Slot:
    round: int  # 1-based
    starts_at: datetime
    table_no: int
    name: str  # first name and initial


@dataclass(frozen=True)
class Talk:
    jobseeker_id: int
    name: str  # first name and initial
    answer: str  # one of ANSWERS (UNSURE: nothing recorded yet)
    note: str


def _event(event: Event) -> AttendedEvent:
    return AttendedEvent(event.id, event.title, event.kind, event.starts_at, event.ends_at)


def _attending(session: Session, user_id: int, event_id: int) -> tuple[Event, int]:
    """The event and the account's organisation, if it has a confirmed place at the event (else 'not
    found', the same answer for an event that does not exist: an account learns nothing of other
    organisations' events)."""
    employer_id = employer_id_of(session, user_id)
    event = session.get(Event, event_id)
    reg = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                  Registration.employer_id == employer_id)).first()
    if event is None or event.status != EventStatus.PUBLISHED or reg is None or reg.status != RegStatus.CONFIRMED:
        raise NotFound("portal.not_attending")
    return event, employer_id


def attended_events(session: Session, user_id: int, now: datetime | None = None) -> list[AttendedEvent]:
    """The events the account's organisation has a confirmed place at, still open to its pages (until
    the profile cards stop being shared: `card_share_days` after the end), the soonest first."""
    now = now or utcnow()
    employer_id = employer_id_of(session, user_id)
    since = now - timedelta(days=get_settings().card_share_days)
    rows = session.exec(select(Event).join(Registration, col(Registration.event_id) == Event.id).where(
        Registration.employer_id == employer_id, Registration.status == RegStatus.CONFIRMED,
        Event.status == EventStatus.PUBLISHED, Event.ends_at >= to_utc(since)).order_by(Event.starts_at)).all()
    return [_event(e) for e in rows]


def wishes_open(session: Session, event: Event, now: datetime | None = None) -> bool:
    """Employers mark whom they would like to meet at a speedmeet until the organiser's deadline, and
    never once the plan is published or the event has begun."""
    now = now or utcnow()
    if event.kind != EventKind.SPEEDMEET or event.status != EventStatus.PUBLISHED or to_utc(event.starts_at) <= now:
        return False
    if event.wishes_until is not None and to_utc(event.wishes_until) < now:
        return False
    settings = session.get(SpeedmeetSettings, event.id)
    return settings is None or settings.status != "published"


def _matches(card: cards.VisibleCard, words: list[str]) -> bool:
    text = " ".join((card.name, card.pitch, card.seeking, card.skills, card.hours)).casefold()
    return all(word in text for word in words)


def coming(session: Session, user_id: int, event_id: int, *, search: str = "", region: str | None = None,
           shown: str = "all", page: int = 1, per_page: int = PER_PAGE, now: datetime | None = None) -> Coming:
    """Who is coming: the cards shared with this event's employers that match the search (every word
    in the name, pitch, what they look for or can, hours), the region and `shown` (SHOWN), a page of
    `per_page` at a time, each with this organisation's wish. Every card on the page is logged as
    looked at by this account (once an hour per card): a card on another page was not seen."""
    now = now or utcnow()
    if shown not in SHOWN:
        raise DomainError("field.choice_invalid", field="shown")
    event, employer_id = _attending(session, user_id, event_id)
    visible = cards.visible_cards(session, event_id, now=now)
    said = {w.jobseeker_id: w.wish for w in session.exec(select(EmployerWish).where(
        EmployerWish.event_id == event_id, EmployerWish.employer_id == employer_id))}
    words = search.casefold().split()
    found = [c for c in visible if (not words or _matches(c, words)) and (region is None or c.region == region)
             and (shown == "all" or (shown == "want" and said.get(c.jobseeker_id) == "want")
                  or (shown == "unmarked" and c.jobseeker_id not in said))]
    pages = max(1, -(-len(found) // per_page))
    page = min(max(1, page), pages)
    on_page = found[(page - 1) * per_page:page * per_page]
    recent = set(session.exec(select(CardView.card_id).where(
        CardView.employer_id == employer_id, CardView.user_id == user_id,
        CardView.viewed_at >= to_utc(now - VIEW_AGAIN_AFTER))).all()) if on_page else set()
    # (cards.record_view checks one card at a time; these were checked together just now.)
    session.add_all([CardView(card_id=c.card_id, employer_id=employer_id, user_id=user_id, viewed_at=now)
                     for c in on_page if c.card_id not in recent])
    session.flush()
    return Coming(_event(event), [CardRow(c, said.get(c.jobseeker_id)) for c in on_page],
                  wishes_open(session, event, now), event.wishes_until, shared=len(visible), found=len(found),
                  page=page, pages=pages, regions=tuple(sorted({c.region for c in visible if c.region})))


@audit.action("portal.set_wish")
def set_wish(session: Session, user_id: int, event_id: int, card_id: int, wish: str | None,
             now: datetime | None = None) -> None:
    """'Graag spreken' (want), 'liever niet' (avoid) or no preference (None) about the person of a card
    this organisation may see, while wishes are open. The planner reads it as before."""
    now = now or utcnow()
    event, employer_id = _attending(session, user_id, event_id)
    if wish is not None and wish not in WISHES:
        raise DomainError("field.choice_invalid", field="wish")
    if not wishes_open(session, event, now):
        raise DomainError("portal.wishes_closed")
    card = next((c for c in cards.visible_cards(session, event_id, now=now) if c.card_id == card_id), None)
    if card is None:
        raise NotFound("portal.card_gone")
    session.exec(delete(EmployerWish).where(EmployerWish.event_id == event_id, EmployerWish.employer_id == employer_id,
                                            EmployerWish.jobseeker_id == card.jobseeker_id))
    if wish is not None:
        session.add(EmployerWish(event_id=event_id, employer_id=employer_id, jobseeker_id=card.jobseeker_id, wish=wish,
                                 source="portal"))
    session.flush()


def _published(session: Session, event_id: int) -> SpeedmeetSettings | None:
    settings = session.get(SpeedmeetSettings, event_id)
    return settings if settings is not None and settings.status == "published" else None


def _short_names(session: Session, jobseeker_ids) -> dict[int, str]:
    return {j.id: cards.short_name(j.name) for j in session.exec(
        select(Jobseeker).where(col(Jobseeker.id).in_(set(jobseeker_ids))))} if jobseeker_ids else {}


def schedule(session: Session, user_id: int, event_id: int) -> list[Slot]:
    """This organisation's conversations in the published speedmeet plan, in order (empty before it
    is published): round, time, table and the first name and initial of whom they meet."""
    _, employer_id = _attending(session, user_id, event_id)
    settings = _published(session, event_id)
    if settings is None:
        return []
    meetings = session.exec(select(Meeting).where(Meeting.event_id == event_id, Meeting.employer_id == employer_id)
                            .order_by(Meeting.round, Meeting.table_no, Meeting.jobseeker_id)).all()
    names = _short_names(session, [m.jobseeker_id for m in meetings])
    return [Slot(m.round + 1, round_start(settings, m.round), m.table_no, names.get(m.jobseeker_id, ""))
            for m in meetings]


def schedule_ics(session: Session, user_id: int, event_id: int, lang: str = "nl") -> bytes:
    """The schedule as a calendar file (one entry per conversation; the same UIDs as the mails')."""
    _, employer_id = _attending(session, user_id, event_id)
    return personal_ics(session, event_id, employer_id=employer_id, lang=lang, short_names=True)


def schedule_pdf(session: Session, user_id: int, event_id: int, headers: list[str], lang: str = "nl") -> bytes:
    """The schedule printed (at 10 pt or more, as every list): round, time, table, name."""
    event, _ = _attending(session, user_id, event_id)
    rows = [[s.round, s.starts_at, s.table_no, s.name] for s in schedule(session, user_id, event_id)]
    sheet = exports.table_sheet(event.title, headers, rows, lang)
    sheet.starts_at = event.starts_at
    return exports.to_pdf(sheet, lang)


def _talked_with(session: Session, event: Event, employer_id: int, now: datetime) -> tuple[list[int], dict[int, str]]:
    """Whom the organisation talked with at the event, once it has begun: the people of its
    conversations in the published speedmeet plan (in order), and those whose card it may see (by
    short name)."""
    if to_utc(event.starts_at) > now:
        return [], {}
    met = [m.jobseeker_id for m in session.exec(select(Meeting).where(
        Meeting.event_id == event.id, Meeting.employer_id == employer_id).order_by(Meeting.round))] \
        if _published(session, event.id) else []
    return met, {c.jobseeker_id: c.name for c in cards.visible_cards(session, event.id, now=now)}


def talks(session: Session, user_id: int, event_id: int, now: datetime | None = None) -> list[Talk]:
    """Once the event has begun: the people this organisation talked with (its conversations in the
    published speedmeet plan, and anyone whose card it may see), each with what it said came of it."""
    event, employer_id = _attending(session, user_id, event_id)
    met, shared = _talked_with(session, event, employer_id, now or utcnow())
    names = _short_names(session, met)
    order = list(dict.fromkeys([*met, *shared]))
    said = {o.jobseeker_id: o for o in _answers(session, employer_id, event_id, order)}
    return [Talk(j, names.get(j) or shared.get(j, ""),
                 _answer(said[j]) if j in said else UNSURE, said[j].note if j in said else "") for j in order]


def _answers(session: Session, employer_id: int, event_id: int, jobseeker_ids) -> list[Outcome]:
    return list(session.exec(select(Outcome).where(
        Outcome.event_id == event_id, Outcome.employer_id == employer_id, Outcome.source == EMPLOYER_SOURCE,
        col(Outcome.survey_id).is_(None), col(Outcome.jobseeker_id).in_(list(jobseeker_ids))))) if jobseeker_ids else []


def _answer(outcome: Outcome) -> str:
    return next((key for key, kind in AFTER_TALK.items() if kind.value == outcome.kind), UNSURE)


@audit.action("portal.after_talk")
def after_talk(session: Session, user_id: int, event_id: int, jobseeker_id: int, answer: str, note: str,
               now: datetime | None = None) -> Outcome | None:
    """What came of a talk, in one tap: it becomes (or changes) this organisation's outcome for that
    person at this event, source employer, at once; the dashboard counts it, and a later survey
    answer confirms or settles it as any other. 'Weet ik nog niet' withdraws an earlier tap."""
    now = now or utcnow()
    if answer not in ANSWERS:
        raise DomainError("field.choice_invalid", field="answer")
    note = checked_text(note, "note", 500, multiline=True)
    event, employer_id = _attending(session, user_id, event_id)
    met, shared = _talked_with(session, event, employer_id, now)
    if jobseeker_id not in met and jobseeker_id not in shared:
        raise NotFound("portal.talk_unknown")
    recorded_by = f"employer account {user_id}"  # (not the address: it would outlive the contact's purge)
    current = _answers(session, employer_id, event_id, [jobseeker_id])
    if answer == UNSURE:
        for outcome in current:
            session.delete(outcome)
        session.flush()
        return None
    outcome = current[0] if current else Outcome(jobseeker_id=jobseeker_id, event_id=event_id, employer_id=employer_id,
                                                 source=EMPLOYER_SOURCE, kind=AFTER_TALK[answer].value,
                                                 occurred_on=to_utc(event.starts_at))
    outcome.kind, outcome.note = AFTER_TALK[answer].value, note
    outcome.recorded_at, outcome.recorded_by = now, recorded_by[:100]
    session.add(outcome)
    session.flush()
    return outcome
