"""A jobseeker's profile card (issue 28): written on the public form or 'mijn aanmelding', shared
only by the person's own tick, seen by the event's employers only once staff approved exactly that
text, while the place stands and until card_share_days after the event."""
import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import select

from eventtool.core.config import get_settings
from eventtool.core.errors import DomainError, NotFound, ValidationFailed
from eventtool import sender
from eventtool.messages import links
from eventtool.messages.models import Message
from eventtool.people.models import Jobseeker
from eventtool.registration import cards, event_changes, mine, registration
from eventtool.registration.models import CardView, ProfileCard, Registration

from ..conftest import company, person

CARD = {"pitch": "Ik ben Anna en ik werk graag met planten.", "seeking": "Werk in een kas",
        "skills": "Zorgvuldig, op tijd", "hours": "24 uur"}


def card_row(db, registration_id):
    return db.read(lambda s: s.exec(select(ProfileCard).where(ProfileCard.registration_id == registration_id)).first())


def sign_up_with_card(db, event_id, n=None, card=CARD, share=True, **overrides):
    return db.write(registration.register_jobseeker, event_id, person(n, **overrides), card=card, share_card=share)


def visible(db, event_id, **kwargs):
    return db.read(cards.visible_cards, event_id, **kwargs)


@pytest.fixture
def shared_event(db, create_event):
    """An event with one employer and one jobseeker whose shared card staff approved."""
    ev = create_event(capacity_employers=3)
    employer = db.write(registration.register_employer, ev.id, company()).registration
    signup = sign_up_with_card(db, ev.id, name="Anna de Vries")
    card = card_row(db, signup.registration.id)
    db.write(cards.approve, card.id, "staf@example.nl")
    return ev, employer, signup, card


# --------------------------------------------------------------------------- saving and sharing


def test_the_public_form_keeps_the_card_with_the_registration_it_created_and_shares_only_when_ticked(db, create_event):
    ev = create_event()
    shared = sign_up_with_card(db, ev.id, share=True)
    kept = sign_up_with_card(db, ev.id, share=False)
    without = db.write(registration.register_jobseeker, ev.id, person())
    card = card_row(db, shared.registration.id)
    assert (card.pitch, card.seeking, card.skills, card.hours) == tuple(CARD.values())
    assert card.shared and card.shared_at is not None and card.share_version == cards.SHARE_VERSION
    assert card.status == "pending" and card.via is None
    unshared = card_row(db, kept.registration.id)
    assert not unshared.shared and unshared.shared_at is None and unshared.share_version is None
    assert card_row(db, without.registration.id) is None
    # an empty card that is not shared is not stored at all
    empty = db.write(registration.register_jobseeker, ev.id, person(), card={"pitch": " "}, share_card=False)
    assert card_row(db, empty.registration.id) is None


def test_the_form_refuses_a_broken_card_with_the_persons_own_problems_at_once(db, create_event):
    ev = create_event()
    with pytest.raises(ValidationFailed) as exc:
        db.write(registration.register_jobseeker, ev.id, person(name=""),
                 card={"pitch": "x" * 301, "hours": "a\tb", "skills": "ok"}, share_card=True)
    assert exc.value.errors["card_pitch"] == ("field.too_long", {"max": 300})
    assert exc.value.errors["card_hours"][0] == "field.control_chars"
    assert exc.value.errors["name"][0] == "field.required"
    with pytest.raises(ValidationFailed) as exc:
        db.write(registration.register_jobseeker, ev.id, person(), card={}, share_card=True)
    assert exc.value.errors == {"card_pitch": ("card.empty", {})}
    # nothing was stored by the refused forms
    assert db.read(lambda s: s.exec(select(Registration)).all()) == []
    assert db.read(lambda s: s.exec(select(ProfileCard)).all()) == []


