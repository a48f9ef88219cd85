"""Every calendar file parses with icalendar and with vobject, and a real CalDAV server
(Radicale, on loopback) accepts it."""
from datetime import datetime, timedelta

import pytest
import vobject
from icalendar import Calendar

from eventtool.events import calendars, events
from eventtool.registration import registration
from eventtool.planning import speedmeet
from eventtool.core.config import TZ
from eventtool.core.timeutil import to_local

from ..caldav import Radicale
from ..conftest import company, person
from eventtool.registration import event_changes


def parse_both(data: bytes) -> tuple[Calendar, object]:
    cal = Calendar.from_ical(data)
    vcal = vobject.readOne(data.decode("utf-8"))
    return cal, vcal


def vevents(cal):
    return [c for c in cal.walk("VEVENT")]


@pytest.fixture(scope="module")
def radicale(tmp_path_factory):
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    counter = iter(range(10_000))

    def put(data: bytes, whole_collection: bool = False) -> int:
        cal = server.calendar(f"cal{next(counter)}")
        return server.put(cal if whole_collection else cal + "item.ics", data)
    yield put
    server.stop()


def make_event(db, **overrides):
    start = overrides.pop("starts_at", datetime(2027, 3, 25, 10, 0, tzinfo=TZ))
    values = dict(kind="job_fair", title="Banenmarkt", starts_at=start, ends_at=start + timedelta(hours=4),
                  capacity_jobseekers=10, capacity_employers=5, status="published", venue_name="Stadhuis",
                  address="Markt 1", city="Oss", accessibility_notes="Lift aanwezig; ringleiding")
    values.update(overrides)
    return db.write(events.create_event, values)


