"""The app's start-up (eventtool/startup.py): once per database URL per process, with the first
organiser account and the sender beside the app, which stop_all stops (with the planner's jobs)."""
import threading

from eventtool import auth, speedmeet, startup
from eventtool.config import get_settings

from .conftest import migrated_sqlite_url


def test_the_app_starts_once_per_database_and_stop_all_ends_its_sender(tmp_path, monkeypatch, sqlite_template):
    monkeypatch.setenv("EVENTTOOL_DATABASE_URL", migrated_sqlite_url(sqlite_template, tmp_path / "app.db"))
    monkeypatch.setenv("EVENTTOOL_ADMIN_EMAIL", "organiser@example.nl")
    monkeypatch.setenv("EVENTTOOL_ADMIN_PASSWORD", "a long start-up password")
    monkeypatch.setenv("EVENTTOOL_SEED_DEMO", "false")
    before = set(threading.enumerate())
    db = startup.database()
    try:
        assert startup.database(get_settings()) is db  # the second ask does no start-up work
        assert [u.email for u in db.read(auth.list_users)] == ["organiser@example.nl"]
        senders = [t for t in set(threading.enumerate()) - before if t.name == "eventtool-mail"]
        assert len(senders) == 1 and senders[0].is_alive()
    finally:
        startup.stop_all()
    senders[0].join(30)
    assert not senders[0].is_alive()


def test_stop_all_stops_the_planning_jobs_too(monkeypatch):
    stopped = []
    monkeypatch.setattr(speedmeet, "stop_all_jobs", lambda *args, **kwargs: stopped.append("jobs"))
    startup.stop_all()
    assert stopped == ["jobs"]
