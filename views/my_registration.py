"""Mijn aanmelding: the page behind the personal link in every message."""
import base64
import html

import streamlit as st

import ui
from eventtool.events import calendars
from eventtool.registration import cards, door, mine
from eventtool.messages.content import place as event_place
from eventtool.messages.content import when as event_when
from eventtool.core.config import get_settings
from eventtool.core.vocab import SupportNeed

t = ui.t
FORM = "mine"
st.title(t("mine.title"))

token, seen = ui.opened_by_link(mine.view, "mine.no_link", "mine.link_unknown", lambda: st.page_link(
    "views/cancel.py", label=t("nav.cancel"), icon=":material/event_busy:"))
db = ui.get_db()

reg, event, person = seen.opened.registration, seen.opened.event, seen.opened.person


def act(message: str, action, link: str, *args) -> None:
    """Every action names the link it was drawn for (never the page's current one)."""
    ui.run(FORM, action, link, *args)
    if not ui.errors(FORM):
        st.session_state.flash = message


def save_reminders(link: str, registration_id: int) -> None:
    act("mine.reminders_saved", mine.set_reminders, link, st.session_state[f"mine_rem_{registration_id}"])


def save_support(link: str, registration_id: int) -> None:
    s = st.session_state
    act("mine.support_saved", mine.update_support, link, s.get(f"mine_needs_{registration_id}") or [],
        bool(s.get(f"mine_consent_{registration_id}")))


def save_card(link: str, registration_id: int) -> None:
    s = st.session_state
    data = {f: s.get(f"mine_card_{f}_{registration_id}") or "" for f in cards.TEXT_FIELDS}
    act("card.saved", mine.save_card, link, data, bool(s.get(f"mine_card_share_{registration_id}")))
    _card_shows_stored(registration_id)


def withdraw_card(link: str, registration_id: int) -> None:
    act("card.withdrawn", mine.withdraw_card, link)
    _card_shows_stored(registration_id)


def _card_shows_stored(registration_id: int) -> None:
    """After a change the card's fields show what is stored (the tick too), not what was typed."""
    if not ui.errors(FORM):
        for f in (*cards.TEXT_FIELDS, "share"):
            st.session_state.pop(f"mine_card_{f}_{registration_id}", None)


def save_contact(link: str, registration_id: int) -> None:
    s = st.session_state
    act("mine.contact_saved", mine.update_contact, link, s.get(f"mine_email_{registration_id}"),
        s.get(f"mine_phone_{registration_id}"))


st.header(ui.plain(event.title))
st.write(ui.plain(event_when(event.starts_at, event.ends_at, ui.lang())))  # as in the mails, '10:00 tot 13:00 uur'
place = event_place(event.venue_name, event.address, event.city)  # the city once, as in the mails
if place:
    st.write(ui.plain(place))
if event.accessibility_notes:
    st.caption(ui.plain(event.accessibility_notes))
st.markdown(t("mine.status", status=t(f"status.{reg.status}")))
ui.form_error_summary(FORM)

if not seen.stands:
    # Cancelled: the page only shows the registration. Coming after all is a new sign-up, on the
    # public form and by its rules (open, deadline, places), never a switch on this page.
    st.info(t("mine.closed"))
    if seen.sign_up_again:
        st.write(t("mine.sign_up_again"))
        st.page_link("views/register_employer.py" if seen.opened.employer else "views/register_jobseeker.py",
                     label=t("mine.sign_up_again_link"), icon=":material/person_add:",
                     query_params={"event": event.id})
