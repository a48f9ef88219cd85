"""Backups while people register, restore, and no committed sign-up lost when the process is
killed with SIGKILL mid-write."""
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from eventtool.core import backup
from eventtool.core.db import Database


ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent("""
    import sys
    from datetime import timedelta
    sys.path.insert(0, {root!r})
    import eventtool.models  # noqa: F401 - every table
    from eventtool.core.db import Database
    from eventtool.events import events; from eventtool.registration import registration
    db = Database({url!r})
    event_id = int(sys.argv[1])
    start = int(sys.argv[2])
    for n in range(start, start + 100000):
        signup = db.write(registration.register_jobseeker, event_id,
                          dict(name=f"P{{n}}", email=f"p{{n}}@example.nl", consent_registration=True))
        # Only after commit returned do we claim the row is saved.
        print(n, flush=True)
""")


def _writer(tmp_path, url):
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT), url=url))
    return script


# Only so that a writer that hangs or never starts cannot hang the run; the tests wait for progress
# (claimed sign-ups), never for an amount of time.
GIVE_UP_SECONDS = 300


def _claims(proc: subprocess.Popen) -> queue.Queue:
    """The writer's claims as they come, then None at its end (read by a thread, so that a wait has
    a way out)."""
    found: queue.Queue = queue.Queue()

    def read():
        for line in proc.stdout:
            found.put(int(line))
        found.put(None)
    threading.Thread(target=read, daemon=True).start()
    return found


def _next_claim(proc: subprocess.Popen, found: queue.Queue, deadline: float) -> int:
    try:
        claim = found.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        pytest.fail(f"the writer claimed nothing more within {GIVE_UP_SECONDS} s")
    assert claim is not None, f"the writer stopped by itself (exit code {proc.wait()})"
    return claim


def test_kill_9_never_loses_a_committed_signup(sqlite_db, create_event, tmp_path):
    """Writers killed with SIGKILL while they register people, each once it has claimed a number of
    sign-ups (more each round, so a kill also comes after the store has grown): every sign-up a
    writer claimed, after its commit returned, is still there, and the file stays consistent."""
    from eventtool.registration import registration
    ev = create_event(sqlite_db, capacity_jobseekers=100000)
    script = _writer(tmp_path, sqlite_db.url)
    claimed: list[int] = []
    deadline = time.monotonic() + GIVE_UP_SECONDS
    wanted = [3 + 4 * round_no for round_no in range(6)]
    for round_no, count in enumerate(wanted):
        proc = subprocess.Popen([sys.executable, str(script), str(ev.id), str(round_no * 100000)],
                                stdout=subprocess.PIPE, text=True)
        found = _claims(proc)
        try:
            for _ in range(count):
                claimed.append(_next_claim(proc, found, deadline))
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        # What it printed between our last read and the kill was committed as well.
        claimed += list(iter(lambda: found.get(timeout=GIVE_UP_SECONDS), None))
    assert len(claimed) >= sum(wanted) and len(set(claimed)) == len(claimed)
    con = sqlite3.connect(sqlite_db.engine.url.database)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {int(name[1:]) for (name,) in con.execute("SELECT name FROM jobseeker")}
    people, regs = con.execute("SELECT (SELECT count(*) FROM jobseeker), (SELECT count(*) FROM registration)").fetchone()
    con.close()
    assert set(claimed) <= stored
    assert people == regs  # no half sign-up: every person has their registration
    # And the store takes the next sign-up as usual.
    sqlite_db.write(registration.register_jobseeker, ev.id, dict(name="Na de crash", email="na@example.nl",
                                                                 consent_registration=True))


def test_online_backup_while_people_register_and_restore(sqlite_db, create_event, tmp_path):
    ev = create_event(sqlite_db, capacity_jobseekers=100000)
    proc = subprocess.Popen([sys.executable, str(_writer(tmp_path, sqlite_db.url)), str(ev.id), "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        _next_claim(proc, _claims(proc), time.monotonic() + GIVE_UP_SECONDS)
        target = backup.backup(sqlite_db.url, tmp_path / "backup.db")
    finally:
        proc.kill()
        proc.wait()
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    people, regs = con.execute("SELECT (SELECT count(*) FROM jobseeker), (SELECT count(*) FROM registration)").fetchone()
    con.close()
    assert people >= 1 and people == regs  # one snapshot: every person has their registration
    fresh = Database(f"sqlite:///{tmp_path / 'restored.db'}")
    fresh.migrate()
    backup.restore(target, fresh.url)
    con = sqlite3.connect(tmp_path / "restored.db")
    assert con.execute("SELECT count(*) FROM jobseeker").fetchone()[0] == people
    con.close()


def test_cli_backup_and_person_export(sqlite_db, create_event, tmp_path):
    from eventtool.registration import registration
    ev = create_event(sqlite_db)
    jid = sqlite_db.write(registration.register_jobseeker, ev.id,
                          dict(name="Zoë", email="zoe@example.nl", consent_registration=True)).registration.jobseeker_id
    env = dict(os.environ, EVENTTOOL_DATABASE_URL=sqlite_db.url)
    run = lambda *a: subprocess.run([sys.executable, "-m", "eventtool", *a], cwd=ROOT, env=env,  # noqa: E731
                                    capture_output=True, timeout=120)
    assert run("backup", str(tmp_path / "b.db")).returncode == 0
    out = run("export-person", str(jid))
    assert out.returncode == 0 and '"name": "Zoë"' in out.stdout.decode()
    assert run("erase-person", str(jid)).returncode == 0
    assert run("export-person", str(jid)).stdout.decode().count("(verwijderd)") == 1
    assert run("purge", "--retention-days", "3").returncode != 0
