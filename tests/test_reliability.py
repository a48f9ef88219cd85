"""Backups while people register, restore, and no committed sign-up lost when the process is
killed with SIGKILL mid-write."""
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from eventtool import backup
from eventtool.db import Database


ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent("""
    import sys
    from datetime import timedelta
    sys.path.insert(0, {root!r})
    from eventtool.db import Database
    from eventtool import events, registration
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


def test_kill_9_never_loses_a_committed_signup(sqlite_db, create_event, tmp_path):
    ev = create_event(sqlite_db, capacity_jobseekers=100000)
    script = _writer(tmp_path, sqlite_db.url)
    claimed: list[int] = []
    start = 0
    for round_no in range(6):
        proc = subprocess.Popen([sys.executable, str(script), str(ev.id), str(start)], stdout=subprocess.PIPE, text=True)
        deadline = time.time() + 0.8 + 0.3 * round_no
        while time.time() < deadline:
            line = proc.stdout.readline()
            if line:
                claimed.append(int(line))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        claimed += [int(x) for x in proc.stdout.read().split()]
        start += 100000
    assert len(claimed) > 20
    con = sqlite3.connect(sqlite_db.engine.url.database)
    stored = {int(name[1:]) for (name,) in con.execute("SELECT name FROM jobseeker")}
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert set(claimed) <= stored


def test_online_backup_while_people_register_and_restore(sqlite_db, create_event, tmp_path):
    ev = create_event(sqlite_db, capacity_jobseekers=100000)
    proc = subprocess.Popen([sys.executable, str(_writer(tmp_path, sqlite_db.url)), str(ev.id), "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        while not proc.stdout.readline():
            pass
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
    from eventtool import registration
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
