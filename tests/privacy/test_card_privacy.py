"""Profile cards and who looked at them in a person's export, erasure and the retention purge."""
import csv
import io
import json
from datetime import timedelta

from sqlmodel import select

from eventtool.events.models import EmployerWish
from eventtool.privacy import privacy
from eventtool.registration import cards, registration
from eventtool.registration.models import CardView, ProfileCard

from ..conftest import company, person

CARD = {"pitch": "Ik werk graag buiten.", "seeking": "Groenwerk", "skills": "Snoeien", "hours": "20"}


def shared_and_seen(db, create_event, n=None, **event):
    """An event with an employer that looked twice at a jobseeker's approved, shared card."""
    ev = create_event(capacity_employers=3, **event)
    employer = db.write(registration.register_employer, ev.id, company(organisation=f"Groen BV {ev.id}")).registration
    signup = db.write(registration.register_jobseeker, ev.id, person(n), card=CARD, share_card=True)
    card = db.read(lambda s: s.exec(select(ProfileCard).where(ProfileCard.registration_id == signup.registration.id)).one())
    db.write(cards.approve, card.id)
    for _ in range(2):
        db.write(cards.record_view, card.id, employer.employer_id, None)
    return ev, signup, card


def rows(db, model):
    return db.read(lambda s: s.exec(select(model).order_by(model.id)).all())


def test_the_export_holds_the_cards_and_which_organisation_looked_when(db, create_event):
    ev, signup, card = shared_and_seen(db, create_event)
    jid = signup.registration.jobseeker_id
    data = json.loads(db.read(privacy.export_json, jid))
    [exported] = data["profile_cards"]
    assert exported["event"] == ev.title and exported["pitch"] == CARD["pitch"] and exported["hours"] == "20"
    assert exported["shared"] is True and exported["share_text_version"] == cards.SHARE_VERSION
    assert exported["status"] == "approved"
    views = rows(db, CardView)
    assert data["card_views"] == [{"event": ev.title, "employer": f"Groen BV {ev.id}", "viewed_at": v.viewed_at.isoformat()}
                                  for v in views]
    text = db.read(privacy.export_csv, jid).decode("utf-8-sig")
    sections = {r[0] for r in csv.reader(io.StringIO(text), delimiter=";")}
    assert {"Profielkaarten", "Werkgevers die uw profielkaart bekeken"} <= sections
    assert f"Groen BV {ev.id}" in text


def test_erasure_removes_the_persons_cards_and_the_views_of_them_only(db, create_event):
    ev, signup, _card = shared_and_seen(db, create_event)
    _ev2, other, other_card = shared_and_seen(db, create_event)
    db.write(privacy.erase_person, signup.registration.jobseeker_id)
    assert [c.id for c in rows(db, ProfileCard)] == [other_card.id]
    assert {v.card_id for v in rows(db, CardView)} == {other_card.id} and len(rows(db, CardView)) == 2
    assert db.read(cards.visible_cards, ev.id) == []


def test_the_purge_removes_a_card_and_its_views_once_its_sharing_has_ended(db, create_event):
    ev, _signup, card = shared_and_seen(db, create_event)
    later, _later_signup, later_card = shared_and_seen(db, create_event, starts_at=ev.starts_at + timedelta(days=30))
    assert db.write(privacy.purge_expired, 730, now=ev.ends_at + timedelta(days=14)) == 0
    assert len(rows(db, ProfileCard)) == 2 and len(rows(db, CardView)) == 4
    assert db.write(privacy.purge_expired, 730, now=ev.ends_at + timedelta(days=14, minutes=1)) == 0
    assert [c.id for c in rows(db, ProfileCard)] == [later_card.id]
    assert {v.card_id for v in rows(db, CardView)} == {later_card.id}
    # the people themselves stay (their retention period is much longer); the setting can be given
    assert db.write(privacy.purge_expired, 730, now=later.ends_at + timedelta(days=2), card_share_days=1) == 0
    assert rows(db, ProfileCard) == [] and rows(db, CardView) == []
    assert card.id != later_card.id


def test_what_employers_said_about_meeting_someone_is_in_their_export_and_goes_with_erasure(db, create_event):
    """An employer's "graag spreken" / "liever niet" on its own page is about the person: in their
    export, and erased with them (another person's wishes stay)."""
    ev, signup, _card = shared_and_seen(db, create_event)
    _ev2, other, _other_card = shared_and_seen(db, create_event)
    employer_id = db.read(lambda s: s.exec(select(registration.Registration.employer_id).where(
        registration.Registration.event_id == ev.id, registration.Registration.employer_id.is_not(None))).one())

    def wish(session):
        session.add(EmployerWish(event_id=ev.id, employer_id=employer_id, jobseeker_id=signup.registration.jobseeker_id,
                                 wish="want"))
        session.add(EmployerWish(event_id=_ev2.id, employer_id=employer_id, jobseeker_id=other.registration.jobseeker_id,
                                 wish="avoid"))
    db.write(wish)
    data = json.loads(db.read(privacy.export_json, signup.registration.jobseeker_id))
    assert data["employer_wishes"] == [{"event": ev.title, "employer": f"Groen BV {ev.id}", "wish": "want"}]
    text = db.read(privacy.export_csv, signup.registration.jobseeker_id).decode("utf-8-sig")
    assert "Wensen van werkgevers" in text
    db.write(privacy.erase_person, signup.registration.jobseeker_id)
    assert [(w.jobseeker_id, w.wish) for w in rows(db, EmployerWish)] == [(other.registration.jobseeker_id, "avoid")]
