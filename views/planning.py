import time
from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

import ui
from eventtool.events import events
from eventtool.planning import speedmeet
from eventtool.core.i18n import format_number
from eventtool.core.timeutil import fmt_local, to_local

t = ui.t
ui.guard("views/planning.py")
db = ui.get_db()
st.title(t("planning.title"))

event = ui.choose_event(db.read(events.list_events, kind="speedmeet"), "plan_event", "planning.none")
event_id = event.id
settings = db.read(speedmeet.get_settings, event_id)

# ---- actions: each gets the id of the event or meeting it was drawn for -------------------------


def save_settings(event_id: int, prefix: str) -> None:
    s = st.session_state
    day = db.read(events.local_day, event_id)
    data = {"rounds": s[f"{prefix}_rounds"], "round_minutes": s[f"{prefix}_round_minutes"],
            "break_minutes": s[f"{prefix}_break_minutes"],
            "first_round_at": datetime.combine(day, s[f"{prefix}_first_round_at"]),
            "max_meetings": s[f"{prefix}_max_meetings"], "coverage_bonus": s[f"{prefix}_coverage_bonus"],
            "repeat_penalty": s.get(f"{prefix}_repeat_penalty"), "min_meetings": s.get(f"{prefix}_min_meetings")}
    if ui.run("pl_settings", speedmeet.save_settings, event_id, data) is not None:
        s.flash = "planning.settings_saved"


def run_planner(event_id: int, limit_key: str, from_key: str | None = None) -> None:
    """Planning runs in the background; the page shows its progress and stays usable. With a round
    (walk-ins on the day), only the rounds from that one on are planned again."""
    from_round = int(st.session_state.get(from_key) or 1) - 1 if from_key else 0
    ui.attempt("pl_run", speedmeet.start_planning, db, event_id, float(st.session_state.get(limit_key, 10)),
               ui.current_user()["email"], from_round)


def save_wishes(event_id: int, employer_id: int) -> None:
    """Bound to the speedmeet and the employer the form was drawn for."""
    s = st.session_state
    ui.run("pl_wishes", speedmeet.set_wishes, event_id, employer_id, s.get(f"pl_wants_{event_id}_{employer_id}") or [],
           s.get(f"pl_avoids_{event_id}_{employer_id}") or [])
    if not ui.errors("pl_wishes"):
        s.flash = "planning.wishes_saved"


def adjust(action, *args) -> None:
    ui.run("pl_adjust", action, *args)
    if not ui.errors("pl_adjust"):
        st.session_state.flash = "planning.updated"


def move(meeting_id: int, round_key: str, employer_key: str) -> None:
    adjust(speedmeet.move_meeting, meeting_id, st.session_state[round_key], st.session_state.get(employer_key))


def swap(meeting_id: int, other_key: str) -> None:
    other = st.session_state.get(other_key)
    if other:
        adjust(speedmeet.swap_meetings, meeting_id, other)


def publish(event_id: int) -> None:
    if ui.run("pl_publish", speedmeet.publish, event_id) is not None:
        st.session_state.flash = "planning.published"


# ---- rounds ------------------------------------------------------------------------------------
with st.expander(t("planning.settings"), expanded=settings.planned_at is None):
    prefix = f"pl_{event_id}"
    with st.form(f"pl_settings_{event_id}", enter_to_submit=False):
        ui.form_error_summary("pl_settings", {"rounds": t("planning.rounds"), "min_meetings": t("planning.min_meetings")})
        c1, c2, c3 = st.columns(3)
        c1.number_input(t("planning.rounds"), 1, 30, settings.rounds, key=f"{prefix}_rounds")
        c2.number_input(t("planning.round_minutes"), 3, 120, settings.round_minutes, key=f"{prefix}_round_minutes")
        c3.number_input(t("planning.break_minutes"), 0, 60, settings.break_minutes, key=f"{prefix}_break_minutes")
        c1, c2, c3 = st.columns(3)
        c1.time_input(t("planning.first_round_at"), to_local(settings.first_round_at).time(),
                      key=f"{prefix}_first_round_at", step=timedelta(minutes=5))
        c2.number_input(t("planning.max_meetings"), 1, 30, settings.max_meetings, key=f"{prefix}_max_meetings")
        c3.number_input(t("planning.coverage_bonus"), 0, 1000, settings.coverage_bonus, key=f"{prefix}_coverage_bonus",
                        help=t("planning.coverage_help"))
        if event.series_id:  # a monthly series: who met before is not planned together again by default
            c1.number_input(t("planning.repeat_penalty"), 0, 1000, settings.repeat_penalty, key=f"{prefix}_repeat_penalty",
                            placeholder=t("planning.repeat_never"), help=t("planning.repeat_help"))
        c2.number_input(t("planning.min_meetings"), 1, 30, settings.min_meetings, key=f"{prefix}_min_meetings",
                        placeholder=t("planning.min_meetings_off"), help=t("planning.min_meetings_help"))
        ui.field_error("pl_settings", "min_meetings")
        ui.field_error("pl_settings", "rounds")
        st.form_submit_button(t("planning.save_settings"), on_click=save_settings, args=(event_id, prefix), type="primary")

