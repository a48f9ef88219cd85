"""One-click unsubscribe (List-Unsubscribe with List-Unsubscribe-Post, RFC 8058) from a reminder or a
follow-up survey mail. The link's token (links.mint_unsubscribe, made when the mail is sent) does
one thing: reminders off for its registration, or no more surveys for its survey's respondent. It
opens no registration and shows nothing of it but the event's title; doing it again changes
nothing more. serve.py's route calls `look` for a GET (a link scanner's too: nothing changes) and
for a POST `still_on` (a read), then `unsubscribe` only if something is still on, each in its own
transaction. (No staff member acts here, so the audit
log of staff changes gets nothing.)"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..core.errors import NotFound
from ..core.i18n import LANGUAGES, translate
from ..events.models import Event
from ..registration.models import Registration
from . import surveys
from .models import Survey
from ..messages import links
from ..registration import notify
from ..messages.content import ENV
from ..messages.models import Message, UnsubscribeLink

UNKNOWN = "unsubscribe.unknown"


@dataclass(frozen=True)
class Unsubscribe:
    kind: str  # links.REMINDERS or links.SURVEYS
    event_title: str
    lang: str  # the language the person signed up or was asked in
    coach: bool = False  # reminders: a jobcoach gets copies of them (and then no more either)


def _link(session: Session, token: str, now: datetime | None) -> tuple[UnsubscribeLink, Unsubscribe]:
    """A token's link and what it switches off; an unknown, expired or erased one is NotFound(UNKNOWN)."""
    if not links.well_formed(token):
        raise NotFound(UNKNOWN)
    link = links.find(session, UnsubscribeLink, token, UNKNOWN, now)
    holder = session.get(Registration, link.registration_id) if link.kind == links.REMINDERS \
        else session.get(Survey, link.survey_id)
    event = session.get(Event, holder.event_id)
    coach = link.kind == links.REMINDERS and bool(holder.coach_email and holder.coach_confirmed)
    return link, Unsubscribe(link.kind, event.title if event else "", holder.lang, coach)


def look(session: Session, token: str, now: datetime | None = None) -> Unsubscribe:
    """What a token would switch off (a read: the page that offers the button)."""
    return _link(session, token, now)[1]


def still_on(session: Session, token: str, now: datetime | None = None) -> tuple[Unsubscribe, bool]:
    """What a token switches off, and whether any of it is still on (a read: serve.py writes only
    when there is something left to switch off, so a repeated POST takes no write lock)."""
    link, what = _link(session, token, now)
    if link.kind == links.REMINDERS:
        reg = session.get(Registration, link.registration_id)
        on = reg.reminders or session.exec(select(Message.id).where(
            Message.registration_id == reg.id, Message.kind == "reminder", Message.status == "queued")).first() is not None
    else:
        on = surveys.still_asking(session, link.survey_id)
    return what, on


def unsubscribe(session: Session, token: str, now: datetime | None = None) -> Unsubscribe:
    """Switch off what the token is for: the registration's reminders (queued ones are withdrawn),
    or every survey of the survey's respondent (surveys.stop_asking)."""
    link, what = _link(session, token, now)
    if link.kind == links.REMINDERS:
        reg = session.get(Registration, link.registration_id)
        reg.reminders = False
        notify.withdraw_unsent(session, [reg.id], ("reminder",))
    else:
        surveys.stop_asking(session, link.survey_id, now)
    session.flush()
    return what


# The page's texts: (heading, text, button) per state, and per kind of mail where it differs.
_TEXTS = {
    ("ask", links.REMINDERS): ("unsubscribe.title", "unsubscribe.reminders_ask", "unsubscribe.reminders_button"),
    ("ask", links.SURVEYS): ("unsubscribe.title", "unsubscribe.surveys_ask", "unsubscribe.surveys_button"),
    ("done", links.REMINDERS): ("unsubscribe.title", "unsubscribe.reminders_done", None),
    ("done", links.SURVEYS): ("unsubscribe.title", "unsubscribe.surveys_done", None),
    ("unknown", None): ("unsubscribe.title", "unsubscribe.unknown", None),
    ("failed", None): ("unsubscribe.title", "unsubscribe.failed", None),
}

# Reminders off are off for the copies to the person's jobcoach too (no reminder, no copy): said.
_COACH = {"ask": "unsubscribe.reminders_coach_ask", "done": "unsubscribe.reminders_coach_done"}


def page(state: str, what: Unsubscribe | None = None) -> str:
    """The small page at an unsubscribe link, in Dutch and English (the person's language first):
    `state` 'ask' (with the button), 'done', 'unknown' or 'failed'."""
    heading, text, button = _TEXTS[state, what.kind if what else None]
    first = what.lang if what and what.lang in LANGUAGES else "nl"
    coach = _COACH.get(state) if what and what.coach else None
    sections = [{"lang": lang, "heading": translate(heading, lang),
                 "text": " ".join([translate(text, lang, event=what.event_title if what else "")]
                                  + ([translate(coach, lang)] if coach else [])),
                 "button": translate(button, lang) if button else None}
                for lang in [first] + [lang for lang in LANGUAGES if lang != first]]
    return ENV.get_template("pages/unsubscribe.html.j2").render(sections=sections)
