"""The door code in the mails (issue 29): a confirmation, a place from the waiting list and a reminder
carry the person's QR code inside the HTML (by Content-ID) and the same code as text; the waiting
list, a cancellation and a jobcoach's copy carry none."""
from __future__ import annotations

import io
from datetime import timedelta

import zxingcpp
from PIL import Image
from sqlmodel import select

from eventtool.messages.models import Message
from eventtool.registration import door, notify, registration
from eventtool.registration.models import Registration

from ..conftest import person
from .test_messages import deliver


def _qr_images(mail) -> list:
    return [p for p in mail.walk() if p.get_content_type() == "image/png"]


def _code_of(db, reg_id) -> str:
    return door.token(db.read(lambda s: s.get(Registration, reg_id)))


def test_a_confirmation_carries_the_qr_code_and_the_same_code_as_text(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=1)
    anna = db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries", email="anna@example.nl",
                                                                    coach_name="Piet Coach",
                                                                    coach_email="piet@coach.example")).registration
    db.write(registration.register_jobseeker, ev.id, person(email="wacht@example.nl"))
    deliver(db)
    code = _code_of(db, anna.id)
    [mail] = smtp.by_to("anna@example.nl")
    text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
    assert f"Code: {code}" in text and "Uw QR-code voor de deur:" in text
    assert 'src="cid:qr-deurcode@eventtool"' in html and 'alt="QR-code voor de deur"' in html and code in html
    [image] = _qr_images(mail)
    assert image["Content-ID"] == "<qr-deurcode@eventtool>"
    # The image is related to the HTML part, and holds exactly the code (a phone's camera reads it).
    assert image in list(mail.get_body(("related",)).iter_parts())
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.get_content())))] == [code]
    # Nothing of the code is stored: the queued message held a placeholder, the registration a hash.
    stored = db.read(lambda s: [m.body_text + m.body_html for m in s.exec(select(Message))])
    assert not any(code in body for body in stored)
    # The waiting list has no code to show; the coach's copy never carries the client's.
    [waiting] = smtp.by_to("wacht@example.nl")
    assert _qr_images(waiting) == [] and "deur" not in waiting.get_body(("plain",)).get_content()
    for copy in smtp.by_to("piet@coach.example"):
        assert _qr_images(copy) == [] and code not in copy.as_string()


def test_a_place_from_the_waiting_list_and_the_reminder_carry_it_too(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=1)
    first = db.write(registration.register_jobseeker, ev.id, person(email="een@example.nl")).registration
    second = db.write(registration.register_jobseeker, ev.id, person(email="twee@example.nl")).registration
    deliver(db)
    db.write(registration.cancel_registration, first.id)
    deliver(db)
    promoted = smtp.by_to("twee@example.nl")[-1]
    assert _code_of(db, second.id) in promoted.get_body(("plain",)).get_content() and len(_qr_images(promoted)) == 1
    assert db.write(notify.queue_due_reminders, [1], ev.starts_at - timedelta(hours=20)) == 1
    deliver(db)
    reminder = smtp.by_to("twee@example.nl")[-1]
    assert reminder["Subject"].startswith("Herinnering") and _code_of(db, second.id) in reminder.as_string()
    cancelled = smtp.by_to("een@example.nl")[-1]
    assert _qr_images(cancelled) == []


def test_a_confirmation_sent_after_the_place_was_lost_drops_the_whole_door_block(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=1)
    reg = db.write(registration.register_jobseeker, ev.id, person(email="laat@example.nl")).registration
    db.write(lambda s: setattr(s.get(Registration, reg.id), "status", "waitlisted"))
    deliver(db)
    [mail] = smtp.by_to("laat@example.nl")
    text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
    assert "[[" not in text + html and "deur" not in text and "<!--door" not in html and _qr_images(mail) == []
    assert "Beste" in text and "mijn-aanmelding" in text  # the rest of the mail is whole
