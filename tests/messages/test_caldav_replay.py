"""Every person's calendar, as their calendar program keeps it: the calendar files of every mail they
received (through the real SMTP server), replayed in order into a real CalDAV server (Radicale),
one resource per UID as a client stores an iTIP message. At the end each calendar holds exactly
that person's current registrations and speedmeet conversations, at the times the store has,
nothing twice; a jobcoach's calendar holds one entry per client.

How a file is replayed (RFC 5546 as Thunderbird and Apple Calendar apply it): the file must be one
iTIP message (REQUEST or CANCEL, one UID, ORGANIZER, the recipient as ATTENDEE). A REQUEST with a
SEQUENCE (then DTSTAMP) not older than what the calendar has replaces that entry (per RECURRENCE-ID);
a CANCEL is stored as the same entry with STATUS:CANCELLED, as Apple Calendar keeps it (struck
through) and as a scheduling server updates an attendee's copy. PUTting the cancellation rather
than DELETEing the resource lets the server check every file we send, cancellations included (a
CANCEL with two UIDs was refused with 400); a cancelled entry counts as not in the calendar."""
from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta
from urllib.parse import quote

import pytest
from icalendar import Calendar
from sqlmodel import col, select

from eventtool.events import calendars, events
from eventtool.privacy import privacy
from eventtool.registration import registration
from eventtool.planning import speedmeet
from eventtool.core.config import get_settings
from eventtool.events.reads import round_start
from eventtool import sender
from eventtool.messages.models import Message
from eventtool.people.models import Employer, Jobseeker
from eventtool.events.models import Event, EventIn, Meeting, SpeedmeetSettings
from eventtool.registration.models import Registration
from eventtool.registration import coaches
from eventtool.core.timeutil import to_local

from ..caldav import Radicale
from ..conftest import company, person
from ..registration.test_coaches import make_coach
from eventtool.registration import event_changes

COACH = "carla@coach.example"


@pytest.fixture(scope="module")
def caldav(tmp_path_factory):
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    server.stop()


class Replay:
    """The calendar programs of everyone who got mail: one CalDAV calendar per address."""

    def __init__(self, server: Radicale, name: str):
        # One Radicale serves the module, the SQLite and the PostgreSQL run of each test: calendars of their own.
        self.server, self.name = server, f"{name}-{uuid.uuid4().hex[:8]}"
        self.urls: dict[str, str] = {}
        self.held: dict[tuple[str, str], dict[str, object]] = {}  # (address, uid) -> {RECURRENCE-ID: VEVENT}
        self.refused: list[tuple[str, str, int]] = []  # (address, uid, HTTP status) of every PUT not accepted
        self.not_itip: list[str] = []
        self.puts = 0
        self.done = 0

    def url(self, address: str) -> str:
        if address not in self.urls:
            self.urls[address] = self.server.calendar(f"{self.name}-{address}")
        return self.urls[address]

    def catch_up(self, mails: list) -> None:
        for mail in mails[self.done:]:
            address = mail["To"].addresses[0].addr_spec
            for part in mail.iter_attachments():
                if part.get_content_type() == "text/calendar":
                    self.file(address, part)
        self.done = len(mails)

    def file(self, address: str, part) -> None:
        cal = Calendar.from_ical(part.get_content())
        method, entries = str(cal.get("METHOD", "")), cal.walk("VEVENT")
        uids = sorted({str(v["UID"]) for v in entries})
        if method not in ("REQUEST", "CANCEL") or part.get_param("method") != method or len(uids) != 1:
            self.not_itip.append(f"{address}: METHOD {method} ({part.get_param('method')}), UIDs {uids}")
        for ve in entries:
            attendees = ve.get("ATTENDEE")
            if "ORGANIZER" not in ve or not attendees or isinstance(attendees, list) \
                    or str(attendees).lower() != f"mailto:{address}":
                self.not_itip.append(f"{address}: {ve.get('UID')} ORGANIZER/ATTENDEE {ve.get('ORGANIZER')} {attendees}")
        if len(uids) != 1:  # what a program that stores the attachment as it is sends
            del cal["METHOD"]
            self.store(address, uids[0], cal.to_ical())
            return
        uid = uids[0]
        held = self.held.setdefault((address, uid), {})
        for ve in entries:
            rid = ve["RECURRENCE-ID"].to_ical().decode() if "RECURRENCE-ID" in ve else ""
            old = held.get(rid)
            if old is not None and _version(ve) < _version(old):
                continue  # an older version than the calendar has: a client ignores it
            if method == "CANCEL":
                ve.pop("STATUS", None)
                ve.add("STATUS", "CANCELLED")
            held[rid] = ve
        resource = Calendar()
        resource.add("prodid", "-//replay//test//EN")
        resource.add("version", "2.0")
        for tz in cal.walk("VTIMEZONE"):
            resource.add_component(tz)
        for ve in held.values():
            resource.add_component(ve)
        self.store(address, uid, resource.to_ical())

    def store(self, address: str, uid: str, data: bytes) -> None:
        status = self.server.put(self.url(address) + quote(uid, safe="") + ".ics", data)
        self.puts += 1
        if status not in (201, 204):
            self.refused.append((address, uid, status))

    def live(self, address: str) -> list[tuple[str, object]]:
        """What the server holds in this person's calendar and is not cancelled: (UID, DTSTART)."""
        if address not in self.urls:
            return []
        return sorted(((str(ve["UID"]), ve.decoded("DTSTART"))
                       for data in self.server.items(self.urls[address]).values()
                       for ve in Calendar.from_ical(data).walk("VEVENT") if str(ve.get("STATUS")) != "CANCELLED"),
                      key=str)


