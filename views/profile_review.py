"""Profielkaarten nakijken: the profile cards jobseekers chose to share with an event's employers,
waiting for staff (cards). Approve as written, correct and approve (the person is told what
changed), or reject with a reason (told to the person). Each action names the card it was drawn for."""
import streamlit as st

import ui
from eventtool.core.timeutil import to_local
from eventtool.registration import cards

t = ui.t
ui.guard("views/profile_review.py")
db = ui.get_db()
FORM = "cards_review"
st.title(t("cards.title"))
st.write(t("cards.intro"))
ui.form_error_summary(FORM, {"reason": t("cards.reason")} | {f"card_{f}": t(k) for f, k in cards.LABELS.items()})


def _reviewer() -> str:
    user = st.session_state.get("user") or {}
    return user.get("email", "")


def _done(card_id: int, message: str) -> None:
    """The card a problem belongs to shows it under its field; a done card leaves the list."""
    if ui.errors(FORM):
        st.session_state.cr_failed = card_id
        if ui.errors(FORM).get("_form", ("",))[0] == "card.changed_since":
            for f in cards.TEXT_FIELDS:  # show the person's new text, to decide on that
                st.session_state.pop(f"cr_{f}_{card_id}", None)
    else:
        st.session_state.pop("cr_failed", None)
        st.session_state.flash = message
        for f in (*cards.TEXT_FIELDS, "reason"):  # should the card come back, it shows its new text
            st.session_state.pop(f"cr_{f}_{card_id}", None)


# Each decision carries the text it was drawn with (cards.seen_text): a person who changed their card
# since gets it reviewed as it is now, never approved unseen.


def _typed(card_id: int) -> dict:
    s = st.session_state
    return {f: s.get(f"cr_{f}_{card_id}") or "" for f in cards.TEXT_FIELDS}


def approve(card_id: int, seen: str) -> None:
    if cards.seen_text(cards.ProfileCard(**_typed(card_id))) != seen:
        # Typed a correction, then pressed 'Goedkeuren': nothing is lost, nothing approved unseen.
        st.session_state[f"_errors_{FORM}"] = {"_form": ("cards.typed_then_approve", {})}
        st.session_state.cr_failed = card_id
        return
    ui.run(FORM, cards.approve, card_id, _reviewer(), seen=seen)
    _done(card_id, "cards.approved")


def correct(card_id: int, seen: str) -> None:
    ui.run(FORM, cards.correct, card_id, _typed(card_id), _reviewer(), seen=seen)
    _done(card_id, "cards.corrected")


def reject(card_id: int, seen: str) -> None:
    ui.run(FORM, cards.reject, card_id, st.session_state.get(f"cr_reason_{card_id}") or "", _reviewer(), seen=seen)
    _done(card_id, "cards.rejected")


waiting = db.read(cards.waiting)
if not waiting:
    st.info(t("cards.empty"))
    st.stop()

failed = st.session_state.get("cr_failed")


def field_error(card_id: int, field: str) -> None:
    if card_id == failed:
        ui.field_error(FORM, field)


for item in waiting:
    card = item.card
    st.header(t("cards.about", name=ui.plain(item.name), event=ui.plain(item.event_title),
                date=to_local(item.event_starts_at).strftime("%d-%m-%Y")))
    with st.form(f"cr_form_{card.id}", enter_to_submit=False):
        st.caption(t("cards.edit_help"))
        for f, key in cards.LABELS.items():
            if f == "hours":
                st.text_input(t(key), value=getattr(card, f), key=f"cr_{f}_{card.id}", max_chars=cards.CARD_LIMITS[f])
            else:
                st.text_area(t(key), value=getattr(card, f), key=f"cr_{f}_{card.id}", max_chars=cards.CARD_LIMITS[f])
            field_error(card.id, f"card_{f}")
        c1, c2 = st.columns(2)
        c1.form_submit_button(t("cards.approve"), type="primary", on_click=approve, args=(card.id, cards.seen_text(card)))
        c2.form_submit_button(t("cards.correct"), on_click=correct, args=(card.id, cards.seen_text(card)))
    with st.form(f"cr_reject_{card.id}", enter_to_submit=False):
        st.text_area(t("cards.reason"), key=f"cr_reason_{card.id}", max_chars=cards.REASON_MAX)
        field_error(card.id, "reason")
        st.form_submit_button(t("cards.reject"), on_click=reject, args=(card.id, cards.seen_text(card)))
