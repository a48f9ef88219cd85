"""An employer's own events page (employer_portal) and the public employer sign-up that gives a new
organisation's contact person an account: registration's rules, one organisation never another's."""
from datetime import timedelta

import pytest
from sqlmodel import select

from eventtool.core.errors import DomainError
from eventtool.events.models import Meeting
from eventtool.messages.models import Message
from eventtool.people import accounts as auth, employer_accounts as ea
from eventtool.people.models import Employer, LoginLink, User
from eventtool.registration import employer_portal, registration
from eventtool.registration.models import Registration

from ..conftest import company, local, person

STAFF = "organiser@example.org"


def account(db, event_id, n, **overrides) -> User:
    """An organisation made by the public form, and its contact person's account."""
    made = db.write(employer_portal.public_sign_up, event_id, company(n, **overrides))
    return made.account


def test_the_public_sign_up_gives_an_account_only_to_a_new_organisation(db, create_event):
    event, later = create_event(capacity_employers=5), create_event(capacity_employers=5, starts_at=local(20))
    made = db.write(employer_portal.public_sign_up, event.id, company(1, contact_name="Petra"))
    assert made.signup.registration.status == "confirmed" and made.account is not None
    user = made.account
    assert (user.role, user.employer_id, user.email, user.name) == (
        "employer", made.signup.registration.employer_id, "hr1@bedrijf.nl", "Petra")
    mails = db.read(lambda s: s.exec(select(Message).where(Message.kind == "login_link")).all())
    assert [(m.to_address, m.employer_id) for m in mails] == [("hr1@bedrijf.nl", user.employer_id)]
    assert "Bedankt voor de aanmelding van Bedrijf 1" in mails[0].body_text and "7 dagen" in mails[0].body_text
    assert mails[0].subject == "De pagina van Bedrijf 1"
    # The same organisation again, by anyone's hand: signed up as before, but no account for whoever typed it.
    again = db.write(employer_portal.public_sign_up, later.id, company(1, contact_name="Indringer",
                                                                        email="indringer@example.org"))
    assert again.account is None and again.signup.registration.employer_id == user.employer_id
    assert db.read(lambda s: s.exec(select(User.email).where(User.role == "employer")).all()) == ["hr1@bedrijf.nl"]
    assert db.read(lambda s: len(s.exec(select(LoginLink)).all())) == 1


def test_a_new_organisation_whose_address_has_an_account_gets_none(db, create_event):
    event = create_event(capacity_employers=5)
    first = account(db, event.id, 1)
    made = db.write(employer_portal.public_sign_up, event.id, company(2, email=first.email))
    assert made.account is None and made.signup.registration.status == "confirmed"
    assert db.read(lambda s: s.get(User, first.id).employer_id) == first.employer_id


def test_an_employer_signs_up_changes_its_number_and_cancels_through_registrations_rules(db, create_event):
    event = create_event(capacity_employers=1)
    first_form, second_form = create_event(capacity_employers=5), create_event(capacity_employers=5)
    petra, gijs = account(db, first_form.id, 1), account(db, second_form.id, 2)
    stored = db.read(lambda s: s.get(Employer, petra.employer_id).model_dump(exclude={"updated_at"}))
    own = db.write(employer_portal.sign_up, petra.id, event.id, 3)
    assert (own.registration.status, own.registration.tables, own.registration.source) == ("confirmed", 3, "employer")
    # Nothing about the organisation changes but its usual number of people (as any trusted sign-up sets it).
    assert db.read(lambda s: s.get(Employer, petra.employer_id).model_dump(exclude={"updated_at"})) == dict(
        stored, recruiters=3)
    with pytest.raises(DomainError) as twice:
        db.write(employer_portal.sign_up, petra.id, event.id, 1)
    assert twice.value.code == "registration.already_registered"
    waiting = db.write(employer_portal.sign_up, gijs.id, event.id, 2)
    assert waiting.registration.status == "waitlisted"  # the event's employers' places are taken
    rows = {r.event.id: r for r in db.read(employer_portal.events, petra.id)}
    assert rows[event.id].registration.id == own.registration.id and rows[second_form.id].registration is None

    # Gijs's account cannot change or cancel Petra's registration, whatever id it names.
    for verb, args in ((employer_portal.set_people, (own.registration.id, 9)), (employer_portal.cancel, (own.registration.id,))):
        with pytest.raises(DomainError) as refused:
            db.write(verb, gijs.id, *args)
        assert refused.value.code == "employer_portal.not_yours"
    assert db.read(lambda s: (s.get(Registration, own.registration.id).status,
                              s.get(Registration, own.registration.id).tables)) == ("confirmed", 3)

    assert db.write(employer_portal.set_people, petra.id, own.registration.id, 2).tables == 2
    with pytest.raises(DomainError) as too_many:
        db.write(employer_portal.set_people, petra.id, own.registration.id, 21)
    assert too_many.value.field == "people"
    db.write(employer_portal.cancel, petra.id, own.registration.id)
    statuses = db.read(lambda s: {r.id: r.status for r in s.exec(select(Registration).where(
        Registration.event_id == event.id))})
    assert statuses == {own.registration.id: "cancelled", waiting.registration.id: "confirmed"}  # Gijs moves up
    with pytest.raises(DomainError):  # cancelled: nothing more to change
        db.write(employer_portal.set_people, petra.id, own.registration.id, 1)


