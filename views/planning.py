from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

import ui
from eventtool import events, speedmeet
from eventtool.timeutil import fmt_local, to_local

t = ui.t
ui.guard("views/planning.py")
db = ui.get_db()
st.title(t("planning.title"))

event = ui.choose_event(db.read(events.list_events, kind="speedmeet"), "plan_event", "planning.none")
event_id = event.id
settings = db.read(speedmeet.get_settings, event_id)

# --- rounds -------------------------------------------------------------------------------------
with st.expander(t("planning.settings"), expanded=settings.planned_at is None):
    def save_settings():
        s = st.session_state
        day = to_local(event.starts_at).date()
        data = {"rounds": s.pl_rounds, "round_minutes": s.pl_round_minutes, "break_minutes": s.pl_break_minutes,
                "first_round_at": datetime.combine(day, s.pl_first_round_at), "max_meetings": s.pl_max_meetings,
                "coverage_bonus": s.pl_coverage_bonus}
        if ui.run("pl_settings", speedmeet.save_settings, event_id, data) is not None:
            s.flash = "planning.settings_saved"
    with st.form(f"pl_settings_{event_id}", enter_to_submit=False):
        ui.form_error_summary("pl_settings", {"rounds": t("planning.rounds")})
        c1, c2, c3 = st.columns(3)
        c1.number_input(t("planning.rounds"), 1, 30, settings.rounds, key="pl_rounds")
        c2.number_input(t("planning.round_minutes"), 3, 120, settings.round_minutes, key="pl_round_minutes")
        c3.number_input(t("planning.break_minutes"), 0, 60, settings.break_minutes, key="pl_break_minutes")
        c1, c2, c3 = st.columns(3)
        c1.time_input(t("planning.first_round_at"), to_local(settings.first_round_at).time(), key="pl_first_round_at",
                      step=timedelta(minutes=5))
        c2.number_input(t("planning.max_meetings"), 1, 30, settings.max_meetings, key="pl_max_meetings")
        c3.number_input(t("planning.coverage_bonus"), 0, 1000, settings.coverage_bonus, key="pl_coverage_bonus",
                        help=t("planning.coverage_help"))
        ui.field_error("pl_settings", "rounds")
        st.form_submit_button(t("planning.save_settings"), on_click=save_settings, type="primary")

# --- presence -----------------------------------------------------------------------------------
with st.expander(t("planning.availability")):
    st.caption(t("planning.availability_help"))
    rows = db.read(speedmeet.availability_rows, event_id)
    if rows:
        df = pd.DataFrame(rows)
        df["party"] = df["party"].map(lambda p: t(f"party.{p}"))
        edited = st.data_editor(
            df, hide_index=True, disabled=["registration_id", "party", "name"], key=f"pl_avail_{event_id}",
            column_config={"registration_id": None, "party": t("planning.col.party"), "name": t("planning.col.name"),
                           "first_round": st.column_config.NumberColumn(t("planning.col.first_round"), min_value=1,
                                                                        max_value=settings.rounds, step=1),
                           "last_round": st.column_config.NumberColumn(t("planning.col.last_round"), min_value=1,
                                                                       max_value=settings.rounds, step=1)})
        if st.button(t("planning.save_availability"), key="pl_save_avail"):
            windows = {int(r.registration_id): (None if pd.isna(r.first_round) else int(r.first_round),
                                                None if pd.isna(r.last_round) else int(r.last_round))
                       for r in edited.itertuples()}
            ui.run("pl_avail", speedmeet.set_availabilities, event_id, windows)
            ui.rerun_if_ok("pl_avail", "planning.availability_saved")
        ui.form_error_summary("pl_avail")

# --- plan ---------------------------------------------------------------------------------------
c1, c2 = st.columns([2, 1])
limit = c2.number_input(t("planning.time_limit"), 1, 120, 10, key="pl_limit")
label = t("planning.replan") if settings.planned_at else t("planning.run")
if c1.button(label, type="primary", key="pl_run"):
    with st.spinner():
        summary = ui.run("pl_run", speedmeet.run_planner, event_id, time_limit=float(limit))
    if summary is not None:
        st.success(t("planning.planned", meetings=summary.meetings, seconds=f"{summary.seconds:.1f}"))
ui.form_error_summary("pl_run")

view = db.read(speedmeet.plan_view, event_id)
if not view.meetings:
    st.info(t("planning.no_plan"))
    st.stop()
