"""Stands on the pages (issue 29): staff set an employer's stand on the registrations page (only
that registration changes; a taken stand is refused with the field's text kept), give stands in
order of sector after being asked, and download the floor list; 'mijn aanmelding' lists the stands
of the employers the jobseeker picked; the events page keeps where the facilities are."""

from sqlmodel import select

from eventtool.events.models import Event
from eventtool.registration import registration, stands
from eventtool.messages import links
from eventtool.registration.models import Registration

from ..conftest import company, person
from .test_public import make_event, texts


def _fair(page_db):
    fair = make_event(page_db, kind="job_fair", title="Banenmarkt Oss", capacity_employers=5, capacity_jobseekers=5,
                      quiet_room="Zaal 3", toilets="Bij de ingang", lift="Achter de balie")
    regs = [page_db.write(registration.register_employer, fair.id,
                          company(organisation=name, sectors=[sector])).registration
            for name, sector in (("Zorggroep Oost", "care"), ("Bouwbedrijf Jansen", "construction"))]
    return fair, regs


def _submit(at, label: str) -> None:
    [b for b in at.get("form_submit_button") if b.label == label][0].click().run()


def _store(page_db) -> list[dict]:
    return page_db.read(lambda s: [r.model_dump(exclude={"stand"}) | {"stand": r.stand}
                                   for r in s.exec(select(Registration).order_by(Registration.id))])


def test_staff_set_a_stand_and_nothing_else_changes(app, page_db):
    fair, (zorg, bouw) = _fair(page_db)
    page_db.write(registration.register_jobseeker, fair.id, person(name="Anna de Vries"))
    before = _store(page_db)
    at = app(role="organiser", page="views/registrations_admin.py")
    assert not at.exception
    assert "Stands en plattegrond" in texts(at)
    at.selectbox(key=f"stand_pick_{fair.id}").select(zorg.id).run()
    at.text_input(key=f"stand_value_{zorg.id}").input("a3")
    _submit(at, "Standnummer opslaan")
    assert not at.exception
    after = _store(page_db)
    assert [r["stand"] for r in after] == [None if r["id"] != zorg.id else "A3" for r in before]
    assert [{k: v for k, v in r.items() if k != "stand"} for r in after] == \
        [{k: v for k, v in r.items() if k != "stand"} for r in before]  # nothing else changed
    assert any("standnummer is opgeslagen" in i.value for i in at.info)

    # The same stand for the other employer: refused, naming who has it; what was typed stays.
    at.selectbox(key=f"stand_pick_{fair.id}").select(bouw.id).run()
    at.text_input(key=f"stand_value_{bouw.id}").input("A3")
    _submit(at, "Standnummer opslaan")
    assert any("Stand A3 is al van Zorggroep Oost" in e.value for e in at.error)
    assert at.text_input(key=f"stand_value_{bouw.id}").value == "A3"
    assert page_db.read(lambda s: s.get(Registration, bouw.id).stand) is None


def test_stands_in_order_of_sector_after_asking_and_the_floor_list(app, page_db):
    fair, (zorg, bouw) = _fair(page_db)
    at = app(role="organiser", page="views/registrations_admin.py")
    at.button(key=f"stands_assign_{fair.id}").click().run()
    assert page_db.read(stands.employers, fair.id)[0].stand is None  # asked first
    assert any("op volgorde van sector" in w.value for w in at.warning)
    at.button(key=f"stands_assign_yes_{fair.id}").click().run()
    assert not at.exception
    got = {r.organisation: r.stand for r in page_db.read(stands.employers, fair.id)}
    assert got == {"Bouwbedrijf Jansen": "1", "Zorggroep Oost": "2"}  # Bouw before Zorg en welzijn
    assert any("2 werkgevers kregen een standnummer" in i.value for i in at.info)
    button = at.get("download_button")
    assert any(b.proto.label == "Plattegrond (PDF)" for b in button)


def test_a_meet_and_greet_has_no_stands_block(app, page_db):
    make_event(page_db, kind="meet_greet", title="Meet&Greet Oss")
    at = app(role="organiser", page="views/registrations_admin.py")
    assert not at.exception and "Stands en plattegrond" not in texts(at)


def test_mijn_aanmelding_lists_the_stands_of_the_picked_employers(app, page_db):
    fair, (zorg, bouw) = _fair(page_db)
    page_db.write(stands.set_stand, zorg.id, "7")
    picks = [page_db.read(lambda s: s.get(Registration, r.id).employer_id) for r in (bouw, zorg)]
    signup = page_db.write(registration.register_jobseeker, fair.id, person(email="mijn@example.nl"), picks=picks)
    token = page_db.write(links.mint, signup.registration.id, fair.ends_at)
    at = app(page="views/my_registration.py", query={"t": token})
    assert not at.exception
    assert "Hier staan de werkgevers die u koos" in [s.value for s in at.subheader]
    shown = [m for m in texts(at) if "Stand 7" in m]
    assert shown and "Zorggroep Oost" in shown[0] and "Bouwbedrijf" not in shown[0]  # no stand: not listed

    other = page_db.write(registration.register_jobseeker, fair.id, person(email="geen@example.nl"))
    at = app(page="views/my_registration.py", query={"t": page_db.write(links.mint, other.registration.id, fair.ends_at)})
    assert "Hier staan de werkgevers die u koos" not in [s.value for s in at.subheader]  # no picks: nothing

    # The employer sees their own stand.
    at = app(page="views/my_registration.py", query={"t": page_db.write(links.mint, zorg.id, fair.ends_at)})
    assert not at.exception and "Uw stand: 7" in [s.value for s in at.subheader]


def test_the_events_page_keeps_where_the_facilities_are(app, page_db):
    fair, _ = _fair(page_db)
    at = app(role="organiser", page="views/events_admin.py")
    at.session_state["ev_tab"] = "Bewerken"
    at.run()
    form_key = f"edit_{fair.id}_{fair.sequence}"
    assert at.text_input(key=f"{form_key}_quiet_room").value == "Zaal 3"
    at.text_input(key=f"{form_key}_lift").input("Lift naast de trap")
    _submit(at, "Wijzigingen opslaan")
    assert not at.exception
    assert page_db.read(lambda s: (s.get(Event, fair.id).lift, s.get(Event, fair.id).quiet_room)) == \
        ("Lift naast de trap", "Zaal 3")
