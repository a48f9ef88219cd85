from __future__ import annotations

import sqlite3

from playwright.sync_api import Page

from .conftest import ARTIFACTS


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the current run (its status widget is gone)."""
    page.wait_for_timeout(250)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000)
    page.wait_for_timeout(150)


def open_page(page: Page, path: str) -> None:
    page.goto(f"{page.base}/{path}")
    page.wait_for_selector("h1")
    page.wait_for_function("document.title.includes('eventtool')")
    settle(page)


def nav(page: Page, link: str) -> None:
    """Go to another page through the sidebar, in the same session (a reload starts a new one,
    and with it a logged-out visitor)."""
    page.locator("[data-testid=stSidebar]").get_by_role("link", name=link, exact=True).click()
    page.wait_for_function(f"document.title.startsWith({link!r})")
    settle(page)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing part of it."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=False).first.click()
    settle(page)


def login(page: Page, email: str) -> None:
    open_page(page, "login")
    field(page, "E-mailadres").fill(email)
    field(page, "Wachtwoord").fill(page.password)
    page.get_by_role("button", name="Inloggen").click()
    # The login page shows "Ingelogd als" for a moment before it moves on to the landing page.
    page.wait_for_selector("text=Ingelogd als")
    page.wait_for_function("(h => h && h.innerText !== 'Inloggen voor organisatoren')(document.querySelector('h1'))")
    settle(page)


def field(scope, label: str):
    """A text box by its exact label (a help button or a longer label may share the words)."""
    return scope.get_by_role("textbox", name=label, exact=True)


def text(page: Page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


CONSENT = "Ik geef toestemming dat de organisatie mijn gegevens gebruikt voor deze activiteit en voor contact met werkgevers."


def sign_up_for_the_job_fair(page: Page, name: str, email: str) -> None:
    """The public form, for the job fair (it has places on any day the suite runs; the demo's next
    Meet&Greet may be full), up to the confirmation."""
    open_page(page, "aanmelden")
    choose(page, "Activiteit", "Onbeperkt aan het Werk")
    field(page, "Naam").fill(name)
    field(page, "E-mailadres").fill(email)
    page.get_by_text(CONSENT).click()
    page.get_by_role("button", name="Aanmelden").click()
    settle(page)
    page.wait_for_selector("text=Uw persoonlijke code")


def held_speedmeet(store, title: str, organisation: str, name: str, email: str):
    """A speedmeet that ended eight days ago in the server's store: one employer, one jobseeker
    who came, and their conversation. Returns (event, employer id, the jobseeker's registration)."""
    from datetime import datetime, timedelta

    from eventtool.dayof import checkin
    from eventtool.events import events
    from eventtool.registration import registration
    from eventtool.core.config import TZ
    from eventtool.events.models import Meeting

    start = datetime.now(TZ) - timedelta(days=8, hours=3)
    event = store.write(events.create_event, dict(kind="speedmeet", title=title, starts_at=start,
                                                  ends_at=start + timedelta(hours=2), capacity_jobseekers=10,
                                                  capacity_employers=3, status="published"))
    employer = store.write(registration.register_employer, event.id, dict(
        organisation=organisation, contact_name="Contact", email=f"contact@{organisation.split()[-1].lower()}.example"),
        source=registration.RegSource.ORGANISER).registration.employer_id
    reg = store.write(registration.register_jobseeker, event.id, dict(name=name, email=email, consent_registration=True),
                      source=registration.RegSource.ORGANISER).registration
    store.write(checkin.check_in, reg.id)
    store.write(lambda s: s.add(Meeting(event_id=event.id, jobseeker_id=reg.jobseeker_id, employer_id=employer, round=0)))
    return event, employer, reg


def table_rows(db: str, tables) -> dict[str, dict]:
    """Every row of each table, by its primary key (the first column), as a dict of its columns:
    what a browser test compares before and after an action to see exactly which records changed."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return {t: {row[0]: dict(row) for row in con.execute(f'SELECT * FROM "{t}"')} for t in tables}
    finally:
        con.close()


def changed(before: dict, after: dict) -> set[tuple[str, int, str]]:
    """(table, id, 'added' | 'removed' | 'changed') for every row of two `table_rows` snapshots
    that is not as it was."""
    out = set()
    for t in before:
        b, a = before[t], after[t]
        out |= {(t, k, "added") for k in a.keys() - b.keys()} | {(t, k, "removed") for k in b.keys() - a.keys()}
        out |= {(t, k, "changed") for k in a.keys() & b.keys() if a[k] != b[k]}
    return out


def query(db: str, sql: str, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()
