import json
from datetime import timedelta

import pytest
from sqlmodel import select

from eventtool import charts, checkin, outcomes, privacy, registration
from eventtool.errors import DomainError
from eventtool.models import Consent, Jobseeker, Outcome
from eventtool.timeutil import utcnow

from .conftest import person

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