else:
    ui.download(t("mine.calendar"), lambda: db.read(calendars.registration_ics, event.id, reg.lang, reg.status,
                                                    reg.calendar_sequence),
                file_name="activiteit.ics", mime="text/calendar", key=f"mine_ics_{reg.id}")
    st.toggle(t("mine.reminders"), value=reg.reminders, key=f"mine_rem_{reg.id}", on_change=save_reminders,
              args=(token, reg.id))

    if reg.status == "confirmed" and reg.door_code_hash is not None:
        # The same code as in the confirmation and the reminder: scanned at the door, or typed there.
        st.subheader(t("mine.door"))
        code = door.token(reg)
        # As an <img> with alt text (st.image has none: axe's image-alt), the code as text below it.
        qr = base64.b64encode(door.qr_png(code)).decode("ascii")
        st.html(f'<figure style="margin:0"><img src="data:image/png;base64,{qr}" width="220" height="220" '
                f'alt="{html.escape(t("mail.door_alt"))}"><figcaption>{html.escape(t("mine.door_caption", code=code))}'
                f'</figcaption></figure>')

    if seen.opened.employer is not None and reg.stand and reg.status == "confirmed":
        st.subheader(t("mine.own_stand", stand=ui.plain(reg.stand)))  # an employer's own stand at the job fair

    if seen.picked_stands:
        # Job fair: where the employers they chose stand (the same list as in the reminder).
        st.subheader(t("mine.stands"))
        st.markdown("\n".join(f"- **{t('mail.col.stand')} {ui.plain(stand)}**: {ui.plain(employer)}"
                              for stand, employer in seen.picked_stands))

    if reg.coach_email and not reg.coach_confirmed:
        with st.container(border=True):
            st.write(t("mine.coach", coach=ui.plain(ui.person_label(reg.coach_name or "", reg.coach_email))))
            st.button(t("mine.coach_yes"), key=f"mine_coach_{reg.id}", on_click=act,
                      args=("mine.coach_done", mine.confirm_coach, token))

    if seen.proposal:
        with st.container(border=True):
            st.write(t("mine.proposal"))
            for field, (stored, typed) in seen.proposal.items():
                st.markdown(t("review.change", field=t(f"review.field.{field}"), stored=ui.plain(str(stored or "")),
                              typed=ui.plain(str(typed or ""))))
            st.button(t("mine.proposal_yes"), key=f"mine_confirm_{reg.id}", on_click=act,
                      args=("mine.proposal_done", mine.confirm_proposal, token))

    if person is not None:
        st.subheader(t("mine.support"))
        with st.form(f"mine_support_{reg.id}", enter_to_submit=False):
            st.multiselect(t("js.support_needs"), list(SupportNeed), default=person.support_needs,
                           key=f"mine_needs_{reg.id}", format_func=lambda c: t(f"need.{c}"), placeholder=t("form.choose"))
            st.checkbox(t("js.consent_special"), key=f"mine_consent_{reg.id}", value=False)
            st.form_submit_button(t("mine.save_support"), on_click=save_support, args=(token, reg.id))
        st.subheader(t("mine.contact"))
        with st.form(f"mine_contact_{reg.id}", enter_to_submit=False):
            st.text_input(t("mine.email"), value=person.email or "", key=f"mine_email_{reg.id}", max_chars=254)
            st.text_input(t("mine.phone"), value=person.phone or "", key=f"mine_phone_{reg.id}", max_chars=20)
            st.form_submit_button(t("mine.save_contact"), on_click=save_contact, args=(token, reg.id))

        # The profile card for this event's employers: written, shared or no longer shared here.
        card = seen.card
        st.subheader(t("card.section_mine"))
        st.write(t("card.intro"))
        if card is not None and not card.shared and (card.via or "").startswith("coach:"):
            # (issue 28) the client confirms what their coach wrote by sharing it themselves
            st.info(t("card.state_by_coach"))
        elif card is None or not card.shared:
            st.info(t("card.state_not_shared"))
        elif card.status == "approved":
            st.success(t("card.state_shared"))
        elif card.status == "rejected":
            st.warning(t("card.state_rejected", reason=ui.plain(card.reason)))
        else:
            st.info(t("card.state_pending"))
        with st.form(f"mine_card_{reg.id}", enter_to_submit=False):
            for f, key in cards.LABELS.items():
                value = getattr(card, f) if card is not None else ""
                if f == "hours":
                    st.text_input(t(key), value=value, key=f"mine_card_{f}_{reg.id}", max_chars=cards.CARD_LIMITS[f])
                else:
                    st.text_area(t(key), value=value, key=f"mine_card_{f}_{reg.id}", max_chars=cards.CARD_LIMITS[f])
                ui.field_error(FORM, f"card_{f}")
            st.checkbox(t("card.share"), value=bool(card and card.shared), key=f"mine_card_share_{reg.id}",
                        help=t("card.share_help", days=get_settings().card_share_days))
            st.form_submit_button(t("card.save"), on_click=save_card, args=(token, reg.id))
        if card is not None and card.shared:
            st.button(t("card.withdraw"), key=f"mine_card_withdraw_{reg.id}", on_click=withdraw_card,
                      args=(token, reg.id))

    st.divider()
    st.button(t("mine.cancel"), key=f"mine_cancel_{reg.id}", on_click=ui.ask, args=("mine_cancel", reg.id))
    ui.confirm("mine_cancel", reg.id, t("mine.cancel_confirm", event=ui.plain(event.title)), t("mine.cancel_yes"),
               act, "mine.cancelled", mine.cancel, token)
