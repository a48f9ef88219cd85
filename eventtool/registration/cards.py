"""A jobseeker's profile card for one event (issue 28): a short pitch, what they look for, what they
can and the hours they want, which the employers of that event may see, and only when

- the person ticked "deel mijn profiel met de werkgevers van deze activiteit" themselves (never
  ticked for them; the time and the version of that text are kept, `SHARE_VERSION`),
- staff approved exactly this text (any change by the person sends it back for review),
- their place is confirmed (not cancelled, not on the waiting list, not erased), and
- the event ended no more than `card_share_days` ago (the purge then removes the card and its views).

Staff review the cards waiting (shared and pending): approve, correct (the person is told what was
changed) or reject with a reason (told to the person), each mail in the person's language.
Every verb takes the caller's session and flushes; `Database.write` commits."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import field_validator
from pydantic_core import PydanticCustomError
from sqlmodel import Session, col, delete, select

from ..core import audit
from ..core.collation import short_name  # noqa: F401 - cards.short_name, as the pages and tests know it
from ..core.config import get_settings
from ..core.errors import DomainError, NotFound, ValidationFailed
from ..core.i18n import translate
from ..core.text import Input, text_field
from ..core.timeutil import utcnow
from ..core.validation import parse
from ..core.vocab import EventStatus, RegStatus
from ..events.models import EmployerWish, Event
from ..messages import outbox
from ..messages.content import render
from ..people.models import Employer, Jobseeker
from .models import ERASED, CardView, ProfileCard, Registration

# The version of the sharing text the person ticked ("deel mijn profiel met de werkgevers van deze
# activiteit", card.share and its help text): a new wording gets a new version.
SHARE_VERSION = "2026-12-v1"
CARD_LIMITS = {"pitch": 300, "seeking": 300, "skills": 300, "hours": 60}
TEXT_FIELDS = tuple(CARD_LIMITS)
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
REASON_MAX = 300
# The label of each field (the forms' and the mail's) and the (subject, lead) of each review mail.
LABELS = {"pitch": "card.pitch", "seeking": "card.seeking", "skills": "card.skills", "hours": "card.hours"}
MAILS = {"card_corrected": ("mail.subject.card_corrected", "mail.lead.card_corrected"),
         "card_rejected": ("mail.subject.card_rejected", "mail.lead.card_rejected")}


class CardIn(Input):
    """What the person wrote on their card; every field may be empty."""
    pitch: str = ""
    seeking: str = ""
    skills: str = ""
    hours: str = ""

    _pitch = field_validator("pitch", mode="before")(text_field(CARD_LIMITS["pitch"], multiline=True))
    _seeking = field_validator("seeking", mode="before")(text_field(CARD_LIMITS["seeking"], multiline=True))
    _skills = field_validator("skills", mode="before")(text_field(CARD_LIMITS["skills"], multiline=True))
    _hours = field_validator("hours", mode="before")(text_field(CARD_LIMITS["hours"]))


@dataclass(frozen=True)
class VisibleCard:
    """A card as an employer of the event may see it: nothing else of the person."""
    card_id: int
    registration_id: int
    jobseeker_id: int
    name: str  # first name and the initial of the surname: "Anna V."
    pitch: str
    seeking: str
    skills: str
    hours: str
    region: str | None


@dataclass(frozen=True)
class Waiting:
    """A card waiting for staff review, with whose it is (staff see the full name)."""
    card: ProfileCard
    name: str
    event_title: str
    event_starts_at: datetime


def check(data: dict | CardIn | None, *, share: bool = False) -> CardIn:
    """The card's text checked (ValidationFailed on card_pitch, card_seeking, ...; sharing an empty
    card is refused on card_pitch), without storing it."""
    checked = _parse(data or {})
    if share and not any(getattr(checked, k) for k in TEXT_FIELDS):
        raise ValidationFailed({"card_pitch": "card.empty"})
    return checked


def _parse(data: dict | CardIn) -> CardIn:
    """The card's text by the forms' text rules; errors name the card's fields (card_pitch, ...),
    so a form that also has a pitch of its own says each where it belongs."""
    if isinstance(data, CardIn):
        return data
    try:
        return parse(CardIn, {k: (data or {}).get(k) for k in TEXT_FIELDS})
    except ValidationFailed as exc:
        raise ValidationFailed({f"card_{k}": v for k, v in exc.errors.items()}) from None


def card_of(session: Session, registration_id: int) -> ProfileCard | None:
    return session.exec(select(ProfileCard).where(ProfileCard.registration_id == registration_id)).first()


def save_card(session: Session, registration_id: int, data: dict | CardIn, *, share: bool,
              now: datetime | None = None) -> ProfileCard | None:
    """The person's own card for a registration, and their choice to share it (`share`: only what
    they ticked themselves). A changed text goes back to staff (pending); ticking records when and
    which text version; unticking hides the card at once. An empty card that is not shared stores
    nothing new (returns the card that was there, or None). Sharing an empty card is refused."""
    checked = check(data, share=share)
    now = now or utcnow()
    reg = session.get(Registration, registration_id)
    if reg is None or reg.jobseeker_id is None:
        raise NotFound("card.not_found")
    if reg.cancel_token_hash.startswith(ERASED):
        raise DomainError("registration.erased")
    text = {k: getattr(checked, k) for k in TEXT_FIELDS}
    card = card_of(session, registration_id)
    if card is None:
        if not any(text.values()) and not share:
            return None
        card = ProfileCard(registration_id=registration_id, created_at=now)
        session.add(card)
    if any(getattr(card, k) != v for k, v in text.items()):
        for k, v in text.items():
            setattr(card, k, v)
        card.status, card.reason, card.reviewed_by, card.reviewed_at = PENDING, "", "", None
    if share and not card.shared:
        card.shared, card.shared_at, card.share_version, card.via = True, now, SHARE_VERSION, None
    elif not share and card.shared:
        card.shared, card.shared_at, card.share_version, card.via = False, None, None, None
        _drop_employer_wishes(session, card)
    card.updated_at = now
    session.flush()
    return card


def withdraw(session: Session, registration_id: int, now: datetime | None = None) -> None:
    """The person stops sharing: employers no longer see the card (the text stays for them to share again)."""
    card = card_of(session, registration_id)
    if card is not None and card.shared:
        card.shared, card.shared_at, card.share_version, card.via = False, None, None, None
        card.updated_at = now or utcnow()
        _drop_employer_wishes(session, card)
        session.flush()


# --------------------------------------------------------------------------- staff review


def waiting(session: Session, now: datetime | None = None) -> list[Waiting]:
    """Cards staff have to look at: shared by the person and not yet reviewed (pending), of
    registrations that stand, at events whose sharing has not ended, oldest change first."""
    now = now or utcnow()
    rows = session.exec(select(ProfileCard, Jobseeker, Event)
                        .join(Registration, Registration.id == ProfileCard.registration_id)
                        .join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
                        .join(Event, Event.id == Registration.event_id)
                        .where(ProfileCard.shared == True, ProfileCard.status == PENDING,  # noqa: E712
                               col(Registration.status).in_((RegStatus.CONFIRMED, RegStatus.WAITLISTED)))
                        .order_by(ProfileCard.updated_at, ProfileCard.id)).all()
    return [Waiting(card, person.name, event.title, event.starts_at) for card, person, event in rows
            if now <= share_until(event)]


def seen_text(card: ProfileCard) -> str:
    """What a reviewer was shown of a card, as one value to hand back with their decision."""
    return hashlib.sha256("\x1f".join(getattr(card, k) for k in TEXT_FIELDS).encode("utf-8")).hexdigest()


def _pending(session: Session, card_id: int, seen: str | None = None) -> ProfileCard:
    """The card waiting for review; with `seen` (seen_text of the card the reviewer was shown) only
    while its text is still that: a person who changed it meanwhile gets it reviewed as it is now."""
    card = session.get(ProfileCard, card_id)
    if card is None:
        raise NotFound("card.not_found")
    if card.status != PENDING or not card.shared:
        raise DomainError("card.not_waiting")  # changed or withdrawn since the list was drawn
    if seen is not None and seen_text(card) != seen:
        raise DomainError("card.changed_since")
    return card


def _drop_employer_wishes(session: Session, card: ProfileCard) -> None:
    """A card no longer shared takes back what employers said about its person on their own pages
    (results.portal: 'graag spreken' / 'liever niet'): the planner must not seat someone by a card
    they withdrew. What staff entered for an employer stays."""
    reg = session.get(Registration, card.registration_id)
    session.exec(delete(EmployerWish).where(EmployerWish.event_id == reg.event_id,
                                            EmployerWish.jobseeker_id == reg.jobseeker_id,
                                            EmployerWish.source == "portal"))


def _reviewed(card: ProfileCard, status: str, by: str, now: datetime) -> None:
    card.status, card.reviewed_by, card.reviewed_at, card.updated_at = status, by, now, now


@audit.action("cards.approve")
def approve(session: Session, card_id: int, reviewed_by: str = "", now: datetime | None = None,
            seen: str | None = None) -> ProfileCard:
    """Staff approve the card's text as it is (as they saw it: `seen`, see _pending): employers of the
    event may see it while it is shared."""
    card = _pending(session, card_id, seen)
    _reviewed(card, APPROVED, reviewed_by, now or utcnow())
    card.reason = ""
    session.flush()
    return card


@audit.action("cards.correct")
def correct(session: Session, card_id: int, data: dict | CardIn, reviewed_by: str = "",
            now: datetime | None = None, seen: str | None = None) -> ProfileCard:
    """Staff change the card's text and approve it; the person is told by mail what was changed
    (each changed field, before and after). Without a change it is an approval."""
    checked = check(data, share=True)  # the card is shared: staff cannot empty it
    card = _pending(session, card_id, seen)
    changed = [(k, getattr(card, k), getattr(checked, k)) for k in TEXT_FIELDS if getattr(card, k) != getattr(checked, k)]
    for k, _before, after in changed:
        setattr(card, k, after)
    _reviewed(card, APPROVED, reviewed_by, now or utcnow())
    card.reason = ""
    session.flush()
    if changed:
        _tell(session, card, "card_corrected", changed=changed)
    return card


@audit.action("cards.reject")
def reject(session: Session, card_id: int, reason: str, reviewed_by: str = "", now: datetime | None = None,
           seen: str | None = None) -> ProfileCard:
    """Staff do not show the card, for a reason the person is told by mail (required)."""
    try:
        reason = text_field(REASON_MAX, required=True, multiline=True)(reason)
    except PydanticCustomError as exc:  # the text rules' refusal, said at the reason's field
        raise DomainError(exc.type, field="reason", **(exc.context or {})) from None
    card = _pending(session, card_id, seen)
    _reviewed(card, REJECTED, reviewed_by, now or utcnow())
    card.reason = reason
    session.flush()
    _tell(session, card, "card_rejected", reason=reason)
    return card


def _tell(session: Session, card: ProfileCard, kind: str, *, changed=(), reason: str = "") -> None:
    """Queue the review's mail to the person (their stored address, their language), with the link
    to 'mijn aanmelding' where they can change the card."""
    reg = session.get(Registration, card.registration_id)
    person = session.get(Jobseeker, reg.jobseeker_id)
    event = session.get(Event, reg.event_id)
    if person is None or not person.email or event is None or event.ends_at <= utcnow():
        return  # no address, or about an event already over (as notify does)
    lang = reg.lang
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    subject_key, lead_key = MAILS[kind]
    subject = t(subject_key, event=event.title)
    lines = [t(lead_key, event=event.title)]
    if kind == "card_corrected":
        lines += [t("mail.card_change", field=t(LABELS[k]), before=before or "-", after=after or "-")
                  for k, before, after in changed]
    else:
        lines.append(t("mail.card_reason", reason=reason))
    sender, domain = outbox.sender()
    text, html = render("link", lang, subject=subject, name=person.name, sender=sender, lines=lines,
                        link_label=t("mail.card_link"), after=t("mail.card_after"))
    outbox.queue(session, kind=kind, to_address=person.email, to_name=person.name, subject=subject, text=text,
                 html=html, lang=lang, event_id=event.id, registration_id=reg.id, jobseeker_id=person.id,
                 domain=domain)


# --------------------------------------------------------------------------- employers


def share_until(event: Event, share_days: int | None = None) -> datetime:
    """The moment sharing a card of this event ends: the event's end plus `card_share_days`."""
    days = get_settings().card_share_days if share_days is None else share_days
    return event.ends_at + timedelta(days=days)


