"""The employers an event's agenda shows (issue 28): organisations with a confirmed place, by name,
with their current places; nothing of their contact people."""
from eventtool.people.models import Vacancy
from eventtool.registration import catalogue, registration

from ..conftest import company


def test_the_catalogue_lists_confirmed_organisations_with_their_current_places(db, create_event):
    fair = create_event(kind="job_fair", capacity_employers=2)
    other = create_event(kind="job_fair", capacity_employers=5)
    zorg = db.write(registration.register_employer, fair.id, company(organisation="Zorggroep Oost", sectors=["care"],
                                                                      region="Twente", offers="Werk in de zorg"))
    assert zorg.registration.status == "confirmed"
    bouw = db.write(registration.register_employer, fair.id, company(organisation="Aannemer Bakker"))
    waiting = db.write(registration.register_employer, fair.id, company(organisation="Wachtlijst BV"))
    assert waiting.registration.status == "waitlisted"
    db.write(registration.register_employer, other.id, company(organisation="Elders BV"))

    def add(session, employer_id, **values):
        session.add(Vacancy(employer_id=employer_id, **values))
        session.flush()
    zorg_id = zorg.registration.employer_id
    db.write(add, zorg_id, title="Medewerker facilitair", hours="24 uur", place="Enschede",
             adaptations=["jobcoach_welcome", "part_time"])
    db.write(add, zorg_id, title="Oude vacature", active=False)

    found = db.read(catalogue.catalogue, [fair.id, other.id])
    assert [c.organisation for c in found[fair.id]] == ["Aannemer Bakker", "Zorggroep Oost"]
    zorg_row = found[fair.id][1]
    assert (zorg_row.sectors, zorg_row.region, zorg_row.offers) == (("care",), "Twente", "Werk in de zorg")
    assert [(p.title, p.hours, p.place, p.adaptations) for p in zorg_row.places] == [
        ("Medewerker facilitair", "24 uur", "Enschede", ("jobcoach_welcome", "part_time"))]
    assert found[fair.id][0].places == ()
    assert [c.organisation for c in found[other.id]] == ["Elders BV"]
    # No contact person or address is in it at all; a cancelled place leaves it (and the waiting list's
    # first organisation takes the place, and the catalogue).
    assert not any(hasattr(c, "email") or hasattr(c, "contact_name") for c in found[fair.id])
    db.write(registration.cancel_registration, bouw.registration.id)
    assert [c.organisation for c in db.read(catalogue.catalogue, [fair.id])[fair.id]] == ["Wachtlijst BV", "Zorggroep Oost"]
    assert db.read(catalogue.catalogue, []) == {}