def test_a_form_that_finds_an_existing_registration_does_not_change_its_card(db, create_event):
    ev = create_event()
    first = sign_up_with_card(db, ev.id, n=7, share=False)
    before = card_row(db, first.registration.id)
    again = sign_up_with_card(db, ev.id, n=7, card={"pitch": "Iemand anders typte dit"}, share=True)
    assert again.again and again.registration.id == first.registration.id
    assert card_row(db, first.registration.id) == before  # the text and the choice as they were
    # also after a cancellation: the form that signs them up again did not create that registration
    db.write(registration.cancel_by_code, first.code)
    db.write(registration.register_jobseeker, ev.id, person(7), card={"pitch": "Nieuw"}, share_card=True)
    after = card_row(db, first.registration.id)
    assert (after.pitch, after.shared) == (before.pitch, False)


def test_a_change_by_the_person_sends_an_approved_card_back_and_unticking_hides_it_at_once(db, shared_event):
    ev, _employer, signup, card = shared_event
    assert [c.card_id for c in visible(db, ev.id)] == [card.id]
    # the same text again (and its tick) changes nothing
    db.write(cards.save_card, signup.registration.id, CARD, share=True)
    stored = card_row(db, signup.registration.id)
    assert stored.status == "approved" and stored.shared_at == card.shared_at
    db.write(cards.save_card, signup.registration.id, CARD | {"hours": "32 uur"}, share=True)
    stored = card_row(db, signup.registration.id)
    assert (stored.status, stored.hours, stored.reviewed_at) == ("pending", "32 uur", None)
    assert visible(db, ev.id) == []
    db.write(cards.approve, stored.id)
    assert len(visible(db, ev.id)) == 1
    db.write(cards.save_card, signup.registration.id, CARD | {"hours": "32 uur"}, share=False)
    stored = card_row(db, signup.registration.id)
    assert not stored.shared and stored.shared_at is None and stored.status == "approved"
    assert visible(db, ev.id) == []
    # sharing again is a new tick with its own moment and text version; the approved text stays approved
    db.write(cards.save_card, signup.registration.id, CARD | {"hours": "32 uur"}, share=True)
    stored = card_row(db, signup.registration.id)
    assert stored.shared and stored.share_version == cards.SHARE_VERSION and len(visible(db, ev.id)) == 1


def test_mine_shows_edits_shares_and_withdraws_only_the_links_own_card(db, create_event):
    ev = create_event()
    own = db.write(registration.register_jobseeker, ev.id, person())
    other = sign_up_with_card(db, ev.id, share=True)
    token = db.write(links.mint, own.registration.id, ev.ends_at)
    assert db.read(mine.view, token).card is None
    db.write(mine.save_card, token, {"pitch": "Mijn eigen kaart", "hours": "20"}, True)
    card = db.read(mine.view, token).card
    assert (card.pitch, card.hours, card.shared, card.status) == ("Mijn eigen kaart", "20", True, "pending")
    db.write(mine.withdraw_card, token)
    assert not card_row(db, own.registration.id).shared
    # the other registration's card is untouched by all of it
    theirs = card_row(db, other.registration.id)
    assert (theirs.pitch, theirs.shared) == (CARD["pitch"], True)
    with pytest.raises(ValidationFailed) as exc:
        db.write(mine.save_card, token, {"skills": "y" * 301}, False)
    assert set(exc.value.errors) == {"card_skills"}
    db.write(registration.cancel_by_code, own.code)
    with pytest.raises(DomainError, match="cancel.already_cancelled"):
        db.write(mine.save_card, token, {"pitch": "Toch"}, True)


# --------------------------------------------------------------------------- staff review


def test_waiting_lists_shared_pending_cards_of_standing_registrations(db, create_event):
    ev = create_event()
    shared = sign_up_with_card(db, ev.id, share=True, name="Sam Smit")
    sign_up_with_card(db, ev.id, share=False)
    cancelled = sign_up_with_card(db, ev.id, share=True)
    db.write(registration.cancel_by_code, cancelled.code)
    approved = sign_up_with_card(db, ev.id, share=True)
    db.write(cards.approve, card_row(db, approved.registration.id).id)
    waiting = db.read(cards.waiting)
    assert [w.card.registration_id for w in waiting] == [shared.registration.id]
    assert (waiting[0].event_title, waiting[0].name, waiting[0].event_starts_at) == (ev.title, "Sam Smit", ev.starts_at)


