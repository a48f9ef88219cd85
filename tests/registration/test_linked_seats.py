"""Linked seats: a jobcoach or interpreter who comes along with a registration."""
import pytest
from sqlmodel import select

from eventtool.dayof import checkin, exports
from eventtool.events import events
from eventtool.registration import registration
from eventtool.planning import speedmeet
from eventtool.core.errors import DomainError
from eventtool.messages.models import Message
from eventtool.registration.models import Registration

from ..conftest import company, person
from eventtool.registration import event_changes


def status(db, reg_id: int) -> str:
    return db.read(lambda s: s.get(Registration, reg_id).status)


def test_where_the_event_says_so_the_companion_takes_a_place(db, create_event):
    counted, not_counted = create_event(capacity_jobseekers=3, companions_count=True), create_event(capacity_jobseekers=3)
    for event, expected in ((counted, ["confirmed", "confirmed", "waitlisted"]),
                            (not_counted, ["confirmed", "confirmed", "confirmed"])):
        regs = [db.write(registration.register_jobseeker, event.id,
                         person(companion="interpreter", companion_name="Tineke Tolk")).registration,
                db.write(registration.register_jobseeker, event.id, person()).registration,
                db.write(registration.register_jobseeker, event.id, person()).registration]
        assert [r.status for r in regs] == expected
    places = {item.event.id: item.places_left_jobseekers for item in db.read(event_changes.agenda)}
    assert places == {counted.id: 0, not_counted.id: 0}
    first = db.read(lambda s: s.exec(select(Registration).where(Registration.event_id == counted.id)
                                     .order_by(Registration.id)).first())
    assert (first.companion, first.companion_name) == ("interpreter", "Tineke Tolk")


def test_the_waiting_list_moves_on_to_whoever_fits_the_places_that_came_free(db, create_event):
    event = create_event(capacity_jobseekers=3, companions_count=True)
    a = db.write(registration.register_jobseeker, event.id, person()).registration
    db.write(registration.register_jobseeker, event.id, person(companion="jobcoach")).registration
    pair = db.write(registration.register_jobseeker, event.id, person(companion="jobcoach")).registration
    single = db.write(registration.register_jobseeker, event.id, person()).registration
    assert (pair.status, single.status) == ("waitlisted", "waitlisted")
    db.write(registration.cancel_registration, a.id)  # one place free: the pair waits, the next one who fits comes
    assert (status(db, pair.id), status(db, single.id)) == ("waitlisted", "confirmed")


def test_only_the_companion_can_be_cancelled_and_the_person_is_told(db, create_event):
    event = create_event(capacity_jobseekers=2, companions_count=True)
    reg = db.write(registration.register_jobseeker, event.id, person(companion="jobcoach", companion_name="Carla")).registration
    waiting = db.write(registration.register_jobseeker, event.id, person()).registration
    assert waiting.status == "waitlisted"
    promoted = db.write(registration.remove_companion, reg.id)
    assert [r.id for r in promoted] == [waiting.id]
    after = db.read(lambda s: s.get(Registration, reg.id))
    assert (after.status, after.companion, after.companion_name) == ("confirmed", None, None)
    kinds = db.read(lambda s: s.exec(select(Message.kind).where(Message.registration_id == reg.id)).all())
    assert "companion_removed" in kinds
    with pytest.raises(DomainError) as nobody:
        db.write(registration.remove_companion, reg.id)
    assert nobody.value.code == "registration.no_companion"


def test_turning_the_count_on_or_off_keeps_everyone_placed_and_fills_what_came_free(db, create_event):
    event = create_event(capacity_jobseekers=2, companions_count=True)
    pair = db.write(registration.register_jobseeker, event.id, person(companion="jobcoach")).registration
    waiting = db.write(registration.register_jobseeker, event.id, person()).registration
    values = {k: getattr(event, k) for k in ("kind", "title", "starts_at", "ends_at", "capacity_jobseekers",
                                             "capacity_employers", "status")}
    db.write(event_changes.update_event, event.id, dict(values, companions_count=False))
    assert (status(db, pair.id), status(db, waiting.id)) == ("confirmed", "confirmed")
    db.write(event_changes.update_event, event.id, dict(values, companions_count=True))  # nobody loses a place
    assert (status(db, pair.id), status(db, waiting.id)) == ("confirmed", "confirmed")


def test_the_public_form_never_changes_who_comes_along_with_a_registration(db, create_event):
    event = create_event()
    reg = db.write(registration.register_jobseeker, event.id, person(1, companion="jobcoach", companion_name="Carla")).registration
    again = db.write(registration.register_jobseeker, event.id, person(1, companion="interpreter", companion_name="X"))
    assert again.registration.id == reg.id
    stored = db.read(lambda s: s.get(Registration, reg.id))
    assert (stored.companion, stored.companion_name) == ("jobcoach", "Carla")


def test_the_door_list_and_the_sign_in_sheet_show_them_together_and_the_planner_gives_a_wide_table(db, create_event):
    event = create_event(kind="speedmeet", capacity_employers=2)
    db.write(registration.register_employer, event.id, company(1, sectors=["care"], recruiters=2),
             source=registration.RegSource.ORGANISER)
    reg = db.write(registration.register_jobseeker, event.id, person(1, name="Ans Bakker", interests=["care"],
                                                                     companion="interpreter", companion_name="Tineke Tolk")).registration
    db.write(registration.register_jobseeker, event.id, person(2, name="Bert Bos", interests=["care"]))
    (row,) = db.read(checkin.door_list, event.id, "tineke")  # the interpreter says their own name at the door
    assert (row.registration_id, row.name, row.companion) == (reg.id, "Ans Bakker", ("interpreter", "Tineke Tolk"))
    sheet = db.read(exports.attendance, event.id, columns=["name", "companion"])
    assert ["Ans Bakker", "tolk Tineke Tolk"] in sheet.rows and ["Bert Bos", ""] in sheet.rows
    inst = db.read(speedmeet.build_instance, event.id)
    assert {j.id: j.jobcoach for j in inst.jobseekers} == {f"J{reg.jobseeker_id}": True,
                                                           f"J{reg.jobseeker_id + 1}": False}


def test_who_comes_along_reads_the_same_in_every_list():
    """One label for the sign-in sheet, the exports and the registrations page: the kind in the
    list's language and the name if there is one; nothing for nobody or for an unknown kind."""
    from eventtool.registration.registration import companion_label
    assert companion_label("interpreter", "Tineke Tolk", "nl") == "tolk Tineke Tolk"
    assert companion_label("interpreter", "Tineke Tolk", "en") == "interpreter Tineke Tolk"
    assert companion_label("jobcoach", None, "nl") == "jobcoach"
    assert companion_label("jobcoach", float("nan"), "nl") == "jobcoach"  # an empty cell in a data frame
    assert companion_label(None, "X", "nl") == companion_label("bus driver", "X", "nl") == ""
