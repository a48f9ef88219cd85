"""A message that cannot be written or sent as an e-mail fails alone: the rest of the batch goes
out, the sender keeps going, and staff see why it failed and can send it again once the data is
right. Old rows are stored here directly, past the checks, as data from before them would be."""
from __future__ import annotations

import os
import smtplib
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import select

from eventtool.registration import registration
from eventtool.core.config import get_settings
from eventtool.core.i18n import translate
from eventtool.messages import links, outbox
from eventtool import sender
from eventtool.messages.models import Message, PersonalLink
from eventtool.events.models import Event
from eventtool.people.models import Jobseeker
from eventtool.core.timeutil import utcnow

from ..conftest import ROOT_DIR, person

BAD_NAME = "Anna\rBcc: buit@dief.example"


def deliver(db, **kw):
    return sender.run_once(db, get_settings(), **kw)


def messages(db) -> dict[str, Message]:
    return {m.to_address: m for m in db.read(lambda s: s.exec(select(Message)).all())}


def store_old_person(db, name: str, email: str) -> int:
    def add(s):
        p = Jobseeker(name=name, email=email)
        s.add(p)
        s.flush()
        return p.id
    return db.write(add)


def sign_up_with_an_old_name(db, ev, n_before=2, n_after=2) -> int:
    """People sign up; in the middle, someone whose stored name has a lone carriage return (the
    form matches them by address, so their message is written with the stored name)."""
    anna = store_old_person(db, BAD_NAME, "anna@example.nl")
    for n in range(n_before):
        db.write(registration.register_jobseeker, ev.id, person(n, email=f"voor{n}@example.nl"))
    db.write(registration.register_jobseeker, ev.id, person(name="Anna", email="anna@example.nl"))
    for n in range(n_after):
        db.write(registration.register_jobseeker, ev.id, person(n, email=f"na{n}@example.nl"))
    return anna


def test_a_name_that_cannot_go_in_a_header_fails_alone_and_goes_out_once_corrected(db, create_event, smtp):
    ev = create_event(capacity_jobseekers=10)
    anna = sign_up_with_an_old_name(db, ev)
    assert messages(db)["anna@example.nl"].to_name == BAD_NAME

    result = deliver(db)
    assert (result.sent, result.retry, result.failed) == (4, 0, 1)
    stored = messages(db)
    bad = stored.pop("anna@example.nl")
    assert {m.status for m in stored.values()} == {"sent"}
    assert bad.status == "failed" and bad.claimed_until is None and bad.attempts == 1
    assert bad.last_error == "messages.error.bad_name"
    assert "naam" in translate(bad.last_error, "nl") and "name" in translate(bad.last_error, "en")
    assert sorted(m["To"].addresses[0].addr_spec for m in smtp.messages) == sorted(stored)
    assert not smtp.by_to("anna@example.nl") and not smtp.by_to("buit@dief.example")

    # Sending again with the name still wrong fails again, with the same reason.
    db.write(sender.resend, bad.id)
    assert deliver(db).failed == 1 and messages(db)["anna@example.nl"].last_error == "messages.error.bad_name"

    # Staff correct the name (as a merge or an import does); sent again, it goes out with it.
    def correct(s):
        s.get(Jobseeker, anna).name = "Anna Bakker"
        s.flush()
    db.write(correct)
    db.write(sender.resend, bad.id)
    assert deliver(db).sent == 1
    [mail] = smtp.by_to("anna@example.nl")
    assert mail["To"] == "Anna Bakker <anna@example.nl>" and mail["Bcc"] is None
    assert messages(db)["anna@example.nl"].status == "sent"


def test_an_old_event_title_with_a_line_break_fails_its_messages_and_not_the_others(db, create_event, smtp):
    broken = create_event(capacity_jobseekers=5, title="Banenmarkt")
    fine = create_event(capacity_jobseekers=5, title="Meet&Greet")

    def old_title(s):
        s.get(Event, broken.id).title = "Banenmarkt\u2028Oss"
        s.flush()
    db.write(old_title)
    db.write(registration.register_jobseeker, fine.id, person(email="een@example.nl"))
    db.write(registration.register_jobseeker, broken.id, person(email="twee@example.nl"))
    db.write(registration.register_jobseeker, fine.id, person(email="drie@example.nl"))
    result = deliver(db)
    assert (result.sent, result.retry, result.failed) == (2, 0, 1)
    bad = messages(db)["twee@example.nl"]
    assert bad.status == "failed" and bad.last_error == "messages.error.bad_subject"
    assert len(smtp.messages) == 2 and not smtp.by_to("twee@example.nl")
    # A subject is our own text around the title: sending again puts a space for the break.
    db.write(sender.resend, bad.id)
    assert deliver(db).sent == 1
    [mail] = smtp.by_to("twee@example.nl")
    assert "Banenmarkt Oss" in mail["Subject"]


