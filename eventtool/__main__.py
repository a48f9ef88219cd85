"""Command line: python -m eventtool COMMAND ...

  migrate                     bring the database schema up to date
  seed-demo                   fill a new database with demo data
  create-user EMAIL NAME ROLE create a staff account (password from EVENTTOOL_NEW_PASSWORD or a prompt)
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from .config import get_settings
from .db import Database
from .errors import DomainError
from .i18n import translate


def _db() -> Database:
    db = Database(get_settings().sqlalchemy_url)
    db.migrate()
    return db


def cmd_migrate(args) -> int:
    _db()
    print("schema up to date")
    return 0


def cmd_seed_demo(args) -> int:
    from . import fixtures
    db = _db()
    if not db.read(fixtures.is_empty):
        print("database already has events; nothing seeded")
        return 0
    db.write(fixtures.seed_demo)
    print(f"demo data seeded; log in as {fixtures.DEMO_ORGANISER} / {fixtures.DEMO_PASSWORD}")
    return 0


def cmd_create_user(args) -> int:
    from . import auth
    password = os.environ.get("EVENTTOOL_NEW_PASSWORD") or getpass.getpass("Password: ")
    user = _db().write(auth.create_user, args.email, args.name, args.role, password)
    print(f"created {user.role} {user.email}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eventtool")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate").set_defaults(fn=cmd_migrate)
    sub.add_parser("seed-demo").set_defaults(fn=cmd_seed_demo)
    p = sub.add_parser("create-user")
    p.add_argument("email")
    p.add_argument("name")
    p.add_argument("role", choices=["organiser", "coordinator"])
    p.set_defaults(fn=cmd_create_user)
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except DomainError as exc:
        print(f"error: {translate(exc.code, 'en', **exc.params)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
