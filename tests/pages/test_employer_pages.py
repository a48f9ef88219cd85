"""Employers on their own pages (issue 28): staff invite a contact person, a link by mail signs them
in, they keep their organisation and places and sign up for events; never a staff page, never
another organisation's data. Each UI action is checked in the database afterwards."""
import time

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from eventtool.core.access import PAGES, landing_page, visible_pages
from eventtool.messages.models import Message
from eventtool.people import employer_accounts as ea, vacancies
from eventtool.people.models import Employer, LoginLink, User, Vacancy
from eventtool.registration import employer_portal, registration
from eventtool.registration.models import Registration

from ..conftest import ROOT_DIR, company
from .test_public import make_event, submit, texts

STAFF = "organiser@example.org"
SAME_ANSWER = "Als dit adres bij ons bekend is, krijgt u binnen enkele minuten een e-mail met een link."


def organisation(db, n=1) -> int:
    event = make_event(db, title=f"Aanmelding {n}")
    return db.write(registration.register_employer, event.id, company(n)).registration.employer_id


def employer_user(db, employer_id, email="petra@bedrijf.nl", name="Petra") -> User:
    return db.write(ea.invite, employer_id, email, name, STAFF)


def as_employer(app_test: AppTest, user: User) -> AppTest:
    app_test.session_state["user"] = {"id": user.id, "name": user.name, "email": user.email, "role": user.role,
                                      "employer_id": user.employer_id}
    app_test.session_state["last_seen"] = time.time()
    return app_test


def employer_app(page_db, user, page=None) -> AppTest:
    at = as_employer(AppTest.from_file(str(ROOT_DIR / "app.py"), default_timeout=60), user)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_an_employer_sees_the_public_pages_and_its_own_only():
    scripts = lambda role: {p.script.split("/")[-1] for p in visible_pages(role)}  # noqa: E731
    assert scripts("employer") == scripts(None) | {"employer_organisation.py", "employer_events.py", "employer_coming.py",
                                                   "employer_schedule.py", "employer_talks.py", "logout.py"}
    assert landing_page("employer") == "views/employer_organisation.py"
    for spec in PAGES:
        if spec.script.split("/")[-1] in ("employer_organisation.py", "employer_events.py"):
            assert spec.roles == frozenset({"employer"})


def test_an_employer_reaches_no_staff_or_coach_page(app, page_db):
    user = employer_user(page_db, organisation(page_db))
    at = employer_app(page_db, user)
    assert not at.exception
    closed = [p.script for p in PAGES if "employer" not in p.roles]
    # Every page of staff or coaches (whatever is added later): the login page and the public ones stay open.
    assert set(closed) == {p.script for p in PAGES if p.section == "staff"} - {
        "views/login.py", "views/logout.py"} - {p.script for p in PAGES if p.roles == frozenset({"employer"})}
    assert "views/users_admin.py" in closed and "views/coach.py" in closed
    for script in closed:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(script)
    # Run directly, without the router, a staff view refuses the employer too.
    for script in ("views/users_admin.py", "views/registrations_admin.py", "views/coach.py"):
        direct = as_employer(AppTest.from_file(str(ROOT_DIR / script), default_timeout=60), user).run()
        assert [e.value for e in direct.error] == ["U mag deze pagina niet zien. Log in met een account dat dat wel mag."]
        assert not direct.dataframe and not direct.get("form_submit_button")


@pytest.mark.parametrize("script", ["views/employer_organisation.py", "views/employer_events.py",
                                    "views/employer_coming.py", "views/employer_schedule.py", "views/employer_talks.py"])
def test_the_employer_pages_refuse_a_visitor_and_staff(app, page_db, script):
    at = app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(script)
    organiser = app(role="organiser")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        organiser.switch_page(script)
    direct = AppTest.from_file(str(ROOT_DIR / script), default_timeout=60).run()
    assert [e.value for e in direct.error] == ["U mag deze pagina niet zien. Log in met een account dat dat wel mag."]


def test_staff_invite_a_contact_person_whose_link_signs_them_in_on_their_organisation(app, page_db):
    employer_id = organisation(page_db)
    at = app(role="organiser", page="views/users_admin.py")
    at.selectbox(key="inv_emp_org").set_value(employer_id)
    at.text_input(key="inv_emp_email").set_value("petra@bedrijf.nl")
    at.text_input(key="inv_emp_name").set_value("Petra Personeel")
    at.button(key="FormSubmitter:us_invite_emp_form-Uitnodigen").click().run()
    assert not at.exception and "De uitnodiging is verstuurd." in texts(at)
    assert at.text_input(key="inv_emp_email").value == "" and at.selectbox(key="inv_emp_org").value is None
    user = page_db.read(lambda s: s.exec(select(User).where(User.role == "employer")).one())
    assert (user.email, user.name, user.employer_id) == ("petra@bedrijf.nl", "Petra Personeel", employer_id)
    (link,) = page_db.read(lambda s: s.exec(select(LoginLink)).all())
    assert page_db.read(lambda s: s.exec(select(Message.kind).where(Message.login_link_id == link.id)).all()) == ["login_link"]
    token = page_db.write(ea.mint_login_link, link.id)

    assert any("via de link" in i.value for i in app(page="views/login_link.py").info)
    at = app(page="views/login_link.py", query={"t": token})
    assert "user" not in at.session_state  # opening the link (a mail scanner may) signs nobody in
    assert any("Welkom, Petra Personeel" in m.value for m in at.markdown)
    at.button(key="login_link_use").click().run()
    assert not at.exception
    assert at.session_state["user"]["employer_id"] == employer_id and at.session_state["user"]["role"] == "employer"
    assert at.title[0].value == "Onze organisatie"
    assert page_db.read(lambda s: s.get(LoginLink, link.id).used_at) is not None

    used = app(page="views/login_link.py", query={"t": token})
    assert any("werkt niet meer" in w.value for w in used.warning) and "user" not in used.session_state
    assert [p.label for p in used.get("page_link") if "nieuwe link" in p.label]


def test_the_login_page_answers_the_same_whether_or_not_the_address_has_an_account(app, page_db):
    employer_user(page_db, organisation(page_db))
    before = page_db.read(lambda s: len(s.exec(select(LoginLink)).all()))
    answers = []
    for address in ("petra@bedrijf.nl", "onbekend@example.org"):
        at = app(page="views/login.py")
        assert "Inloggen met een link per e-mail" in [h.value for h in at.header]
        at.text_input(key="link_email").input(address)
        at.button(key="FormSubmitter:login_link-Stuur mij een link").click().run()
        assert not at.exception and at.text_input(key="link_email").value == ""
        answers.append([s.value for s in at.success])
        assert "user" not in at.session_state
    assert answers == [[SAME_ANSWER], [SAME_ANSWER]]
    links = page_db.read(lambda s: s.exec(select(LoginLink).order_by(LoginLink.id)).all())
    assert len(links) == before + 1 and page_db.read(
        lambda s: s.exec(select(Message.to_address).where(Message.login_link_id == links[-1].id)).all()) == ["petra@bedrijf.nl"]


def test_an_employer_keeps_its_organisation_and_places(app, page_db):
    mine, theirs = organisation(page_db, 1), organisation(page_db, 2)
    user = employer_user(page_db, mine)
    other = employer_user(page_db, theirs, "gijs@bedrijf.nl", "Gijs")
    their_place = page_db.write(vacancies.add, other.id, {"title": "Monteur"})
    at = employer_app(page_db, user, "views/employer_organisation.py")
    assert not at.exception and "U heeft nog geen plekken. Voeg hieronder een plek toe." in texts(at)
    assert "Monteur" not in texts(at)
    team = [m for m in texts(at) if m.startswith("Wie met")]
    assert team == ["Wie met deze pagina's werken: Petra. Wilt u een collega toevoegen? Vraag het ons."]

    at.multiselect(key="org_sectors").set_value(["retail"])
    at.text_area(key="org_offers").set_value("Werk in de winkel")
    at.button(key="FormSubmitter:org_profile-Opslaan").click().run()
    assert not at.exception and "Opgeslagen." in texts(at)
    stored = page_db.read(lambda s: s.get(Employer, mine))
    assert (stored.sectors, stored.offers) == (["retail"], "Werk in de winkel")

    at.text_input(key="vac_new_title").set_value("Verkoper")
    at.text_input(key="vac_new_hours").set_value("20 uur")
    at.multiselect(key="vac_new_adaptations").set_value(["jobcoach_welcome", "quiet_workplace"])
    at.button(key="FormSubmitter:vac_add-Plek toevoegen").click().run()
    assert not at.exception and "De plek is toegevoegd." in texts(at)
    assert at.text_input(key="vac_new_title").value == ""  # an empty form for the next place
    (place,) = page_db.read(lambda s: s.exec(select(Vacancy).where(Vacancy.employer_id == mine)).all())
    assert (place.title, place.hours, place.adaptations) == ("Verkoper", "20 uur", ["jobcoach_welcome", "quiet_workplace"])
    assert "Dit kan worden aangepast: jobcoach welkom, rustige werkplek" in texts(at)

    at.button(key=f"vac_edit_button_{place.id}").click().run()
    assert at.text_input(key=f"vac_edit_{place.id}_title").value == "Verkoper"
    at.text_input(key=f"vac_edit_{place.id}_title").set_value("Verkoper kaas")
    at.button(key=f"FormSubmitter:vac_edit_{place.id}-Plek opslaan").click().run()
    assert not at.exception and "De plek is opgeslagen." in texts(at)
    assert page_db.read(lambda s: s.get(Vacancy, place.id).title) == "Verkoper kaas"

    at.button(key=f"vac_remove_{place.id}").click().run()
    assert page_db.read(lambda s: s.get(Vacancy, place.id).active)  # only asked
    at.button(key=f"vac_remove_yes_{place.id}").click().run()
    assert not at.exception and "De plek is verwijderd." in texts(at)
    assert not page_db.read(lambda s: s.get(Vacancy, place.id).active)
    # The other organisation's place and details are as they were.
    kept = page_db.read(lambda s: s.get(Vacancy, their_place.id))
    assert (kept.title, kept.active, kept.employer_id) == ("Monteur", True, theirs)
    assert page_db.read(lambda s: (s.get(Employer, theirs).sectors, s.get(Employer, theirs).offers)) == ([], "")


