"""Coaches ('begeleiders'): invitation, signing up clients, a caseload of their own, copies."""
import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from eventtool.people import accounts as auth
from eventtool.registration import registration
from eventtool.core.errors import DomainError, NotFound
from eventtool.registration import mine
from eventtool.messages.models import Message
from eventtool.people.models import Consent, Jobseeker, ProfileProposal, User
from eventtool.registration.models import Registration
from eventtool.registration import cards, coaches
from eventtool.messages import links
from eventtool.people.models import CoachClient, Invitation

from ..conftest import person
from ..messages.conftest import smtp  # noqa: F401 - the real SMTP server of the messages tests
from eventtool.results import caseload

PASSWORD = "een lang eigen wachtwoord"


def make_coach(db, email="carla@jobcoach.nl", name="Carla Coach") -> User:
    """A coach account as staff make it: invited, then the coach chooses a password."""
    invitation = db.write(coaches.invite, email, name, "Jobcoach Oss", "organiser@example.org")
    token = db.write(coaches.mint_invitation, invitation.id)
    return db.write(coaches.accept_invitation, token, PASSWORD, PASSWORD)


def test_an_invitation_mails_a_link_with_which_the_coach_chooses_a_password(db, smtp):
    from eventtool.core.config import get_settings
    from eventtool import sender
    invitation = db.write(coaches.invite, "Carla@Jobcoach.nl ", "Carla Coach", "Jobcoach Oss", "organiser@example.org")
    user = db.read(lambda s: s.get(User, invitation.user_id))
    assert (user.role, user.active, user.email, user.organisation) == ("coach", False, "carla@jobcoach.nl", "Jobcoach Oss")
    with pytest.raises(DomainError):  # no login before a password was chosen
        db.write(auth.authenticate, "carla@jobcoach.nl", "!")
    assert sender.run_once(db, get_settings()).sent == 1
    mail = smtp.by_to("carla@jobcoach.nl")[0]
    text = mail.get_body(("plain",)).get_content()
    token = re.search(r"https://events\.example/uitnodiging\?t=([\w-]+)", text)[1]
    assert "[[" not in text and db.read(coaches.open_invitation, token).name == "Carla Coach"
    assert db.read(lambda s: s.get(Invitation, invitation.id)).token_hash != token  # only the hash is kept

    with pytest.raises(DomainError) as short:
        db.write(coaches.accept_invitation, token, "kort", "kort")
    assert short.value.code == "auth.password_too_short"
    with pytest.raises(DomainError) as differ:
        db.write(coaches.accept_invitation, token, PASSWORD, PASSWORD + "x")
    assert differ.value.code == "invite.passwords_differ"
    db.write(coaches.accept_invitation, token, PASSWORD, PASSWORD)
    assert db.write(auth.authenticate, "carla@jobcoach.nl", PASSWORD).role == "coach"
    with pytest.raises(NotFound):  # used once
        db.read(coaches.open_invitation, token)


def test_an_expired_or_repeated_invitation_link_does_not_work(db):
    first = db.write(coaches.invite, "carla@jobcoach.nl", "Carla", "", "organiser@example.org")
    old = db.write(coaches.mint_invitation, first.id)
    later = datetime.now().astimezone() + timedelta(days=coaches.INVITATION_DAYS + 1)
    with pytest.raises(NotFound):
        db.read(coaches.open_invitation, old, later)
    second = db.write(coaches.invite, "carla@jobcoach.nl", "Carla Coach", "", "organiser@example.org")
    with pytest.raises(NotFound):  # inviting again: the first link stops working
        db.read(coaches.open_invitation, old)
    assert db.read(coaches.open_invitation, db.write(coaches.mint_invitation, second.id)).name == "Carla Coach"
    assert db.read(lambda s: len(s.exec(select(User)).all())) == 1
    make_coach(db, "dirk@jobcoach.nl")
    with pytest.raises(DomainError) as taken:  # an account in use is never taken over by an invitation
        db.write(coaches.invite, "dirk@jobcoach.nl", "Dirk", "", "organiser@example.org")
    assert taken.value.code == "auth.user_exists"


def test_a_coach_signs_up_many_clients_with_consent_passed_on(db, create_event):
    coach = make_coach(db)
    event = create_event(capacity_jobseekers=10)
    results = [db.write(coaches.sign_up_client, coach.id, event.id, person(n, phone=None)) for n in range(12)]
    assert [r.registration.status for r in results] == ["confirmed"] * 10 + ["waitlisted"] * 2
    clients = db.read(caseload.caseload, coach.id)
    assert len(clients) == 12 and all(c.events[0].event_id == event.id for c in clients)
    consents = db.read(lambda s: s.exec(select(Consent)).all())
    assert {c.given_via for c in consents} == {"coach:carla@jobcoach.nl"}
    reg = results[0].registration
    assert (reg.source, reg.coach_email, reg.coach_confirmed) == ("coach", "carla@jobcoach.nl", True)
    # The client's confirmation goes to the client, and a copy to the coach.
    to = db.read(lambda s: s.exec(select(Message.to_address).where(Message.registration_id == reg.id)).all())
    assert sorted(to) == ["carla@jobcoach.nl", "persoon0@example.nl"]
    with pytest.raises(DomainError) as twice:
        db.write(coaches.sign_up_client, coach.id, event.id, person(0, phone=None))
    assert twice.value.code == "coach.already_registered"


