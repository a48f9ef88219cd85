import pandas as pd
import streamlit as st

import ui
from eventtool import audit, privacy
from eventtool.config import get_settings
from eventtool.timeutil import fmt_local

t = ui.t
ui.guard("views/privacy_admin.py")
db = ui.get_db()
st.title(t("privacy.title"))

tab_person, tab_retention, tab_log = st.tabs([t("privacy.tab_person"), t("privacy.tab_retention"), t("privacy.tab_log")])

with tab_person:
    query = st.text_input(t("privacy.search"), key="pv_query", max_chars=100, help=t("privacy.search_help"))
    people = db.read(privacy.find_people, query) if query else []
    if query and not people:
        st.info(t("checkin.none_found"))
    if people:
        labels = {p.id: f"{p.name} · {p.email or p.phone or ''}" for p in people}
        who = st.selectbox(t("privacy.person"), list(labels), format_func=labels.get, key="pv_person")
        c1, c2 = st.columns(2)
        # Files are built when clicked.
        c1.download_button(t("privacy.export_json"), lambda who=who: db.read(privacy.export_json, who),
                           file_name=f"gegevens-{who}.json", mime="application/json", key="pv_json", on_click=ui.log_access,
                           args=("export.person.json", f"jobseeker {who}"))
        c2.download_button(t("privacy.export_csv"), lambda who=who: db.read(privacy.export_csv, who),
                           file_name=f"gegevens-{who}.csv", mime="text/csv", key="pv_csv", on_click=ui.log_access,
                           args=("export.person.csv", f"jobseeker {who}"))
        st.warning(t("privacy.erase_warning"))
        sure = st.checkbox(t("privacy.erase_confirm"), key=f"pv_sure_{who}", value=False)
        if st.button(t("privacy.erase"), key="pv_erase", disabled=not sure, type="primary"):
            ui.run("pv", privacy.erase_person, who)
            if not ui.errors("pv"):
                privacy.scrub_file(db)
                ui.rerun_if_ok("pv", "privacy.erased")
        ui.form_error_summary("pv")

with tab_retention:
    days = get_settings().retention_days
    st.write(t("privacy.retention_help", days=days))
    if st.button(t("privacy.purge"), key="pv_purge"):
        n = ui.run("pv_purge", privacy.purge_expired, days)
        if n is not None:
            privacy.scrub_file(db)
            st.success(t("privacy.purged", n=n))
    ui.form_error_summary("pv_purge")

with tab_log:
    entries = db.read(audit.entries, 500)
    if entries:
        df = pd.DataFrame([{"at": fmt_local(e.at), "actor": e.actor, "action": e.action, "subject": e.subject}
                           for e in entries])
        st.dataframe(df, hide_index=True, column_config={c: t(f"privacy.col.{c}") for c in df.columns})
