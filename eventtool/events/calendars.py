"""Calendar files (RFC 5545) built with icalendar.

UIDs are stable (stored on the event, derived for meetings), SEQUENCE rises with every change, so
a changed or cancelled event updates the entry already in someone's calendar. Times are written in
Europe/Amsterdam with its VTIMEZONE. All user text goes through icalendar's TEXT escaping, so a
title with a line break and "ATTENDEE:" cannot add a property.

What a mail carries is iTIP (RFC 5546): one VCALENDAR per UID (all components of a REQUEST or a
CANCEL share one UID; a CalDAV server refuses a resource with two), METHOD:REQUEST or CANCEL, the
ORGANIZER and the one ATTENDEE it is sent to (`addressed`). A message with several entries (a
speedmeet schedule, a cancelled speedmeet) stores them as one iCalendar stream of several VCALENDAR
objects (RFC 5545 3.4), which the sender attaches one file each (`parts`). Downloads stay one
PUBLISH file without attendees.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from email.utils import parseaddr

from icalendar import Alarm, Calendar, Event as VEvent, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur, vText
from sqlmodel import Session, func, select

from ..core.collation import short_name
from ..core.config import TZ, get_settings
from ..core.errors import DomainError, NotFound
from .reads import get_event, list_blocks, round_start, series_events
from ..core.i18n import translate
from ..messages.models import Message
from ..people.models import Employer, Jobseeker
from .models import Event, EventSeries, Meeting, SpeedmeetSettings
from ..core.timeutil import utcnow
from ..core.vocab import EventStatus

PRODID = "-//eventtool//inclusive events//NL"


def _calendar(method: str = "PUBLISH", name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def _local(dt: datetime) -> datetime:
    return dt.astimezone(TZ)


def _location(event: Event) -> str:
    return ", ".join(p for p in (event.venue_name, event.address, event.city) if p)


def _description(session: Session, event: Event, lang: str) -> str:
    parts = [event.description] if event.description else []
    if event.accessibility_notes:
        parts.append(f"{translate('agenda.accessibility', lang)}: {event.accessibility_notes}")
    blocks = list_blocks(session, event.id)
    if blocks:
        parts.append(translate("agenda.programme", lang) + ":")
        parts += [f"{_local(b.starts_at):%H:%M}-{_local(b.ends_at):%H:%M} {b.title} "
                  f"({translate('audience.' + b.audience, lang)})" for b in blocks]
    return "\n".join(parts)


def _vevent(session: Session, event: Event, lang: str, *, uid: str | None = None, sequence: int | None = None,
            start: datetime | None = None, status: str | None = None) -> VEvent:
    ve = VEvent()
    ve.add("uid", uid or event.uid)
    ve.add("dtstamp", utcnow())
    ve.add("sequence", event.sequence if sequence is None else sequence)
    ve.add("summary", event.title)
    start = start or event.starts_at
    ve.add("dtstart", _local(start))
    ve.add("dtend", _local(start + (event.ends_at - event.starts_at)))
    if _location(event):
        ve.add("location", _location(event))
    description = _description(session, event, lang)
    if description:
        ve.add("description", description)
    ve.add("url", f"{get_settings().base_url}/agenda")
    ve.add("last-modified", event.updated_at)
    ve.add("status", status or ("CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED"))
    ve.add("organizer", organizer())
    return ve


def organizer() -> vCalAddress:
    """Who sends the invitation (RFC 5546 asks for it on every CANCEL; Outlook shows it)."""
    name, address = parseaddr(get_settings().mail_from)
    who = vCalAddress(f"mailto:{address or 'noreply@localhost'}")
    if name:
        who.params["cn"] = vText(name)
    return who


def _alarm_day_before(lang: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-1))
    alarm.add("description", translate("calendar.alarm", lang))
    return alarm


def _vtimezone() -> Timezone:
    """Europe/Amsterdam as the EU rule (last Sunday of March / October, since 1996).

    icalendar can derive a VTIMEZONE from zoneinfo, but that one lists every transition as RDATEs
    up to 2038, and vobject (our second parser) then got the offset after the March change wrong.
    The two-rule form is what calendar programs themselves write and every parser reads."""
    tz = Timezone()
    tz.add("tzid", "Europe/Amsterdam")
    tz.add("x-lic-location", "Europe/Amsterdam")
    for cls, name, start, month, before, after in (
            (TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2, 0), 3, timedelta(hours=1), timedelta(hours=2)),
            (TimezoneStandard, "CET", datetime(1970, 10, 25, 3, 0), 10, timedelta(hours=2), timedelta(hours=1))):
        part = cls()
        part.add("tzname", name)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        tz.add_component(part)
    return tz


def _finish(cal: Calendar) -> bytes:
    # VTIMEZONE goes before the events that use it.
    cal.subcomponents.insert(0, _vtimezone())
    return cal.to_ical()


def _one(session: Session, event: Event, lang: str, *, bump: int = 0, status: str | None = None) -> VEvent:
    """One event as a calendar entry. A date of a series is that series' entry for that date (the
    series UID with RECURRENCE-ID and the series' SEQUENCE), so a calendar that also holds the
    series shows it once and a change or cancellation replaces the right date."""
    if event.series_id is None:
        return _vevent(session, event, lang, sequence=event.sequence + bump, status=status)
    series = session.get(EventSeries, event.series_id)
    sequence = series.sequence + sum(session.exec(select(Event.sequence).where(Event.series_id == series.id)).all())
    ve = _vevent(session, event, lang, uid=series.uid, sequence=sequence + bump, status=status)
    ve.add("recurrence-id", _local(event.original_start or event.starts_at))
    return ve


def event_ics(session: Session, event_id: int, lang: str = "nl") -> bytes:
    """One event. A cancelled event is sent as METHOD:CANCEL so calendars remove it."""
    event = get_event(session, event_id)
    cancelled = event.status == EventStatus.CANCELLED
    cal = _calendar("CANCEL" if cancelled else "PUBLISH")
    cal.add_component(_one(session, event, lang))
    return _finish(cal)


def series_ics(session: Session, series_id: int, lang: str = "nl") -> bytes:
    """A whole series: one master event with RRULE, EXDATE for cancelled dates, and an override
    (RECURRENCE-ID) for every date that was edited on its own."""
    series = session.get(EventSeries, series_id)
    if series is None:
        raise NotFound("event.not_found")
    occurrences = series_events(session, series_id)
    if not occurrences:
        raise NotFound("event.not_found")
    first = occurrences[0]
    cal = _calendar("PUBLISH", name=series.title)
    # The master describes the rule as generated; every date that differs gets its own override.
    sequence = series.sequence + sum(e.sequence for e in occurrences)  # rises with any change
    master = _vevent(session, first, lang, uid=series.uid, sequence=sequence,
                     start=first.original_start or first.starts_at, status="CONFIRMED")
    master.add("rrule", vRecur.from_ical(series.rrule))
    exdates = [_local(e.original_start) for e in occurrences if e.status == EventStatus.CANCELLED]
    if exdates:
        master.add("exdate", exdates)
    cal.add_component(master)
    for e in occurrences:
        if e.status == EventStatus.CANCELLED:
            continue
        moved = e.original_start is not None and e.starts_at != e.original_start
        if e.is_exception or moved or (e is not first and _differs(e, first)):
            override = _vevent(session, e, lang, uid=series.uid, sequence=sequence)
            override.add("recurrence-id", _local(e.original_start or e.starts_at))
            cal.add_component(override)
    return _finish(cal)


def _differs(a: Event, b: Event) -> bool:
    fields = ("title", "description", "venue_name", "address", "city", "accessibility_notes")
    return any(getattr(a, f) != getattr(b, f) for f in fields) or (a.ends_at - a.starts_at) != (b.ends_at - b.starts_at)


def feed_ics(session: Session, lang: str = "nl") -> bytes:
    """The organiser's feed: every published or cancelled event (cancelled ones as STATUS:CANCELLED)."""
    cal = _calendar("PUBLISH", name="eventtool")
    for event in session.exec(select(Event).where(Event.status != EventStatus.DRAFT).order_by(Event.starts_at)):
        cal.add_component(_vevent(session, event, lang))
    return _finish(cal)


