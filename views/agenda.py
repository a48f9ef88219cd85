import streamlit as st

import ui
from eventtool.events import events
from eventtool.core.timeutil import fmt_local
from eventtool.registration import catalogue, event_changes

t = ui.t
st.title(t("agenda.title"))
st.write(t("agenda.intro"))

items = ui.get_db().read(event_changes.agenda)
if not items:
    st.info(t("agenda.empty"))
coming = ui.get_db().read(catalogue.catalogue, [item.event.id for item in items])


def employers_coming(found: list) -> None:
    """The organisations that come, with their sectors and places (issue 28's catalogue)."""
    with st.expander(t("agenda.employers", n=len(found))):
        for org in found:
            sectors = ", ".join(ui.label("sector", s) for s in org.sectors)
            st.markdown(f"**{ui.plain(org.organisation)}**" + (f" · {sectors}" if sectors else "")
                        + (f" · {ui.plain(org.region)}" if org.region else ""))
            if org.offers:
                st.markdown(ui.plain(org.offers))
            for place in org.places:
                facts = [ui.plain(x) for x in (place.hours, place.place) if x]
                facts += [ui.label("adaptation", a) for a in place.adaptations]
                st.markdown(f"- {ui.plain(place.title)}" + (f" ({', '.join(facts)})" if facts else ""))

for item in items:
    event = item.event
    with st.container(border=True):
        st.header(f"{t('kind.' + event.kind)}: {ui.plain(event.title)}")
        st.markdown(f"**{t('agenda.when')}:** {fmt_local(event.starts_at)} – {fmt_local(event.ends_at, with_date=False)}")
        if event.venue_name or event.address:
            st.markdown(f"**{t('agenda.where')}:** {ui.plain(', '.join(p for p in (event.venue_name, event.address) if p))}")
        if event.accessibility_notes:
            st.markdown(f"**{t('agenda.accessibility')}:** {ui.plain(event.accessibility_notes)}")
        if event.description:
            st.markdown(ui.plain(event.description))
        if item.blocks:
            st.markdown(f"**{t('agenda.programme')}:**")
            st.markdown("\n".join(
                f"- {fmt_local(b.starts_at, with_date=False)}–{fmt_local(b.ends_at, with_date=False)}: "
                f"{ui.plain(b.title)} ({t('audience.' + b.audience)})" for b in item.blocks))
        if coming.get(event.id):
            employers_coming(coming[event.id])
        if item.places_left_jobseekers > 0:
            st.markdown(t("agenda.places_left", n=item.places_left_jobseekers))
        else:
            st.markdown(t("agenda.full_waitlist"))
        left, right = st.columns(2)
        if left.button(t("agenda.register_jobseeker"), key=f"js_{event.id}", type="primary"):
            st.session_state.register_event = event.id
            st.switch_page("views/register_jobseeker.py")
        if event.capacity_employers and right.button(t("agenda.register_employer"), key=f"emp_{event.id}"):
            st.session_state.register_event = event.id
            st.switch_page("views/register_employer.py")
