import csv
import io
import json
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from eventtool.events import calendars
from eventtool.results import charts, outcomes
from eventtool.dayof import checkin
from eventtool.privacy import privacy
from eventtool.registration import registration
from eventtool.core.errors import DomainError
from eventtool.messages import outbox
from eventtool.messages.models import Message
from eventtool.people.models import Consent, Jobseeker
from eventtool.results.models import Outcome
from eventtool.registration import coaches
from eventtool.core.timeutil import fmt_local, utcnow

from ..conftest import company, person
from ..registration.test_coaches import make_coach
from eventtool import sender

SECRET = "uniek.adres.7f3a9@example.nl"


def test_export_contains_everything_we_hold(db, create_event):
    ev = create_event()
    signup = db.write(registration.register_jobseeker, ev.id,
                      person(email=SECRET, support_needs=["quiet_space"], consent_special=True, pitch="=1+1"))
    jid = signup.registration.jobseeker_id
    data = json.loads(db.read(privacy.export_json, jid))
    assert data["profile"]["email"] == SECRET and data["profile"]["support_needs"] == ["quiet_space"]
    assert {c["scope"] for c in data["consents"]} == {"registration", "special_category"}
    assert data["registrations"][0]["status"] == "confirmed"
    csv_text = db.read(privacy.export_csv, jid).decode("utf-8-sig")
    assert SECRET in csv_text and "'=1+1" in csv_text
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))  # Dutch: what Dutch Excel splits on
    assert rows[0] == ["Onderdeel", "Nr", "Veld", "Waarde"] and rows[1][0] == "Profiel"
    registered = next(r[3] for r in rows if r[2] == "registered_at")
    assert registered == fmt_local(signup.registration.created_at)  # local time, as people read it
    english = list(csv.reader(io.StringIO(db.read(privacy.export_csv, jid, "en").decode("utf-8-sig"))))
    assert english[0] == ["Section", "No", "Field", "Value"] and english[1][0] == "Profile"


def test_withdrawing_consent_is_one_step_with_the_code(db, create_event):
    ev = create_event()
    signup = db.write(registration.register_jobseeker, ev.id,
                      person(support_needs=["wheelchair"], target_group="wajong", consent_special=True))
    db.write(privacy.withdraw_special_consent, signup.code)
    js = db.read(lambda s: s.get(Jobseeker, signup.registration.jobseeker_id))
    assert js.support_needs == [] and js.target_group is None
    special = db.read(lambda s: s.exec(select(Consent).where(Consent.scope == "special_category")).one())
    assert special.withdrawn_at is not None


def test_erasure_keeps_counts_and_frees_the_seat(db, create_event):
    ev = create_event(capacity_jobseekers=1)
    first = db.write(registration.register_jobseeker, ev.id, person(email=SECRET))
    db.write(registration.register_jobseeker, ev.id, person())
    db.write(privacy.erase_person, first.registration.jobseeker_id)
    js = db.read(lambda s: s.get(Jobseeker, first.registration.jobseeker_id))
    assert (js.name, js.email, js.phone, js.pitch) == (privacy.ERASED_NAME, None, None, "")
    statuses = sorted(r["status"] for r in db.read(registration.registrations_table, ev.id))
    assert statuses == ["cancelled", "confirmed"]
    assert db.read(lambda s: s.exec(select(Consent).where(Consent.jobseeker_id == js.id)).all()) == []


def test_erased_data_is_not_left_in_the_database_file(sqlite_db, create_event):
    ev = create_event(sqlite_db)
    signup = sqlite_db.write(registration.register_jobseeker, ev.id, person(email=SECRET, name="Geheime Naam Xq"))
    path = sqlite_db.engine.url.database
    sqlite_db.write(privacy.erase_person, signup.registration.jobseeker_id)
    privacy.scrub_file(sqlite_db)
    sqlite_db.dispose()
    raw = open(path, "rb").read() + (open(path + "-wal", "rb").read() if __import__("os").path.exists(path + "-wal") else b"")
    assert SECRET.encode() not in raw and b"Geheime Naam Xq" not in raw


