"""What a message says: plain text (B1 Dutch or English) and a simple accessible HTML part with
the same content, both rendered from one context by the Jinja2 templates in templates/ (the
texts come from the catalogues through `t`). The personal link is a placeholder here; the sender
fills it in."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.ext import Extension

from ..core.i18n import format_clock, format_long_date, translate
from ..core.timeutil import to_local
from .links import CODE_PLACEHOLDER, COACH_PLACEHOLDER, DOOR_IMAGE_ID, DOOR_PLACEHOLDER, PLACEHOLDER

TEMPLATES = Path(__file__).resolve().parent / "templates"


class _OneLineHtml(Extension):
    """The mail HTML is one line, as it was when it was written by hand, while its template is
    indented to be read: a line break and the indentation after it are dropped from the source of
    an .html.j2 template (never from a value)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return re.sub(r"\n\s*", "", source) if name and name.endswith(".html.j2") else source


# Autoescape in the HTML templates (every value, names and titles above all, is escaped there);
# none in the text ones. A missing value is an error, not an empty space in someone's mail.
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html.j2"]),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                  extensions=[_OneLineHtml])
ENV.globals.update(link=PLACEHOLDER)


def render(template: str, lang: str, **context) -> tuple[str, str]:
    """(text, html) of `template` (templates/<template>.txt.j2 and .html.j2), both from one context,
    with `t` translating into `lang`."""
    context.update(lang=lang, t=lambda key, **kw: translate(key, lang, **kw))
    return (ENV.get_template(f"{template}.txt.j2").render(context),
            ENV.get_template(f"{template}.html.j2").render(context))


# A jobseeker is told what to bring only in a mail about coming: a place, a reminder, a schedule,
# a change of time or place. Not on the waiting list, not when it is off, not when nothing changed.
BRING = ("signup_confirmed", "promoted", "reminder", "schedule", "schedule_changed", "event_changed")
# A mail about a place someone has carries their door code (QR) to show at the entrance.
DOOR = ("signup_confirmed", "promoted", "reminder")
# What opening the calendar file does, by kind (the others put the appointment in the calendar).
ICS_NOTES = {"cancelled": "mail.ics_note_cancel", "event_cancelled": "mail.ics_note_cancel",
             "schedule_removed": "mail.ics_note_removed", "event_changed": "mail.ics_note_changed",
             "schedule_changed": "mail.ics_note_changed", "coach_ended": "mail.ics_note_cancel",
             "coach_erased": "mail.ics_note_cancel"}
# A jobcoach's copy speaks about the client ({name}), in its subject too: (subject, lead) per kind.
COACH_TEXTS = {
    "signup_confirmed": ("mail.coach_subject.signup_confirmed", "mail.coach_lead.signup_confirmed"),
    "signup_waitlisted": ("mail.coach_subject.signup_waitlisted", "mail.coach_lead.signup_waitlisted"),
    "promoted": ("mail.coach_subject.promoted", "mail.coach_lead.promoted"),
    "cancelled": ("mail.coach_subject.cancelled", "mail.coach_lead.cancelled"),
    "reminder": ("mail.coach_subject.reminder", "mail.coach_lead.reminder"),
    "companion_removed": ("mail.coach_subject.companion_removed", "mail.coach_lead.companion_removed"),
    "signup_again": ("mail.coach_subject.signup_again", "mail.coach_lead.signup_again"),
    "event_changed": ("mail.coach_subject.event_changed", "mail.coach_lead.event_changed"),
    "event_cancelled": ("mail.coach_subject.event_cancelled", "mail.coach_lead.event_cancelled"),
    "schedule": ("mail.coach_subject.schedule", "mail.coach_lead.schedule"),
    "schedule_changed": ("mail.coach_subject.schedule_changed", "mail.coach_lead.schedule_changed"),
    "schedule_removed": ("mail.coach_subject.schedule_removed", "mail.coach_lead.schedule_removed"),
    # to a coach who no longer gets copies about the client: not a copy, no login to their clients
    "coach_ended": ("mail.coach_subject.coach_ended", "mail.coach_lead.coach_ended"),
}