def _meeting_uid(event: Event, m: Meeting) -> str:
    return f"meeting-{m.jobseeker_id}-{m.employer_id}-{event.uid}"


def schedule_changes(session: Session, event_id: int, *, jobseeker_id: int | None = None,
                     employer_id: int | None = None) -> int:
    """How often this person was told that their speedmeet schedule changed: their conversations'
    calendar entries carry the event's SEQUENCE plus this, so every change replaces the entries."""
    query = select(func.count(Message.id)).where(
        Message.event_id == event_id, Message.kind.in_(("schedule_changed", "schedule_removed")),
        Message.status != "failed", ~Message.key.endswith(":coach"))
    query = query.where(Message.jobseeker_id == jobseeker_id) if jobseeker_id else query.where(Message.employer_id == employer_id)
    return session.exec(query).one()


def personal_ics(session: Session, event_id: int, *, jobseeker_id: int | None = None,
                 employer_id: int | None = None, lang: str = "nl", sequence: int | None = None,
                 replaces: str | None = None, itip: bool = False, short_names: bool = False) -> bytes:
    """One person's speedmeet conversations (time, employer or jobseeker, table), one entry each.
    `short_names`: jobseekers by first name and initial, as the employer's own schedule page names them.
    `replaces`: the calendar this person was sent before; its conversations that are no longer in the
    schedule come along as cancelled (same UID, this SEQUENCE), so calendars drop them. `sequence`
    defaults to the event's plus the schedule changes this person was told of. `itip`: for a mail,
    one VCALENDAR per conversation (REQUEST, or CANCEL when it is off), else one PUBLISH file."""
    if (jobseeker_id is None) == (employer_id is None):
        raise DomainError("calendar.choose_one_person")
    event = get_event(session, event_id)
    settings = session.get(SpeedmeetSettings, event_id)
    if settings is None or settings.status != "published":
        raise DomainError("calendar.plan_not_published")
    if sequence is None:
        sequence = event.sequence + schedule_changes(session, event_id, jobseeker_id=jobseeker_id, employer_id=employer_id)
    query = select(Meeting).where(Meeting.event_id == event_id)
    query = query.where(Meeting.jobseeker_id == jobseeker_id) if jobseeker_id else query.where(Meeting.employer_id == employer_id)
    meetings = session.exec(query.order_by(Meeting.round, Meeting.table_no, Meeting.jobseeker_id)).all()
    names_js = {j.id: short_name(j.name) if short_names else j.name for j in session.exec(select(Jobseeker).where(
        Jobseeker.id.in_([m.jobseeker_id for m in meetings])))} if meetings else {}
    names_emp = {e.id: e.organisation for e in session.exec(select(Employer).where(
        Employer.id.in_([m.employer_id for m in meetings])))} if meetings else {}
    gone = []
    if replaces:
        current = {_meeting_uid(event, m) for m in meetings}
        gone = [ve for ve in held([replaces]) if str(ve.get("uid")) not in current]
    event_cancelled = event.status == EventStatus.CANCELLED
    entries = []
    for m in meetings:
        start = round_start(settings, m.round)
        other = names_emp.get(m.employer_id, "") if jobseeker_id else names_js.get(m.jobseeker_id, "")
        ve = VEvent()
        ve.add("uid", _meeting_uid(event, m))
        ve.add("dtstamp", utcnow())
        ve.add("sequence", sequence)
        ve.add("summary", f"{event.title}: {other}")
        ve.add("dtstart", _local(start))
        ve.add("dtend", _local(start + timedelta(minutes=settings.round_minutes)))
        ve.add("location", f"{_location(event)} · {translate('planning.table', lang)} {m.table_no}".strip(" ·"))
        ve.add("description", f"{translate('planning.round', lang)} {m.round + 1}, "
                              f"{translate('planning.table', lang)} {m.table_no}\n{_description(session, event, lang)}".strip())
        ve.add("status", "CANCELLED" if event_cancelled else "CONFIRMED")
        ve.add("organizer", organizer())
        entries.append(ve)
    # The conversation is off: the same entry, cancelled, named after the event only (the other
    # side may have cancelled, and then their name is not to be sent again).
    entries += cancelled_copies(gone, sequence, summary=event.title)
    if itip:
        return b"".join(_itip("CANCEL" if str(ve["status"]) == "CANCELLED" else "REQUEST", ve) for ve in entries)
    everything_cancelled = event_cancelled or (not meetings and bool(gone))
    cal = _calendar("CANCEL" if everything_cancelled else "PUBLISH", name=event.title)
    for ve in entries:
        cal.add_component(ve)
    return _finish(cal)


