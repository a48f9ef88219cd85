from datetime import timedelta

import pytest

from sqlmodel import select

from eventtool.events import events
from eventtool.registration import registration
from eventtool.people.models import Jobseeker

from ..conftest import company, local, person


def make_event(db, **overrides):
    start = overrides.pop("starts_at", local())
    values = dict(kind="meet_greet", title="Meet&Greet Oss", starts_at=start, ends_at=start + timedelta(hours=2),
                  capacity_jobseekers=2, capacity_employers=3, status="published",
                  accessibility_notes="Rolstoeltoegankelijk")
    values.update(overrides)
    return db.write(events.create_event, values)


def texts(at):
    return [m.value for m in at.markdown] + [e.value for e in at.error] + [s.value for s in at.success] + \
           [i.value for i in at.info] + [t.value for t in at.title] + [h.value for h in at.header]


def test_agenda_lists_open_events_only(app, page_db):
    make_event(page_db, title="Open dag **vet**")
    make_event(page_db, title="Concept", status="draft")
    at = app()
    assert not at.exception
    assert at.title[0].value == "Agenda"
    headers = [h.value for h in at.header]
    assert headers == ["Meet&Greet: Open dag \\*\\*vet\\*\\*"]  # markdown in user text is shown as typed
    assert any("Nog 2 plaatsen vrij" in m for m in texts(at))


def test_agenda_button_opens_the_form_with_that_event(app, page_db):
    make_event(page_db, title="Eerste")
    second = make_event(page_db, title="Tweede", starts_at=local(days=20))
    at = app()
    [b for b in at.button if b.key == f"js_{second.id}"][0].click().run()
    assert at.title[0].value == "Aanmelden als werkzoekende"
    assert at.selectbox(key="js_event").value == second.id


def test_jobseeker_form_errors_are_shown_next_to_fields_and_input_is_kept(app, page_db):
    make_event(page_db)
    at = app(page="views/register_jobseeker.py")
    at.text_input(key="js_email").input("niet-goed")
    at.text_input(key="js_seeking").input("Iets met dieren 🐶")
    submit(at)
    errors = [e.value for e in at.error]
    assert "Vul dit veld in." in errors
    assert any("e-mailadres klopt niet" in e for e in errors)
    assert any("Zet een vinkje" in e for e in errors)
    assert any(e.startswith("Kijk nog eens naar") for e in errors)
    assert at.text_input(key="js_email").value == "niet-goed"
    assert at.text_input(key="js_seeking").value == "Iets met dieren 🐶"
    assert page_db.read(lambda s: s.exec(select(Jobseeker)).all()) == []


def submit(at):
    buttons = at.get("form_submit_button") or at.button
    buttons[0].click().run()
    return at


def test_jobseeker_signs_up_and_gets_a_code(app, page_db):
    ev = make_event(page_db)
    at = app(page="views/register_jobseeker.py")
    at.text_input(key="js_name").input("<b>Zoë</b> =1+1")
    at.text_input(key="js_email").input("zoe@example.nl")
    at.multiselect(key="js_support_needs").select("wheelchair")
    at.checkbox(key="js_consent_special").check()
    at.checkbox(key="js_consent_registration").check()
    submit(at)
    assert not at.exception
    assert "U bent aangemeld voor Meet&Greet Oss" in at.success[0].value
    code = [m.value for m in at.markdown if "persoonlijke code" in m.value][0].split("**")[1]
    assert page_db.read(registration.lookup_code, code).event.id == ev.id
    stored = page_db.read(lambda s: s.exec(select(Jobseeker)).one())
    assert stored.name == "<b>Zoë</b> =1+1" and stored.support_needs == ["wheelchair"]


def test_full_event_puts_people_on_the_waiting_list(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=1)
    page_db.write(registration.register_jobseeker, ev.id, person())
    at = app(page="views/register_jobseeker.py")
    assert any("vol" in w.value for w in at.warning)
    at.text_input(key="js_name").input("Piet")
    at.text_input(key="js_phone").input("0612345678")
    at.checkbox(key="js_consent_registration").check()
    submit(at)
    assert "wachtlijst" in at.success[0].value


def test_speedmeet_form_offers_the_participating_employers(app, page_db):
    ev = make_event(page_db, kind="speedmeet")
    emp = page_db.write(registration.register_employer, ev.id, company(organisation="Zorggroep De Linde"))
    at = app(page="views/register_jobseeker.py")
    picks = at.multiselect(key="js_picks")
    assert picks.options == ["Zorggroep De Linde"]
    at.text_input(key="js_name").input("Piet")
    at.text_input(key="js_email").input("piet@example.nl")
    picks.select(emp.registration.employer_id)
    at.checkbox(key="js_consent_registration").check()
    submit(at)
    assert at.success
    reg = page_db.read(lambda s: s.exec(select(registration.Registration).where(
        registration.Registration.jobseeker_id.is_not(None))).one())
    assert reg.picks == [emp.registration.employer_id]


