"""Streamlit glue shared by the pages: the cached Database, language, login state and the one way
actions are run and their errors shown. Domain rules live in eventtool/, never here."""
from __future__ import annotations

import gc
import json
import logging
import re
import sys
import time
from typing import Any, Callable

import streamlit as st

from eventtool import audit, auth, startup
from eventtool.config import get_settings
from eventtool.db import Database
from eventtool.errors import DomainError, NotFound, ValidationFailed
from eventtool.i18n import LANGUAGES, translate

log = logging.getLogger("eventtool.ui")


def get_db() -> Database:
    """One Database per URL for the whole process, started (migrations, first account, purge, demo
    data, the sender) on the first ask: eventtool.startup. It is not in Streamlit's cache: any browser
    can send Streamlit's 'clear cache' message, and that must not reopen it (and redo the start-up
    work) for everyone."""
    return startup.database(get_settings())


def forget_databases() -> None:
    """Stop every sender and close every open Database (tests, between their own database files)."""
    startup.stop_all()


# --------------------------------------------------------------------------- language


def lang() -> str:
    # Kept under a plain key, not the widget's: Streamlit drops a widget's state after a run that
    # did not draw it (a login moves on to another page mid-run), and the language went with it.
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", get_settings().default_language)
        st.session_state.lang = wanted if wanted in LANGUAGES else "nl"
    return st.session_state.lang


def t(key: str, **params: Any) -> str:
    return translate(key, lang(), **params)


def _language_chosen() -> None:
    st.session_state.lang = st.session_state.lang_choice


def language_switch() -> None:
    codes = list(LANGUAGES)
    if st.session_state.get("lang_choice") != lang():
        st.session_state.lang_choice = lang()
    st.selectbox("Taal / Language", codes, key="lang_choice", format_func=lambda code: LANGUAGES[code],
                 on_change=_language_chosen)


# Streamlit's frontend has no locale: these labels it writes in English whatever the page's
# language (i18n keys streamlit.*; the English text is exactly Streamlit's, which is what is matched).
_STREAMLIT_LABELS = ("skip", "sidebar", "collapse_sidebar", "expand_sidebar", "help", "help_for", "show_password",
                     "hide_password", "select_all", "select_matches", "clear_all", "remove", "choose_option",
                     "choose_options", "open", "clear_value", "no_results", "choose_date", "choose_date_range",
                     "clear_date", "clear_dates", "previous_month", "next_month", "increment", "decrement",
                     "enter_apply", "enter_submit", "download_csv", "search", "columns", "fullscreen",
                     "close_fullscreen", "calendar_hint", "choose_date_in")
# Those it also writes as visible text. A one-word label ("Open", "Search") is matched in the
# attributes of Streamlit's controls only, never in text, where an event or a name may be that word.
_STREAMLIT_TEXTS = {"skip", "select_all", "select_matches", "no_results", "enter_apply", "enter_submit",
                    "calendar_hint", "choose_date_in"}


def set_document_language() -> None:
    """<html lang> follows the chosen language, so screen readers pronounce Dutch as Dutch
    (WCAG 3.1.1); Streamlit's own labels are put in that language as it draws them (from any
    language into the chosen one, so switching back and forth works); and the heading anchors,
    "Link to heading" links that lead nowhere useful, are hidden. The script is fixed text; the
    data it gets (our language code and texts) is JSON inside it, so no text can end the script."""
    code = lang() if lang() in LANGUAGES else "nl"
    labels = [[translate(f"streamlit.{key}", other), translate(f"streamlit.{key}", code), key in _STREAMLIT_TEXTS]
              for key in _STREAMLIT_LABELS for other in LANGUAGES if other != code]
    data = json.dumps({"lang": code, "labels": labels}).replace("</", "<\\/")
    st.html(f"<style>[data-testid=stHeaderActionElements] a[href^='#'] {{display: none !important;}}</style>"
            f"<script>({_LANGUAGE_SCRIPT})({data});</script>", unsafe_allow_javascript=True, width="content")


