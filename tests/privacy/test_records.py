"""Finding a person and merging two records of the same person."""
from datetime import timedelta

import pytest
from sqlmodel import func, select

from eventtool.results import outcomes
from eventtool.registration import registration
from eventtool.core.errors import DomainError
from eventtool.messages.models import Message
from eventtool.people.models import Consent, Jobseeker
from eventtool.events.models import EmployerWish, Event
from eventtool.results.models import Outcome
from eventtool.registration.models import Registration
from eventtool.core.timeutil import to_local
from eventtool.privacy import records

from ..conftest import company, person
from eventtool.registration import event_changes


def test_find_by_name_email_or_phone(db, create_event):
    ev = create_event()
    db.write(registration.register_jobseeker, ev.id, person(1, name="Fatima el Amrani", email="fatima@example.nl",
                                                             phone="0612345678"))
    db.write(registration.register_jobseeker, ev.id, person(2, name="Jan de Vries", email="jan@example.nl"))
    names = lambda q: [p.name for p in db.read(records.find_people, q)]  # noqa: E731
    assert names("amrani") == ["Fatima el Amrani"]
    assert names("JAN@") == ["Jan de Vries"]
    assert names("06-1234 5678") == ["Fatima el Amrani"]
    assert names("x") == []


def test_merge_moves_everything_and_keeps_the_better_registration(db, create_event):
    fair, other_event = create_event(capacity_jobseekers=2), create_event(title="Tweede")
    keep = db.write(registration.register_jobseeker, fair.id, person(1, name="Ans Bakker", email="ans@example.nl",
                                                                      phone=None)).registration
    # The same Ans, typed with her phone number at another event, and with a second place at the fair.
    gone = db.write(registration.register_jobseeker, other_event.id, person(2, name="A. Bakker", email=None,
                                                                             phone="0623456789")).registration
    db.write(lambda s: s.add(Registration(event_id=fair.id, jobseeker_id=gone.jobseeker_id, status="confirmed",
                                          cancel_token_hash="x" * 64)))
    waiting = db.write(registration.register_jobseeker, fair.id, person(3, email="wacht@example.nl")).registration
    assert waiting.status == "waitlisted"
    db.write(outcomes.record_outcome, dict(jobseeker_id=gone.jobseeker_id, event_id=other_event.id, kind="contact",
                                           occurred_on=other_event.starts_at - timedelta(days=20)), "t")
    seen = db.read(records.merge_preview, keep.jobseeker_id, gone.jobseeker_id)
    assert (seen.registrations, seen.dropped, seen.outcomes) == (1, [fair.title], 1)
    assert seen.filled == {"phone": "+31623456789"}
    db.write(records.merge, keep.jobseeker_id, gone.jobseeker_id)
    kept = db.read(lambda s: s.get(Jobseeker, keep.jobseeker_id))
    assert (kept.name, kept.email, kept.phone) == ("Ans Bakker", "ans@example.nl", "+31623456789")
    assert db.read(lambda s: s.get(Jobseeker, gone.jobseeker_id)) is None
    regs = db.read(lambda s: sorted((r.event_id, r.status) for r in s.exec(
        select(Registration).where(Registration.jobseeker_id == keep.jobseeker_id))))
    assert regs == sorted([(fair.id, "confirmed"), (other_event.id, "confirmed")])
    assert db.read(lambda s: s.exec(select(Outcome.jobseeker_id)).all()) == [keep.jobseeker_id]
    assert db.read(lambda s: s.exec(select(func.count()).select_from(Consent)
                                    .where(Consent.jobseeker_id == gone.jobseeker_id)).one()) == 0
    assert db.read(lambda s: s.exec(select(func.count()).select_from(Message)
                                    .where(Message.jobseeker_id == gone.jobseeker_id)).one()) == 0
    # The duplicate's seat at the full fair was freed: the waiting list moved up.
    assert db.read(lambda s: s.get(Registration, waiting.id).status) == "confirmed"