def _version(ve) -> tuple:
    return int(ve.get("SEQUENCE", 0)), ve.decoded("DTSTAMP")


def expected(session, event_id: int) -> dict[str, list[tuple[str, object]]]:
    """From the store: each address and the entries its calendar must hold, (UID, start)."""
    event = session.get(Event, event_id)
    settings = session.get(SpeedmeetSettings, event_id)
    published = settings is not None and settings.status == "published"
    meetings = session.exec(select(Meeting).where(Meeting.event_id == event_id)).all() if published else []
    want: dict[str, list] = {}
    if event.status == "cancelled":
        return want
    for reg in session.exec(select(Registration).where(Registration.event_id == event_id,
                                                       col(Registration.status) != "cancelled")):
        if reg.jobseeker_id:
            address = session.get(Jobseeker, reg.jobseeker_id).email
            own = [m for m in meetings if m.jobseeker_id == reg.jobseeker_id]
        else:
            address = session.get(Employer, reg.employer_id).email
            own = [m for m in meetings if m.employer_id == reg.employer_id]
        entries = [(event.uid, to_local(event.starts_at))]
        entries += [(f"meeting-{m.jobseeker_id}-{m.employer_id}-{event.uid}", to_local(round_start(settings, m.round)))
                    for m in own]
        want.setdefault(address, []).extend(entries)
        if reg.coach_email and reg.coach_confirmed:
            want.setdefault(reg.coach_email, []).extend(
                (calendars.coach_uid(reg.id, uid), start) for uid, start in entries)
    return {a: sorted(e, key=str) for a, e in want.items()}


def deliver(db):
    result = sender.run_once(db, get_settings())
    assert result.failed == 0


def plan(db, event_id: int, **settings) -> None:
    if settings:
        db.write(speedmeet.save_settings, event_id, settings)
    db.write(speedmeet.run_planner, event_id, time_limit=5)
    db.write(speedmeet.publish, event_id)


def speedmeet_with_people(db, create_event, capacity: int = 3):
    ev = create_event(kind="speedmeet", title="Speedmeet Zorg", capacity_jobseekers=capacity, capacity_employers=2)
    emps = [db.write(registration.register_employer, ev.id, company(organisation=org, email=mail, recruiters=1))
            .registration.employer_id for org, mail in (("Bakkerij Brood", "hr@brood.example"),
                                                        ("Zorg & Co", "werk@zorg.example"))]

    def join(name: str, email: str, coach: bool = False):
        extra = dict(coach_name="Coach Carla", coach_email=COACH) if coach else {}
        return db.write(registration.register_jobseeker, ev.id, person(name=name, email=email, **extra), picks=emps)
    return ev, emps, join


def check(db, replay: Replay, smtp, event_id: int) -> dict:
    replay.catch_up(smtp.messages)
    assert replay.not_itip == []
    assert replay.refused == [] and replay.puts
    want = db.read(expected, event_id)
    for address in set(replay.urls) | set(want):
        held = replay.live(address)
        assert not [uid for uid, n in Counter(uid for uid, _ in held).items() if n > 1], f"{address}: twice"
        assert held == want.get(address, []), address
    return want


