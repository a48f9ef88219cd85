"""The Berichten page for staff and the 'mijn aanmelding' page behind the personal link."""
from sqlmodel import select

from eventtool.registration import door, registration
from eventtool.core.i18n import format_long_date
from eventtool.messages import links
from eventtool.messages.models import Message
from eventtool.registration.models import Registration
from eventtool.core.timeutil import to_local

from ..conftest import person
from .test_public import make_event, texts


def test_staff_see_what_was_sent_and_send_a_failed_message_again(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=5)
    for n, address in enumerate(("een@example.nl", "twee@example.nl")):
        page_db.write(registration.register_jobseeker, ev.id, person(n, email=address))

    def fail_second(s):
        msg = s.exec(select(Message).where(Message.to_address == "twee@example.nl")).one()
        msg.status, msg.last_error = "failed", "550 5.1.1 No such user here"
        s.flush()
        return msg.id
    failed_id = page_db.write(fail_second)
    at = app(role="coordinator", page="views/messages_admin.py")
    assert not at.exception
    assert any("geen mailserver ingesteld" in i.value for i in at.info)
    assert any("verstuurd: 0 · mislukt: 1" in c.value for c in at.caption)
    at.radio(key="msg_status").set_value("failed").run()
    assert len(at.selectbox(key="msg_chosen_None_failed").options) == 1  # only what failed
    at.selectbox(key="msg_chosen_None_failed").select(failed_id).run()
    assert any("No such user here" in c.value for c in at.caption)  # why it failed
    at.button(key=f"msg_resend_{failed_id}").click().run()
    statuses = page_db.read(lambda s: {m.to_address: m.status for m in s.exec(select(Message))})
    assert statuses == {"een@example.nl": "queued", "twee@example.nl": "queued"}


def test_only_staff_reach_the_messages_page_and_nobody_has_a_menu_link_to_the_personal_page():
    from eventtool.core.access import visible_pages
    assert "views/messages_admin.py" not in [p.script for p in visible_pages(None)]
    assert "views/messages_admin.py" in [p.script for p in visible_pages("coordinator")]
    mine_page = next(p for p in visible_pages(None) if p.script == "views/my_registration.py")
    assert not any(mine_page.in_menu(role) for role in (None, "organiser", "coordinator"))


def linked(page_db, **kwargs):
    ev = make_event(page_db, capacity_jobseekers=5)
    signup = page_db.write(registration.register_jobseeker, ev.id, person(email="mijn@example.nl", **kwargs))
    token = page_db.write(links.mint, signup.registration.id, ev.ends_at)
    return ev, signup.registration.id, token


def test_the_personal_link_shows_the_registration_and_cancels_after_asking(app, page_db):
    ev, reg_id, token = linked(page_db)
    at = app(page="views/my_registration.py", query={"t": token})
    assert not at.exception
    assert at.header[0].value == "Meet&Greet Oss" and any("aangemeld" in m for m in texts(at))
    at.button(key=f"mine_cancel_{reg_id}").click().run()
    assert page_db.read(lambda s: s.get(Registration, reg_id).status) == "confirmed"  # asked first
    at.button(key=f"mine_cancel_yes_{reg_id}").click().run()
    assert page_db.read(lambda s: s.get(Registration, reg_id).status) == "cancelled"
    assert any("U bent afgemeld" in i.value for i in at.info)


def test_the_personal_page_shows_the_door_qr_code_only_while_there_is_a_place(app, page_db):
    ev, reg_id, token = linked(page_db)
    at = app(page="views/my_registration.py", query={"t": token})
    code = door.token(page_db.read(lambda s: s.get(Registration, reg_id)))
    assert "Uw QR-code voor de deur" in [h.value for h in at.subheader]
    [qr] = [h.proto.body for h in at.get("html") if "data:image/png" in h.proto.body]
    assert 'alt="QR-code voor de deur"' in qr and f"Code: {code}" in qr  # the code also as text
    page_db.write(registration.cancel_registration, reg_id)
    at = app(page="views/my_registration.py", query={"t": token})
    assert "Uw QR-code voor de deur" not in [h.value for h in at.subheader]
    assert not any(code in h.proto.body for h in at.get("html"))


