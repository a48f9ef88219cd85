import streamlit as st

import ui
from eventtool import auth

t = ui.t
FORM = "login"

st.title(t("login.title"))
ui.flash()


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

if ui.current_user():
    st.rerun()