def test_an_address_we_cannot_mail_fails_alone_with_a_reason_staff_can_read(db, create_event, smtp):
    """The form takes an address with letters outside ASCII; a header cannot carry it without
    SMTPUTF8. That one message fails with the reason, the ones after it go out."""
    ev = create_event(capacity_jobseekers=5)
    for address in ("een@example.nl", "jöske@example.nl", "drie@example.nl"):
        db.write(registration.register_jobseeker, ev.id, person(email=address))
    result = deliver(db)
    assert (result.sent, result.retry, result.failed) == (2, 0, 1)
    stored = messages(db)
    assert stored.pop("jöske@example.nl").last_error == "messages.error.bad_address"
    assert {m.status for m in stored.values()} == {"sent"} and len(smtp.messages) == 2


def test_any_other_error_with_one_message_fails_that_one_and_the_batch_goes_on(db, create_event, smtp, monkeypatch):
    """Whatever else goes wrong with one message (an error nobody foresaw, made here for one
    recipient, while its link is made or while it is sent) is that message's failure."""
    ev = create_event(capacity_jobseekers=10)
    for n in range(5):
        db.write(registration.register_jobseeker, ev.id, person(n, email=f"p{n}@example.nl"))
    regs = dict(db.read(lambda s: s.exec(select(Message.to_address, Message.registration_id)).all()))
    send, mint = smtplib.SMTP.send_message, links.mint

    def send_message(self, mail, *args, **kwargs):
        if mail["To"].addresses[0].addr_spec == "p1@example.nl":
            raise RuntimeError("onvoorzien")
        return send(self, mail, *args, **kwargs)

    def failing_mint(session, registration_id, *args, **kwargs):
        if registration_id == regs["p3@example.nl"]:
            session.exec(text("SELECT * FROM no_such_table"))  # a database error spoils the transaction
        return mint(session, registration_id, *args, **kwargs)
    monkeypatch.setattr(smtplib.SMTP, "send_message", send_message)
    monkeypatch.setattr(links, "mint", failing_mint)
    result = deliver(db)
    assert (result.sent, result.retry, result.failed) == (3, 0, 2)
    stored = messages(db)
    assert stored.pop("p1@example.nl").last_error == "RuntimeError: onvoorzien"
    assert "no_such_table" in stored["p3@example.nl"].last_error and stored.pop("p3@example.nl").status == "failed"
    assert {m.status for m in stored.values()} == {"sent"}
    assert sorted(m["To"].addresses[0].addr_spec for m in smtp.messages) == sorted(stored)
    # The link that failed was undone; every other message (the one that failed later too) has one.
    assert db.read(lambda s: len(s.exec(select(PersonalLink)).all())) == 4


def test_a_message_that_never_finishes_is_failed_and_not_taken_again_and_again(db, create_event):
    """A sender that dies on one message every time (killed, out of memory) leaves it 'sending';
    after as many tries as the backoff allows it is failed, not claimed for ever."""
    ev = create_event(capacity_jobseekers=5)
    db.write(registration.register_jobseeker, ev.id, person(email="vast@example.nl"))
    now = utcnow()
    claims = 0
    while db.write(outbox.claim, 10, now):
        claims += 1
        now += outbox.CLAIM_FOR + timedelta(seconds=1)  # the claim runs out; nobody marked it
        assert claims <= len(outbox.BACKOFF) + 1
    assert claims == len(outbox.BACKOFF) + 1
    [msg] = db.read(lambda s: s.exec(select(Message)).all())
    assert msg.status == "failed" and msg.claimed_until is None and msg.last_error == "messages.error.gave_up"
    assert "opnieuw" in translate(msg.last_error, "nl")
    db.write(sender.resend, msg.id)  # staff can send it again
    assert [m.id for m in db.write(outbox.claim, 10, now)] == [msg.id]


def test_send_messages_once_exits_0_with_a_message_that_cannot_be_sent(sqlite_db, create_event, smtp):
    ev = create_event(sqlite_db, capacity_jobseekers=10)
    sign_up_with_an_old_name(sqlite_db, ev, 1, 1)
    env = dict(os.environ, EVENTTOOL_DATABASE_URL=sqlite_db.url, EVENTTOOL_SMTP_URL=smtp.url)
    done = subprocess.run([sys.executable, "-m", "eventtool", "send-messages", "--once"], cwd=ROOT_DIR, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "sent 2, to try again 0, failed 1" in done.stdout
    statuses = {a: m.status for a, m in messages(sqlite_db).items()}
    assert statuses == {"voor0@example.nl": "sent", "anna@example.nl": "failed", "na0@example.nl": "sent"}
