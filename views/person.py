"""Persoon: everything about one jobseeker for staff (registrations, conversations, outcomes,
messages, consents, surveys, jobcoach), and merging two records of the same person."""
import pandas as pd
import streamlit as st

import ui
from eventtool.privacy import privacy
from eventtool.privacy import records

t = ui.t
ui.guard("views/person.py")
db = ui.get_db()
FORM = "person"
st.title(t("person.title"))
st.caption(t("person.intro"))


def choose_person(label: str, choose_label: str, key: str, leave_out: int | None = None):
    """A search box and the people it finds; returns the chosen person's id."""
    query = st.text_input(label, key=f"{key}_query", max_chars=100, placeholder=t("person.search_hint"))
    found = [p for p in db.read(records.find_people, query) if p.id != leave_out]
    if query and not found:
        st.info(t("person.none_found"))
        return None
    labels = {p.id: ui.person_label(p.name, p.email or p.phone, p.id) for p in found}
    return st.selectbox(choose_label, list(labels), format_func=labels.get, index=None, key=f"{key}_id",
                        placeholder=t("form.choose")) if found else None


def merge(keep_id: int, gone_id: int) -> None:
    """Bound to the two records the question named."""
    if ui.run(FORM, records.merge, keep_id, gone_id) is not None:
        st.session_state.flash = "person.merged"
        st.session_state.pop("person_other_id", None)


person_id = choose_person(t("person.search"), t("person.choose"), "person")
ui.form_error_summary(FORM)
if person_id is None:
    st.stop()
ui.log_view("view.person", str(person_id))
data = db.read(privacy.person_data, person_id)
profile = data["profile"]
st.header(ui.plain(profile["name"]))
st.write(", ".join(ui.plain(v) for v in (profile["email"], profile["phone"], profile["region"]) if v))

SECTIONS = ("registrations", "meetings", "outcomes", "surveys", "messages", "coaches", "consents")
for section in SECTIONS:
    rows = data.get(section) or []
    st.subheader(f"{t('privacy.section.' + section)} ({len(rows)})")
    if rows:
        lang = ui.lang()
        ui.table(pd.DataFrame([{k: privacy.readable(k, v, lang) for k, v in row.items()} for row in rows]))

st.divider()
st.subheader(t("person.merge"))
st.caption(t("person.merge_help"))
other_id = choose_person(t("person.merge_search"), t("person.choose_other"), "person_other", leave_out=person_id)
if other_id is not None:
    seen = ui.run(FORM, records.merge_preview, person_id, other_id, write=False)
    if seen is not None:
        st.write(t("person.merge_preview", gone=ui.plain(ui.person_label(seen.gone.name, seen.gone.email or seen.gone.phone,
                                                                          seen.gone.id)),
                   keep=ui.plain(seen.keep.name), registrations=t("count.registrations", n=seen.registrations),
                   outcomes=t("count.results", n=seen.outcomes)))
        if seen.dropped:
            st.warning(t("person.merge_dropped", events=ui.plain(", ".join(seen.dropped))))
        if seen.filled:
            st.caption(t("person.merge_filled", fields=", ".join(t(f"review.field.{f}") for f in seen.filled)))
        pair = f"{person_id}-{other_id}"
        st.button(t("person.merge_go"), key=f"person_merge_{pair}", on_click=ui.ask, args=("person_merge", pair))
        ui.confirm("person_merge", pair, t("person.merge_confirm", gone=ui.plain(seen.gone.name),
                                           keep=ui.plain(seen.keep.name)),
                   t("person.merge_yes"), merge, person_id, other_id)
