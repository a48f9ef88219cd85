"""Shared fixtures. Every test gets a real database file (never sqlite in-memory: a cached engine
would give each thread its own empty database). PostgreSQL runs the same tests where a server
can be started (tests/pg.py)."""
from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import eventtool.models  # noqa: F401 - every table, before any Database is used (eventtool/models.py)
from eventtool import fixtures
from eventtool.core.config import TZ, get_settings
from eventtool.core.db import Database
from eventtool.events import events
from eventtool.registration import registration

from . import pg

_counter = itertools.count(1)
ROOT_DIR = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption("--no-postgres", action="store_true", help="skip the PostgreSQL variants")


@pytest.fixture(scope="session")
def postgres_server(request):
    if request.config.getoption("--no-postgres"):
        pytest.skip("PostgreSQL disabled with --no-postgres")
    server = pg.start()
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries not found; .ci/run must install postgresql")
        pytest.skip("PostgreSQL not installed here")
    yield server
    server.stop()


# Migrations run once per test session, into a template that each test copies: running all of
# them on a new file per test was most of the suite's set-up time. (tests/test_migrations.py still
# migrates step by step from an empty store.)
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    template = Database(f"sqlite:///{path}")
    template.migrate()
    template.dispose()
    self_contained(path)
    return path


def self_contained(path: Path) -> None:
    """One file to copy, with no -wal beside it (WAL is switched on again when a copy is opened).
    SQLite leaves WAL mode only when nobody else has the file open: checked, not assumed."""
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete", f"{path} is still open"
    assert not path.with_name(path.name + "-wal").exists()


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory) -> Path:
    """The demo data (fixtures.seed_demo, ~10 s) seeded once per test session, to copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database(migrated_sqlite_url(sqlite_template, path))
    database.write(fixtures.seed_demo)
    database.dispose()
    self_contained(path)
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path):
    """A SQLite store holding the demo data, this test's own copy."""
    database = Database(migrated_sqlite_url(demo_template, tmp_path / "demo.db"))
    yield database
    database.dispose()


def migrated_sqlite_url(template: Path, path: Path) -> str:
    """A migrated store at `path`: a copy of one of the session's templates (WAL is switched on at connect)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def postgres_template(postgres_server) -> str:
    """A migrated PostgreSQL database that every test's database is created from (CREATE DATABASE
    ... TEMPLATE); nothing stays connected to it."""
    url = postgres_server.new_database()
    template = Database(url)
    template.migrate()
    template.dispose()
    return url.rsplit("/", 1)[1]


def _sqlite_db(request, tmp_path) -> Database:
    return Database(migrated_sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path / "test.db"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """The store, once on a SQLite file and once on PostgreSQL, migrated."""
    if request.param == "sqlite":
        database = _sqlite_db(request, tmp_path)
    else:
        server = request.getfixturevalue("postgres_server")
        database = Database(server.new_database(template=request.getfixturevalue("postgres_template")))
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(request, tmp_path):
    database = _sqlite_db(request, tmp_path)
    yield database
    database.dispose()


def local(days: int = 14, hour: int = 13, minute: int = 0) -> datetime:
    base = datetime.now(TZ).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return base + timedelta(days=days)


@pytest.fixture
def create_event(db):
    """Factory: create_event(**overrides) -> Event (published, 14 days ahead, 3 places)."""
    def make(database: Database | None = None, **overrides):
        start = overrides.pop("starts_at", local())
        values = dict(kind="meet_greet", title="Meet&Greet", starts_at=start, ends_at=start + timedelta(hours=2),
                      capacity_jobseekers=3, capacity_employers=2, status="published",
                      venue_name="Buurthuis", address="Markt 1", city="Oss",
                      accessibility_notes="Rolstoeltoegankelijk")
        values.update(overrides)
        return (database or db).write(events.create_event, values)
    return make


def person(n: int | None = None, **overrides) -> dict:
    n = n if n is not None else next(_counter)
    data = dict(name=f"Werkzoekende {n}", email=f"persoon{n}@example.nl", consent_registration=True)
    data.update(overrides)
    return data


def company(n: int | None = None, **overrides) -> dict:
    n = n if n is not None else next(_counter)
    data = dict(organisation=f"Bedrijf {n}", contact_name="Jan Jansen", email=f"hr{n}@bedrijf.nl", recruiters=2)
    data.update(overrides)
    return data


@pytest.fixture
def sign_up(db):
    def make(event_id: int, n: int | None = None, database: Database | None = None, **kwargs):
        return (database or db).write(registration.register_jobseeker, event_id, person(n), **kwargs)
    return make


@pytest.fixture(autouse=True)
def _fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
