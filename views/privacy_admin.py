import pandas as pd
import streamlit as st

import ui
from eventtool.core import audit
from eventtool.privacy import privacy
from eventtool.core.config import get_settings
from eventtool.core.timeutil import fmt_local

t = ui.t
ui.guard("views/privacy_admin.py")
db = ui.get_db()
st.title(t("privacy.title"))



def erase(jobseeker_id: int) -> None:
    ui.run("pv", privacy.erase_person, jobseeker_id)
    if not ui.errors("pv"):
        # The file scrub waits for pages that are still reading; if one never lets go, say so.
        st.session_state.flash = "privacy.erased" if privacy.scrub_file(db, wait_seconds=30) else "privacy.scrub_pending"
        st.session_state.pop("pv_person", None)


def purge(days: int) -> None:
    n = ui.run("pv_purge", privacy.purge_expired, days)
    if n is not None:
        if not privacy.scrub_file(db, wait_seconds=30):
            st.session_state.flash = "privacy.scrub_pending"
        st.session_state.pv_purged = n


tab_person, tab_retention, tab_log = ui.tabs("pv_tab", [t("privacy.tab_person"), t("privacy.tab_retention"),
                                                        t("privacy.tab_log")])

with tab_person:
    query = st.text_input(t("privacy.search"), key="pv_query", max_chars=100, help=t("privacy.search_help"))
    people = db.read(privacy.find_people, query) if query else []
    if query and not people:
        st.info(t("checkin.none_found"))
    if people:
        labels = {p.id: ui.person_label(p.name, p.email or p.phone, p.id) for p in people}
        who = st.selectbox(t("privacy.person"), list(labels), format_func=labels.get, key="pv_person")
        c1, c2 = st.columns(2)
        # Files are built when clicked.
        ui.download(t("privacy.export_json"), lambda who=who: db.read(privacy.export_json, who),
                    file_name=f"gegevens-{who}.json", mime="application/json", key="pv_json", where=c1,
                    audit_as=("export.person.json", f"jobseeker {who}"))
        ui.download(t("privacy.export_csv"), lambda who=who: db.read(privacy.export_csv, who, ui.lang()),
                    file_name=f"gegevens-{who}.csv", mime="text/csv", key="pv_csv", where=c2,
                    audit_as=("export.person.csv", f"jobseeker {who}"))
        st.warning(t("privacy.erase_warning"))
        st.button(t("privacy.erase"), key=f"pv_erase_{who}", type="primary", on_click=ui.ask, args=("erase", who))
        preview = db.read(privacy.erasure_preview, who)
        ui.confirm("erase", who, t("privacy.confirm_erase", name=ui.plain(labels[who]),
                                   registrations=t("count.registrations", n=preview["registrations"]),
                                   upcoming=t("privacy.erase_upcoming", n=preview["upcoming"]),
                                   outcomes=t("privacy.erase_outcomes", n=preview["outcomes"])),
                   t("privacy.confirm_erase_yes"), erase, who)
        ui.form_error_summary("pv")

with tab_retention:
    days = get_settings().retention_days
    st.write(t("privacy.retention_help", days=days))
    st.button(t("privacy.purge"), key="pv_purge", on_click=ui.ask, args=("purge", days))
    ui.confirm("purge", days, t("privacy.confirm_purge", days=days), t("privacy.confirm_purge_yes"), purge, days)
    if "pv_purged" in st.session_state:
        st.success(t("privacy.purged", n=st.session_state.pop("pv_purged")))
    ui.form_error_summary("pv_purge")

if tab_log.open:
    with tab_log:
        entries = db.read(audit.entries, 500)
        if entries:
            df = pd.DataFrame([{"at": fmt_local(e.at), "actor": e.actor, "action": e.action, "subject": e.subject}
                               for e in entries])
            ui.table(df, column_config={c: t(f"privacy.col.{c}") for c in df.columns})
