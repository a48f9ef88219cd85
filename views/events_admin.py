from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

import ui
from eventtool.events import events
from eventtool.core.config import TZ
from eventtool.core.timeutil import to_local
from eventtool.core.vocab import REGIONS, Audience, EventKind, EventStatus
from eventtool.registration import event_changes

t = ui.t
ui.guard("views/events_admin.py")
db = ui.get_db()
st.title(t("events.title"))


LABELS = {f: t(f"event.{f}") for f in ("kind", "title", "description", "venue_name", "address", "city", "region",
                                        "accessibility_notes", "quiet_room", "toilets", "lift", "capacity_jobseekers", "capacity_employers", "status")}
LABELS |= {"starts_at": t("event.start"), "ends_at": t("event.end"), "registration_deadline": t("event.deadline"),
           "wishes_until": t("event.wishes_until"),
           "audience": t("programme.audience")}


def event_fields(prefix: str, event=None) -> None:
    """The event form's widgets; values land in session_state under prefix_*."""
    start = to_local(event.starts_at) if event else datetime.now(TZ).replace(hour=13, minute=0) + timedelta(days=14)
    end = to_local(event.ends_at) if event else start.replace(hour=16)
    deadline = to_local(event.registration_deadline) if event and event.registration_deadline else None
    kinds = list(EventKind)
    st.selectbox(t("event.kind"), kinds, index=kinds.index(EventKind(event.kind)) if event else 0,
                 format_func=lambda k: t(f"kind.{k}"), key=f"{prefix}_kind")
    st.text_input(t("event.title"), value=event.title if event else "", max_chars=120, key=f"{prefix}_title")
    ui.field_error(prefix, "title")
    st.text_area(t("event.description"), value=event.description if event else "", max_chars=4000,
                 key=f"{prefix}_description")
    ui.field_error(prefix, "description")
    c1, c2, c3 = st.columns(3)
    c1.date_input(t("event.date"), value=start.date(), key=f"{prefix}_date", format="DD-MM-YYYY")
    c2.time_input(t("event.start"), value=start.time(), key=f"{prefix}_start", step=timedelta(minutes=15))
    c3.time_input(t("event.end"), value=end.time(), key=f"{prefix}_end", step=timedelta(minutes=15))
    ui.field_error(prefix, "starts_at")
    ui.field_error(prefix, "ends_at")
    st.date_input(t("event.deadline"), value=deadline.date() if deadline else None, key=f"{prefix}_deadline",
                  format="DD-MM-YYYY", help=t("event.deadline_help"))
    ui.field_error(prefix, "registration_deadline")
    # Speedmeets: employers mark "graag spreken" / "liever niet" on the shared profile cards until then.
    wishes = to_local(event.wishes_until) if event and event.wishes_until else None
    st.date_input(t("event.wishes_until"), value=wishes.date() if wishes else None, key=f"{prefix}_wishes_until",
                  format="DD-MM-YYYY", help=t("event.wishes_until_help"))
    ui.field_error(prefix, "wishes_until")
    c1, c2 = st.columns(2)
    c1.number_input(t("event.capacity_jobseekers"), 0, 100_000, event.capacity_jobseekers if event else 50,
                    key=f"{prefix}_capacity_jobseekers")
    c2.number_input(t("event.capacity_employers"), 0, 10_000, event.capacity_employers if event else 10,
                    key=f"{prefix}_capacity_employers")
    ui.field_error(prefix, "capacity_jobseekers")
    st.checkbox(t("event.companions_count"), value=event.companions_count if event else False,
                key=f"{prefix}_companions_count", help=t("event.companions_count_help"))
    st.text_input(t("event.venue_name"), value=event.venue_name if event else "", max_chars=120, key=f"{prefix}_venue_name")
    st.text_input(t("event.address"), value=event.address if event else "", max_chars=200, key=f"{prefix}_address")
    c1, c2 = st.columns(2)
    c1.text_input(t("event.city"), value=event.city if event else "", max_chars=80, key=f"{prefix}_city")
    c2.selectbox(t("event.region"), REGIONS, index=REGIONS.index(event.region) if event and event.region in REGIONS else None,
                 key=f"{prefix}_region", placeholder=t("form.optional"))
    st.text_area(t("event.accessibility_notes"), value=event.accessibility_notes if event else "", max_chars=1000,
                 key=f"{prefix}_accessibility_notes", help=t("event.accessibility_help"))
    ui.field_error(prefix, "accessibility_notes")
    # Where the facilities are: printed on a job fair's floor list (plattegrond).
    st.caption(t("event.facilities_help"))
    c1, c2, c3 = st.columns(3)
    for col, name in zip((c1, c2, c3), ("quiet_room", "toilets", "lift")):
        col.text_input(t(f"event.{name}"), value=getattr(event, name) if event else "", max_chars=200,
                       key=f"{prefix}_{name}")
        with col:
            ui.field_error(prefix, name)
    statuses = [s for s in EventStatus if s != EventStatus.CANCELLED]
    current = EventStatus(event.status) if event and event.status != EventStatus.CANCELLED else EventStatus.DRAFT
    st.radio(t("event.status"), statuses, index=statuses.index(current), format_func=lambda s: t(f"event_status.{s}"),
             key=f"{prefix}_status", horizontal=True)