_LANGUAGE_SCRIPT = """function (data) {
  document.documentElement.lang = data.lang;
  // A label is a text with at most one {hole}: Streamlit's "Help for {label}" carries the widget's label.
  function parts(text) {
    const open = text.indexOf('{'), close = text.indexOf('}', open);
    return open < 0 || close < 0 ? [text, null] : [text.slice(0, open), text.slice(close + 1)];
  }
  const labels = data.labels.map(([from, to, text]) => ({from: parts(from), to: parts(to), text: text}));
  function translated(value, inText) {
    for (const l of labels) {
      if (inText && !l.text) continue;
      const [head, tail] = l.from;
      if (tail === null) { if (value === head) return l.to[0]; continue; }
      if (value.length > head.length + tail.length && value.startsWith(head) && value.endsWith(tail)) {
        const hole = value.slice(head.length, value.length - tail.length);
        return l.to[1] === null ? l.to[0] : l.to[0] + hole + l.to[1];
      }
    }
    return null;
  }
  const ATTRIBUTES = ['aria-label', 'placeholder', 'title'];
  function element(el) {
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute(name);
      const now = value && translated(value, false);
      if (now && now !== value) el.setAttribute(name, now);
    }
  }
  function text(node) {
    const value = node.nodeValue.trim();
    const now = value && translated(value, true);
    if (now && now !== value) node.nodeValue = node.nodeValue.replace(value, now);
  }
  function tree(root) {
    if (root.nodeType === Node.TEXT_NODE) return text(root);
    if (root.nodeType !== Node.ELEMENT_NODE || root.closest('script, style')) return;
    element(root);
    root.querySelectorAll('[aria-label], [placeholder], [title]').forEach(element);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) text(n);
  }
  // Streamlit (React) sets a label when it draws an element or changes the label ("Show password"
  // becomes "Hide password"), never otherwise: the observer puts each such change in our language.
  if (window.__eventtoolLabels) window.__eventtoolLabels.disconnect();
  const observer = new MutationObserver(function (records) {
    for (const r of records) {
      if (r.type === 'attributes') element(r.target);
      else if (r.type === 'characterData') text(r.target);
      else r.addedNodes.forEach(tree);
    }
  });
  tree(document.body);
  observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                                   attributeFilter: ATTRIBUTES});
  window.__eventtoolLabels = observer;
}"""


# --------------------------------------------------------------------------- staff login


def current_user() -> dict | None:
    """The logged-in staff member, or None. A login ends after the idle timeout."""
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
    from eventtool.spam import client_address
    header = get_settings().trusted_proxy_header
    forwarded = st.context.headers.get(header) if header else None
    socket = st.context.ip_address
    # (Under AppTest there is no socket: these are not strings then.)
    return client_address(forwarded if isinstance(forwarded, str) else None, socket if isinstance(socket, str) else None)


def login(user) -> None:
    """A new identity for the session: nothing from before the login (a visitor's half-filled forms,
    someone else's choices) carries over into it, except the language."""
    language = lang()
    for key in list(st.session_state.keys()):
        if key not in ("login_email", "login_password"):  # widget keys of the login form itself
            del st.session_state[key]
    st.session_state.lang = language
    st.session_state.user = {"id": user.id, "name": user.name, "email": user.email, "role": user.role}
    st.session_state.last_seen = time.time()


def logout(reason: str | None = None) -> None:
    for key in ("user", "last_seen"):
        st.session_state.pop(key, None)
    if reason:
        st.session_state.flash = reason


def guard(script: str) -> None:
    """Second line of defence: a staff view refuses to render for a role that may not see it,
    even if it were ever run without the router."""
    from eventtool.access import PAGES

    user = current_user()
    spec = next(p for p in PAGES if p.script == script)
    if (user["role"] if user else None) not in spec.roles:
        st.error(t("auth.not_allowed"))
        st.stop()


# --------------------------------------------------------------------------- actions and errors


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


