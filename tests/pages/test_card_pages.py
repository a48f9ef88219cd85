"""The profile card on the public jobseeker form, on 'mijn aanmelding' and on the staff review page
('profielen'): each action changes exactly the card it was drawn for, and nothing else."""
from sqlmodel import select

from eventtool.messages import links
from eventtool.messages.models import Message
from eventtool.people.models import Jobseeker
from eventtool.registration import cards, registration
from eventtool.registration.models import CardView, ProfileCard, Registration

from ..conftest import person
from .test_public import make_event, submit

CARD = {"pitch": "Ik ben rustig en precies.", "seeking": "Werk in een magazijn", "skills": "Orderpicken",
        "hours": "24"}


def card_of(db, registration_id):
    return db.read(lambda s: s.exec(select(ProfileCard).where(ProfileCard.registration_id == registration_id)).first())


def everything(db):
    """What the database holds of people, registrations, cards and mails, to compare before and after."""
    def read(s):
        return ([j.model_dump() for j in s.exec(select(Jobseeker).order_by(Jobseeker.id))],
                [r.model_dump() for r in s.exec(select(Registration).order_by(Registration.id))],
                [c.model_dump() for c in s.exec(select(ProfileCard).order_by(ProfileCard.id))],
                [m.kind for m in s.exec(select(Message).order_by(Message.id))],
                s.exec(select(CardView)).all())
    return db.read(read)


def button(at, label):
    return at.button[[b.label for b in at.button].index(label)]


def test_the_public_form_sends_the_card_and_the_persons_own_tick_and_empties_after(app, page_db):
    make_event(page_db)
    at = app(page="views/register_jobseeker.py")
    assert "Uw profielkaart (mag u overslaan)" in [h.value for h in at.header]
    share = at.checkbox(key="js_card_share")
    assert share.value is False and "pas als wij hem hebben gelezen" in share.help
    at.text_input(key="js_name").input("Anna de Vries")
    at.text_input(key="js_email").input("anna@example.nl")
    at.checkbox(key="js_consent_registration").check()
    for field, value in CARD.items():
        widget = at.text_input(key=f"js_card_{field}") if field == "hours" else at.text_area(key=f"js_card_{field}")
        widget.input(value)
    at.checkbox(key="js_card_share").check()
    submit(at)
    assert not at.exception and at.success
    [reg] = page_db.read(lambda s: s.exec(select(Registration)).all())
    card = card_of(page_db, reg.id)
    assert {f: getattr(card, f) for f in CARD} == CARD
    assert card.shared and card.share_version == cards.SHARE_VERSION and card.status == "pending"
    # the form starts empty for the next person, the tick too
    assert not [k for k in ("js_card_pitch", "js_card_seeking", "js_card_skills", "js_card_hours", "js_card_share")
                if k in at.session_state]


def test_a_card_without_the_tick_is_kept_unshared_and_a_too_long_one_is_refused_beside_its_field(app, page_db):
    make_event(page_db)
    at = app(page="views/register_jobseeker.py")
    at.text_input(key="js_name").input("Piet")
    at.text_input(key="js_email").input("piet@example.nl")
    at.checkbox(key="js_consent_registration").check()
    at.text_area(key="js_card_skills").input("Lassen\tenzo")
    submit(at)
    assert any("Dit kan ik goed" in e.value for e in at.error)  # the summary names the card's field
    assert page_db.read(lambda s: s.exec(select(Registration)).all()) == []
    at.text_area(key="js_card_skills").input("Lassen")
    submit(at)
    assert not at.exception and at.success
    [reg] = page_db.read(lambda s: s.exec(select(Registration)).all())
    card = card_of(page_db, reg.id)
    assert (card.skills, card.pitch, card.shared, card.shared_at) == ("Lassen", "", False, None)


def linked(page_db, n, **card):
    ev = make_event(page_db, capacity_jobseekers=5)
    signup = page_db.write(registration.register_jobseeker, ev.id, person(n), **card)
    return ev, signup.registration.id, page_db.write(links.mint, signup.registration.id, ev.ends_at)


def test_mijn_aanmelding_writes_shares_and_withdraws_only_its_own_card(app, page_db):
    ev, reg_id, token = linked(page_db, 1)
    other = page_db.write(registration.register_jobseeker, ev.id, person(2), card=CARD, share_card=True).registration
    at = app(page="views/my_registration.py", query={"t": token})
    assert not at.exception
    assert "Uw profielkaart" in [h.value for h in at.subheader]
    assert at.checkbox(key=f"mine_card_share_{reg_id}").value is False
    before = everything(page_db)
    at.text_area(key=f"mine_card_pitch_{reg_id}").input("Ik help graag mensen.")
    at.checkbox(key=f"mine_card_share_{reg_id}").check()
    button(at, "Profielkaart opslaan").click().run()
    assert not at.exception
    assert any("Uw profielkaart is opgeslagen" in i.value for i in at.info)
    card = card_of(page_db, reg_id)
    assert (card.pitch, card.shared, card.status) == ("Ik help graag mensen.", True, "pending")
    after = everything(page_db)
    assert after[0] == before[0] and after[1] == before[1] and after[3:] == before[3:]
    assert [c for c in after[2] if c["registration_id"] != reg_id] == before[2]  # the other card as it was
    assert any("Wij lezen uw profielkaart nog" in i.value for i in at.info)
    button(at, "Stop met delen").click().run()
    assert not at.exception
    assert card_of(page_db, reg_id).shared is False and card_of(page_db, reg_id).pitch == "Ik help graag mensen."
    assert at.checkbox(key=f"mine_card_share_{reg_id}").value is False  # shows what is stored
    assert card_of(page_db, other.id).shared is True


