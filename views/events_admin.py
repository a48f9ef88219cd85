from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

import ui
from eventtool import events
from eventtool.config import TZ
from eventtool.timeutil import to_local
from eventtool.vocab import REGIONS, Audience, EventKind, EventStatus

t = ui.t
ui.guard("views/events_admin.py")
db = ui.get_db()
st.title(t("events.title"))


LABELS = {f: t(f"event.{f}") for f in ("kind", "title", "description", "venue_name", "address", "city", "region",
                                        "accessibility_notes", "capacity_jobseekers", "capacity_employers", "status")}
LABELS |= {"starts_at": t("event.start"), "ends_at": t("event.end"), "registration_deadline": t("event.deadline"),
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
    c1, c2 = st.columns(2)
    c1.number_input(t("event.capacity_jobseekers"), 0, 100_000, event.capacity_jobseekers if event else 50,
                    key=f"{prefix}_capacity_jobseekers")
    c2.number_input(t("event.capacity_employers"), 0, 10_000, event.capacity_employers if event else 10,
                    key=f"{prefix}_capacity_employers")
    ui.field_error(prefix, "capacity_jobseekers")
    st.text_input(t("event.venue_name"), value=event.venue_name if event else "", max_chars=120, key=f"{prefix}_venue_name")
    st.text_input(t("event.address"), value=event.address if event else "", max_chars=200, key=f"{prefix}_address")
    c1, c2 = st.columns(2)
    c1.text_input(t("event.city"), value=event.city if event else "", max_chars=80, key=f"{prefix}_city")
    c2.selectbox(t("event.region"), REGIONS, index=REGIONS.index(event.region) if event and event.region in REGIONS else None,
                 key=f"{prefix}_region", placeholder=t("form.optional"))
    st.text_area(t("event.accessibility_notes"), value=event.accessibility_notes if event else "", max_chars=1000,
                 key=f"{prefix}_accessibility_notes", help=t("event.accessibility_help"))
    ui.field_error(prefix, "accessibility_notes")
    statuses = [s for s in EventStatus if s != EventStatus.CANCELLED]
    current = EventStatus(event.status) if event and event.status != EventStatus.CANCELLED else EventStatus.DRAFT
    st.radio(t("event.status"), statuses, index=statuses.index(current), format_func=lambda s: t(f"event_status.{s}"),
             key=f"{prefix}_status", horizontal=True)


def event_data(prefix: str) -> dict:
    s = st.session_state
    day = s[f"{prefix}_date"]
    deadline = s.get(f"{prefix}_deadline")
    return {
        "kind": s[f"{prefix}_kind"], "title": s[f"{prefix}_title"], "description": s[f"{prefix}_description"],
        "starts_at": datetime.combine(day, s[f"{prefix}_start"]) if day else None,
        "ends_at": datetime.combine(day, s[f"{prefix}_end"]) if day else None,
        "registration_deadline": datetime.combine(deadline, time(23, 59)) if deadline else None,
        "capacity_jobseekers": s[f"{prefix}_capacity_jobseekers"], "capacity_employers": s[f"{prefix}_capacity_employers"],
        "venue_name": s[f"{prefix}_venue_name"], "address": s[f"{prefix}_address"], "city": s[f"{prefix}_city"],
        "region": s[f"{prefix}_region"], "accessibility_notes": s[f"{prefix}_accessibility_notes"],
        "status": s[f"{prefix}_status"],
    }


tab_list, tab_new, tab_series, tab_edit, tab_programme = st.tabs(
    [t("events.tab_list"), t("events.tab_new"), t("events.tab_series"), t("events.tab_edit"), t("events.tab_programme")])

rows = db.read(events.overview)
with tab_list:
    if rows:
        df = pd.DataFrame(rows)
        df["starts_at"] = df["starts_at"].map(lambda d: to_local(d).strftime("%d-%m-%Y %H:%M"))
        df["kind"] = df["kind"].map(lambda k: t(f"kind.{k}"))
        df["status"] = df["status"].map(lambda s: t(f"event_status.{s}"))
        st.dataframe(df.drop(columns=["series_id"]), hide_index=True, width="stretch",
                     column_config={c: t(f"events.col.{c}") for c in df.columns if c != "series_id"})
    else:
        st.info(t("events.none"))

with tab_new:
    def create():
        created = ui.run("new_event", events.create_event, event_data("new_event"))
        if created is not None:
            st.session_state.flash = "events.created"
            st.session_state.edit_event = created.id
    with st.form("new_event_form", enter_to_submit=False):
        ui.form_error_summary("new_event", LABELS)
        event_fields("new_event")
        st.form_submit_button(t("events.create"), on_click=create, type="primary")

with tab_series:
    def create_series():
        s = st.session_state
        rule = events.SeriesRule(s.series_freq, weekday=s.series_date.weekday() if s.series_date else 0,
                                 interval=s.series_interval, setpos=s.series_setpos if s.series_freq == "MONTHLY" else None,
                                 count=s.series_count)
        if ui.run("series", events.create_series, event_data("series"), rule) is not None:
            st.session_state.flash = "events.series_created"
    with st.form("series_form", enter_to_submit=False):
        ui.form_error_summary("series", LABELS)
        event_fields("series")
        c1, c2, c3, c4 = st.columns(4)
        c1.selectbox(t("series.freq"), ["MONTHLY", "WEEKLY"], format_func=lambda f: t(f"series.freq_{f}"), key="series_freq")
        c2.number_input(t("series.interval"), 1, 12, 1, key="series_interval")
        c3.selectbox(t("series.setpos"), [1, 2, 3, 4, -1], format_func=lambda p: t(f"series.pos_{p}"), key="series_setpos",
                     help=t("series.setpos_help"))
        c4.number_input(t("series.count"), 1, events.MAX_OCCURRENCES, 10, key="series_count")
        st.form_submit_button(t("series.create"), on_click=create_series, type="primary")

with tab_edit:
    if not rows:
        st.info(t("events.none"))
    else:
        by_id = {r["id"]: r for r in rows}
        ids = list(by_id)
        current = st.session_state.get("edit_event")
        event_id = st.selectbox(t("events.choose"), ids, index=ids.index(current) if current in by_id else len(ids) - 1,
                                format_func=lambda i: f"{to_local(by_id[i]['starts_at']):%d-%m-%Y} · {by_id[i]['title']}",
                                key="edit_event")
        event = db.read(events.get_event, event_id)
        if event.status == EventStatus.CANCELLED:
            st.warning(t("events.is_cancelled"))
        scope = "one"
        if event.series_id:
            scope = st.radio(t("events.scope"), ["one", "following"], format_func=lambda s: t(f"events.scope_{s}"),
                             horizontal=True, key="edit_scope")
        form_key = f"edit_{event.id}_{event.sequence}"

        def save():
            fn = events.update_following if scope == "following" else events.update_event
            if ui.run(form_key, fn, event.id, event_data(form_key)) is not None:
                st.session_state.flash = "events.saved"
        with st.form(f"form_{form_key}", enter_to_submit=False):
            ui.form_error_summary(form_key, LABELS)
            event_fields(form_key, event)
            st.form_submit_button(t("events.save"), on_click=save, type="primary")
        c1, c2 = st.columns(2)
        if event.status != EventStatus.CANCELLED and c1.button(t("events.cancel_event"), key="cancel_event"):
            if ui.run("edit_actions", events.set_status, event.id, EventStatus.CANCELLED) is not None:
                st.session_state.flash = "events.cancelled"
                st.rerun()
        if event.status == EventStatus.DRAFT and c2.button(t("events.delete"), key="delete_event"):
            if ui.run("edit_actions", events.delete_event, event.id) is not None:
                st.session_state.pop("edit_event", None)
                st.session_state.flash = "events.deleted"
                st.rerun()
        ui.form_error_summary("edit_actions")

with tab_programme:
    if rows:
        by_id = {r["id"]: r for r in rows}
        event_id = st.selectbox(t("events.choose"), list(by_id), key="programme_event",
                                format_func=lambda i: f"{to_local(by_id[i]['starts_at']):%d-%m-%Y} · {by_id[i]['title']}")
        event = db.read(events.get_event, event_id)
        blocks = db.read(events.list_blocks, event_id)
        for block in blocks:
            c1, c2 = st.columns([5, 1])
            c1.markdown(f"{to_local(block.starts_at):%H:%M}–{to_local(block.ends_at):%H:%M} · {ui.plain(block.title)}"
                        f" ({t('audience.' + block.audience)})")
            if c2.button(t("programme.remove"), key=f"rm_block_{block.id}"):
                ui.run("programme", events.remove_block, block.id)
                st.rerun()

        def add_block():
            s = st.session_state
            day = to_local(event.starts_at).date()
            data = {"title": s.block_title, "audience": s.block_audience,
                    "starts_at": datetime.combine(day, s.block_start), "ends_at": datetime.combine(day, s.block_end)}
            if ui.run("programme", events.add_block, event.id, data) is not None:
                s.flash = "programme.added"
        with st.form("block_form", enter_to_submit=False):
            ui.form_error_summary("programme", LABELS)
            st.text_input(t("programme.block_title"), key="block_title", max_chars=120)
            ui.field_error("programme", "title")
            st.selectbox(t("programme.audience"), list(Audience), format_func=lambda a: t(f"audience.{a}"), key="block_audience")
            c1, c2 = st.columns(2)
            c1.time_input(t("event.start"), value=to_local(event.starts_at).time(), key="block_start", step=timedelta(minutes=15))
            c2.time_input(t("event.end"), value=to_local(event.ends_at).time(), key="block_end", step=timedelta(minutes=15))
            ui.field_error("programme", "starts_at")
            ui.field_error("programme", "ends_at")
            st.form_submit_button(t("programme.add"), on_click=add_block, type="primary")