# ---- presence ----------------------------------------------------------------------------------
with st.expander(t("planning.availability")):
    st.caption(t("planning.availability_help"))
    rows = db.read(speedmeet.availability_rows, event_id)
    if rows:
        df = pd.DataFrame(rows)
        df["party"] = df["party"].map(lambda p: t(f"party.{p}"))
        edited = st.data_editor(
            df, hide_index=True, disabled=["registration_id", "party", "name"], key=f"pl_avail_{event_id}",
            placeholder="",
            column_config={"registration_id": None, "party": t("planning.col.party"), "name": t("planning.col.name"),
                           "first_round": st.column_config.NumberColumn(t("planning.col.first_round"), min_value=1,
                                                                        max_value=settings.rounds, step=1),
                           "last_round": st.column_config.NumberColumn(t("planning.col.last_round"), min_value=1,
                                                                       max_value=settings.rounds, step=1)})
        # The rows carry their registration ids; the editor and this button are keyed by the event.
        if st.button(t("planning.save_availability"), key=f"pl_save_avail_{event_id}"):
            windows = {int(r.registration_id): (None if pd.isna(r.first_round) else int(r.first_round),
                                                None if pd.isna(r.last_round) else int(r.last_round))
                       for r in edited.itertuples()}
            ui.run("pl_avail", speedmeet.set_availabilities, event_id, windows)
            ui.rerun_if_ok("pl_avail", "planning.availability_saved")
        ui.form_error_summary("pl_avail")

with st.expander(t("planning.wishes")):
    st.caption(t("planning.wishes_help"))
    parts = db.read(speedmeet.participants, event_id)
    if not parts.employers or not parts.jobseekers:
        st.info(t("planning.nobody_to_plan"))
    else:
        orgs = {eid: emp.organisation for eid, (_, emp) in parts.employers.items()}
        wish_employer = st.selectbox(t("planning.employer"), sorted(orgs, key=lambda i: orgs[i].casefold()),
                                     format_func=orgs.get, key=f"pl_wish_employer_{event_id}")
        people = {jid: ui.person_label(p.name, None, jid) for jid, (_, p) in parts.jobseekers.items()}
        wants, avoids = db.read(speedmeet.wishes, event_id).get(wish_employer, (set(), set()))
        with st.form(f"pl_wishes_{event_id}_{wish_employer}", enter_to_submit=False):
            ui.form_error_summary("pl_wishes")
            st.multiselect(t("planning.wants"), list(people), default=sorted(wants & people.keys()),
                           format_func=people.get, key=f"pl_wants_{event_id}_{wish_employer}",
                           placeholder=t("form.optional"))
            st.multiselect(t("planning.avoids"), list(people), default=sorted(avoids & people.keys()),
                           format_func=people.get, key=f"pl_avoids_{event_id}_{wish_employer}",
                           placeholder=t("form.optional"))
            st.form_submit_button(t("planning.save_wishes"), on_click=save_wishes, args=(event_id, wish_employer))

