"""Names are data, never markup: every staff page is drawn with people, organisations and an event
whose names are markdown, HTML and web addresses, and nothing on the page may come from them - no
link, no image, no request to their host (issue 11, finding 5)."""
from __future__ import annotations

import pytest
from sqlmodel import select

from eventtool.registration import registration
from eventtool.core.db import Database
from eventtool.people.models import Employer
from eventtool.events.models import Event
from eventtool.registration.registration import RegSource
from eventtool.core.timeutil import utcnow

from .conftest import open_context, run_server
from .helpers import field, login, nav, settle, shot, text
from .test_accessibility import ORGANISER

pytestmark = pytest.mark.e2e
HOST = "evil.example"
PEOPLE = [f"![x](http://{HOST}/x.png) **Vet**", f"<img src=http://{HOST}/i.png> Jan", f"http://{HOST}/deur Piet",
          f"[Klik](http://{HOST}/k) _schuin_"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory, "hostile")


@pytest.fixture
def page(browser, server, request):
    yield from open_context(browser, server, request)


def make_hostile(path) -> None:
    """Every upcoming published event gets the hostile people (past its capacity, as staff may);
    every organisation is renamed to a link; one event title carries markup too."""
    db = Database(f"sqlite:///{path}")
    try:
        def rename(session):
            for employer in session.exec(select(Employer)):
                employer.organisation = f'<a href="http://{HOST}/{employer.id}">ACME {employer.id}</a>'
                employer.organisation_key = employer.organisation.casefold()
            upcoming = session.exec(select(Event).where(Event.status == "published", Event.starts_at > utcnow())
                                    .order_by(Event.starts_at)).all()
            upcoming[0].title = f"**Feest** <b>vet</b> [site](http://{HOST}/e)"
            session.flush()
            return [e.id for e in upcoming]
        for event_id in db.write(rename):
            for n, name in enumerate(PEOPLE):
                db.write(registration.register_jobseeker, event_id,
                         dict(name=name, email=f"kwaad{n}@example.nl", consent_registration=True),
                         source=RegSource.ORGANISER, force=True)
    finally:
        db.dispose()


def nothing_from_names(page) -> list[str]:
    """Elements whose address points at the hostile host, and markup made from the names."""
    return page.evaluate("""host => {
        const found = [];
        document.querySelectorAll('[href], [src], [*|href]').forEach(e => {
            const where = e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('xlink:href') || '';
            if (where.includes(host)) found.push(e.outerHTML.slice(0, 120));
        });
        document.querySelectorAll('[data-testid=stMain] strong, [data-testid=stMain] em, [data-testid=stMain] b')
            .forEach(e => { if (['Vet', 'vet', 'schuin', 'Feest'].includes(e.innerText.trim())) found.push(e.outerHTML); });
        return found;
    }""", HOST)


def test_no_staff_page_makes_markup_from_names(page, server):
    make_hostile(server["db"])
    requested = []
    page.context.on("request", lambda r: requested.append(r.url) if HOST in r.url else None)
    login(page, "organiser@example.org")
    for title in ORGANISER:
        nav(page, title)
        shot(page, f"hostile-{title}")
        assert nothing_from_names(page) == [], title
    # The door page lists the people of the event that is next, names exactly as typed.
    nav(page, "Aanmelden bij de deur")
    field(page, "Zoek op naam").fill("Vet")
    field(page, "Zoek op naam").press("Enter")
    settle(page)
    assert PEOPLE[0] in text(page).replace("\u2060", "")  # as typed (the word joiner is invisible)
    assert nothing_from_names(page) == []
    assert requested == []
