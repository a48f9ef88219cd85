"""Two app processes on one PostgreSQL database, as two replicas behind a sticky load balancer:
what one serves, the other serves too, and capacity holds across them. Visitors speak Streamlit's
websocket protocol (bench/visitor.py), each its own session, as in bench/crowd.py."""
from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text

from bench.visitor import Visitor
from eventtool.events import events
from eventtool.core.config import TZ
from eventtool.core.db import Database
from eventtool.core.timeutil import utcnow

from .conftest import run_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, postgres_server):
    yield from run_server(tmp_path_factory, "replicas", database=postgres_server.new_database(), processes=2)


def run(coroutine):
    """Run the visitors' coroutine on a thread of its own: the browser tests' Playwright already runs
    an event loop on this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def places_left(page_text: str, title: str) -> int:
    """'Nog N plaatsen vrij.' (or 'Nog 1 plaats vrij.') under the event's heading on the agenda."""
    section = page_text.split(title, 1)[1]
    return int(re.search(r"Nog (\d+) plaats(?:en)? vrij", section).group(1))


async def agenda(base: str) -> str:
    async with Visitor(base) as v:
        return (await v.open("agenda")).text()


async def sign_up(base: str, event_id: int, name: str, source: str) -> str:
    async with Visitor(base, source=source) as v:
        await v.open("aanmelden", query=f"event={event_id}")
        await v.set("Naam", name)
        await v.set("E-mailadres", f"{name.split()[0].lower()}@example.nl")
        await v.set("Ik geef toestemming dat de organisatie mijn gegevens", True)
        return (await v.press("Aanmelden")).text()


async def cancel(base: str, code: str) -> str:
    async with Visitor(base) as v:
        await v.open("afmelden")
        await v.set("Persoonlijke code", code)
        await v.press("Zoeken")
        return (await v.press("Ja, ik meld mij af")).text()


def rows(db: Database, sql: str, **params) -> list[tuple]:
    with db.engine.connect() as c:
        return [tuple(r) for r in c.execute(text(sql), params)]


def test_two_replicas_serve_one_database(replicas):
    a, b = replicas["bases"]
    db = Database(replicas["db"])
    try:
        (fair_id, title), = rows(db, "SELECT id, title FROM event WHERE kind = 'job_fair' AND starts_at > :now",
                                 now=utcnow())
        before = places_left(run(agenda(b)), title)

        # Signed up through A: B's agenda shows the place gone at once (no copy held in either process).
        shown = run(sign_up(a, fair_id, "Replica de Eerste", "127.0.9.1"))
        assert "U bent aangemeld" in shown
        code = re.search(r"Uw persoonlijke code: \*\*([A-Z0-9-]+)\*\*", shown).group(1)
        assert places_left(run(agenda(b)), title) == before - 1

        # Cancelled through B with the code A gave: A's agenda has the place back.
        assert "afgemeld" in run(cancel(b, code))
        assert places_left(run(agenda(a)), title) == before
        assert rows(db, "SELECT r.status FROM registration r JOIN jobseeker j ON j.id = r.jobseeker_id "
                        "WHERE j.name = 'Replica de Eerste'") == [("cancelled",)]
    finally:
        db.dispose()


def test_capacity_holds_across_replicas(replicas):
    """Twelve people at once, spread over both processes, for three places: three get one."""
    a, b = replicas["bases"]
    db = Database(replicas["db"])
    try:
        start = (utcnow() + timedelta(days=20)).astimezone(TZ).replace(hour=14, minute=0, second=0, microsecond=0)
        event = db.write(events.create_event, dict(
            kind="meet_greet", title="Kleine Meet&Greet", starts_at=start, ends_at=start + timedelta(hours=2),
            capacity_jobseekers=3, capacity_employers=2, status="published", venue_name="Buurthuis",
            address="Markt 1", city="Oss"))

        async def crowd():
            return await asyncio.gather(*(sign_up((a, b)[i % 2], event.id, f"Persoon{i} van Replica", f"127.0.9.{10 + i}")
                                          for i in range(12)))
        shown = run(crowd())
        confirmed = [i for i, page in enumerate(shown) if "U bent aangemeld" in page]
        waiting = [i for i, page in enumerate(shown) if "U staat op de wachtlijst" in page]
        assert len(confirmed) == 3 and len(waiting) == 9
        assert {i % 2 for i in confirmed} | {i % 2 for i in waiting} == {0, 1}  # both processes took sign-ups
        stored = dict(rows(db, "SELECT j.name, r.status FROM registration r JOIN jobseeker j ON j.id = r.jobseeker_id "
                               "WHERE r.event_id = :e", e=event.id))
        assert sorted(stored[f"Persoon{i} van Replica"] for i in confirmed) == ["confirmed"] * 3
        assert sorted(stored[f"Persoon{i} van Replica"] for i in waiting) == ["waitlisted"] * 9
    finally:
        db.dispose()
