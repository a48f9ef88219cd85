import pytest
from sqlmodel import select

from eventtool import auth, events, registration
from eventtool.access import visible_pages
from eventtool.models import Event, EventSeries

from ..conftest import local, person
from .test_public import make_event, submit


def logged_in(at):
    return any(c.value.startswith("Ingelogd als") for c in at.caption)


def test_login_with_wrong_then_right_password(app, page_db):
    page_db.write(auth.create_user, "org@example.nl", "Olga", "organiser", "a long test password")
    at = app(page="views/login.py")
    at.text_input(key="login_email").input("org@example.nl")
    at.text_input(key="login_password").input("wrong password")
    submit(at)
    assert any("klopt niet" in e.value for e in at.error)
    assert at.text_input(key="login_password").value == ""  # never kept in the page
    at.text_input(key="login_email").input("org@example.nl")
    at.text_input(key="login_password").input("a long test password")
    submit(at)
    assert at.title[0].value == "Activiteiten"  # the organiser's landing page
    assert at.session_state["user"]["role"] == "organiser"


def test_pages_per_role():
    scripts = lambda role: {p.script.split("/")[-1] for p in visible_pages(role)}  # noqa: E731
    assert scripts(None) == {"agenda.py", "register_jobseeker.py", "register_employer.py", "cancel.py", "login.py"}
    assert scripts("coordinator") == scripts(None) | {
        "registrations_admin.py", "dayplan.py", "checkin.py", "downloads.py", "logout.py"}
    assert scripts("organiser") == scripts("coordinator") | {"events_admin.py", "planning.py", "outcomes.py",
                                                             "dashboard.py", "privacy_admin.py", "users_admin.py"}


def test_login_link_only_for_visitors():
    login = next(p for p in visible_pages(None) if p.script.endswith("login.py"))
    assert login.in_menu(None) and not login.in_menu("organiser")


def test_coordinator_cannot_reach_organiser_pages(app, page_db):
    coordinator = app(role="coordinator", page="views/registrations_admin.py")
    assert coordinator.title[0].value == "Aanmeldingen"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        coordinator.switch_page("views/events_admin.py")


def test_idle_login_expires(app, page_db):
    assert logged_in(app(role="organiser", idle_seconds=29 * 60))
    at = app(role="organiser", idle_seconds=31 * 60)
    assert not logged_in(at)
    assert any("niet actief" in i.value for i in at.info)


def test_logout(app, page_db):
    at = app(role="organiser")
    assert logged_in(at)
    at.switch_page("views/logout.py").run()
    assert not logged_in(at) and any("uitgelogd" in i.value for i in at.info)


def test_organiser_creates_an_event(app, page_db):
    at = app(role="organiser", page="views/events_admin.py")
    assert not at.exception
    at.text_input(key="new_event_title").input("Speedmeet <Zorg>")
    at.selectbox(key="new_event_kind").set_value("speedmeet")
    at.number_input(key="new_event_capacity_jobseekers").set_value(30)
    at.radio(key="new_event_status").set_value("published")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert any("opgeslagen" in i.value for i in at.info)
    created = page_db.read(lambda s: s.exec(select(Event)).one())
    assert (created.title, created.kind, created.capacity_jobseekers, created.status) == \
        ("Speedmeet <Zorg>", "speedmeet", 30, "published")


def test_event_form_errors_are_shown(app, page_db):
    at = app(role="organiser", page="views/events_admin.py")
    at.text_input(key="new_event_title").input("")
    at.time_input(key="new_event_end").set_value(local(hour=9).time())
    at.get("form_submit_button")[0].click().run()
    errors = [e.value for e in at.error]
    assert "Vul dit veld in." in errors and "De eindtijd moet na de begintijd liggen." in errors
    assert page_db.read(lambda s: s.exec(select(Event)).all()) == []


def test_organiser_creates_a_series(app, page_db):
    at = app(role="organiser", page="views/events_admin.py")
    at.text_input(key="series_title").input("Meet&Greet")
    at.number_input(key="series_count").set_value(5)
    [b for b in at.get("form_submit_button") if b.label == "Reeks maken"][0].click().run()
    assert not at.exception
    series = page_db.read(lambda s: s.exec(select(EventSeries)).one())
    assert len(page_db.read(events.series_events, series.id)) == 5