def test_employer_signs_up(app, page_db):
    make_event(page_db)
    at = app(page="views/register_employer.py")
    at.text_input(key="emp_organisation").input("Bakkerij Van Dam")
    at.text_input(key="emp_contact_name").input("Els")
    submit(at)
    assert any("Vul een e-mailadres in" in e.value for e in at.error)
    at.text_input(key="emp_email").input("els@vandam.nl")
    at.number_input(key="emp_recruiters").set_value(2)
    submit(at)
    assert at.success and "persoonlijke code" in " ".join(m.value for m in at.markdown)


def test_cancel_with_the_link_from_the_confirmation(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=1)
    first = page_db.write(registration.register_jobseeker, ev.id, person(1))
    page_db.write(registration.register_jobseeker, ev.id, person(2))
    at = app(page="views/cancel.py", query={"code": first.code})
    assert at.text_input(key="cancel_code").value == first.code
    assert any("aangemeld" in m.value for m in at.markdown)
    [b for b in at.button if b.label == "Ja, ik meld mij af"][0].click().run()
    assert "U bent afgemeld" in at.success[0].value
    rows = page_db.read(registration.registrations_table, ev.id)
    assert sorted(r["status"] for r in rows) == ["cancelled", "confirmed"]


def test_cancel_with_an_unknown_code_says_so(app, page_db):
    at = app(page="views/cancel.py")
    at.text_input(key="cancel_code").input("ZZZZZ-ZZZZZ")
    submit(at)
    assert any("kennen deze code niet" in e.value for e in at.error)


def test_english_can_be_chosen(app, page_db):
    make_event(page_db)
    at = app(lang="en")
    assert at.title[0].value == "Events"
    at.selectbox(key="lang_choice").set_value("nl").run()
    assert at.title[0].value == "Agenda"


def test_public_visitors_cannot_reach_organiser_pages(app, page_db):
    at = app()
    for page in ("views/events_admin.py", "views/registrations_admin.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_a_form_sent_faster_than_a_person_can_is_refused(app, page_db, monkeypatch):
    monkeypatch.setenv("EVENTTOOL_SPAM_MIN_SECONDS", "30")
    make_event(page_db)
    at = app(page="views/register_jobseeker.py")
    at.text_input(key="js_name").input("Bot")
    at.text_input(key="js_email").input("bot@example.nl")
    at.checkbox(key="js_consent_registration").check()
    submit(at)
    assert any("Dat ging heel snel" in e.value for e in at.error)
    assert page_db.read(lambda s: s.exec(select(Jobseeker)).all()) == []
    assert at.text_input(key="js_name").value == "Bot"  # nothing typed is lost


def flat(node):
    """Every element under a block, in the order they are drawn."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from flat(child)


def test_a_filled_in_honeypot_is_refused_beside_the_send_button(app, page_db):
    make_event(page_db)
    at = app(page="views/register_jobseeker.py")
    # People never see the field: it is hidden by CSS (display: none), so not reachable nor read out.
    assert any(".st-key-js_website {display: none" in h.proto.body for h in at.get("html"))
    at.text_input(key="js_name").input("Bot")
    at.text_input(key="js_email").input("bot@example.nl")
    at.checkbox(key="js_consent_registration").check()
    at.text_input(key="js_website").input("http://spam.example")
    submit(at)
    assert page_db.read(lambda s: s.exec(select(Jobseeker)).all()) == []
    elements = [e for e in flat(at.main) if not hasattr(e, "children") or e.type == "button"]
    [refusal] = [i for i, e in enumerate(elements) if "kon niet worden verstuurd" in str(getattr(e, "value", ""))]
    # The only error on the page, and the next thing drawn is the send button itself.
    assert [i for i, e in enumerate(elements) if e.type == "alert" or type(e).__name__ == "Error"] == [refusal]
    assert getattr(elements[refusal + 1], "label", None) == "Aanmelden"
    assert at.text_input(key="js_name").value == "Bot"


def test_a_jobcoach_signs_up_many_clients_from_one_address(app, page_db):
    make_event(page_db, capacity_jobseekers=100)
    at = app(page="views/register_jobseeker.py")
    for n in range(25):  # over the old limit of 10 per address: sign-ups are never what is limited
        at.text_input(key="js_name").input(f"Cliënt {n}")
        at.text_input(key="js_email").input(f"client{n}@example.nl")
        at.checkbox(key="js_consent_registration").check()
        submit(at)
        assert any("U bent aangemeld" in s.value for s in at.success), n
        [b for b in at.button if b.label == "Nog iemand aanmelden"][0].click().run()
    assert len(page_db.read(lambda s: s.exec(select(Jobseeker)).all())) == 25
