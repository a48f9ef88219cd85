import pytest
from sqlmodel import select

from eventtool.people import accounts as auth
from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.access import landing_page, visible_pages
from eventtool.events.models import Event, EventSeries

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
    assert scripts(None) == {"agenda.py", "register_jobseeker.py", "register_employer.py", "cancel.py", "login.py",
                             "my_registration.py", "survey.py", "invitation.py", "login_link.py"}
    assert scripts("coordinator") == scripts(None) | {
        "registrations_admin.py", "profile_review.py", "dayplan.py", "checkin.py", "messages_admin.py", "downloads.py",
        "logout.py"}
    assert scripts("organiser") == scripts("coordinator") | {"events_admin.py", "planning.py", "outcomes.py",
                                                             "dashboard.py", "privacy_admin.py", "users_admin.py",
                                                             "follow_up.py", "import_people.py", "person.py",
                                                             "broadcast.py"}
    # A coach: the public pages, their own clients, and logging out; none of the organisation's.
    assert scripts("coach") == scripts(None) | {"coach.py", "logout.py"}
    assert landing_page("coach") == "views/coach.py"


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
    at.session_state["ev_tab"] = "Nieuwe activiteit"
    at.run()
    at.text_input(key="new_event_0_title").input("Speedmeet <Zorg>")
    at.selectbox(key="new_event_0_kind").set_value("speedmeet")
    at.number_input(key="new_event_0_capacity_jobseekers").set_value(30)
    at.radio(key="new_event_0_status").set_value("published")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert any("opgeslagen" in i.value for i in at.info)
    created = page_db.read(lambda s: s.exec(select(Event)).one())
    assert (created.title, created.kind, created.capacity_jobseekers, created.status) == \
        ("Speedmeet <Zorg>", "speedmeet", 30, "published")
    # Still on "Nieuwe activiteit", with an empty form: nothing of the last event carries over.
    assert at.session_state["ev_tab"] == "Nieuwe activiteit"
    assert at.text_input(key="new_event_1_title").value == ""
    assert at.selectbox(key="new_event_1_kind").value == "job_fair"


def test_event_form_errors_are_shown(app, page_db):
    at = app(role="organiser", page="views/events_admin.py")
    at.session_state["ev_tab"] = "Nieuwe activiteit"
    at.run()
    at.text_input(key="new_event_0_title").input("")
    at.time_input(key="new_event_0_end").set_value(local(hour=9).time())
    at.get("form_submit_button")[0].click().run()
    errors = [e.value for e in at.error]
    assert "Vul dit veld in." in errors and "De eindtijd moet na de begintijd liggen." in errors
    assert page_db.read(lambda s: s.exec(select(Event)).all()) == []


def test_organiser_creates_a_series(app, page_db):
    at = app(role="organiser", page="views/events_admin.py")
    at.session_state["ev_tab"] = "Nieuwe reeks"
    at.run()
    at.text_input(key="series_0_title").input("Meet&Greet")
    at.number_input(key="series_0_count").set_value(5)
    [b for b in at.get("form_submit_button") if b.label == "Reeks maken"][0].click().run()
    assert not at.exception
    series = page_db.read(lambda s: s.exec(select(EventSeries)).one())
    assert len(page_db.read(events.series_events, series.id)) == 5


def test_organiser_edits_and_cancels_an_event(app, page_db):
    ev = make_event(page_db, title="Oud")
    at = app(role="organiser", page="views/events_admin.py")
    at.session_state["ev_tab"] = "Bewerken"
    at.run()
    key = f"edit_{ev.id}_{ev.sequence}"
    at.text_input(key=f"{key}_title").input("Nieuw")
    [b for b in at.get("form_submit_button") if b.label == "Wijzigingen opslaan"][0].click().run()
    assert page_db.read(events.get_event, ev.id).title == "Nieuw"
    assert at.session_state["ev_tab"] == "Bewerken" and at.session_state["edit_event"] == ev.id  # stays put
    [b for b in at.button if b.key == f"cancel_event_{ev.id}"][0].click().run()
    assert page_db.read(events.get_event, ev.id).status != "cancelled"  # first the question
    assert any("Weet u zeker dat u" in w.value and "Nieuw" in w.value and "0 werkzoekenden" in w.value
               for w in at.warning)
    [b for b in at.button if b.key == f"cancel_event_yes_{ev.id}"][0].click().run()
    assert page_db.read(events.get_event, ev.id).status == "cancelled"


