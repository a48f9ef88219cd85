"""AppTest fixtures: each test runs the real app.py router against its own database file."""
from __future__ import annotations

import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui
from eventtool.people import accounts as auth
from eventtool.planning import speedmeet
from eventtool.core.db import Database

from ..conftest import ROOT_DIR, migrated_sqlite_url  # noqa: F401


@pytest.fixture
def page_db(tmp_path, monkeypatch, sqlite_template):
    url = migrated_sqlite_url(sqlite_template, tmp_path / "app.db")
    monkeypatch.setenv("EVENTTOOL_DATABASE_URL", url)
    monkeypatch.setenv("EVENTTOOL_SEED_DEMO", "false")
    # AppTest fills a form in no time; the anti-bot time trap has its own test.
    monkeypatch.setenv("EVENTTOOL_SPAM_MIN_SECONDS", "0")
    st.cache_resource.clear()
    st.cache_data.clear()
    db = Database(url)
    yield db
    speedmeet.stop_all_jobs(timeout=10)  # a plan of this test's events is not the next test's
    db.dispose()
    st.cache_resource.clear()
    ui.forget_databases()


@pytest.fixture
def app(page_db):
    """app(role=None, lang=None) -> AppTest that has run once."""
    def make(role: str | None = None, lang: str | None = None, page: str | None = None,
             query: dict | None = None, idle_seconds: float = 0) -> AppTest:
        at = AppTest.from_file(str(ROOT_DIR / "app.py"), default_timeout=60)
        if role:
            user = page_db.write(auth.create_user, f"{role}-{time.monotonic_ns()}@example.nl", f"Test {role}", role,
                                 "a long test password")
            at.session_state["user"] = {"id": user.id, "name": user.name, "email": user.email, "role": user.role}
            at.session_state["last_seen"] = time.time() - idle_seconds
        if lang:
            at.session_state["lang"] = lang
        at.run()
        if page:
            at.switch_page(page)
            for key, value in (query or {}).items():
                at.query_params[key] = value
            at.run()
        return at
    return make
