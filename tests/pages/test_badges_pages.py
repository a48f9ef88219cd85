"""The door page's tick list (the network was down) and the downloads of badges, the door list,
letters and table cards (issue 29)."""
from sqlmodel import select

from eventtool.core.models import AuditEntry
from eventtool.dayof import badges
from eventtool.registration import registration
from eventtool.registration.models import Registration

from ..conftest import company, person
from .test_public import make_event


def _store(db) -> dict:
    return db.read(lambda s: {r.id: r.model_dump() for r in s.exec(select(Registration))})


def test_the_ticked_paper_list_is_checked_in_in_one_go_and_the_list_is_empty_afterwards(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=10)
    anna, bram, cor = (page_db.write(registration.register_jobseeker, ev.id, person(name=name)).registration
                       for name in ("Anna de Vries", "Bram Bakker", "Cor Claassen"))
    before = _store(page_db)
    at = app(role="coordinator", page="views/checkin.py")
    assert not at.exception
    key = f"ci_ticked_{ev.id}_0"
    assert set(at.multiselect(key=key).options) >= {"Anna de Vries", "Bram Bakker", "Cor Claassen"}
    at.multiselect(key=key).select(anna.id).select(cor.id).run()
    at.button(key=f"ci_tick_ask_{ev.id}").click().run()
    assert any(w.value == "2 mensen binnen melden?" for w in at.warning)
    assert _store(page_db) == before  # asked first: nothing changed yet
    at.button(key=f"ci_tick_{ev.id}_yes_{ev.id}").click().run()
    assert not at.exception
    after = _store(page_db)
    assert {i for i in after if after[i] != before[i]} == {anna.id, cor.id}
    assert after[anna.id]["checked_in_at"] and after[cor.id]["checked_in_at"] and not after[bram.id]["checked_in_at"]
    assert any("2 mensen binnen gemeld." in s.value for s in at.success)
    logged = page_db.read(lambda s: [e.action for e in s.exec(select(AuditEntry))])
    assert logged.count("checkin.check_in_many") == 1
    # The list is empty again and offers only who is not in yet.
    fresh = at.multiselect(key=f"ci_ticked_{ev.id}_1")
    assert fresh.value == [] and list(fresh.options) == ["Bram Bakker"]


def test_the_downloads_page_offers_badges_the_door_list_letters_and_table_cards(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=10, capacity_employers=2)
    page_db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries", email=None, phone="0612345678"))
    page_db.write(registration.register_employer, ev.id, company(organisation="Zorggroep Noord"))
    at = app(role="coordinator", page="views/downloads.py")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    for label in ("Naambadges (PDF)", "Deurlijst met QR-codes (PDF)", "Tafelkaarten voor werkgevers (PDF)",
                  "Brieven met QR-code (PDF)"):
        assert label in labels
    assert any("Voor 1 persoon zonder e-mailadres" in c.value for c in at.caption)
    assert page_db.read(badges.without_email, ev.id)


def test_the_registrations_page_offers_the_letter_of_the_chosen_registration(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=10)
    reg = page_db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries")).registration
    at = app(role="coordinator", page="views/registrations_admin.py")
    assert not at.exception
    at.session_state[f"regs_chosen_{ev.id}"] = reg.id
    at.run()
    assert not at.exception
    assert "Brief met QR-code (PDF)" in [b.proto.label for b in at.get("download_button")]


def test_a_new_door_code_for_the_chosen_registration_after_asking(app, page_db):
    """A QR code that was lost or passed on: staff make a new one; the old one no longer opens the door,
    and nothing else changes."""
    from eventtool.registration import door
    from eventtool.registration.models import Registration
    ev = make_event(page_db, capacity_jobseekers=10)
    reg = page_db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries")).registration
    other = page_db.write(registration.register_jobseeker, ev.id, person(name="Bram Bakker")).registration
    code = lambda rid: door.token(page_db.read(lambda s: s.get(Registration, rid)))  # noqa: E731
    old, others = code(reg.id), code(other.id)
    at = app(role="organiser", page="views/registrations_admin.py")
    at.session_state[f"regs_chosen_{ev.id}"] = reg.id
    at.run()
    at.button(key=f"new_door_code_{reg.id}").click().run()
    assert code(reg.id) == old  # asked first
    assert any("De oude code" in w.value for w in at.warning)
    at.button(key=f"new_door_code_yes_{reg.id}").click().run()
    assert not at.exception
    assert code(reg.id) != old and page_db.read(door.find, old) is None
    assert page_db.read(door.find, code(reg.id)).id == reg.id and code(other.id) == others
