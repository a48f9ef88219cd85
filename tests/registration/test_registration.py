from datetime import timedelta

import pytest
from sqlmodel import select

from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.errors import DomainError, NotFound, ValidationFailed
from eventtool.people.models import Consent, Employer, Jobseeker
from eventtool.registration.models import Registration
from eventtool.core.timeutil import utcnow

from ..conftest import company, local, person
from eventtool.registration import event_changes


def statuses(db, event_id):
    rows = db.read(registration.registrations_table, event_id)
    return [(r["name"], r["status"]) for r in rows if r["party"] == "jobseeker"]


def test_places_then_waiting_list(db, create_event, sign_up):
    ev = create_event(capacity_jobseekers=2)
    results = [sign_up(ev.id, n).registration.status for n in range(4)]
    assert results == ["confirmed", "confirmed", "waitlisted", "waitlisted"]


def test_cancel_promotes_first_on_waiting_list(db, create_event, sign_up):
    ev = create_event(capacity_jobseekers=1)
    first = sign_up(ev.id, 1)
    sign_up(ev.id, 2)
    sign_up(ev.id, 3)
    db.write(registration.cancel_by_code, first.code)
    assert dict(statuses(db, ev.id)) == {"Werkzoekende 1": "cancelled", "Werkzoekende 2": "confirmed",
                                         "Werkzoekende 3": "waitlisted"}


def test_cancelling_a_waitlisted_person_promotes_nobody(db, create_event, sign_up):
    ev = create_event(capacity_jobseekers=1)
    sign_up(ev.id, 1)
    second = sign_up(ev.id, 2)
    sign_up(ev.id, 3)
    db.write(registration.cancel_by_code, second.code)
    assert dict(statuses(db, ev.id))["Werkzoekende 3"] == "waitlisted"


def test_cancel_code_is_case_and_dash_insensitive_and_stored_hashed(db, create_event, sign_up):
    ev = create_event()
    signup = sign_up(ev.id)
    assert len(registration.normalise_code(signup.code)) == registration.TOKEN_LENGTH
    found = db.read(registration.lookup_code, signup.code.lower().replace("-", " "))
    assert found.event.id == ev.id
    stored = db.read(lambda s: s.get(Registration, signup.registration.id))
    assert signup.code not in stored.cancel_token_hash and len(stored.cancel_token_hash) == 64


@pytest.mark.parametrize("code", ["", "ABC", "AAAAA-AAAAA", "<script>"])
def test_unknown_code(db, create_event, sign_up, code):
    sign_up(create_event().id)
    with pytest.raises(NotFound) as exc:
        db.read(registration.lookup_code, code)
    assert exc.value.code == "cancel.code_unknown" and exc.value.field == "code"


def test_cancelling_twice_is_refused(db, create_event, sign_up):
    signup = sign_up(create_event().id)
    db.write(registration.cancel_by_code, signup.code)
    with pytest.raises(DomainError, match="cancel.already_cancelled"):
        db.write(registration.cancel_by_code, signup.code)


def test_returning_person_is_recognised_by_email_or_by_phone_with_the_same_name(db, create_event):
    a, b = create_event(), create_event()
    first = db.write(registration.register_jobseeker, a.id, person(1, phone="06 12345678"))
    assert not first.returning
    again = db.write(registration.register_jobseeker, b.id,
                     person(1, email="PERSOON1@Example.nl ", name="Werkzoekende Een"))
    by_phone = db.write(registration.register_jobseeker, create_event().id,
                        person(99, name="werkzoekende  1", email=None, phone="+31612345678"))
    assert again.returning and by_phone.returning
    people = db.read(lambda s: s.exec(select(Jobseeker)).all())
    # One person, as first stored: the public form proposes, it does not overwrite (test_identity).
    assert len(people) == 1 and people[0].name == "Werkzoekende 1"
    assert people[0].email == "persoon1@example.nl" and people[0].phone == "+31612345678"
    assert {r.jobseeker_id for r in db.read(lambda s: s.exec(select(Registration)).all())} == {people[0].id}


