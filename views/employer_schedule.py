"""Ons rooster: the organisation's speedmeet conversations in the published plan, per table and round,
with whom (first name and initial); as a calendar file (the same entries as the schedule mail's) and
as a printable PDF."""
import pandas as pd
import streamlit as st

import ui
from eventtool.core.timeutil import fmt_local
from eventtool.results import portal

t = ui.t
ui.guard("views/employer_schedule.py")
db = ui.get_db()
me = ui.current_user()

st.title(t("employer_schedule.title"))
event = ui.choose_event(db.read(portal.attended_events, me["id"]), "schedule_event", "coming.no_events")
slots = db.read(portal.schedule, me["id"], event.id)
if not slots:
    st.info(t("employer_schedule.none"))
    st.stop()

HEADERS = [t("employer_schedule.round"), t("employer_schedule.time"), t("employer_schedule.table"),
           t("employer_schedule.who")]
for table_no in sorted({s.table_no for s in slots}):
    st.header(t("employer_schedule.table_n", n=table_no))
    ui.table(pd.DataFrame([[s.round, fmt_local(s.starts_at, with_date=False), s.name]
                           for s in slots if s.table_no == table_no], columns=[HEADERS[0], HEADERS[1], HEADERS[3]]))

left, right = st.columns(2)
user_id, event_id, lang = me["id"], event.id, ui.lang()
ui.download(t("employer_schedule.ics"), lambda: db.read(portal.schedule_ics, user_id, event_id, lang),
            file_name=f"rooster-{event_id}.ics", mime="text/calendar", key=f"schedule_ics_{event_id}", where=left)
ui.download(t("employer_schedule.pdf"), lambda: db.read(portal.schedule_pdf, user_id, event_id, HEADERS, lang),
            file_name=f"rooster-{event_id}.pdf", mime="application/pdf", key=f"schedule_pdf_{event_id}", where=right)
