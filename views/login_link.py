"""Inloglink: the page behind an employer's sign-in link by mail. It names the account and signs in
only on a button press (a mail scanner that opens the link uses nothing up), then goes on to the
organisation's own page. A link that no longer works says so and offers to send a new one."""
import streamlit as st

import ui
from eventtool.core.access import landing_page
from eventtool.people import employer_accounts

t = ui.t
FORM = "login_link_use"
user = ui.current_user()
if user is not None and st.session_state.pop("link_used", False):
    st.switch_page(landing_page(user["role"]))
st.title(t("login_link.title"))


def offer_new_link() -> None:
    st.page_link("views/login.py", label=t("login_link.ask_new"), icon=":material/forward_to_inbox:")


token, name = ui.opened_by_link(employer_accounts.check_link, "login_link.no_link", employer_accounts.UNKNOWN,
                                offer_new_link)


def use(token: str) -> None:
    signed_in = ui.run(FORM, employer_accounts.sign_in_with_link, token)
    if signed_in is not None:
        ui.login(signed_in)
        st.session_state.link_used = True


st.write(t("login_link.welcome", name=ui.plain(name)))
st.button(t("login_link.use"), on_click=use, args=(token,), type="primary", key="login_link_use")
ui.form_error_summary(FORM)
if ui.errors(FORM):
    offer_new_link()
