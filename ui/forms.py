"""The public forms: the anti-bot measures (time trap, honeypot, refusals counted per address),
pastes cut to a field's limit, focus and aria attributes after a send, and the confirmation of a
sign-up with its code and calendar file."""
from __future__ import annotations

import json
import time

import streamlit as st

from eventtool.events import calendars
from eventtool.registration import spam
from eventtool.core.config import get_settings

from .actions import _errors_key, errors, message
from .language import lang, t
from .session import client_address, get_db
from .widgets import download, plain


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
    get_db().write(spam.record_refusal, client_address())


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


def focus_field(label: str) -> None:
    """Put the keyboard focus back in the field with this label (the door's scan field after a scan,
    so a handheld scanner's next code goes there too). The label is our own text, passed as JSON."""
    data = json.dumps({"label": label, "run": time.monotonic_ns()}).replace("</", "<\\/")
    st.html(f"<script>({_FOCUS_SCRIPT})({data});</script>", unsafe_allow_javascript=True, width="content")


_FOCUS_SCRIPT = """function (data) {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  let tries = 0;
  function apply() {
    const input = Array.from(doc.querySelectorAll('input')).find(el => el.getAttribute('aria-label') === data.label);
    if (!input || input.disabled) { if (tries++ < 40) setTimeout(apply, 50); return; }
    input.focus();
  }
  apply();
}"""
