import sqlite3

import pytest
from sqlalchemy import text

from eventtool.core.config import Settings


def test_sqlite_connection_settings(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 30000
        assert pragma("secure_delete") == 1


def test_write_transaction_takes_the_write_lock_at_once(sqlite_db):
    """BEGIN IMMEDIATE: while a write session is open, even before it wrote anything, no other
    connection can start writing."""
    path = sqlite_db.engine.url.database
    with sqlite_db.session(write=True) as session:
        session.exec(text("SELECT 1")).all()
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_read_session_does_not_block_writers(sqlite_db):
    path = sqlite_db.engine.url.database
    with sqlite_db.session() as session:
        session.exec(text("SELECT count(*) FROM event")).all()
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()


def test_failed_write_is_rolled_back(sqlite_db):
    from eventtool.people.models import User

    def boom(session):
        session.add(User(email="a@b.nl", name="A", role="organiser", password_hash="x"))
        session.flush()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        sqlite_db.write(boom)
    assert sqlite_db.read(lambda s: s.exec(text("SELECT count(*) FROM user")).one()[0]) == 0


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError
    from eventtool.events.models import ProgrammeBlock
    from eventtool.core.timeutil import utcnow

    def orphan(session):
        session.add(ProgrammeBlock(event_id=999, title="x", audience="everyone", starts_at=utcnow(), ends_at=utcnow()))
        session.flush()

    with pytest.raises(IntegrityError):
        db.write(orphan)


def test_settings_accept_a_path_or_a_url(tmp_path, monkeypatch):
    assert Settings(database_url=str(tmp_path / "x.db")).sqlalchemy_url == f"sqlite:///{tmp_path / 'x.db'}"
    url = "postgresql+psycopg://u@h/db"
    assert Settings(database_url=url).sqlalchemy_url == url
    monkeypatch.setenv("EVENTTOOL_DATABASE_URL", url)
    assert Settings().sqlalchemy_url == url


def test_a_writer_that_waits_too_long_for_another_of_its_process_gives_up(tmp_path, monkeypatch):
    """The app's own SQLite writers wait for each other on a lock (not in SQLite's busy handler); as
    the busy timeout, that wait ends with an error after WRITE_WAIT seconds, never hangs."""
    import threading

    from sqlalchemy.exc import OperationalError

    from eventtool.core import db as dbmod

    monkeypatch.setattr(dbmod, "WRITE_WAIT", 0.2)
    database = dbmod.Database(f"sqlite:///{tmp_path / 'lock.db'}")
    held, release = threading.Event(), threading.Event()

    def holder():
        with database.session(write=True):
            held.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(10)
    try:
        with pytest.raises(OperationalError, match="locked"):
            with database.session(write=True):
                pass
    finally:
        release.set()
        t.join(10)
    with database.session(write=True):  # let go: the next writer goes ahead
        pass
