"""20 people sign up at the same moment for 3 places, each from its own process against one real
database file. With the store's locking exactly 3 are confirmed; the control run repeats the race
with the driver's default transaction handling and shows that it overbooks, so this test would
fail if the locking were removed."""
from __future__ import annotations

import multiprocessing as mp
import time

import pytest
from sqlalchemy import event
from sqlmodel import select

from eventtool.core.db import Database
from eventtool.registration.models import Registration
from eventtool.registration import registration

from .conftest import person

PEOPLE = 20
PLACES = 3


def _widen_race(engine) -> None:
    # Sleep right after the capacity count so that every process reads before any writes:
    # the same widening for the real and the control run.
    @event.listens_for(engine, "after_cursor_execute")
    def _pause(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT COUNT"):
            time.sleep(0.05)


def _worker(url: str, event_id: int, n: int, barrier, results, unsafe: bool) -> None:
    db = Database(url)
    if unsafe:
        # The control: the same store with the write lock taken lazily (plain deferred BEGIN).
        db._write_bind = db.engine
    _widen_race(db.engine)
    barrier.wait()
    try:
        signup = db.write(registration.register_jobseeker, event_id, person(n))
        results.put(signup.registration.status)
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        results.put(f"error: {exc!r}")


def _race(url: str, event_id: int, unsafe: bool) -> list[str]:
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(PEOPLE), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, event_id, n, barrier, results, unsafe)) for n in range(PEOPLE)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return outcomes


def _confirmed(db: Database, event_id: int) -> int:
    return len(db.read(lambda s: s.exec(select(Registration).where(
        Registration.event_id == event_id, Registration.status == "confirmed")).all()))


@pytest.fixture
def race_event(sqlite_db, create_event):
    return create_event(sqlite_db, capacity_jobseekers=PLACES)


def test_concurrent_signups_never_overbook(sqlite_db, race_event):
    outcomes = _race(sqlite_db.url, race_event.id, unsafe=False)
    assert sorted(outcomes) == ["confirmed"] * PLACES + ["waitlisted"] * (PEOPLE - PLACES)
    assert _confirmed(sqlite_db, race_event.id) == PLACES


def test_control_without_immediate_lock_goes_wrong(sqlite_db, race_event):
    outcomes = _race(sqlite_db.url, race_event.id, unsafe=True)
    failed = [o for o in outcomes if o.startswith("error")]
    overbooked = _confirmed(sqlite_db, race_event.id) > PLACES
    # Without BEGIN IMMEDIATE, readers that then try to write collide: sign-ups fail or overbook.
    assert failed or overbooked, outcomes


def test_concurrent_signups_on_postgresql(postgres_server, postgres_template):
    from eventtool.events import events
    from .conftest import local
    from datetime import timedelta
    db = Database(postgres_server.new_database(template=postgres_template))
    start = local()
    ev = db.write(events.create_event, dict(kind="speedmeet", title="Race", starts_at=start,
                                            ends_at=start + timedelta(hours=1), capacity_jobseekers=PLACES,
                                            status="published"))
    db.dispose()
    outcomes = _race(db.url, ev.id, unsafe=False)
    assert sorted(outcomes) == ["confirmed"] * PLACES + ["waitlisted"] * (PEOPLE - PLACES)
    assert _confirmed(db, ev.id) == PLACES
