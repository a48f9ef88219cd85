"""Mijn cliënten: a coach's (jobcoach, klantmanager, school contact) own clients, and signing one up.
Every action is bound to the client or registration it was drawn for; the domain refuses anyone
who is not on this coach's caseload."""
import pandas as pd
import streamlit as st

import ui
from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.text import JOBSEEKER_LIMITS as LIMITS
from eventtool.registration import cards, coaches
from eventtool.core.timeutil import fmt_local, utcnow
from eventtool.core.vocab import SupportNeed
from eventtool.results import caseload
from eventtool.registration import event_changes

t = ui.t
ui.guard("views/coach.py")
db = ui.get_db()
me = ui.current_user()
FORM = "coach_signup"
FIELDS = ("name", "email", "phone", "support_needs", "consent_registration", "consent_special", "comes_along")
LABELS = {"name": t("coach.name"), "email": t("coach.email"), "phone": t("coach.phone"),
          "support_needs": t("coach.support_needs"),
          "consent_registration": t("coach.consent"), "consent_special": t("coach.consent_special")}

st.title(t("coach.title"))
st.caption(t("coach.intro"))


def sign_up(event_id: int, event_title: str, form_number: int) -> None:
    s = st.session_state
    prefix = f"co_{form_number}"  # the fields of the form as it was drawn
    if ui.cut_to_limits(prefix, LIMITS, FORM):
        return
    data = {f: s.get(f"{prefix}_{f}") for f in FIELDS if f != "comes_along"}
    if s.get(f"{prefix}_comes_along"):  # the coach comes along: one linked seat, at a wide table
        data |= {"companion": "jobcoach", "companion_name": me["name"]}
    signup = ui.run(FORM, coaches.sign_up_client, me["id"], event_id, data, lang=ui.lang())
    if signup is not None:
        # Who was really signed up: the client as stored, or (someone we knew before who has not
        # confirmed this coach) no name at all.
        s.flash = ((f"coach.signed_up_{signup.answer}", {"name": ui.plain(signup.name), "event": ui.plain(event_title)})
                   if signup.name else ("coach.signed_up_known", {"event": ui.plain(event_title)}))
        # A new, empty form for the next client (consent above all): widgets with new keys. Removing
        # the old keys alone would leave the browser showing, and sending, the last client's answers.
        for f in FIELDS:
            s.pop(f"{prefix}_{f}", None)
        s.co_form_number = form_number + 1


def cancel(registration_id: int) -> None:
    ui.run("coach_action", coaches.cancel_for_client, me["id"], registration_id)
    if not ui.errors("coach_action"):
        st.session_state.flash = "coach.cancelled"


def fill_card(registration_id: int, name: str) -> None:
    """The coach's text for a client's profile card (bound to that registration); the client shares it."""
    s = st.session_state
    data = {f: s.get(f"coach_card_{f}_{registration_id}") or "" for f in cards.TEXT_FIELDS}
    ui.run(f"coach_card_{registration_id}", coaches.fill_card, me["id"], registration_id, data)
    if not ui.errors(f"coach_card_{registration_id}"):
        s.flash = ("coach.card_saved", {"name": ui.plain(name)})
        for f in cards.TEXT_FIELDS:  # the fields show what is stored now
            s.pop(f"coach_card_{f}_{registration_id}", None)


def card_form(e, name: str) -> None:
    """Help the client write the profile card for this event's employers (issue 28)."""
    card = e.card
    with st.expander(t("coach.card_title", name=ui.plain(name))):
        if card is not None and card.shared:
            st.write(t("coach.card_shared", name=ui.plain(name)))
        else:
            st.write(t("coach.card_not_shared", name=ui.plain(name)))
        form = f"coach_card_{e.registration_id}"
        with st.form(form, enter_to_submit=False):
            for f, key in cards.LABELS.items():
                value = getattr(card, f) if card is not None else ""
                widget = st.text_input if f == "hours" else st.text_area
                widget(t(key), value=value, key=f"coach_card_{f}_{e.registration_id}", max_chars=cards.CARD_LIMITS[f])
                ui.field_error(form, f"card_{f}")
            st.form_submit_button(t("coach.card_save"), on_click=fill_card, args=(e.registration_id, name))
            ui.form_error_summary(form)


def end(jobseeker_id: int, name: str) -> None:
    ui.run("coach_action", coaches.end_caseload, me["id"], jobseeker_id)
    if not ui.errors("coach_action"):
        st.session_state.flash = ("coach.ended", {"name": ui.plain(name)})


clients_tab, sign_up_tab = ui.tabs("coach_tab", [t("coach.tab_clients"), t("coach.tab_sign_up")])