def event_data(prefix: str) -> dict:
    """What the form drawn under `prefix` holds (read in a callback, from that form's own keys)."""
    s = st.session_state
    day = s[f"{prefix}_date"]
    deadline = s.get(f"{prefix}_deadline")
    wishes = s.get(f"{prefix}_wishes_until")
    return {
        "kind": s[f"{prefix}_kind"], "title": s[f"{prefix}_title"], "description": s[f"{prefix}_description"],
        "starts_at": datetime.combine(day, s[f"{prefix}_start"]) if day else None,
        "ends_at": datetime.combine(day, s[f"{prefix}_end"]) if day else None,
        "registration_deadline": datetime.combine(deadline, time(23, 59)) if deadline else None,
        "wishes_until": datetime.combine(wishes, time(23, 59)) if wishes else None,
        "capacity_jobseekers": s[f"{prefix}_capacity_jobseekers"], "capacity_employers": s[f"{prefix}_capacity_employers"],
        "companions_count": bool(s.get(f"{prefix}_companions_count")),
        "venue_name": s[f"{prefix}_venue_name"], "address": s[f"{prefix}_address"], "city": s[f"{prefix}_city"],
        "region": s[f"{prefix}_region"], "accessibility_notes": s[f"{prefix}_accessibility_notes"],
        "quiet_room": s[f"{prefix}_quiet_room"], "toilets": s[f"{prefix}_toilets"], "lift": s[f"{prefix}_lift"],
        "status": s[f"{prefix}_status"],
    }



# ---- actions: each gets the id of the record its form or button was drawn for -----------------


def create(prefix: str) -> None:
    if ui.run(prefix, events.create_event, event_data(prefix)) is not None:
        st.session_state.flash = "events.created"
        # A new, empty form for the next event (no title or times carried over).
        st.session_state.ev_new_form = st.session_state.get("ev_new_form", 0) + 1


def create_series(prefix: str) -> None:
    s = st.session_state
    first_day = s[f"{prefix}_date"]
    rule = events.SeriesRule(s[f"{prefix}_freq"], weekday=first_day.weekday() if first_day else 0,
                             interval=s[f"{prefix}_interval"],
                             setpos=s[f"{prefix}_setpos"] if s[f"{prefix}_freq"] == "MONTHLY" else None,
                             count=s[f"{prefix}_count"])
    if ui.run(prefix, events.create_series, event_data(prefix), rule) is not None:
        s.flash = "events.series_created"
        s.ev_series_form = s.get("ev_series_form", 0) + 1


