"""Router: page config, language, role and the navigation built for that role on every run.
Pages a role may not see are left out of st.navigation, so they are not reachable by URL either."""
import streamlit as st

import ui
from eventtool.access import visible_pages

st.set_page_config(page_title="eventtool", page_icon=":material/handshake:", layout="wide")
ui.get_db()
ui.language_switch()
t = ui.t
user = ui.current_user()
role = user["role"] if user else None

sections: dict[str, list] = {}
for spec in visible_pages(role):
    sections.setdefault(t(f"nav.section.{spec.section}"), []).append(
        st.Page(spec.script, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path, default=spec.default))
if user:
    st.sidebar.caption(t("auth.logged_in_as", name=user["name"], role=t(f"role.{user['role']}")))

page = st.navigation(sections)
ui.flash()  # a message left by the previous run: saved, logged out, ...
page.run()