def test_purge_after_retention_keeps_outcome_counts(db, create_event):
    old = create_event(starts_at=utcnow() - timedelta(days=800), capacity_jobseekers=20)
    recent = create_event(starts_at=utcnow() - timedelta(days=10))
    ids = []
    for n in range(6):
        reg = db.write(registration.register_jobseeker, old.id, person(n), source=registration.RegSource.ORGANISER).registration
        db.write(checkin.check_in, reg.id)
        db.write(outcomes.record_outcome, dict(jobseeker_id=reg.jobseeker_id, event_id=old.id, kind="job",
                                               occurred_on=old.starts_at + timedelta(days=20)), "t")
        ids.append(reg.jobseeker_id)
    db.write(registration.register_jobseeker, recent.id, person(50), source=registration.RegSource.ORGANISER)
    before = charts.summary(db.read(charts.load))
    assert db.write(privacy.purge_expired, 730) == 6
    assert db.write(privacy.purge_expired, 730) == 0
    names = db.read(lambda s: [j.name for j in s.exec(select(Jobseeker).order_by(Jobseeker.id))])
    assert names.count(privacy.ERASED_NAME) == 6 and "Werkzoekende 50" in names
    assert charts.summary(db.read(charts.load)) == before
    assert len(db.read(lambda s: s.exec(select(Outcome)).all())) == 6
    with pytest.raises(DomainError, match="privacy.retention_too_short"):
        db.write(privacy.purge_expired, 5)


def test_purged_data_is_not_left_in_the_database_file(sqlite_db, create_event):
    old = create_event(sqlite_db, starts_at=utcnow() - timedelta(days=800))
    sqlite_db.write(registration.register_jobseeker, old.id, person(email=SECRET, name="Oude Naam Zq"),
                    source=registration.RegSource.ORGANISER)
    assert sqlite_db.write(privacy.purge_expired, 730) == 1
    privacy.scrub_file(sqlite_db)
    path = sqlite_db.engine.url.database
    sqlite_db.dispose()
    raw = open(path, "rb").read()
    assert SECRET.encode() not in raw and b"Oude Naam Zq" not in raw


def _file_bytes(path: str) -> bytes:
    import os
    return b"".join(open(p, "rb").read() for p in (path, path + "-wal") if os.path.exists(p))


def test_erasure_leaves_no_bytes_behind_while_another_connection_reads(sqlite_db, create_event):
    """A page rerun that is reading while staff erase someone holds an old snapshot: the scrub
    waits for it to end instead of leaving the erased values in the file and the WAL."""
    import sqlite3
    import threading
    ev = create_event(sqlite_db)
    signup = sqlite_db.write(registration.register_jobseeker, ev.id, person(email=SECRET, name="Lezer Naam Kw"))
    path = sqlite_db.engine.url.database
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM jobseeker WHERE email = ?", (SECRET,)).fetchone() == (1,)
    sqlite_db.write(privacy.erase_person, signup.registration.jobseeker_id)
    threading.Timer(1.0, lambda: (reader.execute("COMMIT"), reader.close())).start()
    assert privacy.scrub_file(sqlite_db) is True
    sqlite_db.dispose()
    raw = _file_bytes(path)
    assert SECRET.encode() not in raw and b"Lezer Naam Kw" not in raw


