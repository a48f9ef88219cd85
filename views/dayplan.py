from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

import ui
from eventtool.dayof import dayplan
from eventtool.events import events
from eventtool.core.timeutil import fmt_local, to_local
from eventtool.core.vocab import Audience, EventKind

t = ui.t
ui.guard("views/dayplan.py")
db = ui.get_db()
st.title(t("dayplan.title"))

candidates = [e for e in db.read(events.list_events) if e.kind in (EventKind.JOB_FAIR, EventKind.MEET_GREET)
              and e.status != "cancelled"]
event = ui.choose_event(candidates, "dp_event", "dayplan.none")
event_id = event.id



def add_slot(event_id: int, prefix: str) -> None:
    s = st.session_state
    day = db.read(events.local_day, event_id)
    data = {"starts_at": datetime.combine(day, s[f"{prefix}_start"]), "ends_at": datetime.combine(day, s[f"{prefix}_end"]),
            "capacity": s[f"{prefix}_capacity"], "audience": s[f"{prefix}_audience"]}
    if ui.run("dp_slots", dayplan.add_arrival_slot, event_id, data) is not None:
        s.flash = "dayplan.slot_added"


def remove_slot(slot_id: int) -> None:
    ui.run("dp_slots", dayplan.remove_arrival_slot, slot_id)


def assign(event_id: int) -> None:
    """Bound to the event whose button was pressed; its counts are shown with that event only."""
    result = ui.run("dp_slots", dayplan.assign_arrival_slots, event_id)
    if result is not None:
        st.session_state[f"dp_assigned_{event_id}"] = (result.assigned, result.unassigned)


if event.kind == EventKind.JOB_FAIR:
    st.header(t("dayplan.slots"))
    st.caption(t("dayplan.slots_help"))
    slots = db.read(dayplan.list_arrival_slots, event_id)
    for slot in slots:
        c1, c2 = st.columns([5, 1])
        c1.write(f"{fmt_local(slot.starts_at, with_date=False)}–{fmt_local(slot.ends_at, with_date=False)} · "
                 f"{t('audience.' + slot.audience)} · {slot.capacity} {t('dayplan.col.capacity').lower()}")
        c2.button(t("dayplan.remove_slot"), key=f"dp_rm_{slot.id}", on_click=remove_slot, args=(slot.id,))

    prefix = f"dp_{event_id}"
    with st.form(f"dp_slot_form_{event_id}", enter_to_submit=False):
        ui.form_error_summary("dp_slots", {"starts_at": t("dayplan.slot_start"), "ends_at": t("dayplan.slot_end"),
                                           "capacity": t("dayplan.capacity")})
        c1, c2, c3, c4 = st.columns(4)
        c1.time_input(t("dayplan.slot_start"), to_local(event.starts_at).time(), key=f"{prefix}_start", step=timedelta(minutes=15))
        c2.time_input(t("dayplan.slot_end"), (to_local(event.starts_at) + timedelta(hours=1)).time(), key=f"{prefix}_end",
                      step=timedelta(minutes=15))
        c3.number_input(t("dayplan.capacity"), 1, 100_000, 50, key=f"{prefix}_capacity")
        c4.selectbox(t("dayplan.audience"), [a for a in Audience if a != Audience.EMPLOYERS],
                     format_func=lambda a: t(f"audience.{a}"), key=f"{prefix}_audience")
        st.form_submit_button(t("dayplan.add_slot"), on_click=add_slot, args=(event_id, prefix))

    if slots:
        st.button(t("dayplan.assign"), type="primary", key=f"dp_assign_{event_id}", on_click=assign, args=(event_id,))
    assigned = st.session_state.pop(f"dp_assigned_{event_id}", None)
    if assigned is not None:
        st.success(t("dayplan.assigned", assigned=t("dayplan.assigned_people", n=assigned[0]), unassigned=assigned[1]))
    arrivals = db.read(dayplan.arrival_list, event_id)
    if arrivals and any(a["slot_id"] for a in arrivals):
        st.header(t("dayplan.arrivals"))
        df = pd.DataFrame([{**a, "starts_at": fmt_local(a["starts_at"], with_date=False)} for a in arrivals])
        df = df.drop(columns=["slot_id"])
        ui.table(df, column_config={c: t(f"dayplan.col.{c}") for c in df.columns})

    st.header(t("dayplan.visitors"))
    for org, people in db.read(dayplan.employer_visitors, event_id).items():
        with st.expander(f"{ui.plain(org)} ({len(people)})"):
            st.text("\n".join(people) if people else t("dayplan.no_visitors"))
else:
    st.header(t("dayplan.tables"))
    size = st.number_input(t("dayplan.table_size"), 2, 30, 6, key=f"dp_table_size_{event_id}")
    groups = ui.run("dp_tables", dayplan.table_groups, event_id, int(size), write=False) or []
    ui.form_error_summary("dp_tables")
    cols = st.columns(3)
    for i, group in enumerate(groups):
        with cols[i % 3].container(border=True):
            title = t(f"sector.{group.sector}") if group.sector else t("dayplan.other")
            st.markdown(f"**{title} · {t('dayplan.table', n=group.table)}**")
            if group.employers:
                st.caption(ui.plain(", ".join(group.employers)))
            st.text("\n".join(group.jobseekers))
