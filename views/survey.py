"""Vragenlijst: the page behind a follow-up survey's personal link. No login; plain words; every
question a labelled control that works with a keyboard, a screen reader and on a phone."""
import streamlit as st

import ui
from eventtool.messages.content import long_date
from eventtool.results import surveys

t = ui.t
FORM = "survey"
st.title(t("survey.title"))

token, form = ui.opened_by_link(surveys.view, "survey.no_link", "survey.link_unknown")

sid = form.survey_id
lang = ui.lang()
when = long_date(form.event_starts_at, lang)
names = {c.id: (c.label if c.id is not None else t("survey.other_employer")) for c in form.choices}
YES_NO = {True: t("survey.yes"), False: t("survey.no")}


def key(part: str, subject=None) -> str:
    """Every control is named after this survey (and the person or employer it asks about)."""
    return f"sv_{part}_{sid}" + ("" if subject is None else f"_{subject}")


def subject_key(subject) -> str:
    return "other" if subject is None else str(subject)


def contact_rows(survey_id: int, respondent: str, choice_ids: list) -> list[dict]:
    s = st.session_state
    name = lambda part, subject: f"sv_{part}_{survey_id}_{subject_key(subject)}"  # noqa: E731 - as key() names them
    if respondent == "employer":
        chosen = [c for c in choice_ids if s.get(name("kind", c))]
    elif s.get(f"sv_any_{survey_id}") is False:
        return [{"subject": None, "kind": "none"}]
    else:
        chosen = s.get(f"sv_who_{survey_id}") or []
    return [{"subject": c, "kind": s.get(name("kind", c)) or "", "occurred_on": s.get(name("date", c)),
             "hours_per_week": s.get(name("hours", c))} for c in chosen]


def send(link: str, survey_id: int, respondent: str, choice_ids: list, still_ids: list) -> None:
    """Everything it needs is passed in as drawn for this survey, never read from the page."""
    still = {person: st.session_state.get(f"sv_still_{survey_id}_{person}") for person in still_ids}
    ui.run(FORM, surveys.answer, link, contact_rows(survey_id, respondent, choice_ids), still)
    if not ui.errors(FORM):
        st.session_state[f"sv_done_{survey_id}"] = True


def stop(link: str) -> None:
    ui.run(FORM, surveys.decline, link)
    if not ui.errors(FORM):
        st.session_state.flash = "survey.stopped"


if st.session_state.get(key("done")):
    st.success(t("survey.thanks"), icon=":material/check_circle:")
intro = {"jobseeker": "survey.intro_jobseeker", "coach": "survey.intro_coach", "employer": "survey.intro_employer"}
st.write(t(intro[form.respondent], event=ui.plain(form.event_title), date=when, name=ui.plain(form.about or "")))
if form.answered and not st.session_state.get(key("done")):
    st.info(t("survey.answered_before"))
if form.declined:
    st.info(t("survey.declined_before"))
ui.form_error_summary(FORM, {f"{part}_{subject_key(c.id)}": names[c.id] for c in form.choices
                             for part in ("kind", "hours", "date")})

for q in form.still:
    question = {"jobseeker": "survey.still_q", "coach": "survey.still_q_coach",
                "employer": "survey.still_q_employer"}[form.respondent]
    st.radio(t(question, who=ui.plain_label(q.label), name=ui.plain_label(form.about or ""), date=f"{q.started:%d-%m-%Y}"),
             [True, False], format_func=YES_NO.get, horizontal=True, key=key("still", q.jobseeker_id),
             index=None if q.answer is None else (0 if q.answer else 1))


def contact(choice_id) -> None:
    """What came of one contact: the kind, when, and hours for work."""
    name = subject_key(choice_id)
    stored = form.answers.get(choice_id, {})
    with st.container(border=True):
        st.markdown(f"**{ui.plain(names[choice_id])}**")
        kinds = [k.value for k in surveys.ANSWERS]
        st.selectbox(t("survey.what"), kinds, format_func=lambda k: t(f"outcome.{k}"), key=key("kind", name),
                     index=kinds.index(stored["kind"]) if stored.get("kind") in kinds else None,
                     placeholder=t("form.choose"))
        ui.field_error(FORM, f"kind_{name}")
        c1, c2 = st.columns(2)
        c1.date_input(t("survey.when"), value=stored.get("occurred_on"), format="DD-MM-YYYY", key=key("date", name))
        with c1:
            ui.field_error(FORM, f"date_{name}")
        c2.number_input(t("survey.hours"), min_value=1.0, max_value=60.0, step=1.0, format="%g",
                        value=stored.get("hours_per_week"), key=key("hours", name), help=t("survey.hours_help"))
        with c2:
            ui.field_error(FORM, f"hours_{name}")


if form.respondent == "employer":
    st.subheader(t("survey.employer_q"))
    st.caption(t("survey.employer_help"))
    for choice in form.choices:
        contact(choice.id)
else:
    question = t("survey.contact_q_coach", name=ui.plain_label(form.about or "")) if form.respondent == "coach" \
        else t("survey.contact_q")
    had = None
    if form.answers:
        had = not (list(form.answers) == [None] and form.answers[None]["kind"] == "none")
    any_contact = st.radio(question, [True, False], format_func=YES_NO.get, horizontal=True, key=key("any"),
                           index=None if had is None else (0 if had else 1))
    if any_contact:
        stored = [c for c in form.answers if c is not None or form.answers[c]["kind"] != "none"]
        chosen = st.multiselect(t("survey.which"), [c.id for c in form.choices], format_func=names.get,
                                default=stored, key=key("who"), help=t("survey.which_help"),
                                placeholder=t("form.choose"))
        for choice_id in chosen:
            contact(choice_id)

st.button(t("survey.send"), type="primary", key=key("send"), on_click=send,
          args=(token, sid, form.respondent, [c.id for c in form.choices], [q.jobseeker_id for q in form.still]))
st.divider()
st.button(t("survey.stop"), key=key("stop"), on_click=ui.ask, args=("survey_stop", sid))
ui.confirm("survey_stop", sid, t("survey.stop_confirm"), t("survey.stop_yes"), stop, token)
