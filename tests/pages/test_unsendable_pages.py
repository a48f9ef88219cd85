"""A name with a lone carriage return is refused on the public form, next to its field and with
what was typed kept; a message that failed because of such a name (stored before the check) shows
its reason on the Berichten page in the staff member's language, and can be sent again."""
from sqlmodel import select

from eventtool.registration import registration
from eventtool.messages.models import Message
from eventtool.people.models import Jobseeker

from ..conftest import person
from .test_public import make_event, submit


def test_the_public_form_refuses_a_lone_carriage_return_in_the_name_and_keeps_the_input(app, page_db):
    make_event(page_db)
    at = app(page="views/register_jobseeker.py")
    at.text_input(key="js_name").input("Anna\rBcc: buit@dief.example")
    at.text_input(key="js_email").input("anna@example.nl")
    at.checkbox(key="js_consent_registration").check()
    submit(at)
    assert not at.exception
    assert any("Hier staan tekens in die niet kunnen" in e.value for e in at.error)
    assert at.text_input(key="js_name").value == "Anna\rBcc: buit@dief.example"
    assert page_db.read(lambda s: s.exec(select(Jobseeker)).all()) == []


def test_staff_read_why_a_message_failed_in_their_language_and_send_it_again(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=5)
    page_db.write(registration.register_jobseeker, ev.id, person(email="anna@example.nl"))

    def failed_on_its_name(s):
        msg = s.exec(select(Message)).one()
        msg.status, msg.attempts, msg.last_error = "failed", 1, "messages.error.bad_name"
        s.flush()
        return msg.id
    failed_id = page_db.write(failed_on_its_name)
    at = app(role="coordinator", page="views/messages_admin.py")
    at.radio(key="msg_status").set_value("failed").run()
    at.selectbox(key="msg_chosen_None_failed").select(failed_id).run()
    assert not at.exception
    assert any("De naam van de ontvanger heeft een teken dat niet" in c.value for c in at.caption)
    assert "messages.error" not in str(at.dataframe[0].value)  # the table says it in words too
    at.button(key=f"msg_resend_{failed_id}").click().run()
    assert page_db.read(lambda s: s.get(Message, failed_id).status) == "queued"
