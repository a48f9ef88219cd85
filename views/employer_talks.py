"""Na het gesprek: per person this organisation talked with at an event, one tap for what came of it
(tweede gesprek, werkervaring of proefplaatsing, stage, nee, weet ik nog niet) and a note if wanted.
It becomes an outcome with source employer at once; the dashboard counts it."""
import streamlit as st

import ui
from eventtool.results import portal

t = ui.t
ui.guard("views/employer_talks.py")
db = ui.get_db()
me = ui.current_user()
FORM = "after_talk"
ANSWER_LABELS = {"second_interview": t("talks.second_interview"), "trial_placement": t("talks.trial_placement"),
                 "traineeship": t("talks.traineeship"), "none": t("talks.none"), portal.UNSURE: t("talks.unsure")}

st.title(t("talks.title"))
st.caption(t("talks.intro"))
ui.flash()
event = ui.choose_event(db.read(portal.attended_events, me["id"]), "talks_event", "coming.no_events")
talks = db.read(portal.talks, me["id"], event.id)
if not talks:
    st.info(t("talks.empty"))
    st.stop()


def save(event_id: int, jobseeker_id: int, name: str) -> None:
    s = st.session_state
    answer = s.get(f"talk_{event_id}_{jobseeker_id}")
    note = s.get(f"talk_note_{event_id}_{jobseeker_id}", "")
    ui.run(f"{FORM}_{jobseeker_id}", portal.after_talk, me["id"], event_id, jobseeker_id, answer, note)
    if not ui.errors(f"{FORM}_{jobseeker_id}"):
        s.flash = ("talks.saved", {"name": name})


for talk in talks:
    form = f"{FORM}_{talk.jobseeker_id}"
    with st.form(f"talk_{event.id}_{talk.jobseeker_id}"):
        st.header(ui.plain(talk.name))
        st.radio(t("talks.answer", name=ui.plain_label(talk.name)), portal.ANSWERS,
                 index=portal.ANSWERS.index(talk.answer), format_func=ANSWER_LABELS.get,
                 key=f"talk_{event.id}_{talk.jobseeker_id}")
        st.text_area(t("talks.note"), value=talk.note, max_chars=500, key=f"talk_note_{event.id}_{talk.jobseeker_id}")
        ui.field_error(form, "note")
        st.form_submit_button(t("talks.save"), on_click=save, args=(event.id, talk.jobseeker_id, talk.name))
        ui.form_error_summary(form)