def test_the_review_page_is_for_organisers_and_coordinators(app, page_db):
    from eventtool.core.access import visible_pages
    scripts = lambda role: [p.script for p in visible_pages(role)]  # noqa: E731
    assert "views/profile_review.py" in scripts("organiser") and "views/profile_review.py" in scripts("coordinator")
    assert "views/profile_review.py" not in scripts(None)


def test_staff_approve_correct_and_reject_each_only_the_card_it_was_drawn_for(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=5)
    regs = [page_db.write(registration.register_jobseeker, ev.id, person(n, email=f"p{n}@example.nl"),
                          card=CARD, share_card=True).registration for n in range(3)]
    ids = [card_of(page_db, r.id).id for r in regs]
    at = app(role="coordinator", page="views/profile_review.py")
    assert not at.exception
    assert at.title[0].value == "Profielkaarten nakijken" and len(at.header) == 3
    before = everything(page_db)

    button_of = lambda label, card_id: next(  # noqa: E731
        b for b in at.button if b.label == label and f"cr_form_{card_id}" in str(b.form_id) or
        b.label == label and f"cr_reject_{card_id}" in str(b.form_id))
    button_of("Goedkeuren", ids[1]).click().run()
    assert not at.exception
    after = everything(page_db)
    assert [c["status"] for c in after[2]] == ["pending", "approved", "pending"]
    assert after[0] == before[0] and after[1] == before[1] and after[3] == before[3]
    assert [c.card_id for c in page_db.read(cards.visible_cards, ev.id)] == [ids[1]]
    assert len(at.header) == 2  # the approved card left the list

    at.text_area(key=f"cr_skills_{ids[2]}").input("Orderpicken, heftruck")
    button_of("Aanpassen en goedkeuren", ids[2]).click().run()
    assert not at.exception
    card = card_of(page_db, regs[2].id)
    assert (card.status, card.skills) == ("approved", "Orderpicken, heftruck")
    assert card.reviewed_by.startswith("coordinator-")
    [mail] = page_db.read(lambda s: s.exec(select(Message).where(Message.kind == "card_corrected")).all())
    assert mail.to_address == "p2@example.nl" and "Orderpicken, heftruck" in mail.body_text

    button_of("Afkeuren", ids[0]).click().run()  # without a reason: refused, nothing changes
    assert card_of(page_db, regs[0].id).status == "pending"
    at.text_area(key=f"cr_reason_{ids[0]}").input("Te weinig over wat u zoekt.")
    button_of("Afkeuren", ids[0]).click().run()
    assert not at.exception
    card = card_of(page_db, regs[0].id)
    assert (card.status, card.reason) == ("rejected", "Te weinig over wat u zoekt.")
    [mail] = page_db.read(lambda s: s.exec(select(Message).where(Message.kind == "card_rejected")).all())
    assert mail.to_address == "p0@example.nl" and "Te weinig over wat u zoekt." in mail.body_text
    assert any("Er zijn geen profielkaarten om na te kijken" in i.value for i in at.info)
    final = everything(page_db)
    assert final[0] == before[0] and final[1] == before[1]


def test_the_card_section_speaks_english_when_chosen(app, page_db):
    make_event(page_db)
    at = app(lang="en", page="views/register_jobseeker.py")
    assert not at.exception
    assert "Your profile card (you may skip this)" in [h.value for h in at.header]
    assert at.checkbox(key="js_card_share").label == "Share my profile with the employers of this event"
    assert [at.text_area(key=f"js_card_{f}").label for f in ("pitch", "seeking", "skills")] == [
        "This is me (short)", "The work I am looking for", "What I am good at"]
    assert at.text_input(key="js_card_hours").label == "Hours per week I want to work"


def test_a_typed_correction_is_not_lost_by_pressing_approve_and_a_changed_card_is_not_approved_unseen(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=5)
    reg = page_db.write(registration.register_jobseeker, ev.id, person(1, email="p1@example.nl"), card=CARD,
                        share_card=True).registration
    card_id = card_of(page_db, reg.id).id
    at = app(role="organiser", page="views/profile_review.py")
    approve = lambda: next(b for b in at.button if b.label == "Goedkeuren" and f"cr_form_{card_id}" in str(b.form_id))  # noqa: E731
    at.text_area(key=f"cr_skills_{card_id}").input("Heftruck rijden")
    approve().click().run()
    assert not at.exception and any("Aanpassen en goedkeuren" in e.value for e in at.error)
    assert card_of(page_db, reg.id).status == "pending" and at.text_area(key=f"cr_skills_{card_id}").value == "Heftruck rijden"
    # The person changes the card while the page is open: the decision drawn for the old text is refused.
    at.text_area(key=f"cr_skills_{card_id}").input(CARD.get("skills", ""))
    page_db.write(cards.save_card, reg.id, dict(CARD, pitch="Nieuwe tekst van de persoon."), share=True)
    approve().click().run()
    assert not at.exception and any("net veranderd" in e.value for e in at.error)
    assert card_of(page_db, reg.id).status == "pending"
    at.run()
    approve().click().run()
    assert card_of(page_db, reg.id).status == "approved" and card_of(page_db, reg.id).pitch == "Nieuwe tekst van de persoon."
