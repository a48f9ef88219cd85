"""Online backup and restore of the SQLite store with SQLite's backup API: consistent while people
keep registering (the copy is one snapshot), and restorable into a fresh file."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

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


def restore(source: str | Path, url: str) -> None:
    """Replace the store with a backup (the app must be stopped)."""
    source = Path(source)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DomainError("backup.corrupt")
        dst = sqlite3.connect(_path(url), timeout=30)
        try:
            with dst:
                src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
