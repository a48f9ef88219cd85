"""Issue 28, "both sides arrive prepared", in a real browser: staff invite an employer's contact
person; the sign-in link comes by mail (a real SMTP server the test starts); the employer fills in
the organisation and a place, signs up for a speedmeet, sees exactly the profile cards that people
shared and staff approved (staff approve one of them on 'Profielkaarten'), says whom they would like
to meet, sees their schedule once it is published and, after the event, records what came of a
talk, which the dashboard's numbers count; later a new link, asked for on the login page, signs
them in again. axe (WCAG 2.2 AA and heading order) finds nothing on any employer page. After each
step the store is read back: what changed, and nothing else."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from icalendar import Calendar

from eventtool.core.config import TZ

from .conftest import ARTIFACTS, open_context, run_server
from .helpers import changed, choose, field, login, nav, query, settle, shot, table_rows, text
from .test_accessibility import axe

pytestmark = pytest.mark.e2e

# Every table an employer's pages or this journey touch. `message` (the sender updates it beside
# the app) and `audit_log` are left out of the "nothing else changed" checks.
TABLES = ["user", "login_link", "employer", "vacancy", "event", "registration", "jobseeker", "consent",
          "profile_card", "card_view", "employer_wish", "meeting", "speedmeet_settings", "outcome"]
ORGANISATION = "Kwekerij De Linde"
TITLE = "Speedmeet Groen werk"
CONTACT = ("Lotte Linde", "lotte@kwekerij-delinde.example")
# Four people on the speedmeet: (full name, the name employers see, shared, approved by).
PEOPLE = {"anna": ("Anna de Vries", "Anna V.", True, "domain"),
          "bram": ("Bram Jansen", "Bram J.", True, "page"),
          "cas": ("Cas Smit", "Cas S.", False, None),
          "dirk": ("Dirk Bakker", "Dirk B.", True, None)}


@pytest.fixture(scope="module")
def server(tmp_path_factory, inbox):
    yield from run_server(tmp_path_factory, "employer", EVENTTOOL_SMTP_URL=inbox.url,
                          EVENTTOOL_MAIL_INTERVAL_SECONDS="1",
                          EVENTTOOL_MAIL_FROM="Onbeperkt aan het Werk <noreply@example.org>")


@pytest.fixture
def page(browser, server, request):
    yield from open_context(browser, server, request)


@pytest.fixture
def employer_page(browser, server):
    """A browser context of its own for the employer: no staff session in it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", accept_downloads=True)
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.base = server["base"]
    yield pg
    pg.screenshot(path=str(ARTIFACTS / "employer-journey-employer-end.png"), full_page=True)
    context.close()


@pytest.fixture
def store(server):
    from eventtool.core.db import Database
    db = Database(f"sqlite:///{server['db']}")
    yield db
    db.dispose()


def rows(server) -> dict:
    return table_rows(server["db"], TABLES)


def diff(before: dict, after: dict) -> list[tuple[str, str]]:
    """(table, 'added' | 'changed' | 'removed') of every row not as it was, sorted."""
    return sorted((t, what) for t, _, what in changed(before, after))


def new_rows(before: dict, after: dict, table: str) -> list[dict]:
    return [after[table][k] for k in after[table].keys() - before[table].keys()]


FOUND: dict[str, list] = {}


def no_violations(page, name: str) -> None:
    """axe on the page as it is now; what it finds is kept, and the journey goes on: the test fails
    at its end with every page's violations at once."""
    violations = axe(page, f"employer {name}")
    if violations:
        FOUND[name] = [(v["id"], v["nodes"][0]["target"], v["help"]) for v in violations]


def setup_organisation_and_event(store) -> tuple[int, int]:
    """Directly in the store: the organisation (staff invite contact persons of organisations on
    file; this one has none yet) and a published speedmeet three days ahead with room for both sides."""
    from eventtool.events import events
    from eventtool.people.models import Employer
    from eventtool.registration.registration import organisation_key

    def organisation(session):
        employer = Employer(organisation=ORGANISATION, organisation_key=organisation_key(ORGANISATION),
                            contact_name=CONTACT[0], email="info@kwekerij-delinde.example")
        session.add(employer)
        session.flush()
        return employer.id

    employer_id = store.write(organisation)
    start = (datetime.now(TZ) + timedelta(days=3)).replace(hour=13, minute=0, second=0, microsecond=0)
    event = store.write(events.create_event, dict(kind="speedmeet", title=TITLE, starts_at=start,
                                                  ends_at=start + timedelta(hours=2), capacity_jobseekers=10,
                                                  capacity_employers=3, status="published"))
    return employer_id, event.id