def test_only_published_upcoming_events_open_to_employers_can_be_signed_up_for(db, create_event):
    form = create_event(capacity_employers=5)
    petra = account(db, form.id, 1)
    draft = create_event(status="draft", capacity_employers=5)
    no_employers = create_event(capacity_employers=0)
    closed = create_event(capacity_employers=5, registration_deadline=local(-1))
    listed = {r.event.id for r in db.read(employer_portal.events, petra.id)}
    assert form.id in listed and not listed & {draft.id, no_employers.id, closed.id}
    for event in (draft, no_employers, closed):
        with pytest.raises(DomainError) as refused:
            db.write(employer_portal.sign_up, petra.id, event.id, 1)
        assert refused.value.code == "employer_portal.event_not_open"
    assert db.read(lambda s: len(s.exec(select(Registration)).all())) == 1


def test_a_staff_or_switched_off_account_reaches_no_organisation(db, create_event):
    form = create_event(capacity_employers=5)
    petra = account(db, form.id, 1)
    auth_user = db.write(auth.create_user, "org@example.org", "Olga", "organiser", "een lang eigen wachtwoord")
    with pytest.raises(DomainError):
        db.read(employer_portal.events, auth_user.id)
    db.write(auth.set_active, petra.id, False, auth_user.id)
    with pytest.raises(DomainError):
        db.write(employer_portal.sign_up, petra.id, create_event(capacity_employers=5).id, 1)
    with pytest.raises(DomainError):
        db.read(ea.employer_id_of, petra.id)


def test_the_number_cannot_change_after_the_event_started(db, create_event):
    form = create_event(capacity_employers=5)
    petra = account(db, form.id, 1)
    own = db.read(lambda s: s.exec(select(Registration.id).where(Registration.employer_id == petra.employer_id)).one())
    with pytest.raises(DomainError) as started:
        db.write(employer_portal.set_people, petra.id, own, 2, now=form.starts_at + timedelta(minutes=1))
    assert started.value.code == "employer_portal.event_started"


def test_registration_stays_the_same_for_staff(db, create_event):
    """Staff's own sign-up of an employer (fixtures, by phone) is registration.register_employer as before."""
    event = create_event(capacity_employers=5)
    signup = db.write(registration.register_employer, event.id, company(1))
    assert signup.registration.status == "confirmed"
    assert db.read(lambda s: s.exec(select(User)).all()) == []


def test_the_number_at_a_speedmeet_stays_once_its_tables_are_planned(db, create_event):
    event = create_event(kind="speedmeet", capacity_employers=5, capacity_jobseekers=5)
    petra = account(db, create_event(capacity_employers=5).id, 1)
    own = db.write(employer_portal.sign_up, petra.id, event.id, 2).registration
    person_id = db.write(registration.register_jobseeker, event.id, person(1)).registration.jobseeker_id
    db.write(lambda s: s.add(Meeting(event_id=event.id, jobseeker_id=person_id, employer_id=petra.employer_id,
                                     round=0, table_no=2)))
    with pytest.raises(DomainError) as planned:
        db.write(employer_portal.set_people, petra.id, own.id, 1)
    assert planned.value.code == "employer_portal.planned"
    assert db.read(lambda s: s.get(Registration, own.id).tables) == 2
    assert db.write(employer_portal.set_people, petra.id, own.id, 2).tables == 2  # the same number: nothing changes
