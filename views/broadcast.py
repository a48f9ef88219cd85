"""Bericht aan iedereen: one message to everyone of an event, or one audience of it (issue 29).
Write, look at it as people will see it, then send after a question that names how many people
get it and the event."""
import pandas as pd
import streamlit as st

import ui
from eventtool.core.timeutil import utcnow
from eventtool.events import events
from eventtool.registration import broadcast

t = ui.t
ui.guard("views/broadcast.py")
db = ui.get_db()
st.title(t("broadcast.title"))
st.write(t("broadcast.intro"))

AUDIENCES = {"all": t("broadcast.audience_all"), "jobseekers": t("broadcast.audience_jobseekers"),
             "employers": t("broadcast.audience_employers"), "coaches": t("broadcast.audience_coaches"),
             "waitlist": t("broadcast.audience_waitlist")}
FIELDS = ("subject", "body", "subject_en", "body_en")
LABELS = {"audience": t("broadcast.audience"), "subject": t("broadcast.subject"), "body": t("broadcast.body"),
          "subject_en": t("broadcast.subject_en"), "body_en": t("broadcast.body_en")}

now = utcnow()
open_events = [e for e in db.read(events.list_events) if e.status != "cancelled" and e.ends_at > now]
event = ui.choose_event(sorted(open_events, key=lambda e: e.starts_at), "bc_event", "broadcast.no_events")
form = f"bc_{event.id}"
prefix = f"bc_{event.id}_{st.session_state.get(f'bc_n_{event.id}', 0)}"  # a new counter: an empty form


def values(prefix: str) -> dict:
    return {"audience": st.session_state.get(f"{prefix}_audience", "all"),
            **{f: st.session_state.get(f"{prefix}_{f}", "") for f in FIELDS}}


def show(event_id: int, prefix: str) -> None:
    """Check what was written and keep it to show and send; on an error the form keeps every word."""
    written = values(prefix)
    if ui.run(f"bc_{event_id}", broadcast.preview, event_id, written, t("broadcast.preview_name"),
              write=False) is None:
        st.session_state.pop(f"bc_preview_{event_id}", None)
    else:
        st.session_state[f"bc_preview_{event_id}"] = written


def send(event_id: int) -> None:
    written = st.session_state.get(f"bc_preview_{event_id}")
    if written is None:
        return
    n = ui.run(f"bc_{event_id}", broadcast.broadcast, event_id, written)
    if n is not None:
        st.session_state.flash = ("broadcast.sent", {"n": n})
        st.session_state[f"bc_n_{event_id}"] = st.session_state.get(f"bc_n_{event_id}", 0) + 1
        st.session_state.pop(f"bc_preview_{event_id}", None)


with st.form(f"{prefix}_form", enter_to_submit=False):
    st.radio(LABELS["audience"], list(AUDIENCES), format_func=AUDIENCES.get, key=f"{prefix}_audience")
    ui.field_error(form, "audience")
    st.text_input(LABELS["subject"], max_chars=broadcast.SUBJECT_MAX, key=f"{prefix}_subject")
    ui.field_error(form, "subject")
    st.text_area(LABELS["body"], max_chars=broadcast.BODY_MAX, height=200, key=f"{prefix}_body",
                 help=t("broadcast.body_help"))
    ui.field_error(form, "body")
    st.header(t("broadcast.english"))
    st.caption(t("broadcast.english_help"))
    st.text_input(LABELS["subject_en"], max_chars=broadcast.SUBJECT_MAX, key=f"{prefix}_subject_en")
    ui.field_error(form, "subject_en")
    st.text_area(LABELS["body_en"], max_chars=broadcast.BODY_MAX, height=200, key=f"{prefix}_body_en")
    ui.field_error(form, "body_en")
    st.form_submit_button(t("broadcast.preview_button"), on_click=show, args=(event.id, prefix))
ui.form_error_summary(form, LABELS)

written = st.session_state.get(f"bc_preview_{event.id}")
if written is None:
    st.stop()
try:
    seen = db.read(broadcast.preview, event.id, written, t("broadcast.preview_name"))
except Exception:  # noqa: BLE001 - the event changed since (cancelled, over): write again
    st.session_state.pop(f"bc_preview_{event.id}", None)
    st.stop()

st.header(t("broadcast.preview_title"))
st.caption(t("broadcast.edit_hint"))
for lang, subject, text in seen.versions:
    with st.container(border=True):
        st.caption(t("broadcast.preview_en") if lang == "en" else t("broadcast.preview_nl"))
        st.markdown(f"**{ui.plain(subject)}**")
        st.text(text)  # as plain text: nothing in it is drawn as markup
st.info(t("broadcast.count", n=seen.count), icon=":material/group:")
if seen.reach.without_email:
    st.warning(t("broadcast.no_email", n=len(seen.reach.without_email)), icon=":material/call:")
    ui.log_view("view.broadcast_no_email", f"event {event.id}")
    ui.table(pd.DataFrame(seen.reach.without_email, columns=[t("broadcast.col_name"), t("broadcast.col_phone")]),
             width="stretch")
if seen.count:
    st.button(t("broadcast.send"), type="primary", key=f"bc_send_{event.id}", on_click=ui.ask,
              args=("bc_send", event.id))
    ui.confirm("bc_send", event.id, t("broadcast.confirm", n=seen.count, event=ui.plain(event.title)),
               t("broadcast.yes"), send, event.id)
