"""The app's start-up (eventtool/startup.py): once per database URL per process, with the first
organiser account and the sender beside the app, which stop_all stops (with the planner's jobs)."""
import shlex
import threading
import tomllib
from pathlib import Path

from bench import app_process

from eventtool.people import accounts as auth
from eventtool.planning import speedmeet
from eventtool import startup
from eventtool.core.config import get_settings

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


def test_tests_and_benchmarks_start_the_app_as_the_readme_does():
    """bench/app_process.py is the one place the browser tests and benchmarks start the app: the command
    ./run.sh ends in, with only a loopback port added, so its .streamlit/config.toml (file watcher off:
    issue 30) is what they measure."""
    root = Path(__file__).resolve().parents[1]
    last = [line for line in (root / "run.sh").read_text().splitlines() if line.startswith("exec ")][-1]
    shipped = shlex.split(last)[1:]  # .venv/bin/streamlit run serve.py "$@"
    command = app_process.command(8599)
    assert command[1:3] == ["-m", "streamlit"] and Path(shipped[0]).name == "streamlit"
    assert command[3:5] == shipped[1:3] == ["run", "serve.py"]
    assert command[5:] == ["--server.port", "8599", "--server.address", "127.0.0.1"]
    server = tomllib.loads((root / ".streamlit" / "config.toml").read_text())["server"]
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False and server["headless"] is True
    for path in [root / "tests" / "e2e" / "conftest.py", *sorted((root / "bench").glob("*.py"))]:
        if path.name != "app_process.py":
            assert '"streamlit", "run"' not in path.read_text(), f"{path.name} starts the app another way"
