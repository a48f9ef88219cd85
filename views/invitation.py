"""Uitnodiging: the page behind a coach's invitation link. The invitee chooses a password (never one
written anywhere but in their own head) and is logged in; the link then stops working."""
import streamlit as st

import ui
from eventtool.core.access import landing_page
from eventtool.registration import coaches

t = ui.t
FORM = "invite"
user = ui.current_user()
if user is not None and st.session_state.pop("inv_accepted", False):
    # Just accepted (the link no longer works): on to the coach's own page.
    st.switch_page(landing_page(user["role"]))
st.title(t("invite.title"))

token, invitation = ui.opened_by_link(coaches.open_invitation, "invite.no_link", "invite.link_unknown")
st.write(t("invite.welcome", name=ui.plain(invitation.name), email=ui.plain(invitation.email)))


def accept(token: str) -> None:
    s = st.session_state
    user = ui.run(FORM, coaches.accept_invitation, token, s.get("inv_password", ""), s.get("inv_repeat", ""))
    s.inv_password = s.inv_repeat = ""
    if user is not None:
        ui.login(user)
        s.inv_accepted = True


with st.form(FORM, enter_to_submit=False):
    ui.form_error_summary(FORM, {"password": t("invite.password"), "repeat": t("invite.repeat")})
    st.text_input(t("invite.password"), key="inv_password", type="password", autocomplete="new-password",
                  help=t("users.password_help"))
    ui.field_error(FORM, "password")
    st.text_input(t("invite.repeat"), key="inv_repeat", type="password", autocomplete="new-password")
    ui.field_error(FORM, "repeat")
    st.form_submit_button(t("invite.submit"), on_click=accept, args=(token,), type="primary")
