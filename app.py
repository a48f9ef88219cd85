"""Router: page config, language, role and the navigation built for that role on every run.
Pages a role may not see are left out of st.navigation, so they are not reachable by URL either."""
import streamlit as st

import ui
from eventtool.core.access import visible_pages

st.set_page_config(page_title="eventtool", page_icon=":material/handshake:", layout="wide")
ui.get_db()
t = ui.t
user = ui.current_user()
role = user["role"] if user else None

specs = visible_pages(role)
pages = {spec.script: st.Page(spec.script, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path,
                              default=spec.default) for spec in specs}
# Streamlit's own sidebar menu nests <div>s in its <ul> (an axe failure); our links are plain.
page = st.navigation(list(pages.values()), position="hidden")
st.set_page_config(page_title=f"{page.title} · eventtool")
ui.set_document_language()

with st.sidebar:
    section = None
    for spec in (s for s in specs if s.in_menu(role)):
        if spec.section != section:
            section = spec.section
            # A coach's or an employer's own pages are not the organiser's: their heading says so.
            own = f"_{role}" if role in ("coach", "employer") and section == "staff" else ""
            st.markdown(f"**{t('nav.section.' + section + own)}**")
        st.page_link(pages[spec.script], label=t(spec.title_key), icon=spec.icon)
    st.divider()
    ui.language_switch()
    if user:
        st.caption(t("auth.logged_in_as", name=ui.plain(user["name"]), role=t(f"role.{user['role']}")))

ui.flash()  # a message left by the previous run: saved, logged out, ...
try:
    page.run()
except Exception:  # noqa: BLE001 - st.rerun/st.stop are BaseExceptions and pass through
    ui.log.exception("page %s failed", page.title)
    st.error(t("error.page_failed"), icon=":material/error:")
ui.settle_memory()