@pytest.mark.parametrize("source", ["form", "coach", "organiser", "walk_in"])
def test_a_phone_number_alone_never_makes_another_name_the_same_person(db, create_event, source):
    """A shared or passed-on phone number (a parent's, a group home's): someone with another name
    and another (or no) e-mail address is a new person, whoever signs them up."""
    rutger = db.write(registration.register_jobseeker, create_event().id,
                      person(1, name="Rutger Derde", email="rutger@example.nl", phone="0633333333"))
    ev = create_event()
    for n, email in ((2, "nieuw@example.nl"), (3, None)):
        data = person(n, name=f"Nieuwe Persoon {n}", email=email, phone="0633333333")
        signup = (db.write(registration.add_walk_in, ev.id, data) if source == "walk_in"
                  else db.write(registration.register_jobseeker, ev.id, data, source=source))
        assert not signup.returning and signup.registration.jobseeker_id != rutger.registration.jobseeker_id
        stored = db.read(lambda s: s.get(Jobseeker, signup.registration.jobseeker_id))
        assert stored.name == f"Nieuwe Persoon {n}" and stored.phone == "+31633333333"
    assert db.read(lambda s: s.get(Jobseeker, rutger.registration.jobseeker_id)).name == "Rutger Derde"
    assert db.read(lambda s: s.exec(select(Registration.jobseeker_id).where(Registration.event_id == ev.id)).all()) \
        != [rutger.registration.jobseeker_id]
    from eventtool.people.models import ProfileProposal
    assert db.read(lambda s: s.exec(select(ProfileProposal)).all()) == []  # no proposal to rename Rutger


def test_signing_up_someone_already_registered_answers_alike_and_yields_nothing_that_works(db, create_event, sign_up):
    """A stranger who types the address of someone on the list: the answer a new sign-up would get
    (never more), a code that works for nothing, and the person hears of it at most once a day."""
    from eventtool.messages.models import Message
    ev = create_event(capacity_jobseekers=1)
    first = sign_up(ev.id, 5)
    waiting = sign_up(ev.id, 6)
    assert waiting.registration.status == "waitlisted"
    for name in ("Iemand Anders", "Nog Iemand"):
        # The form must not tell that this address is on the list.
        second = db.write(registration.register_jobseeker, ev.id, person(5, name=name))
        assert second.answer == "waitlisted"  # full: what anyone would be told, not A's place
        assert second.code != first.code
        with pytest.raises(NotFound):
            db.read(registration.lookup_code, second.code)
        with pytest.raises(NotFound):
            db.write(registration.cancel_by_code, second.code)
    assert statuses(db, ev.id) == [("Werkzoekende 5", "confirmed"), ("Werkzoekende 6", "waitlisted")]
    assert db.read(registration.lookup_code, first.code).registration.id == first.registration.id
    from eventtool.people.models import ProfileProposal  # nor a proposal the person could accept with one tap
    assert db.read(lambda s: s.exec(select(ProfileProposal)).all()) == []
    kinds = db.read(lambda s: s.exec(select(Message.kind).where(Message.to_address == "persoon5@example.nl")
                                     .order_by(Message.id)).all())
    assert kinds == ["signup_confirmed", "signup_again"]  # one mail a day, however often the form is sent
    again_mail = db.read(lambda s: s.exec(select(Message).where(Message.kind == "signup_again")).one())
    assert again_mail.ics is None and again_mail.code is None and "Iemand Anders" not in again_mail.body_text
    with pytest.raises(DomainError, match="registration.already_registered"):  # staff are told
        db.write(registration.register_jobseeker, ev.id, person(5), source="organiser")
    db.write(registration.cancel_by_code, first.code)
    assert set(statuses(db, ev.id)) == {("Werkzoekende 6", "confirmed"), ("Werkzoekende 5", "cancelled")}
    again = sign_up(ev.id, 5)  # after a cancellation a sign-up is a new one, with a code that works
    assert again.registration.status == "waitlisted" and again.registration.id == first.registration.id
    assert db.read(registration.lookup_code, again.code).registration.id == first.registration.id
    with pytest.raises(NotFound):  # a code from before the cancellation no longer works
        db.read(registration.lookup_code, first.code)


