"""A public form never changes what is stored about someone we know (issue 11, finding 1)."""
import pytest
from sqlmodel import select

from eventtool.people import identity
from eventtool.privacy import privacy
from eventtool.registration import registration
from eventtool.core.errors import NotFound
from eventtool.people.models import Consent, Employer, Jobseeker, ProfileProposal

from ..conftest import company, person
from eventtool.registration import profile_changes

VICTIM = dict(name="Sanne Visser", email="sanne@example.nl", phone="0612345678", region="Drenthe",
              support_needs=["wheelchair", "sign_language"], target_group="wajong", consent_special=True,
              pitch="Ik zoek werk in de zorg.")


def stored(db, email="sanne@example.nl"):
    return db.read(lambda s: s.exec(select(Jobseeker).where(Jobseeker.email == email)).one())


def profile(js):
    return {k: getattr(js, k) for k in identity.JOBSEEKER_FIELDS}


def consents(db, js_id):
    return db.read(lambda s: sorted((c.scope, c.withdrawn_at is None) for c in
                                    s.exec(select(Consent).where(Consent.jobseeker_id == js_id))))


def test_a_stranger_with_someones_address_changes_nothing_stored_about_them(db, create_event):
    db.write(registration.register_jobseeker, create_event().id, person(**VICTIM))
    before = stored(db)
    before_profile, before_consents = profile(before), consents(db, before.id)
    # Another event, the victim's e-mail, another name and phone, no consent for health data.
    attack = db.write(registration.register_jobseeker, create_event().id,
                      person(name="Iemand Anders", email="sanne@example.nl", phone="0687654321", pitch=""))
    after = stored(db)
    assert profile(after) == before_profile and consents(db, after.id) == before_consents
    assert attack.registration.jobseeker_id == before.id
    # What was typed waits for review with that registration, only the fields that differ.
    [row] = db.read(profile_changes.review_list)
    assert row["registration_id"] == attack.registration.id and row["name"] == "Sanne Visser"
    assert {c["field"]: (c["stored"], c["typed"]) for c in row["changes"]} == {
        "name": ("Sanne Visser", "Iemand Anders"), "phone": ("+31612345678", "+31687654321")}


def test_the_answer_is_the_same_whether_the_address_is_known_registered_or_new(db, create_event):
    ev = create_event()
    db.write(registration.register_jobseeker, ev.id, person(**VICTIM))
    known = db.write(registration.register_jobseeker, ev.id, person(name="X", email="sanne@example.nl"))
    new = db.write(registration.register_jobseeker, ev.id, person(name="X", email="nieuw@example.nl"))
    assert known.answer == new.answer == "confirmed"
    assert len(known.code) == len(new.code) == 11
    # The code the second sign-up got looks like any other, and works for nothing: that sign-up
    # created nothing (test_registration has the whole story).
    with pytest.raises(NotFound):
        db.read(registration.lookup_code, known.code)


def test_staff_accept_what_they_choose_and_the_proposal_is_gone_after(db, create_event):
    db.write(registration.register_jobseeker, create_event().id, person(**VICTIM))
    db.write(registration.register_jobseeker, create_event().id,
             person(name="Sanne de Visser", email="sanne@example.nl", region="Amersfoort",
                    support_needs=["quiet_space"], consent_special=True))
    [row] = db.read(profile_changes.review_list)
    assert row["consent_special"]
    db.write(identity.accept_proposal, row["id"], ["name", "support_needs"])
    js = stored(db)
    assert js.name == "Sanne de Visser" and js.support_needs == ["quiet_space"] and js.region == "Drenthe"
    assert db.read(profile_changes.review_list) == []
    db.write(registration.register_jobseeker, create_event().id,
             person(name="Iemand Anders", email="sanne@example.nl"))
    [row] = db.read(profile_changes.review_list)
    db.write(identity.reject_proposal, row["id"])
    assert stored(db).name == "Sanne de Visser" and db.read(profile_changes.review_list) == []


def test_health_data_in_a_proposal_without_consent_is_never_applied(db, create_event):
    db.write(registration.register_jobseeker, create_event().id, person(**VICTIM))
    db.write(registration.register_jobseeker, create_event().id,
             person(name="Sanne V.", email="sanne@example.nl", consent_special=False))
    [row] = db.read(profile_changes.review_list)
    assert "support_needs" not in {c["field"] for c in row["changes"]}
    db.write(identity.accept_proposal, row["id"])
    assert stored(db).support_needs == ["wheelchair", "sign_language"]


def test_a_returning_walk_in_keeps_the_stored_profile_unless_staff_choose_a_field(db, create_event):
    db.write(registration.register_jobseeker, create_event().id, person(**VICTIM))
    before = profile(stored(db))
    match = db.read(identity.door_match, "Sanne", "SANNE@example.nl", "06 1234 5678")
    assert match["name"] == "Sanne Visser" and match["phone"] == "+31612345678"
    assert match["changes"] == {"name": "Sanne"}  # the same number, written otherwise, is no change
    # The door form has no support needs, no region: an empty field wipes nothing.
    door = dict(name="Sanne", email="sanne@example.nl", phone="", consent_registration=True)
    db.write(registration.add_walk_in, create_event().id, door)
    assert profile(stored(db)) == before
    db.write(registration.add_walk_in, create_event().id, door | {"phone": "0611112222"}, ["phone"])
    after = profile(stored(db))
    assert after == before | {"phone": "+31611112222"}
    assert db.read(identity.door_match, "", None, "0611112222")["id"] == stored(db).id
    assert db.read(identity.door_match, "", "geen-adres", None) is None


def test_an_employer_form_proposes_new_contact_details_for_a_known_organisation(db, create_event):
    db.write(registration.register_employer, create_event().id,
             company(organisation="Zorggroep Noord", contact_name="Petra Smit", email="petra@zorg.nl"))
    db.write(registration.register_employer, create_event().id,
             company(organisation="zorggroep noord", contact_name="Kwaadwillend", email="fake@evil.example"))
    emp = db.read(lambda s: s.exec(select(Employer)).one())
    assert (emp.contact_name, emp.email) == ("Petra Smit", "petra@zorg.nl")
    [row] = db.read(profile_changes.review_list)
    assert row["party"] == "employer" and {c["field"] for c in row["changes"]} == {"contact_name", "email"}
    db.write(identity.accept_proposal, row["id"], ["contact_name"])
    emp = db.read(lambda s: s.exec(select(Employer)).one())
    assert (emp.contact_name, emp.email) == ("Kwaadwillend", "petra@zorg.nl")


def test_erasure_removes_what_was_typed_about_the_person(db, create_event):
    db.write(registration.register_jobseeker, create_event().id, person(**VICTIM))
    db.write(registration.register_jobseeker, create_event().id, person(name="Nieuwe Naam", email="sanne@example.nl"))
    db.write(privacy.erase_person, stored(db).id)
    assert db.read(lambda s: s.exec(select(ProfileProposal)).all()) == []
