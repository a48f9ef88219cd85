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
by_id = {r["id"]: r for r in rows}
label = lambda i: f"{to_local(by_id[i]['starts_at']):%d-%m-%Y} · {by_id[i]['title']}"  # noqa: E731
event_id = st.selectbox(t("events.choose"), list(by_id), key="regs_event", format_func=label,
                        index=len(by_id) - 1)
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
selected = None
if regs:
    df = pd.DataFrame(regs)
    df["party"] = df["party"].map(lambda p: t(f"party.{p}"))
    df["status"] = df["status"].map(lambda s: t(f"status.{s}"))
    df["source"] = df["source"].map(lambda s: t(f"source.{s}"))
    df["registered_at"] = df["registered_at"].map(lambda d: to_local(d).strftime("%d-%m-%Y %H:%M"))
    df["support_needs"] = df["support_needs"].map(lambda ns: ", ".join(t(f"need.{n}") for n in ns))
    if not show_needs:
        df = df.drop(columns=["support_needs"])
    event_df = st.dataframe(df.drop(columns=["id"]), hide_index=True, width="stretch", on_select="rerun",
                            selection_mode="single-row", key="regs_table",
                            column_config={c: t(f"regs.col.{c}") for c in df.columns})
    picked = event_df.selection.rows
    selected = regs[picked[0]] if picked else None
else:
    st.info(t("regs.none"))

if selected:
    st.subheader(t("regs.selected", name=ui.plain(selected["name"])))
    c1, c2, c3 = st.columns(3)
    for col, status in zip((c1, c2, c3), (RegStatus.CONFIRMED, RegStatus.WAITLISTED, RegStatus.CANCELLED)):
        if selected["status"] != status and col.button(t(f"regs.set_{status}"), key=f"set_{status}"):
            if ui.run("regs_actions", registration.set_status, selected["id"], status) is not None:
                st.session_state.flash = "regs.updated"
                st.rerun()
    others = [i for i in by_id if i != event_id and by_id[i]["status"] != "cancelled"]
    target = st.selectbox(t("regs.move_to"), others, index=None, format_func=label, key="move_target",
                          placeholder=t("form.choose"))
    if target and st.button(t("regs.move"), key="move"):
        if ui.run("regs_actions", registration.move_registration, selected["id"], target) is not None:
            st.session_state.flash = "regs.moved"
            st.rerun()
    ui.form_error_summary("regs_actions")

st.divider()
st.subheader(t("regs.add_title"))
st.caption(t("regs.add_help"))
FORM = "walk_in"


def add():
    s = st.session_state
    data = {"name": s.wi_name, "email": s.wi_email, "phone": s.wi_phone,
            "consent_registration": s.wi_consent, "consent_special": False}
    if ui.run(FORM, registration.add_walk_in, event_id, data) is not None:
        s.flash = "regs.added"
        for k in ("wi_name", "wi_email", "wi_phone", "wi_consent"):
            s.pop(k, None)


with st.form("walk_in_form", enter_to_submit=False):
    ui.form_error_summary(FORM, {f: t(f"js.{f}") for f in ("name", "email", "phone", "consent_registration")})
    st.text_input(t("js.name"), key="wi_name", max_chars=100)
    ui.field_error(FORM, "name")
    st.text_input(t("js.email"), key="wi_email", max_chars=254)
    ui.field_error(FORM, "email")
    st.text_input(t("js.phone"), key="wi_phone", max_chars=20)
    ui.field_error(FORM, "phone")
    st.checkbox(t("regs.walk_in_consent"), key="wi_consent", value=False)
    ui.field_error(FORM, "consent_registration")
    st.form_submit_button(t("regs.add"), on_click=add, type="primary")