def test_a_speedmeets_life_replayed_into_everyones_calendar(db, create_event, smtp, caldav):
    ev, emps, join = speedmeet_with_people(db, create_event)
    join("Anna Appel", "anna@example.nl")
    klaas = join("Klaas Klant", "klaas@example.nl", coach=True)
    karin = join("Karin Klant", "karin@example.nl", coach=True)
    wim = join("Wim Wachter", "wim@example.nl")
    assert wim.registration.status == "waitlisted"
    deliver(db)
    replay = Replay(caldav, "life")
    check(db, replay, smtp, ev.id)  # Wim's entry is there, TENTATIVE

    plan(db, ev.id, rounds=3, round_minutes=10, break_minutes=5, first_round_at=to_local(ev.starts_at) + timedelta(minutes=30),
         max_meetings=2, coverage_bonus=5)
    deliver(db)
    want = check(db, replay, smtp, ev.id)
    assert len(want[COACH]) > 2  # two clients' entries, and their conversations

    # The event moves a day: the rounds move with it.
    later = {field: getattr(ev, field) for field in EventIn.model_fields if hasattr(ev, field)}
    later.update(starts_at=to_local(ev.starts_at) + timedelta(days=1), ends_at=to_local(ev.ends_at) + timedelta(days=1))
    db.write(event_changes.update_event, ev.id, later)
    deliver(db)
    check(db, replay, smtp, ev.id)

    # Re-planned, with a conversation moved by hand, and published again.
    db.write(speedmeet.run_planner, ev.id, time_limit=5)
    meeting = db.read(lambda s: s.exec(select(Meeting).where(Meeting.event_id == ev.id).order_by(Meeting.id)).first())
    taken = set(db.read(lambda s: s.exec(select(Meeting.round).where(
        (Meeting.event_id == ev.id) & ((Meeting.jobseeker_id == meeting.jobseeker_id) |
                                       (Meeting.employer_id == meeting.employer_id)))).all()))
    free = sorted({0, 1, 2} - taken)
    if free:
        db.write(speedmeet.move_meeting, meeting.id, free[0])
    db.write(speedmeet.publish, ev.id)
    deliver(db)
    check(db, replay, smtp, ev.id)

    # Klaas cancels: his entries leave his and his coach's calendar, Karin's stay with the coach;
    # Wim gets the place, and after the next plan his conversations.
    db.write(registration.cancel_by_code, klaas.code)
    assert db.read(lambda s: s.get(Registration, wim.registration.id)).status == "confirmed"
    deliver(db)
    check(db, replay, smtp, ev.id)
    plan(db, ev.id)
    deliver(db)
    want = check(db, replay, smtp, ev.id)
    karins = {uid for uid, _ in want[COACH]}
    assert karins and all(uid.startswith(f"coach-{karin.registration.id}-") for uid in karins)
    assert "klaas@example.nl" not in want and any(uid.startswith("meeting-") for uid, _ in want["wim@example.nl"])
    # The coach's entries name the client.
    summaries = {str(ve["SUMMARY"]) for data in caldav.items(replay.urls[COACH]).values()
                 for ve in Calendar.from_ical(data).walk("VEVENT") if str(ve.get("STATUS")) != "CANCELLED"}
    assert summaries and all("(Karin Klant)" in s for s in summaries)


def test_a_cancelled_speedmeet_leaves_every_calendar_empty(db, create_event, smtp, caldav):
    """'Gaat niet door' after the schedules went out: the event's entry and every conversation leave
    everyone's calendar, each cancellation its own file that the CalDAV server accepts."""
    ev, emps, join = speedmeet_with_people(db, create_event)
    join("Anna Appel", "anna@example.nl")
    join("Karin Klant", "karin@example.nl", coach=True)
    plan(db, ev.id, rounds=2, round_minutes=10, break_minutes=5, first_round_at=to_local(ev.starts_at),
         max_meetings=2, coverage_bonus=5)
    deliver(db)
    replay = Replay(caldav, "off")
    before = check(db, replay, smtp, ev.id)
    assert any(uid.startswith("meeting-") for uid, _ in before["anna@example.nl"])
    db.write(event_changes.set_status, ev.id, "cancelled")
    deliver(db)
    check(db, replay, smtp, ev.id)
    for address in before:
        assert replay.live(address) == [], address