def place(venue_name: str | None, address: str | None, city: str | None) -> str:
    """Where an event is, as one line: 'Buurthuis, Markt 1, Oss'; the city once, also when the
    address already ends in it ('Markt 1, 's-Hertogenbosch'). Only the address's end counts: 'Best
    Western Hotel, Dorpsstraat 1' is not in Best yet."""
    address = (address or "").strip()
    parts = [p for p in ((venue_name or "").strip(), address) if p]
    city = (city or "").strip()
    if city and not re.search(rf"(?<!\w){re.escape(city)}$", address, re.IGNORECASE):
        parts.append(city)
    return ", ".join(parts)


@dataclass
class Facts:
    """Everything a message about one event tells one person."""
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    accessibility: str = ""
    description: str = ""
    # Speedmeet: (round, time, table, the other party) rows.
    schedule: list[tuple[str, str, str, str]] = field(default_factory=list)
    jobseeker: bool = True
    # Job fair: (stand, employer) of the employers the jobseeker picked that have a stand, in their order.
    stands: list[tuple[str, str]] = field(default_factory=list)
    # Job fair: an employer's own stand.
    own_stand: str = ""


def when(starts_at: datetime, ends_at: datetime, lang: str) -> str:
    """When an event is, as mails and 'mijn aanmelding' write it: 'woensdag 9 december 2026, 10:00
    tot 13:00 uur' (Dutch times with 'uur')."""
    start, end = to_local(starts_at), to_local(ends_at)
    return f"{long_date(start, lang)}, {translate('mail.time_range', lang, start=format_clock(start, lang), end=format_clock(end, lang))}"


def long_date(dt: datetime, lang: str) -> str:
    return format_long_date(to_local(dt), lang)


def compose(kind: str, lang: str, name: str, facts: Facts, *, with_link: bool, sender: str,
            copy_of: str | None = None, with_code: bool = False, attachment: bool = True) -> tuple[str, str, str]:
    """(subject, text, html) of a message of `kind` about `facts` to `name` (or, with `copy_of`, to
    the jobcoach of that person). `with_code`: the personal code (filled in by the sender) stands
    with the facts; `attachment`: a calendar file comes with the message."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    if copy_of:
        # The person's link and code are theirs alone: with them a coach could read the person's
        # support needs, change their address or cancel, whatever their caseload says.
        with_link = with_code = False
    lines: list[tuple[str, str]] = [(t("mail.what"), facts.title),
                                    (t("mail.when"), when(facts.starts_at, facts.ends_at, lang))]
    if facts.place:
        lines.append((t("mail.where"), facts.place))
    if facts.own_stand and not facts.jobseeker:
        lines.append((t("mail.own_stand"), facts.own_stand))
    if facts.accessibility:
        lines.append((t("mail.accessibility"), facts.accessibility))
    if facts.description and facts.jobseeker:  # written for the jobseekers; an employer's mail has none
        lines.append((t("mail.about"), facts.description))
    cancelled = kind in ("cancelled", "event_cancelled")
    if with_code:
        lines.append((t("mail.code"), CODE_PLACEHOLDER))
    if facts.jobseeker and kind in BRING and not copy_of:  # the client brings their own
        lines.append((t("mail.bring_label"), t("mail.bring")))
    if copy_of:
        subject_key, lead_key = COACH_TEXTS[kind]
        subject = t(subject_key, event=facts.title, name=copy_of)
        lead = t(lead_key, event=facts.title, name=copy_of)
        if kind != "coach_ended":
            lead = f"{t('mail.coach_copy', name=copy_of)} {lead}"
    else:
        subject = t(f"mail.subject.{kind}", event=facts.title)
        lead = t(f"mail.lead.{kind}", event=facts.title)
    heads = [t("mail.col.round"), t("mail.col.time"), t("mail.col.table"),
             t("mail.col.employer" if facts.jobseeker else "mail.col.jobseeker")]
    schedule = [(rnd, t("mail.clock", time=time), table, who) for rnd, time, table, who in facts.schedule]
    # After the facts: (label, value, the text of the link when the value is a link's address).
    after: list[tuple[str, str, str | None]] = []
    if with_link and not cancelled:
        after.append((t("mail.link"), PLACEHOLDER, t("mail.link_text")))
    if copy_of and kind != "coach_ended":
        after.append((t("mail.coach_login"), COACH_PLACEHOLDER, t("nav.coach")))
    if kind == "reminder" and not copy_of:
        after.append(("", t("mail.reminders_off"), None))
    if attachment:
        after.append(("", t(ICS_NOTES.get(kind, "mail.ics_note")), None))
    door = None
    if kind in DOOR and not copy_of:  # the person's own, as their link and code are
        door = {"label": t("mail.door_label"), "code": DOOR_PLACEHOLDER, "code_label": t("mail.door_code"),
                "how": t("mail.door_how"), "alt": t("mail.door_alt"), "image": DOOR_IMAGE_ID}
    stands = facts.stands if facts.jobseeker else []
    text, html = render("event", lang, subject=subject, name=name, lead=lead, lines=lines, heads=heads,
                        schedule=schedule, after=after, sender=sender, door=door, stands=stands,
                        stands_title=t("mail.stands"), stand_heads=(t("mail.col.stand"), t("mail.col.employer")),
                        schedule_title=t("mail.coach_schedule", name=copy_of) if copy_of else t("mail.schedule"))
    return subject, text, html


def compose_survey(kind: str, lang: str, name: str, title: str, starts_at: datetime, *, sender: str,
                   about: str | None = None, employer: bool = False) -> tuple[str, str, str]:
    """(subject, text, html) of a follow-up survey ('survey') or its reminder ('survey_reminder'):
    a short question with the survey's personal link. A jobcoach is asked about their client
    (`about`); an employer about the people they met."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    when = long_date(starts_at, lang)
    subject = t(f"mail.subject.{kind}", event=title)
    who = "employer" if employer else ("coach" if about else "jobseeker")
    lead = t(f"mail.lead.survey_{who}", event=title, date=when, name=about or "")
    if kind == "survey_reminder":
        lead = f"{t('mail.lead.survey_reminder')} {lead}"
    text, html = render("link", lang, subject=subject, name=name, sender=sender,
                        lines=[lead, t("mail.survey_time"), t("mail.survey_private")],
                        link_label=t("mail.survey_link"), after=t("mail.survey_stop"))
    return subject, text, html