def test_merge_refuses_one_record_with_itself(db, create_event):
    reg = db.write(registration.register_jobseeker, create_event().id, person(1)).registration
    with pytest.raises(DomainError):
        db.write(records.merge, reg.jobseeker_id, reg.jobseeker_id)


def test_a_merged_record_supersedes_what_either_calendar_was_sent(db, create_event):
    """Issue 27 / the lifecycle test: Ans cancelled the fair (her calendar got a CANCEL at the
    fair's SEQUENCE + 1); a second record of her, with a place, is merged into hers. What her
    address is sent next about the fair must be above that CANCEL, or her calendar keeps it off."""
    from eventtool.events import events

    from ..registration.test_registration import _each_change_raises_the_sequence, _mail_went_out
    fair = create_event(capacity_jobseekers=5)
    keep = db.write(registration.register_jobseeker, fair.id, person(1, name="Ans Bakker", email="ans@example.nl")).registration
    _mail_went_out(db)
    db.write(registration.cancel_registration, keep.id)
    _mail_went_out(db)
    gone = db.write(registration.add_by_phone, fair.id, person(2, name="A. Bakker", email=None,
                                                                phone="0623456789")).registration
    db.write(records.merge, keep.jobseeker_id, gone.jobseeker_id)
    ev = db.read(lambda s: s.get(Event, fair.id))
    db.write(event_changes.update_event, fair.id, dict(
        kind=ev.kind, title=ev.title, venue_name=ev.venue_name, address=ev.address, city=ev.city,
        starts_at=to_local(ev.starts_at) + timedelta(days=1), ends_at=to_local(ev.ends_at) + timedelta(days=1),
        capacity_jobseekers=ev.capacity_jobseekers, capacity_employers=ev.capacity_employers, status=ev.status))
    _mail_went_out(db)
    assert db.read(lambda s: s.exec(select(func.count()).select_from(Message).where(
        Message.to_address == "ans@example.nl", Message.kind == "event_changed")).one()) == 1
    _each_change_raises_the_sequence(db)


def test_a_merge_keeps_what_employers_said_about_meeting_the_person(db, create_event):
    """An employer's "graag spreken" about the record that goes is about the one kept (found by the
    lifecycle state machine: the gone record's wishes were deleted with it); where the employer said
    something about both at one event, the kept record's wish stands."""
    ev, other = create_event(kind="speedmeet", capacity_employers=3), create_event(kind="speedmeet", title="Tweede")
    emps = [db.write(registration.register_employer, e.id, company(n)).registration.employer_id
            for n, e in ((1, ev), (2, ev), (3, other))]
    keep = db.write(registration.register_jobseeker, ev.id, person(1, name="Ans Bakker", email="ans@example.nl")).registration
    gone = db.write(registration.register_jobseeker, other.id, person(2, name="A. Bakker", email="a.bakker@example.nl")).registration

    def wishes(session):
        session.add_all([EmployerWish(event_id=ev.id, employer_id=emps[0], jobseeker_id=keep.jobseeker_id, wish="want"),
                         EmployerWish(event_id=ev.id, employer_id=emps[0], jobseeker_id=gone.jobseeker_id, wish="avoid"),
                         EmployerWish(event_id=ev.id, employer_id=emps[1], jobseeker_id=gone.jobseeker_id, wish="avoid"),
                         EmployerWish(event_id=other.id, employer_id=emps[2], jobseeker_id=gone.jobseeker_id, wish="want")])
    db.write(wishes)
    db.write(records.merge, keep.jobseeker_id, gone.jobseeker_id)
    stored = db.read(lambda s: sorted((w.event_id, w.employer_id, w.jobseeker_id, w.wish) for w in s.exec(select(EmployerWish))))
    assert stored == sorted([(ev.id, emps[0], keep.jobseeker_id, "want"), (ev.id, emps[1], keep.jobseeker_id, "avoid"),
                             (other.id, emps[2], keep.jobseeker_id, "want")])
