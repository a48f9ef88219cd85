"""Employers' contact persons: invited by staff, signed in by a link by mail; their places; one
organisation never reaches another's."""
import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from eventtool import sender
from eventtool.core.config import get_settings
from eventtool.core.errors import DomainError, NotFound, ValidationFailed
from eventtool.messages.models import Message
from eventtool.people import accounts as auth, employer_accounts as ea, vacancies
from eventtool.people.models import Employer, LoginFailure, LoginLink, User, Vacancy
from eventtool.registration import coaches

from ..messages.conftest import smtp  # noqa: F401 - the real SMTP server of the messages tests

STAFF = "organiser@example.org"


def organisation(db, name="Bakkerij Brood", email="hr@brood.nl") -> Employer:
    def make(session):
        employer = Employer(organisation=name, organisation_key=name.casefold(), contact_name="Jan", email=email)
        session.add(employer)
        session.flush()
        return employer
    return db.write(make)


def link_in(smtp, address: str) -> str:
    text = smtp.by_to(address)[-1].get_body(("plain",)).get_content()
    return re.search(r"https://events\.example/inloglink\?t=([\w-]+)", text)[1]


def now() -> datetime:
    return datetime.now().astimezone()


def test_staff_invite_a_contact_person_whose_mail_signs_them_in_once(db, smtp):
    employer = organisation(db)
    user = db.write(ea.invite, employer.id, "Petra@Brood.nl ", "Petra Personeel", STAFF, lang="en")
    assert (user.role, user.employer_id, user.email, user.active) == ("employer", employer.id, "petra@brood.nl", True)
    with pytest.raises(DomainError):  # no password: only a link signs in
        db.write(auth.authenticate, "petra@brood.nl", "!")
    assert sender.run_once(db, get_settings()).sent == 1
    mail = smtp.by_to("petra@brood.nl")[0]
    text = mail.get_body(("plain",)).get_content()
    assert "Bakkerij Brood" in text and "7 days" in text and "[[" not in text
    token = link_in(smtp, "petra@brood.nl")
    assert db.read(lambda s: s.exec(select(LoginLink.token_hash)).one()) not in (None, token)  # only the hash
    assert db.read(ea.check_link, token) == "Petra Personeel"
    signed_in = db.write(ea.sign_in_with_link, token)
    assert signed_in.id == user.id and db.read(ea.employer_id_of, user.id) == employer.id
    with pytest.raises(NotFound):  # one use
        db.write(ea.sign_in_with_link, token)


def test_an_invitation_never_takes_over_an_account_of_another_kind_or_organisation(db):
    first, second = organisation(db), organisation(db, "Garage Gas", "hr@gas.nl")
    db.write(ea.invite, first.id, "petra@brood.nl", "Petra", STAFF)
    with pytest.raises(DomainError) as other:
        db.write(ea.invite, second.id, "petra@brood.nl", "Petra", STAFF)
    assert other.value.code == "auth.user_exists"
    db.write(coaches.invite, "carla@jobcoach.nl", "Carla", "", STAFF)
    with pytest.raises(DomainError):
        db.write(ea.invite, first.id, "carla@jobcoach.nl", "Carla", STAFF)
    kees = db.write(ea.invite, first.id, "kees@brood.nl", "Kees", STAFF)  # a team: a second contact person
    assert [u.name for u in db.read(ea.contacts, first.id)] == ["Kees", "Petra"]
    assert db.read(ea.contacts, second.id) == []
    gijs = db.write(ea.invite, second.id, "gijs@gas.nl", "Gijs", STAFF)
    db.write(auth.set_active, kees.id, False, acting_user_id=0)
    petra = db.read(lambda s: s.exec(select(User.id).where(User.email == "petra@brood.nl")).one())
    assert [u.name for u in db.read(ea.team, petra)] == ["Petra"]  # active colleagues of its own organisation
    assert [u.name for u in db.read(ea.team, gijs.id)] == ["Gijs"]