def test_approve_and_reject_only_a_card_still_waiting(db, create_event):
    ev = create_event()
    signup = sign_up_with_card(db, ev.id, share=True)
    card = card_row(db, signup.registration.id)
    db.write(cards.save_card, signup.registration.id, CARD, share=False)  # withdrawn while staff looked
    with pytest.raises(DomainError, match="card.not_waiting"):
        db.write(cards.approve, card.id)
    with pytest.raises(NotFound):
        db.write(cards.approve, card.id + 1000)
    db.write(cards.save_card, signup.registration.id, CARD, share=True)
    with pytest.raises(DomainError) as exc:
        db.write(cards.reject, card.id, "  ")
    assert (exc.value.code, exc.value.field) == ("field.required", "reason")
    assert card_row(db, signup.registration.id).status == "pending"


def test_a_correction_is_approved_and_the_person_told_what_changed_in_their_language(db, create_event):
    ev = create_event()
    signup = db.write(registration.register_jobseeker, ev.id, person(name="Sam Smit", email="sam@example.nl"),
                      card=CARD, share_card=True, lang="en")
    card = card_row(db, signup.registration.id)
    db.write(cards.correct, card.id, CARD | {"skills": "Zorgvuldig"}, "staf@example.nl")
    stored = card_row(db, signup.registration.id)
    assert (stored.status, stored.skills, stored.reviewed_by) == ("approved", "Zorgvuldig", "staf@example.nl")
    mail = db.read(lambda s: s.exec(select(Message).where(Message.kind == "card_corrected")).one())
    assert (mail.lang, mail.registration_id, mail.to_address) == ("en", signup.registration.id, "sam@example.nl")
    assert mail.subject == f"Your profile card for {ev.title} was changed"
    assert 'What I am good at: before "Zorgvuldig, op tijd", now "Zorgvuldig"' in mail.body_text
    assert links.PLACEHOLDER in mail.body_text and links.PLACEHOLDER in mail.body_html
    # the sender fills in the person's own 'mijn aanmelding' link, where they can change the card
    page, token = db.write(lambda s: sender._link(s, s.get(Message, mail.id), None))
    assert page == "mijn-aanmelding" and db.read(mine.view, token).opened.registration.id == signup.registration.id
    built = sender.build(mail, "eventtool <noreply@example.nl>", f"https://x/{page}?t={token}", "https://x/")
    assert f"https://x/mijn-aanmelding?t={token}" in built.get_body(("plain",)).get_content()
    assert [c.card_id for c in visible(db, ev.id)] == [card.id]


def test_a_rejection_tells_the_reason_by_mail_and_hides_the_card(db, create_event):
    ev = create_event()
    signup = sign_up_with_card(db, ev.id, share=True, email="anna@example.nl")
    card = card_row(db, signup.registration.id)
    db.write(cards.reject, card.id, "Er staat een telefoonnummer <b>in</b>.", "staf@example.nl")
    stored = card_row(db, signup.registration.id)
    assert (stored.status, stored.reason) == ("rejected", "Er staat een telefoonnummer <b>in</b>.")
    mail = db.read(lambda s: s.exec(select(Message).where(Message.kind == "card_rejected")).one())
    assert mail.to_address == "anna@example.nl" and mail.lang == "nl"
    assert "De reden: Er staat een telefoonnummer <b>in</b>." in mail.body_text
    assert "&lt;b&gt;in&lt;/b&gt;" in mail.body_html and "<b>in</b>" not in mail.body_html
    assert visible(db, ev.id) == []
    # the person changes the text: it waits for staff again
    db.write(cards.save_card, signup.registration.id, CARD | {"pitch": "Zonder nummer"}, share=True)
    stored = card_row(db, signup.registration.id)
    assert (stored.status, stored.reason) == ("pending", "")


# --------------------------------------------------------------------------- what employers see


