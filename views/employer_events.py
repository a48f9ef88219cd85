"""Onze activiteiten: the events an employer's organisation can sign up for and its own
registrations: a place or the waiting list, its stand, how many people come, cancelling (after a
question). The verbs are registration's (capacity, waiting list, messages); every one finds the
organisation from the logged-in account and is bound to the event or registration it was drawn for."""
import streamlit as st

import ui
from eventtool.core.timeutil import fmt_local
from eventtool.registration import employer_portal

t = ui.t
ui.guard("views/employer_events.py")
db = ui.get_db()
me = ui.current_user()
ui.employer_id()
ACTION = "emp_events"
st.title(t("employer_events.title"))
st.caption(t("employer_events.intro"))


def sign_up(event_id: int, title: str) -> None:
    s = st.session_state
    signup = ui.run(f"emp_signup_{event_id}", employer_portal.sign_up, me["id"], event_id,
                    s.get(f"emp_people_new_{event_id}", 1), lang=ui.lang())
    if signup is not None:
        s.flash = (f"employer_events.signed_up_{signup.registration.status}", {"event": ui.plain(title)})
        s.pop(f"emp_people_new_{event_id}", None)


def set_people(registration_id: int) -> None:
    s = st.session_state
    form = f"emp_people_{registration_id}"
    if ui.run(form, employer_portal.set_people, me["id"], registration_id, s.get(form, 1)) is not None:
        s.flash = "employer_events.people_saved"
        s.pop(form, None)


def cancel(registration_id: int, title: str) -> None:
    ui.run(ACTION, employer_portal.cancel, me["id"], registration_id)
    if not ui.errors(ACTION):
        st.session_state.flash = ("employer_events.cancelled", {"event": ui.plain(title)})


ui.form_error_summary(ACTION)
rows = db.read(employer_portal.events, me["id"])
if not rows:
    st.info(t("employer_events.none"))
for row in rows:
    e, reg = row.event, row.registration
    with st.container(border=True):
        st.header(ui.plain(e.title))
        st.write(f"{fmt_local(e.starts_at)} · {ui.plain(e.venue_name or '')} {ui.plain(e.city or '')}".strip())
        if reg is None:
            form = f"emp_signup_{e.id}"
            with st.form(form, enter_to_submit=False):
                ui.form_error_summary(form, {"people": t("employer_events.people")})
                st.number_input(t("employer_events.people"), min_value=1, max_value=employer_portal.MAX_PEOPLE,
                                value=1, step=1, key=f"emp_people_new_{e.id}", help=t("emp.recruiters_help"))
                ui.field_error(form, "people")
                st.form_submit_button(t("employer_events.sign_up"), on_click=sign_up, args=(e.id, e.title),
                                      type="primary")
            continue
        status = t(f"status.{reg.status}")
        st.markdown(t("employer_events.your_registration", status=status, people=reg.tables)
                    + (" · " + t("employer_events.stand", stand=ui.plain(reg.stand)) if reg.stand else ""))
        form = f"emp_people_{reg.id}"
        st.session_state.setdefault(form, reg.tables)
        with st.form(f"{form}_form", enter_to_submit=False):
            ui.form_error_summary(form, {"people": t("employer_events.people")})
            st.number_input(t("employer_events.people"), min_value=1, max_value=employer_portal.MAX_PEOPLE, step=1,
                            key=form)
            ui.field_error(form, "people")
            st.form_submit_button(t("employer_events.save_people"), on_click=set_people, args=(reg.id,))
        st.button(t("employer_events.cancel"), key=f"emp_cancel_{reg.id}", on_click=ui.ask, args=("emp_cancel", reg.id))
        ui.confirm("emp_cancel", reg.id, t("employer_events.confirm_cancel", event=ui.plain(e.title)),
                   t("employer_events.confirm_cancel_yes"), cancel, reg.id, e.title)
