"""Berichten: what was sent to whom, what failed and why, and sending again."""
import pandas as pd
import streamlit as st

import ui
from eventtool.events import events
from eventtool.core.config import get_settings
from eventtool.messages import outbox
from eventtool.core.timeutil import fmt_local
from eventtool import sender

t = ui.t
ui.guard("views/messages_admin.py")
db = ui.get_db()
st.title(t("messages.title"))
st.write(t("messages.intro"))
if not get_settings().smtp_url:
    st.info(t("messages.no_smtp"), icon=":material/info:")

all_events = {e.id: e for e in db.read(events.list_events)}
choices = [None, *sorted(all_events, key=lambda i: all_events[i].starts_at)]
event_id = st.selectbox(t("messages.event"), choices, key="msg_event",
                        format_func=lambda i: t("messages.all_events") if i is None else ui.event_label(all_events[i]))
c = db.read(outbox.counts, event_id)
st.caption(t("messages.counts", **{s: c.get(s, 0) for s in ("queued", "sending", "sent", "failed")}))
status = st.radio(t("messages.show"), [None, "failed", "queued", "sent"], horizontal=True, key="msg_status",
                  format_func=lambda s: t("messages.show_all") if s is None else t(f"messages.status.{s}"))
messages = db.read(outbox.listing, event_id, status)
if not messages:
    st.info(t("messages.none"))
    st.stop()
viewed = f"event {event_id}" if event_id else "all"
ui.log_view("view.messages", viewed)

# A reason the sender names is a text key (shown in the staff member's language); a mail server's
# own answer is not one, and t() shows it as it came.
df = pd.DataFrame([{"created_at": fmt_local(m.created_at), "to": ui.person_label(m.to_name, m.to_address),
                    "kind": t(f"messages.kind.{m.kind}"), "subject": m.subject,
                    "status": t(f"messages.status.{m.status}"), "attempts": m.attempts, "error": t(m.last_error),
                    "sent_at": fmt_local(m.sent_at)} for m in messages])
ui.table(df, width="stretch", column_config={col: t(f"messages.col.{col}") for col in df.columns})

by_id = {m.id: m for m in messages}
chosen = st.selectbox(t("messages.choose"), list(by_id), key=f"msg_chosen_{event_id}_{status}",
                      format_func=lambda i: f"{fmt_local(by_id[i].created_at)} · {by_id[i].to_address} · {by_id[i].subject}")
message = by_id[chosen]


def resend(message_id: int) -> None:
    if ui.run("msg_resend", sender.resend, message_id) is not None:
        st.session_state.flash = "messages.resent"


with st.container(border=True):
    st.markdown(f"**{ui.plain(message.subject)}**")
    st.caption(f"{ui.plain(message.to_address)} · {t('messages.status.' + message.status)}"
               + (f" · {ui.plain(t(message.last_error))}" if message.last_error else ""))
    st.text(message.body_text)  # as plain text: nothing in it is drawn as markup
    if message.status in ("sent", "failed"):
        st.button(t("messages.resend"), key=f"msg_resend_{message.id}", on_click=resend, args=(message.id,))
    ui.form_error_summary("msg_resend")