with clients_tab:
    if clients_tab.open:
        clients = db.read(caseload.caseload, me["id"])
        ui.form_error_summary("coach_action")
        if not clients:
            st.info(t("coach.none"))
        else:
            now = utcnow()
            ui.table(pd.DataFrame([{
                t("coach.col.name"): c.name, t("coach.col.email"): c.email, t("coach.col.phone"): c.phone,
                t("coach.col.upcoming"): sum(1 for e in c.events if e.status != "cancelled" and e.ends_at > now)}
                for c in clients]))
            by_id = {c.jobseeker_id: c for c in clients}
            chosen = by_id[st.selectbox(t("coach.choose"), list(by_id), key="coach_client",
                                        format_func=lambda i: ui.person_label(by_id[i].name, by_id[i].email, i))]
            ui.log_view("coach.client", str(chosen.jobseeker_id))
            st.subheader(t("coach.events"))
            if not chosen.events:
                st.write(t("coach.no_events"))
            for e in chosen.events:
                status = t(f"status.{e.status}") + (f", {t('coach.checked_in')}" if e.checked_in else "")
                along = registration.companion_label(e.companion, e.companion_name, ui.lang())
                if along and e.status != "cancelled":
                    status += ", " + t("coach.along_with", who=ui.plain(along))
                with st.container(border=True):
                    st.markdown(t("coach.event_line", when=fmt_local(e.starts_at), title=ui.plain(e.title),
                                  status=status))
                    if e.schedule:
                        ui.table(pd.DataFrame([{t("coach.col.round"): r, t("coach.col.time"): fmt_local(at, with_date=False),
                                                t("coach.col.table"): table, t("coach.col.employer"): org}
                                               for r, at, table, org in e.schedule]))
                    if e.status != "cancelled" and e.ends_at > now:
                        card_form(e, chosen.name)
                        st.button(t("coach.cancel"), key=f"coach_cancel_{e.registration_id}", on_click=ui.ask,
                                  args=("coach_cancel", e.registration_id))
                        ui.confirm("coach_cancel", e.registration_id,
                                   t("coach.confirm_cancel", name=ui.plain(chosen.name), event=ui.plain(e.title)),
                                   t("coach.confirm_cancel_yes"), cancel, e.registration_id)
            if chosen.surveys:
                st.subheader(t("coach.surveys"))
                for sv in chosen.surveys:
                    st.write(t("coach.survey_line", title=ui.plain(sv.title), wave=t(f"survey.wave.{sv.wave}"),
                               who=t(f"coach.survey_who.{sv.respondent}"), state=t(f"coach.survey_state.{sv.state}")))
            st.button(t("coach.end"), key=f"coach_end_{chosen.jobseeker_id}", on_click=ui.ask,
                      args=("coach_end", chosen.jobseeker_id))
            ui.confirm("coach_end", chosen.jobseeker_id, t("coach.confirm_end", name=ui.plain(chosen.name)),
                       t("coach.confirm_end_yes"), end, chosen.jobseeker_id, chosen.name)

with sign_up_tab:
    if sign_up_tab.open:
        st.write(t("coach.sign_up_intro"))
        open_events = {item.event.id: item for item in db.read(event_changes.agenda)}
        if not open_events:
            st.info(t("agenda.empty"))
        else:
            event_id = st.selectbox(t("coach.event"), list(open_events), key="co_event",
                                    format_func=lambda i: ui.event_label(open_events[i].event))
            number = st.session_state.setdefault("co_form_number", 0)
            prefix = f"co_{number}"
            with st.form(FORM, enter_to_submit=False):
                ui.form_error_summary(FORM, LABELS)
                st.text_input(LABELS["name"], key=f"{prefix}_name", autocomplete="off")
                ui.field_error(FORM, "name")
                st.text_input(LABELS["email"], key=f"{prefix}_email", type="email", autocomplete="off", icon="",
                              placeholder="", validate="")
                ui.field_error(FORM, "email")
                st.text_input(LABELS["phone"], key=f"{prefix}_phone", type="phone", autocomplete="off", icon="", placeholder="")
                ui.field_error(FORM, "phone")
                st.multiselect(LABELS["support_needs"], list(SupportNeed), format_func=lambda n: t(f"need.{n}"),
                               key=f"{prefix}_support_needs", placeholder=t("form.optional"))
                ui.field_error(FORM, "support_needs")
                st.checkbox(t("coach.comes_along"), key=f"{prefix}_comes_along", help=t("coach.comes_along_help"))
                st.checkbox(LABELS["consent_special"], key=f"{prefix}_consent_special")
                ui.field_error(FORM, "consent_special")
                st.checkbox(LABELS["consent_registration"], key=f"{prefix}_consent_registration")
                ui.field_error(FORM, "consent_registration")
                st.form_submit_button(t("coach.submit"), on_click=sign_up,
                                      args=(event_id, open_events[event_id].event.title, number), type="primary")
            st.caption(t("coach.known_note"))