def test_a_known_person_is_not_changed_nor_handed_to_the_coach_until_they_confirm(db, create_event):
    coach = make_coach(db)
    first, second = create_event(), create_event(title="Tweede")
    own = db.write(registration.register_jobseeker, first.id, person(1, name="Ans Bakker", phone="0612345678"))
    stored = db.read(lambda s: s.get(Jobseeker, own.registration.jobseeker_id)).model_dump()
    signup = db.write(coaches.sign_up_client, coach.id, second.id,
                      person(1, name="Iemand Anders", phone="0687654321", support_needs=["wheelchair"],
                             consent_special=True))
    assert db.read(lambda s: s.get(Jobseeker, own.registration.jobseeker_id)).model_dump() == stored
    assert db.read(lambda s: s.exec(select(ProfileProposal)).all())  # what differs waits for staff
    assert db.read(caseload.caseload, coach.id) == []
    reg = signup.registration
    assert reg.coach_email == "carla@jobcoach.nl" and not reg.coach_confirmed
    # Not theirs: the coach cannot cancel it, nor learn whether the person was signed up before.
    with pytest.raises(DomainError) as refused:
        db.write(coaches.cancel_for_client, coach.id, own.registration.id)
    assert refused.value.code == "coach.not_your_client"
    again = db.write(coaches.sign_up_client, coach.id, first.id, person(1))
    assert again.registration.id == own.registration.id and again.registration.status == "confirmed"
    # The person confirms the coach with their own link: now the coach sees them.
    from eventtool.messages import links
    token = db.write(links.mint, reg.id, second.ends_at)
    db.write(mine.confirm_coach, token)
    (client,) = db.read(caseload.caseload, coach.id)
    assert client.jobseeker_id == own.registration.jobseeker_id and client.name == "Ans Bakker"
    assert db.read(lambda s: s.exec(select(CoachClient.how)).all()) == ["confirmed"]


def test_a_coach_sees_only_their_own_clients_and_acts_only_on_them(db, create_event):
    carla, dirk = make_coach(db), make_coach(db, "dirk@jobcoach.nl", "Dirk")
    event = create_event()
    mine_ = db.write(coaches.sign_up_client, carla.id, event.id, person(1, name="Bas de Boer")).registration
    theirs = db.write(coaches.sign_up_client, dirk.id, event.id, person(2, name="Aad Aarts")).registration
    assert [c.name for c in db.read(caseload.caseload, carla.id)] == ["Bas de Boer"]
    with pytest.raises(DomainError):
        db.write(coaches.cancel_for_client, carla.id, theirs.id)
    with pytest.raises(DomainError):
        db.write(coaches.end_caseload, carla.id, theirs.jobseeker_id)
    db.write(coaches.cancel_for_client, carla.id, mine_.id)
    statuses = dict(db.read(lambda s: s.exec(select(Registration.id, Registration.status)).all()))
    assert statuses == {mine_.id: "cancelled", theirs.id: "confirmed"}
    db.write(coaches.end_caseload, carla.id, mine_.jobseeker_id)
    assert db.read(caseload.caseload, carla.id) == [] and len(db.read(caseload.caseload, dirk.id)) == 1
    # A staff account or a switched-off coach is no coach.
    db.write(auth.set_active, dirk.id, False, carla.id)
    with pytest.raises(DomainError):
        db.read(caseload.caseload, dirk.id)


def test_a_client_cannot_undo_no_longer_my_client(db, create_event):
    """The coach said the person is no longer their client: the person's page no longer asks
    whether that coach is theirs, and their link cannot put them back on the caseload (a coach is
    named again only by a new sign-up or by staff)."""
    from eventtool.messages import links
    coach = make_coach(db)
    event = create_event()
    reg = db.write(coaches.sign_up_client, coach.id, event.id, person(1, name="Bas de Boer")).registration
    token = db.write(links.mint, reg.id, event.ends_at)
    db.write(mine.confirm_coach, token)
    db.write(coaches.end_caseload, coach.id, reg.jobseeker_id)
    stored = db.read(lambda s: s.get(Registration, reg.id))
    assert (stored.coach_email, stored.coach_name, stored.coach_confirmed) == (None, None, False)
    with pytest.raises(DomainError) as refused:
        db.write(mine.confirm_coach, token)
    assert refused.value.code == "mine.no_coach"
    assert db.read(caseload.caseload, coach.id) == []
    assert db.read(lambda s: s.exec(select(CoachClient)).all()) == []