def test_the_confirmation_carries_the_code_the_form_showed_until_it_is_sent(db, create_event, sign_up):
    from eventtool.messages import outbox
    from eventtool.messages.models import Message
    from eventtool.sender import build
    ev = create_event()
    signup = sign_up(ev.id, 7)
    msg = db.read(lambda s: s.exec(select(Message).where(Message.registration_id == signup.registration.id)).one())
    assert msg.code == signup.code and signup.code not in msg.body_text  # the stored text holds its place
    email = build(msg, "eventtool <noreply@example.nl>", "https://x/mijn-aanmelding?t=abc", "https://x/afmelden")
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert f"Uw persoonlijke code: {signup.code}" in text and signup.code in html
    db.write(outbox.mark_sent, msg.id)
    assert db.read(lambda s: s.get(Message, msg.id)).code is None  # sent: the store keeps only the hash


@pytest.mark.parametrize("overrides,code", [
    (dict(status="draft"), "registration.event_not_open"),
    (dict(registration_deadline=local(days=1)), "registration.deadline_passed"),
])
def test_closed_events_refuse_public_signups(db, create_event, sign_up, overrides, code):
    ev = create_event(**overrides)
    now = utcnow() + timedelta(days=2) if "registration_deadline" in overrides else None
    with pytest.raises(DomainError) as exc:
        db.write(registration.register_jobseeker, ev.id, person(), now=now)
    assert exc.value.code == code


def test_cancelled_and_started_events_refuse(db, create_event):
    ev = create_event()
    with pytest.raises(DomainError, match="registration.event_started"):
        db.write(registration.register_jobseeker, ev.id, person(), now=ev.starts_at + timedelta(minutes=1))
    db.write(event_changes.set_status, ev.id, "cancelled")
    with pytest.raises(DomainError, match="registration.event_cancelled"):
        db.write(registration.register_jobseeker, ev.id, person())


def test_consent_is_required_and_recorded_with_version(db, create_event):
    ev = create_event()
    with pytest.raises(ValidationFailed) as exc:
        db.write(registration.register_jobseeker, ev.id, person(consent_registration=False))
    assert exc.value.errors["consent_registration"][0] == "consent.registration_required"
    with pytest.raises(ValidationFailed) as exc:
        db.write(registration.register_jobseeker, ev.id, person(support_needs=["wheelchair"]))
    assert exc.value.errors["consent_special"][0] == "consent.special_required"
    signup = db.write(registration.register_jobseeker, ev.id,
                      person(support_needs=["wheelchair", "jobcoach"], consent_special=True))
    consents = db.read(lambda s: s.exec(select(Consent).where(
        Consent.jobseeker_id == signup.registration.jobseeker_id)).all())
    assert sorted(c.scope for c in consents) == ["registration", "special_category"]
    assert all(c.text_version and c.given_at for c in consents)


def test_a_sign_up_without_special_consent_keeps_the_stored_support_needs(db, create_event):
    db.write(registration.register_jobseeker, create_event().id,
             person(7, support_needs=["quiet_space"], target_group="wajong", consent_special=True))
    db.write(registration.register_jobseeker, create_event().id, person(7))
    db.write(registration.register_jobseeker, create_event().id, person(7), source="organiser")
    js = db.read(lambda s: s.exec(select(Jobseeker)).one())
    # Withdrawing that consent is its own act (privacy page), not a side effect of a sign-up.
    assert js.support_needs == ["quiet_space"] and js.target_group == "wajong"


def test_speedmeet_picks_must_be_participating_employers(db, create_event):
    ev = create_event(kind="speedmeet", capacity_employers=5)
    emps = [db.write(registration.register_employer, ev.id, company(n)).registration.employer_id for n in range(3)]
    signup = db.write(registration.register_jobseeker, ev.id, person(), picks=[emps[2], emps[0], emps[2]])
    assert signup.registration.picks == [emps[2], emps[0]]
    with pytest.raises(DomainError, match="registration.pick_unknown"):
        db.write(registration.register_jobseeker, ev.id, person(), picks=[12345])
    with pytest.raises(DomainError, match="registration.too_many_picks"):
        db.write(registration.register_jobseeker, ev.id, person(), picks=list(range(1, 8)))