def test_scrub_reports_when_a_reader_never_lets_go(sqlite_db, create_event):
    import sqlite3
    ev = create_event(sqlite_db)
    signup = sqlite_db.write(registration.register_jobseeker, ev.id, person(email=SECRET))
    reader = sqlite3.connect(sqlite_db.engine.url.database, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM jobseeker").fetchone()
    sqlite_db.write(privacy.erase_person, signup.registration.jobseeker_id)
    assert privacy.scrub_file(sqlite_db, wait_seconds=1) is False  # told, not silently left behind
    reader.execute("COMMIT")
    reader.close()
    assert privacy.scrub_file(sqlite_db) is True


def test_export_holds_no_shows_picks_meetings_and_outcome_employers(db, create_event):
    from eventtool.events.models import Meeting
    from eventtool.registration.models import Registration
    ev = create_event(kind="speedmeet", title="Speedmeet", capacity_jobseekers=5, capacity_employers=5)
    bakery = db.write(registration.register_employer, ev.id, company(organisation="Bakkerij Brood"))
    garden = db.write(registration.register_employer, ev.id, company(organisation="Hovenier Groen"))
    signup = db.write(registration.register_jobseeker, ev.id, person(email=SECRET), picks=[garden.registration.employer_id])
    jid = signup.registration.jobseeker_id

    def after_the_event(s):
        reg = s.get(Registration, signup.registration.id)
        reg.no_show = True
        s.add(Meeting(event_id=ev.id, jobseeker_id=jid, employer_id=bakery.registration.employer_id, round=1, table_no=2))
        s.flush()
    db.write(after_the_event)
    db.write(outcomes.record_outcome, dict(jobseeker_id=jid, event_id=ev.id, kind="job", employer_id=garden.registration.employer_id,
                                           occurred_on=utcnow()), "t")
    data = json.loads(db.read(privacy.export_json, jid))
    [reg] = data["registrations"]
    assert reg["no_show"] is True and reg["picks"] == ["Hovenier Groen"]
    assert data["meetings"] == [{"event": "Speedmeet", "employer": "Bakkerij Brood", "round": 2, "table": 2,
                                 "locked": False}]
    assert data["outcomes"][0]["employer"] == "Hovenier Groen" and data["outcomes"][0]["source"] == "organiser"


def test_employer_contact_persons_are_purged_after_retention(db, create_event):
    from eventtool.people.models import Employer
    old = create_event(starts_at=utcnow() - timedelta(days=800), capacity_employers=5)
    recent = create_event(starts_at=utcnow() - timedelta(days=10), capacity_employers=5)
    staff = dict(source=registration.RegSource.ORGANISER)
    gone = db.write(registration.register_employer, old.id, company(organisation="Oud Bedrijf", contact_name="Piet Oud",
                                                                    email="piet@oud.nl", phone="0612345678"), **staff)
    kept = db.write(registration.register_employer, old.id, company(organisation="Vast Bedrijf", contact_name="Els Vast"),
                    **staff)
    db.write(registration.register_employer, recent.id, company(organisation="Vast Bedrijf", contact_name="Els Vast"),
             **staff)
    assert db.write(privacy.purge_expired, 730) == 1
    purged, still = db.read(lambda s: (s.get(Employer, gone.registration.employer_id), s.get(Employer, kept.registration.employer_id)))
    # The organisation stays (SROI counts name it); the person who was its contact does not.
    assert (purged.organisation, purged.contact_name, purged.email, purged.phone) == \
        ("Oud Bedrijf", privacy.ERASED_NAME, None, None)
    assert still.contact_name == "Els Vast"
    assert db.write(privacy.purge_expired, 730) == 0


def test_employer_accounts_not_used_within_retention_are_purged_with_their_contact(db, create_event):
    from eventtool.people import employer_accounts
    from eventtool.people.models import LoginLink, User
    old = create_event(starts_at=utcnow() - timedelta(days=800), capacity_employers=5)
    staff = dict(source=registration.RegSource.ORGANISER)
    gone = db.write(registration.register_employer, old.id, company(organisation="Oud Bedrijf"), **staff)
    kept = db.write(registration.register_employer, old.id, company(organisation="Vast Bedrijf"), **staff)
    long_ago = utcnow() - timedelta(days=800)
    stale = db.write(employer_accounts.invite, gone.registration.employer_id, "piet@oud.nl", "Piet", "o@example.org",
                     now=long_ago)
    active = db.write(employer_accounts.invite, kept.registration.employer_id, "els@vast.nl", "Els", "o@example.org",
                      now=long_ago)

    def made_long_ago(s):
        for user_id in (stale.id, active.id):
            s.get(User, user_id).created_at = long_ago
        s.get(User, active.id).last_login_at = utcnow() - timedelta(days=5)  # signed in lately
    db.write(made_long_ago)
    assert db.write(privacy.purge_expired, 730) == 2
    users = db.read(lambda s: s.exec(select(User.email).where(User.role == "employer")).all())
    assert users == ["els@vast.nl"]
    assert db.read(lambda s: s.exec(select(LoginLink.user_id)).all()) == [active.id]


def test_the_audit_log_keeps_record_ids_not_what_was_uploaded(db, create_event):
    from eventtool.core import audit
    from eventtool.core.models import AuditEntry
    ev = create_event(starts_at=utcnow() - timedelta(days=3))
    signup = db.write(registration.register_jobseeker, ev.id, person(email=SECRET),
                      source=registration.RegSource.ORGANISER)
    upload = f"email;outcome;date\n{SECRET};job;01-11-2026\n".encode()
    db.write(audit.audited("staff@example.nl", "outcomes.import_outcomes"), outcomes.import_outcomes, upload,
             "uitslag.csv", "staff@example.nl")
    db.write(audit.audited("staff@example.nl", "privacy.erase_person"), privacy.erase_person,
             signup.registration.jobseeker_id)
    logged = db.read(lambda s: [(e.subject, e.detail) for e in s.exec(select(AuditEntry).order_by(AuditEntry.id))])
    assert logged == [("", ""), (str(signup.registration.jobseeker_id), "")]


def _links_of(db, registration_ids) -> list:
    from eventtool.messages.models import PersonalLink
    return db.read(lambda s: s.exec(select(PersonalLink).where(PersonalLink.registration_id.in_(registration_ids))).all())


def test_erasure_ends_every_link_and_code_of_the_person(db, create_event):
    from eventtool.core.errors import NotFound
    from eventtool.messages import links
    from eventtool.registration import mine
    past = create_event(starts_at=utcnow() - timedelta(days=20))
    coming, other = create_event(), create_event(title="Nog een")
    old = db.write(registration.register_jobseeker, past.id, person(email=SECRET), source=registration.RegSource.ORGANISER)
    signup = db.write(registration.register_jobseeker, coming.id, person(email=SECRET))
    cancelled = db.write(registration.register_jobseeker, other.id, person(email=SECRET))
    db.write(registration.cancel_by_code, cancelled.code)
    kept = db.write(registration.register_jobseeker, coming.id, person())  # someone else's stays
    tokens = [db.write(links.mint, s.registration.id, coming.ends_at) for s in (signup, signup, cancelled)]
    kept_token = db.write(links.mint, kept.registration.id, coming.ends_at)
    mine_ids = [s.registration.id for s in (old, signup, cancelled)]
    db.write(privacy.erase_person, signup.registration.jobseeker_id)
    assert _links_of(db, mine_ids) == []
    for token in tokens:
        with pytest.raises(NotFound, match="mine.link_unknown"):
            db.read(mine.view, token)
    for code in (old.code, signup.code, cancelled.code):
        with pytest.raises(NotFound):
            db.read(registration.find_by_code, code)
    assert db.read(mine.view, kept_token).opened.registration.id == kept.registration.id
    assert db.read(registration.find_by_code, kept.code).id == kept.registration.id


def test_purge_ends_the_links_and_codes_of_people_and_employers_contacts(db, create_event):
    from eventtool.core.errors import NotFound
    from eventtool.messages import links
    old = create_event(starts_at=utcnow() - timedelta(days=800))
    staff = dict(source=registration.RegSource.ORGANISER)
    js = db.write(registration.register_jobseeker, old.id, person(), **staff)
    emp = db.write(registration.register_employer, old.id, company(), **staff)
    ids = [js.registration.id, emp.registration.id]
    for reg_id in ids:  # links made long ago: expired, but their rows still name the registration
        db.write(links.mint, reg_id, old.ends_at)
    assert len(_links_of(db, ids)) == 2
    assert db.write(privacy.purge_expired, 730) == 2
    assert _links_of(db, ids) == []
    for code in (js.code, emp.code):
        with pytest.raises(NotFound):
            db.read(registration.find_by_code, code)


def test_purge_removes_links_that_no_longer_work(db, create_event):
    """A personal, unsubscribe or survey link that has expired opens nothing any more: its row (a
    token's hash, tied to a registration or survey) goes with the next purge; a working one stays."""
    from eventtool.messages import links
    from eventtool.messages.models import PersonalLink, UnsubscribeLink
    from eventtool.results.models import Survey, SurveyLink
    ev = create_event()
    reg = db.write(registration.register_jobseeker, ev.id, person()).registration
    now = utcnow()
    past, future = now - timedelta(minutes=1), now + timedelta(days=1)

    def make(session):
        survey = Survey(key="s", event_id=ev.id, wave="1w", respondent="jobseeker", jobseeker_id=reg.jobseeker_id,
                        registration_id=reg.id, expires_at=future)
        session.add(survey)
        session.flush()
        for when in (past, future):
            links.mint(session, reg.id, when)
            links.mint_unsubscribe(session, links.REMINDERS, when, registration_id=reg.id)
            links.mint_unsubscribe(session, links.SURVEYS, when, survey_id=survey.id)
            session.add(SurveyLink(survey_id=survey.id, token_hash=f"h{when.timestamp()}", expires_at=when))
    db.write(make)
    db.write(privacy.purge_expired, 730, now)
    for model in (PersonalLink, UnsubscribeLink, SurveyLink):
        left = db.read(lambda s: s.exec(select(model.expires_at)).all())
        assert left and all(e > now for e in left), model.__name__
    assert len(db.read(lambda s: s.exec(select(UnsubscribeLink)).all())) == 2


def _coach_with_a_client_told(db, create_event, coach_email: str):
    """A coach who signed up a client; every mail about it went out."""
    coach = make_coach(db, coach_email, "Coach Carla")
    ev = create_event(title="Banenmarkt Oss")
    reg = db.write(coaches.sign_up_client, coach.id, ev.id,
                   person(name="Klaas Klant", email="klaas@example.nl", phone="0612345678")).registration

    def all_sent(session):
        for msg in session.exec(select(Message).where(Message.status == "queued")):
            outbox.mark_sent(session, msg.id)
    db.write(all_sent)
    return coach, ev, reg, all_sent


def _anonymous_cancel(db, coach_email: str, registration_id: int):
    """The one unsent mail to the coach: CANCELs of exactly their entries for the registration,
    naming nothing of Klaas and linked to nothing of his."""
    [told] = db.read(lambda s: s.exec(select(Message).where(Message.to_address == coach_email,
                                                            Message.status == "queued")).all())
    files = calendars.parts(told.ics)
    assert {calendars.method_of(f) for f in files} == {"CANCEL"}
    uids = {str(ve["UID"]) for f in files for ve in Calendar.from_ical(f).walk("VEVENT")}
    assert uids and all(uid.startswith(calendars.coach_uid(registration_id, "")) for uid in uids)
    stored = " ".join(str(v) for v in told.model_dump().values()).casefold()
    for trace in ("Klaas", "klaas@example.nl", "612345678"):
        assert trace.casefold() not in stored, trace
    assert (told.registration_id, told.jobseeker_id, told.kind) == (None, None, "coach_erased")
    return told


def test_erasing_a_former_client_still_cancels_what_the_coach_was_never_sent_off(db, create_event):
    """'No longer my client' queued the coach's CANCEL, but the client is erased before it went
    out (erasure deletes it with the person's messages): the coach gets the CANCEL without the name."""
    coach, ev, reg, _ = _coach_with_a_client_told(db, create_event, "carla@jobcoach.nl")
    db.write(coaches.end_caseload, coach.id, reg.jobseeker_id)
    db.write(privacy.erase_person, reg.jobseeker_id)
    told = _anonymous_cancel(db, "carla@jobcoach.nl", reg.id)
    assert "Banenmarkt Oss" in told.body_text


@pytest.mark.parametrize("told_by", ["no longer my client", "the cancellation"])
def test_a_coach_whose_calendar_holds_nothing_of_the_client_gets_no_erasure_mail(db, create_event, told_by):
    """The coach's entries went out of their calendar already, in a mail that went out ('no longer
    my client', or the copy of the client's cancellation): the erasure sends them nothing more. (A
    second erasure cannot: the first deletes every message linked to the person.)"""
    coach, ev, reg, all_sent = _coach_with_a_client_told(db, create_event, "carla@jobcoach.nl")
    if told_by == "no longer my client":
        db.write(coaches.end_caseload, coach.id, reg.jobseeker_id)
    else:
        db.write(registration.cancel_registration, reg.id)
    db.write(all_sent)
    to_coach = db.read(lambda s: s.exec(select(Message.status).where(Message.to_address == "carla@jobcoach.nl",
                                                                     Message.registration_id == reg.id)).all())
    assert len(to_coach) >= 2 and set(to_coach) == {"sent"}  # what put the entry there and what took it out
    db.write(privacy.erase_person, reg.jobseeker_id)
    assert db.read(lambda s: s.exec(select(Message.kind).where(Message.status != "sent")).all()) == []


def _traces_of(db, reg) -> list[str]:
    """Stored messages that still tie the erased registration (its id in a coach UID) or the person
    to anyone."""
    rows = db.read(lambda s: s.exec(select(Message)).all())
    marks = (calendars.coach_uid(reg.id, ""), f"meeting-{reg.jobseeker_id}-")
    return [m.kind for m in rows if m.registration_id == reg.id or m.jobseeker_id == reg.jobseeker_id
            or any(mark in " ".join(str(v) for v in m.model_dump().values()) for mark in marks)]


def test_the_coachs_erasure_mail_keeps_nothing_once_sent(db, create_event):
    """The anonymous CANCEL holds the registration's UIDs next to the coach's address: once it went
    out (it is in the coach's mailbox and calendar), the store keeps nothing that ties the erased
    client to the coach; until then it is there to be sent (again)."""
    coach, ev, reg, all_sent = _coach_with_a_client_told(db, create_event, "carla@jobcoach.nl")
    db.write(privacy.erase_person, reg.jobseeker_id)
    told = _anonymous_cancel(db, "carla@jobcoach.nl", reg.id)
    db.write(outbox.mark_failed, told.id, "550 no such user", permanent=True)
    db.write(sender.resend, told.id)  # a failed one can still be sent
    assert _traces_of(db, reg) == ["coach_erased"]
    db.write(all_sent)
    assert _traces_of(db, reg) == []


def test_the_purge_removes_an_erasure_mail_that_never_went_out(db, create_event):
    """A coach's anonymous CANCEL that failed for good is not kept for ever: the purge removes it
    once it is older than the retention period (a recent one stays, to be sent again)."""
    coach, ev, reg, _ = _coach_with_a_client_told(db, create_event, "carla@jobcoach.nl")
    db.write(privacy.erase_person, reg.jobseeker_id)
    told = _anonymous_cancel(db, "carla@jobcoach.nl", reg.id)
    db.write(outbox.mark_failed, told.id, "550 no such user", permanent=True)
    db.write(privacy.purge_expired, 30, now=utcnow() + timedelta(days=10))
    assert _traces_of(db, reg) == ["coach_erased"]
    db.write(privacy.purge_expired, 30, now=utcnow() + timedelta(days=31))
    assert _traces_of(db, reg) == []


@pytest.mark.parametrize("in_flight", ["the sign-up", "a cancellation"])
def test_erasure_cancels_what_a_copy_being_sent_may_or_may_not_deliver(db, create_event, in_flight):
    """A copy to the coach that a sender holds ('sending') may go out or fail after the erasure:
    the coach's anonymous CANCEL covers its entries either way (a CANCEL of an entry already
    cancelled, or never received, changes nothing in a calendar)."""
    coach = make_coach(db, "carla@jobcoach.nl", "Coach Carla")
    ev = create_event(title="Banenmarkt Oss")
    reg = db.write(coaches.sign_up_client, coach.id, ev.id,
                   person(name="Klaas Klant", email="klaas@example.nl", phone="0612345678")).registration
    if in_flight == "a cancellation":
        db.write(lambda s: [outbox.mark_sent(s, m.id) for m in s.exec(select(Message)).all()])
        db.write(registration.cancel_registration, reg.id)
    assert db.write(outbox.claim)  # the copies are with a sender now
    db.write(privacy.erase_person, reg.jobseeker_id)
    _anonymous_cancel(db, "carla@jobcoach.nl", reg.id)


def test_the_retention_purge_mails_no_coach_about_a_day_long_gone(db, create_event):
    """The purge comes a month or more after the person's last event: their coach's calendar entry
    of that day is the coach's own record, and no mail about it goes out (erasure on request does
    send one, above)."""
    coach, ev, reg, _ = _coach_with_a_client_told(db, create_event, "carla@jobcoach.nl")
    assert db.write(privacy.purge_expired, 30, now=utcnow() + timedelta(days=60)) == 1
    assert db.read(lambda s: s.exec(select(Message).where(Message.status == "queued")).all()) == []


def test_erasure_leaves_no_name_in_a_cancellation_to_the_other_side_of_a_conversation(db, create_event):
    """Found by the lifecycle state machine: a speedmeet was planned and published, then called off;
    the employer's queued 'gaat niet door' carried a CANCEL per conversation whose summary named the
    jobseeker; the jobseeker was erased before it went out, and their name stayed in the outbox."""
    from eventtool.core.timeutil import to_local
    from eventtool.messages.models import Message
    from eventtool.planning import speedmeet
    from eventtool.registration import event_changes, registration

    from ..conftest import company, person
    ev = create_event(kind="speedmeet", capacity_jobseekers=3, capacity_employers=2)
    db.write(registration.register_employer, ev.id, company(organisation="Zorg BV", sectors=["care"], recruiters=1))
    anna = db.write(registration.register_jobseeker, ev.id, person(name="Anna de Aap")).registration
    db.write(speedmeet.save_settings, ev.id, dict(rounds=2, round_minutes=10, break_minutes=5,
                                                  first_round_at=to_local(ev.starts_at), max_meetings=2,
                                                  coverage_bonus=10))
    db.write(speedmeet.run_planner, ev.id, time_limit=2.0)
    db.write(speedmeet.publish, ev.id)
    db.write(lambda s: [setattr(m, "status", "sent") for m in s.exec(select(Message))])  # the schedules went out
    db.write(event_changes.set_status, ev.id, "cancelled")
    employer_mail = db.read(lambda s: s.exec(select(Message).where(Message.status == "queued",
                                                                   Message.employer_id.is_not(None))).all())
    assert employer_mail and "BEGIN:VCALENDAR" in employer_mail[0].ics  # the conversations' CANCELs are in it
    db.write(privacy.erase_person, anna.jobseeker_id)
    unsent = db.read(lambda s: s.exec(select(Message).where(Message.status == "queued")).all())
    assert unsent and not any("Anna de Aap" in m.subject + m.body_text + (m.ics or "") for m in unsent)