def compose_invitation(lang: str, name: str, invited_by: str, days: int, *, sender: str) -> tuple[str, str, str]:
    """(subject, text, html) of the invitation to a coach account, with the link to choose a password."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    subject = t("mail.subject.invitation")
    text, html = render("link", lang, subject=subject, name=name, sender=sender,
                        lines=[t("mail.lead.invitation", by=invited_by), t("mail.invitation_what")],
                        link_label=t("mail.invitation_link"), after=t("mail.invitation_valid", days=days))  # its form by `days`
    return subject, text, html


def compose_broadcast(lang: str, name: str, subject: str, body: str, title: str, starts_at: datetime,
                      ends_at: datetime, *, sender: str) -> tuple[str, str, str]:
    """(subject, text, html) of a message an organiser wrote to everyone of an event: their subject
    as the heading, a line naming the event, and their text in paragraphs (a blank line between
    them), every word of it text, never markup."""
    about = translate("mail.broadcast_about", lang, event=title, when=when(starts_at, ends_at, lang))
    paragraphs = [p.split("\n") for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    text, html = render("broadcast", lang, subject=subject, name=name, sender=sender, about=about,
                        paragraphs=paragraphs)
    return subject, text, html


def compose_login_link(lang: str, name: str, *, sender: str, minutes: int | None = None, days: int | None = None,
                       organisation: str = "", invited_by: str | None = None) -> tuple[str, str, str]:
    """(subject, text, html) of a sign-in link for an employer's contact person: one they asked for
    (valid `minutes`), or an invitation (valid `days`) from staff (`invited_by`) or after the public
    sign-up made their organisation (`invited_by` empty)."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    if days is None:
        subject = t("mail.subject.login_link")
        lines = [t("mail.lead.login_link")]
        after = t("mail.login_link_valid_minutes", minutes=minutes)
    else:
        subject = t("mail.subject.employer_invitation", organisation=organisation)
        lines = [t("mail.lead.employer_invitation", by=invited_by, organisation=organisation) if invited_by
                 else t("mail.lead.employer_welcome", organisation=organisation), t("mail.employer_invitation_what")]
        after = t("mail.login_link_valid_days", days=days)
    text, html = render("link", lang, subject=subject, name=name, sender=sender, lines=lines,
                        link_label=t("mail.login_link_link"), after=after)
    return subject, text, html
