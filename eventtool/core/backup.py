"""Online backup and restore of the SQLite store with SQLite's backup API: consistent while people
keep registering (the copy is one snapshot), and restorable into a fresh file."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from .db import alembic_config
from .errors import DomainError


def _path(url: str) -> str:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        raise DomainError("backup.sqlite_only")
    return parsed.database


def backup(url: str, target: str | Path) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(_path(url), timeout=30)
    dst = sqlite3.connect(target)
    try:
        with dst:
            # Copy in steps of 256 pages so writers are never blocked for long.
            src.backup(dst, pages=256)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise DomainError("backup.corrupt")
    finally:
        dst.close()
        src.close()
    return target


# Tables an eventtool database has (a file with fewer is another program's, or empty).
EXPECTED_TABLES = {"alembic_version", "event", "event_series", "programme_block", "jobseeker", "employer",
                   "registration", "consent", "meeting", "speedmeet_settings", "arrival_slot", "outcome", "user",
                   "audit_log"}


def check_eventtool_file(source: str | Path) -> str:
    """The Alembic revision of a valid eventtool database file; DomainError for anything else:
    a missing or empty file, not SQLite, damaged, another program's database, or a schema this
    version of eventtool does not know."""
    from alembic.script import ScriptDirectory  # deferred: alembic is only needed to check a backup's revision
    source = Path(source)
    if not source.is_file():
        raise DomainError("backup.not_found", path=str(source))
    if source.stat().st_size == 0:
        raise DomainError("backup.empty", path=str(source))
    with open(source, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DomainError("backup.not_sqlite", path=str(source))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DomainError("backup.corrupt")
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = EXPECTED_TABLES - tables
            if missing:
                raise DomainError("backup.not_eventtool", path=str(source), missing=", ".join(sorted(missing)))
            row = src.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            raise DomainError("backup.corrupt") from None
    finally:
        src.close()
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()}
    if row is None or row[0] not in known:
        raise DomainError("backup.unknown_version", version=row[0] if row else "-")
    return row[0]


def restore(source: str | Path, url: str, *, now: datetime | None = None) -> Path | None:
    """Replace the store with a backup (the app must be stopped). The file is checked first; the
    current database is kept beside it as a timestamped copy, whose path is returned."""
    check_eventtool_file(source)
    target = Path(_path(url))
    kept = None
    if target.exists() and target.stat().st_size > 0:
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        kept = backup(url, target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}"))
    src = sqlite3.connect(f"file:{Path(source)}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            with dst:
                src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
    return kept