def test_an_employer_signs_up_for_an_event_changes_its_number_and_cancels(app, page_db):
    mine = organisation(page_db, 1)
    user = employer_user(page_db, mine)
    event = make_event(page_db, title="Banenmarkt Oss", capacity_employers=4)
    make_event(page_db, title="Concept", status="draft", capacity_employers=4)
    at = employer_app(page_db, user, "views/employer_events.py")
    assert not at.exception and "Banenmarkt Oss" in [s.value for s in at.header]
    assert "Concept" not in [s.value for s in at.header]
    at.number_input(key=f"emp_people_new_{event.id}").set_value(3)
    at.button(key=f"FormSubmitter:emp_signup_{event.id}-Aanmelden").click().run()
    assert not at.exception and any("is aangemeld voor Banenmarkt Oss" in i.value for i in at.info)
    reg = page_db.read(lambda s: s.exec(select(Registration).where(Registration.event_id == event.id)).one())
    assert (reg.employer_id, reg.status, reg.tables, reg.source) == (mine, "confirmed", 3, "employer")

    at.number_input(key=f"emp_people_{reg.id}").set_value(2)
    at.button(key=f"FormSubmitter:emp_people_{reg.id}_form-Aantal opslaan").click().run()
    assert not at.exception and page_db.read(lambda s: s.get(Registration, reg.id).tables) == 2

    at.button(key=f"emp_cancel_{reg.id}").click().run()
    assert page_db.read(lambda s: s.get(Registration, reg.id).status) == "confirmed"  # only asked
    at.button(key=f"emp_cancel_yes_{reg.id}").click().run()
    assert not at.exception and any("is afgemeld voor Banenmarkt Oss" in i.value for i in at.info)
    assert page_db.read(lambda s: s.get(Registration, reg.id).status) == "cancelled"
    others = page_db.read(lambda s: s.exec(select(Registration.status).where(Registration.event_id != event.id)).all())
    assert others == ["confirmed"]  # the sign-up that made the organisation, untouched


def test_the_public_sign_up_makes_a_page_for_a_new_organisation_only_and_says_the_same_either_way(app, page_db):
    event = make_event(page_db)
    messages = {}
    for organisation_name in ("Bakkerij Van Dam", "Bakkerij van Dam B.V."):
        at = app(page="views/register_employer.py")
        at.text_input(key="emp_organisation").input(organisation_name)
        at.text_input(key="emp_contact_name").input("Els")
        at.text_input(key="emp_email").input("els@vandam.nl" if "B.V." not in organisation_name else "iemand@example.org")
        submit(at)
        assert not at.exception and at.success
        messages[organisation_name] = [i.value for i in at.info]
    # The same words for a new and a known organisation: the page tells nobody whom we know.
    assert messages["Bakkerij Van Dam"] == messages["Bakkerij van Dam B.V."] == [
        "Is uw organisatie nieuw bij ons? Dan krijgt u een e-mail met een link naar de eigen pagina van uw organisatie. "
        "Kennen wij uw organisatie al, dan kan de organisator u uitnodigen."]
    assert page_db.read(lambda s: s.exec(select(User.email).where(User.role == "employer")).all()) == ["els@vandam.nl"]
    assert len(page_db.read(employer_portal.events, page_db.read(
        lambda s: s.exec(select(User.id).where(User.role == "employer")).one()))) == 1 and event
