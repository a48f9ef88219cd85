"""Command line: python -m eventtool COMMAND ...

  migrate                     bring the database schema up to date
  seed-demo                   fill a new database with demo data
  create-user EMAIL NAME ROLE create a staff account (password from EVENTTOOL_NEW_PASSWORD or a prompt)
  backup TARGET.db             online backup of the SQLite store (safe while people register)
  restore SOURCE.db            replace the store with a backup (stop the app first)
  purge [--retention-days N]   anonymise people whose last event is older than the retention period
  export-person ID [--csv]     one jobseeker's data as JSON (or CSV) on stdout
  erase-person ID              erase one jobseeker's personal data
  plan-speedmeet INSTANCE.json --out SCHEDULE.csv [--time-limit SECONDS]
                              plan a speedmeet in the exchange format (../shared/speedmeet-format.md);
                              the whole command ends within SECONDS (imports and reading included)
"""
from __future__ import annotations

import time

# When the process started, before the imports (half a second or more): --time-limit counts from here.
_STARTED = time.perf_counter()

import argparse
import getpass
import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from .core.config import get_settings
from .core.db import Database
from .core.errors import DomainError
from .core.i18n import translate
from . import models  # noqa: F401 - every capability's tables (foreign keys cross packages)


def _db() -> Database:
    db = Database(get_settings().sqlalchemy_url)
    db.migrate()
    return db


def cmd_migrate(args) -> int:
    _db()
    print("schema up to date")
    return 0


def cmd_seed_demo(args) -> int:
    from . import fixtures  # deferred: only this subcommand needs it
    db = _db()
    if not db.read(fixtures.is_empty):
        print("database already has events; nothing seeded")
        return 0
    print(fixtures.demo_logins_message(db.write(fixtures.seed_new_demo, get_settings().admin_email)))
    return 0


def cmd_create_user(args) -> int:
    from .people import accounts as auth  # deferred: only this subcommand needs it
    password = os.environ.get("EVENTTOOL_NEW_PASSWORD") or getpass.getpass("Password: ")
    user = _db().write(auth.create_user, args.email, args.name, args.role, password)
    print(f"created {user.role} {user.email}")
    return 0


# Checking the plan against every rule and writing it: 0.01 s for 5,000 people; the rest is margin.
FINISH_SECONDS = 0.15


