import streamlit as st

import ui
from eventtool import auth
from eventtool.access import landing_page

t = ui.t
FORM = "login"

st.title(t("login.title"))


def submit():
    user = ui.run(FORM, auth.authenticate, st.session_state.login_email, st.session_state.login_password)
    st.session_state.login_password = ""
    if user is not None:
        ui.login(user)


with st.form(FORM):
    st.text_input(t("login.email"), key="login_email", autocomplete="username")
    st.text_input(t("login.password"), key="login_password", type="password", autocomplete="current-password")
    ui.form_error_summary(FORM)
    st.form_submit_button(t("login.submit"), on_click=submit, type="primary")


user = ui.current_user()
if user is not None:
    # Logged in (by the callback above): go to the first page of this role.
    st.switch_page(landing_page(user["role"]))