def setup_people(store, event_id: int) -> dict[str, tuple[int, int, int | None]]:
    """Through the domain: the four people's registrations and cards; only Anna's card is approved
    here (Bram's is approved by staff on the page). Per person (registration, jobseeker, card)."""
    from eventtool.registration import cards, registration

    out = {}
    for key, (name, _, shared, approved) in PEOPLE.items():
        reg = store.write(registration.register_jobseeker, event_id, dict(
            name=name, email=f"{key}.groen@example.nl", consent_registration=True)).registration
        card = store.write(cards.save_card, reg.id, dict(pitch=f"Ik werk graag buiten ({key})",
                                                          seeking="Werk in het groen", skills="Planten kennen",
                                                          hours="24 uur"), share=shared)
        if approved == "domain":
            store.write(cards.approve, card.id, "organiser@example.org")
        out[key] = (reg.id, reg.jobseeker_id, card.id)
    return out


def test_an_invited_employer_arrives_prepared(page, employer_page, server, inbox, store):
    from eventtool.core.timeutil import utcnow
    from eventtool.events.models import Event
    from eventtool.planning import speedmeet
    from eventtool.results import charts

    emp = employer_page
    FOUND.clear()
    employer_id, event_id = setup_organisation_and_event(store)

    # 1. Staff invite the organisation's contact person on 'Accounts'.
    login(page, "organiser@example.org")
    nav(page, "Accounts")
    before = rows(server)
    choose(page, "Werkgever", ORGANISATION)
    field(page, "E-mailadres van de contactpersoon").fill(CONTACT[1])
    field(page, "Naam van de contactpersoon").fill(CONTACT[0])
    page.get_by_role("button", name="Uitnodigen", exact=True).click()
    settle(page)
    page.wait_for_selector("text=De uitnodiging is verstuurd")
    shot(page, "employer-journey-1-invited")
    after = rows(server)
    assert diff(before, after) == [("login_link", "added"), ("user", "added")]
    (account,) = new_rows(before, after, "user")
    assert (account["email"], account["name"], account["role"], account["employer_id"], account["active"]) == \
        (CONTACT[1], CONTACT[0], "employer", employer_id, 1)
    (link_row,) = new_rows(before, after, "login_link")
    assert link_row["user_id"] == account["id"] and link_row["used_at"] is None

    # 2. The employer opens the mailed link in a browser of their own and signs in with the button.
    mail = inbox.wait_for(CONTACT[1], f"De pagina van {ORGANISATION}")
    link = next(line for line in mail.get_body(("plain",)).get_content().splitlines() if "/inloglink?t=" in line)
    assert link.strip().startswith(server["base"])
    before = rows(server)
    emp.goto(link.strip())
    emp.wait_for_selector("h1:has-text('Inloggen met uw link')")
    settle(emp)
    emp.wait_for_selector(f"text=Welkom, {CONTACT[0]}")
    no_violations(emp, "inloglink")
    shot(emp, "employer-journey-2-link")
    assert diff(before, rows(server)) == []  # opening the link uses nothing up
    emp.get_by_role("button", name="Inloggen", exact=True).click()
    emp.wait_for_selector("h1:has-text('Onze organisatie')")
    settle(emp)
    after = rows(server)
    assert diff(before, after) == [("login_link", "changed"), ("user", "changed")]
    assert after["login_link"][link_row["id"]]["used_at"] is not None
    assert after["login_link"][link_row["id"]]["token_hash"] is None
    assert after["user"][account["id"]]["last_login_at"] is not None
    assert ORGANISATION in text(emp)
    no_violations(emp, "onze-organisatie")

    # The organisation: a sector and a region.
    before = rows(server)
    sectors = emp.get_by_role("combobox", name="Sectoren")
    sectors.click()
    emp.keyboard.type("Groen")
    emp.get_by_role("option", name="Groen", exact=False).first.click()
    emp.keyboard.press("Escape")
    settle(emp)
    choose(emp, "Regio (niet verplicht)", "Midden-Utrecht")
    emp.get_by_role("button", name="Opslaan", exact=True).click()
    settle(emp)
    emp.wait_for_selector("text=Opgeslagen.")
    after = rows(server)
    assert diff(before, after) == [("employer", "changed")]
    org = after["employer"][employer_id]
    assert (org["sectors"], org["region"]) == ('["green"]', "Midden-Utrecht")

    # One place.
    before = rows(server)
    field(emp, "Naam van de functie").fill("Medewerker kwekerij")
    field(emp, "Uren per week").fill("16 tot 24 uur")
    field(emp, "Plaats").fill("Houten")
    field(emp, "Korte omschrijving").fill("Stekken, oppotten en water geven in de kas.")
    emp.get_by_role("button", name="Plek toevoegen").click()
    settle(emp)
    emp.wait_for_selector("text=De plek is toegevoegd.")
    after = rows(server)
    assert diff(before, after) == [("vacancy", "added")]
    (place,) = new_rows(before, after, "vacancy")
    assert (place["employer_id"], place["title"], place["hours"], place["place"], place["active"]) == \
        (employer_id, "Medewerker kwekerij", "16 tot 24 uur", "Houten", 1)
    emp.wait_for_selector("h3:has-text('Medewerker kwekerij')")
    no_violations(emp, "onze-organisatie met plek")
    shot(emp, "employer-journey-2-organisation")

    # Sign up for the speedmeet on 'Onze activiteiten', with two people.
    nav(emp, "Onze activiteiten")
    no_violations(emp, "onze-activiteiten")
    block = emp.locator("[data-testid=stVerticalBlock]").filter(
        has=emp.get_by_role("heading", name=TITLE, exact=True)).last
    before = rows(server)
    block.get_by_role("spinbutton", name="Met hoeveel mensen komt u?").fill("2")
    block.get_by_role("button", name="Aanmelden", exact=True).click()
    settle(emp)
    emp.wait_for_selector(f"text=Uw organisatie is aangemeld voor {TITLE}")
    after = rows(server)
    assert diff(before, after) == [("employer", "changed"), ("registration", "added")]
    # Of the organisation only its usual number of people (as any trusted sign-up sets it).
    assert {k for k, v in after["employer"][employer_id].items() if before["employer"][employer_id][k] != v} == \
        {"recruiters", "updated_at"} and after["employer"][employer_id]["recruiters"] == 2
    (signup,) = new_rows(before, after, "registration")
    assert (signup["event_id"], signup["employer_id"], signup["jobseeker_id"], signup["status"], signup["tables"]) == \
        (event_id, employer_id, None, "confirmed", 2)
    no_violations(emp, "onze-activiteiten aangemeld")
    shot(emp, "employer-journey-2-signed-up")

    # 3. Four people on the speedmeet (domain); staff approve Bram's card on 'Profielkaarten'.
    people = setup_people(store, event_id)
    nav(page, "Profielkaarten")
    bram_pitch = "Ik werk graag buiten (bram)"
    page.wait_for_selector(f"h2:has-text('{PEOPLE['bram'][0]}, {TITLE}')")
    headings = page.locator("[data-testid=stMain] h2").all_inner_texts()
    # Waiting: the shared cards not yet approved (Bram's, Dirk's), never the one not shared (Cas).
    assert any(h.startswith(f"{PEOPLE['dirk'][0]}, {TITLE}") for h in headings)
    assert not any(h.startswith(PEOPLE["cas"][0]) or h.startswith(PEOPLE["anna"][0]) for h in headings)
    def pitch_of(form) -> str | None:  # a review form's first box holds the card's pitch
        boxes = form.locator("textarea")
        return boxes.first.input_value() if boxes.count() else None

    bram_form = next(f for f in page.locator("[data-testid=stForm]").all() if pitch_of(f) == bram_pitch)
    before = rows(server)
    bram_form.get_by_role("button", name="Goedkeuren", exact=True).click()
    settle(page)
    page.wait_for_selector("text=De profielkaart is goedgekeurd.")
    shot(page, "employer-journey-3-approved")
    after = rows(server)
    assert diff(before, after) == [("profile_card", "changed")]
    bram_card = after["profile_card"][people["bram"][2]]
    assert (bram_card["status"], bram_card["reviewed_by"], bram_card["shared"]) == \
        ("approved", "organiser@example.org", 1)

    # 'Wie komt er': exactly the two shared, approved cards, by first name and initial; each look logged.
    before = rows(server)
    nav(emp, "Wie komt er")
    emp.wait_for_selector("h2:has-text('Anna V.')")
    cards_shown = sorted(h.strip() for h in emp.locator("[data-testid=stMain] h2").all_inner_texts())
    assert cards_shown == ["Anna V.", "Bram J."]
    shown_text = text(emp)
    for key in ("cas", "dirk"):
        assert PEOPLE[key][0].split()[0] not in shown_text
    for key in PEOPLE:  # never a full name nor an address
        assert PEOPLE[key][0] not in shown_text and f"{key}.groen@" not in shown_text
    after = rows(server)
    assert diff(before, after) == [("card_view", "added"), ("card_view", "added")]
    assert sorted((v["card_id"], v["employer_id"], v["user_id"]) for v in new_rows(before, after, "card_view")) == \
        sorted((people[k][2], employer_id, account["id"]) for k in ("anna", "bram"))
    no_violations(emp, "wie-komt-er")
    shot(emp, "employer-journey-3-coming")

    # 'Graag spreken' for Anna: one wish.
    before = rows(server)
    emp.get_by_role("radiogroup", name="Wilt u Anna V. spreken?").get_by_text("Graag spreken").click()
    settle(emp)
    emp.wait_for_function("""() => [...document.querySelectorAll('[role=radiogroup]')]
        .some(g => g.getAttribute('aria-label') === 'Wilt u Anna V. spreken?'
                   && g.querySelector('input:checked')?.closest('label')?.innerText.includes('Graag spreken'))""")
    after = rows(server)
    assert diff(before, after) == [("employer_wish", "added")]
    (wish,) = new_rows(before, after, "employer_wish")
    assert (wish["event_id"], wish["employer_id"], wish["jobseeker_id"], wish["wish"]) == \
        (event_id, employer_id, people["anna"][1], "want")
    no_violations(emp, "wie-komt-er met wens")

    # 4. The organiser plans and publishes (domain); the employer's schedule shows the conversations.
    start = store.read(lambda s: s.get(Event, event_id).starts_at)
    store.write(speedmeet.save_settings, event_id, dict(rounds=4, round_minutes=10, break_minutes=5,
                                                        first_round_at=start + timedelta(minutes=15), max_meetings=2,
                                                        coverage_bonus=10))
    store.write(speedmeet.run_planner, event_id, time_limit=5)
    store.write(speedmeet.publish, event_id)
    ours = rows(server)["meeting"]
    ours = [m for m in ours.values() if m["event_id"] == event_id and m["employer_id"] == employer_id]
    by_jobseeker = {v[1]: k for k, v in people.items()}
    assert people["anna"][1] in {m["jobseeker_id"] for m in ours}  # the wish was planned
    nav(emp, "Ons rooster")
    emp.wait_for_selector("h2:has-text('Tafel')")
    # The tables' cells, as the grid gives them to screen readers: (round, time, with) per row.
    cells = "[data-testid=stDataFrame] [role=gridcell]"
    emp.wait_for_function(f"document.querySelectorAll({cells!r}).length === {3 * len(ours)}")
    values = emp.evaluate(f"[...document.querySelectorAll({cells!r})].map(c => c.textContent)")
    shown_rows = sorted((int(values[i]), values[i + 2]) for i in range(0, len(values), 3))
    assert shown_rows == sorted((m["round"] + 1, PEOPLE[by_jobseeker[m["jobseeker_id"]]][1]) for m in ours)
    assert sorted(h.strip() for h in emp.locator("[data-testid=stMain] h2").all_inner_texts()) == \
        [f"Tafel {n}" for n in sorted({m["table_no"] for m in ours})]
    with emp.expect_download() as ics:
        emp.get_by_role("button", name="Rooster in mijn agenda (.ics)").click()
    calendar = Calendar.from_ical(open(ics.value.path(), "rb").read())
    assert len([c for c in calendar.walk("VEVENT")]) >= len(ours) > 0
    with emp.expect_download() as pdf:
        emp.get_by_role("button", name="Rooster om te printen (PDF)").click()
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
    no_violations(emp, "ons-rooster")
    shot(emp, "employer-journey-4-schedule")

    # 5. The event has been (its start moved into the past in the store); 'Tweede gesprek' for Anna.
    def held(session):
        event = session.get(Event, event_id)
        event.starts_at, event.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
    store.write(held)
    nav(emp, "Na het gesprek")
    question = "Wat kwam er uit het gesprek met Anna V.?"
    emp.wait_for_selector(f"[role=radiogroup][aria-label='{question}']")
    no_violations(emp, "na-het-gesprek")
    form = emp.locator("[data-testid=stForm]").filter(has=emp.get_by_role("radiogroup", name=question))
    form.get_by_role("radiogroup", name=question).get_by_text("Tweede gesprek").click()
    form.get_by_role("textbox", name="Notitie (niet verplicht)").fill("Volgende week op de kwekerij.")
    funnel_before = charts.funnel(store.read(charts.load))
    before = rows(server)
    form.get_by_role("button", name="Opslaan").click()
    settle(emp)
    emp.wait_for_selector("text=Opgeslagen voor Anna V.")
    after = rows(server)
    assert diff(before, after) == [("outcome", "added")]
    (outcome,) = new_rows(before, after, "outcome")
    assert (outcome["jobseeker_id"], outcome["event_id"], outcome["employer_id"], outcome["source"], outcome["kind"],
            outcome["note"], outcome["recorded_by"]) == \
        (people["anna"][1], event_id, employer_id, "employer", "second_interview", "Volgende week op de kwekerij.",
         f"employer account {account['id']}")
    no_violations(emp, "na-het-gesprek opgeslagen")
    shot(emp, "employer-journey-5-talks")

    # The dashboard's numbers count it. This event alone has four people (fewer than charts.MIN_GROUP):
    # its funnel shows nothing, so the per-person stages the funnel counts (charts._best) are read.
    data = store.read(charts.load, charts.Filters(event_id=event_id))
    table, suppressed = charts.funnel(data)
    assert len(table) == 0 and suppressed == 1
    best = charts._best(data).set_index("jobseeker_id")
    assert best.loc[people["anna"][1], "follow_up"] and best.loc[people["anna"][1], "best"] == "second_interview"
    assert not best.drop(index=people["anna"][1])["follow_up"].any()
    # Over every event, Anna is one more person in follow_up (the demo's own follow-ups are not
    # fewer than MIN_GROUP, so that row is shown before and after).
    stage = lambda f: dict(zip(f[0]["stage"], f[0]["people"]))  # noqa: E731
    funnel_after = charts.funnel(store.read(charts.load))
    assert stage(funnel_after)["follow_up"] == stage(funnel_before)["follow_up"] + 1

    # Next time: the invitation's link, used, says so (a page load is a new, signed-out session); a new
    # link asked for on the login page comes by mail and signs the employer in again.
    emp.goto(link.strip())
    emp.wait_for_selector("text=Deze link werkt niet meer")
    settle(emp)
    assert emp.get_by_role("button", name="Inloggen", exact=True).count() == 0
    no_violations(emp, "inloglink gebruikt")
    emp.get_by_role("link", name="Een nieuwe link aanvragen").click()
    emp.wait_for_selector("h2:has-text('Inloggen met een link per e-mail')")
    settle(emp)
    before, attempts = rows(server), query(server["db"], "SELECT count(*) FROM login_failure")[0][0]
    field(emp, "Uw e-mailadres").fill(CONTACT[1])
    emp.get_by_role("button", name="Stuur mij een link").click()
    settle(emp)
    emp.wait_for_selector("text=Als dit adres bij ons bekend is")
    after = rows(server)
    assert diff(before, after) == [("login_link", "added")]  # (and the request counted, against abuse)
    assert query(server["db"], "SELECT count(*) FROM login_failure")[0][0] > attempts
    (second,) = new_rows(before, after, "login_link")
    assert second["user_id"] == account["id"] and second["used_at"] is None
    mail = inbox.wait_for(CONTACT[1], "Uw link om in te loggen")
    again = next(line for line in mail.get_body(("plain",)).get_content().splitlines() if "/inloglink?t=" in line)
    assert again.strip() != link.strip()
    emp.goto(again.strip())
    emp.wait_for_selector(f"text=Welkom, {CONTACT[0]}")
    settle(emp)
    emp.get_by_role("button", name="Inloggen", exact=True).click()
    emp.wait_for_selector("h1:has-text('Onze organisatie')")
    settle(emp)
    assert diff(after, rows(server)) == [("login_link", "changed"), ("user", "changed")]
    shot(emp, "employer-journey-6-signed-in-again")

    # 6. axe on every employer page it was run on above.
    assert FOUND == {}, FOUND
