"""An employer's pages for an event it comes to (issue 28): 'Wie komt er' (shared, approved cards
only; wishes), 'Ons rooster' and 'Na het gesprek'; and the agenda's catalogue of the employers that
come. Each UI action is read back from the database, and nothing else changed."""
from datetime import timedelta

from sqlmodel import select

from eventtool.core.access import visible_pages
from eventtool.core.timeutil import to_local, utcnow
from eventtool.events.models import EmployerWish, Event
from eventtool.people.models import Vacancy
from eventtool.planning import speedmeet
from eventtool.registration import cards, registration
from eventtool.registration.models import CardView
from eventtool.results.models import Outcome

from ..conftest import company, person
from .test_employer_pages import employer_app, employer_user
from .test_public import make_event, texts

CARD = dict(pitch="Ik ben precies en rustig", seeking="Werk in een magazijn", skills="Orde houden", hours="20 uur")


def _speedmeet_with_cards(db):
    """A speedmeet our organisation and another come to; Anna shares an approved card, Bram a card
    staff did not approve yet, Cas shares none."""
    event = make_event(db, kind="speedmeet", title="Speedmeet Logistiek", capacity_jobseekers=10)
    ours = db.write(registration.register_employer, event.id, company(1, organisation="Logistiek BV")).registration.employer_id
    db.write(registration.register_employer, event.id, company(2, organisation="Andere BV"))
    regs = {}
    for name, share, approve in (("Anna de Vries", True, True), ("Bram Jansen", True, False), ("Cas Smit", False, False)):
        reg = db.write(registration.register_jobseeker, event.id, person(name=name)).registration
        card = db.write(cards.save_card, reg.id, CARD, share=share)
        if approve:
            db.write(cards.approve, card.id, "staff@example.org")
        regs[name.split()[0]] = reg
    return event, ours, regs


def test_the_employer_menu_has_its_event_pages():
    scripts = {p.script for p in visible_pages("employer")}
    assert {"views/employer_coming.py", "views/employer_schedule.py", "views/employer_talks.py"} <= scripts
    for role in (None, "organiser", "coordinator", "coach"):
        assert not {"views/employer_coming.py", "views/employer_schedule.py", "views/employer_talks.py"} & {
            p.script for p in visible_pages(role)}


def test_who_is_coming_shows_the_approved_shared_card_only_and_keeps_the_wish_given(app, page_db):
    event, ours, regs = _speedmeet_with_cards(page_db)
    user = employer_user(page_db, ours)
    at = employer_app(page_db, user, "views/employer_coming.py")
    assert not at.exception
    assert [s.value for s in at.header] == ["Anna V\\."]  # (markdown-escaped: shown as "Anna V.")
    # The wish's question names her without a markdown escape: Streamlit gives the label as it is to
    # screen readers (aria-label), and "Anna V\\." was read with its backslash.
    assert [r.label for r in at.radio if r.key.startswith("wish_")] == ["Wilt u Anna V. spreken?"]
    shown = "\n".join(texts(at))
    assert "Ik ben precies en rustig" in shown and "Werk in een magazijn" in shown
    assert "Bram" not in shown and "Cas" not in shown and "de Vries" not in shown
    views = page_db.read(lambda s: [(v.employer_id, v.user_id) for v in s.exec(select(CardView))])
    assert views == [(ours, user.id)]

    anna_card = page_db.read(cards.card_of, regs["Anna"].id)
    before = page_db.read(lambda s: (s.exec(select(Outcome)).all(), [c.status for c in s.exec(select(cards.ProfileCard))]))
    at.radio(key=f"wish_{event.id}_{anna_card.id}").set_value("want").run()
    assert not at.exception
    wishes = page_db.read(lambda s: [(w.employer_id, w.jobseeker_id, w.wish) for w in s.exec(select(EmployerWish))])
    assert wishes == [(ours, regs["Anna"].jobseeker_id, "want")]
    assert page_db.read(lambda s: (s.exec(select(Outcome)).all(), [c.status for c in s.exec(select(cards.ProfileCard))])) == before
    # "Geen voorkeur" takes the wish back.
    at.radio(key=f"wish_{event.id}_{anna_card.id}").set_value("none").run()
    assert page_db.read(lambda s: s.exec(select(EmployerWish)).all()) == []


