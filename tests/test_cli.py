"""The command line: restore refuses what is not an eventtool database and keeps what it replaces;
every misuse ends in one line on stderr and a non-zero exit, never a traceback."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventtool import fixtures
from eventtool.core.errors import NotFound
from eventtool.people import employer_accounts
from eventtool.results import portal
from eventtool.registration import registration
from eventtool.__main__ import main
from eventtool.core.db import Database

from .conftest import ROOT_DIR, migrated_sqlite_url


@pytest.fixture
def cli_db(tmp_path, monkeypatch, sqlite_template):
    path = tmp_path / "live.db"
    monkeypatch.setenv("EVENTTOOL_DATABASE_URL", str(path))
    monkeypatch.delenv("EVENTTOOL_ADMIN_EMAIL", raising=False)
    db = Database(migrated_sqlite_url(sqlite_template, path))
    yield path, db
    db.dispose()


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    return err


def other_program_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    con.execute("INSERT INTO notes (text) VALUES ('not ours')")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("make, expect", [
    (lambda d: d / "missing.db", "does not exist"),
    (lambda d: (d / "empty.db").write_bytes(b"") or d / "empty.db", "is empty"),
    (lambda d: (d / "text.db").write_text("hello, I am a text file") and d / "text.db", "not a database file"),
    (lambda d: other_program_db(d / "other.db"), "not an eventtool database"),
])
def test_restore_refuses_what_is_not_an_eventtool_database(cli_db, tmp_path, capsys, make, expect):
    path, db = cli_db
    ev_count = len(db.read(lambda s: s.exec(__import__("sqlmodel").select(registration.Event)).all()))
    assert main(["restore", str(make(tmp_path))]) == 2
    assert expect in one_line_error(capsys)
    # Nothing was replaced, and no half-restored file was left.
    assert len(db.read(lambda s: s.exec(__import__("sqlmodel").select(registration.Event)).all())) == ev_count
    assert not list(tmp_path.glob("live.before-restore-*"))


def test_restore_keeps_the_current_database_as_a_timestamped_backup(cli_db, tmp_path, capsys):
    path, db = cli_db
    db.write(fixtures.seed_demo, jobseekers=20, employers=5)
    source = tmp_path / "source.db"
    assert main(["backup", str(source)]) == 0
    db.write(lambda s: s.execute(__import__("sqlalchemy").text("DELETE FROM outcome")))
    assert main(["restore", str(source)]) == 0
    out = capsys.readouterr().out
    kept = list(tmp_path.glob("live.before-restore-*.db"))
    assert len(kept) == 1 and str(kept[0]) in out
    con = sqlite3.connect(kept[0])
    assert con.execute("SELECT count(*) FROM outcome").fetchone()[0] == 0  # the replaced state, kept
    con.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM outcome").fetchone()[0] > 0  # the backup's state, restored
    con.close()


def test_purge_with_zero_days_is_refused_not_replaced_by_the_default(cli_db, capsys):
    assert main(["purge", "--retention-days", "0"]) == 2
    assert "at least 30 days" in one_line_error(capsys)


@pytest.mark.parametrize("argv", [
    ["export-person", "999"],
    ["export-person", "999", "--csv"],
    ["erase-person", "999"],
    ["backup", "/proc/no-such-dir/x.db"],
    ["plan-speedmeet", "/no/such/instance.json", "--out", "x.csv"],
    ["create-user", "not-an-email", "X", "organiser"],
    ["purge", "--retention-days", "-5"],
    ["restore", "/no/such/backup.db"],
])
def test_misuse_gives_one_line_and_a_non_zero_exit(cli_db, capsys, monkeypatch, argv):
    monkeypatch.setenv("EVENTTOOL_NEW_PASSWORD", "a long enough password")
    assert main(argv) != 0
    one_line_error(capsys)


def test_bad_database_url_and_no_password_prompt_are_one_line_too(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "EVENTTOOL_DATABASE_URL": "nosuchdriver://x/y", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "eventtool", "migrate"], cwd=ROOT_DIR, env=env, capture_output=True,
                         text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert run.returncode != 0 and "Traceback" not in run.stderr and run.stderr.startswith("error: ")
    env["EVENTTOOL_DATABASE_URL"] = str(tmp_path / "x.db")
    run = subprocess.run([sys.executable, "-m", "eventtool", "create-user", "a@b.nl", "A", "organiser"], cwd=ROOT_DIR,
                         env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert run.returncode != 0 and "Traceback" not in run.stderr, run.stderr


def test_seed_demo_prints_a_fresh_password_once_and_none_with_an_admin(cli_db, capsys, monkeypatch):
    assert main(["seed-demo"]) == 0
    out = capsys.readouterr().out
    password = out.split("with password ")[1].split(" ")[0]
    assert len(password) >= 16
    # Never a password that is written in the repository.
    for path in ROOT_DIR.rglob("*"):
        if path.is_file() and ".venv" not in path.parts and ".git" not in path.parts and path.suffix in (".py", ".md", ".sh", ".toml", ".txt"):
            assert password not in path.read_text(errors="ignore"), path
    assert main(["seed-demo"]) == 0 and password not in capsys.readouterr().out  # shown once
    # The demo employer's sign-in link works, once, for the contact person of an organisation at the
    # coming speedmeet, whose 'Wie komt er' shows the cards people shared there.
    token = out.split("inloglink?t=")[1].split(" ")[0]
    db = cli_db[1]
    assert db.read(employer_accounts.check_link, token) == "Demo Werkgever"
    user = db.write(employer_accounts.sign_in_with_link, token)
    [speedmeet, *_] = db.read(portal.attended_events, user.id)
    assert speedmeet.kind == "speedmeet" and db.write(portal.coming, user.id, speedmeet.id).shared > 0
    with pytest.raises(NotFound):
        db.write(employer_accounts.sign_in_with_link, token)  # one use


def test_seed_demo_with_an_administrator_makes_no_demo_logins(tmp_path, monkeypatch, capsys):
    from eventtool.people import accounts as auth
    monkeypatch.setenv("EVENTTOOL_DATABASE_URL", str(tmp_path / "admin.db"))
    monkeypatch.setenv("EVENTTOOL_ADMIN_EMAIL", "boss@example.nl")
    assert main(["seed-demo"]) == 0
    assert "no demo accounts" in capsys.readouterr().out
    db = Database(f"sqlite:///{tmp_path / 'admin.db'}")
    assert [u.email for u in db.read(auth.list_users)] == []
    db.dispose()
