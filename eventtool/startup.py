"""The app's start-up, once per database per process: the schema brought up to date, the first
organiser account, the retention purge, demo data on an empty database, and the sender beside the
app (eventtool.sender's background loop). The app (ui.get_db) asks `database()` for its
Database on every run; only the first ask for a database URL does this work. No streamlit here."""
from __future__ import annotations

import logging
import threading

from .people import accounts as auth
from . import fixtures
from .privacy import privacy
from .planning import speedmeet
from .registration import door
from .core.config import Settings, get_settings
from .core.db import Database
from . import sender
from . import models  # noqa: F401 - every capability's tables (foreign keys cross packages)

log = logging.getLogger("eventtool.startup")

_databases: dict[str, Database] = {}
_senders: dict[str, threading.Event] = {}  # per database URL: stops its background sender
_lock = threading.Lock()


def database(settings: Settings | None = None) -> Database:
    """The one started Database for the settings' URL in this process, started on the first ask."""
    settings = settings or get_settings()
    url = settings.sqlalchemy_url
    db = _databases.get(url)
    if db is None:
        with _lock:
            db = _databases.get(url)
            if db is None:
                db, _senders[url] = start(settings)
                _databases[url] = db
    return db


def stop_all() -> None:
    """Stop every planning job and sender and close every Database started here (tests, between their
    own database files). The jobs first: a plan that is stored still needs its Database."""
    speedmeet.stop_all_jobs()
    with _lock:
        for stop in _senders.values():
            stop.set()
        _senders.clear()
        for db in _databases.values():
            db.dispose()
        _databases.clear()


def start(settings: Settings) -> tuple[Database, threading.Event]:
    """Open the database and do the start-up work; returns it with the event that stops its sender."""
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    db.write(auth.bootstrap, settings.admin_email, settings.admin_password)
    # Registrations from before door codes existed get theirs (a migration does not hold the key).
    db.write(door.fill_missing)
    # Retention runs by itself at every start (and `python -m eventtool purge` can run from cron).
    if db.write(privacy.purge_expired, settings.retention_days) and not privacy.scrub_file(db):
        log.warning("retention purge: a reader kept old pages; the file is scrubbed at the next purge")
    if settings.seed_demo and db.read(fixtures.is_empty):
        # ./run.sh seeds through the command line first; this covers a start without it. The
        # one-time password goes to the terminal that started the app, the only place it appears.
        print(fixtures.demo_logins_message(db.write(fixtures.seed_new_demo, settings.admin_email)), flush=True)
    # The sender starts with the app: it queues due reminders and, with SMTP configured, delivers.
    return db, sender.start_background(db, settings, settings.mail_interval_seconds)