def save(event_id: int, form_key: str, scope_key: str) -> None:
    fn = event_changes.update_following if st.session_state.get(scope_key) == "following" else event_changes.update_event
    if ui.run(form_key, fn, event_id, event_data(form_key)) is not None:
        st.session_state.flash = "events.saved"


def cancel_event(event_id: int) -> None:
    if ui.run("edit_actions", event_changes.set_status, event_id, EventStatus.CANCELLED) is not None:
        st.session_state.flash = "events.cancelled"


def delete_event(event_id: int) -> None:
    ui.run("edit_actions", event_changes.delete_event, event_id)  # returns nothing: success is no error
    if not ui.errors("edit_actions"):
        st.session_state.pop("edit_event", None)
        st.session_state.flash = "events.deleted"


def add_block(event_id: int, prefix: str) -> None:
    s = st.session_state
    day = db.read(events.local_day, event_id)
    data = {"title": s[f"{prefix}_title"], "audience": s[f"{prefix}_audience"],
            "starts_at": datetime.combine(day, s[f"{prefix}_start"]), "ends_at": datetime.combine(day, s[f"{prefix}_end"])}
    if ui.run("programme", events.add_block, event_id, data) is not None:
        s.flash = "programme.added"
        s.pop(f"{prefix}_title", None)


def remove_block(block_id: int) -> None:
    ui.run("programme", events.remove_block, block_id)  # returns nothing: success is no error
    if not ui.errors("programme"):
        st.session_state.flash = "programme.removed"


# ---- the page ----------------------------------------------------------------------------------

TABS = [t("events.tab_list"), t("events.tab_new"), t("events.tab_series"), t("events.tab_edit"), t("events.tab_programme")]
tab_list, tab_new, tab_series, tab_edit, tab_programme = ui.tabs("ev_tab", TABS)

rows = db.read(event_changes.overview)
if tab_list.open:
    with tab_list:
        if rows:
            df = pd.DataFrame(rows)
            df["starts_at"] = df["starts_at"].map(lambda d: to_local(d).strftime("%d-%m-%Y %H:%M"))
            df["kind"] = df["kind"].map(lambda k: t(f"kind.{k}"))
            df["status"] = df["status"].map(lambda s: t(f"event_status.{s}"))
            ui.table(df.drop(columns=["series_id"]), width="stretch",
                     column_config={c: t(f"events.col.{c}") for c in df.columns if c != "series_id"})
        else:
            st.info(t("events.none"))

if tab_new.open:
    with tab_new:
        prefix = f"new_event_{st.session_state.get('ev_new_form', 0)}"
        with st.form(f"{prefix}_form", enter_to_submit=False):
            ui.form_error_summary(prefix, LABELS)
            event_fields(prefix)
            st.form_submit_button(t("events.create"), on_click=create, args=(prefix,), type="primary")

if tab_series.open:
    with tab_series:
        prefix = f"series_{st.session_state.get('ev_series_form', 0)}"
        with st.form(f"{prefix}_form", enter_to_submit=False):
            ui.form_error_summary(prefix, LABELS)
            event_fields(prefix)
            c1, c2, c3, c4 = st.columns(4)
            c1.selectbox(t("series.freq"), ["MONTHLY", "WEEKLY"], format_func=lambda f: t(f"series.freq_{f}"),
                         key=f"{prefix}_freq")
            c2.number_input(t("series.interval"), 1, 12, 1, key=f"{prefix}_interval")
            c3.selectbox(t("series.setpos"), [1, 2, 3, 4, -1], format_func=lambda p: t(f"series.pos_{p}"),
                         key=f"{prefix}_setpos", help=t("series.setpos_help"))
            c4.number_input(t("series.count"), 1, events.MAX_OCCURRENCES, 10, key=f"{prefix}_count")
            st.form_submit_button(t("series.create"), on_click=create_series, args=(prefix,), type="primary")

