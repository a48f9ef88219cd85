"""The door and the review list: staff see what is stored and choose what changes (issue 11, 1)."""
from sqlmodel import select

from eventtool.people import identity
from eventtool.registration import registration
from eventtool.people.models import Jobseeker

from ..conftest import person
from .test_public import make_event
from eventtool.registration import profile_changes

KNOWN = dict(name="Sanne Visser", email="sanne@example.nl", phone="0612345678", region="Drenthe",
             support_needs=["wheelchair", "sign_language"], target_group="wajong", consent_special=True)


def profile(db):
    js = db.read(lambda s: s.exec(select(Jobseeker).where(Jobseeker.email == "sanne@example.nl")).one())
    return {k: getattr(js, k) for k in identity.JOBSEEKER_FIELDS}


def test_a_returning_walk_in_is_shown_as_stored_and_only_ticked_fields_change(app, page_db):
    page_db.write(registration.register_jobseeker, make_event(page_db, title="Vorige").id, person(**KNOWN))
    before = profile(page_db)
    ev = make_event(page_db, title="Vandaag")
    at = app(role="coordinator", page="views/checkin.py")
    at.selectbox(key="ci_event").set_value(ev.id).run()
    at.text_input(key=f"ciw_{ev.id}_name").input("S. Visser")
    at.text_input(key=f"ciw_{ev.id}_email").input("sanne@example.nl")
    at.text_input(key=f"ciw_{ev.id}_phone").input("0611112222")
    at.checkbox(key=f"ciw_{ev.id}_consent").check()
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    # Not registered yet: the stored profile is shown first.
    assert page_db.read(registration.registrations_table, ev.id) == []
    assert any("Sanne Visser" in m.value and "+31612345678" in m.value for m in at.markdown)
    pid = page_db.read(identity.door_match, "", "sanne@example.nl", None)["id"]
    assert {c.key for c in at.checkbox if c.key.startswith(f"ciw_{ev.id}_upd_")} == {
        f"ciw_{ev.id}_upd_{pid}_name", f"ciw_{ev.id}_upd_{pid}_phone"}
    at.checkbox(key=f"ciw_{ev.id}_upd_{pid}_phone").check()
    [b for b in at.button if b.key == f"ciw_{ev.id}_known_yes_{pid}"][0].click().run()
    [row] = page_db.read(registration.registrations_table, ev.id)
    assert row["checked_in"] and row["name"] == "Sanne Visser"
    assert profile(page_db) == before | {"phone": "+31611112222"}  # support needs, region, name kept


def test_the_review_list_applies_only_ticked_fields_of_that_proposal(app, page_db):
    ev = make_event(page_db, title="Deze")
    other_event = make_event(page_db, title="Andere")
    page_db.write(registration.register_jobseeker, other_event.id, person(**KNOWN))
    page_db.write(registration.register_jobseeker, ev.id, person(name="Sanne de Visser", email="sanne@example.nl",
                                                                 region="Amersfoort"))
    # (A sign-up for an event the person is already on proposes nothing: it created nothing.)
    page_db.write(registration.register_jobseeker, other_event.id, person(name="Ander", email="ander@example.nl"))
    page_db.write(registration.register_jobseeker, ev.id, person(name="Ander <b>Iemand</b>", email="ander@example.nl"))
    before = profile(page_db)
    at = app(role="coordinator", page="views/registrations_admin.py")
    at.selectbox(key="regs_event").set_value(ev.id).run()
    assert not at.exception
    proposals = page_db.read(profile_changes.review_list, ev.id)
    assert len(proposals) == 2
    sanne = next(p for p in proposals if p["name"] == "Sanne Visser")
    other = next(p for p in proposals if p["name"] == "Ander")
    assert any("\\<b\\>" in c.label for c in at.checkbox if c.key.startswith(f"rv_{other['id']}_"))  # escaped
    at.checkbox(key=f"rv_{sanne['id']}_name").check()
    [b for b in at.button if b.key == f"rv_accept_{sanne['id']}"][0].click().run()
    assert profile(page_db) == before | {"name": "Sanne de Visser"}
    assert [p["id"] for p in page_db.read(profile_changes.review_list, ev.id)] == [other["id"]]
    [b for b in at.button if b.key == f"rv_reject_{other['id']}"][0].click().run()
    assert page_db.read(profile_changes.review_list, ev.id) == []
    names = {r["name"] for r in page_db.read(registration.registrations_table, ev.id)}
    assert names == {"Sanne de Visser", "Ander"}