def test_visible_cards_hold_only_the_short_name_the_card_and_the_region(db, shared_event):
    ev, _employer, signup, card = shared_event
    seen = visible(db, ev.id)
    assert [f.name for f in dataclasses.fields(cards.VisibleCard)] == [
        "card_id", "registration_id", "jobseeker_id", "name", "pitch", "seeking", "skills", "hours", "region"]
    assert seen == [cards.VisibleCard(card.id, signup.registration.id, signup.registration.jobseeker_id, "Anna V.",
                                      CARD["pitch"], CARD["seeking"], CARD["skills"], CARD["hours"], None)]


def test_visible_cards_leave_out_waitlisted_cancelled_and_erased_people(db, create_event):
    ev = create_event(capacity_jobseekers=1)
    first = sign_up_with_card(db, ev.id)
    waiting = sign_up_with_card(db, ev.id)
    assert waiting.registration.status == "waitlisted"
    for signup in (first, waiting):
        db.write(cards.approve, card_row(db, signup.registration.id).id)
    assert [c.registration_id for c in visible(db, ev.id)] == [first.registration.id]
    db.write(registration.cancel_by_code, first.code)  # the waiting one gets the place
    assert [c.registration_id for c in visible(db, ev.id)] == [waiting.registration.id]
    db.write(lambda s: setattr(s.get(Registration, waiting.registration.id), "cancel_token_hash", "erased:x"))
    assert visible(db, ev.id) == []


def test_visible_cards_end_share_days_after_the_event_and_with_a_cancelled_event(db, shared_event, monkeypatch):
    ev, _employer, _signup, card = shared_event
    assert len(visible(db, ev.id, now=ev.ends_at + timedelta(days=14))) == 1
    assert visible(db, ev.id, now=ev.ends_at + timedelta(days=14, seconds=1)) == []
    assert len(visible(db, ev.id, now=ev.ends_at + timedelta(days=20), share_days=30)) == 1
    monkeypatch.setenv("EVENTTOOL_CARD_SHARE_DAYS", "3")
    get_settings.cache_clear()
    assert visible(db, ev.id, now=ev.ends_at + timedelta(days=4)) == []
    assert len(visible(db, ev.id, now=ev.ends_at + timedelta(days=3))) == 1
    db.write(event_changes.set_status, ev.id, "cancelled")
    assert visible(db, ev.id) == []


@pytest.mark.parametrize("name, short", [
    ("Anna de Vries", "Anna V."), ("Kim van den Berg", "Kim B."), ("Jan Peter Balkenende", "Jan B."),
    ("Anna Maria de Vries", "Anna V."), ("Fatima", "Fatima"), ("", ""), ("   ", ""), ("Piet 't Hart", "Piet H."),
    ("Lisa ter Horst-Jansen", "Lisa H."), ("Ahmed el Amrani", "Ahmed A."), ("Bo van", "Bo V."),
    ("Eva o'neill", "Eva O."),
])
def test_short_name_is_the_first_name_and_the_surnames_initial(name, short):
    assert cards.short_name(name) == short


def test_record_view_keeps_every_look_of_an_employer_of_the_event(db, shared_event, create_event):
    ev, employer, _signup, card = shared_event
    first = db.write(cards.record_view, card.id, employer.employer_id, None)
    db.write(cards.record_view, card.id, employer.employer_id, None)
    views = db.read(lambda s: s.exec(select(CardView).order_by(CardView.id)).all())
    assert [(v.card_id, v.employer_id) for v in views] == [(card.id, employer.employer_id)] * 2
    assert views[0].id == first.id and views[0].viewed_at is not None
    # an organisation that is not on this event sees nothing
    elsewhere = db.write(registration.register_employer, create_event().id, company()).registration
    with pytest.raises(NotFound, match="card.not_found"):
        db.write(cards.record_view, card.id, elsewhere.employer_id, None)
    # nor a card no longer shared
    db.write(cards.withdraw, card.registration_id)
    with pytest.raises(NotFound, match="card.not_found"):
        db.write(cards.record_view, card.id, employer.employer_id, None)
    assert len(db.read(lambda s: s.exec(select(CardView)).all())) == 2


