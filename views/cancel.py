import streamlit as st

import ui
from eventtool.privacy import privacy
from eventtool.registration import registration
from eventtool.core.timeutil import fmt_local

t = ui.t
FORM = "cancel_form"

st.title(t("cancel.title"))
st.write(t("cancel.intro"))

def look_up():
    st.session_state.cancel_found = None
    found = ui.run(FORM, registration.lookup_code, st.session_state.get("cancel_code", ""), write=False)
    if found is not None:
        st.session_state.cancel_found = {"title": found.event.title, "starts_at": found.event.starts_at,
                                         "status": found.registration.status}


def confirm():
    if ui.run(FORM, registration.cancel_by_code, st.session_state.get("cancel_code", "")) is not None:
        st.session_state.cancel_found = None
        st.session_state.cancel_done = True


# Arriving through the personal link: fill in the code and look it up straight away.
linked = st.query_params.get("code")
if linked and st.session_state.get("_cancel_linked") != linked:
    st.session_state._cancel_linked = linked
    st.session_state.cancel_code = linked
    look_up()

with st.form("cancel_lookup", enter_to_submit=True):
    st.text_input(t("cancel.code"), key="cancel_code", max_chars=20, help=t("cancel.code_help"))
    ui.field_error(FORM, "code")
    st.form_submit_button(t("cancel.look_up"), on_click=look_up)

ui.form_error_summary(FORM, {"code": t("cancel.code")})

if st.session_state.pop("cancel_done", False):
    st.success(t("cancel.done"), icon=":material/check_circle:")

found = st.session_state.get("cancel_found")
if found:
    st.markdown(f"**{ui.plain(found['title'])}**, {fmt_local(found['starts_at'])}")
    st.markdown(t("cancel.current_status", status=t(f"status.{found['status']}")))
    if found["status"] != "cancelled":
        st.button(t("cancel.confirm"), on_click=confirm, type="primary")
    # Withdrawing consent is one step too, with the same code.
    if st.button(t("cancel.withdraw"), key="cancel_withdraw"):
        if ui.run(FORM, privacy.withdraw_special_consent, st.session_state.get("cancel_code", "")) is not None:
            st.success(t("cancel.withdrawn"), icon=":material/check_circle:")
