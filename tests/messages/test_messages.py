"""Messages: every change that alters someone's plans queues its message in the same transaction,
and a real SMTP server receives them: content, calendar file, personal link, retries, failures."""
from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from eventtool.events import events
from eventtool.privacy import privacy
from eventtool.registration import registration
from eventtool.planning import speedmeet
from eventtool.core.config import get_settings
from eventtool.core.errors import DomainError, NotFound, ValidationFailed
from eventtool.messages import links, outbox
from eventtool.registration import mine, notify
from eventtool import sender
from eventtool.messages.models import Message, PersonalLink
from eventtool.registration.models import Registration
from eventtool.core.timeutil import to_local, utcnow

from ..conftest import company, person
from eventtool.registration import event_changes
from eventtool.registration import personal_link


def kinds(db, **where) -> list[tuple[str, str]]:
    query = select(Message).order_by(Message.id)
    for field, value in where.items():
        query = query.where(getattr(Message, field) == value)
    return [(m.kind, m.to_address) for m in db.read(lambda s: s.exec(query).all())]


def deliver(db, **kw):
    return sender.run_once(db, get_settings(), **kw)


def calendar_of(mail) -> Calendar:
    """The mail's calendar files (one VCALENDAR with one UID each, as iTIP asks) as one calendar:
    their entries, and their METHOD when they share it."""
    files = [Calendar.from_ical(p.get_content()) for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert files and all(len({str(v["uid"]) for v in f.walk("VEVENT")}) == 1 for f in files)
    together = Calendar()
    methods = {str(f["method"]) for f in files}
    if len(methods) == 1:
        together.add("method", methods.pop())
    for f in files:
        for ve in f.walk("VEVENT"):
            together.add_component(ve)
    return together


def test_every_change_to_someones_plans_queues_a_message(db, create_event):
    ev = create_event(capacity_jobseekers=1)
    first = db.write(registration.register_jobseeker, ev.id, person(email="anna@example.nl"))
    db.write(registration.register_jobseeker, ev.id, person(email="bram@example.nl"), lang="en")
    assert kinds(db) == [("signup_confirmed", "anna@example.nl"), ("signup_waitlisted", "bram@example.nl")]
    db.write(registration.cancel_by_code, first.code)  # Anna cancels: Bram gets her place
    # Anna's confirmation, not sent yet, is no longer true: only her cancellation goes out.
    assert kinds(db) == [("signup_waitlisted", "bram@example.nl"), ("cancelled", "anna@example.nl"),
                         ("promoted", "bram@example.nl")]
    assert db.read(lambda s: s.exec(select(Message.lang).where(Message.kind == "promoted")).one()) == "en"
    data = {k: getattr(ev, k) for k in ("kind", "title", "capacity_jobseekers", "capacity_employers", "status",
                                        "venue_name", "address", "city")}
    db.write(event_changes.update_event, ev.id, data | {"starts_at": to_local(ev.starts_at) + timedelta(hours=1),
                                                 "ends_at": to_local(ev.ends_at) + timedelta(hours=1)})
    assert kinds(db)[3:] == [("event_changed", "bram@example.nl")]  # Anna cancelled: not told
    db.write(event_changes.update_event, ev.id, data | {"starts_at": to_local(ev.starts_at) + timedelta(hours=1),
                                                 "ends_at": to_local(ev.ends_at) + timedelta(hours=1),
                                                 "title": "Nieuwe titel"})
    assert len(kinds(db)) == 4  # a new title moves nobody's plans
    db.write(event_changes.set_status, ev.id, "cancelled")
    assert kinds(db)[4:] == [("event_cancelled", "bram@example.nl")]


def test_a_change_that_fails_queues_nothing(db, create_event):
    ev = create_event(capacity_jobseekers=1, registration_deadline=utcnow() - timedelta(hours=1))
    with pytest.raises(DomainError):
        db.write(registration.register_jobseeker, ev.id, person(email="laat@example.nl"))
    assert kinds(db) == []


def test_walk_ins_and_people_without_an_address_get_no_mail(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    db.write(registration.add_walk_in, ev.id, person(email="deur@example.nl"))
    db.write(registration.register_jobseeker, ev.id, dict(name="Alleen Telefoon", phone="0612345678",
                                                          consent_registration=True))
    assert kinds(db) == []


def test_reminders_once_at_the_nearest_moment_and_never_after_opting_out(db, create_event):
    ev = create_event(capacity_jobseekers=5, starts_at=to_local(utcnow()) + timedelta(days=10))
    regs = [db.write(registration.register_jobseeker, ev.id, person(email=f"r{n}@example.nl"),
                     now=utcnow()).registration for n in range(3)]
    db.write(lambda s: setattr(s.get(Registration, regs[2].id), "reminders", False) or s.flush())
    base = utcnow()
    assert db.write(notify.queue_due_reminders, [7, 1], base) == 0  # 10 days ahead: nothing due yet
    week = ev.starts_at - timedelta(days=7) + timedelta(minutes=1)
    assert db.write(notify.queue_due_reminders, [7, 1], week) == 2
    assert db.write(notify.queue_due_reminders, [7, 1], week + timedelta(hours=3)) == 0  # once
    day = ev.starts_at - timedelta(days=1) + timedelta(minutes=1)
    assert db.write(notify.queue_due_reminders, [7, 1], day) == 2
    assert [k for k, _ in kinds(db)].count("reminder") == 4
    assert "r2@example.nl" not in [to for k, to in kinds(db) if k == "reminder"]
    # Someone who signs up after the week-before moment gets only the day-before reminder.
    late = create_event(capacity_jobseekers=5, starts_at=to_local(utcnow()) + timedelta(days=3))
    db.write(registration.register_jobseeker, late.id, person(email="laat@example.nl"))
    assert db.write(notify.queue_due_reminders, [7, 1], utcnow()) == 0
    assert db.write(notify.queue_due_reminders, [7, 1], late.starts_at - timedelta(hours=20)) == 1


def test_delivery_with_text_html_calendar_and_personal_link(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=1, title="Meet&Greet <Oss>", accessibility_notes="Rolstoeltoegankelijk")
    db.write(registration.register_jobseeker, ev.id, person(name="Zoë de Vries", email="zoe@example.nl"))
    db.write(registration.register_jobseeker, ev.id, person(name="Wachtende", email="wacht@example.nl"), lang="en")
    result = deliver(db)
    assert (result.sent, result.retry, result.failed) == (2, 0, 0)
    [mail] = smtp.by_to("zoe@example.nl")
    assert mail["Subject"] == "U bent aangemeld: Meet&Greet <Oss>"
    assert mail["From"] == "Werkgeversservicepunt Oss <noreply@wsp-oss.example>"
    stored = db.read(lambda s: s.exec(select(Message).where(Message.to_address == "zoe@example.nl")).one())
    assert mail["Message-ID"] == stored.message_id and stored.status == "sent" and stored.sent_at is not None
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Beste Zoë de Vries," in text and "Rolstoeltoegankelijk" in text and "Markt 1" in text
    assert links.PLACEHOLDER not in text + html and "&lt;Oss&gt;" in html and 'lang="nl"' in html
    link = next(line for line in text.splitlines() if line.startswith("https://events.example/mijn-aanmelding?t="))
    token = link.split("t=", 1)[1]
    assert f'href="{link}"' in html
    # Only the token's hash is kept; the link opens this registration and no other.
    hashes = db.read(lambda s: s.exec(select(PersonalLink.token_hash)).all())
    assert token not in str(hashes) and len(hashes) == 2
    assert db.read(personal_link.open_link, token).person.email == "zoe@example.nl"
    cal = calendar_of(mail)
    [ve] = cal.walk("VEVENT")
    assert str(ve["uid"]) == ev.uid and str(ve["status"]) == "CONFIRMED" and ve.walk("VALARM")
    assert str(ve["organizer"]) == "mailto:noreply@wsp-oss.example"
    # The one on the waiting list: in English, and never a CONFIRMED calendar entry.
    [waiting] = smtp.by_to("wacht@example.nl")
    assert waiting["Subject"].startswith("You are on the waiting list")
    assert str(calendar_of(waiting).walk("VEVENT")[0]["status"]) == "TENTATIVE"
    assert calendar_of(waiting).walk("VALARM") == []  # no day-before alarm for a place one does not have
    # The language of each mail, as received (set_content() dropped it when it was set first), and
    # the calendar part's charset.
    assert (mail["Content-Language"], waiting["Content-Language"]) == ("nl", "en")
    assert [p.get_content_charset() for p in mail.walk() if p.get_content_type() == "text/calendar"] == ["utf-8"]


def test_cancellations_update_the_same_calendar_entry(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=3)
    signup = db.write(registration.register_jobseeker, ev.id, person(email="weg@example.nl"))
    deliver(db)
    db.write(registration.cancel_by_code, signup.code)
    deliver(db)
    confirmed, cancelled = [calendar_of(m) for m in smtp.by_to("weg@example.nl")]
    first, last = confirmed.walk("VEVENT")[0], cancelled.walk("VEVENT")[0]
    assert str(cancelled["method"]) == "CANCEL" and str(last["status"]) == "CANCELLED" and "organizer" in last
    assert str(first["uid"]) == str(last["uid"]) and int(last["sequence"]) > int(first["sequence"])


def test_a_refusing_server_is_tried_again_later_and_a_wrong_address_fails_with_its_reason(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=3)
    db.write(registration.register_jobseeker, ev.id, person(email="later@example.nl"))
    db.write(registration.register_jobseeker, ev.id, person(email="bestaatniet@example.nl"))
    smtp.refuse_next = 1
    smtp.unknown.add("bestaatniet@example.nl")
    result = deliver(db)
    assert (result.sent, result.retry, result.failed) == (0, 1, 1)
    later, wrong = db.read(lambda s: s.exec(select(Message).order_by(Message.id)).all())
    assert later.status == "queued" and later.next_attempt_at > utcnow() and "451" in later.last_error
    assert wrong.status == "failed" and wrong.last_error.startswith("550")
    assert deliver(db).sent == 0  # its time has not come yet
    assert deliver(db, now=later.next_attempt_at + timedelta(seconds=1)).sent == 1
    assert len(smtp.by_to("later@example.nl")) == 1
    # Staff send the failed one again once the address is fixed on the server's side.
    smtp.unknown.clear()
    db.write(sender.resend, wrong.id)
    assert deliver(db).sent == 1 and len(smtp.by_to("bestaatniet@example.nl")) == 1


def test_a_server_that_is_down_loses_nothing(db, create_event, monkeypatch):
    ev = create_event(capacity_jobseekers=3)
    db.write(registration.register_jobseeker, ev.id, person(email="wacht.even@example.nl"))
    monkeypatch.setenv("EVENTTOOL_SMTP_URL", "smtp://127.0.0.1:9")  # nothing listens there
    get_settings.cache_clear()
    assert deliver(db).retry == 1
    [msg] = db.read(lambda s: s.exec(select(Message)).all())
    assert msg.status == "queued" and msg.attempts == 1


def plan_and_publish(db, ev, **settings) -> None:
    """Settings (one conversation each, rounds from the start unless told), a plan, published."""
    values = dict(rounds=3, round_minutes=10, break_minutes=5, first_round_at=to_local(ev.starts_at), max_meetings=1,
                  coverage_bonus=5)
    db.write(speedmeet.save_settings, ev.id, values | settings)
    db.write(speedmeet.run_planner, ev.id)
    db.write(speedmeet.publish, ev.id)


def test_speedmeet_schedules_for_both_sides_without_health_data(db, create_event, smtp):
    ev = create_event(kind="speedmeet", capacity_jobseekers=10, capacity_employers=3, accessibility_notes="")
    emp = db.write(registration.register_employer, ev.id, company(organisation="Bakkerij Brood",
                                                                  email="hr@brood.example")).registration
    for n in range(3):
        db.write(registration.register_jobseeker, ev.id, person(n, email=f"s{n}@example.nl", support_needs=["wheelchair"],
                                                                target_group="wajong", consent_special=True),
                 picks=[emp.employer_id])
    plan_and_publish(db, ev)
    deliver(db)
    schedule = [m for m in smtp.by_to("hr@brood.example") if m["Subject"].startswith("Uw rooster")]
    assert len(schedule) == 1
    text = schedule[0].get_body(("plain",)).get_content()
    assert "Werkzoekende 0" in text and "rolstoel" not in text.casefold() and "wajong" not in text.casefold()
    assert len(calendar_of(schedule[0]).walk("VEVENT")) == 3  # one entry per conversation
    mine_ = [m for m in smtp.by_to("s0@example.nl") if m["Subject"].startswith("Uw rooster")]
    assert "Bakkerij Brood" in mine_[0].get_body(("plain",)).get_content()


def test_the_personal_link_cancels_switches_reminders_and_confirms_a_typed_change(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=3)
    db.write(registration.register_jobseeker, ev.id, person(name="Echte Naam", email="eigen@example.nl"))
    # Someone (perhaps the person, perhaps not) signs up again and types another phone number: that
    # sign-up created nothing, so it proposes nothing either (a stranger's number is never one tap
    # away from the person's record). The person corrects their own details through the link.
    db.write(registration.register_jobseeker, ev.id, person(name="Echte Naam", email="eigen@example.nl",
                                                            phone="0687654321"))
    deliver(db)
    token = smtp.by_to("eigen@example.nl")[-1].get_body(("plain",)).get_content().split("?t=", 1)[1].split()[0]
    assert db.read(mine.view, token).proposal is None
    db.write(mine.update_contact, token, "eigen@example.nl", "0687654321")
    assert db.read(mine.view, token).opened.person.phone == "+31687654321"
    db.write(mine.set_reminders, token, False)
    assert db.read(mine.view, token).opened.registration.reminders is False
    with pytest.raises(DomainError):
        db.write(mine.update_contact, token, "geen-adres", None)
    db.write(mine.update_contact, token, "nieuw@example.nl", "")
    db.write(mine.cancel, token)
    assert db.read(mine.view, token).opened.registration.status == "cancelled"
    for bad in ("", "x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B")):
        with pytest.raises(NotFound):
            db.read(personal_link.open_link, bad)
    with pytest.raises(NotFound):  # after the event, the link no longer works
        db.read(personal_link.open_link, token, now=ev.ends_at + timedelta(minutes=1))


def test_erasure_takes_the_persons_messages_with_it(db, create_event):
    ev = create_event(capacity_jobseekers=3)
    signup = db.write(registration.register_jobseeker, ev.id, person(email="vergeet@example.nl"))
    db.write(registration.register_jobseeker, ev.id, person(email="blijft@example.nl"))
    db.write(privacy.erase_person, signup.registration.jobseeker_id)
    assert "vergeet@example.nl" not in [to for _, to in kinds(db)] and ("signup_confirmed", "blijft@example.nl") in kinds(db)


def test_a_jobcoach_named_at_sign_up_gets_a_copy_but_never_on_a_strangers_word(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=5)
    # A new person names their coach: the coach gets the same message, addressed to them.
    db.write(registration.register_jobseeker, ev.id, person(name="Nieuw Iemand", email="nieuw@example.nl",
                                                            coach_name="Coach Carla", coach_email="carla@coach.example"))
    # Someone types a known person's address and their own as 'coach': no copy until the owner confirms.
    known = create_event(capacity_jobseekers=5)
    db.write(registration.register_jobseeker, known.id, person(name="Bekend", email="bekend@example.nl"),
             source=registration.RegSource.ORGANISER)
    other = create_event(capacity_jobseekers=5, title="Andere activiteit")
    db.write(registration.register_jobseeker, other.id, person(name="Vreemde", email="bekend@example.nl",
                                                               coach_name="Meelezer", coach_email="spion@example.nl"))
    deliver(db)
    [copy] = smtp.by_to("carla@coach.example")
    assert copy["Subject"] == "Nieuw Iemand is aangemeld: Meet&Greet"  # the copy names the client
    assert "Beste Coach Carla," in copy.get_body(("plain",)).get_content()
    assert "jobcoach van Nieuw Iemand" in copy.get_body(("plain",)).get_content()
    assert smtp.by_to("spion@example.nl") == []
    mails = [m for m in smtp.by_to("bekend@example.nl") if "Andere activiteit" in m["Subject"]]
    token = mails[0].get_body(("plain",)).get_content().split("?t=", 1)[1].split()[0]
    db.write(mine.confirm_coach, token)  # the owner of the address says yes
    reg_id = db.read(mine.view, token).opened.registration.id
    db.write(lambda s: notify.about_registration(s, s.get(Registration, reg_id), "reminder"))
    deliver(db)
    assert len(smtp.by_to("spion@example.nl")) == 1


def test_support_needs_change_through_the_link_only_with_consent(db, create_event):
    from eventtool.people.models import Consent, Jobseeker
    ev = create_event(capacity_jobseekers=3)
    signup = db.write(registration.register_jobseeker, ev.id, person(email="steun@example.nl"))
    token = db.write(links.mint, signup.registration.id, ev.ends_at)
    with pytest.raises(ValidationFailed) as refused:  # the sign-up form's own rule
        db.write(mine.update_support, token, ["quiet_space"], False)
    assert "consent_special" in refused.value.errors
    db.write(mine.update_support, token, ["quiet_space", "wheelchair"], True)
    jid = signup.registration.jobseeker_id
    assert db.read(lambda s: s.get(Jobseeker, jid).support_needs) == ["quiet_space", "wheelchair"]
    assert db.read(lambda s: s.exec(select(Consent.scope).where(Consent.jobseeker_id == jid)).all()).count(
        "special_category") == 1
    db.write(mine.update_support, token, [], False)
    assert db.read(lambda s: s.get(Jobseeker, jid).support_needs) == []


def test_a_server_that_closes_the_connection_leaves_the_rest_for_later(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=5)
    for n in range(3):
        db.write(registration.register_jobseeker, ev.id, person(n, email=f"dicht{n}@example.nl"))
    smtp.closing = True
    result = deliver(db)
    assert (result.sent, result.retry, result.failed) == (0, 3, 0)
    # All three wait for their next try (none is left 'sending' until a claim runs out).
    assert {(m.status, m.attempts) for m in db.read(lambda s: s.exec(select(Message)).all())} == {("queued", 1)}
    smtp.closing = False
    later = max(m.next_attempt_at for m in db.read(lambda s: s.exec(select(Message)).all()))
    assert deliver(db, now=later + timedelta(seconds=1)).sent == 3


def test_publishing_again_tells_only_those_whose_schedule_changed(db, create_event, smtp):
    """Publishing an unchanged plan again sends nothing. After a hand edit, only the people whose
    conversations moved hear of it, with the same calendar entries at a higher SEQUENCE; someone
    whose conversations were all taken off is told so, and their entries are cancelled."""
    from eventtool.events import calendars
    from eventtool.people.models import Jobseeker
    from eventtool.events.models import Meeting
    ev = create_event(kind="speedmeet", capacity_jobseekers=10, capacity_employers=3)
    emp = db.write(registration.register_employer, ev.id, company(organisation="Bakkerij Brood", email="hr@brood.example",
                                                                  recruiters=1)).registration
    for n in range(3):
        db.write(registration.register_jobseeker, ev.id, person(n, email=f"s{n}@example.nl"), picks=[emp.employer_id])
    plan_and_publish(db, ev, rounds=4)
    deliver(db)
    first = {a: calendar_of(m) for m in smtp.messages for a in [m["To"].addresses[0].addr_spec]
             if m["Subject"].startswith("Uw rooster")}
    assert set(first) == {"hr@brood.example", "s0@example.nl", "s1@example.nl", "s2@example.nl"}
    count = len(smtp.messages)

    db.write(speedmeet.publish, ev.id)  # nothing changed
    assert deliver(db).sent == 0 and len(smtp.messages) == count

    meetings = {m.jobseeker_id: m for m in db.read(lambda s: s.exec(select(Meeting).where(Meeting.event_id == ev.id)).all())}
    by_mail = {j.email: j.id for j in db.read(lambda s: s.exec(select(Jobseeker)).all())}
    moved, dropped = meetings[by_mail["s0@example.nl"]], meetings[by_mail["s1@example.nl"]]
    free_round = ({0, 1, 2, 3} - {m.round for m in meetings.values()}).pop()
    db.write(speedmeet.move_meeting, moved.id, free_round)
    # (a hand edit stores the plan again, so the meeting to remove is looked up again)
    dropped = db.read(lambda s: s.exec(select(Meeting).where(Meeting.event_id == ev.id,
                                                             Meeting.jobseeker_id == dropped.jobseeker_id)).one())
    db.write(speedmeet.remove_meeting, dropped.id)
    db.write(speedmeet.publish, ev.id)
    deliver(db)
    new = smtp.messages[count:]
    assert sorted((m["To"].addresses[0].addr_spec, m["Subject"].split(":")[0]) for m in new) == [
        ("hr@brood.example", "Uw rooster is gewijzigd"), ("s0@example.nl", "Uw rooster is gewijzigd"),
        ("s1@example.nl", "Geen gesprekken meer voor u")]  # s2 hears nothing: nothing changed for them
    uid = lambda cal: {str(v["uid"]): v for v in cal.walk("VEVENT")}  # noqa: E731
    before, after = uid(first["s0@example.nl"]), uid(calendar_of(next(m for m in new if "s0@" in str(m["To"]))))
    assert set(after) == set(before)  # the same entry, moved
    [key] = after
    assert int(after[key]["sequence"]) > int(before[key]["sequence"])
    assert after[key].decoded("dtstart") != before[key].decoded("dtstart")
    gone = calendar_of(next(m for m in new if "s1@" in str(m["To"])))
    assert str(gone["method"]) == "CANCEL"
    [entry] = gone.walk("VEVENT")
    assert set(uid(first["s1@example.nl"])) == {str(entry["uid"])} and str(entry["status"]) == "CANCELLED"
    assert int(entry["sequence"]) > int(next(iter(uid(first["s1@example.nl"]).values()))["sequence"])
    employer = uid(calendar_of(next(m for m in new if "brood" in str(m["To"]))))
    assert {str(v["status"]) for v in employer.values()} == {"CONFIRMED", "CANCELLED"}  # s1's talk is off
    # A download of the schedule afterwards carries the same SEQUENCE as the last mail.
    download = Calendar.from_ical(db.read(calendars.personal_ics, ev.id, jobseeker_id=by_mail["s0@example.nl"]))
    assert [int(v["sequence"]) for v in download.walk("VEVENT")] == [int(after[key]["sequence"])]


def test_a_speedmeet_that_moves_takes_its_rounds_and_everyones_calendar_along(db, create_event, smtp):
    """The event moves a day: the rounds move with it (the same time after the start), and each
    person with a published schedule hears of the event's move and gets their new schedule, whose
    calendar entries are the same conversations a day later at a higher SEQUENCE. New round times
    saved on a published plan reach people too; saving the same again sends nothing."""
    from eventtool.events.models import SpeedmeetSettings
    ev = create_event(kind="speedmeet", capacity_jobseekers=10, capacity_employers=3)
    emp = db.write(registration.register_employer, ev.id, company(organisation="Bakkerij Brood",
                                                                  email="hr@brood.example")).registration
    db.write(registration.register_jobseeker, ev.id, person(0, email="s0@example.nl"), picks=[emp.employer_id])
    plan_and_publish(db, ev, rounds=2, first_round_at=to_local(ev.starts_at) + timedelta(minutes=30))
    deliver(db)
    first = calendar_of(next(m for m in smtp.by_to("s0@example.nl") if m["Subject"].startswith("Uw rooster")))
    [before] = first.walk("VEVENT")
    count = len(smtp.messages)

    from eventtool.events.models import EventIn
    later = {field: getattr(ev, field) for field in EventIn.model_fields if hasattr(ev, field)}
    later.update(starts_at=to_local(ev.starts_at) + timedelta(days=1), ends_at=to_local(ev.ends_at) + timedelta(days=1))
    db.write(event_changes.update_event, ev.id, later)
    settings = db.read(lambda s: s.get(SpeedmeetSettings, ev.id))
    assert settings.first_round_at == ev.starts_at + timedelta(days=1, minutes=30)  # still 30 minutes after the start
    deliver(db)
    new = smtp.messages[count:]
    mine = [m["Subject"].split(":")[0] for m in new if m["To"].addresses[0].addr_spec == "s0@example.nl"]
    assert sorted(mine) == ["Gewijzigd", "Uw rooster is gewijzigd"]
    [after] = calendar_of(next(m for m in new if m["Subject"].startswith("Uw rooster is gewijzigd")
                               and "s0@" in str(m["To"]))).walk("VEVENT")
    assert str(after["uid"]) == str(before["uid"]) and int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") - before.decoded("dtstart") == timedelta(days=1)

    count = len(smtp.messages)
    same = dict(rounds=2, round_minutes=10, break_minutes=5, first_round_at=to_local(settings.first_round_at),
                max_meetings=1, coverage_bonus=5)
    db.write(speedmeet.save_settings, ev.id, same)
    assert deliver(db).sent == 0  # nothing changed for anyone
    db.write(speedmeet.save_settings, ev.id, dict(same, first_round_at=to_local(settings.first_round_at) + timedelta(minutes=10)))
    deliver(db)
    assert sorted(m["To"].addresses[0].addr_spec for m in smtp.messages[count:]) == ["hr@brood.example", "s0@example.nl"]


def test_a_cancelled_speedmeet_takes_the_conversations_out_of_calendars_too(db, create_event, smtp):
    """'Gaat niet door' cancels the event's own calendar entry and, for people who had their
    schedule, each conversation's entry: the same UIDs, STATUS:CANCELLED, a higher SEQUENCE."""
    ev = create_event(kind="speedmeet", capacity_jobseekers=10, capacity_employers=3)
    emp = db.write(registration.register_employer, ev.id, company(email="hr@brood.example")).registration
    db.write(registration.register_jobseeker, ev.id, person(0, email="s0@example.nl"), picks=[emp.employer_id])
    plan_and_publish(db, ev, rounds=2)
    db.write(registration.register_jobseeker, ev.id, person(1, email="s1@example.nl"))  # after it: no schedule
    deliver(db)
    [talk] = calendar_of(next(m for m in smtp.by_to("s0@example.nl") if m["Subject"].startswith("Uw rooster"))).walk("VEVENT")
    db.write(event_changes.set_status, ev.id, "cancelled")
    deliver(db)
    off = calendar_of(next(m for m in smtp.by_to("s0@example.nl") if m["Subject"].startswith("Gaat niet door")))
    assert str(off["method"]) == "CANCEL"
    entries = {str(v["uid"]): v for v in off.walk("VEVENT")}
    assert len(entries) == 2 and all(str(v["status"]) == "CANCELLED" for v in entries.values())
    assert int(entries[str(talk["uid"])]["sequence"]) > int(talk["sequence"])
    assert entries[str(talk["uid"])].decoded("dtstart") == talk.decoded("dtstart")
    only_own = calendar_of(next(m for m in smtp.by_to("s1@example.nl") if m["Subject"].startswith("Gaat niet door")))
    assert len(only_own.walk("VEVENT")) == 1  # no schedule, nothing else to take out


def test_switching_reminders_off_on_the_personal_page_withdraws_a_queued_one(db, create_event):
    """A reminder already in the outbox when the person switches reminders off on 'mijn aanmelding'
    does not go out (the one-click unsubscribe did this; the page left it queued). Found while
    writing the lifecycle test's reminder rules (which, with 60 examples, had not run into it)."""
    ev = create_event(capacity_jobseekers=5, starts_at=to_local(utcnow()) + timedelta(days=10))
    regs = [db.write(registration.register_jobseeker, ev.id, person(email=f"h{n}@example.nl"),
                     now=utcnow()).registration for n in range(2)]
    assert db.write(notify.queue_due_reminders, [1], ev.starts_at - timedelta(hours=23)) == 2
    db.write(mine.set_reminders, db.write(links.mint, regs[0].id, ev.ends_at), False)
    waiting = db.read(lambda s: s.exec(select(Message.registration_id).where(
        Message.kind == "reminder", Message.status == "queued")).all())
    assert waiting == [regs[1].id]