def test_the_person_is_named_to_staff_in_full_and_to_employers_shortly(db, shared_event):
    ev, _employer, signup, card = shared_event
    db.write(cards.save_card, signup.registration.id, CARD | {"pitch": "Nieuw"}, share=True)
    assert [w.name for w in db.read(cards.waiting)] == ["Anna de Vries"]
    person_row = db.read(lambda s: s.get(Jobseeker, signup.registration.jobseeker_id))
    assert person_row.name == "Anna de Vries"


def test_a_registration_moved_to_another_event_stops_sharing_its_card(db, shared_event, create_event):
    ev, _employer, signup, card = shared_event
    other = create_event()
    db.write(registration.move_registration, signup.registration.id, other.id)
    moved = card_row(db, signup.registration.id)
    assert not moved.shared and moved.shared_at is None and moved.pitch == CARD["pitch"]
    assert visible(db, ev.id) == [] and visible(db, other.id) == []


def test_staff_cannot_empty_a_card_and_no_mail_goes_about_an_event_that_is_over(db, create_event, monkeypatch):
    ev = create_event()
    signup = sign_up_with_card(db, ev.id, share=True)
    card = card_row(db, signup.registration.id)
    with pytest.raises(ValidationFailed) as exc:
        db.write(cards.correct, card.id, {})
    assert exc.value.errors == {"card_pitch": ("card.empty", {})}
    # the event is over (within its share days): staff can still review, the person is not mailed
    monkeypatch.setattr(cards, "utcnow", lambda: ev.ends_at + timedelta(days=1))
    assert [w.card.id for w in db.read(cards.waiting)] == [card.id]
    db.write(cards.reject, card.id, "Niet meer nodig")
    assert db.read(lambda s: s.exec(select(Message).where(Message.kind == "card_rejected")).all()) == []
    # once its sharing has ended a card is no longer waiting for anyone
    db.write(cards.save_card, signup.registration.id, {"pitch": "Nieuw"}, share=True)
    assert [w.card.id for w in db.read(cards.waiting)] == [card.id]
    monkeypatch.setattr(cards, "utcnow", lambda: ev.ends_at + timedelta(days=15))
    assert db.read(cards.waiting) == []


def test_staff_decide_only_on_the_text_they_saw(db, create_event):
    """Found in review: the person changed a waiting card while staff looked, and 'Goedkeuren'
    approved the new text unseen. A decision carries the text it was drawn with."""
    ev = create_event()
    signup = sign_up_with_card(db, ev.id, share=True)
    card = card_row(db, signup.registration.id)
    seen = cards.seen_text(card)
    db.write(cards.save_card, signup.registration.id, dict(CARD, pitch="Bel mij op 0612345678."), share=True)
    for decide in (lambda: db.write(cards.approve, card.id, "staff", seen=seen),
                   lambda: db.write(cards.correct, card.id, CARD, "staff", seen=seen),
                   lambda: db.write(cards.reject, card.id, "Te kort", "staff", seen=seen)):
        with pytest.raises(DomainError, match="card.changed_since"):
            decide()
    now = card_row(db, signup.registration.id)
    assert (now.status, now.pitch) == ("pending", "Bel mij op 0612345678.")
    db.write(cards.reject, card.id, "Geen telefoonnummer op de kaart, graag.", "staff", seen=cards.seen_text(now))
    assert card_row(db, signup.registration.id).status == "rejected"


def test_a_public_form_about_someone_we_knew_keeps_their_card_unshared(db, create_event):
    """Found in review: anyone who knows a person's details could sign them up for another event with
    a card shared in their name. The card is kept, unshared, until the person shares it themselves."""
    first, second = create_event(), create_event(title="Tweede")
    sign_up_with_card(db, first.id, n=7, share=False)
    again = sign_up_with_card(db, second.id, n=7, card=dict(CARD, pitch="Iemand anders schreef dit."), share=True)
    assert again.returning
    stored = card_row(db, again.registration.id)
    assert (stored.pitch, stored.shared) == ("Iemand anders schreef dit.", False)
    # Staff adding someone they know (by phone) is trusted: the tick they pass on stands.
    third = create_event(title="Derde")
    by_staff = db.write(registration.register_jobseeker, third.id, person(7), source="organiser", card=CARD,
                        share_card=True)
    assert card_row(db, by_staff.registration.id).shared