def download(label: str, build: Callable[[], bytes | str], *, file_name: str, key: str, mime: str | None = None,
             audit_as: tuple[str, str] | None = None, where=None, **kwargs) -> None:
    """A download button whose file is made when it is clicked, without a rerun of the page.

    A click that also reran the page drew the button anew while its file was still being made;
    on a busy machine the browser then got no file at all. The access to personal data is
    recorded when the file is made (the click), for the staff member who saw the button."""
    user, db = st.session_state.get("user"), get_db()

    def make() -> bytes | str:
        data = build()
        if audit_as and user:
            db.write(audit.record, user["email"], *audit_as)
        return data

    (where or st).download_button(label, make, file_name=file_name, mime=mime, key=key, on_click="ignore", **kwargs)


def form_shown(form: str) -> None:
    """Remember when a public form was first shown (for the anti-bot time trap)."""
    st.session_state.setdefault(f"_shown_{form}", time.monotonic())


HONEYPOT = "website"


def honeypot(prefix: str) -> None:
    """A field no person sees or reaches: hidden from sight, from the keyboard and from screen
    readers (display: none); a script filling in every field fills it in too."""
    key = f"{prefix}_{HONEYPOT}"
    st.html(f"<style>.st-key-{key} {{display: none !important;}}</style>")
    st.text_input("Website (laat leeg / leave empty)", key=key, autocomplete="off", label_visibility="collapsed")


def not_a_bot(form: str, prefix: str) -> bool:
    """False, with the refusal beside the send button, when a sign-up looks automated; the refusal
    is counted in the database (no browser can reset it) for the visitor's address."""
    from eventtool import spam
    shown = st.session_state.get(f"_shown_{form}")
    refusal = get_db().write(spam.check, client_address(), honeypot=st.session_state.get(f"{prefix}_{HONEYPOT}"),
                             seconds_on_form=None if shown is None else time.monotonic() - shown,
                             min_seconds=get_settings().spam_min_seconds)
    if refusal:
        st.session_state[_errors_key(form)] = {"_send": refusal}
        return False
    return True


def count_refusal() -> None:
    """A public sign-up that was refused for its input counts towards the address's limit."""
    from eventtool import spam
    get_db().write(spam.record_refusal, client_address())


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


def label(vocab: str, code: str | None) -> str:
    return t(f"{vocab}.{code}") if code else ""


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")
_WORD_JOINER = "\u2060"


def plain(text: str | None) -> str:
    """User text made inert for st.markdown: every markdown character escaped, so a name like
    '**x** [link](…)' or '<script>' shows exactly as typed. Streamlit's markdown also turns bare
    web and e-mail addresses into links *after* escapes are resolved ('http\\://x' still becomes
    one), so an invisible word joiner is put where such an address would start to match."""
    text = _AUTOLINK.sub(_WORD_JOINER, text or "")
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


def choose_event(candidates: list, key: str, empty_message: str):
    """A select box of events that opens on the one happening now or next (the last one when all
    are past); stops the page with a message when there is none."""
    from datetime import datetime
    if not candidates:
        st.info(t(empty_message))
        st.stop()
    by_id = {e.id: e for e in candidates}
    now = datetime.now(candidates[0].ends_at.tzinfo)
    current = next((e.id for e in candidates if e.ends_at >= now), candidates[-1].id)
    event_id = st.selectbox(t("events.choose"), list(by_id), index=list(by_id).index(current),
                            format_func=lambda i: event_label(by_id[i]), key=key)
    return by_id[event_id]


def overview_label(row: dict) -> str:
    """A row of events.overview as the staff pages name it: date and title."""
    from eventtool.timeutil import to_local
    return f"{to_local(row['starts_at']):%d-%m-%Y} · {row['title']}"


def choose_overview_event(rows: list[dict], key: str, default_last: bool = True) -> tuple[int, dict[int, dict]]:
    """A select box over events.overview rows; keeps the chosen event, else opens on the last (or
    first) one. Returns the chosen id and the rows by id."""
    by_id = {r["id"]: r for r in rows}
    ids = list(by_id)
    current = st.session_state.get(key)
    index = ids.index(current) if current in by_id else (len(ids) - 1 if default_last else 0)
    chosen = st.selectbox(t("events.choose"), ids, index=index, key=key, format_func=lambda i: overview_label(by_id[i]))
    return chosen, by_id


