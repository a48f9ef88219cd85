"""The personal door code (issue 29): one code per registration, the same wherever it is shown, only
its hash stored; scanning it at the door checks the person in once and says who they are."""
import io
import threading

import zxingcpp
from PIL import Image
from sqlmodel import select

from eventtool.core.config import secret_key
from eventtool.dayof import checkin
from eventtool.privacy import privacy
from eventtool.registration import door, registration
from eventtool.registration.models import Registration

from ..conftest import company, person


def _reg(db, reg_id) -> Registration:
    return db.read(lambda s: s.get(Registration, reg_id))


def test_a_code_is_random_looking_stable_and_only_its_hash_is_stored(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    a = db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries")).registration
    b = db.write(registration.register_jobseeker, ev.id, person()).registration
    code_a, code_b = door.token(_reg(db, a.id)), door.token(_reg(db, b.id))
    assert code_a != code_b and door.well_formed(code_a) and len(code_a) == 22
    assert door.token(_reg(db, a.id)) == code_a  # the mail, the page, the letter and the badge agree
    stored = _reg(db, a.id)
    # Nothing stored is the code, nor anything personal in it: only a hash of it.
    assert code_a not in repr(stored.model_dump()) and stored.door_code_hash and len(stored.door_code_hash) == 64
    assert "Anna" not in code_a and str(a.id) not in code_a[2:4]
    assert secret_key() not in code_a.encode()
    # A scanner may type it in lower case, with spaces, dashes or a trailing Enter.
    assert db.read(door.find, f"  {code_a[:6].lower()}-{code_a[6:]}\n").id == a.id
    assert db.read(door.find, code_a[:-1] + ("A" if code_a[-1] != "A" else "B")) is None
    assert db.read(door.find, "https://example.nl/poster") is None


def test_scanning_checks_in_once_and_a_second_scan_says_since_when(db, create_event):
    ev = create_event(capacity_jobseekers=5, capacity_employers=2)
    anna = db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries", companion="jobcoach",
                                                                    companion_name="Piet")).registration
    code = door.token(_reg(db, anna.id))
    first = db.write(checkin.scan, ev.id, code)
    assert (first.outcome, first.name, first.party, first.companion) == ("welcome", "Anna", "jobseeker", "jobcoach")
    arrived = _reg(db, anna.id).checked_in_at
    assert arrived is not None
    again = db.write(checkin.scan, ev.id, code)
    assert again.outcome == "already" and again.since == arrived
    assert _reg(db, anna.id).checked_in_at == arrived
    assert db.read(checkin.counts, ev.id).present == 1
    emp = db.write(registration.register_employer, ev.id, company(organisation="Zorggroep Noord",
                                                                   contact_name="Kees Jansen")).registration
    assert db.write(checkin.scan, ev.id, door.token(_reg(db, emp.id))).name == "Kees (Zorggroep Noord)"


def test_codes_that_are_no_place_today_check_nobody_in(db, create_event):
    ev = create_event(capacity_jobseekers=1)
    other = create_event(title="Meet&Greet maart", capacity_jobseekers=5)
    db.write(registration.register_jobseeker, ev.id, person())
    waiting = db.write(registration.register_jobseeker, ev.id, person(name="Wim Wachter")).registration
    elsewhere = db.write(registration.register_jobseeker, other.id, person()).registration
    gone = db.write(registration.register_jobseeker, other.id, person()).registration
    db.write(registration.cancel_registration, gone.id)
    assert db.write(checkin.scan, ev.id, door.token(_reg(db, waiting.id))).outcome == "waitlisted"
    told = db.write(checkin.scan, ev.id, door.token(_reg(db, elsewhere.id)))
    assert told.outcome == "other_event" and told.event.title == "Meet&Greet maart"
    assert db.write(checkin.scan, other.id, door.token(_reg(db, gone.id))).outcome == "cancelled"
    assert db.write(checkin.scan, ev.id, "ETAAAAAAAAAAAAAAAAAAAA").outcome == "unknown"
    assert db.read(lambda s: s.exec(select(Registration).where(Registration.checked_in_at.is_not(None))).all()) == []