def visible_cards(session: Session, event_id: int, now: datetime | None = None,
                  share_days: int | None = None) -> list[VisibleCard]:
    """The profile cards the employers of event `event_id` may see at `now` (default: the current
    time), in order of the person's short name.

    A card is in it only when all hold: the person shares it (their own tick), staff approved its
    current text, the registration is confirmed (not cancelled, not on the waiting list, not erased),
    the event is not cancelled, and `now` is no later than the event's end plus `share_days`
    (default: settings.card_share_days, EVENTTOOL_CARD_SHARE_DAYS, 14).

    Each `VisibleCard` holds only the card's id, the registration's and the jobseeker's id, the
    first name with the surname's initial ("Anna V."), the card's pitch, seeking, skills and hours,
    and the person's region. Never their support needs, target group, e-mail, phone or full
    surname. Every card shown to an employer is kept as a CardView: `record_view` checks and keeps one
    look; the employer's page (results.portal.coming) keeps the looks at a page of cards it checked."""
    now = now or utcnow()
    event = session.get(Event, event_id)
    if event is None or event.status == EventStatus.CANCELLED or now > share_until(event, share_days):
        return []
    rows = session.exec(select(ProfileCard, Registration, Jobseeker)
                        .join(Registration, Registration.id == ProfileCard.registration_id)
                        .join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
                        .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED,
                               ProfileCard.shared == True, ProfileCard.status == APPROVED)  # noqa: E712
                        .order_by(ProfileCard.id)).all()
    cards = [VisibleCard(card.id, reg.id, person.id, short_name(person.name), card.pitch, card.seeking, card.skills,
                         card.hours, person.region)
             for card, reg, person in rows if not reg.cancel_token_hash.startswith(ERASED)]
    return sorted(cards, key=lambda c: (c.name.casefold(), c.card_id))