def _itip(method: str, ve: VEvent) -> bytes:
    """One entry as its own iTIP file: RFC 5546 allows one UID per REQUEST or CANCEL."""
    cal = _calendar(method)
    cal.add_component(ve)
    return _finish(cal)


def entry_key(ve: VEvent) -> tuple[str, bytes]:
    """What a calendar keeps one entry per: the UID, and the RECURRENCE-ID of one occurrence."""
    return str(ve.get("uid")), ve["recurrence-id"].to_ical() if "recurrence-id" in ve else b""


def held(streams: list[str | bytes]) -> list[VEvent]:
    """The entries a calendar holds after these calendar streams (one person's, oldest first) were
    opened in order: per entry (`entry_key`) the last one, unless that one cancelled it."""
    last: dict[tuple[str, bytes], VEvent | None] = {}
    for stream in streams:
        for cal in Calendar.from_ical(stream, multiple=True):
            cancel = str(cal.get("method", "")) == "CANCEL"
            for ve in cal.walk("VEVENT"):
                off = cancel or str(ve.get("status", "")) == "CANCELLED"
                last[entry_key(ve)] = None if off else ve
    return [ve for ve in last.values() if ve is not None]


def cancelled_copies(entries, sequence: int, summary: str | None = None) -> list[VEvent]:
    """Calendar entries someone was sent, as cancellations: the same UID, summary (or `summary`)
    and times, STATUS:CANCELLED, and a SEQUENCE of at least `sequence` (higher than any they had)."""
    copies = []
    for old in entries:
        ve = VEvent()
        ve.add("uid", str(old.get("uid")))
        ve.add("dtstamp", utcnow())
        ve.add("sequence", max(sequence, int(old.get("sequence", 0)) + 1))
        ve.add("summary", summary if summary is not None else str(old.get("summary", "")))
        ve.add("dtstart", old.decoded("dtstart"))
        ve.add("dtend", old.decoded("dtend"))
        if "recurrence-id" in old:
            ve.add("recurrence-id", old.decoded("recurrence-id"))
        ve.add("status", "CANCELLED")
        ve.add("organizer", organizer())
        copies.append(ve)
    return copies