def test_the_schedule_page_lists_the_published_conversations_per_table(app, page_db):
    event, ours, regs = _speedmeet_with_cards(page_db)
    start = to_local(page_db.read(lambda s: s.get(Event, event.id).starts_at))
    page_db.write(speedmeet.save_settings, event.id, dict(rounds=3, round_minutes=10, break_minutes=5,
                                                          first_round_at=start + timedelta(minutes=10), max_meetings=3,
                                                          coverage_bonus=10))
    user = employer_user(page_db, ours)
    at = employer_app(page_db, user, "views/employer_schedule.py")
    assert not at.exception and "Er is nog geen rooster" in "\n".join(texts(at))
    page_db.write(speedmeet.run_planner, event.id, time_limit=5)
    page_db.write(speedmeet.publish, event.id)
    at.run()
    assert not at.exception
    assert [s.value for s in at.header][:1] == ["Tafel 1"]
    names = {row for df in at.dataframe for row in df.value.iloc[:, 2]}
    assert names and names <= {"Anna V.", "Bram J.", "Cas S."}
    assert len(at.get("download_button")) == 2


def test_after_the_talk_one_tap_becomes_an_employer_outcome_for_that_person_only(app, page_db):
    event, ours, regs = _speedmeet_with_cards(page_db)
    user = employer_user(page_db, ours)

    def began(session):  # the speedmeet started an hour ago
        ev = session.get(Event, event.id)
        ev.starts_at, ev.ends_at = utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=1)
    page_db.write(began)
    at = employer_app(page_db, user, "views/employer_talks.py")
    assert not at.exception
    assert [s.value for s in at.header] == ["Anna V\\."]  # no plan: only the shared card
    assert [r.label for r in at.radio] == ["Wat kwam er uit het gesprek met Anna V.?"]  # no escape in its name
    anna = regs["Anna"].jobseeker_id
    at.radio(key=f"talk_{event.id}_{anna}").set_value("second_interview")
    at.text_area(key=f"talk_note_{event.id}_{anna}").input("Volgende week op kantoor")
    at.button(key=f"FormSubmitter:talk_{event.id}_{anna}-Opslaan").click().run()
    assert not at.exception and any("Opgeslagen voor Anna V." in i.value for i in at.info)
    stored = page_db.read(lambda s: [(o.jobseeker_id, o.employer_id, o.event_id, o.kind, o.source, o.note)
                                     for o in s.exec(select(Outcome))])
    assert stored == [(anna, ours, event.id, "second_interview", "employer", "Volgende week op kantoor")]
    assert page_db.read(lambda s: s.exec(select(EmployerWish)).all()) == []


def test_the_agenda_lists_the_employers_that_come_with_their_places(app, page_db):
    event = make_event(page_db, kind="job_fair", title="Banenmarkt Oss", capacity_employers=5)
    employer_id = page_db.write(registration.register_employer, event.id,
                                company(1, organisation="Zorggroep Oost", sectors=["care"])).registration.employer_id

    def place(session):
        session.add(Vacancy(employer_id=employer_id, title="Medewerker schoonmaak", hours="16 uur",
                            adaptations=["jobcoach_welcome"]))
    page_db.write(place)
    at = app()
    assert not at.exception
    assert [e.label for e in at.expander] == ["Deze werkgever komt (1)"]
    shown = "\n".join(m.value for m in at.markdown)
    assert "Zorggroep Oost" in shown and "Zorg" in shown
    assert "Medewerker schoonmaak (16 uur, jobcoach welkom)" in shown


def test_who_is_coming_pages_through_many_cards_and_searches(app, page_db):
    event = make_event(page_db, kind="speedmeet", title="Speedmeet Groot", capacity_jobseekers=40)
    ours = page_db.write(registration.register_employer, event.id, company(1, organisation="Groot BV")).registration.employer_id
    for n in range(25):
        reg = page_db.write(registration.register_jobseeker, event.id, person(name=f"Naam{n:02d} Achter")).registration
        card = page_db.write(cards.save_card, reg.id, dict(pitch="Hallo", seeking="Bakkerij" if n < 3 else "Kantoor"),
                             share=True)
        page_db.write(cards.approve, card.id, "staff@example.org")
    at = employer_app(page_db, employer_user(page_db, ours), "views/employer_coming.py")
    assert not at.exception and len(at.header) == 20
    assert "Pagina 1 van 2" in "\n".join(texts(at))
    at.button(key=f"coming_next_{event.id}").click().run()
    assert not at.exception and len(at.header) == 5 and "Pagina 2 van 2" in "\n".join(texts(at))
    at.text_input(key=f"coming_search_{event.id}").input("bakkerij").run()
    assert not at.exception and [s.value for s in at.header] == ["Naam00 A\\.", "Naam01 A\\.", "Naam02 A\\."]
    assert "3 van de 25 profielen passen bij uw zoekopdracht." in "\n".join(texts(at))
    # Looked at: the 20 of page 1, the 5 of page 2 (the search's three were seen already).
    assert page_db.read(lambda s: len(s.exec(select(CardView)).all())) == 25
