import streamlit as st

import ui
from eventtool.events import events
from eventtool.registration import employer_portal
from eventtool.core.text import EMPLOYER_LIMITS as LIMITS
from eventtool.core.vocab import REGIONS, SECTORS
from eventtool.registration import event_changes

t = ui.t
FORM = "employer_form"
FIELDS = ("organisation", "contact_name", "email", "phone", "sectors", "offers", "recruiters", "sroi", "region")
LABELS = {f: t(f"emp.{f}") for f in FIELDS}

st.title(t("emp.title"))
st.write(t("emp.intro"))

db = ui.get_db()
open_events = {item.event.id: item for item in db.read(event_changes.agenda) if item.event.capacity_employers}
if not open_events:
    st.info(t("agenda.empty"))
    st.stop()
event = ui.choose_open_event(open_events, "emp_event").event
event_id = event.id


def submit(event_id: int) -> None:
    s = st.session_state
    if ui.cut_to_limits("emp", LIMITS, FORM) or not ui.not_a_bot(FORM, "emp"):
        return
    data = {f: s.get(f"emp_{f}") for f in FIELDS}
    result = ui.run(FORM, employer_portal.public_sign_up, event_id, data, lang=ui.lang())
    if result is not None:
        ui.signed_up("emp", FIELDS, result.signup, db.read(events.get_event, event_id))
        # A new organisation's contact person gets a sign-in link; for one we knew, staff invite. The
        # page says the same either way: a form must not tell anyone which organisations we know.
        s.emp_account = "emp.account"
    else:
        ui.count_refusal()


if st.session_state.get("emp_result"):
    if st.session_state.get("emp_account"):
        st.info(t(st.session_state.emp_account), icon=":material/key:")
    ui.signup_confirmation("emp_result", "emp_ics")

ui.form_shown(FORM)
with st.form(FORM, enter_to_submit=False):
    ui.form_error_summary(FORM, LABELS)
    st.text_input(LABELS["organisation"], key="emp_organisation", autocomplete="organization")
    ui.field_error(FORM, "organisation")
    st.text_input(LABELS["contact_name"], key="emp_contact_name", autocomplete="name")
    ui.field_error(FORM, "contact_name")
    st.text_input(LABELS["email"], key="emp_email", type="email", autocomplete="email", icon="", placeholder="",
                  validate="")
    ui.field_error(FORM, "email")
    st.text_input(LABELS["phone"], key="emp_phone", type="phone", autocomplete="tel", icon="", placeholder="")
    ui.field_error(FORM, "phone")
    st.selectbox(LABELS["region"], REGIONS, index=None, key="emp_region", placeholder=t("form.choose"))
    ui.field_error(FORM, "region")
    st.multiselect(LABELS["sectors"], SECTORS, key="emp_sectors", format_func=lambda c: t(f"sector.{c}"),
                   placeholder=t("form.choose"))
    ui.field_error(FORM, "sectors")
    st.text_area(LABELS["offers"], key="emp_offers", help=t("emp.offers_help"))
    ui.field_error(FORM, "offers")
    st.number_input(LABELS["recruiters"], key="emp_recruiters", min_value=1, max_value=20, value=1, step=1,
                    help=t("emp.recruiters_help"))
    ui.field_error(FORM, "recruiters")
    st.checkbox(LABELS["sroi"], key="emp_sroi", value=False)
    st.caption(t("js.privacy_note"))
    ui.honeypot("emp")
    ui.field_error(FORM, "_send")  # a refusal stands where the person is looking: by the button
    st.form_submit_button(t("js.submit"), on_click=submit, args=(event_id,), type="primary")
ui.form_a11y(FORM, LABELS)
