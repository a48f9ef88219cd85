"""One-click unsubscribe over HTTP, against the app as ./run.sh starts it (`streamlit run serve.py`):
the app's own sender mails a reminder to a real SMTP server, and a mail program's RFC 8058 POST to
its List-Unsubscribe address switches that registration's reminders off in the store; a GET (a
link scanner) changes nothing; an unknown token gets a short page in Dutch and English."""
from __future__ import annotations

import sqlite3
import urllib.error
import urllib.request
from datetime import datetime, timedelta

import pytest

from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.config import TZ
from eventtool.core.db import Database
from eventtool.registration import notify
from eventtool.registration.models import Registration

from ..conftest import person
from .conftest import run_server

pytestmark = pytest.mark.e2e
PUBLIC = "https://events.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory, inbox):
    # The public address is https, as behind the TLS proxy of a real set-up: RFC 8058's one-click
    # headers are offered only for an https address. Requests go to the app's own loopback port.
    yield from run_server(tmp_path_factory, "unsubscribe", EVENTTOOL_SMTP_URL=inbox.url,
                          EVENTTOOL_MAIL_INTERVAL_SECONDS="1", EVENTTOOL_BASE_URL=PUBLIC)


def request(url: str, data: bytes | None = None, content_type: str | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def reminders(path: str, reg_id: int) -> tuple[int, str]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT reminders, status FROM registration WHERE id = ?", (reg_id,)).fetchone()


def test_a_mail_programs_one_click_post_switches_reminders_off_and_a_get_changes_nothing(server, inbox):
    store = Database(f"sqlite:///{server['db']}")
    start = datetime.now(TZ).replace(microsecond=0) + timedelta(days=3)
    event = store.write(events.create_event, dict(kind="meet_greet", title="Markt van morgen", starts_at=start,
                                                   ends_at=start + timedelta(hours=2), capacity_jobseekers=5,
                                                   capacity_employers=2, status="published"))
    reg = store.write(registration.register_jobseeker, event.id,
                      person(name="Rik Reminder", email="rik.reminder@example.nl")).registration
    store.write(lambda s: notify.about_registration(s, s.get(Registration, reg.id), "reminder", key=f"reminder:{reg.id}:e2e"))
    store.dispose()

    # An unknown token: a short answer in both languages, no trace (and the app's sender starts).
    status, body = request(f"{server['base']}/uitschrijven/{'x' * 43}", b"List-Unsubscribe=One-Click",
                           "application/x-www-form-urlencoded")
    assert status == 404 and "Deze link werkt niet (meer)" in body and "This link does not work" in body
    assert "Traceback" not in body

    mail = inbox.wait_for("rik.reminder@example.nl", "Herinnering")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    public = mail["List-Unsubscribe"].strip("<>")
    assert public.startswith(f"{PUBLIC}/uitschrijven/")
    url = server["base"] + public.removeprefix(PUBLIC)  # what the proxy passes on

    status, body = request(url)  # a link scanner, or the person opening it: a question and a button
    assert status == 200 and 'method="post"' in body and "Geen herinneringen meer" in body
    assert reminders(server["db"], reg.id) == (1, "confirmed")

    status, body = request(url, b"List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")
    assert status == 200 and "U krijgt geen herinneringen meer voor Markt van morgen" in body
    assert reminders(server["db"], reg.id) == (0, "confirmed")
    # Again, as RFC 8058 allows (and as multipart/form-data, which it prefers): the same answer.
    boundary = "eventtool-test"
    multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
                 f"One-Click\r\n--{boundary}--\r\n").encode()
    assert request(url, multipart, f"multipart/form-data; boundary={boundary}")[0] == 200
    assert reminders(server["db"], reg.id) == (0, "confirmed")