def test_organiser_edits_and_cancels_an_event(app, page_db):
    ev = make_event(page_db, title="Oud")
    at = app(role="organiser", page="views/events_admin.py")
    key = f"edit_{ev.id}_{ev.sequence}"
    at.text_input(key=f"{key}_title").input("Nieuw")
    [b for b in at.get("form_submit_button") if b.label == "Wijzigingen opslaan"][0].click().run()
    assert page_db.read(events.get_event, ev.id).title == "Nieuw"
    [b for b in at.button if b.key == "cancel_event"][0].click().run()
    assert page_db.read(events.get_event, ev.id).status == "cancelled"


def test_programme_block_added(app, page_db):
    ev = make_event(page_db)
    at = app(role="organiser", page="views/events_admin.py")
    at.text_input(key="block_title").input("Werkgeversontbijt")
    at.selectbox(key="block_audience").set_value("employers")
    [b for b in at.get("form_submit_button") if b.label == "Onderdeel toevoegen"][0].click().run()
    assert not at.exception
    assert [b.title for b in page_db.read(events.list_blocks, ev.id)] == ["Werkgeversontbijt"]


def test_registrations_list_and_walk_in(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=1)
    page_db.write(registration.register_jobseeker, ev.id, person(name="**Anna**", support_needs=["quiet_space"],
                                                                  consent_special=True))
    at = app(role="coordinator", page="views/registrations_admin.py")
    assert not at.exception
    df = at.dataframe[0].value
    assert list(df["name"]) == ["**Anna**"]
    assert "support_needs" not in df.columns  # hidden unless asked for
    at.toggle[0].set_value(True).run()
    assert list(at.dataframe[0].value["support_needs"]) == ["Een rustige ruimte"]
    at.text_input(key="wi_name").input("Binnenloper")
    at.text_input(key="wi_phone").input("0612345678")
    at.get("form_submit_button")[0].click().run()
    assert any("Zet een vinkje" in e.value for e in at.error)
    at.checkbox(key="wi_consent").check()
    at.get("form_submit_button")[0].click().run()
    rows = page_db.read(registration.registrations_table, ev.id)
    assert sorted((r["name"], r["status"], r["checked_in"]) for r in rows) == [
        ("**Anna**", "confirmed", False), ("Binnenloper", "confirmed", True)]


@pytest.mark.parametrize("script", [p.script for p in visible_pages("organiser") if p.section == "staff"
                                    and p.in_menu("organiser") and not p.script.endswith("logout.py")])
def test_staff_views_refuse_to_render_without_the_right_role(page_db, script):
    """Even run directly, without the router, a staff view shows nothing to a visitor."""
    from streamlit.testing.v1 import AppTest
    from ..conftest import ROOT_DIR
    at = AppTest.from_file(str(ROOT_DIR / script), default_timeout=60).run()
    assert [e.value for e in at.error] == ["U mag deze pagina niet zien. Log in met een account dat dat wel mag."]
    assert not at.dataframe and not at.get("form_submit_button")


def test_organiser_creates_a_coordinator_account_and_it_is_logged(app, page_db):
    from eventtool import audit
    at = app(role="organiser", page="views/users_admin.py")
    assert not at.exception
    at.text_input(key="us_email").input("nieuw@example.nl")
    at.text_input(key="us_name").input("Nieuwe Coördinator")
    at.selectbox(key="us_role").set_value("coordinator")
    at.text_input(key="us_password").input("kort")
    at.get("form_submit_button")[0].click().run()
    assert any("minstens 12 tekens" in e.value for e in at.error)
    at.text_input(key="us_password").input("een lang genoeg wachtwoord")
    at.get("form_submit_button")[0].click().run()
    assert page_db.write(auth.authenticate, "nieuw@example.nl", "een lang genoeg wachtwoord").role == "coordinator"
    assert [e.action for e in page_db.read(audit.entries)] == ["auth.create_user"]


def test_privacy_page_exports_and_erases_a_person(app, page_db):
    from eventtool import audit, privacy
    from .test_public import make_event
    ev = make_event(page_db)
    jid = page_db.write(registration.register_jobseeker, ev.id, person(name="Zoë Privé")).registration.jobseeker_id
    at = app(role="organiser", page="views/privacy_admin.py")
    at.text_input(key="pv_query").input("Privé").run()
    assert len(at.get("download_button")) == 2
    at.checkbox(key=f"pv_sure_{jid}").check().run()
    [b for b in at.button if b.key == "pv_erase"][0].click().run()
    assert page_db.read(privacy.person_data, jid)["profile"]["name"] == privacy.ERASED_NAME
    assert "privacy.erase_person" in [e.action for e in page_db.read(audit.entries)]