# ---- plan --------------------------------------------------------------------------------------
c1, c2 = st.columns([2, 1])
job = speedmeet.planning_job(event_id)
running = job is not None and not job.finished
limit_key = f"pl_limit_{event_id}"
c2.number_input(t("planning.time_limit"), 1, 120, 10, key=limit_key)
label = t("planning.replan") if settings.planned_at else t("planning.run")
view = db.read(speedmeet.plan_view, event_id)
if settings.status == "published":
    # Re-planning over a plan people already have: ask first, and say what follows.
    c1.button(label, type="primary", key=f"pl_run_{event_id}", on_click=ui.ask, args=("replan", event_id))
    people = len({m["jobseeker_id"] for m in view.meetings})
    ui.confirm("replan", event_id, t("planning.confirm_replan", event=ui.plain(ui.event_label(event)),
                                     meetings=t("count.conversations", n=len(view.meetings)),
                                     people=t("planning.replan_people", n=people)),
               t("planning.confirm_replan_yes"), run_planner, event_id, limit_key)
else:
    c1.button(label, type="primary", key=f"pl_run_{event_id}", on_click=run_planner, args=(event_id, limit_key),
              disabled=running)
if settings.planned_at and settings.rounds > 1:
    with st.expander(t("planning.walk_ins")):
        st.caption(t("planning.walk_ins_help"))
        from_key = f"pl_from_{event_id}"
        c1, c2 = st.columns([1, 2])
        c1.number_input(t("planning.from_round"), 2, settings.rounds, speedmeet.next_round(settings), key=from_key)
        if settings.status == "published":  # people have their schedules: ask first (below), saying what follows
            c2.button(t("planning.replan_rest"), key=f"pl_rest_{event_id}", on_click=ui.ask,
                      args=("replan_rest", event_id), disabled=running)
        else:
            c2.button(t("planning.replan_rest"), key=f"pl_rest_{event_id}", on_click=run_planner,
                      args=(event_id, limit_key, from_key), disabled=running)
    # Outside the expander, so the question stays in sight when the page is drawn again.
    ui.confirm("replan_rest", event_id, t("planning.confirm_replan_rest", event=ui.plain(ui.event_label(event))),
               t("planning.confirm_replan_yes"), run_planner, event_id, limit_key, from_key)
ui.form_error_summary("pl_run")


@st.fragment(run_every=1)
def planning_progress(event_id: int) -> None:
    """Redrawn every second on its own (the rest of the page is not); the whole page follows when
    the plan is stored."""
    job = speedmeet.planning_job(event_id)
    if job is None or job.finished:
        st.rerun()
    seen = job.run.progress
    elapsed = time.monotonic() - job.run.started
    st.progress(min(elapsed / job.time_limit, 1.0),
                text=t("planning.running", seconds=format_number(elapsed, ui.lang(), 0),
                       limit=format_number(job.time_limit, ui.lang(), 0)))
    if seen.total is not None:
        st.write(t("planning.progress", total=seen.total, bound=seen.bound))
    st.button(t("planning.stop"), key=f"pl_stop_{event_id}_{job.number}", on_click=speedmeet.stop_planning,
              args=(event_id, job.number), disabled=job.run.stopping, help=t("planning.stop_help"))


if running:
    planning_progress(event_id)
elif job is not None and st.session_state.get(f"pl_told_{event_id}") != job.number:
    # The plan that was made in the background: said once per session.
    st.session_state[f"pl_told_{event_id}"] = job.number
    if job.error:
        st.error(t(job.error), icon=":material/error:")
    else:
        st.success(t("planning.planned", meetings=t("count.conversations", n=job.summary.meetings),
                     seconds=format_number(job.summary.seconds, ui.lang(), 1)))

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
if view.below_minimum:
    st.warning(t("planning.below_minimum", count=len(view.below_minimum), minimum=s.min_meetings,
                 names=ui.plain(", ".join(view.below_minimum))))
if view.jobseekers_without_meeting:
    st.warning(t("planning.without_meeting", names=ui.plain(", ".join(view.jobseekers_without_meeting))))
else:
    st.success(t("planning.everyone_meets"))

meetings = pd.DataFrame(view.meetings)
meetings["time"] = meetings["starts_at"].map(lambda d: fmt_local(d, with_date=False))
meetings["round_no"] = meetings["round"] + 1
columns = {"round_no": t("planning.round"), "time": t("planning.time"), "employer": t("planning.employer"),
           "table_no": t("planning.table"), "jobseeker": t("planning.jobseeker"), "locked": t("planning.locked_col")}

