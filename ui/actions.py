"""The one way a page runs a domain operation (`run`, `attempt`: its own transaction, a staff
change audited under its verb's name) and shows what went wrong, per field or for the form; the
message left for the next run (`flash`); the record of staff looking at personal data; a page
opened by a personal link; and "are you sure?" (`ask`, then `confirm`)."""
from __future__ import annotations

import logging
from typing import Any, Callable

import streamlit as st

from eventtool.core import audit
from eventtool.core.errors import DomainError, NotFound, ValidationFailed

from .language import t
from .session import get_db

log = logging.getLogger("eventtool.ui")


def _errors_key(form: str) -> str:
    return f"_errors_{form}"


def run(form: str, fn: Callable, *args: Any, write: bool = True, **kwargs: Any) -> Any:
    """Run one domain operation in its own transaction. Rule violations are kept per field for the
    form to show; anything unexpected is logged and shown as a friendly message, never a trace.

    A change is logged under the name its verb was given (`@audit.action`), not one derived from
    the module it lives in, so moving it keeps its entries together. A change without a name is a
    programming error, raised here (outside `attempt`) whether or not anyone is logged in."""
    action = audit.action_of(fn) if write else None
    db = get_db()
    user = st.session_state.get("user")
    if write and user:
        # Every change a staff member makes is logged, in the same transaction.
        return attempt(form, db.write, audit.audited(user["email"], action), fn, *args, **kwargs)
    return attempt(form, db.write if write else db.read, fn, *args, **kwargs)


def attempt(form: str, call: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call a domain function that manages its own transactions (it gets the Database, not a
    session), keeping its rule violations for the form as `run` does."""
    st.session_state[_errors_key(form)] = {}
    try:
        return call(*args, **kwargs)
    except ValidationFailed as exc:
        st.session_state[_errors_key(form)] = exc.errors
    except DomainError as exc:
        st.session_state[_errors_key(form)] = {exc.field or "_form": (exc.code, exc.params)}
    except Exception:  # noqa: BLE001 - the user gets a message, the log gets the trace
        log.exception("action %s failed", form)
        st.session_state[_errors_key(form)] = {"_form": ("error.unexpected", {})}
    return None


def log_access(action: str, subject: str = "") -> None:
    """Record that a staff member viewed or exported personal data."""
    user = st.session_state.get("user")
    if user:
        get_db().write(audit.record, user["email"], action, subject)


def log_view(action: str, subject: str = "") -> None:
    """Record that a staff member looked at a list of personal data: once per list chosen, not at
    every rerun of the page."""
    if st.session_state.get(f"_logged_{action}") != subject:
        log_access(action, subject)
        st.session_state[f"_logged_{action}"] = subject


def opened_by_link(read: Callable, no_link: str, unknown: str, otherwise: Callable[[], None] | None = None):
    """(token, what `read(session, token)` gives) for a page opened from a personal link (?t=...).
    Without a token, or with one that does not work, the page says so in plain words and stops."""
    token = st.query_params.get("t", "")
    if not token:
        st.info(t(no_link))
        st.stop()
    try:
        return token, get_db().read(read, token)
    except NotFound:
        st.warning(t(unknown), icon=":material/link_off:")
        if otherwise is not None:
            otherwise()
        st.stop()


def errors(form: str) -> dict:
    return st.session_state.get(_errors_key(form), {})


def message(code: str, params: dict) -> str:
    # A message may wrap another one (a row of an import names what is wrong with it).
    inner = params.get("code")
    if isinstance(inner, str):
        params = dict(params, code=t(inner, **{k: v for k, v in params.items() if k != "code"}))
    return t(code, **params)


def field_error(form: str, field: str) -> None:
    """Say what is wrong right under the field, in words."""
    err = errors(form).get(field)
    if err:
        st.error(message(*err), icon=":material/error:")


def form_error_summary(form: str, labels: dict[str, str] | None = None) -> None:
    """Problems with a field shown on this page are summed up (their message stands under the
    field); every other problem is said here in full."""
    errs = {f: e for f, e in errors(form).items() if f != "_send"}  # that one stands by the send button
    if not errs:
        return
    labels = labels or {}
    for field, err in errs.items():
        if field not in labels:
            st.error(message(*err), icon=":material/error:")
    shown = [labels[f] for f in errs if f in labels]
    if shown:
        st.error(t("error.form_summary", count=len(shown), fields=", ".join(shown)), icon=":material/error:")


def rerun_if_ok(form: str, message: str) -> None:
    """After an action without a result: when it raised nothing, say so and show the new state."""
    if not errors(form):
        st.session_state.flash = message
        st.rerun()


def clear_errors(form: str) -> None:
    st.session_state.pop(_errors_key(form), None)


def flash() -> None:
    """A message left by the previous run (after a redirect or a logout)."""
    msg = st.session_state.pop("flash", None)
    if isinstance(msg, tuple):  # (code, params): a message that names what it was about
        st.info(t(msg[0], **msg[1]))
    elif msg:
        st.info(t(msg))


def _confirm_key(key: str) -> str:
    return f"_confirm_{key}"


def ask(key: str, record_id: Any) -> None:
    """First step of a destructive action (a callback): ask about this record."""
    st.session_state[_confirm_key(key)] = record_id


def _forget(key: str) -> None:
    st.session_state.pop(_confirm_key(key), None)


def _do(key: str, action: Callable, args: tuple) -> None:
    _forget(key)
    action(*args)


def confirm(key: str, record_id: Any, question: str, yes_label: str, action: Callable, *args: Any) -> None:
    """Second step: when `ask(key, record_id)` was clicked for this very record, name it and what follows,
    and run `action(*args)` only on a yes. Asking about another record, or no, leaves everything as it is."""
    if st.session_state.get(_confirm_key(key)) != record_id:
        return
    with st.container(border=True):
        st.warning(question, icon=":material/warning:")
        c1, c2 = st.columns(2)
        c1.button(yes_label, type="primary", key=f"{key}_yes_{record_id}", on_click=_do, args=(key, action, args))
        c2.button(t("confirm.no"), key=f"{key}_no_{record_id}", on_click=_forget, args=(key,))