def test_a_requested_link_works_30_minutes_once_and_a_newer_one_ends_it(db, smtp):
    employer = organisation(db)
    db.write(ea.invite, employer.id, "petra@brood.nl", "Petra", STAFF)
    db.write(ea.request_link, "petra@brood.nl")
    db.write(ea.request_link, " PETRA@brood.nl")
    # The invitation's and the first request's mails, not sent yet, went with their links: one mail.
    assert sender.run_once(db, get_settings()).sent == 1 and len(smtp.by_to("petra@brood.nl")) == 1
    assert db.read(lambda s: len(s.exec(select(Message)).all())) == 1
    token = link_in(smtp, "petra@brood.nl")
    with pytest.raises(NotFound):  # expired after 30 minutes
        db.read(ea.check_link, token, now() + timedelta(minutes=ea.LINK_MINUTES + 1))
    assert db.write(ea.sign_in_with_link, token).email == "petra@brood.nl"


def test_a_new_request_ends_an_older_unused_link(db):
    employer = organisation(db)
    user = db.write(ea.invite, employer.id, "petra@brood.nl", "Petra", STAFF)
    first = db.read(lambda s: s.exec(select(LoginLink.id).where(LoginLink.user_id == user.id)).one())
    old = db.write(ea.mint_login_link, first)
    db.write(ea.request_link, "petra@brood.nl")
    with pytest.raises(NotFound):
        db.write(ea.sign_in_with_link, old)
    newest = db.read(lambda s: s.exec(select(LoginLink.id).order_by(LoginLink.id.desc())).first())
    assert db.write(ea.sign_in_with_link, db.write(ea.mint_login_link, newest)).id == user.id


def test_a_request_for_an_unknown_address_queues_nothing_and_answers_the_same(db):
    employer = organisation(db)
    db.write(ea.invite, employer.id, "petra@brood.nl", "Petra", STAFF)
    db.write(coaches.invite, "carla@jobcoach.nl", "Carla", "", STAFF)
    before = db.read(lambda s: len(s.exec(select(Message)).all()))
    assert db.write(ea.request_link, "nobody@example.org") is None
    assert db.write(ea.request_link, "carla@jobcoach.nl") is None  # a coach gets no sign-in link
    assert db.read(lambda s: len(s.exec(select(Message)).all())) == before
    with pytest.raises(DomainError) as bad:
        db.write(ea.request_link, "no address")
    assert bad.value.field == "email"


def test_a_switched_off_account_gets_no_link_and_its_links_stop(db):
    employer = organisation(db)
    user = db.write(ea.invite, employer.id, "petra@brood.nl", "Petra", STAFF)
    link = db.read(lambda s: s.exec(select(LoginLink.id)).one())
    token = db.write(ea.mint_login_link, link)
    db.write(auth.set_active, user.id, False, acting_user_id=0)
    with pytest.raises(NotFound):
        db.write(ea.sign_in_with_link, token)
    before = db.read(lambda s: len(s.exec(select(Message)).all()))
    db.write(ea.request_link, "petra@brood.nl")
    assert db.read(lambda s: len(s.exec(select(Message)).all())) == before
    with pytest.raises(DomainError):
        db.read(ea.employer_id_of, user.id)


def test_requests_for_links_are_limited_per_address(db):
    employer = organisation(db)
    db.write(ea.invite, employer.id, "petra@brood.nl", "Petra", STAFF)
    count = lambda: db.read(lambda s: len(s.exec(select(LoginLink)).all()))  # noqa: E731 - links made (a mail each)
    start = count()
    for _ in range(ea.REQUESTS_PER_EMAIL + 3):
        db.write(ea.request_link, "petra@brood.nl", "192.0.2.7")
    assert count() == start + ea.REQUESTS_PER_EMAIL
    later = now() + ea.auth.WINDOW + timedelta(minutes=1)
    db.write(ea.request_link, "petra@brood.nl", "192.0.2.7", now=later)
    assert count() == start + ea.REQUESTS_PER_EMAIL + 1
    # One client address asking for many addresses is limited too.
    for n in range(ea.REQUESTS_PER_ADDRESS + 2):
        db.write(ea.request_link, f"guess{n}@example.org", "198.51.100.9")
    assert db.read(lambda s: len(s.exec(select(LoginFailure).where(
        LoginFailure.key == "link-from:198.51.100.9")).all())) == ea.REQUESTS_PER_ADDRESS


def place(**overrides) -> dict:
    return dict(dict(title="Medewerker bakkerij", hours="24 uur", place="Oss",
                     adaptations=["jobcoach_welcome", "part_time"], description="Brood bakken\nen verkopen"), **overrides)


