"""Coaches on their pages: staff invite one, the link lets them choose a password and lands them on
'Mijn cliënten', where they sign up clients and act on their own clients only."""
from sqlmodel import select

from eventtool.messages.models import Message
from eventtool.registration.models import ProfileCard, Registration
from eventtool.people.models import User
from eventtool.registration import coaches
from eventtool.people.models import Invitation

from ..conftest import person
from .test_public import make_event, texts
from eventtool.results import caseload

PASSWORD = "een lang eigen wachtwoord"


def test_staff_invite_a_coach_who_chooses_a_password_and_lands_on_their_clients(app, page_db):
    at = app(role="organiser", page="views/users_admin.py")
    at.text_input(key="inv_email").set_value("carla@jobcoach.nl")
    at.text_input(key="inv_name").set_value("Carla Coach")
    at.text_input(key="inv_org").set_value("Jobcoach Oss")
    at.button[-1].click().run()
    assert not at.exception and "De uitnodiging is verstuurd." in texts(at)
    (invitation,) = page_db.read(lambda s: s.exec(select(Invitation)).all())
    assert page_db.read(lambda s: s.exec(select(Message.kind).where(Message.invitation_id == invitation.id)).all()) \
        == ["invitation"]
    token = page_db.write(coaches.mint_invitation, invitation.id)

    visitor = app(page="views/invitation.py")
    assert any("via de link" in i.value for i in visitor.info)
    wrong = app(page="views/invitation.py", query={"t": "x" * 43})
    assert any("werkt niet" in w.value for w in wrong.warning)
    at = app(page="views/invitation.py", query={"t": token})
    assert any("Welkom, Carla Coach" in m.value for m in at.markdown)
    at.text_input(key="inv_password").set_value(PASSWORD)
    at.text_input(key="inv_repeat").set_value(PASSWORD + "!")
    at.button[0].click().run()
    assert "De twee wachtwoorden zijn niet gelijk." in [e.value for e in at.error]
    assert "user" not in at.session_state
    at.text_input(key="inv_password").set_value(PASSWORD)
    at.text_input(key="inv_repeat").set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["user"]["role"] == "coach"
    assert at.title[0].value == "Mijn cliënten"
    assert page_db.read(lambda s: s.exec(select(User.active).where(User.email == "carla@jobcoach.nl")).one())


def test_a_coach_signs_up_a_client_sees_only_their_own_and_cancels_after_a_question(app, page_db):
    event = make_event(page_db, capacity_jobseekers=5)
    at = app(role="coach", page="views/coach.py")
    me = at.session_state["user"]["id"]
    page_db.write(lambda s: s.add(User(email="dirk@jobcoach.nl", name="Dirk", role="coach", password_hash="!")))
    dirk = page_db.read(lambda s: s.exec(select(User.id).where(User.email == "dirk@jobcoach.nl")).one())
    page_db.write(coaches.sign_up_client, dirk, event.id, person(9, name="Niet Van Mij"))
    assert "U heeft nog geen cliënten. Meld een cliënt aan bij 'Cliënt aanmelden'." in texts(at)

    at.session_state["coach_tab"] = "Cliënt aanmelden"
    at.run()
    at.text_input(key="co_0_name").set_value("Fatima el Amrani")
    at.text_input(key="co_0_email").set_value("fatima@example.nl")
    at.button(key="FormSubmitter:coach_signup-Cliënt aanmelden").click().run()
    assert not at.exception and any("toestemming" in e.value for e in at.error)  # consent is required
    assert page_db.read(lambda s: len(s.exec(select(Registration)).all())) == 1
    at.checkbox(key="co_0_consent_registration").check()
    at.checkbox(key="co_0_comes_along").check()  # the coach comes along: a linked seat
    at.button(key="FormSubmitter:coach_signup-Cliënt aanmelden").click().run()
    assert not at.exception
    assert page_db.read(lambda s: s.exec(select(Registration.companion, Registration.companion_name).where(
        Registration.coach_email != "dirk@jobcoach.nl")).all()) == [("jobcoach", "Test coach")]
    assert any("Fatima el Amrani is aangemeld" in i.value for i in at.info)
    # A new, empty form for the next client: every field, and the consent above all.
    assert [at.text_input(key=f"co_1_{f}").value for f in ("name", "email", "phone")] == ["", "", ""]
    assert not at.checkbox(key="co_1_consent_registration").value and not at.checkbox(key="co_1_consent_special").value
    assert not at.checkbox(key="co_1_comes_along").value and at.multiselect(key="co_1_support_needs").value == []

    at.session_state["coach_tab"] = "Cliënten"
    at.run()
    (client,) = page_db.read(caseload.caseload, me)
    assert at.selectbox(key="coach_client").options == ["Fatima el Amrani · fatima@example.nl"]
    assert "Niet Van Mij" not in str(at.dataframe[0].value)
    assert any("komt mee: jobcoach Test coach" in m.value for m in at.markdown)  # the linked seat shows
    reg_id = client.events[0].registration_id
    at.button(key=f"coach_cancel_{reg_id}").click().run()
    assert any("Weet u zeker" in w.value and "Fatima el Amrani" in w.value for w in at.warning)
    assert page_db.read(lambda s: s.get(Registration, reg_id).status) == "confirmed"  # asked first
    at.button(key=f"coach_cancel_yes_{reg_id}").click().run()
    statuses = page_db.read(lambda s: sorted(s.exec(select(Registration.status)).all()))
    assert statuses == ["cancelled", "confirmed"]  # only this client's; Dirk's client keeps their place


def test_a_coach_fills_in_a_clients_card_which_stays_unshared(app, page_db):
    event = make_event(page_db, kind="speedmeet", capacity_jobseekers=5)
    at = app(role="coach", page="views/coach.py")
    me = at.session_state["user"]["id"]
    reg = page_db.write(coaches.sign_up_client, me, event.id, person(3, name="Bas de Boer")).registration
    at.run()
    before = page_db.read(lambda s: [(r.id, r.status) for r in s.exec(select(Registration))])
    at.text_area(key=f"coach_card_pitch_{reg.id}").input("Bas is handig en rustig.")
    at.text_input(key=f"coach_card_hours_{reg.id}").input("24 uur")
    at.button(key=f"FormSubmitter:coach_card_{reg.id}-Kaart opslaan").click().run()
    assert not at.exception and any("De kaart van Bas de Boer is opgeslagen" in i.value for i in at.info)
    cards_ = page_db.read(lambda s: [(c.registration_id, c.pitch, c.hours, c.shared, c.via)
                                     for c in s.exec(select(ProfileCard))])
    assert cards_ == [(reg.id, "Bas is handig en rustig.", "24 uur", False, f"coach:{at.session_state['user']['email']}")]
    assert page_db.read(lambda s: [(r.id, r.status) for r in s.exec(select(Registration))]) == before
    assert at.text_area(key=f"coach_card_pitch_{reg.id}").value == "Bas is handig en rustig."  # what is stored
