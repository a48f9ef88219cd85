"""Onze organisatie: an employer's own organisation, as its contact persons keep it: its sectors,
region and what it offers, and its places (title, hours, where, what can be adapted, a short
description), kept and reused at every event. Every verb finds the organisation from the logged-in
account; each button is bound to the place it was drawn for."""
import streamlit as st

import ui
from eventtool.core.vocab import REGIONS, SECTORS, Adaptation
from eventtool.people import employer_accounts, vacancies

t = ui.t
ui.guard("views/employer_organisation.py")
db = ui.get_db()
me = ui.current_user()
ui.employer_id()
PROFILE, ADD, ACTION = "org_profile", "vac_add", "vac_action"
PLACE_FIELDS = ("title", "hours", "place", "adaptations", "description")
LABELS = {f: t(f"vacancy.{f}") for f in PLACE_FIELDS}

employer = db.read(vacancies.organisation, me["id"])
st.title(t("employer_org.title"))
st.caption(ui.plain(employer.organisation))
st.write(t("employer_org.team", names=", ".join(ui.plain(u.name) for u in db.read(employer_accounts.team, me["id"]))))


# --------------------------------------------------------------------------- the organisation

def save_profile() -> None:
    s = st.session_state
    ui.run(PROFILE, vacancies.update_organisation, me["id"], s.get("org_sectors") or [], s.get("org_region"),
           s.get("org_offers") or "")
    if not ui.errors(PROFILE):
        s.flash = "employer_org.saved"
        for key in ("org_sectors", "org_region", "org_offers"):
            s.pop(key, None)  # shown again as stored


st.header(t("employer_org.about"))
st.session_state.setdefault("org_sectors", [c for c in employer.sectors if c in SECTORS])
st.session_state.setdefault("org_region", employer.region if employer.region in REGIONS else None)
st.session_state.setdefault("org_offers", employer.offers)
with st.form(PROFILE, enter_to_submit=False):
    ui.form_error_summary(PROFILE, {"sectors": t("emp.sectors"), "region": t("emp.region"), "offers": t("emp.offers")})
    st.multiselect(t("emp.sectors"), SECTORS, key="org_sectors", format_func=lambda c: t(f"sector.{c}"),
                   placeholder=t("form.choose"))
    ui.field_error(PROFILE, "sectors")
    st.selectbox(t("emp.region"), REGIONS, key="org_region", index=None, placeholder=t("form.choose"))
    ui.field_error(PROFILE, "region")
    st.text_area(t("emp.offers"), key="org_offers", help=t("emp.offers_help"), max_chars=600)
    ui.field_error(PROFILE, "offers")
    st.form_submit_button(t("employer_org.save"), on_click=save_profile, type="primary")


# --------------------------------------------------------------------------- places

def _data(prefix: str) -> dict:
    s = st.session_state
    return {f: s.get(f"{prefix}_{f}") or ([] if f == "adaptations" else "") for f in PLACE_FIELDS}


def add() -> None:
    if ui.run(ADD, vacancies.add, me["id"], _data("vac_new")) is not None:
        st.session_state.flash = "employer_org.place_added"
        for f in PLACE_FIELDS:
            st.session_state.pop(f"vac_new_{f}", None)  # an empty form for the next place


def change(vacancy_id: int) -> None:
    form = f"vac_edit_{vacancy_id}"
    if ui.run(form, vacancies.change, me["id"], vacancy_id, _data(form)) is not None:
        st.session_state.flash = "employer_org.place_saved"
        st.session_state.pop("vac_editing", None)
        for f in PLACE_FIELDS:
            st.session_state.pop(f"{form}_{f}", None)


def edit(vacancy_id: int) -> None:
    st.session_state.vac_editing = vacancy_id


def stop_editing() -> None:
    st.session_state.pop("vac_editing", None)


def remove(vacancy_id: int) -> None:
    ui.run(ACTION, vacancies.remove, me["id"], vacancy_id)
    if not ui.errors(ACTION):
        st.session_state.flash = "employer_org.place_removed"


def place_fields(prefix: str, form: str) -> None:
    st.text_input(LABELS["title"], key=f"{prefix}_title", max_chars=vacancies.LIMITS["title"])
    ui.field_error(form, "title")
    st.text_input(LABELS["hours"], key=f"{prefix}_hours", max_chars=vacancies.LIMITS["hours"],
                  help=t("vacancy.hours_help"))
    ui.field_error(form, "hours")
    st.text_input(LABELS["place"], key=f"{prefix}_place", max_chars=vacancies.LIMITS["place"])
    ui.field_error(form, "place")
    st.multiselect(LABELS["adaptations"], list(Adaptation), key=f"{prefix}_adaptations",
                   format_func=lambda a: t(f"adaptation.{a}"), placeholder=t("form.optional"))
    ui.field_error(form, "adaptations")
    st.text_area(LABELS["description"], key=f"{prefix}_description", max_chars=vacancies.LIMITS["description"])
    ui.field_error(form, "description")


st.header(t("employer_org.places"))
ui.form_error_summary(ACTION)
places = db.read(vacancies.places, me["id"])
if not places:
    st.info(t("employer_org.no_places"))
for v in places:
    with st.container(border=True):
        st.subheader(ui.plain(v.title))
        facts = [ui.plain(x) for x in (v.hours, v.place) if x]
        if facts:
            st.write(" · ".join(facts))
        if v.adaptations:
            st.write(t("employer_org.adaptable", what=", ".join(t(f"adaptation.{a}") for a in v.adaptations)))
        if v.description:
            st.text(v.description)
        if st.session_state.get("vac_editing") == v.id:
            form = f"vac_edit_{v.id}"
            for f in PLACE_FIELDS:
                st.session_state.setdefault(f"{form}_{f}", getattr(v, f))
            with st.form(form, enter_to_submit=False):
                ui.form_error_summary(form, LABELS)
                place_fields(form, form)
                st.form_submit_button(t("employer_org.save_place"), on_click=change, args=(v.id,), type="primary")
            st.button(t("employer_org.stop_editing"), key=f"vac_stop_{v.id}", on_click=stop_editing)
        else:
            c1, c2 = st.columns(2)
            c1.button(t("employer_org.edit_place"), key=f"vac_edit_button_{v.id}", on_click=edit, args=(v.id,))
            c2.button(t("employer_org.remove_place"), key=f"vac_remove_{v.id}", on_click=ui.ask,
                      args=("vac_remove", v.id))
            ui.confirm("vac_remove", v.id, t("employer_org.confirm_remove", title=ui.plain(v.title)),
                       t("employer_org.confirm_remove_yes"), remove, v.id)

st.subheader(t("employer_org.new_place"))
with st.form(ADD, enter_to_submit=False):
    ui.form_error_summary(ADD, LABELS)
    place_fields("vac_new", ADD)
    st.form_submit_button(t("employer_org.add_place"), on_click=add, type="primary")
