import streamlit as st

import ui
from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.text import JOBSEEKER_LIMITS as LIMITS
from eventtool.core.vocab import REGIONS, SECTORS, SupportNeed, TargetGroup
from eventtool.registration import cards, event_changes
from eventtool.core.config import get_settings

t = ui.t
FORM = "jobseeker_form"
FIELDS = ("name", "email", "phone", "region", "interests", "seeking", "pitch", "school", "support_needs",
          "target_group", "consent_registration", "consent_special", "picks", "coach_name", "coach_email",
          "companion", "companion_name")
LABELS = {f: t(f"js.{f}") for f in FIELDS}
# The optional profile card for the event's employers (cards): its own fields, its own tick.
CARD_TEXT = {f"card_{f}": key for f, key in cards.LABELS.items()}
CARD_FIELDS = (*CARD_TEXT, "card_share")
LABELS |= {f: t(key) for f, key in CARD_TEXT.items()} | {"card_share": t("card.share")}
CARD_LIMITS = {f"card_{f}": n for f, n in cards.CARD_LIMITS.items()}

st.title(t("js.title"))
st.write(t("js.intro"))

db = ui.get_db()
open_events = {item.event.id: item for item in db.read(event_changes.agenda)}
if not open_events:
    st.info(t("agenda.empty"))
    st.stop()

chosen = ui.choose_open_event(open_events, "js_event")
event, event_id = chosen.event, chosen.event.id
if chosen.places_left_jobseekers == 0:
    st.warning(t("js.event_full"))


def submit(event_id: int) -> None:
    s = st.session_state
    if ui.cut_to_limits("js", LIMITS | CARD_LIMITS, FORM) or not ui.not_a_bot(FORM, "js"):
        return
    data = {f: s.get(f"js_{f}") for f in FIELDS if f != "picks"}
    picks = s.get("js_picks") or []
    card = {f: s.get(f"js_card_{f}") or "" for f in cards.TEXT_FIELDS}
    result = ui.run(FORM, registration.register_jobseeker, event_id, data, picks=picks, lang=ui.lang(),
                    card=card, share_card=bool(s.get("js_card_share")))
    if result is not None:
        ui.signed_up("js", FIELDS + CARD_FIELDS, result, db.read(events.get_event, event_id))
    else:
        ui.count_refusal()


if st.session_state.get("js_result"):
    ui.signup_confirmation("js_result", "js_ics")

ui.form_shown(FORM)
with st.form(FORM, enter_to_submit=False):
    ui.form_error_summary(FORM, LABELS)
    st.header(t("js.section_you"))
    # No max_chars: the browser would cut a long paste without a word; the form cuts it and says so.
    st.text_input(LABELS["name"], key="js_name", autocomplete="name")
    ui.field_error(FORM, "name")
    st.text_input(LABELS["email"], key="js_email", type="email", autocomplete="email", help=t("js.contact_help"),
                  icon="", placeholder="", validate="")
    ui.field_error(FORM, "email")
    st.text_input(LABELS["phone"], key="js_phone", type="phone", autocomplete="tel", icon="", placeholder="")
    ui.field_error(FORM, "phone")
    st.selectbox(LABELS["region"], REGIONS, index=None, key="js_region", placeholder=t("form.choose"))
    ui.field_error(FORM, "region")

    st.header(t("js.section_work"))
    st.multiselect(LABELS["interests"], SECTORS, key="js_interests", format_func=lambda c: t(f"sector.{c}"),
                   placeholder=t("form.choose"))
    ui.field_error(FORM, "interests")
    st.text_input(LABELS["seeking"], key="js_seeking")
    ui.field_error(FORM, "seeking")
    st.text_area(LABELS["pitch"], key="js_pitch", help=t("js.pitch_help"))
    ui.field_error(FORM, "pitch")
    st.text_input(LABELS["school"], key="js_school", help=t("js.school_help"))
    ui.field_error(FORM, "school")
    if event.kind in registration.PICK_KINDS:
        employers = {e.id: e.organisation for e in db.read(registration.event_employers, event.id)}
        st.multiselect(LABELS["picks"], list(employers), key="js_picks", max_selections=registration.MAX_PICKS,
                       format_func=lambda i: employers.get(i, "?"), help=t("js.picks_help"),
                       placeholder=t("form.choose"))
        ui.field_error(FORM, "picks")

    st.header(t("js.section_support"))
    st.write(t("js.support_intro"))
    st.multiselect(LABELS["support_needs"], list(SupportNeed), key="js_support_needs",
                   format_func=lambda c: t(f"need.{c}"), placeholder=t("form.choose"))
    ui.field_error(FORM, "support_needs")
    st.selectbox(LABELS["target_group"], list(TargetGroup), index=None, key="js_target_group",
                 format_func=lambda c: t(f"target.{c}"), placeholder=t("form.optional"))
    ui.field_error(FORM, "target_group")
    st.checkbox(LABELS["consent_special"], key="js_consent_special", value=False)
    ui.field_error(FORM, "consent_special")
    st.caption(t("js.coach_help"))
    st.text_input(LABELS["coach_name"], key="js_coach_name", autocomplete="off")
    ui.field_error(FORM, "coach_name")
    st.text_input(LABELS["coach_email"], key="js_coach_email", type="email", autocomplete="off", icon="", placeholder="",
                  validate="")
    ui.field_error(FORM, "coach_email")
    st.selectbox(LABELS["companion"], ["jobcoach", "interpreter"], index=None, key="js_companion",
                 format_func=lambda c: t(f"companion.{c}").capitalize(), placeholder=t("js.companion_none"))
    st.text_input(LABELS["companion_name"], key="js_companion_name", autocomplete="off")
    ui.field_error(FORM, "companion_name")

    st.header(t("js.section_consent"))
    st.checkbox(LABELS["consent_registration"], key="js_consent_registration", value=False)
    ui.field_error(FORM, "consent_registration")
    st.caption(t("js.privacy_note"))

    st.header(t("card.section"))
    st.write(t("card.intro"))
    st.text_area(LABELS["card_pitch"], key="js_card_pitch", help=t("card.pitch_help"))
    ui.field_error(FORM, "card_pitch")
    st.text_area(LABELS["card_seeking"], key="js_card_seeking")
    ui.field_error(FORM, "card_seeking")
    st.text_area(LABELS["card_skills"], key="js_card_skills")
    ui.field_error(FORM, "card_skills")
    st.text_input(LABELS["card_hours"], key="js_card_hours", autocomplete="off")
    ui.field_error(FORM, "card_hours")
    st.checkbox(LABELS["card_share"], key="js_card_share", value=False,
                help=t("card.share_help", days=get_settings().card_share_days))
    ui.field_error(FORM, "card_share")
    ui.honeypot("js")
    ui.field_error(FORM, "_send")  # a refusal stands where the person is looking: by the button
    st.form_submit_button(t("js.submit"), on_click=submit, args=(event_id,), type="primary")
ui.form_a11y(FORM, LABELS)