def test_programme_block_added(app, page_db):
    ev = make_event(page_db)
    at = app(role="organiser", page="views/events_admin.py")
    at.session_state["ev_tab"] = "Programma"
    at.run()
    at.text_input(key=f"block_{ev.id}_title").input("Werkgeversontbijt")
    at.selectbox(key=f"block_{ev.id}_audience").set_value("employers")
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
    at.text_input(key=f"wi_{ev.id}_name").input("Binnenloper")
    at.text_input(key=f"wi_{ev.id}_phone").input("0612345678")
    at.get("form_submit_button")[0].click().run()
    assert any("Zet een vinkje" in e.value for e in at.error)
    at.checkbox(key=f"wi_{ev.id}_consent").check()
    at.get("form_submit_button")[0].click().run()
    rows = page_db.read(registration.registrations_table, ev.id)
    assert sorted((r["name"], r["status"], r["checked_in"]) for r in rows) == [
        ("**Anna**", "confirmed", False), ("Binnenloper", "confirmed", True)]


def test_registrations_page_signs_up_someone_who_phoned(app, page_db):
    """By phone: the language of the confirmation is asked, the public form's rules apply (a full
    event means the waiting list) and the flash says what happened; nobody is checked in."""
    from sqlmodel import select

    from eventtool.messages.models import Message
    ev = make_event(page_db, capacity_jobseekers=1)
    at = app(role="coordinator", page="views/registrations_admin.py")
    at.radio(key=f"wi_{ev.id}_how").set_value("phone").run()
    at.selectbox(key=f"wi_{ev.id}_lang").set_value("en")
    at.text_input(key=f"wi_{ev.id}_name").input("Beller Een")
    at.text_input(key=f"wi_{ev.id}_email").input("beller1@example.nl")
    at.checkbox(key=f"wi_{ev.id}_consent").check()
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert any("krijgt een bevestiging per e-mail" in i.value for i in at.info)
    at.text_input(key=f"wi_{ev.id}_name").input("Beller Twee")
    at.text_input(key=f"wi_{ev.id}_email").input("beller2@example.nl")
    at.checkbox(key=f"wi_{ev.id}_consent").check()
    at.get("form_submit_button")[0].click().run()
    assert any("wachtlijst" in i.value for i in at.info)
    rows = page_db.read(registration.registrations_table, ev.id)
    assert sorted((r["name"], r["status"], r["checked_in"]) for r in rows) == [
        ("Beller Een", "confirmed", False), ("Beller Twee", "waitlisted", False)]
    sent = page_db.read(lambda s: sorted((m.to_address, m.kind, m.lang) for m in s.exec(select(Message))))
    assert sent == [("beller1@example.nl", "signup_confirmed", "en"), ("beller2@example.nl", "signup_waitlisted", "en")]


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
    from eventtool.core import audit
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


def test_a_blank_or_guessable_password_is_refused_with_what_works(app, page_db):
    from eventtool.core import audit
    at = app(role="organiser", page="views/users_admin.py")
    before = [u.email for u in page_db.read(auth.list_users)]
    at.text_input(key="us_email").input("nieuw@example.nl")
    at.text_input(key="us_name").input("Nieuwe Coördinator")
    for password, why in [("\u200b" * 12, "alleen uit spaties of tekens die u niet ziet"),
                          ("aaaaaaaaaaaa", "te makkelijk te raden")]:
        at.text_input(key="us_password").input(password)
        at.get("form_submit_button")[0].click().run()
        assert any(why in e.value and "een zin van" in e.value for e in at.error), [e.value for e in at.error]
        assert at.text_input(key="us_email").value == "nieuw@example.nl"  # the rest of the form is kept
    assert [u.email for u in page_db.read(auth.list_users)] == before
    assert page_db.read(audit.entries) == []


def test_privacy_page_exports_and_erases_a_person(app, page_db):
    from eventtool.core import audit
    from eventtool.privacy import privacy
    from .test_public import make_event
    ev = make_event(page_db)
    jid = page_db.write(registration.register_jobseeker, ev.id, person(name="Zoë Privé")).registration.jobseeker_id
    at = app(role="organiser", page="views/privacy_admin.py")
    at.text_input(key="pv_query").input("Privé").run()
    assert len(at.get("download_button")) == 2
    [b for b in at.button if b.key == f"pv_erase_{jid}"][0].click().run()
    assert page_db.read(privacy.person_data, jid)["profile"]["name"] == "Zoë Privé"  # first the question
    assert any("Zoë Privé" in w.value and "heeft 1 aanmelding;" in w.value for w in at.warning)
    [b for b in at.button if b.key == f"erase_yes_{jid}"][0].click().run()
    assert page_db.read(privacy.person_data, jid)["profile"]["name"] == privacy.ERASED_NAME
    assert "privacy.erase_person" in [e.action for e in page_db.read(audit.entries)]


