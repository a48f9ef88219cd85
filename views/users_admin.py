import pandas as pd
import streamlit as st

import ui
from eventtool.people import accounts as auth
from eventtool.people import employer_accounts
from eventtool.registration import coaches, registration
from eventtool.core.vocab import Role

t = ui.t
ui.guard("views/users_admin.py")
db = ui.get_db()
me = ui.current_user()
st.title(t("users.title"))

users = db.read(auth.list_users)
pending = lambda u: u.role == "coach" and u.password_hash == coaches.UNUSABLE_PASSWORD  # noqa: E731 - invited, no password chosen yet
df = pd.DataFrame([{"email": u.email, "name": u.name, "role": t(f"role.{u.role}")
                    + (f" ({t('users.invited_pending')})" if pending(u) else ""),
                    "organisation": u.organisation, "active": u.active} for u in users])
ui.table(df, column_config={c: t(f"users.col.{c}") for c in df.columns})

labels = {u.id: f"{u.name} <{u.email}>" for u in users}
who = st.selectbox(t("users.choose"), list(labels), format_func=labels.get, key="us_user")
chosen = next(u for u in users if u.id == who)


def set_active(user_id: int, active: bool) -> None:
    ui.run("us", auth.set_active, user_id, active, me["id"])
    if not ui.errors("us"):
        st.session_state.flash = "users.saved"


st.button(t("users.deactivate") if chosen.active else t("users.activate"), key=f"us_toggle_{chosen.id}",
          on_click=set_active, args=(chosen.id, not chosen.active))
ui.form_error_summary("us")

st.header(t("users.new"))


def create():
    s = st.session_state
    if ui.run("us_new", auth.create_user, s.us_email, s.us_name, s.us_role, s.us_password) is not None:
        s.flash = "users.created"
        for k in ("us_email", "us_name", "us_password"):
            s.pop(k, None)
    st.session_state.us_password = ""


with st.form("us_form", enter_to_submit=False):
    labels_new = {"email": t("login.email"), "name": t("js.name"), "password": t("login.password")}
    ui.form_error_summary("us_new", labels_new)
    st.text_input(t("login.email"), key="us_email", max_chars=254, type="email", icon="", placeholder="")
    ui.field_error("us_new", "email")
    st.text_input(t("js.name"), key="us_name", max_chars=100)
    ui.field_error("us_new", "name")
    # An employer's contact person is invited below, for their organisation (no password).
    st.selectbox(t("users.role"), [r for r in Role if r != Role.EMPLOYER], format_func=lambda r: t(f"role.{r}"),
                 key="us_role")
    st.text_input(t("login.password"), key="us_password", type="password", help=t("users.password_help"))
    ui.field_error("us_new", "password")
    st.form_submit_button(t("users.create"), on_click=create, type="primary")

st.header(t("users.invite"))
st.caption(t("users.invite_help"))


def invite():
    s = st.session_state
    if ui.run("us_invite", coaches.invite, s.get("inv_email", ""), s.get("inv_name", ""), s.get("inv_org", ""),
              me["email"], lang=ui.lang()) is not None:
        s.flash = "users.invited"
        for k in ("inv_email", "inv_name", "inv_org"):
            s.pop(k, None)


with st.form("us_invite_form", enter_to_submit=False):
    labels_invite = {"email": t("users.invite_email"), "name": t("users.invite_name"), "organisation": t("users.organisation")}
    ui.form_error_summary("us_invite", labels_invite)
    st.text_input(labels_invite["email"], key="inv_email", max_chars=254, type="email", icon="", placeholder="")
    ui.field_error("us_invite", "email")
    st.text_input(labels_invite["name"], key="inv_name", max_chars=100)
    ui.field_error("us_invite", "name")
    st.text_input(t("users.organisation"), key="inv_org", max_chars=120)
    ui.field_error("us_invite", "organisation")
    st.form_submit_button(t("users.invite_submit"), on_click=invite, type="primary")

st.header(t("users.invite_employer"))
st.caption(t("users.invite_employer_help"))
organisations = {e["employer_id"]: e["organisation"] for e in db.read(registration.employers_overview)}


def invite_employer():
    s = st.session_state
    if ui.run("us_invite_emp", employer_accounts.invite, s.get("inv_emp_org"), s.get("inv_emp_email", ""),
              s.get("inv_emp_name", ""), me["email"], lang=ui.lang()) is not None:
        s.flash = "users.invited"
        for k in ("inv_emp_org", "inv_emp_email", "inv_emp_name"):
            s.pop(k, None)


if not organisations:
    st.info(t("users.no_organisations"))
else:
    with st.form("us_invite_emp_form", enter_to_submit=False):
        labels_emp = {"employer": t("users.employer"), "email": t("users.employer_email"), "name": t("users.employer_name")}
        ui.form_error_summary("us_invite_emp", labels_emp)
        st.selectbox(labels_emp["employer"], list(organisations), format_func=organisations.get, index=None,
                     key="inv_emp_org", placeholder=t("form.choose"))
        ui.field_error("us_invite_emp", "employer")
        st.text_input(labels_emp["email"], key="inv_emp_email", max_chars=254, type="email", icon="", placeholder="")
        ui.field_error("us_invite_emp", "email")
        st.text_input(labels_emp["name"], key="inv_emp_name", max_chars=100)
        ui.field_error("us_invite_emp", "name")
        st.form_submit_button(t("users.invite_employer_submit"), on_click=invite_employer, type="primary")