s = view.settings
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("planning.summary_meetings"), len(view.meetings))
c2.metric(t("planning.summary_total"), s.total)
c3.metric(t("planning.summary_bound"), s.upper_bound)
c4.metric(t("planning.summary_optimal"), t("planning.optimal_yes") if s.optimal else t("planning.optimal_no"))
st.write(t("planning.status", status=t(f"planning.status_{s.status}")))
if view.jobseekers_without_meeting:
    st.warning(t("planning.without_meeting", names=", ".join(view.jobseekers_without_meeting)))
else:
    st.success(t("planning.everyone_meets"))

meetings = pd.DataFrame(view.meetings)
meetings["time"] = meetings["starts_at"].map(lambda d: fmt_local(d, with_date=False))
meetings["round_no"] = meetings["round"] + 1
columns = {"round_no": t("planning.round"), "time": t("planning.time"), "employer": t("planning.employer"),
           "table_no": t("planning.table"), "jobseeker": t("planning.jobseeker"), "locked": t("planning.locked_col")}

tab_grid, tab_people, tab_emp, tab_adjust = st.tabs(
    [t("planning.tab_grid"), t("planning.tab_people"), t("planning.tab_employers"), t("planning.tab_adjust")])
with tab_grid:
    grid = pd.DataFrame(speedmeet.grid(view)).reindex([str(r + 1) for r in range(s.rounds)])
    grid.index = [f"{t('planning.round')} {r + 1} · {fmt_local(speedmeet.round_start(s, r), with_date=False)}"
                  for r in range(s.rounds)]
    st.dataframe(grid.fillna(""), width="stretch")
with tab_people:
    names = sorted(meetings["jobseeker"].unique())
    who = st.selectbox(t("planning.choose_person"), names, key="pl_person")
    st.dataframe(meetings[meetings["jobseeker"] == who][["round_no", "time", "employer", "table_no"]]
                 .rename(columns=columns), hide_index=True)
with tab_emp:
    orgs = sorted(meetings["employer"].unique())
    org = st.selectbox(t("planning.choose_employer"), orgs, key="pl_org")
    st.dataframe(meetings[meetings["employer"] == org][["round_no", "time", "table_no", "jobseeker"]]
                 .rename(columns=columns), hide_index=True)
with tab_adjust:
    labels = {r["id"]: f"{t('planning.round')} {r['round'] + 1} · {r['employer']} · {r['jobseeker']}"
              + (" 🔒" if r["locked"] else "") for r in view.meetings}
    mid = st.selectbox(t("planning.choose_meeting"), list(labels), format_func=labels.get, key="pl_meeting")
    row = next(r for r in view.meetings if r["id"] == mid)
    c1, c2 = st.columns(2)
    target_round = c1.selectbox(t("planning.move_to_round"), list(range(s.rounds)), index=row["round"],
                                format_func=lambda r: str(r + 1), key="pl_target_round")
    emp_names = {r["employer_id"]: r["employer"] for r in view.meetings}
    target_emp = c2.selectbox(t("planning.move_to_employer"), list(emp_names), index=None, format_func=emp_names.get,
                              key="pl_target_emp", placeholder=t("form.optional"))
    b1, b2, b3 = st.columns(3)
    if b1.button(t("planning.move"), key="pl_move"):
        ui.run("pl_adjust", speedmeet.move_meeting, mid, target_round, target_emp)
        ui.rerun_if_ok("pl_adjust", "planning.updated")
    if b2.button(t("planning.unlock") if row["locked"] else t("planning.lock"), key="pl_lock"):
        ui.run("pl_adjust", speedmeet.set_locked, mid, not row["locked"])
        ui.rerun_if_ok("pl_adjust", "planning.updated")
    if b3.button(t("planning.remove"), key="pl_remove"):
        ui.run("pl_adjust", speedmeet.remove_meeting, mid)
        ui.rerun_if_ok("pl_adjust", "planning.updated")
    other = st.selectbox(t("planning.swap_with"), [i for i in labels if i != mid], index=None, format_func=labels.get,
                         key="pl_swap", placeholder=t("form.choose"))
    if other and st.button(t("planning.swap"), key="pl_swap_btn"):
        ui.run("pl_adjust", speedmeet.swap_meetings, mid, other)
        ui.rerun_if_ok("pl_adjust", "planning.updated")
    ui.form_error_summary("pl_adjust")

if s.status != "published" and st.button(t("planning.publish"), key="pl_publish", type="primary"):
    ui.run("pl_publish", speedmeet.publish, event_id)
    ui.rerun_if_ok("pl_publish", "planning.published")
ui.form_error_summary("pl_publish")
