"""A speedmeet on the day, in a real browser (issue 25): someone added at the door gets conversations
when the rounds to come are planned again, and someone who cancels with their code leaves the
published plan, its grid, the downloads and the employer's calendar. After each action the database
is read back: exactly the intended rows changed."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from eventtool.core.config import TZ

from .conftest import open_context, run_server
from .helpers import changed, choose, field, login, nav, open_page, query, settle, table_rows

pytestmark = pytest.mark.e2e

TABLES = ["event", "jobseeker", "employer", "registration", "consent", "meeting", "speedmeet_settings",
          "employer_wish"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory, "speedmeet_day")


@pytest.fixture
def page(browser, server, request):
    yield from open_context(browser, server, request)


def options_of(page, label: str) -> None:
    """Open a select box so its options are in the page."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.press("ArrowDown")
    page.get_by_role("option").first.wait_for()


def published_speedmeet(db: str, title: str, people: list[str]) -> tuple[int, dict[str, tuple[int, str]]]:
    """A speedmeet in two days in the server's store: two employers (one table each), `people` who
    each picked both, four rounds, planned and published. Returns the event id and, per person,
    their registration id and personal code."""
    from eventtool.events import events
    from eventtool.registration import registration
    from eventtool.planning import speedmeet
    from eventtool.core.db import Database

    store = Database(f"sqlite:///{db}")
    try:
        start = (datetime.now(TZ) + timedelta(days=2)).replace(hour=13, minute=0, second=0, microsecond=0)
        event = store.write(events.create_event, dict(kind="speedmeet", title=title, starts_at=start,
                                                      ends_at=start + timedelta(hours=2), capacity_jobseekers=10,
                                                      capacity_employers=3, status="published"))
        employers = [store.write(registration.register_employer, event.id, dict(
            organisation=f"{org} {title.split()[-1]}", contact_name="Contact", email=f"hr@{org.lower()}.example",
            recruiters=1)).registration.employer_id for org in ("Bakkerij", "Garage")]
        signed = {}
        for n, name in enumerate(people):
            signup = store.write(registration.register_jobseeker, event.id, dict(
                name=name, email=f"dag{n}.{title.split()[-1].lower()}@example.nl", consent_registration=True),
                picks=employers)
            signed[name] = (signup.registration.id, signup.code)
        store.write(speedmeet.save_settings, event.id, dict(
            rounds=4, round_minutes=10, break_minutes=5, first_round_at=start + timedelta(minutes=15),
            max_meetings=2, coverage_bonus=10))
        store.write(speedmeet.run_planner, event.id, time_limit=5)
        store.write(speedmeet.publish, event.id)
        return event.id, signed
    finally:
        store.dispose()


def test_a_walk_in_at_the_door_gets_conversations_when_the_rest_is_planned_again(page, server):
    db = server["db"]
    title = "Speedmeet Inloop"
    event_id, _ = published_speedmeet(db, title, ["Anna Aanmelder", "Bram Aanmelder", "Cas Aanmelder"])
    login(page, "organiser@example.org")
    nav(page, "Aanmelden bij de deur")
    choose(page, "Kies een activiteit", title)
    page.get_by_text("Iemand zonder aanmelding").click()
    before = table_rows(db, TABLES)
    field(page, "Naam").fill("Dirk Deurloper")
    page.get_by_role("textbox", name="Telefoonnummer", exact=False).last.fill("0612345999")
    page.get_by_text("De persoon geeft toestemming").click()
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    settle(page)
    page.wait_for_selector("text=De persoon is toegevoegd")
    diff = changed(before, table_rows(db, TABLES))
    assert sorted((t, what) for t, _, what in diff) == [("consent", "added"), ("jobseeker", "added"),
                                                         ("registration", "added")]
    (walk_in,), = query(db, "SELECT id FROM jobseeker WHERE name = 'Dirk Deurloper'")
    assert not query(db, "SELECT id FROM meeting WHERE jobseeker_id = ?", walk_in)

    nav(page, "Speedmeet plannen")
    choose(page, "Kies een activiteit", title)
    walk_ins = page.locator("[data-testid=stExpander]").filter(has_text="Op de dag zelf")
    walk_ins.get_by_text("Op de dag zelf: inloop en afmeldingen").click()
    settle(page)
    from_round = int(walk_ins.get_by_label("Opnieuw plannen vanaf ronde").input_value())
    held = set(query(db, "SELECT id, jobseeker_id, employer_id, round FROM meeting WHERE event_id = ? AND round < ?",
                     event_id, from_round - 1))
    before = table_rows(db, TABLES)
    walk_ins.get_by_role("button", name="Alleen de rest opnieuw plannen").click()
    settle(page)
    page.wait_for_selector("text=De rondes vanaf de gekozen ronde worden opnieuw gepland")  # published: it asks
    page.get_by_role("button", name="Ja, opnieuw plannen").click()
    settle(page)
    page.wait_for_selector("text=Plan gemaakt", timeout=60_000)
    after = table_rows(db, TABLES)
    diff = changed(before, after)
    assert diff and {t for t, _, _ in diff} <= {"meeting", "speedmeet_settings"}
    assert all((after[t].get(i) or before[t][i])["event_id"] == event_id for t, i, _ in diff)
    rounds = [r for (r,) in query(db, "SELECT round FROM meeting WHERE jobseeker_id = ?", walk_in)]
    assert rounds and min(rounds) >= from_round - 1  # the walk-in talks, in the rounds still to come
    assert {row[1:] for row in held} == set(query(db, "SELECT jobseeker_id, employer_id, round FROM meeting "
                                                      "WHERE event_id = ? AND round < ?", event_id, from_round - 1))
    assert "Zonder gesprek" not in page.locator("[data-testid=stMain]").inner_text()


