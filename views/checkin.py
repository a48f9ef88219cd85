from datetime import datetime

import streamlit as st

import ui
from eventtool.core.i18n import format_clock, format_long_date
from eventtool.core.timeutil import to_local
from eventtool.dayof import checkin
from eventtool.events import events
from eventtool.registration import door

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


SCAN_KEY = f"ci_scan_{event_id}"


def scanned(event_id: int, key: str) -> None:
    """A handheld scanner typed a code and Enter (or staff typed one): check in at once, and empty the
    field for the next one."""
    typed = st.session_state.get(key) or ""
    st.session_state[key] = ""
    if typed.strip():
        st.session_state.ci_scanned = ui.run("ci_scan", checkin.scan, event_id, typed)


def photographed(event_id: int, key: str) -> None:
    """The door's camera took a photo: read the QR code in it and check in as a scan does."""
    photo = st.session_state.get(key)
    st.session_state.ci_camera_n = st.session_state.get("ci_camera_n", 0) + 1  # a fresh camera for the next one
    if photo is None:
        return
    code = door.read_image(photo.getvalue())
    st.session_state.ci_scanned = "camera_none" if code is None else ui.run("ci_scan", checkin.scan, event_id, code)


def answer(scan) -> None:
    """The answer to a scan, big and clear: a heading (h2, under the page's h1) in an alert, so a screen
    reader says it too."""
    if scan == "camera_none":
        st.warning(t("checkin.camera_none"))
        return
    if scan is None:
        return  # the verb failed: form_error_summary says why
    name = ui.plain(scan.name)
    if scan.outcome == "welcome":
        parts = [t("checkin.scan_welcome", name=name)]
        if scan.table:
            parts.append(t("checkin.scan_table", table=scan.table))
        if scan.companion:
            parts.append(t("checkin.scan_comes_along", who=t(f"companion.{scan.companion}")))
        st.success("## " + " – ".join(parts))
    elif scan.outcome == "already":
        st.info("## " + t("checkin.scan_already", name=name, time=format_clock(to_local(scan.since), ui.lang())))
    elif scan.outcome == "other_event":
        st.error("## " + t("checkin.scan_other_event", event=ui.plain(scan.event.title),
                            day=format_long_date(to_local(scan.event.starts_at), ui.lang())))
    elif scan.outcome in ("cancelled", "waitlisted"):
        st.error("## " + t("checkin.scan_cancelled" if scan.outcome == "cancelled" else "checkin.scan_waitlisted",
                            name=name))
    else:
        st.error("## " + t("checkin.scan_unknown"))


@st.fragment
def door_desk():
    """Only this part reruns on a scan or a tap: the door stays fast with hundreds of people."""
    st.text_input(t("checkin.scan"), key=SCAN_KEY, help=t("checkin.scan_help"), max_chars=100, autocomplete="off",
                  on_change=scanned, args=(event_id, SCAN_KEY))
    with st.expander(t("checkin.camera")):
        camera_key = f"ci_camera_{event_id}_{st.session_state.get('ci_camera_n', 0)}"
        st.camera_input(t("checkin.camera_label"), key=camera_key, on_change=photographed, args=(event_id, camera_key))
    ui.form_error_summary("ci_scan")
    if "ci_scanned" in st.session_state:
        answer(st.session_state.pop("ci_scanned"))
        ui.focus_field(t("checkin.scan"))
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


door_desk()



def mark_no_shows(event_id: int) -> None:
    n = ui.run("ci_after", checkin.mark_no_shows, event_id)
    if n is not None:
        st.session_state.ci_marked = n


def ticked_in(event_id: int, key: str) -> None:
    """The yes of "12 mensen binnen melden?": the chosen people of this event in one go; the list is
    empty afterwards (a new key)."""
    chosen = list(st.session_state.get(key) or [])
    n = ui.run("ci_tick", checkin.check_in_many, event_id, chosen)
    if n is not None:
        st.session_state[f"ci_tick_n_{event_id}"] = st.session_state.get(f"ci_tick_n_{event_id}", 0) + 1
        st.session_state.ci_tick_done = n


# The network was down: the paper door list was ticked; staff enter the ticks in one go.
with st.expander(t("checkin.tick_list")):
    st.caption(t("checkin.tick_list_help"))
    waiting = [r for r in db.read(checkin.door_list, event_id, "", 100_000) if not r.checked_in]
    labels = {r.registration_id: r.name + (f" · {r.detail}" if r.detail else "") for r in waiting}
    tick_key = f"ci_ticked_{event_id}_{st.session_state.get(f'ci_tick_n_{event_id}', 0)}"
    chosen = st.multiselect(t("checkin.tick_list_who"), list(labels), format_func=labels.get, key=tick_key)
    st.button(t("checkin.tick_list_button"), key=f"ci_tick_ask_{event_id}", disabled=not chosen,
              on_click=ui.ask, args=(f"ci_tick_{event_id}", event_id))
    ui.confirm(f"ci_tick_{event_id}", event_id, t("checkin.tick_list_ask", n=len(chosen)), t("checkin.tick_list_yes"),
               ticked_in, event_id, tick_key)
    ui.form_error_summary("ci_tick")
if "ci_tick_done" in st.session_state:
    st.success(t("checkin.tick_list_done", n=st.session_state.pop("ci_tick_done")))

with st.expander(t("checkin.walk_in"), expanded=bool(st.session_state.get(f"ciw_{event_id}_known"))):
    ui.walk_in_form(event_id, "ciw", f"ciw_{event_id}")

if event.ends_at < now:
    st.button(t("checkin.mark_no_shows"), key=f"ci_no_shows_{event_id}", on_click=mark_no_shows, args=(event_id,))
if "ci_marked" in st.session_state:
    st.success(t("checkin.marked", n=st.session_state.pop("ci_marked")))
ui.form_error_summary("ci_after")