def test_a_new_code_replaces_the_old_one_and_signing_up_again_brings_a_new_one(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    data = person()
    reg = db.write(registration.register_jobseeker, ev.id, data).registration
    old = door.token(_reg(db, reg.id))
    db.write(door.renew, reg.id)
    new = door.token(_reg(db, reg.id))
    assert new != old and db.read(door.find, old) is None and db.read(door.find, new).id == reg.id
    db.write(registration.cancel_registration, reg.id)
    again = db.write(registration.register_jobseeker, ev.id, data).registration
    assert again.id == reg.id
    assert db.read(door.find, new) is None and db.write(checkin.scan, ev.id, door.token(_reg(db, reg.id))).outcome == "welcome"


def test_erasure_leaves_no_code_that_finds_anyone(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    reg = db.write(registration.register_jobseeker, ev.id, person()).registration
    code = door.token(_reg(db, reg.id))
    db.write(privacy.erase_person, reg.jobseeker_id)
    assert db.write(checkin.scan, ev.id, code).outcome == "unknown"
    assert db.write(door.fill_missing) == 0  # start-up does not give an erased registration a code again


def test_registrations_from_before_door_codes_get_theirs_at_start_up(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    reg = db.write(registration.register_jobseeker, ev.id, person()).registration
    db.write(lambda s: setattr(s.get(Registration, reg.id), "door_code_hash", None))
    assert db.write(door.fill_missing) == 1
    assert db.write(checkin.scan, ev.id, door.token(_reg(db, reg.id))).outcome == "welcome"


def test_three_doors_scanning_the_same_people_check_each_in_once(db, create_event):
    ev = create_event(capacity_jobseekers=30)
    codes = [door.token(_reg(db, db.write(registration.register_jobseeker, ev.id, person()).registration.id))
             for _ in range(12)]
    outcomes, errors = [], []

    def door_device():
        try:
            for code in codes:
                outcomes.append(db.write(checkin.scan, ev.id, code).outcome)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    devices = [threading.Thread(target=door_device) for _ in range(3)]
    for d in devices:
        d.start()
    for d in devices:
        d.join(timeout=120)
    assert errors == []
    assert outcomes.count("welcome") == 12 and outcomes.count("already") == 24
    assert db.read(checkin.counts, ev.id).present == 12


def test_the_qr_image_holds_the_code_and_nothing_else(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    reg = db.write(registration.register_jobseeker, ev.id, person()).registration
    code = door.token(_reg(db, reg.id))
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(door.qr_png(code))))
    assert [r.text for r in found] == [code]


def test_a_move_to_another_event_brings_a_new_code(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    other = create_event(title="Elders", capacity_jobseekers=5)
    reg = db.write(registration.register_jobseeker, ev.id, person()).registration
    old = door.token(_reg(db, reg.id))
    db.write(registration.move_registration, reg.id, other.id)
    assert db.read(door.find, old) is None
    assert db.write(checkin.scan, other.id, door.token(_reg(db, reg.id))).outcome == "welcome"


def test_a_registration_id_used_again_does_not_bring_back_the_old_code(db, create_event):
    """SQLite hands out the highest id again after that row was deleted (a merge drops registrations):
    the nonce keeps the new registration's code apart from the mailed one."""
    ev = create_event(capacity_jobseekers=5)
    gone = db.write(registration.register_jobseeker, ev.id, person()).registration
    old = door.token(_reg(db, gone.id))
    db.write(lambda s: s.delete(s.get(Registration, gone.id)))
    again = db.write(registration.register_jobseeker, ev.id, person()).registration
    if db.is_sqlite:
        assert again.id == gone.id  # the situation this test is about
    assert db.read(door.find, old) is None and door.token(_reg(db, again.id)) != old


def test_a_new_secret_key_makes_every_code_again_at_start_up(db, create_event, monkeypatch):
    from eventtool.core.config import get_settings
    ev = create_event(capacity_jobseekers=5)
    regs = [db.write(registration.register_jobseeker, ev.id, person()).registration.id for _ in range(3)]
    old = [door.token(_reg(db, r)) for r in regs]
    assert db.write(door.fill_missing) == 0  # the same key: nothing to do
    warned = []
    monkeypatch.setattr(door.log, "warning", lambda text, *args: warned.append(text))
    monkeypatch.setenv("EVENTTOOL_SECRET_KEY", "een-nieuwe-sleutel-" + "x" * 40)
    get_settings.cache_clear()
    try:
        assert db.write(door.fill_missing) == 3
        assert len(warned) == 1 and "no longer work" in warned[0]
        new = [door.token(_reg(db, r)) for r in regs]
        assert all(db.read(door.find, code) is None for code in old)
        assert [db.read(door.find, code).id for code in new] == regs
    finally:
        monkeypatch.delenv("EVENTTOOL_SECRET_KEY")
        get_settings.cache_clear()


def test_the_audit_log_names_whom_a_scan_or_the_ticked_list_checked_in(db, create_event):
    from eventtool.core import audit
    from eventtool.core.models import AuditEntry
    ev = create_event(capacity_jobseekers=5)
    a, b = (db.write(registration.register_jobseeker, ev.id, person()).registration.id for _ in range(2))
    code = door.token(_reg(db, a))
    db.write(audit.audited("deur@example.nl", "checkin.scan"), checkin.scan, ev.id, code)
    db.write(audit.audited("deur@example.nl", "checkin.check_in_many"), checkin.check_in_many, ev.id, [b])
    entries = db.read(lambda s: {e.action: (e.subject, e.detail) for e in s.exec(select(AuditEntry))})
    assert entries["checkin.scan"] == (f"registration {a}", "")
    assert entries["checkin.check_in_many"] == (str(ev.id), f"ids {b}")
    assert code not in repr(entries)  # the code itself is never logged


def test_a_scan_at_a_published_speedmeet_says_the_first_table(db, create_event):
    from eventtool.core.timeutil import to_local
    from eventtool.events.models import Meeting
    from eventtool.planning import speedmeet
    ev = create_event(kind="speedmeet", capacity_jobseekers=3, capacity_employers=2)
    emp = db.write(registration.register_employer, ev.id, company(organisation="Zorg BV", sectors=["care"],
                                                                  recruiters=1)).registration
    anna = db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries")).registration
    db.write(speedmeet.save_settings, ev.id, dict(rounds=2, round_minutes=10, break_minutes=5,
                                                  first_round_at=to_local(ev.starts_at), max_meetings=2,
                                                  coverage_bonus=10))
    db.write(speedmeet.run_planner, ev.id, time_limit=2.0)
    code = door.token(_reg(db, anna.id))
    assert db.write(checkin.scan, ev.id, code).table is None  # a plan not yet published says nothing
    db.write(lambda s: setattr(s.get(Registration, anna.id), "checked_in_at", None))
    db.write(speedmeet.publish, ev.id)
    first = db.read(lambda s: s.exec(select(Meeting).where(Meeting.jobseeker_id == anna.jobseeker_id)
                                     .order_by(Meeting.round, Meeting.table_no)).first())
    assert db.write(checkin.scan, ev.id, code).table == first.table_no
    assert db.write(checkin.scan, ev.id, door.token(_reg(db, emp.id))).table == first.table_no