def test_editing_one_series_date_changes_that_date_only(app, page_db):
    """The bug that started issue 10: saving the edit tab changed the event the Programma tab showed."""
    from datetime import timedelta
    from eventtool.core.timeutil import to_local
    fair = make_event(page_db, title="Onbeperkt aan het Werk", kind="job_fair")
    page_db.write(events.add_block, fair.id, {"title": "Ontbijt", "audience": "employers",
                                              "starts_at": to_local(fair.starts_at).replace(tzinfo=None),
                                              "ends_at": to_local(fair.starts_at).replace(tzinfo=None) + timedelta(hours=1)})
    data = {"kind": "meet_greet", "title": "Meet&Greet", "starts_at": local(days=40, hour=13),
            "ends_at": local(days=40, hour=15), "capacity_jobseekers": 10, "capacity_employers": 5, "status": "published"}
    series = page_db.write(events.create_series, data, events.SeriesRule("MONTHLY", weekday=local(days=40).weekday(),
                                                                         setpos=1, count=3))
    dates = page_db.read(events.series_events, series.id)
    before = {e.id: (e.title, e.kind, e.starts_at) for e in page_db.read(events.list_events)}
    at = app(role="organiser", page="views/events_admin.py")
    at.session_state["ev_tab"] = "Programma"
    at.run()
    at.selectbox(key="programme_event").set_value(fair.id).run()  # the Programma tab shows the fair
    assert at.session_state["ev_tab"] == "Programma"  # choosing there does not jump away
    at.session_state["ev_tab"] = "Bewerken"
    at.run()
    target = dates[1]
    at.selectbox(key="edit_event").set_value(target.id).run()
    key = f"edit_{target.id}_{target.sequence}"
    new_day = to_local(target.starts_at).date() + timedelta(days=2)
    at.date_input(key=f"{key}_date").set_value(new_day)
    [b for b in at.get("form_submit_button") if b.label == "Wijzigingen opslaan"][0].click().run()
    assert not at.exception
    after = {e.id: (e.title, e.kind, e.starts_at) for e in page_db.read(events.list_events)}
    assert to_local(after[target.id][2]).date() == new_day
    assert {i: v for i, v in after.items() if i != target.id} == {i: v for i, v in before.items() if i != target.id}
    assert [b.title for b in page_db.read(events.list_blocks, fair.id)] == ["Ontbijt"]
    assert at.session_state["ev_tab"] == "Bewerken" and at.session_state["edit_event"] == target.id


def test_login_keeps_the_chosen_language(app, page_db):
    page_db.write(auth.create_user, "org@example.nl", "Olga", "organiser", "a long test password")
    at = app(page="views/login.py")
    at.selectbox(key="lang_choice").set_value("en").run()
    at.text_input(key="login_email").input("org@example.nl")
    at.text_input(key="login_password").input("a long test password")
    submit(at)
    assert at.session_state["user"]["role"] == "organiser"
    assert at.title[0].value == "Events" and at.session_state["lang"] == "en"


def test_grids_show_empty_cells_as_empty(app, page_db):
    """Every table on every staff page shows a missing value as an empty cell, never 'None'."""
    from eventtool import fixtures
    page_db.write(fixtures.seed_demo)
    at = app(role="organiser")
    seen = 0
    for spec in visible_pages("organiser"):
        if spec.section != "staff" or spec.script.endswith("logout.py"):
            continue
        at.switch_page(spec.script).run()
        assert not at.exception, spec.script
        for frame in list(at.dataframe) + list(at.get("arrow_data_frame")):
            seen += 1
            assert frame.proto.HasField("placeholder") and frame.proto.placeholder == "", spec.script
    assert seen >= 5


def test_people_with_the_same_name_are_told_apart(app, page_db):
    ev = make_event(page_db)
    for n in (1, 2):
        page_db.write(registration.register_jobseeker, ev.id, person(n, name="Jan Jansen"))
    at = app(role="organiser", page="views/privacy_admin.py")
    at.text_input(key="pv_query").input("Jansen").run()
    options = at.selectbox(key="pv_person").options
    assert len(options) == 2 and len(set(options)) == 2 and all(o.startswith("Jan Jansen · ") for o in options)


