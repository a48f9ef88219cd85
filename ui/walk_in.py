"""Adding someone at the door or by phone (the check-in and registrations pages): the form, and a
returning person's stored details beside what was typed, updated only where staff tick."""
from __future__ import annotations

import streamlit as st

from eventtool.people import identity
from eventtool.registration import registration
from eventtool.core.i18n import LANGUAGES

from .actions import clear_errors, field_error, form_error_summary, run
from .language import t
from .session import get_db
from .widgets import plain


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
    data = _walk_in_data(prefix)
    if _by_phone(prefix):
        return run(form, registration.add_by_phone, event_id, data, update,
                   lang=st.session_state.get(f"{prefix}_lang") or "nl")
    return run(form, registration.add_walk_in, event_id, data, update)


def _walk_in_submit(event_id: int, form: str, prefix: str) -> None:
    """A returning person is shown as stored first; staff choose what to update (nothing by default)."""
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