def test_someone_who_cancels_with_their_code_leaves_the_published_plan(page, server):
    db = server["db"]
    title = "Speedmeet Afmelding"
    event_id, signed = published_speedmeet(db, title, ["Annemiek Afzegger", "Bert Blijver", "Cor Blijver"])
    reg_id, code = signed["Annemiek Afzegger"]
    (person,), = query(db, "SELECT jobseeker_id FROM registration WHERE id = ?", reg_id)
    theirs = {i for (i,) in query(db, "SELECT id FROM meeting WHERE jobseeker_id = ? AND event_id = ?", person, event_id)}
    assert theirs
    employers = {e for (e,) in query(db, "SELECT employer_id FROM meeting WHERE jobseeker_id = ?", person)}
    # The schedules went out (this server has no mail server: they are marked sent, as the sender would).
    from eventtool.core.db import Database
    from eventtool.messages import outbox
    store = Database(f"sqlite:///{db}")
    try:
        for (mid,) in query(db, "SELECT id FROM message WHERE event_id = ? AND status = 'queued'", event_id):
            store.write(outbox.mark_sent, mid)
    finally:
        store.dispose()

    open_page(page, f"afmelden?code={code}")
    page.wait_for_selector("text=Uw aanmelding: aangemeld")
    before = table_rows(db, TABLES)
    page.get_by_role("button", name="Ja, ik meld mij af").click()
    settle(page)
    page.wait_for_selector("text=U bent afgemeld")
    diff = changed(before, table_rows(db, TABLES))
    assert diff == {("registration", reg_id, "changed")} | {("meeting", i, "removed") for i in theirs}
    assert query(db, "SELECT status FROM registration WHERE id = ?", reg_id) == [("cancelled",)]
    # The employers she would have met get their changed schedule, without her name.
    told = query(db, "SELECT employer_id, body_text, ics FROM message WHERE event_id = ? AND kind = 'schedule_changed'"
                     " AND status = 'queued'", event_id)
    assert {e for e, _, _ in told} == employers
    assert all("Afzegger" not in body + ics for _, body, ics in told)

    login(page, "organiser@example.org")
    nav(page, "Speedmeet plannen")
    choose(page, "Kies een activiteit", title)
    page.get_by_role("tab", name="Aanpassen", exact=True).click()
    settle(page)
    options_of(page, "Kies een gesprek")
    options = page.get_by_role("option").all_inner_texts()
    assert options and not any("Afzegger" in o or "· ?" in o for o in options)
    page.keyboard.press("Escape")
    settle(page)
    assert "Afzegger" not in page.locator("[data-testid=stMain]").inner_text()

    nav(page, "Downloads")
    choose(page, "Kies een activiteit", title)
    options_of(page, "Voor wie")
    options = page.get_by_role("option").all_inner_texts()
    assert options and not any("Afzegger" in o or o.startswith("?") for o in options)
