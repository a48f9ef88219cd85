from datetime import timedelta

import pytest

from eventtool.dayof import checkin
from eventtool.registration import registration
from eventtool.core.errors import DomainError
from eventtool.core.timeutil import utcnow

from ..conftest import company, person


def test_search_check_in_undo_and_counts(db, create_event):
    ev = create_event(capacity_jobseekers=5, capacity_employers=2)
    for name in ("Anna de Vries", "Annabel Smit", "Bram Bakker"):
        db.write(registration.register_jobseeker, ev.id, person(name=name))
    db.write(registration.register_employer, ev.id, company(organisation="Zorggroep Anna", contact_name="Kees"))
    found = db.read(checkin.door_list, ev.id, "  ANNA ")
    # By surname (Smit before de Vries), organisations after the people.
    assert [r.name for r in found] == ["Annabel Smit", "Anna de Vries", "Zorggroep Anna"]
    db.write(checkin.check_in, found[0].registration_id)
    db.write(checkin.check_in, found[0].registration_id)  # a double tap is harmless
    assert db.read(checkin.counts, ev.id) == checkin.DoorCounts(expected=4, present=1, not_yet=3, no_show=0)
    after = db.read(checkin.door_list, ev.id, "anna")
    assert [r.name for r in after][-1] == "Annabel Smit" and after[-1].checked_in  # arrived people sink
    db.write(checkin.undo_check_in, found[0].registration_id)
    assert db.read(checkin.counts, ev.id).present == 0


def test_only_confirmed_people_can_check_in(db, create_event):
    ev = create_event(capacity_jobseekers=1)
    db.write(registration.register_jobseeker, ev.id, person())
    waiting = db.write(registration.register_jobseeker, ev.id, person()).registration
    with pytest.raises(DomainError, match="checkin.not_confirmed"):
        db.write(checkin.check_in, waiting.id)


def test_no_shows_after_the_event(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    a = db.write(registration.register_jobseeker, ev.id, person()).registration
    db.write(registration.register_jobseeker, ev.id, person())
    db.write(checkin.check_in, a.id)
    with pytest.raises(DomainError, match="checkin.event_not_over"):
        db.write(checkin.mark_no_shows, ev.id)
    past = create_event(starts_at=utcnow() - timedelta(days=2))
    db.write(registration.register_jobseeker, past.id, person(), source=registration.RegSource.ORGANISER)
    assert db.write(checkin.mark_no_shows, past.id) == 1
    assert db.read(checkin.counts, past.id).no_show == 1