tab_grid, tab_people, tab_emp, tab_adjust = ui.tabs(
    "pl_tab", [t("planning.tab_grid"), t("planning.tab_people"), t("planning.tab_employers"), t("planning.tab_adjust")])
if tab_grid.open:
    with tab_grid:
        grid = pd.DataFrame(speedmeet.grid(view)).reindex([str(r + 1) for r in range(s.rounds)])
        grid.index = [f"{t('planning.round')} {r + 1} · {fmt_local(speedmeet.round_start(s, r), with_date=False)}"
                      for r in range(s.rounds)]
        st.dataframe(grid.fillna(""), width="stretch", placeholder="")
if tab_people.open:
    with tab_people:
        # By id: two people with the same name are two choices, told apart by their number.
        names = dict(zip(meetings["jobseeker_id"], meetings["jobseeker"]))
        twins = {n for n in names.values() if list(names.values()).count(n) > 1}
        who = st.selectbox(t("planning.choose_person"), sorted(names, key=lambda i: (names[i], i)), key=f"pl_person_{event_id}",
                           format_func=lambda i: ui.person_label(names[i], person_id=i) if names[i] in twins else names[i])
        ui.table(meetings[meetings["jobseeker_id"] == who][["round_no", "time", "employer", "table_no"]]
                 .rename(columns=columns))
if tab_emp.open:
    with tab_emp:
        orgs = dict(zip(meetings["employer_id"], meetings["employer"]))
        org = st.selectbox(t("planning.choose_employer"), sorted(orgs, key=lambda i: (orgs[i], i)), format_func=orgs.get,
                           key=f"pl_org_{event_id}")
        ui.table(meetings[meetings["employer_id"] == org][["round_no", "time", "table_no", "jobseeker"]]
                 .rename(columns=columns))
if tab_adjust.open:
    with tab_adjust:
        labels = {r["id"]: f"{t('planning.round')} {r['round'] + 1} · {r['employer']} · {r['jobseeker']}"
                  + (" 🔒" if r["locked"] else "") for r in view.meetings}
        mid = st.selectbox(t("planning.choose_meeting"), list(labels), format_func=labels.get, key=f"pl_meeting_{event_id}")
        row = next(r for r in view.meetings if r["id"] == mid)
        c1, c2 = st.columns(2)
        round_key, emp_key, swap_key = f"pl_target_round_{mid}", f"pl_target_emp_{mid}", f"pl_swap_{mid}"
        c1.selectbox(t("planning.move_to_round"), list(range(s.rounds)), index=row["round"],
                     format_func=lambda r: str(r + 1), key=round_key)
        emp_names = {r["employer_id"]: r["employer"] for r in view.meetings}
        c2.selectbox(t("planning.move_to_employer"), list(emp_names), index=None, format_func=emp_names.get,
                     key=emp_key, placeholder=t("form.optional"))
        b1, b2, b3 = st.columns(3)
        b1.button(t("planning.move"), key=f"pl_move_{mid}", on_click=move, args=(mid, round_key, emp_key))
        b2.button(t("planning.unlock") if row["locked"] else t("planning.lock"), key=f"pl_lock_{mid}", on_click=adjust,
                  args=(speedmeet.set_locked, mid, not row["locked"]))
        b3.button(t("planning.remove"), key=f"pl_remove_{mid}", on_click=adjust, args=(speedmeet.remove_meeting, mid))
        st.selectbox(t("planning.swap_with"), [i for i in labels if i != mid], index=None, format_func=labels.get,
                     key=swap_key, placeholder=t("form.choose"))
        if st.session_state.get(swap_key):
            st.button(t("planning.swap"), key=f"pl_swap_btn_{mid}", on_click=swap, args=(mid, swap_key))
        ui.form_error_summary("pl_adjust")

if s.status != "published":
    st.button(t("planning.publish"), key=f"pl_publish_{event_id}", type="primary", on_click=publish, args=(event_id,))
ui.form_error_summary("pl_publish")