def cmd_plan_speedmeet(args) -> int:
    # Deferred, as in every subcommand: the time limit counts this command's imports (the planner).
    from .planning import plan, violations, write_schedule
    from .planning.instance import InstanceError, load_instance

    try:
        text = Path(args.instance).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.instance}: {exc}", file=sys.stderr)
        return 2
    if args.time_limit <= 0:
        print("error: --time-limit must be a positive number of seconds", file=sys.stderr)
        return 2
    try:
        instance = load_instance(text)
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # The limit is for the whole command: what the imports and reading took comes off the plan's
    # time, and so does a little for checking and writing the schedule afterwards.
    left = args.time_limit - (time.perf_counter() - args.started) - FINISH_SECONDS
    result = plan(instance, time_limit=max(left, 0.0))
    problems = violations(instance, result.meetings)
    if problems:  # pragma: no cover - a planner bug must never produce a file
        print(f"error: internal: plan breaks a rule: {problems[0]}", file=sys.stderr)
        return 3
    try:
        Path(args.out).write_text(write_schedule(result.meetings), encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    print(f"meetings={len(result.meetings)} total={result.total} seconds={result.seconds:.3f} "
          f"optimal={'yes' if result.optimal else 'no'} upper_bound={result.upper_bound}")
    return 0


def cmd_backup(args) -> int:
    from .core.backup import backup  # deferred: only this subcommand needs it
    target = backup(get_settings().sqlalchemy_url, args.target)
    print(f"backup written to {target}")
    return 0


def cmd_restore(args) -> int:
    from .core.backup import restore  # deferred: only this subcommand needs it
    kept = restore(args.source, get_settings().sqlalchemy_url)
    print(f"restored from {args.source}" + (f"; the database it replaced is kept as {kept}" if kept else ""))
    return 0


def cmd_purge(args) -> int:
    from .privacy.privacy import purge_expired, scrub_file  # deferred: only this subcommand needs it
    # An explicit 0 is a choice, not "use the default": purge_expired refuses it with a reason.
    days = get_settings().retention_days if args.retention_days is None else args.retention_days
    db = _db()
    n = db.write(purge_expired, days)
    print(f"purged {n} people (retention {days} days)")
    return _scrubbed(scrub_file(db))


def _scrubbed(done: bool) -> int:
    if done:
        return 0
    print("error: another connection kept reading old pages, so erased values may still be in the database "
          "file; run the command again when the app is quiet", file=sys.stderr)
    return 1


def cmd_export_person(args) -> int:
    from .privacy.privacy import export_csv, export_json  # deferred: only this subcommand needs it
    data = _db().read(export_csv if args.csv else export_json, args.id)
    sys.stdout.buffer.write(data)
    return 0


def cmd_erase_person(args) -> int:
    from .privacy.privacy import erase_person, scrub_file  # deferred: only this subcommand needs it
    db = _db()
    db.write(erase_person, args.id)
    print(f"erased jobseeker {args.id}")
    return _scrubbed(scrub_file(db))


def cmd_send_messages(args) -> int:
    """Deliver the outbox (and queue due reminders): once, for cron, or as a worker that keeps going."""
    from . import sender  # deferred: only this subcommand needs it
    settings = get_settings()
    if not settings.smtp_url:
        print("error: EVENTTOOL_SMTP_URL is not set; messages stay in the outbox", file=sys.stderr)
        return 2
    sender.parse_url(settings.smtp_url)  # a wrong address is one line and exit 2, before anything else
    db = _db()
    while True:
        result = sender.run_once(db, settings, limit=args.batch)
        print(f"sent {result.sent}, to try again {result.retry}, failed {result.failed}", flush=True)
        if args.once:
            return 0
        time.sleep(args.interval)


def main(argv: list[str] | None = None, started: float | None = None) -> int:
    """`started`: when the command began (perf_counter). Run as `python -m eventtool`, the process
    start; called from other code (as the tests do), the moment main() is called."""
    if started is None:
        started = _STARTED if __name__ == "__main__" else time.perf_counter()
    parser = argparse.ArgumentParser(prog="python -m eventtool")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate").set_defaults(fn=cmd_migrate)
    sub.add_parser("seed-demo").set_defaults(fn=cmd_seed_demo)
    p = sub.add_parser("create-user")
    p.add_argument("email")
    p.add_argument("name")
    p.add_argument("role", choices=["organiser", "coordinator"])
    p.set_defaults(fn=cmd_create_user)
    p = sub.add_parser("backup")
    p.add_argument("target")
    p.set_defaults(fn=cmd_backup)
    p = sub.add_parser("restore")
    p.add_argument("source")
    p.set_defaults(fn=cmd_restore)
    p = sub.add_parser("purge")
    p.add_argument("--retention-days", type=int)
    p.set_defaults(fn=cmd_purge)
    p = sub.add_parser("export-person")
    p.add_argument("id", type=int)
    p.add_argument("--csv", action="store_true")
    p.set_defaults(fn=cmd_export_person)
    p = sub.add_parser("erase-person")
    p.add_argument("id", type=int)
    p.set_defaults(fn=cmd_erase_person)
    p = sub.add_parser("send-messages", help="deliver queued messages over SMTP (EVENTTOOL_SMTP_URL)")
    p.add_argument("--once", action="store_true", help="send what is due and stop (for cron)")
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--interval", type=float, default=15.0, help="seconds between rounds when not --once")
    p.set_defaults(fn=cmd_send_messages)
    p = sub.add_parser("plan-speedmeet", help="plan a speedmeet from an instance file")
    p.add_argument("instance")
    p.add_argument("--out", required=True)
    p.add_argument("--time-limit", type=float, default=10.0)
    p.set_defaults(fn=cmd_plan_speedmeet)
    args = parser.parse_args(argv)
    args.started = started
    try:
        return args.fn(args)
    except DomainError as exc:
        if hasattr(exc, "errors"):  # several field errors: say each, on one line
            text = "; ".join(f"{field}: {translate(code, 'en', **params)}" for field, (code, params) in exc.errors.items())
        else:
            text = translate(exc.code, "en", **exc.params)
        print(f"error: {text}", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        # A missing file, a full disk, a locked or unreachable database: one line, never a traceback.
        print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, EOFError):
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