def test_employer_is_recognised_by_organisation_name(db, create_event):
    ev1, ev2 = create_event(), create_event()
    db.write(registration.register_employer, ev1.id, company(organisation="Bakkerij Van Dam B.V.", email="hr@vandam.nl"))
    again = db.write(registration.register_employer, ev2.id,
                     company(organisation="  bakkerij van dam bv", email="nieuw@vandam.nl"))
    assert again.returning
    emps = db.read(lambda s: s.exec(select(Employer)).all())
    # One organisation; the public form's new address waits for review (test_identity).
    assert len(emps) == 1 and emps[0].email == "hr@vandam.nl"
    # The organiser's own form applies what was filled in.
    db.write(registration.register_employer, create_event().id,
             company(organisation="Bakkerij van Dam", email="nieuw@vandam.nl"), source="organiser")
    assert db.read(lambda s: s.exec(select(Employer)).one()).email == "nieuw@vandam.nl"


def test_employer_capacity_is_separate(db, create_event):
    ev = create_event(capacity_employers=1, capacity_jobseekers=1)
    assert db.write(registration.register_employer, ev.id, company()).registration.status == "confirmed"
    assert db.write(registration.register_employer, ev.id, company()).registration.status == "waitlisted"
    assert db.write(registration.register_jobseeker, ev.id, person()).registration.status == "confirmed"


def test_walk_in_gets_a_place_over_capacity_and_is_checked_in(db, create_event, sign_up):
    ev = create_event(capacity_jobseekers=1)
    sign_up(ev.id)
    walk_in = db.write(registration.add_walk_in, ev.id, person())
    assert walk_in.registration.status == "confirmed" and walk_in.registration.checked_in_at is not None
    assert walk_in.registration.source == "walk_in"


def test_staff_sign_up_someone_who_phoned_with_the_forms_rules_and_its_confirmation(db, create_event, sign_up):
    """Not a walk-in: no place past capacity, not checked in; the same confirmation as the public
    form sends, in the language staff chose; a returning person's stored details stay unless ticked."""
    from eventtool.messages.models import Message
    ev = create_event(capacity_jobseekers=1)
    first = db.write(registration.add_by_phone, ev.id, person(1), lang="en")
    assert first.registration.status == "confirmed" and first.registration.checked_in_at is None
    assert first.registration.source == "organiser" and first.registration.lang == "en"
    second = db.write(registration.add_by_phone, ev.id, person(2, phone="0612345678"))
    assert second.registration.status == "waitlisted"  # full: the waiting list, as on the website

    def mail(address):
        return db.read(lambda s: [(m.kind, m.lang) for m in s.exec(select(Message).where(Message.to_address == address))])
    assert mail("persoon1@example.nl") == [("signup_confirmed", "en")]
    assert mail("persoon2@example.nl") == [("signup_waitlisted", "nl")]
    with pytest.raises(DomainError, match="registration.already_registered"):
        db.write(registration.add_by_phone, ev.id, person(1))
    other = create_event()
    db.write(registration.add_by_phone, other.id, person(2, name="Iemand Anders", phone="0687654321"))
    stored = db.read(lambda s: s.get(Jobseeker, second.registration.jobseeker_id))
    assert (stored.name, stored.phone) == ("Werkzoekende 2", "+31612345678")  # nothing ticked: nothing changed
    db.write(registration.add_by_phone, create_event().id, person(2, phone="0687654321"), ["phone"])
    assert db.read(lambda s: s.get(Jobseeker, second.registration.jobseeker_id)).phone == "+31687654321"


def test_organiser_moves_someone_and_the_seat_goes_to_the_waiting_list(db, create_event, sign_up):
    a, b = create_event(capacity_jobseekers=1), create_event(capacity_jobseekers=5)
    moving = sign_up(a.id, 1)
    sign_up(a.id, 2)
    db.write(registration.move_registration, moving.registration.id, b.id)
    assert dict(statuses(db, a.id)) == {"Werkzoekende 2": "confirmed"}
    assert dict(statuses(db, b.id)) == {"Werkzoekende 1": "confirmed"}
    with pytest.raises(DomainError, match="registration.move_same_event"):
        db.write(registration.move_registration, moving.registration.id, b.id)


def test_organiser_status_override(db, create_event, sign_up):
    ev = create_event(capacity_jobseekers=1)
    first, second = sign_up(ev.id, 1), sign_up(ev.id, 2)
    db.write(registration.set_status, second.registration.id, "confirmed")  # over capacity, on purpose
    db.write(registration.set_status, first.registration.id, "waitlisted")
    assert dict(statuses(db, ev.id)) == {"Werkzoekende 1": "waitlisted", "Werkzoekende 2": "confirmed"}


