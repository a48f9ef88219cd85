from datetime import datetime

import streamlit as st

import ui
from eventtool.dayof import checkin
from eventtool.events import events

t = ui.t
ui.guard("views/checkin.py")
db = ui.get_db()
st.title(t("checkin.title"))

# The door page opens on the event that is on now, or else the next one.
event = ui.choose_event([e for e in db.read(events.list_events) if e.status == "published"], "ci_event", "events.none")
event_id = event.id
now = datetime.now(event.ends_at.tzinfo)


def tap(action, registration_id: int, message: str) -> None:
    """A tap runs before the (fragment) rerun, so the list and counts show its result at once."""
    ui.run("ci", action, registration_id)
    st.session_state.ci_message = message


@st.fragment
def door():
    """Only this part reruns on a tap: the door stays fast with hundreds of people."""
    c = db.read(checkin.counts, event_id)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("checkin.expected"), c.expected)
    m2.metric(t("checkin.present"), c.present)
    m3.metric(t("checkin.not_yet"), c.not_yet)
    m4.metric(t("checkin.no_show"), c.no_show)
    query = st.text_input(t("checkin.search"), key="ci_query", help=t("checkin.search_help"), max_chars=100)
    rows = db.read(checkin.door_list, event_id, query, 30)
    if not rows:
        st.info(t("checkin.none_found"))
    for row in rows:
        c1, c2 = st.columns([4, 1])
        detail = f" · {row.detail}" if row.detail else ""
        mark = f" · ✓ {t('checkin.arrived')}" if row.checked_in else ""
        along = ""
        if row.companion:  # one row, one tap: the person and who comes with them arrive together
            along = " · " + t("checkin.with_companion", who=t(f"companion.{row.companion[0]}"),
                              name=ui.plain(row.companion[1])).strip()
        c1.markdown(f"**{ui.plain(row.name)}**{ui.plain(detail)} ({t('party.' + row.party)}){along}{mark}")
        if row.checked_in:
            c2.button(t("checkin.undo"), key=f"ci_undo_{row.registration_id}", on_click=tap,
                      args=(checkin.undo_check_in, row.registration_id, t("checkin.undone", name=ui.plain(row.name))))
        else:
            c2.button(t("checkin.check_in"), key=f"ci_in_{row.registration_id}", type="primary", on_click=tap,
                      args=(checkin.check_in, row.registration_id, t("checkin.done", name=ui.plain(row.name))))
    ui.form_error_summary("ci")
    message = st.session_state.pop("ci_message", None)
    if message and not ui.errors("ci"):
        st.toast(message)


door()



def mark_no_shows(event_id: int) -> None:
    n = ui.run("ci_after", checkin.mark_no_shows, event_id)
    if n is not None:
        st.session_state.ci_marked = n


with st.expander(t("checkin.walk_in"), expanded=bool(st.session_state.get(f"ciw_{event_id}_known"))):
    ui.walk_in_form(event_id, "ciw", f"ciw_{event_id}")

if event.ends_at < now:
    st.button(t("checkin.mark_no_shows"), key=f"ci_no_shows_{event_id}", on_click=mark_no_shows, args=(event_id,))
if "ci_marked" in st.session_state:
    st.success(t("checkin.marked", n=st.session_state.pop("ci_marked")))
ui.form_error_summary("ci_after")