def record_view(session: Session, card_id: int, employer_id: int, user_id: int | None,
                now: datetime | None = None) -> CardView:
    """An employer's account (`user_id`, of organisation `employer_id`) looked at a card: every look
    is kept, for the person's export (which organisation, when). Refused (NotFound "card.not_found")
    for a card `visible_cards` does not hold at that moment, or an organisation without a confirmed
    place at the card's event."""
    now = now or utcnow()
    card = session.get(ProfileCard, card_id)
    reg = session.get(Registration, card.registration_id) if card else None
    if reg is None or card_id not in {c.card_id for c in visible_cards(session, reg.event_id, now)}:
        raise NotFound("card.not_found")
    if session.exec(select(Registration.id).where(Registration.event_id == reg.event_id,
                                                  Registration.employer_id == employer_id,
                                                  Registration.status == RegStatus.CONFIRMED)).first() is None:
        raise NotFound("card.not_found")
    view = CardView(card_id=card_id, employer_id=employer_id, user_id=user_id, viewed_at=now)
    session.add(view)
    session.flush()
    return view


# --------------------------------------------------------------------------- privacy


def views_of(session: Session, jobseeker_id: int) -> list[tuple[ProfileCard, Event, list[tuple[str, datetime]]]]:
    """A person's cards with their event and who looked at each (organisation, when), for the export."""
    rows = session.exec(select(ProfileCard, Event)
                        .join(Registration, Registration.id == ProfileCard.registration_id)
                        .join(Event, Event.id == Registration.event_id)
                        .where(Registration.jobseeker_id == jobseeker_id).order_by(ProfileCard.id)).all()
    out = []
    for card, event in rows:
        looked = session.exec(select(Employer.organisation, CardView.viewed_at)
                              .join(Employer, Employer.id == CardView.employer_id)
                              .where(CardView.card_id == card.id).order_by(CardView.viewed_at, CardView.id)).all()
        out.append((card, event, [(org, at) for org, at in looked]))
    return out


def erase_of(session: Session, jobseeker_id: int) -> int:
    """Erasure: the person's cards and every record of who looked at them go. Returns how many cards."""
    cards = session.exec(select(ProfileCard).join(Registration, Registration.id == ProfileCard.registration_id)
                         .where(Registration.jobseeker_id == jobseeker_id)).all()
    _delete(session, cards)
    return len(cards)


def purge_ended(session: Session, now: datetime | None = None, share_days: int | None = None) -> int:
    """Cards whose sharing has ended (their event's end plus `card_share_days` has passed) go, with
    the views of them. Returns how many cards."""
    now = now or utcnow()
    days = get_settings().card_share_days if share_days is None else share_days
    cards = session.exec(select(ProfileCard).join(Registration, Registration.id == ProfileCard.registration_id)
                         .join(Event, Event.id == Registration.event_id)
                         .where(Event.ends_at < now - timedelta(days=days))).all()
    _delete(session, cards)
    return len(cards)


def _delete(session: Session, cards: list[ProfileCard]) -> None:
    ids = [c.id for c in cards]
    if not ids:
        return
    for view in session.exec(select(CardView).where(col(CardView.card_id).in_(ids))):
        session.delete(view)
    for card in cards:
        session.delete(card)
    session.flush()