def test_the_caseload_shows_schedules_and_surveys_and_sorts_by_surname(db, create_event):
    from eventtool.planning import speedmeet
    from eventtool.results import surveys
    coach = make_coach(db)
    event = create_event(kind="speedmeet", capacity_employers=3)
    emp = db.write(registration.register_employer, event.id, dict(organisation="Bakkerij Brood", contact_name="B",
                                                                  email="b@brood.nl", recruiters=1,
                                                                  sectors=["care"]),
                   source=registration.RegSource.ORGANISER).registration
    for n, name in enumerate(["Zeynep van Dijk", "Bram Aalders", "Anna de Wit"]):
        db.write(coaches.sign_up_client, coach.id, event.id, person(n, name=name, interests=["care"]))
    db.write(speedmeet.save_settings, event.id, dict(rounds=3, round_minutes=10, break_minutes=0,
                                                     first_round_at=event.starts_at, max_meetings=3, coverage_bonus=10))
    db.write(speedmeet.run_planner, event.id, time_limit=2)
    db.write(speedmeet.publish, event.id)
    clients = db.read(caseload.caseload, coach.id)
    assert [c.name for c in clients] == ["Bram Aalders", "Zeynep van Dijk", "Anna de Wit"]
    assert all(len(c.events[0].schedule) == 1 and c.events[0].schedule[0][3] == "Bakkerij Brood" for c in clients)
    assert emp.employer_id
    later = event.ends_at + timedelta(days=8)
    db.write(lambda s: [setattr(r, "checked_in_at", event.starts_at) for r in s.exec(select(Registration))])
    db.write(surveys.queue_due, ["1w"], later)
    states = {(sv.respondent, sv.state) for c in db.read(caseload.caseload, coach.id, later) for sv in c.surveys}
    assert states == {("jobseeker", "open"), ("coach", "open")}


def test_a_persons_export_names_their_coach_and_erasure_takes_them_off_the_caseload(db, create_event):
    from eventtool.privacy import privacy
    coach = make_coach(db)
    reg = db.write(coaches.sign_up_client, coach.id, create_event().id, person(1)).registration
    data = db.read(privacy.person_data, reg.jobseeker_id)
    assert [(c["email"], c["how"]) for c in data["coaches"]] == [("carla@jobcoach.nl", "signed_up")]
    assert data["consents"][0]["given_via"] == "coach:carla@jobcoach.nl"
    db.write(privacy.erase_person, reg.jobseeker_id)
    assert db.read(caseload.caseload, coach.id) == []


def test_a_coach_helps_write_a_clients_card_and_only_the_client_shares_it(db, create_event):
    """Issue 28: the coach fills in the card; it is not shared until the client ticks it with their own
    link (a card the client had shared stops being shared when the coach changes it); another coach's
    client is out of reach."""
    carla, dirk = make_coach(db), make_coach(db, "dirk@jobcoach.nl", "Dirk")
    event = create_event(kind="speedmeet")
    client = db.write(coaches.sign_up_client, carla.id, event.id, person(1, name="Bas de Boer")).registration
    other = db.write(coaches.sign_up_client, dirk.id, event.id, person(2, name="Aad Aarts")).registration
    text = {"pitch": "Bas werkt graag met zijn handen.", "seeking": "Werk in de bouw", "hours": "24 uur"}
    card = db.write(coaches.fill_card, carla.id, client.id, text)
    assert (card.pitch, card.shared, card.status, card.via) == (text["pitch"], False, "pending", "coach:carla@jobcoach.nl")
    assert db.read(cards.visible_cards, event.id) == [] and db.read(cards.waiting) == []  # nothing shared, nothing to review
    [seen] = [e for c in db.read(caseload.caseload, carla.id) for e in c.events]
    assert seen.card.pitch == text["pitch"]
    with pytest.raises(DomainError) as exc:
        db.write(coaches.fill_card, carla.id, other.id, text)
    assert exc.value.code == "coach.not_your_client" and db.read(cards.card_of, other.id) is None
    with pytest.raises(DomainError):
        db.write(coaches.fill_card, carla.id, client.id, {})  # an empty card is no card
    # The client agrees and shares it with their own link; staff approve; employers see it.
    token = db.write(links.mint, client.id, event.ends_at)
    db.write(mine.save_card, token, text, True)
    shared = db.read(cards.card_of, client.id)
    assert shared.shared and shared.via is None and shared.shared_at is not None
    db.write(cards.approve, shared.id, "staff@example.org")
    assert [c.registration_id for c in db.read(cards.visible_cards, event.id)] == [client.id]
    # The coach changes it again: no longer shared until the client shares it again.
    db.write(coaches.fill_card, carla.id, client.id, dict(text, hours="32 uur"))
    again = db.read(cards.card_of, client.id)
    assert (again.shared, again.status, again.hours) == (False, "pending", "32 uur")
    assert db.read(cards.visible_cards, event.id) == []