def test_raising_capacity_promotes_the_waiting_list(db, create_event, sign_up):
    ev = create_event(capacity_jobseekers=1)
    for n in range(3):
        sign_up(ev.id, n)
    values = dict(kind=ev.kind, title=ev.title, starts_at=ev.starts_at, ends_at=ev.ends_at,
                  capacity_jobseekers=2, capacity_employers=2, status="published")
    db.write(event_changes.update_event, ev.id, values)
    assert [s for _, s in statuses(db, ev.id)].count("confirmed") == 2


def test_nothing_is_saved_when_a_signup_is_refused(db, create_event):
    ev = create_event()
    with pytest.raises(ValidationFailed):
        db.write(registration.register_jobseeker, ev.id, person(email="not-an-email"))
    assert db.read(lambda s: s.exec(select(Jobseeker)).all()) == []


def _sequences_told(db) -> dict[tuple[str, str], list[tuple[int, bool]]]:
    """Per address and calendar UID, what the stored mails told, oldest first: (SEQUENCE, on)."""
    from icalendar import Calendar

    from eventtool.messages.models import Message
    told: dict[tuple[str, str], list[tuple[int, bool]]] = {}
    for msg in db.read(lambda s: s.exec(select(Message).where(Message.ics.is_not(None)).order_by(Message.id)).all()):
        for cal in Calendar.from_ical(msg.ics, multiple=True):
            cancel = str(cal.get("method", "")) == "CANCEL"
            for ve in cal.walk("VEVENT"):
                on = not cancel and str(ve.get("status", "")) != "CANCELLED"
                told.setdefault((msg.to_address, str(ve["uid"])), []).append((int(ve.get("sequence", 0)), on))
    return told


def _mail_went_out(db) -> None:
    from eventtool.messages import outbox
    from eventtool.messages.models import Message
    db.write(lambda s: [outbox.mark_sent(s, m.id) for m in s.exec(select(Message).where(Message.status == "queued"))])


def _each_change_raises_the_sequence(db) -> None:
    for (address, uid), seen in _sequences_told(db).items():
        for i, (seq, on) in enumerate(seen[1:], 1):
            before = max(s for s, _ in seen[:i])
            if on != seen[i - 1][1]:  # a REQUEST after a CANCEL (or back): a calendar takes only a newer one
                assert seq > before, f"{address} got {uid} {'back' if on else 'cancelled'} at SEQUENCE {seq}, " \
                                     f"not above the {before} they had: {seen}"
            else:
                assert seq >= before, f"{address} got {uid} at SEQUENCE {seq} after {before}: {seen}"


@pytest.mark.parametrize("path", ["move_then_sign_up_again", "move_cancel_then_sign_up_again",
                                  "cancel_then_sign_up_again", "move_there_and_back"])
def test_signing_up_again_for_an_event_one_was_moved_from_supersedes_its_cancellation(db, create_event, path):
    """Issue 27 / the lifecycle test: someone moved by staff from A to B was sent a CANCEL for A's
    entry; signing up for A again (a new registration) must send A's entry with a SEQUENCE above
    that CANCEL's, else their calendar (RFC 5546) keeps it cancelled. Their coach's copies too.
    Every mail goes out before the next step (so none is withdrawn unsent)."""
    def step(fn, *args):
        result = db.write(fn, *args)
        _mail_went_out(db)
        return result
    a, b = create_event(capacity_jobseekers=5), create_event(capacity_jobseekers=5, starts_at=local(days=20))
    data = person(1, phone="0611111111", coach_name="Coach Carla", coach_email="carla@jobcoach.nl")
    first = step(registration.add_by_phone, a.id, data).registration
    if path == "cancel_then_sign_up_again":
        step(registration.cancel_registration, first.id)
    else:
        step(registration.move_registration, first.id, b.id)
        if path == "move_cancel_then_sign_up_again":
            step(registration.cancel_registration, first.id)
        if path == "move_there_and_back":
            step(registration.move_registration, first.id, a.id)
    if path != "move_there_and_back":
        again = step(registration.register_jobseeker, a.id, person(1)).registration
        assert again.status == "confirmed" and again.jobseeker_id == first.jobseeker_id
    told = _sequences_told(db)
    assert any(len(seen) >= 3 for (address, _), seen in told.items() if address == "persoon1@example.nl")
    _each_change_raises_the_sequence(db)
