import functools

import pandas as pd
import streamlit as st

import ui
from eventtool import events, registration
from eventtool.timeutil import to_local
from eventtool.vocab import RegStatus

t = ui.t
ui.guard("views/registrations_admin.py")
db = ui.get_db()
st.title(t("regs.title"))

rows = db.read(events.overview)
if not rows:
    st.info(t("events.none"))
    st.stop()
event_id, by_id = ui.choose_overview_event(rows, "regs_event")
label = lambda i: ui.overview_label(by_id[i])  # noqa: E731
info = by_id[event_id]
c1, c2, c3 = st.columns(3)
c1.metric(t("regs.confirmed"), f"{info['jobseekers']} / {info['capacity_jobseekers']}")
c2.metric(t("regs.waitlist"), info["waitlist"])
c3.metric(t("regs.employers"), f"{info['employers']} / {info['capacity_employers']}")

regs = db.read(registration.registrations_table, event_id)
if st.session_state.get("_logged_regs_view") != event_id:
    ui.log_access("view.registrations", f"event {event_id}")
    st.session_state._logged_regs_view = event_id
show_needs = st.toggle(t("regs.show_needs"), value=False, help=t("regs.show_needs_help"),
                       on_change=lambda: ui.log_access("view.support_needs", f"event {event_id}"))

def remember_selection(table_key: str, ids: list[int], chosen_key: str) -> None:
    """The table's selection is a row number; turn it into the id of the registration in that row
    as it was drawn (`ids` is bound when the table is drawn), so a list that re-sorts after an
    action never moves the choice to someone else."""
    rows = st.session_state[table_key].selection.rows
    st.session_state[chosen_key] = ids[rows[0]] if rows and rows[0] < len(ids) else None


def set_status(registration_id: int, status: str) -> None:
    if ui.run("regs_actions", registration.set_status, registration_id, status) is not None:
        st.session_state.flash = "regs.updated"


def move(registration_id: int, target_key: str) -> None:
    target = st.session_state.get(target_key)
    if target and ui.run("regs_actions", registration.move_registration, registration_id, target) is not None:
        st.session_state.flash = "regs.moved"


def add(event_id: int, prefix: str) -> None:
    s = st.session_state
    data = {"name": s[f"{prefix}_name"], "email": s[f"{prefix}_email"], "phone": s[f"{prefix}_phone"],
            "consent_registration": s[f"{prefix}_consent"], "consent_special": False}
    if ui.run(FORM, registration.add_walk_in, event_id, data) is not None:
        s.flash = "regs.added"
        for k in ("name", "email", "phone", "consent"):
            s.pop(f"{prefix}_{k}", None)


chosen_key = f"regs_chosen_{event_id}"
selected = None
if regs:
    ids = [r["id"] for r in regs]
    # A new table (and selection) whenever the order changes; it opens on the chosen registration.
    table_key = f"regs_table_{event_id}_{hash(tuple(ids)) & 0xffffffff:x}"
    chosen_id = st.session_state.get(chosen_key)
    df = pd.DataFrame(regs)
    df["party"] = df["party"].map(lambda p: t(f"party.{p}"))
    df["status"] = df["status"].map(lambda s: t(f"status.{s}"))
    df["source"] = df["source"].map(lambda s: t(f"source.{s}"))
    df["registered_at"] = df["registered_at"].map(lambda d: to_local(d).strftime("%d-%m-%Y %H:%M"))
    df["support_needs"] = df["support_needs"].map(lambda ns: ", ".join(t(f"need.{n}") for n in ns))
    if not show_needs:
        df = df.drop(columns=["support_needs"])
    ui.table(df.drop(columns=["id"]), width="stretch", key=table_key, selection_mode="single-row",
             on_select=functools.partial(remember_selection, table_key, ids, chosen_key),
             selection_default={"selection": {"rows": [ids.index(chosen_id)] if chosen_id in ids else []}},
             column_config={c: t(f"regs.col.{c}") for c in df.columns})
    selected = next((r for r in regs if r["id"] == st.session_state.get(chosen_key)), None)
else:
    st.info(t("regs.none"))

FORM = "walk_in"
if selected:
    rid = selected["id"]
    st.header(t("regs.selected", name=ui.plain(ui.person_label(selected["name"], selected["contact"]))))
    c1, c2, c3 = st.columns(3)
    for col, status in zip((c1, c2), (RegStatus.CONFIRMED, RegStatus.WAITLISTED)):
        if selected["status"] != status:
            col.button(t(f"regs.set_{status}"), key=f"set_{status}_{rid}", on_click=set_status, args=(rid, status.value))
    if selected["status"] != RegStatus.CANCELLED:
        c3.button(t("regs.set_cancelled"), key=f"set_cancelled_{rid}", on_click=ui.ask, args=("cancel_reg", rid))
    ui.confirm("cancel_reg", rid, t("regs.confirm_cancel", name=ui.plain(ui.person_label(selected["name"], selected["contact"])),
                                    event=ui.plain(label(event_id))),
               t("regs.confirm_cancel_yes"), set_status, rid, RegStatus.CANCELLED.value)
    others = [i for i in by_id if i != event_id and by_id[i]["status"] != "cancelled"]
    target_key = f"move_target_{rid}"
    st.selectbox(t("regs.move_to"), others, index=None, format_func=label, key=target_key, placeholder=t("form.choose"))
    if st.session_state.get(target_key):
        st.button(t("regs.move"), key=f"move_{rid}", on_click=move, args=(rid, target_key))
    ui.form_error_summary("regs_actions")

st.divider()
st.header(t("regs.add_title"))
st.caption(t("regs.add_help"))
prefix = f"wi_{event_id}"
with st.form(f"walk_in_form_{event_id}", enter_to_submit=False):
    ui.form_error_summary(FORM, {f: t(f"js.{f}") for f in ("name", "email", "phone", "consent_registration")})
    st.text_input(t("js.name"), key=f"{prefix}_name", max_chars=100)
    ui.field_error(FORM, "name")
    st.text_input(t("js.email"), key=f"{prefix}_email", max_chars=254, type="email", icon="", placeholder="")
    ui.field_error(FORM, "email")
    st.text_input(t("js.phone"), key=f"{prefix}_phone", max_chars=20, type="phone", icon="", placeholder="")
    ui.field_error(FORM, "phone")
    st.checkbox(t("regs.walk_in_consent"), key=f"{prefix}_consent", value=False)
    ui.field_error(FORM, "consent_registration")
    st.form_submit_button(t("regs.add"), on_click=add, args=(event_id, prefix), type="primary")
