"""serve.py's one-click route (`_answer`) opens a write transaction only when a real token still
has something to switch off: a made-up, malformed, unknown or already-used token is answered
without one (on SQLite every write begins with BEGIN IMMEDIATE, the lock sign-ups wait for), so a
flood of POSTs from anyone does not slow the forms down."""
from __future__ import annotations

import pytest

import serve
from eventtool import startup
from eventtool.core.db import Database
from eventtool.results import surveys

from ..results.conftest import past_speedmeet
from .test_unsubscribe import WAVES, deliver, reminded, token_of  # noqa: F401 - reminded is a fixture


@pytest.fixture
def writes(db, monkeypatch):
    """The route's Database is the test's; every write transaction it begins is counted."""
    begun = []
    original = Database.write

    def counted(self, fn, *args, **kwargs):
        begun.append(getattr(fn, "__name__", fn))
        return original(self, fn, *args, **kwargs)

    monkeypatch.setattr(Database, "write", counted)
    monkeypatch.setattr(startup, "database", lambda settings=None: db)
    return begun


@pytest.mark.parametrize("token", ["", "x", "a" * 42, "a" * 44, "a" * 42 + "=", "a" * 42 + "%", "a" * 42 + ".",
                                   "<script>" + "a" * 35, "a" * 200])
def test_a_malformed_token_is_refused_without_touching_the_store(writes, monkeypatch, token):
    monkeypatch.setattr(Database, "read", lambda *a, **k: pytest.fail("read"))
    for post in (True, False):
        status, html = serve._answer(token, post)
        assert status == 404 and "Deze link werkt niet (meer)" in html
    assert writes == []


def test_an_unknown_well_formed_token_is_looked_up_but_never_written(db, writes):
    for post in (True, False):
        status, html = serve._answer("A" * 43, post)
        assert status == 404 and "Deze link werkt niet (meer)" in html
    assert writes == []


def test_only_the_post_that_switches_something_off_writes(db, reminded, smtp, writes):
    [reminder] = [m for m in smtp.by_to("anna@example.nl") if m["Subject"].startswith("Herinnering")]
    token = token_of(reminder)
    assert serve._answer(token, False)[0] == 200 and writes == []  # GET: a link scanner
    assert serve._answer(token, True)[0] == 200 and writes == ["unsubscribe"]
    status, html = serve._answer(token, True)  # again: nothing left to switch off, the same page
    assert status == 200 and html == serve._answer(token, True)[1] and writes == ["unsubscribe"]


def test_a_survey_token_writes_once_too(db, smtp, writes):
    past = past_speedmeet(db)
    db.write(surveys.queue_due, WAVES)
    deliver(db)
    [mail, *_] = [m for m in smtp.messages if m["Subject"].startswith("Hoe is het nu?")]
    del writes[:]
    for _ in range(3):
        assert serve._answer(token_of(mail), True)[0] == 200
    assert writes == ["unsubscribe"]