def test_the_personal_link_switches_reminders_off_and_corrects_the_phone(app, page_db):
    _, reg_id, token = linked(page_db)
    at = app(page="views/my_registration.py", query={"t": token})
    at.toggle(key=f"mine_rem_{reg_id}").set_value(False).run()
    assert page_db.read(lambda s: s.get(Registration, reg_id).reminders) is False
    at.text_input(key=f"mine_phone_{reg_id}").input("06 1234 5678")
    at.button[[b.label for b in at.button].index("Gegevens opslaan")].click().run()
    assert not at.exception
    phone = page_db.read(lambda s: s.exec(select(Registration)).one()).jobseeker_id
    from eventtool.people.models import Jobseeker
    assert page_db.read(lambda s: s.get(Jobseeker, phone).phone) == "+31612345678"


def test_an_unknown_link_says_so_kindly(app, page_db):
    linked(page_db)
    at = app(page="views/my_registration.py", query={"t": "x" * 43})
    assert not at.exception
    assert any("Deze link werkt niet" in w.value for w in at.warning)


def test_the_person_confirms_their_jobcoach_with_the_link(app, page_db):
    known = make_event(page_db, capacity_jobseekers=5)
    page_db.write(registration.register_jobseeker, known.id, person(email="mijn@example.nl"),
                  source=registration.RegSource.ORGANISER)
    ev = make_event(page_db, capacity_jobseekers=5, title="Tweede")
    signup = page_db.write(registration.register_jobseeker, ev.id,
                           person(email="mijn@example.nl", coach_name="Coach Kim", coach_email="kim@coach.example"))
    token = page_db.write(links.mint, signup.registration.id, ev.ends_at)
    reg_id = signup.registration.id
    assert page_db.read(lambda s: s.get(Registration, reg_id).coach_confirmed) is False
    at = app(page="views/my_registration.py", query={"t": token})
    assert any("Coach Kim" in m for m in texts(at))
    at.button(key=f"mine_coach_{reg_id}").click().run()
    assert page_db.read(lambda s: s.get(Registration, reg_id).coach_confirmed) is True


def test_the_page_no_longer_asks_about_a_coach_who_ended_the_caseload(app, page_db):
    """'No longer my client' (issue 27): the person's page does not ask whether that coach is
    theirs again, so a click cannot put them back on the coach's caseload."""
    from eventtool.registration import coaches

    from ..registration.test_coaches import make_coach
    ev = make_event(page_db, capacity_jobseekers=5)
    coach = make_coach(page_db, "kim@coach.example", "Coach Kim")
    reg = page_db.write(coaches.sign_up_client, coach.id, ev.id, person(email="mijn@example.nl")).registration
    token = page_db.write(links.mint, reg.id, ev.ends_at)
    assert page_db.read(lambda s: s.get(Registration, reg.id).coach_confirmed) is True
    page_db.write(coaches.end_caseload, coach.id, reg.jobseeker_id)
    at = app(page="views/my_registration.py", query={"t": token})
    assert not at.exception
    assert not any(b.key == f"mine_coach_{reg.id}" for b in at.button)
    assert not any("Coach Kim" in m for m in texts(at))


def test_the_person_changes_support_needs_with_consent(app, page_db):
    from eventtool.people.models import Jobseeker
    _, reg_id, token = linked(page_db)
    at = app(page="views/my_registration.py", query={"t": token})
    at.multiselect(key=f"mine_needs_{reg_id}").select("quiet_space")
    at.button[[b.label for b in at.button].index("Ondersteuning opslaan")].click().run()
    jid = page_db.read(lambda s: s.get(Registration, reg_id).jobseeker_id)
    assert page_db.read(lambda s: s.get(Jobseeker, jid).support_needs) == []  # not without consent
    assert at.error  # and the person is told why
    at.multiselect(key=f"mine_needs_{reg_id}").select("quiet_space")
    at.checkbox(key=f"mine_consent_{reg_id}").check()
    at.button[[b.label for b in at.button].index("Ondersteuning opslaan")].click().run()
    assert page_db.read(lambda s: s.get(Jobseeker, jid).support_needs) == ["quiet_space"]


