"""Wie komt er: for an event the organisation comes to, the profile cards that jobseekers chose to
share with its employers and staff approved: first name and initial, pitch, what they look for and
can, hours, region; searched, filtered and shown a page at a time. At a speedmeet, until the
organiser's deadline, the employer marks "graag spreken" or "liever niet" per card; the planner uses
both. Every card shown is logged as seen by this account (results.portal.coming)."""
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
SHOWN_LABELS = {"all": t("coming.shown_all"), "want": t("coming.shown_want"), "unmarked": t("coming.shown_unmarked")}

st.title(t("coming.title"))
st.caption(t("coming.intro"))
ui.flash()

event = ui.choose_event(db.read(portal.attended_events, me["id"]), "coming_event", "coming.no_events")
PAGE = f"coming_page_{event.id}"


def wish(event_id: int, card_id: int) -> None:
    choice = st.session_state.get(f"wish_{event_id}_{card_id}")
    ui.run(FORM, portal.set_wish, me["id"], event_id, card_id, None if choice == "none" else choice)


def first_page(event_id: int) -> None:
    st.session_state[f"coming_page_{event_id}"] = 1


def turn(event_id: int, page: int) -> None:
    st.session_state[f"coming_page_{event_id}"] = page


s = st.session_state
left, middle, right = st.columns([2, 1, 1])
left.text_input(t("coming.search"), key=f"coming_search_{event.id}", help=t("coming.search_help"),
                on_change=first_page, args=(event.id,))
shown = right.radio(t("coming.shown"), portal.SHOWN, format_func=SHOWN_LABELS.get, key=f"coming_shown_{event.id}",
                    on_change=first_page, args=(event.id,))
region = s.get(f"coming_region_{event.id}")  # drawn below, once the cards say which regions there are
seen = ui.attempt(FORM, db.write, portal.coming, me["id"], event.id, search=s.get(f"coming_search_{event.id}") or "",
                  region=region, shown=shown, page=s.get(PAGE, 1))
ui.form_error_summary(FORM)
if seen is None:
    st.stop()
middle.selectbox(t("coming.region"), seen.regions, index=seen.regions.index(region) if region in seen.regions else None,
                 key=f"coming_region_{event.id}", placeholder=t("coming.all_regions"), on_change=first_page,
                 args=(event.id,))

if not seen.shared:
    st.info(t("coming.none"))
elif seen.found < seen.shared:
    st.write(t("coming.found", n=seen.found, total=seen.shared))
else:
    st.write(t("coming.count", n=seen.shared))
if seen.wishes_open:
    st.info(t("coming.wishes_until", when=fmt_local(seen.wishes_until)) if seen.wishes_until
            else t("coming.wishes_until_plan"))
elif seen.event.kind == "speedmeet":
    st.caption(t("coming.wishes_closed"))

for row in seen.cards:
    card = row.card
    with st.container(border=True):
        st.header(ui.plain(card.name))
        if card.pitch:
            st.markdown(ui.plain(card.pitch))
        for label, value in (("coming.seeking", card.seeking), ("coming.skills", card.skills),
                             ("coming.hours", card.hours), ("coming.region", card.region)):
            if value:
                st.markdown(f"**{t(label)}:** {ui.plain(value)}")
        if seen.wishes_open:
            st.radio(t("coming.wish", name=ui.plain_label(card.name)), CHOICES,
                     index=CHOICES.index(row.wish or "none"), format_func=WISH_LABELS.get, horizontal=True,
                     key=f"wish_{event.id}_{card.card_id}", on_change=wish, args=(event.id, card.card_id))
        elif row.wish:
            st.markdown(f"**{t('coming.your_wish')}:** {WISH_LABELS[row.wish]}")

if seen.pages > 1:
    back, where, forward = st.columns([1, 2, 1])
    back.button(t("coming.previous"), key=f"coming_prev_{event.id}", disabled=seen.page == 1,
                on_click=turn, args=(event.id, seen.page - 1))
    where.markdown(t("coming.page", page=seen.page, pages=seen.pages))
    forward.button(t("coming.next"), key=f"coming_next_{event.id}", disabled=seen.page == seen.pages,
                   on_click=turn, args=(event.id, seen.page + 1))
