"""A jobcoach's copy of a message about their client never carries the client's own link or code
(with them a coach could read the client's support needs, change their address or cancel, also
after "niet meer mijn cliënt"): it points to the coach's own login instead."""
from __future__ import annotations

from sqlmodel import select

from eventtool.registration import registration
from eventtool.core.config import get_settings
from eventtool.messages import content, links, outbox
from eventtool.registration import notify
from eventtool import sender
from eventtool.messages.models import Message, PersonalLink
from eventtool.events.models import Event
from eventtool.registration.models import Registration

from ..conftest import person

COACH = "carla@coach.example"
CLIENT = "klant@example.nl"
CODE = "ABCDE-FGHJK"


def bodies(mail) -> str:
    return mail.get_body(("plain",)).get_content() + mail.get_body(("html",)).get_content()


def client_with_coach(db, create_event, **event):
    ev = create_event(capacity_jobseekers=5, **event)
    signup = db.write(registration.register_jobseeker, ev.id, person(name="Klaas Klant", email=CLIENT,
                                                                     coach_name="Coach Carla", coach_email=COACH))
    assert db.read(lambda s: s.get(Registration, signup.registration.id).coach_confirmed)
    return ev, signup


def test_no_kind_of_copy_to_a_jobcoach_carries_the_clients_link_or_code(db, create_event, smtp):
    ev, signup = client_with_coach(db, create_event, kind="speedmeet", capacity_employers=2)
    rows = [("1", "13:00", "2", "Bakkerij Brood")]
    kinds = list(notify.REGISTRATION_KINDS) + ["event_changed", "event_cancelled"] + list(notify.SCHEDULE_KINDS)

    def queue_every_kind(s):
        reg, event = s.get(Registration, signup.registration.id), s.get(Event, ev.id)
        for kind in kinds:  # the one path every message about a registration takes, with a code offered
            notify._queue(s, kind, reg, event, ics=None, schedule=rows, key=f"test:{kind}", code=CODE)
    db.write(queue_every_kind)
    copies = db.read(lambda s: s.exec(select(Message).where(Message.to_address == COACH)).all())
    assert sorted(m.kind for m in copies) == sorted(kinds + ["signup_confirmed"])  # and the real sign-up's
    for msg in copies:
        stored = msg.body_text + msg.body_html
        assert links.PLACEHOLDER not in stored and links.CODE_PLACEHOLDER not in stored and msg.code is None, msg.kind
        assert links.COACH_PLACEHOLDER in stored, msg.kind
    sender.run_once(db, get_settings())
    mails = smtp.by_to(COACH)
    assert len(mails) == len(copies)
    client_tokens = [mail.get_body(("plain",)).get_content().split("?t=", 1)[1].split()[0]
                     for mail in smtp.by_to(CLIENT) if "?t=" in mail.get_body(("plain",)).get_content()]
    assert client_tokens  # the client's own messages do carry their link
    for mail in mails:
        text = bodies(mail)
        assert "mijn-aanmelding" not in text and "?t=" not in text and CODE not in text and signup.code not in text
        assert not any(token in text for token in client_tokens)
        assert "https://events.example/login" in mail.get_body(("plain",)).get_content()
        assert 'href="https://events.example/login"' in mail.get_body(("html",)).get_content()
        assert "herinneringen" not in text  # the client's reminders are not the coach's to switch off
    # Links were made for the client's own messages only.
    assert len(db.read(lambda s: s.exec(select(PersonalLink)).all())) == len(client_tokens)


def test_a_copy_queued_before_the_fix_still_goes_out_without_the_clients_link(db, create_event, smtp):
    ev, signup = client_with_coach(db, create_event)

    def old_style_copy(s):
        # As copies were written before: the client's link placeholder in a message to the coach.
        facts = notify._facts(s.get(Event, ev.id), True)
        subject, text, html = content.compose("reminder", "nl", "Coach Carla", facts, with_link=True, sender="x")
        outbox.queue(s, kind="reminder", to_address=COACH, to_name="Coach Carla", subject=subject, text=text,
                     html=html, event_id=ev.id, registration_id=signup.registration.id,
                     jobseeker_id=signup.registration.jobseeker_id)
    db.write(old_style_copy)
    sender.run_once(db, get_settings())
    for mail in smtp.by_to(COACH):
        assert "mijn-aanmelding" not in bodies(mail) and "?t=" not in bodies(mail)
    assert len(db.read(lambda s: s.exec(select(PersonalLink)).all())) == 1  # the client's confirmation only
