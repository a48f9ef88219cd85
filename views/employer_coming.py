"""Wie komt er: for an event the organisation comes to, the profile cards that jobseekers chose to
share with its employers and staff approved: first name and initial, pitch, what they look for and
can, hours, region. At a speedmeet, until the organiser's deadline, the employer marks "graag
spreken" or "liever niet" per card; the planner uses both. Every card shown is logged as seen by this
account (results.portal.coming)."""
import streamlit as st

import ui
from eventtool.core.timeutil import fmt_local
from eventtool.results import portal

t = ui.t
ui.guard("views/employer_coming.py")
db = ui.get_db()
me = ui.current_user()
FORM = "coming"
CHOICES = ("want", "none", "avoid")
WISH_LABELS = {"want": t("coming.wish_want"), "none": t("coming.wish_none"), "avoid": t("coming.wish_avoid")}

st.title(t("coming.title"))
st.caption(t("coming.intro"))
ui.flash()

event = ui.choose_event(db.read(portal.attended_events, me["id"]), "coming_event", "coming.no_events")


def wish(event_id: int, card_id: int) -> None:
    choice = st.session_state.get(f"wish_{event_id}_{card_id}")
    ui.run(FORM, portal.set_wish, me["id"], event_id, card_id, None if choice == "none" else choice)


seen = ui.attempt(FORM, db.write, portal.coming, me["id"], event.id)
ui.form_error_summary(FORM)
if seen is None:
    st.stop()
if seen.cards:
    st.write(t("coming.count", n=len(seen.cards)))
else:
    st.info(t("coming.none"))
if seen.wishes_open:
    st.info(t("coming.wishes_until", when=fmt_local(seen.wishes_until)) if seen.wishes_until
            else t("coming.wishes_until_plan"))
elif seen.event.kind == "speedmeet":
    st.caption(t("coming.wishes_closed"))

for row in seen.cards:
    card = row.card
    with st.container(border=True):
        st.subheader(ui.plain(card.name))
        if card.pitch:
            st.markdown(ui.plain(card.pitch))
        for label, value in (("coming.seeking", card.seeking), ("coming.skills", card.skills),
                             ("coming.hours", card.hours), ("coming.region", card.region)):
            if value:
                st.markdown(f"**{t(label)}:** {ui.plain(value)}")
        if seen.wishes_open:
            st.radio(t("coming.wish", name=ui.plain(card.name)), CHOICES, index=CHOICES.index(row.wish or "none"),
                     format_func=WISH_LABELS.get, horizontal=True,
                     key=f"wish_{event.id}_{card.card_id}", on_change=wish, args=(event.id, card.card_id))
        elif row.wish:
            st.markdown(f"**{t('coming.your_wish')}:** {WISH_LABELS[row.wish]}")
