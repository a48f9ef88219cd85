"""Streamlit glue shared by the pages, one module per job; pages use it as `ui.<name>`, re-exported
here. Domain rules live in eventtool/, never here; the app's start-up is eventtool.startup.

    language.py  the page's language, t(), the switch, <html lang> and Streamlit's own labels
    session.py   the process's Database (get_db), the visitor's address, staff login, logout, guard
    actions.py   run/attempt a domain operation, its errors per field and for the form, flash,
                 audit of staff looking at personal data, pages opened by a personal link, ask/confirm
    widgets.py   plain() for user text in markdown, labels, event choosers, tabs, table, download
    forms.py     the public forms: anti-bot, cut to limits, focus after a send, the sign-up confirmation
    walk_in.py   adding someone at the door or by phone
    memory.py    settle_memory() after each run

Each imports only the ones listed before it (.importlinter, contract "ui")."""
from __future__ import annotations

from .actions import (ask, attempt, clear_errors, confirm, errors, field_error, flash, form_error_summary, log,
                      log_access, log_view, message, opened_by_link, rerun_if_ok, run)
from .forms import (HONEYPOT, count_refusal, cut_to_limits, focus_field, form_a11y, form_shown, honeypot,
                    not_a_bot, signed_up, signup_confirmation)
from .language import lang, language_switch, set_document_language, t
from .memory import settle_memory
from .session import client_address, current_user, employer_id, forget_databases, get_db, guard, login, logout
from .walk_in import walk_in_form
from .widgets import (choose_event, choose_open_event, choose_overview_event, download, event_label, label,
                      overview_label, person_label, plain, plain_label, table, tabs)

__all__ = [
    "HONEYPOT", "ask", "attempt", "choose_event", "choose_open_event", "choose_overview_event", "clear_errors",
    "client_address", "confirm", "count_refusal", "current_user", "cut_to_limits", "download", "employer_id", "errors",
    "event_label", "field_error", "flash", "focus_field", "forget_databases", "form_a11y", "form_error_summary", "form_shown",
    "get_db", "guard", "honeypot", "label", "lang", "language_switch", "log", "log_access", "log_view", "login",
    "logout", "message", "not_a_bot", "opened_by_link", "overview_label", "person_label", "plain", "plain_label",
    "rerun_if_ok",
    "run", "set_document_language", "settle_memory", "signed_up", "signup_confirmation", "t", "table", "tabs",
    "walk_in_form",
]
