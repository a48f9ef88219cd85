"""The 'Bericht aan iedereen' page (issue 29): write, see it as people will, send after a question
that names how many people and the event; afterwards exactly the messages and the audit entry are
new, nothing else in the store changed, and the form is empty again."""
from sqlalchemy import inspect as sa_inspect, text
from sqlmodel import SQLModel, select

from eventtool.core.models import AuditEntry
from eventtool.messages.models import Message
from eventtool.registration import registration

from ..conftest import person
from .test_public import make_event

HTML_AND_CODE = "De ingang is verplaatst naar de <b>achterkant</b> van het gebouw. {{ 7 * 7 }}"


def snapshot(db) -> dict[str, list]:
    """Every row of every table, as tuples; the outbox and the audit log apart (checked on their own)."""
    def read(session):
        tables = [t.name for t in SQLModel.metadata.sorted_tables if t.name not in ("message", "audit_log")]
        return {t: sorted(map(tuple, session.exec(text(f'SELECT * FROM "{t}"')).all()), key=repr) for t in tables}
    return db.read(read)


def button(at, label):
    return next(b for b in [*at.get("form_submit_button"), *at.button] if b.label == label)


def test_the_organiser_writes_looks_and_sends_to_everyone(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=5, title="Banenmarkt **Oss**")
    page_db.write(registration.register_jobseeker, ev.id, person(name="Anna Aal", email="anna@example.nl"))
    page_db.write(registration.register_jobseeker, ev.id, person(name="Bob Baker", email="bob@example.nl"), lang="en")
    page_db.write(registration.register_jobseeker, ev.id, person(name="Fien Fluit", email=None, phone="0612345678"))
    gone = page_db.write(registration.register_jobseeker, ev.id, person(name="Dirk Dam", email="dirk@example.nl"))
    page_db.write(registration.cancel_registration, gone.registration.id)
    page_db.write(lambda s: [s.delete(m) for m in s.exec(select(Message))])

    at = app(role="organiser", page="views/broadcast.py")
    assert not at.exception and at.title[0].value == "Bericht aan iedereen"
    prefix = f"bc_{ev.id}_0"
    at.text_input(key=f"{prefix}_subject").input("Andere ingang")
    button(at, "Bekijk het bericht").click().run()
    assert any("Vul dit veld in" in e.value for e in at.error)  # the body, in words
    assert at.text_input(key=f"{prefix}_subject").value == "Andere ingang"  # nothing typed is lost

    at.text_area(key=f"{prefix}_body").input(HTML_AND_CODE)
    at.text_input(key=f"{prefix}_subject_en").input("Other entrance")
    at.text_area(key=f"{prefix}_body_en").input("The entrance has moved to the back of the building.")
    button(at, "Bekijk het bericht").click().run()
    assert not at.exception and not at.error
    shown = [x.value for x in at.text]
    assert any(HTML_AND_CODE in x and "Beste (naam)" in x for x in shown)  # as the person sees it, as text
    assert any("Dear (naam)" in x and "back of the building" in x for x in shown)
    assert any("Dit bericht gaat naar 2 mensen." == i.value for i in at.info)
    assert any("1 persoon heeft geen e-mailadres: bel hem of haar" in w.value for w in at.warning)

    before = snapshot(page_db)
    at.button(key=f"bc_send_{ev.id}").click().run()
    question = [w.value for w in at.warning if "Wilt u het versturen?" in w.value]
    assert question and "2 mensen" in question[0] and "Banenmarkt \\*\\*Oss\\*\\*" in question[0]
    assert page_db.read(lambda s: s.exec(select(Message)).all()) == []  # asked first: nothing sent yet
    at.button(key=f"bc_send_yes_{ev.id}").click().run()
    assert not at.exception
    assert any("Het bericht staat klaar voor 2 mensen" in i.value for i in at.info)

    sent = page_db.read(lambda s: s.exec(select(Message).order_by(Message.to_address)).all())
    assert [(m.to_address, m.kind, m.lang, m.subject) for m in sent] == [
        ("anna@example.nl", "broadcast", "nl", "Andere ingang"), ("bob@example.nl", "broadcast", "en", "Other entrance")]
    assert "&lt;b&gt;achterkant&lt;/b&gt;" in sent[0].body_html and "{{ 7 * 7 }}" in sent[0].body_html
    logged = page_db.read(lambda s: s.exec(select(AuditEntry.action, AuditEntry.subject).where(
        AuditEntry.action == "registration.broadcast")).all())
    assert logged == [("registration.broadcast", str(ev.id))]
    assert snapshot(page_db) == before  # nothing else changed
    # The form is empty again (a new form), and no preview or question stands.
    assert at.text_input(key=f"bc_{ev.id}_1_subject").value == ""
    assert at.text_area(key=f"bc_{ev.id}_1_body").value == ""
    assert not [b for b in at.button if b.key == f"bc_send_{ev.id}"]


def test_only_the_organiser_has_the_page():
    from eventtool.core.access import visible_pages
    assert "views/broadcast.py" in [p.script for p in visible_pages("organiser")]
    for role in (None, "coordinator", "coach"):
        assert "views/broadcast.py" not in [p.script for p in visible_pages(role)]