def test_login_is_throttled_after_failures_and_says_so(app, page_db):
    page_db.write(auth.create_user, "org@example.nl", "Olga", "organiser", "a long test password")
    at = app(page="views/login.py")
    for _ in range(auth.FREE_TRIES):
        at.text_input(key="login_email").input("org@example.nl")
        at.text_input(key="login_password").input("wrong password")
        submit(at)
    at.text_input(key="login_email").input("org@example.nl")
    at.text_input(key="login_password").input("a long test password")
    submit(at)
    assert "user" not in at.session_state
    assert any("Te veel mislukte pogingen" in e.value for e in at.error)


def test_a_deactivated_account_is_logged_out_at_its_next_step(app, page_db):
    at = app(role="coordinator", page="views/registrations_admin.py")
    assert logged_in(at)
    boss = page_db.write(auth.create_user, "boss@example.nl", "B", "organiser", "a long test password")
    page_db.write(auth.set_active, at.session_state["user"]["id"], False, boss.id)
    at.run()
    assert not logged_in(at) and any("uitgezet" in i.value for i in at.info)


def test_login_starts_a_fresh_session_state(app, page_db):
    page_db.write(auth.create_user, "org@example.nl", "Olga", "organiser", "a long test password")
    at = app(page="views/login.py")
    at.session_state["js_name"] = "left behind by a visitor"
    at.text_input(key="login_email").input("org@example.nl")
    at.text_input(key="login_password").input("a long test password")
    submit(at)
    assert at.session_state["user"]["email"] == "org@example.nl"
    assert "js_name" not in at.session_state


def test_deleting_a_draft_and_removing_a_block_say_so(app, page_db):
    from datetime import timedelta
    from eventtool.core.timeutil import to_local
    draft = make_event(page_db, title="Concept", status="draft")
    start = to_local(draft.starts_at).replace(tzinfo=None)
    block = page_db.write(events.add_block, draft.id, {"title": "Ontbijt", "audience": "employers",
                                                       "starts_at": start, "ends_at": start + timedelta(hours=1)})
    at = app(role="organiser", page="views/events_admin.py")
    at.session_state["ev_tab"] = "Programma"
    at.run()
    [b for b in at.button if b.key == f"rm_block_{block.id}"][0].click().run()
    assert page_db.read(events.list_blocks, draft.id) == []
    assert any("Het onderdeel is verwijderd" in i.value for i in at.info)
    at.session_state["ev_tab"] = "Bewerken"
    at.run()
    [b for b in at.button if b.key == f"delete_event_{draft.id}"][0].click().run()
    [b for b in at.button if b.key == f"delete_event_yes_{draft.id}"][0].click().run()
    assert page_db.read(lambda s: s.get(Event, draft.id)) is None
    assert any("Het concept is verwijderd" in i.value for i in at.info)


def test_plain_text_makes_no_markup_and_no_links():
    import ui
    shown = ui.plain("**Vet** [a](http://x.example) <b> www.x.nl jan@x.nl HTTPS://y")
    for markup in ("**", "[a]", "<b>"):
        assert markup not in shown  # every markdown character is escaped
    # Bare addresses, which Streamlit links after escapes are resolved, no longer match.
    for address in ("http\\:", "HTTPS\\:", "www\\.", "n@x"):
        assert address not in shown
    assert shown.replace("\u2060", "").replace("\\", "") == "**Vet** [a](http://x.example) <b> www.x.nl jan@x.nl HTTPS://y"


def test_a_label_keeps_a_plain_name_as_it_is_and_makes_markup_inert():
    """A widget's label goes to screen readers as written (aria-label): a name with a dot, a hyphen
    or a bracket-free apostrophe has no backslash in it; markup that works inside a line is escaped."""
    import ui
    for name in ("Anna V.", "Jan-Willem 't H.", "Fatima", "Kim (K.) B."):
        assert ui.plain_label(name) == name
    shown = ui.plain_label("**Vet** [a](http://x.example) <b> `c` ~s~ $x$ :red[r] www.x.nl jan@x.nl")
    for markup in ("**", "[a]", "<b>", "`c`", "~s~", "$x$", ":red["):
        assert markup not in shown
    for address in ("http:", "www.", "n@x"):
        assert address not in shown
    assert shown.replace("\u2060", "").replace("\\", "") == \
        "**Vet** [a](http://x.example) <b> `c` ~s~ $x$ :red[r] www.x.nl jan@x.nl"
