"""Real-browser journeys: the app runs as `streamlit run serve.py` (as ./run.sh starts it) on a free
loopback port with its own demo database; Debian's Chromium is driven by Playwright. Screenshots land in test-artifacts/e2e."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench import app_process

from ..conftest import self_contained
from ..messages.conftest import listening

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
# Under pytest-xdist each worker runs its own app server: their logs are told apart by the worker.
WORKER = "-" + os.environ["PYTEST_XDIST_WORKER"] if os.environ.get("PYTEST_XDIST_WORKER") else ""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def inbox():
    """A real SMTP server (aiosmtpd) for a test file's app server to deliver to (EVENTTOOL_SMTP_URL)."""
    with listening() as box:
        yield box


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory, "e2e")


def _seed(env: dict) -> str:
    """As ./run.sh does: seed the demo, and read its one-time password from what it printed."""
    seeded = subprocess.run([sys.executable, "-m", "eventtool", "seed-demo"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120, check=True)
    return re.search(r"with password (\S+) \(shown once\)", seeded.stdout).group(1)


_DEMO: dict[tuple, tuple[Path, str]] = {}


def _seeded_demo(tmp_path_factory, env: dict, settings: dict) -> tuple[Path, str]:
    """The demo database, seeded once per test session for each set of a server's own settings (the
    mails the demo queues carry its sender, for one), as one self-contained file to copy, with the
    password it printed (seeding took ~10 s per app server). The queued demo mails' calendar files
    name the first such server's address as the agenda's URL."""
    key = tuple(sorted(settings.items()))
    if key not in _DEMO:
        path = tmp_path_factory.mktemp("demo") / "demo.db"
        password = _seed(dict(env, EVENTTOOL_DATABASE_URL=str(path)))
        self_contained(path)
        _DEMO[key] = (path, password)
    return _DEMO[key]


def run_server(tmp_path_factory, name: str, database: str | None = None, processes: int = 1, **extra_env: str):
    """The app as `streamlit run serve.py` on a new demo database of its own (or on `database`, a URL), seeded
    first as ./run.sh does. With processes=2, two app processes serve that one database (replicas)."""
    db = database or str(tmp_path_factory.mktemp(name) / f"{name}.db")
    ports = [_free_port() for _ in range(processes)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    # extra_env may replace these too (EVENTTOOL_BASE_URL: the public https address a proxy serves the app at).
    env = dict(os.environ, **{"EVENTTOOL_DATABASE_URL": db, "EVENTTOOL_SEED_DEMO": "true", "EVENTTOOL_BASE_URL": bases[0],
                              "EVENTTOOL_SPAM_MIN_SECONDS": "0", **extra_env})
    env.pop("EVENTTOOL_ADMIN_EMAIL", None)
    env.pop("EVENTTOOL_ADMIN_PASSWORD", None)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if database is None:  # a copy of the session's demo file, seeded as ./run.sh seeds it
        template, password = _seeded_demo(tmp_path_factory, env, extra_env)
        shutil.copyfile(template, db)
    else:
        password = _seed(env)
    procs, logs = [], []
    for i, port in enumerate(ports):
        logs.append(open(ARTIFACTS / f"server-{name}{'-' + str(i + 1) if processes > 1 else ''}{WORKER}.log", "w"))
        # As ./run.sh starts it (bench/app_process.py); the config's file watcher is off, so an edit
        # to a file while the suite runs re-imports nothing.
        procs.append(app_process.start(port, env, logs[-1]))
    for base, proc in zip(bases, procs):
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            for p in procs:
                p.kill()
            pytest.fail(f"the app did not start; see test-artifacts/e2e/server-{name}*.log")
    yield {"base": bases[0], "bases": bases, "db": db, "password": password, "logs": [Path(log.name) for log in logs]}
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=20)
    for log in logs:
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing; test.sh installs it")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server, request):
    yield from open_context(browser, server, request)


def open_context(browser, server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", accept_downloads=True)
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.base = server["base"]
    pg.password = server["password"]
    yield pg
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-end.png"), full_page=True)
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        # CI keeps no artifacts: what the page said and what the server logged go into the report.
        print("--- the page said ---")
        print(pg.locator("body").inner_text()[:3000])
        for log in server.get("logs", []):
            print(f"--- the end of {log.name} ---")
            print("".join(log.read_text(errors="replace").splitlines(keepends=True)[-60:]))
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each test's outcome on it, for the page fixture's teardown."""
    report = yield
    if report.when == "call":
        item.report_call = report
    return report


def demo_password(server) -> str:
    return server["password"]