def test_places_are_added_changed_and_removed_by_their_own_organisation_only(db):
    first, second = organisation(db), organisation(db, "Garage Gas", "hr@gas.nl")
    petra = db.write(ea.invite, first.id, "petra@brood.nl", "Petra", STAFF)
    gijs = db.write(ea.invite, second.id, "gijs@gas.nl", "Gijs", STAFF)
    added = db.write(vacancies.add, petra.id, place())
    assert (added.employer_id, added.adaptations, added.description) == (
        first.id, ["jobcoach_welcome", "part_time"], "Brood bakken\nen verkopen")
    theirs = db.write(vacancies.add, gijs.id, place(title="Monteur"))
    db.write(vacancies.change, petra.id, added.id, place(title="Bakker", adaptations=["quiet_workplace"]))
    # Another organisation's place is not found, whatever id a request names.
    for verb, args in ((vacancies.change, (theirs.id, place(title="Overgenomen"))), (vacancies.remove, (theirs.id,))):
        with pytest.raises(DomainError) as refused:
            db.write(verb, petra.id, *args)
        assert refused.value.code == "vacancy.not_found"
    stored = db.read(lambda s: s.get(Vacancy, theirs.id))
    assert (stored.title, stored.active, stored.employer_id) == ("Monteur", True, second.id)
    assert [v.title for v in db.read(vacancies.places, petra.id)] == ["Bakker"]
    assert [v.title for v in db.read(vacancies.places, gijs.id)] == ["Monteur"]
    db.write(vacancies.remove, petra.id, added.id)
    assert db.read(vacancies.places, petra.id) == []
    assert [v.active for v in db.read(vacancies.places, petra.id, include_removed=True)] == [False]


def test_a_place_is_checked_field_by_field(db):
    petra = db.write(ea.invite, organisation(db).id, "petra@brood.nl", "Petra", STAFF)
    with pytest.raises(ValidationFailed) as bad:
        db.write(vacancies.add, petra.id, place(title=" ", adaptations=["free_lunch"], hours="x" * 61))
    assert set(bad.value.errors) == {"title", "adaptations", "hours"}
    assert db.read(lambda s: s.exec(select(Vacancy)).all()) == []


def test_only_an_employer_account_reaches_an_organisation(db):
    staff = db.write(auth.create_user, "org@example.org", "Olga", "organiser", "een lang eigen wachtwoord")
    with pytest.raises(DomainError):
        db.read(vacancies.places, staff.id)
    with pytest.raises(DomainError):
        db.write(vacancies.add, staff.id, place())


def test_the_organisation_describes_itself(db):
    employer = organisation(db)
    petra = db.write(ea.invite, employer.id, "petra@brood.nl", "Petra", STAFF)
    db.write(vacancies.update_organisation, petra.id, ["hospitality", "retail"], "Noordoost-Brabant", "Werk\nmet brood")
    stored = db.read(lambda s: s.get(Employer, employer.id))
    assert (stored.sectors, stored.region, stored.offers) == (["hospitality", "retail"], "Noordoost-Brabant", "Werk\nmet brood")
    with pytest.raises(DomainError):
        db.write(vacancies.update_organisation, petra.id, ["weapons"], None, "")


def test_a_sign_in_mail_whose_link_no_longer_works_fails_instead_of_going_out(db, smtp):
    employer = organisation(db)
    db.write(ea.invite, employer.id, "petra@brood.nl", "Petra", STAFF)
    late = now() + timedelta(days=ea.INVITE_DAYS, minutes=1)
    result = sender.run_once(db, get_settings(), now=late)
    assert (result.sent, result.failed) == (0, 1) and smtp.by_to("petra@brood.nl") == []
    (msg,) = db.read(lambda s: s.exec(select(Message)).all())
    assert msg.status == "failed" and "sign-in link" in msg.last_error


def test_an_employer_account_is_never_made_with_a_password(db):
    with pytest.raises(DomainError) as refused:
        db.write(auth.create_user, "petra@brood.nl", "Petra", "employer", "een lang eigen wachtwoord")
    assert refused.value.code == "auth.employer_by_invitation"
    assert db.read(lambda s: s.exec(select(User)).all()) == []