def test_looking_at_messages_is_logged_once_per_choice(app, page_db):
    from eventtool.core.models import AuditEntry
    ev = make_event(page_db, capacity_jobseekers=5)
    page_db.write(registration.register_jobseeker, ev.id, person(email="log@example.nl"))
    at = app(role="organiser", page="views/messages_admin.py")
    at.run()
    at.selectbox(key="msg_event").select(ev.id).run()
    logged = page_db.read(lambda s: s.exec(select(AuditEntry.subject).where(AuditEntry.action == "view.messages")).all())
    assert logged == ["all", f"event {ev.id}"]


def _writing_widgets(at) -> list[str]:
    """Every widget of the personal page that could change something (the language choice aside)."""
    found = [w.key for kind in ("button", "toggle", "text_input", "multiselect", "checkbox", "selectbox")
             for w in at.get(kind) if w.key != "lang_choice"]
    return found + [w.proto.label for w in at.get("download_button")]


def test_after_cancelling_the_personal_link_only_shows_and_offers_to_sign_up_again(app, page_db):
    ev, reg_id, token = linked(page_db)
    at = app(page="views/my_registration.py", query={"t": token})
    assert _writing_widgets(at)  # before: reminders, details, support, cancel
    at.button(key=f"mine_cancel_{reg_id}").click().run()
    at.button(key=f"mine_cancel_yes_{reg_id}").click().run()
    at = app(page="views/my_registration.py", query={"t": token})  # the link opened again later
    assert not at.exception
    assert at.header[0].value == "Meet&Greet Oss" and any("afgemeld" in m for m in texts(at))
    assert _writing_widgets(at) == []
    [again] = [p.proto for p in at.get("page_link") if p.proto.label == "Opnieuw aanmelden"]
    assert again.page == "aanmelden" and again.query_string == f"event={ev.id}"  # the public form, this event
    assert page_db.read(lambda s: s.get(Registration, reg_id).status) == "cancelled"


def test_after_erasure_the_old_link_is_unknown(app, page_db):
    from eventtool.privacy import privacy
    _, reg_id, token = linked(page_db)
    page_db.write(privacy.erase_person, page_db.read(lambda s: s.get(Registration, reg_id).jobseeker_id))
    at = app(page="views/my_registration.py", query={"t": token})
    assert not at.exception
    assert any("Deze link werkt niet" in w.value for w in at.warning)
    assert not at.header and _writing_widgets(at) == []


def test_the_personal_page_writes_the_city_once(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=5, venue_name="Stadhuis", address="Markt 1, 's-Hertogenbosch",
                    city="'s-Hertogenbosch")
    signup = page_db.write(registration.register_jobseeker, ev.id, person(email="stad@example.nl"))
    at = app(page="views/my_registration.py", query={"t": page_db.write(links.mint, signup.registration.id, ev.ends_at)})
    assert not at.exception
    assert "Stadhuis, Markt 1, 's\\-Hertogenbosch" in texts(at)  # as markdown, escaped by ui.plain
    assert not [m for m in texts(at) if m.count("Hertogenbosch") > 1]


def test_the_personal_page_writes_when_as_the_mails_do(app, page_db):
    """'mijn aanmelding' says when as the confirmation does: the day in words and Dutch times with 'uur'."""
    ev = make_event(page_db, capacity_jobseekers=5)
    signup = page_db.write(registration.register_jobseeker, ev.id, person(email="wanneer@example.nl"))
    at = app(page="views/my_registration.py", query={"t": page_db.write(links.mint, signup.registration.id, ev.ends_at)})
    assert not at.exception
    start, end = to_local(ev.starts_at), to_local(ev.ends_at)
    expected = f"{format_long_date(start, 'nl')}, {start:%H:%M} tot {end:%H:%M} uur"
    assert [m for m in texts(at) if m.replace("\\", "") == expected], texts(at)  # ui.plain escapes the colons
