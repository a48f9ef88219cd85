"""The one place that opens sessions and commits.

Domain functions take a Session, change objects and flush, but never commit. `Database.write`
runs one of them in a transaction that, on SQLite, starts with BEGIN IMMEDIATE: the write lock is
taken before the first read, so a read-check-write (capacity!) cannot interleave with another
writer. The driver's default deferred BEGIN overbooks under concurrency.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

T = TypeVar("T")

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Seconds a SQLite writer waits for another before it gives up (SQLite's busy timeout, and this
# process's own write lock).
WRITE_WAIT = 30


def _sqlite_engine(url: str) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": WRITE_WAIT, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from the driver; the "begin" hook below issues BEGIN.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        # Deleted personal data is overwritten with zeros instead of lingering in free pages.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


class Database:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._write_bind = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else self.engine
        # SQLite has one writer at a time. Writers of this process (the app's sessions are threads of
        # it) wait for each other on a lock, which the operating system hands to a waiting thread when
        # it is let go, instead of in SQLite's busy handler, which sleeps and polls: with three door
        # devices scanning back to back, a writer there lost the race again and again and waited up
        # to 3 s (bench/door.py). Other processes (replicas, the command line) still meet at BEGIN
        # IMMEDIATE and the busy timeout. Re-entrant, so a write opened inside another in the same
        # thread fails as it did (busy), never hangs here; and, as the busy timeout, given up after
        # WRITE_WAIT seconds.
        self._writers = threading.RLock() if self.is_sqlite else None

    @contextmanager
    def _writer(self) -> Iterator[None]:
        if self._writers is None:
            yield
            return
        if not self._writers.acquire(timeout=WRITE_WAIT):
            raise OperationalError("waiting for the write lock", None, Exception("database is locked (another writer)"))
        try:
            yield
        finally:
            self._writers.release()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        with self._writer() if write else nullcontext(), \
                Session(self._write_bind if write else self.engine, expire_on_commit=False) as session:
            try:
                yield session
                if write:
                    session.commit()
                # A read just closes: closing detaches the loaded objects without expiring them,
                # so pages can use what they read after the transaction has ended.
            except BaseException:
                session.rollback()
                raise

    def write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one domain operation in its own write transaction and commit it."""
        with self.session(write=True) as session:
            return fn(session, *args, **kwargs)

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self.session() as session:
            return fn(session, *args, **kwargs)

    def migrate(self, revision: str = "head") -> None:
        from alembic import command  # deferred: alembic loads only when the schema is brought up to date

        if not self.is_sqlite:
            with self.engine.begin() as connection:
                command.upgrade(alembic_config(self.url, connection), revision)
            return
        # SQLite changes a table by copying it and dropping the old one; with foreign keys on, that
        # drop would delete (ON DELETE CASCADE) every row that points at the table: a migration that
        # adds a column to `event` emptied `registration`. So they are off while the schema changes
        # (SQLite ignores the pragma inside a transaction: it is set before BEGIN), the result is
        # checked, and they are on again before the connection goes back to the pool.
        with self.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    command.upgrade(alembic_config(self.url, connection), revision)
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
            finally:
                raw.execute("PRAGMA foreign_keys=ON")

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str, connection=None):
    from alembic.config import Config  # deferred, as in migrate

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg
