"""Who is using the app: the process's one Database (started once by eventtool.startup), the
visitor's address, a staff member's login, its idle timeout and logout, and the guard a staff view
runs first."""
from __future__ import annotations

import time

import streamlit as st

from eventtool.people import accounts as auth
from eventtool.registration import spam
from eventtool import startup
from eventtool.core.access import PAGES
from eventtool.core.config import get_settings
from eventtool.core.db import Database

from .language import lang, t


def get_db() -> Database:
    """One Database per URL for the whole process, started (migrations, first account, purge, demo
    data, the sender) on the first ask: eventtool.startup. It is not in Streamlit's cache: any browser
    can send Streamlit's 'clear cache' message, and that must not reopen it (and redo the start-up
    work) for everyone."""
    return startup.database(get_settings())


def forget_databases() -> None:
    """Stop every sender and close every open Database (tests, between their own database files)."""
    startup.stop_all()


def current_user() -> dict | None:
    """The logged-in account (staff, coach or employer), or None: {"id", "name", "email", "role",
    "employer_id"}; "employer_id" is the organisation of an employer's contact person (role
    "employer"), None for every other role. A login ends after the idle timeout."""
    user = st.session_state.get("user")
    if user is None:
        return None
    idle = time.time() - st.session_state.get("last_seen", 0)
    if idle > get_settings().idle_timeout_minutes * 60:
        logout(reason="auth.timed_out")
        return None
    # An account switched off by an organiser ends its open sessions at their next interaction.
    if not get_db().read(auth.is_active, user["id"]):
        logout(reason="auth.deactivated")
        return None
    st.session_state.last_seen = time.time()
    return user


def client_address() -> str | None:
    """The visitor's address, from the trusted proxy header when one is configured."""
    header = get_settings().trusted_proxy_header
    forwarded = st.context.headers.get(header) if header else None
    socket = st.context.ip_address
    # (Under AppTest there is no socket: these are not strings then.)
    return spam.client_address(forwarded if isinstance(forwarded, str) else None, socket if isinstance(socket, str) else None)


def login(user) -> None:
    """A new identity for the session: nothing from before the login (a visitor's half-filled forms,
    someone else's choices) carries over into it, except the language."""
    language = lang()
    for key in list(st.session_state.keys()):
        if key not in ("login_email", "login_password"):  # widget keys of the login form itself
            del st.session_state[key]
    st.session_state.lang = language
    st.session_state.user = {"id": user.id, "name": user.name, "email": user.email, "role": user.role,
                             "employer_id": user.employer_id}
    st.session_state.last_seen = time.time()


def logout(reason: str | None = None) -> None:
    for key in ("user", "last_seen"):
        st.session_state.pop(key, None)
    if reason:
        st.session_state.flash = reason


def employer_id() -> int:
    """The organisation of the logged-in employer account (for showing its pages; every verb finds it
    again from the account's id, never from this). A page for another role stops here."""
    user = current_user()
    if user is None or user["role"] != "employer" or user.get("employer_id") is None:
        st.error(t("auth.not_allowed"))
        st.stop()
    return user["employer_id"]


def guard(script: str) -> None:
    """Second line of defence: a staff view refuses to render for a role that may not see it,
    even if it were ever run without the router."""
    user = current_user()
    spec = next(p for p in PAGES if p.script == script)
    if (user["role"] if user else None) not in spec.roles:
        st.error(t("auth.not_allowed"))
        st.stop()
