"""Router: page config, language, role and the navigation built for that role on every run.
Pages a role may not see are left out of st.navigation, so they are not reachable by URL either."""
import streamlit as st

import ui

st.set_page_config(page_title="eventtool", page_icon=":material/handshake:", layout="wide")
ui.get_db()
ui.language_switch()
t = ui.t
user = ui.current_user()

public = [
    st.Page("pages/agenda.py", title=t("nav.agenda"), icon=":material/event:", url_path="agenda", default=True),
    st.Page("pages/register_jobseeker.py", title=t("nav.register_jobseeker"), icon=":material/person_add:",
            url_path="aanmelden"),
    st.Page("pages/register_employer.py", title=t("nav.register_employer"), icon=":material/business:",
            url_path="werkgevers"),
    st.Page("pages/cancel.py", title=t("nav.cancel"), icon=":material/event_busy:", url_path="afmelden"),
]
sections = {t("nav.section.public"): public}

if user is None:
    sections[t("nav.section.staff")] = [
        st.Page("pages/login.py", title=t("nav.login"), icon=":material/login:", url_path="login")]
else:
    staff = [st.Page("pages/registrations_admin.py", title=t("nav.registrations"), icon=":material/groups:",
                     url_path="inschrijvingen")]
    if user["role"] == "organiser":
        staff.insert(0, st.Page("pages/events_admin.py", title=t("nav.events"), icon=":material/edit_calendar:",
                                url_path="activiteiten"))
    staff.append(st.Page("pages/logout.py", title=t("nav.logout"), icon=":material/logout:", url_path="uitloggen"))
    sections[t("nav.section.staff")] = staff
    st.sidebar.caption(t("auth.logged_in_as", name=user["name"], role=t(f"role.{user['role']}")))

st.navigation(sections).run()