def _coach_with_two_clients_planned(db, create_event, smtp, caldav, calendar: str):
    """A speedmeet where Coach Carla signed up Klaas and Karin, planned and delivered: the coach,
    the event, both registrations, the replay, the coach's entries and Klaas's among them."""
    coach = make_coach(db, COACH, "Coach Carla")
    ev, emps, join = speedmeet_with_people(db, create_event)
    join("Anna Appel", "anna@example.nl")
    klaas, karin = (db.write(coaches.sign_up_client, coach.id, ev.id,
                             person(name=name, email=email, phone=phone), picks=emps).registration
                    for name, email, phone in (("Klaas Klant", "klaas@example.nl", "0612345678"),
                                               ("Karin Klant", "karin@example.nl", "0687654321")))
    plan(db, ev.id, rounds=3, round_minutes=10, break_minutes=5, first_round_at=to_local(ev.starts_at),
         max_meetings=2, coverage_bonus=5)
    deliver(db)
    replay = Replay(caldav, calendar)
    before = {uid for uid, _ in check(db, replay, smtp, ev.id)[COACH]}
    klaas_uids = {uid for uid in before if uid.startswith(f"coach-{klaas.id}-")}
    assert len(klaas_uids) > 1 and before - klaas_uids  # his event and conversations, and Karin's
    return coach, ev, klaas, karin, replay, before, klaas_uids


def _the_coachs_cancels(db, uids: set[str]) -> Message:
    """The one queued mail to the coach: one CANCEL per UID, exactly `uids` (none of Karin's)."""
    [told] = db.read(lambda s: s.exec(select(Message).where(Message.to_address == COACH,
                                                            Message.status == "queued")).all())
    files = calendars.parts(told.ics)
    assert {calendars.method_of(f) for f in files} == {"CANCEL"}
    found = [str(ve["UID"]) for f in files for ve in Calendar.from_ical(f).walk("VEVENT")]
    assert len(found) == len(files) and set(found) == uids
    return told


def test_a_coach_who_ends_a_client_loses_only_that_clients_entries(db, create_event, smtp, caldav):
    """'No longer my client': the coach's own entries for that client (the event and the
    conversations of the last schedule they were sent) are cancelled in one mail to the coach, one
    CANCEL per UID; the entries of the coach's other client stay."""
    coach, ev, klaas, karin, replay, before, klaas_uids = _coach_with_two_clients_planned(
        db, create_event, smtp, caldav, "ended")
    db.write(coaches.end_caseload, coach.id, klaas.jobseeker_id)
    told = _the_coachs_cancels(db, klaas_uids)
    assert "Klaas Klant" in told.subject and "Karin" not in told.body_text
    deliver(db)
    check(db, replay, smtp, ev.id)
    assert {uid for uid, _ in replay.live(COACH)} == before - klaas_uids
    # Ending it again (another client of hers, none left over) tells nothing more about Klaas.
    db.write(coaches.end_caseload, coach.id, karin.jobseeker_id)
    deliver(db)
    check(db, replay, smtp, ev.id)
    assert replay.live(COACH) == []


def test_erasing_a_client_takes_their_entries_out_of_the_coachs_calendar_naming_nobody(db, create_event, smtp, caldav):
    """Erasure (issue 27): the coach's own entries for the erased client (the event and the
    conversations) are cancelled in one mail to the coach, one CANCEL per UID, and that mail names
    nothing of the erased person (not in its subject, text or files, nor by a link to the
    registration or the person); the entries of the coach's other client stay."""
    coach, ev, klaas, karin, replay, before, klaas_uids = _coach_with_two_clients_planned(
        db, create_event, smtp, caldav, "erased")
    db.write(privacy.erase_person, klaas.jobseeker_id)
    told = _the_coachs_cancels(db, klaas_uids)
    stored = " ".join(str(v) for v in told.model_dump().values())
    for trace in ("Klaas", "klaas@example.nl", "0612345678", "612345678", "Karin"):
        assert trace.casefold() not in stored.casefold(), trace
    assert (told.registration_id, told.jobseeker_id) == (None, None)
    assert ev.title in told.body_text and told.to_name == "Coach Carla"
    # The mail goes out, and the coach's calendar keeps only Karin's entries.
    deliver(db)
    replay.catch_up(smtp.messages)
    assert replay.not_itip == [] and replay.refused == []
    assert {uid for uid, _ in replay.live(COACH)} == before - klaas_uids