def choose_open_event(items: dict, key: str):
    """The event to sign up for; the one chosen on the agenda (or in ?event=) comes preselected."""
    wanted = st.session_state.get("register_event") or st.query_params.get("event")
    ids = list(items)
    index = ids.index(int(wanted)) if wanted and str(wanted).isdigit() and int(wanted) in items else 0
    event_id = st.selectbox(t("js.event"), ids, index=index, format_func=lambda i: event_label(items[i].event), key=key)
    return items[event_id]


def signed_up(prefix: str, fields, signup, event) -> None:
    """Keep what the confirmation shows, and empty the form for the next person."""
    # (The calendar entry of someone signed up again after a cancellation comes above that one.)
    changes = 0 if signup.again else signup.registration.calendar_sequence
    st.session_state[f"{prefix}_result"] = {"status": signup.answer, "code": signup.code, "changes": changes,
                                            "event": event.title, "event_id": event.id}
    for field in fields:
        st.session_state.pop(f"{prefix}_{field}", None)


def signup_confirmation(result_key: str, ics_key: str) -> None:
    """After a sign-up: the outcome, the personal code, the way to cancel and the calendar file."""
    from eventtool import calendars
    result = st.session_state[result_key]
    st.success(t(f"js.done_{result['status']}", event=plain(result["event"])), icon=":material/check_circle:")
    st.markdown(t("js.your_code", code=result["code"]))
    st.write(t("js.cancel_hint"))
    st.page_link("views/cancel.py", label=t("js.cancel_link"), icon=":material/event_busy:",
                 query_params={"code": result["code"]})
    event_id, language, db = result["event_id"], lang(), get_db()
    status = result["status"]
    download(t("js.calendar"), lambda: db.read(calendars.registration_ics, event_id, language, status,
                                               result.get("changes", 0)),
             file_name="activiteit.ics", mime="text/calendar", key=ics_key)
    if st.button(t("js.another")):
        st.session_state.pop(result_key)
        st.rerun()
    if not result.get("focused"):  # once: later reruns leave the focus where the person put it
        result["focused"] = True
        form_a11y(result_key, {}, done=True)
    st.stop()


def event_label(event) -> str:
    from eventtool.timeutil import fmt_local
    return f"{fmt_local(event.starts_at)} · {event.title}"


# --------------------------------------------------------------------------- page building blocks


def tabs(key: str, labels: list[str]) -> list:
    """Tabs that stay on the one the organiser chose across the reruns that actions cause, and run
    only the open one (`tab.open`)."""
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)
    return st.tabs(labels, key=key, on_change="rerun")


