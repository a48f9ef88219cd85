from datetime import date, datetime, time

import pandas as pd
import streamlit as st

import ui
from eventtool.events import events
from eventtool.results import outcomes
from eventtool.registration.registration import event_employers
from eventtool.core.timeutil import fmt_local
from eventtool.core.vocab import OutcomeKind

t = ui.t
ui.guard("views/outcomes.py")
db = ui.get_db()
user = ui.current_user()
st.title(t("outcomes.title"))

past = [e for e in db.read(events.list_events, upcoming=False) if e.status != "draft"]
tab_quick, tab_import, tab_history = ui.tabs("oc_tab", [t("outcomes.tab_quick"), t("outcomes.tab_import"),
                                                       t("outcomes.tab_history")])
kinds = [k.value for k in OutcomeKind]

with tab_quick:
    if not past:
        st.info(t("events.none"))
    else:
        by_id = {e.id: e for e in past}
        event_id = st.selectbox(t("events.choose"), list(by_id), index=len(by_id) - 1,
                                format_func=lambda i: ui.event_label(by_id[i]), key="oc_event")
        st.caption(t("outcomes.quick_help"))
        rows = db.read(outcomes.quick_entry_rows, event_id)
        orgs = {e.organisation: e.id for e in db.read(event_employers, event_id)}
        df = pd.DataFrame([{"jobseeker_id": r["jobseeker_id"], "name": r["name"], "attended": r["attended"],
                            "latest": t(f"outcome.{r['latest']}") if r["latest"] else "", "kind": None,
                            "date": date.today(), "employer": None, "note": ""} for r in rows])
        if len(df):
            edited = st.data_editor(
                df, hide_index=True, key=f"oc_grid_{event_id}", placeholder="", disabled=["jobseeker_id", "name", "attended", "latest"],
                column_config={
                    "jobseeker_id": None, "name": t("outcomes.col.name"),
                    "attended": st.column_config.CheckboxColumn(t("outcomes.col.attended")),
                    "latest": t("outcomes.col.latest"),
                    "kind": st.column_config.SelectboxColumn(t("outcomes.col.kind"), options=[t(f"outcome.{k}") for k in kinds]),
                    "date": st.column_config.DateColumn(t("outcomes.col.date"), format="DD-MM-YYYY"),
                    "employer": st.column_config.SelectboxColumn(t("outcomes.col.employer"), options=sorted(orgs)),
                    "note": st.column_config.TextColumn(t("outcomes.col.note"), max_chars=500)})
            employer_view = st.checkbox(t("outcomes.employer_view"), key=f"oc_employer_view_{event_id}")
            # The grid's rows carry their jobseeker ids; grid and button are keyed by the event.
            if st.button(t("outcomes.save"), type="primary", key=f"oc_save_{event_id}"):
                label_to_kind = {t(f"outcome.{k}"): k for k in kinds}
                todo = [{"jobseeker_id": int(r.jobseeker_id), "event_id": event_id, "kind": label_to_kind[r.kind],
                         "occurred_on": datetime.combine(r.date or date.today(), time(12)),
                         "employer_id": orgs.get(r.employer) if r.employer else None, "note": r.note or "",
                         "source": "employer" if employer_view else "organiser"}
                        for r in edited.itertuples() if r.kind]
                if not todo:
                    st.info(t("outcomes.nothing_to_save"))
                else:
                    n = ui.run("oc_quick", outcomes.record_many, todo, user["email"])
                    if n is not None:
                        st.success(t("outcomes.saved", n=n))
            ui.form_error_summary("oc_quick")

with tab_import:
    st.caption(t("outcomes.import_help"))
    upload = st.file_uploader(t("outcomes.file"), type=["csv", "xlsx"], key="oc_file")
    if upload is not None and st.button(t("outcomes.import"), key="oc_import", type="primary"):
        n = ui.run("oc_import", outcomes.import_outcomes, upload.getvalue(), upload.name, user["email"])
        if n is not None:
            st.success(t("outcomes.imported", n=n))
    ui.form_error_summary("oc_import")

with tab_history:
    if past:
        people = {r["jobseeker_id"]: r["name"] for e in past[-6:] for r in db.read(outcomes.quick_entry_rows, e.id)}
        if people:
            twins = {n for n in people.values() if list(people.values()).count(n) > 1}
            who = st.selectbox(t("outcomes.choose_person"), sorted(people, key=lambda i: (people[i], i)), key="oc_person",
                               format_func=lambda i: ui.person_label(people[i], person_id=i) if people[i] in twins
                               else people[i])
            hist = db.read(outcomes.history, who)
            if hist.outcomes:
                df = pd.DataFrame(hist.outcomes)
                df["occurred_on"] = df["occurred_on"].map(lambda d: fmt_local(d, with_date=True)[:10])
                df["kind"] = df["kind"].map(lambda k: t(f"outcome.{k}"))
                df["source"] = df["source"].map(lambda s: t(f"outcomes.source_{s}"))
                ui.table(df, column_config={c: t(f"outcomes.col.{c}") for c in df.columns})
            else:
                st.info(t("outcomes.none_yet"))
