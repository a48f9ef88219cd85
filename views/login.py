import streamlit as st

import ui
from eventtool.people import accounts as auth
from eventtool.core.access import landing_page

t = ui.t
FORM = "login"

st.title(t("login.title"))


def submit():
    result = ui.run(FORM, auth.attempt_login, st.session_state.login_email, st.session_state.login_password,
                    ui.client_address())
    st.session_state.login_password = ""
    if isinstance(result, auth.LoginRefused):
        st.session_state[f"_errors_{FORM}"] = {"_form": (result.code, result.params)}
    elif result is not None:
        ui.login(result)


with st.form(FORM):
    st.text_input(t("login.email"), key="login_email", autocomplete="username")
    st.text_input(t("login.password"), key="login_password", type="password", autocomplete="current-password")
    st.form_submit_button(t("login.submit"), on_click=submit, type="primary")
    ui.form_error_summary(FORM)  # under the button, where the person is looking


user = ui.current_user()
if user is not None:
    # Logged in (by the callback above): go to the first page of this role.
    st.switch_page(landing_page(user["role"]))