def cancel_all(entries, summary: str | None = None) -> bytes:
    """A CANCEL of each of these entries (held ones), one VCALENDAR each, a SEQUENCE above theirs;
    with `summary` instead of theirs (which may name someone)."""
    return b"".join(_itip("CANCEL", ve) for ve in cancelled_copies(entries, 0, summary))


def with_cancelled(ics: bytes, sent_before: str, sequence: int, summary: str) -> bytes:
    """`ics` followed by a CANCEL of every entry a calendar sent before (`sent_before`) still had
    on: one VCALENDAR each, as iTIP allows one UID per CANCEL. Each with `summary` (the event's
    title) instead of its own, which names the other party of a conversation: a queued cancellation
    to an employer must not keep the name of a jobseeker who is erased before it goes out."""
    return ics + b"".join(_itip("CANCEL", ve) for ve in cancelled_copies(held([sent_before]), sequence, summary))


def parts(ics: str) -> list[str]:
    """The VCALENDAR objects of a stored calendar stream, each as it was written (one attachment each)."""
    return [part for part in re.split(r"(?=^BEGIN:VCALENDAR\r?$)", ics, flags=re.M) if part.strip()]


def method_of(part: str) -> str:
    found = re.search(r"^METHOD:([A-Z-]+)\r?$", part, re.M)
    return found.group(1) if found else "PUBLISH"


