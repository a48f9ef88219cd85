"""After a cancellation the personal link only shows the registration: every change it offered
is refused by the domain (not only hidden on the page), and signing up again is the public form's."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.errors import DomainError, NotFound
from eventtool.messages import links
from eventtool.registration import mine
from eventtool.people.models import Jobseeker, ProfileProposal
from eventtool.registration.models import Registration
from eventtool.core.timeutil import utcnow

from ..conftest import person
from eventtool.registration import event_changes


def linked_with_everything_to_change(db, create_event):
    """A returning person's registration with a typed change waiting and a jobcoach not yet confirmed."""
    db.write(registration.register_jobseeker, create_event().id, person(name="Echte Naam", email="eigen@example.nl"),
             source=registration.RegSource.ORGANISER)
    ev = create_event(capacity_jobseekers=5, title="Tweede")
    signup = db.write(registration.register_jobseeker, ev.id, person(name="Echte Naam", email="eigen@example.nl",
                                                                     phone="0687654321", coach_name="Coach Kim",
                                                                     coach_email="kim@coach.example"))
    return ev, signup.registration.id, db.write(links.mint, signup.registration.id, ev.ends_at)


def state(db, reg_id):
    def read(s):
        reg = s.get(Registration, reg_id)
        p = s.get(Jobseeker, reg.jobseeker_id)
        proposals = s.exec(select(ProfileProposal.id).where(ProfileProposal.registration_id == reg_id)).all()
        return (reg.status, reg.reminders, reg.coach_confirmed, p.email, p.phone, p.support_needs, len(proposals))
    return db.read(read)


WRITES = [(mine.cancel, ()), (mine.set_reminders, (False,)), (mine.update_contact, ("ander@example.nl", "0611111111")),
          (mine.update_support, (["quiet_space"], True)), (mine.confirm_proposal, ()), (mine.confirm_coach, ())]


def test_every_change_through_the_link_is_refused_after_cancellation(db, create_event):
    ev, reg_id, token = linked_with_everything_to_change(db, create_event)
    db.write(mine.cancel, token)
    before = state(db, reg_id)
    assert before[0] == "cancelled" and before[2] is False and before[6] == 1
    for verb, args in WRITES:
        with pytest.raises(DomainError):
            db.write(verb, token, *args)
    assert state(db, reg_id) == before
    seen = db.read(mine.view, token)  # it still shows the registration, as cancelled
    assert seen.opened.registration.status == "cancelled" and not seen.stands and seen.proposal is None
    assert seen.sign_up_again  # the event still takes sign-ups
    # Past the deadline, signing up again is not offered either.
    db.write(lambda s: setattr(s.get(type(ev), ev.id), "registration_deadline", utcnow() - timedelta(hours=1))
             or s.flush())
    assert not db.read(mine.view, token).sign_up_again


def test_a_cancelled_event_makes_the_link_read_only_too(db, create_event):
    ev, reg_id, token = linked_with_everything_to_change(db, create_event)
    db.write(event_changes.set_status, ev.id, "cancelled")
    before = state(db, reg_id)
    for verb, args in WRITES:
        with pytest.raises(DomainError):
            db.write(verb, token, *args)
    assert state(db, reg_id) == before
    assert not db.read(mine.view, token).stands and not db.read(mine.view, token).sign_up_again


def test_signing_up_again_ends_the_links_of_before(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    first = db.write(registration.register_jobseeker, ev.id, person(email="terug@example.nl"))
    token = db.write(links.mint, first.registration.id, ev.ends_at)
    db.write(mine.cancel, token)
    again = db.write(registration.register_jobseeker, ev.id, person(email="terug@example.nl"))
    assert again.registration.id == first.registration.id and again.registration.status == "confirmed"
    with pytest.raises(NotFound):
        db.read(mine.view, token)
    fresh = db.write(links.mint, again.registration.id, ev.ends_at)
    db.write(mine.set_reminders, fresh, False)  # the new sign-up's own link works
    assert db.read(lambda s: s.get(Registration, again.registration.id).reminders) is False