if tab_edit.open:
    with tab_edit:
        if not rows:
            st.info(t("events.none"))
        else:
            edit_id, by_id = ui.choose_overview_event(rows, "edit_event")
            edited = db.read(events.get_event, edit_id)
            info = by_id[edit_id]
            if edited.status == EventStatus.CANCELLED:
                st.warning(t("events.is_cancelled"))
            scope_key = f"edit_scope_{edited.id}"
            if edited.series_id:
                st.radio(t("events.scope"), ["one", "following"], format_func=lambda s: t(f"events.scope_{s}"),
                         horizontal=True, key=scope_key)
            # The form's key holds the id (and version) of the event it shows.
            form_key = f"edit_{edited.id}_{edited.sequence}"
            with st.form(f"form_{form_key}", enter_to_submit=False):
                ui.form_error_summary(form_key, LABELS)
                event_fields(form_key, edited)
                st.form_submit_button(t("events.save"), on_click=save, args=(edited.id, form_key, scope_key),
                                      type="primary")
            c1, c2 = st.columns(2)
            if edited.status != EventStatus.CANCELLED:
                c1.button(t("events.cancel_event"), key=f"cancel_event_{edited.id}", on_click=ui.ask,
                          args=("cancel_event", edited.id))
            if edited.status == EventStatus.DRAFT:
                c2.button(t("events.delete"), key=f"delete_event_{edited.id}", on_click=ui.ask,
                          args=("delete_event", edited.id))
            what = ui.plain(ui.event_label(edited))
            people = t("events.confirm_people", jobseekers=t("count.jobseekers", n=info["jobseekers"]),
                       waitlist=info["waitlist"], employers=t("count.employers", n=info["employers"]))
            question = "events.confirm_cancel_date" if edited.series_id else "events.confirm_cancel"
            ui.confirm("cancel_event", edited.id, t(question, event=what, people=people),
                       t("events.confirm_cancel_yes"), cancel_event, edited.id)
            ui.confirm("delete_event", edited.id, t("events.confirm_delete", event=what),
                       t("events.confirm_delete_yes"), delete_event, edited.id)
            ui.form_error_summary("edit_actions")

if tab_programme.open:
    with tab_programme:
        if rows:
            programme_id, _ = ui.choose_overview_event(rows, "programme_event", default_last=False)
            shown = db.read(events.get_event, programme_id)
            for block in db.read(events.list_blocks, programme_id):
                c1, c2 = st.columns([5, 1])
                c1.markdown(f"{to_local(block.starts_at):%H:%M}–{to_local(block.ends_at):%H:%M} · {ui.plain(block.title)}"
                            f" ({t('audience.' + block.audience)})")
                c2.button(t("programme.remove"), key=f"rm_block_{block.id}", on_click=remove_block, args=(block.id,))
            prefix = f"block_{programme_id}"
            with st.form(f"{prefix}_form", enter_to_submit=False):
                ui.form_error_summary("programme", LABELS)
                st.text_input(t("programme.block_title"), key=f"{prefix}_title", max_chars=120)
                ui.field_error("programme", "title")
                st.selectbox(t("programme.audience"), list(Audience), format_func=lambda a: t(f"audience.{a}"),
                             key=f"{prefix}_audience")
                c1, c2 = st.columns(2)
                c1.time_input(t("event.start"), value=to_local(shown.starts_at).time(), key=f"{prefix}_start",
                              step=timedelta(minutes=15))
                c2.time_input(t("event.end"), value=to_local(shown.ends_at).time(), key=f"{prefix}_end",
                              step=timedelta(minutes=15))
                ui.field_error("programme", "starts_at")
                ui.field_error("programme", "ends_at")
                st.form_submit_button(t("programme.add"), on_click=add_block, args=(programme_id, prefix), type="primary")