def test_single_event(db, radicale):
    ev = make_event(db)
    data = db.read(calendars.event_ics, ev.id)
    cal, vcal = parse_both(data)
    (ve,) = vevents(cal)
    assert str(ve["uid"]) == ev.uid and int(ve["sequence"]) == ev.sequence
    assert ve.decoded("dtstart") == datetime(2027, 3, 25, 10, 0, tzinfo=TZ)
    assert ve["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert "Stadhuis" in str(ve["location"]) and "ringleiding" in str(ve["description"])
    assert cal.walk("VTIMEZONE") and str(cal["method"]) == "PUBLISH"
    assert vcal.vevent.dtstart.value == datetime(2027, 3, 25, 10, 0, tzinfo=TZ)
    assert radicale(data) == 201


def test_dst_change_in_both_parsers(db, radicale):
    # 28 March 2027 is the switch to summer time: the same 10:00 local is 09:00 then 08:00 UTC.
    before = make_event(db, starts_at=datetime(2027, 3, 27, 10, 0, tzinfo=TZ))
    after = make_event(db, starts_at=datetime(2027, 3, 29, 10, 0, tzinfo=TZ))
    for ev, utc_hour in ((before, 9), (after, 8)):
        data = db.read(calendars.event_ics, ev.id)
        cal, vcal = parse_both(data)
        assert vevents(cal)[0].decoded("dtstart").astimezone(TZ).hour == 10
        assert vcal.vevent.dtstart.value.utcoffset() == timedelta(hours=10 - utc_hour)
        assert radicale(data) == 201


def test_user_text_cannot_inject_properties(db, radicale):
    # Titles refuse line breaks; descriptions keep them, and must stay inside DESCRIPTION.
    ev = make_event(db, title="Banenmarkt; ATTENDEE:mailto:evil@example.com, x",
                    description="a;b,c\\d\r\nATTENDEE:mailto:evil@example.com\nEND:VEVENT\nBEGIN:VALARM")
    data = db.read(calendars.event_ics, ev.id)
    cal, vcal = parse_both(data)
    (ve,) = vevents(cal)
    assert "ATTENDEE" not in ve and b"\r\nATTENDEE:" not in data and not ve.walk("VALARM")
    assert str(ve["summary"]) == ev.title
    assert str(ve["description"]).startswith("a;b,c\\d\nATTENDEE:mailto:evil@example.com\nEND:VEVENT\nBEGIN:VALARM")
    assert vcal.vevent.summary.value == ev.title
    assert len(vevents(cal)) == 1 and len(list(vcal.vevent_list)) == 1
    assert radicale(data) == 201


def test_change_and_cancellation_update_the_same_entry(db, radicale):
    ev = make_event(db)
    first = vevents(Calendar.from_ical(db.read(calendars.event_ics, ev.id)))[0]
    values = dict(kind="job_fair", title="Banenmarkt (nieuwe tijd)", starts_at=to_local(ev.starts_at) + timedelta(hours=1),
                  ends_at=to_local(ev.ends_at) + timedelta(hours=1), capacity_jobseekers=10, status="published")
    db.write(event_changes.update_event, ev.id, values)
    changed = vevents(Calendar.from_ical(db.read(calendars.event_ics, ev.id)))[0]
    db.write(event_changes.set_status, ev.id, "cancelled")
    data = db.read(calendars.event_ics, ev.id)
    cal, _ = parse_both(data)
    cancelled = vevents(cal)[0]
    assert str(first["uid"]) == str(changed["uid"]) == str(cancelled["uid"])
    assert int(first["sequence"]) < int(changed["sequence"]) < int(cancelled["sequence"])
    assert str(cal["method"]) == "CANCEL" and str(cancelled["status"]) == "CANCELLED"
    assert radicale(data) == 201


def test_series_with_exception_and_cancelled_date(db, radicale):
    first = datetime(2027, 1, 7, 15, 0, tzinfo=TZ)
    series = db.write(events.create_series, dict(kind="meet_greet", title="Meet&Greet", starts_at=first,
                                                 ends_at=first + timedelta(hours=2), capacity_jobseekers=20,
                                                 status="published"),
                      events.SeriesRule("MONTHLY", weekday=3, setpos=1, count=6))
    occ = db.read(events.series_events, series.id)
    moved_start = to_local(occ[2].starts_at) + timedelta(hours=1)  # 4 March, across nothing
    db.write(event_changes.update_event, occ[2].id, dict(kind="meet_greet", title="Meet&Greet (later)", starts_at=moved_start,
                                                  ends_at=moved_start + timedelta(hours=2), capacity_jobseekers=20,
                                                  status="published"))
    db.write(event_changes.set_status, occ[4].id, "cancelled")
    data = db.read(calendars.series_ics, series.id)
    cal, vcal = parse_both(data)
    items = vevents(cal)
    master = [v for v in items if "RRULE" in v][0]
    overrides = [v for v in items if "RECURRENCE-ID" in v]
    assert str(master["uid"]) == series.uid and all(str(v["uid"]) == series.uid for v in items)
    assert master["rrule"]["FREQ"] == ["MONTHLY"] and master["rrule"]["COUNT"] == [6]
    exdates = [d.dt for d in (master["exdate"] if isinstance(master["exdate"], list) else [master["exdate"]]) for d in d.dts]
    assert exdates == [to_local(occ[4].original_start)]
    assert len(overrides) == 1 and overrides[0].decoded("recurrence-id") == to_local(occ[2].original_start)
    assert overrides[0].decoded("dtstart") == moved_start
    # vobject expands the rule: 6 dates minus the cancelled one, with the moved one at its new time.
    starts = [d for d in vcal.vevent.getrruleset(addRDate=True)]
    assert len(starts) == 5 and all(d.astimezone(TZ).hour == 15 for d in starts)
    assert radicale(data) == 201


def test_feed_and_personal_schedules(db, radicale):
    ev = make_event(db, kind="speedmeet", title="Speedmeet", capacity_jobseekers=10)
    make_event(db, title="Concept", status="draft")
    emp = db.write(registration.register_employer, ev.id, company(organisation="Zorg & Co")).registration.employer_id
    js = db.write(registration.register_jobseeker, ev.id, person(name="Zoë"), picks=[emp]).registration.jobseeker_id
    db.write(speedmeet.save_settings, ev.id, dict(rounds=3, round_minutes=10, break_minutes=5,
                                                  first_round_at=to_local(ev.starts_at) + timedelta(minutes=30),
                                                  max_meetings=2, coverage_bonus=5))
    db.write(speedmeet.run_planner, ev.id)
    from eventtool.core.errors import DomainError
    with pytest.raises(DomainError, match="calendar.plan_not_published"):
        db.read(calendars.personal_ics, ev.id, jobseeker_id=js)
    db.write(speedmeet.publish, ev.id)
    for kwargs in ({"jobseeker_id": js}, {"employer_id": emp}):
        data = db.read(calendars.personal_ics, ev.id, **kwargs)
        cal, vcal = parse_both(data)
        (ve,) = vevents(cal)
        assert ve.decoded("dtstart") == to_local(ev.starts_at) + timedelta(minutes=30)
        assert ve.decoded("dtend") - ve.decoded("dtstart") == timedelta(minutes=10)
        assert ("Zorg & Co" if "jobseeker_id" in kwargs else "Zoë") in str(ve["summary"])
        assert "Tafel 1" in str(ve["location"])
        assert str(ve["organizer"]).startswith("mailto:") and "attendee" not in ve  # a download names nobody
        assert radicale(data) == 201
    feed = db.read(calendars.feed_ics)
    cal, _ = parse_both(feed)
    assert [str(v["summary"]) for v in vevents(cal)] == ["Speedmeet"]
    assert radicale(feed, whole_collection=True) == 201


def test_a_mail_carries_one_itip_message_per_uid_addressed_to_its_recipient(db, radicale):
    """RFC 5546: the components of a REQUEST or CANCEL share one UID, with the ORGANIZER and the
    ATTENDEE it is for. A schedule of two conversations is two files; a jobcoach's copy has entries
    of its own per client (their own UID, the client named), so one client's cancellation leaves
    another's entry."""
    ev = make_event(db, kind="speedmeet", title="Speedmeet", capacity_jobseekers=10)
    emps = [db.write(registration.register_employer, ev.id, company(organisation=org, recruiters=1)).registration.employer_id
            for org in ("Zorg & Co", "Bakkerij Brood")]
    js = db.write(registration.register_jobseeker, ev.id, person(name="Zoë"), picks=emps).registration.jobseeker_id
    db.write(speedmeet.save_settings, ev.id, dict(rounds=2, round_minutes=10, break_minutes=5,
                                                  first_round_at=to_local(ev.starts_at), max_meetings=2, coverage_bonus=5))
    db.write(speedmeet.run_planner, ev.id)
    db.write(speedmeet.publish, ev.id)
    data = db.read(calendars.personal_ics, ev.id, jobseeker_id=js, itip=True)
    files = calendars.parts(data.decode())
    assert len(files) == 2 and [calendars.method_of(f) for f in files] == ["REQUEST", "REQUEST"]
    for f in files:
        (ve,) = vevents(Calendar.from_ical(f))
        assert "organizer" in ve
        assert radicale(f.encode()) == 201
    own = [vevents(Calendar.from_ical(f))[0] for f in calendars.parts(calendars.addressed(data, "zoe@example.nl", "Zoë").decode())]
    for ve in own:
        who = ve["attendee"]
        assert str(who) == "mailto:zoe@example.nl" and who.params["CN"] == "Zoë"
        assert (who.params["PARTSTAT"], who.params["ROLE"], who.params["RSVP"]) == ("ACCEPTED", "REQ-PARTICIPANT", "FALSE")
    coach = [vevents(Calendar.from_ical(f))[0] for f in calendars.parts(calendars.addressed(
        data, "carla@coach.example", "Coach Carla", coach_of=(7, "Zoë de Vries")).decode())]
    assert [str(v["uid"]) for v in coach] == [f"coach-7-{v['uid']}" for v in own]
    assert all(str(v["summary"]).endswith(" (Zoë de Vries)") and str(v["attendee"]) == "mailto:carla@coach.example"
               and v["attendee"].params["ROLE"] == "OPT-PARTICIPANT" for v in coach)
    # The event called off: each conversation its own CANCEL, which the server accepts.
    db.write(event_changes.set_status, ev.id, "cancelled")
    before = files[0]
    off = calendars.parts(calendars.with_cancelled(db.read(calendars.registration_ics, ev.id, "nl", "cancelled", 0),
                                                   data.decode(), 5, ev.title).decode())
    assert len(off) == 3 and {calendars.method_of(f) for f in off} == {"CANCEL"}
    # A conversation's CANCEL names the event, not the other party (who may be erased before it goes out).
    assert all(str(v["summary"]) == ev.title for f in off[1:] for v in vevents(Calendar.from_ical(f)))
    for f in off:
        assert len({str(v["uid"]) for v in vevents(Calendar.from_ical(f))}) == 1 and radicale(f.encode()) == 201
    assert str(vevents(Calendar.from_ical(off[1]))[0]["uid"]) == str(vevents(Calendar.from_ical(before))[0]["uid"])


def test_a_date_of_a_series_is_that_series_entry_for_that_date(db, create_event):
    """A person's file for one Meet&Greet of a monthly series carries the series UID with
    RECURRENCE-ID, so a calendar that has the series too shows the date once; a moved date or a
    cancelled registration replaces it (higher SEQUENCE)."""
    from icalendar import Calendar

    from eventtool.events import events
    from eventtool.events.calendars import registration_ics, series_ics
    from ..conftest import local
    start = local(days=10, hour=15)
    series = db.write(events.create_series, dict(kind="meet_greet", title="Meet&Greet", starts_at=start,
                                                 ends_at=start + timedelta(hours=2), capacity_jobseekers=10,
                                                 capacity_employers=5, status="published"),
                      events.SeriesRule("WEEKLY", weekday=start.weekday(), count=3))
    second = db.read(events.series_events, series.id)[1]
    whole = Calendar.from_ical(db.read(series_ics, series.id)).walk("VEVENT")[0]
    one = Calendar.from_ical(db.read(registration_ics, second.id)).walk("VEVENT")[0]
    assert str(one["uid"]) == str(whole["uid"]) == series.uid
    assert one["recurrence-id"].dt == second.original_start.astimezone(one["recurrence-id"].dt.tzinfo)
    assert int(one["sequence"]) >= int(whole["sequence"])
    # A cancellation raises the registration's own count of changes (Registration.calendar_sequence).
    cancelled = Calendar.from_ical(db.read(registration_ics, second.id, "nl", "cancelled", 1))
    assert str(cancelled["method"]) == "CANCEL"
    assert int(cancelled.walk("VEVENT")[0]["sequence"]) > int(one["sequence"])
