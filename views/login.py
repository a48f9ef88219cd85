import streamlit as st

import ui
from eventtool.people import accounts as auth, employer_accounts
from eventtool.core.access import landing_page

t = ui.t
FORM = "login"
LINK_FORM = "login_link"

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


def ask_for_link():
    """Always the same answer, whether or not the address has an account (only a malformed address
    is said to be one)."""
    s = st.session_state
    ui.run(LINK_FORM, employer_accounts.request_link, s.get("link_email", ""), ui.client_address(), lang=ui.lang())
    if not ui.errors(LINK_FORM):
        s.link_email = ""
        s.link_asked = True


st.divider()
st.header(t("login_link.heading"))
st.write(t("login_link.intro"))
if st.session_state.pop("link_asked", False):
    st.success(t("login_link.sent"), icon=":material/mark_email_read:")
with st.form(LINK_FORM):
    # Its own label: the password form above has "E-mailadres" (a label is a field's name, one per page).
    st.text_input(t("login_link.email"), key="link_email", autocomplete="email", max_chars=254)
    ui.field_error(LINK_FORM, "email")
    st.form_submit_button(t("login_link.submit"), on_click=ask_for_link)
    ui.form_error_summary(LINK_FORM, {"email": t("login_link.email")})
