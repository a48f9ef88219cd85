from datetime import datetime

import streamlit as st

import ui
from eventtool import checkin, events, registration

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
        c1.markdown(f"**{ui.plain(row.name)}**{ui.plain(detail)} ({t('party.' + row.party)}){mark}")
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



def add_walk_in(event_id: int, prefix: str) -> None:
    s = st.session_state
    data = {"name": s[f"{prefix}_name"], "email": s[f"{prefix}_email"], "phone": s[f"{prefix}_phone"],
            "consent_registration": s[f"{prefix}_consent"], "consent_special": False}
    if ui.run("ciw", registration.add_walk_in, event_id, data) is not None:
        s.flash = "regs.added"
        for k in ("name", "email", "phone", "consent"):
            s.pop(f"{prefix}_{k}", None)


def mark_no_shows(event_id: int) -> None:
    n = ui.run("ci_after", checkin.mark_no_shows, event_id)
    if n is not None:
        st.session_state.ci_marked = n


with st.expander(t("checkin.walk_in")):
    prefix = f"ciw_{event_id}"
    with st.form(f"ciw_form_{event_id}", enter_to_submit=False):
        ui.form_error_summary("ciw", {f: t(f"js.{f}") for f in ("name", "email", "phone", "consent_registration")})
        st.text_input(t("js.name"), key=f"{prefix}_name", max_chars=100)
        ui.field_error("ciw", "name")
        st.text_input(t("js.email"), key=f"{prefix}_email", max_chars=254, type="email", icon="", placeholder="")
        ui.field_error("ciw", "email")
        st.text_input(t("js.phone"), key=f"{prefix}_phone", max_chars=20, type="phone", icon="", placeholder="")
        ui.field_error("ciw", "phone")
        st.checkbox(t("regs.walk_in_consent"), key=f"{prefix}_consent", value=False)
        ui.field_error("ciw", "consent_registration")
        st.form_submit_button(t("regs.add"), on_click=add_walk_in, args=(event_id, prefix), type="primary")

if event.ends_at < now:
    st.button(t("checkin.mark_no_shows"), key=f"ci_no_shows_{event_id}", on_click=mark_no_shows, args=(event_id,))
if "ci_marked" in st.session_state:
    st.success(t("checkin.marked", n=st.session_state.pop("ci_marked")))
ui.form_error_summary("ci_after")
