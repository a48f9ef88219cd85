"""One message to everyone of an event (issue 29): through the outbox to the suite's real SMTP
server, once per person, in each one's language, never to someone cancelled (also not after it was
queued), once to a jobcoach however many clients they have, the organiser's text always text."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from eventtool import sender
from eventtool.core import audit
from eventtool.core.config import get_settings
from eventtool.core.errors import DomainError, ValidationFailed
from eventtool.core.models import AuditEntry
from eventtool.events import events
from eventtool.messages.models import Message
from eventtool.privacy import privacy
from eventtool.registration import audiences, broadcast, event_changes, registration
from eventtool.registration.models import Registration

from ..conftest import company, local, person
from ..messages.conftest import smtp  # noqa: F401 - the real SMTP server of the messages tests

COACH = "kim@coach.example"
NL = dict(subject="Andere ingang", body="De ingang is verplaatst naar de achterkant van het gebouw.")
EN = dict(subject_en="Other entrance", body_en="The entrance has moved to the back of the building.")


def bodies(mail) -> str:
    return mail.get_body(("plain",)).get_content() + mail.get_body(("html",)).get_content()


@pytest.fixture
def fair(db, create_event):
    """An event with: Anna (Dutch) and Bob (English), both clients of coach Kim, as is Chris (who
    brings an interpreter); Fien without an e-mail address; Dirk (cancelled) and Eva on the
    waiting list; and one employer."""
    ev = create_event(capacity_jobseekers=4, capacity_employers=2)
    coach = dict(coach_name="Coach Kim", coach_email=COACH)
    regs = {}
    for key, data, lang in (
            ("anna", person(name="Anna Aal", email="anna@example.nl", **coach), "nl"),
            ("bob", person(name="Bob Baker", email="bob@example.nl", **coach), "en"),
            ("chris", person(name="Chris Cor", email="chris@example.nl", companion="interpreter",
                             companion_name="Tineke Tolk", **coach), "nl"),
            ("fien", person(name="Fien Fluit", email=None, phone="0612345678"), "nl"),
            ("dirk", person(name="Dirk Dam", email="dirk@example.nl"), "nl"),
            ("eva", person(name="Eva Eik", email="eva@example.nl"), "nl")):
        regs[key] = db.write(registration.register_jobseeker, ev.id, data, lang=lang).registration.id
    regs["employer"] = db.write(registration.register_employer, ev.id, company(email="hr@bakker.example")).registration.id
    db.write(registration.cancel_registration, regs["dirk"])
    statuses = db.read(lambda s: {k: s.get(Registration, r).status for k, r in regs.items()})
    assert statuses["eva"] == "waitlisted" and statuses["dirk"] == "cancelled", statuses
    assert db.read(lambda s: s.get(Registration, regs["anna"]).coach_confirmed)
    db.write(lambda s: s.exec(select(Message)).all() and [s.delete(m) for m in s.exec(select(Message))])
    return ev, regs


def send_all(db):
    sender.run_once(db, get_settings())


def queued(db):
    return db.read(lambda s: s.exec(select(Message).where(Message.kind == "broadcast")).all())


def test_everyone_gets_it_once_in_their_own_language_and_the_coach_once(db, fair, smtp):
    ev, regs = fair
    n = db.write(broadcast.broadcast, ev.id, dict(audience="all", **NL, **EN))
    assert n == 5  # Anna, Bob, Chris, the employer and Kim; not Dirk, Eva or Fien
    send_all(db)
    addresses = sorted(a for m in smtp.messages for a in [m["To"].addresses[0].addr_spec])
    assert addresses == sorted(["anna@example.nl", "bob@example.nl", "chris@example.nl", "hr@bakker.example", COACH])
    assert smtp.by_to("bob@example.nl")[0]["Subject"] == "Other entrance"
    assert "back of the building" in bodies(smtp.by_to("bob@example.nl")[0])
    assert smtp.by_to("bob@example.nl")[0]["Content-Language"] == "en"
    assert smtp.by_to("anna@example.nl")[0]["Subject"] == "Andere ingang"
    assert "achterkant van het gebouw" in bodies(smtp.by_to("anna@example.nl")[0])
    coach_mail = smtp.by_to(COACH)[0]
    assert coach_mail["Subject"] == "Andere ingang"  # clients in Dutch and English: Dutch
    assert "Beste Coach Kim" in bodies(coach_mail)
    for client in ("Anna", "Bob", "Chris", "Aal", "Baker"):
        assert client not in bodies(coach_mail) + coach_mail["Subject"]  # a coach's message names no client
    for mail in smtp.messages:
        assert "Meet&amp;Greet" in mail.get_body(("html",)).get_content()  # which event it is about
    assert db.read(lambda s: s.exec(select(Message.status).where(Message.kind == "broadcast")).all()) == ["sent"] * 5


def test_without_english_text_everyone_gets_the_dutch_one(db, fair, smtp):
    ev, regs = fair
    db.write(broadcast.broadcast, ev.id, dict(audience="jobseekers", **NL))
    send_all(db)
    assert smtp.by_to("bob@example.nl")[0]["Subject"] == "Andere ingang"
    assert smtp.by_to("bob@example.nl")[0]["Content-Language"] == "nl"
    assert len(smtp.messages) == 3 and not smtp.by_to(COACH) and not smtp.by_to("hr@bakker.example")


def test_each_audience_and_who_has_no_address(db, fair):
    ev, regs = fair
    reach = lambda audience: db.read(audiences.reach, ev.id, audience)  # noqa: E731
    addresses = lambda audience: sorted(r.address for r in reach(audience).recipients)  # noqa: E731
    assert addresses("jobseekers") == ["anna@example.nl", "bob@example.nl", "chris@example.nl"]
    assert addresses("employers") == ["hr@bakker.example"]
    assert addresses("coaches") == [COACH]
    assert addresses("waitlist") == ["eva@example.nl"]
    assert reach("all").without_email == [("Fien Fluit", "+31612345678")]
    assert reach("waitlist").without_email == []
    seen = db.read(broadcast.preview, ev.id, dict(audience="all", **NL, **EN), "(naam)")
    assert seen.count == 5 and len(seen.reach.without_email) == 1
    assert [lang for lang, _, _ in seen.versions] == ["nl", "en"]
    assert "Beste (naam)" in seen.versions[0][2] and "Dear (naam)" in seen.versions[1][2]
    assert queued(db) == []  # a preview queues nothing


def test_a_person_registered_twice_by_one_address_gets_one_message(db, create_event):
    """Two registrations with one address (a parent's, say), and a coach who is an employer's contact too."""
    ev = create_event(capacity_jobseekers=5)
    db.write(registration.register_jobseeker, ev.id, person(name="Sam Een", email="gezin@example.nl"))
    db.write(registration.register_jobseeker, ev.id, person(name="Sam Twee", email=None, phone="0611111111",
                                                            coach_name="Kim", coach_email="GEZIN@example.nl"))
    assert db.write(broadcast.broadcast, ev.id, dict(audience="all", **NL)) == 1


def test_someone_who_cancels_after_it_was_queued_does_not_get_it_and_the_coach_while_a_client_is_left(db, fair, smtp):
    ev, regs = fair
    db.write(broadcast.broadcast, ev.id, dict(audience="all", **NL))
    coach_copy = lambda: [m for m in queued(db) if m.to_address == COACH]  # noqa: E731
    assert coach_copy()[0].registration_id == regs["anna"]
    db.write(registration.cancel_registration, regs["anna"])  # the client the coach's copy is linked to
    assert coach_copy()[0].registration_id == regs["bob"]  # handed on: Kim still comes with Bob and Chris
    db.write(registration.set_status, regs["bob"], "cancelled")  # by staff
    db.write(registration.move_registration, regs["chris"], db.write(
        events.create_event, dict(kind="meet_greet", title="Elders", starts_at=local(20), ends_at=local(20) + timedelta(hours=1),
                                  capacity_jobseekers=3, capacity_employers=1, status="published")).id)
    assert coach_copy() == []  # none of Kim's clients has a place any more
    send_all(db)
    got = {m["To"].addresses[0].addr_spec for m in smtp.messages if m["Subject"] == "Andere ingang"}
    assert got == {"hr@bakker.example"}  # Eva, promoted after the broadcast was queued, is not in it either
    assert not [m for m in smtp.messages if m["Subject"] == "Andere ingang" and "example.nl" in m["To"]]


def test_a_coach_who_ends_one_caseload_keeps_the_message_of_the_others(db, fair):
    ev, regs = fair
    db.write(broadcast.broadcast, ev.id, dict(audience="coaches", **NL))
    from eventtool.registration import notify

    def end(s):
        notify.coach_ended(s, s.get(Registration, regs["anna"]))
    db.write(end)
    assert [(m.to_address, m.registration_id) for m in queued(db)] == [(COACH, regs["bob"])]


def test_erasure_deletes_the_persons_broadcast(db, fair):
    ev, regs = fair
    db.write(broadcast.broadcast, ev.id, dict(audience="all", **NL))
    anna = db.read(lambda s: s.get(Registration, regs["anna"]).jobseeker_id)
    assert "Andere ingang" in [m["subject"] for m in db.read(privacy.person_data, anna)["messages"]]
    db.write(privacy.erase_person, anna)
    left = queued(db)
    assert "anna@example.nl" not in [m.to_address for m in left]
    assert all(m.jobseeker_id != anna for m in left) and COACH in [m.to_address for m in left]


def test_markup_and_template_code_in_the_text_stay_text(db, fair, smtp):
    ev, _ = fair
    body = "Let op: <b>vet</b> <script>alert(1)</script> {{ 7 * 7 }} {% if true %}ja{% endif %}\n\nTweede alinea"
    db.write(broadcast.broadcast, ev.id, dict(audience="employers", subject="<i>Ingang</i> {{ x }}", body=body))
    send_all(db)
    mail = smtp.by_to("hr@bakker.example")[0]
    html, text = mail.get_body(("html",)).get_content(), mail.get_body(("plain",)).get_content()
    assert "&lt;b&gt;vet&lt;/b&gt;" in html and "<b>" not in html and "<script>" not in html
    assert "{{ 7 * 7 }}" in html and "49" not in html and "{% if true %}ja{% endif %}" in html
    assert "<h1" in html and 'lang="nl"' in html and "&lt;i&gt;Ingang&lt;/i&gt; {{ x }}</h1>" in html
    assert "<b>vet</b>" in text and "{{ 7 * 7 }}" in text
    assert mail["Subject"] == "<i>Ingang</i> {{ x }}"
    assert "</p><p>Tweede alinea</p>" in html


@pytest.mark.parametrize("data, field, code", [
    (dict(subject="x" * 151, body="tekst"), "subject", "field.too_long"),
    (dict(subject="Ingang", body="x" * 4001), "body", "field.too_long"),
    (dict(subject="", body="tekst"), "subject", "field.required"),
    (dict(subject="Ingang", body="  "), "body", "field.required"),
    (dict(subject="Ingang", body="tekst", subject_en="Entrance"), "body_en", "broadcast.english_incomplete"),
    (dict(subject="Ingang", body="tekst", body_en="text"), "subject_en", "broadcast.english_incomplete"),
    (dict(subject="In\x1bgang", body="tekst"), "subject", "field.control_chars"),
    (dict(subject="Ingang", body="tekst", audience="iedereen"), "audience", "field.choice_invalid"),
])
def test_limits_are_said_per_field_and_nothing_is_queued(db, fair, data, field, code):
    ev, _ = fair
    with pytest.raises(ValidationFailed) as refused:
        db.write(broadcast.broadcast, ev.id, data)
    assert refused.value.errors[field][0] == code
    assert queued(db) == []


def test_the_longest_text_allowed_goes(db, fair):
    ev, _ = fair
    assert db.write(broadcast.broadcast, ev.id, dict(audience="employers", subject="x" * 150, body="y" * 4000)) == 1


def test_not_for_a_cancelled_or_ended_event_nor_to_nobody(db, fair, create_event):
    ev, _ = fair
    with pytest.raises(DomainError, match="broadcast.event_over"):
        db.write(broadcast.broadcast, ev.id, dict(**NL), now=ev.ends_at)
    empty = create_event()
    with pytest.raises(DomainError, match="broadcast.nobody"):
        db.write(broadcast.broadcast, empty.id, dict(**NL))
    from eventtool.registration import event_changes
    db.write(event_changes.set_status, ev.id, "cancelled")
    with pytest.raises(DomainError, match="broadcast.event_cancelled"):
        db.write(broadcast.broadcast, ev.id, dict(**NL))


def test_a_broadcast_is_audited_as_a_staff_action(db, fair):
    ev, _ = fair
    assert audit.action_of(broadcast.broadcast) == "registration.broadcast"
    db.write(audit.audited("olga@example.nl", audit.action_of(broadcast.broadcast)), broadcast.broadcast, ev.id,
             dict(audience="all", **NL))
    entry = db.read(lambda s: s.exec(select(AuditEntry).where(AuditEntry.action == "registration.broadcast")).one())
    assert (entry.actor, entry.subject) == ("olga@example.nl", str(ev.id))
    assert "ingang" not in entry.detail.casefold()  # what was typed stays out of the log


def test_an_erased_registration_is_nobody():
    assert audiences.ERASED is registration.ERASED  # one constant, not a copy kept equal


def test_cancelling_the_event_withdraws_a_message_to_everyone_not_yet_sent(db, fair):
    """The mail server was down: 'the entrance has moved' must not arrive after 'the event is off'."""
    ev, _ = fair
    db.write(broadcast.broadcast, ev.id, dict(audience="all", **NL))
    assert [m for m in queued(db) if m.kind == "broadcast"]
    db.write(event_changes.set_status, ev.id, "cancelled")
    assert queued(db) == []
    assert db.read(lambda s: s.exec(select(Message).where(Message.kind == "event_cancelled")).all())