def table(df, **kwargs):
    """st.dataframe where a missing value shows as an empty cell, never 'None'."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", "")
    return st.dataframe(df, **kwargs)


def person_label(name: str, contact: str | None = None, person_id: int | None = None) -> str:
    """Two people with the same name stay apart: the contact (or a short id) stands beside the name."""
    extra = contact or (f"#{person_id}" if person_id is not None else "")
    return f"{name} · {extra}" if extra else name


# --------------------------------------------------------------------------- "are you sure?"


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


# --------------------------------------------------------------------------- accessible forms


def cut_to_limits(prefix: str, limits: dict[str, int], form: str) -> bool:
    """A paste longer than a field allows is cut, and the person is told under that field (the
    browser's own maxlength cuts without a word). True when something was cut: the form is then
    not sent, so the person can look at what is left."""
    cut = {}
    for field, limit in limits.items():
        value = st.session_state.get(f"{prefix}_{field}")
        if isinstance(value, str) and len(value) > limit:
            st.session_state[f"{prefix}_{field}"] = value[:limit]
            cut[field] = ("field.cut_to_limit", {"max": limit, "length": len(value)})
    if cut:
        st.session_state[_errors_key(form)] = cut
    return bool(cut)


def form_a11y(form: str, labels: dict[str, str], done: bool = False) -> None:
    """After a send: move focus to the error summary (or to the confirmation), and tie every wrong
    field to its message with aria-invalid and aria-describedby. The script is fixed; the data it
    gets (our own labels and messages) is JSON inside it, so no text can end the script."""
    errs = errors(form)
    if not errs and not done:
        return
    fields = [{"label": labels[f], "message": message(*err)} for f, err in errs.items() if f in labels]
    data = json.dumps({"fields": fields, "done": done, "run": time.monotonic_ns()}).replace("</", "<\\/")
    st.html(f"<script>({_A11Y_SCRIPT})({data});</script>", unsafe_allow_javascript=True, width="content")


_A11Y_SCRIPT = """function (data) {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  let tries = 0;
  function apply() {
    const main = doc.querySelector('[data-testid=stMain]') || doc;
    const alerts = Array.from(main.querySelectorAll('[data-testid=stAlert], [role=alert]'));
    if (data.done) {
      const ok = main.querySelector('[data-testid=stAlertContentSuccess]');
      const box = ok ? ok.closest('[data-testid=stAlert]') || ok : null;
      if (!box) { if (tries++ < 40) setTimeout(apply, 50); return; }
      box.setAttribute('tabindex', '-1'); box.focus();
      return;
    }
    let missing = 0;
    const underFields = new Set();
    data.fields.forEach(function (f, i) {
      const input = Array.from(main.querySelectorAll('input, textarea')).find(
        el => el.getAttribute('aria-label') === f.label);
      const alert = alerts.find(a => a.innerText.trim().endsWith(f.message.trim()));
      if (!input || !alert) { missing++; return; }
      underFields.add(alert);
      const id = 'err-' + i;
      alert.id = id;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', id);
    });
    // The summary is the error that stands under no field: not a warning the page shows anyway
    // (such as "this event is full"), nor the first field's own message.
    const errorBoxes = alerts.filter(a => a.querySelector('[data-testid=stAlertContentError]'));
    const summary = errorBoxes.find(a => !underFields.has(a)) || errorBoxes[0];
    if ((missing || !summary) && tries++ < 40) { setTimeout(apply, 50); return; }
    if (summary) { summary.setAttribute('tabindex', '-1'); summary.focus(); }
  }
  apply();
}"""


# --------------------------------------------------------------------------- adding someone at the door

_WALK_IN_FIELDS = ("name", "email", "phone")


def _walk_in_data(prefix: str) -> dict:
    s = st.session_state
    return {f: s.get(f"{prefix}_{f}") for f in _WALK_IN_FIELDS} | {
        "consent_registration": s.get(f"{prefix}_consent", False), "consent_special": False}


def _by_phone(prefix: str) -> bool:
    """Staff chose 'by phone' on the add form (else: at the door)."""
    return st.session_state.get(f"{prefix}_how") == "phone"


def _walk_in_done(prefix: str, signup) -> None:
    st.session_state.flash = f"regs.added_phone_{signup.answer}" if _by_phone(prefix) else "regs.added"
    # Emptied by setting them (a removed key leaves the browser showing the last person's details,
    # which the next person's sign-up would then carry); how and language stay for the next caller.
    for k in _WALK_IN_FIELDS:
        st.session_state[f"{prefix}_{k}"] = ""
    st.session_state[f"{prefix}_consent"] = False
    st.session_state.pop(f"{prefix}_known", None)


def _add_person(form: str, event_id: int, prefix: str, update=()):
    """At the door (a place and checked in at once) or by phone (the public form's rules and its
    confirmation message, in the language chosen)."""
    from eventtool import registration
    data = _walk_in_data(prefix)
    if _by_phone(prefix):
        return run(form, registration.add_by_phone, event_id, data, update,
                   lang=st.session_state.get(f"{prefix}_lang") or "nl")
    return run(form, registration.add_walk_in, event_id, data, update)


def _walk_in_submit(event_id: int, form: str, prefix: str) -> None:
    """A returning person is shown as stored first; staff choose what to update (nothing by default)."""
    from eventtool import identity, registration
    data = _walk_in_data(prefix)
    clear_errors(form)
    match = get_db().read(identity.door_match, data["name"], data["email"], data["phone"])
    if match and match["changes"] and data["consent_registration"]:
        st.session_state[f"{prefix}_known"] = match
        return
    signup = _add_person(form, event_id, prefix)
    if signup is not None:
        _walk_in_done(prefix, signup)


def _walk_in_known(event_id: int, form: str, prefix: str, person_id: int) -> None:
    update = [f for f in _WALK_IN_FIELDS if st.session_state.get(f"{prefix}_upd_{person_id}_{f}")]
    signup = _add_person(form, event_id, prefix, update)
    if signup is not None:
        _walk_in_done(prefix, signup)


def walk_in_form(event_id: int, form: str, prefix: str, by_phone: bool = False) -> None:
    """Name, e-mail, phone and consent for someone added by staff (checked in at once). For a
    person we already know, the stored details are shown next to what was typed, and only the
    fields staff tick are updated: an empty or different field never wipes what is stored.
    by_phone: staff may instead sign up someone who phoned, with a confirmation in their language."""
    known = st.session_state.get(f"{prefix}_known")
    if by_phone:
        st.radio(t("regs.add_how"), ["door", "phone"], format_func=lambda h: t(f"regs.add_how_{h}"),
                 key=f"{prefix}_how", horizontal=True)
    with st.form(f"{prefix}_form", enter_to_submit=False):
        form_error_summary(form, {f: t(f"js.{f}") for f in (*_WALK_IN_FIELDS, "consent_registration")})
        if _by_phone(prefix):
            st.selectbox(t("regs.add_lang"), list(LANGUAGES), format_func=lambda code: LANGUAGES[code],
                         key=f"{prefix}_lang")
        st.text_input(t("js.name"), key=f"{prefix}_name", max_chars=100)
        field_error(form, "name")
        st.text_input(t("js.email"), key=f"{prefix}_email", max_chars=254, type="email", icon="", placeholder="")
        field_error(form, "email")
        st.text_input(t("js.phone"), key=f"{prefix}_phone", max_chars=20, type="phone", icon="", placeholder="")
        field_error(form, "phone")
        st.checkbox(t("regs.walk_in_consent"), key=f"{prefix}_consent", value=False)
        field_error(form, "consent_registration")
        st.form_submit_button(t("regs.add"), on_click=_walk_in_submit, args=(event_id, form, prefix), type="primary")
    if not known:
        return
    pid = known["id"]
    with st.container(border=True):
        st.subheader(t("door.known_title"))
        st.markdown(t("door.known_body", name=plain(known["name"]), email=plain(known["email"] or "-"),
                      phone=plain(known["phone"] or "-")))
        for f, typed in known["changes"].items():
            st.checkbox(t("door.update_field", field=t(f"js.{f}"), stored=plain(known.get(f) or "-"), typed=plain(typed)),
                        key=f"{prefix}_upd_{pid}_{f}", value=False)
        c1, c2 = st.columns(2)
        c1.button(t("door.register_known"), key=f"{prefix}_known_yes_{pid}", type="primary", on_click=_walk_in_known,
                  args=(event_id, form, prefix, pid))
        c2.button(t("door.back"), key=f"{prefix}_known_back_{pid}",
                  on_click=lambda: st.session_state.pop(f"{prefix}_known", None))


_settled_modules = 0


def settle_memory() -> None:
    """Move what the imports made (hundreds of thousands of objects: pandas, plotly, SQLAlchemy) out
    of the garbage collector's sight, once after each run that imported something new. Every
    collection used to walk them all again; Streamlit's full collection after each run is switched
    off in .streamlit/config.toml for the same reason. (Only the cycle collector skips frozen
    objects; memory without cycles is freed as always.)"""
    global _settled_modules
    if len(sys.modules) != _settled_modules:
        gc.freeze()
        _settled_modules = len(sys.modules)