def coach_uid(registration_id: int, uid: str) -> str:
    """A jobcoach's own entry for one client's registration: two clients at one event are two
    entries, and one client's cancellation takes only theirs away."""
    return f"coach-{registration_id}-{uid}"


def addressed(ics: bytes, address: str, name: str, *, coach_of: tuple[int, str] | None = None) -> bytes:
    """The calendar files of a mail, for the one person it goes to: METHOD:REQUEST (for what was
    built as PUBLISH) or CANCEL, the ORGANIZER, and an ATTENDEE with their address and name only
    (no reply asked: a sign-up or a cancellation goes through the mail's link, not a calendar
    button). `coach_of` (registration id, client's name): a jobcoach's copy, an entry of their own
    per client (`coach_uid`) whose summary names the client."""
    out = []
    for cal in Calendar.from_ical(ics, multiple=True):
        method = str(cal.get("method", "PUBLISH"))
        if method == "PUBLISH":
            method = "REQUEST"
            del cal["method"]
            cal.add("method", method)
        for ve in cal.walk("VEVENT"):
            if "organizer" not in ve:
                ve.add("organizer", organizer())
            ve.pop("attendee", None)
            who = vCalAddress(f"mailto:{address}")
            if name:
                who.params["cn"] = vText(name)
            who.params["cutype"] = "INDIVIDUAL"
            who.params["role"] = "OPT-PARTICIPANT" if coach_of else "REQ-PARTICIPANT"
            if method == "REQUEST":  # what they signed up for: a place, or the waiting list
                who.params["partstat"] = "TENTATIVE" if str(ve.get("status", "")) == "TENTATIVE" else "ACCEPTED"
            who.params["rsvp"] = "FALSE"
            ve.add("attendee", who)
            if coach_of:
                registration_id, client = coach_of
                uid, summary = str(ve["uid"]), str(ve.get("summary", ""))
                del ve["uid"]
                ve.add("uid", coach_uid(registration_id, uid))
                ve.pop("summary", None)
                ve.add("summary", f"{summary} ({client})" if client else summary)
        out.append(cal.to_ical())
    return b"".join(out)


def registration_ics(session: Session, event_id: int, lang: str = "nl", status: str = "confirmed",
                     changes: int = 0) -> bytes:
    """What a person gets for their own calendar after signing up, with a reminder the day before
    (only with a place: none on the waiting list).
    The event's UID, and its SEQUENCE raised by the `changes` of their own status
    (`Registration.calendar_sequence`), so each later change (of the event, or of their place:
    the waiting list, a cancellation, a place again) updates the same entry. On the waiting list it
    is TENTATIVE (never a CONFIRMED place one does not have); a cancelled registration (or event) is
    a METHOD:CANCEL, so calendars remove it. For a mail, `addressed` makes a PUBLISH a REQUEST and
    names the person it goes to."""
    event = get_event(session, event_id)
    cancelled = status == "cancelled" or event.status == EventStatus.CANCELLED
    cal = _calendar("CANCEL" if cancelled else "PUBLISH")
    if cancelled:
        ve = _one(session, event, lang, bump=changes, status="CANCELLED")
    else:
        waiting = status == "waitlisted"
        ve = _one(session, event, lang, bump=changes, status="TENTATIVE" if waiting else "CONFIRMED")
        if not waiting:  # no "Morgen: ..." for a place one does not have
            ve.add_component(_alarm_day_before(lang))
    cal.add_component(ve)
    return _finish(cal)
