"""Stands at a job fair (issue 29): set by hand (one per stand at an event, with a clear refusal),
given in order of sector (hand-set ones kept, or everyone numbered again), only the event's own
employers with a place, audited under the verb's name."""
import threading
from datetime import datetime

import pytest
from sqlmodel import select

from eventtool.core import audit
from eventtool.core.errors import DomainError, ValidationFailed
from eventtool.core.models import AuditEntry
from eventtool.core.validation import parse
from eventtool.events.models import EventIn
from eventtool.registration import registration, stands
from eventtool.registration.models import Registration

from ..conftest import company


def _fair(create_event, **kw):
    return create_event(kind="job_fair", title="Banenmarkt", capacity_employers=10, **kw)


def _employer(db, event_id, name, sectors):
    return db.write(registration.register_employer, event_id, company(organisation=name, sectors=sectors)).registration


def _stands(db, event_id) -> dict[str, str | None]:
    return {row.organisation: row.stand for row in db.read(stands.employers, event_id)}


def test_a_stand_is_normalised_and_bad_ones_are_refused_on_the_field():
    assert stands.normalise(" a3 ") == "A3" and stands.normalise("012") == "12" and stands.normalise("") is None
    assert stands.normalise("hal  2") == "HAL 2" and stands.normalise("B-12") == "B-12"
    for bad, code in (("12345678901", "stands.too_long"), ("0", "stands.invalid"), ("-3", "stands.invalid"),
                      ("A3!", "stands.invalid"), ("<b>", "stands.invalid")):
        with pytest.raises(DomainError) as exc:
            stands.normalise(bad)
        assert (exc.value.code, exc.value.field) == (code, "stand")
    assert sorted(["10", "A10", "2", "A2", None, "1"], key=stands.sort_key) == ["1", "2", "10", "A2", "A10", None]


def test_set_by_hand_is_unique_per_event_with_a_clear_error(db, create_event):
    fair, other = _fair(create_event), _fair(create_event)
    a = _employer(db, fair.id, "Bakkerij Jansen", ["retail"])
    b = _employer(db, fair.id, "Zorggroep Oost", ["care"])
    c = _employer(db, other.id, "Gemeente Oss", ["government"])
    db.write(stands.set_stand, a.id, "a3")
    with pytest.raises(DomainError) as exc:
        db.write(stands.set_stand, b.id, "A3")
    assert (exc.value.code, exc.value.field, exc.value.params) == (
        "stands.taken", "stand", {"stand": "A3", "organisation": "Bakkerij Jansen"})
    db.write(stands.set_stand, c.id, "A3")  # another event's stand A3 is another stand
    db.write(stands.set_stand, a.id, "A3")  # setting the same again is no conflict with itself
    assert _stands(db, fair.id) == {"Bakkerij Jansen": "A3", "Zorggroep Oost": None}
    db.write(stands.set_stand, a.id, "  ")  # nothing typed: no stand
    db.write(stands.set_stand, b.id, "A3")
    assert _stands(db, fair.id) == {"Zorggroep Oost": "A3", "Bakkerij Jansen": None}


def test_the_database_holds_one_employer_per_stand(db, create_event):
    fair = _fair(create_event)
    a, b = _employer(db, fair.id, "A", []), _employer(db, fair.id, "B", [])

    def both(session):
        session.get(Registration, a.id).stand = "7"
        session.get(Registration, b.id).stand = "7"
        session.flush()
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        db.write(both)


def test_only_employers_at_a_job_fair(db, create_event, sign_up):
    fair, meet = _fair(create_event), create_event(kind="meet_greet", capacity_employers=5)
    person = sign_up(fair.id).registration
    with pytest.raises(DomainError, match="stands.employers_only"):
        db.write(stands.set_stand, person.id, "1")
    not_fair = _employer(db, meet.id, "Bedrijf", [])
    with pytest.raises(DomainError, match="stands.not_job_fair"):
        db.write(stands.set_stand, not_fair.id, "1")
    with pytest.raises(DomainError, match="stands.not_job_fair"):
        db.write(stands.assign_by_sector, meet.id)


