from datetime import timedelta

import pytest

from eventtool.dayof import dayplan
from eventtool.registration import registration
from eventtool.core.errors import DomainError
from eventtool.core.timeutil import to_local

from ..conftest import company, person


def test_arrival_slots_pupils_first(db, create_event):
    ev = create_event(kind="job_fair", capacity_jobseekers=50)
    start = to_local(ev.starts_at)
    pupils = dayplan.add_arrival_slot
    db.write(pupils, ev.id, dict(starts_at=start, ends_at=start + timedelta(minutes=30), capacity=2, audience="pupils"))
    db.write(dayplan.add_arrival_slot, ev.id, dict(starts_at=start + timedelta(minutes=30),
                                                   ends_at=start + timedelta(minutes=60), capacity=3, audience="jobseekers"))
    for n in range(3):
        db.write(registration.register_jobseeker, ev.id, person(n, school="Praktijkschool De Rijzert"))
    for n in range(3, 7):
        db.write(registration.register_jobseeker, ev.id, person(n))
    result = db.write(dayplan.assign_arrival_slots, ev.id)
    assert result.assigned == 5 and result.unassigned == 2
    rows = db.read(dayplan.arrival_list, ev.id)
    pupil_slot = {r["slot_id"] for r in rows if r["school"] and r["slot_id"]}
    other_slot = {r["slot_id"] for r in rows if not r["school"] and r["slot_id"]}
    assert len(pupil_slot) == 1 and len(other_slot) == 1 and pupil_slot != other_slot
    # Running it again keeps what was given.
    assert db.write(dayplan.assign_arrival_slots, ev.id).assigned == 5
    with pytest.raises(DomainError, match="block.outside_event"):
        db.write(dayplan.add_arrival_slot, ev.id, dict(starts_at=start - timedelta(hours=3), ends_at=start,
                                                       capacity=3, audience="everyone"))


def test_no_slots(db, create_event):
    with pytest.raises(DomainError, match="dayplan.no_slots"):
        db.write(dayplan.assign_arrival_slots, create_event(kind="job_fair").id)


def test_employer_visitor_lists(db, create_event):
    ev = create_event(kind="job_fair", capacity_jobseekers=20, capacity_employers=5)
    a = db.write(registration.register_employer, ev.id, company(organisation="Alfa")).registration.employer_id
    b = db.write(registration.register_employer, ev.id, company(organisation="Beta")).registration.employer_id
    db.write(registration.register_jobseeker, ev.id, person(name="Zoë"), picks=[a, b])
    db.write(registration.register_jobseeker, ev.id, person(name="Ali"), picks=[b])
    assert db.read(dayplan.employer_visitors, ev.id) == {"Alfa": ["Zoë"], "Beta": ["Ali", "Zoë"]}


def test_table_groups_by_sector(db, create_event):
    ev = create_event(kind="meet_greet", capacity_jobseekers=30, capacity_employers=5)
    db.write(registration.register_employer, ev.id, company(organisation="Zorg BV", sectors=["care"]))
    db.write(registration.register_employer, ev.id, company(organisation="Groen BV", sectors=["green"]))
    for n in range(7):
        db.write(registration.register_jobseeker, ev.id, person(n, interests=["care"]))
    for n in range(7, 9):
        db.write(registration.register_jobseeker, ev.id, person(n, interests=["green", "care"]))
    db.write(registration.register_jobseeker, ev.id, person(20, interests=["ict"]))
    groups = db.read(dayplan.table_groups, ev.id, 4)
    seated = [name for g in groups for name in g.jobseekers]
    assert len(seated) == 10 and len(set(seated)) == 10
    assert all(len(g.jobseekers) <= 4 for g in groups)
    care = [g for g in groups if g.sector == "care"]
    assert care and all(g.employers == ["Zorg BV"] for g in care)
    assert [g.jobseekers for g in groups if g.sector == ""] == [["Werkzoekende 20"]]
    with pytest.raises(DomainError, match="dayplan.table_size_invalid"):
        db.read(dayplan.table_groups, ev.id, 1)