def test_assign_by_sector_keeps_hand_set_stands_or_renumbers_all(db, create_event):
    fair, other = _fair(create_event), _fair(create_event)
    # Sectors by their Dutch names: Bouw (construction), Horeca (hospitality), Zorg en welzijn (care).
    zorg = _employer(db, fair.id, "Zorggroep Oost", ["care"])
    bouw_b = _employer(db, fair.id, "Fokker Bouw", ["construction"])
    bouw_a = _employer(db, fair.id, "Ékelmans Bouw", ["construction", "care"])
    horeca = _employer(db, fair.id, "Hotel Oss", ["hospitality"])
    none = _employer(db, fair.id, "Zonder Sector", [])
    gone = _employer(db, fair.id, "Afgemeld BV", ["construction"])
    elsewhere = _employer(db, other.id, "Elders", ["construction"])
    db.write(stands.set_stand, gone.id, "1")
    db.write(registration.set_status, gone.id, "cancelled")
    db.write(stands.set_stand, horeca.id, "2")  # by hand: kept, and 2 is skipped
    labels = {code: db.read(lambda s, c=code: stands.sector_key([c])) for code in ("care", "construction", "hospitality")}
    assert labels["construction"] < labels["hospitality"] < labels["care"]  # Bouw, Horeca, Zorg

    assert db.write(stands.assign_by_sector, fair.id) == 4
    assert _stands(db, fair.id) == {"Ékelmans Bouw": "1", "Hotel Oss": "2", "Fokker Bouw": "3",
                                    "Zorggroep Oost": "4", "Zonder Sector": "5"}
    # É with E (Dutch collation), not after Z as in code-point order: Ékelmans before Fokker.
    assert db.read(lambda s: s.get(Registration, gone.id).stand) is None  # not at the fair: no stand
    assert db.read(lambda s: s.get(Registration, elsewhere.id).stand) is None  # another event untouched
    assert db.write(stands.assign_by_sector, fair.id) == 0  # nothing left to give

    assert db.write(stands.assign_by_sector, fair.id, True) == 5
    assert _stands(db, fair.id) == {"Ékelmans Bouw": "1", "Fokker Bouw": "2", "Hotel Oss": "3",
                                    "Zorggroep Oost": "4", "Zonder Sector": "5"}
    ids = {zorg.id, bouw_a.id, bouw_b.id, horeca.id, none.id}
    assert all(db.read(lambda s, i=i: s.get(Registration, i).stand) for i in ids)


def test_a_cancelled_employers_stand_passes_to_another(db, create_event):
    fair = _fair(create_event)
    a, b = _employer(db, fair.id, "A", []), _employer(db, fair.id, "B", [])
    db.write(stands.set_stand, a.id, "5")
    db.write(registration.set_status, a.id, "cancelled")
    db.write(stands.set_stand, b.id, "5")
    assert db.read(lambda s: (s.get(Registration, a.id).stand, s.get(Registration, b.id).stand)) == (None, "5")


def test_picked_stands_in_the_jobseekers_order_only_those_set(db, create_event, sign_up):
    fair = _fair(create_event, capacity_jobseekers=5)
    a, b, c = (_employer(db, fair.id, n, []) for n in ("Alfa", "Beta", "Gamma"))
    emp = {r.id: db.read(lambda s, i=r.id: s.get(Registration, i).employer_id) for r in (a, b, c)}
    person = sign_up(fair.id, picks=[emp[c.id], emp[a.id], emp[b.id]]).registration
    reg = lambda: db.read(lambda s: s.get(Registration, person.id))  # noqa: E731
    assert db.read(stands.picked_stands, reg()) == []
    db.write(stands.set_stand, a.id, "2")
    db.write(stands.set_stand, c.id, "10")
    assert db.read(stands.picked_stands, reg()) == [("10", "Gamma"), ("2", "Alfa")]


def test_the_verbs_are_audited_under_their_names(db, create_event):
    assert audit.action_of(stands.set_stand) == "registration.set_stand"
    assert audit.action_of(stands.assign_by_sector) == "registration.assign_stands"
    fair = _fair(create_event)
    a = _employer(db, fair.id, "A", [])
    db.write(audit.audited("organiser@example.org", "registration.set_stand"), stands.set_stand, a.id, "1")
    entries = db.read(lambda s: s.exec(select(AuditEntry).where(AuditEntry.action == "registration.set_stand")).all())
    assert [(e.actor, e.subject) for e in entries] == [("organiser@example.org", str(a.id))]


def test_the_events_facilities_are_checked_like_every_text_field():
    base = dict(kind="job_fair", title="Banenmarkt", starts_at=datetime(2027, 3, 4, 10), ends_at=datetime(2027, 3, 4, 13))
    ok = parse(EventIn, base | {"quiet_room": "  Zaal 3 ", "toilets": "Bij de ingang", "lift": "Achter de balie"})
    assert (ok.quiet_room, ok.toilets, ok.lift) == ("Zaal 3", "Bij de ingang", "Achter de balie")
    with pytest.raises(ValidationFailed) as exc:
        parse(EventIn, base | {"toilets": "x" * 201, "lift": "a\u2028b"})
    assert set(exc.value.errors) == {"toilets", "lift"} and exc.value.errors["toilets"][0] == "field.too_long"


def test_two_staff_giving_the_same_stand_at_once_one_gets_it_the_other_a_clear_refusal(db, create_event):
    fair = _fair(create_event)
    regs = [_employer(db, fair.id, f"Werkgever {n}", []) for n in range(6)]
    start = threading.Barrier(len(regs))
    outcomes: list[str] = []

    def staff(reg_id: int) -> None:
        start.wait()
        try:
            db.write(stands.set_stand, reg_id, "1")
            outcomes.append("given")
        except DomainError as exc:
            outcomes.append(exc.code)
    threads = [threading.Thread(target=staff, args=(r.id,)) for r in regs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["given"] + ["stands.taken"] * 5  # never a database error
    assert [row.stand for row in db.read(stands.employers, fair.id)].count("1") == 1
