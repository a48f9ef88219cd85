"""An employer's pages (issue 28): who is coming (only cards people shared and staff approved),
wishes until the deadline, the schedule, and what came of each talk, which the dashboard counts."""
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from eventtool.core.errors import DomainError, NotFound
from eventtool.core.timeutil import to_local, utcnow
from eventtool.events.models import EmployerWish, Event
from eventtool.people.models import User
from eventtool.planning import speedmeet
from eventtool.registration import cards, registration
from eventtool.registration.models import CardView
from eventtool.results import charts, portal
from eventtool.results.models import Outcome

from ..conftest import company, person


def account(db, employer_id: int, email: str) -> int:
    """A contact person's account of the organisation (role employer), as an invitation makes it."""
    def make(session):
        user = User(email=email, name=email.split("@")[0], role="employer", password_hash="!", employer_id=employer_id)
        session.add(user)
        session.flush()
        return user.id
    return db.write(make)


@pytest.fixture
def fair(db, create_event):
    """A speedmeet with two employers and four jobseekers: Anna shares an approved card, Bram shares
    one staff have not approved, Cas did not share, Dirk shared and was approved but cancelled."""
    ev = create_event(kind="speedmeet", capacity_jobseekers=10, capacity_employers=5)
    ours = db.write(registration.register_employer, ev.id, company(organisation="Zorggroep")).registration.employer_id
    theirs = db.write(registration.register_employer, ev.id, company(organisation="Bouwbedrijf")).registration.employer_id
    regs = {}
    for name in ("Anna de Vries", "Bram Jansen", "Cas Smit", "Dirk Bakker"):
        regs[name.split()[0]] = db.write(registration.register_jobseeker, ev.id, person(name=name)).registration.id
    text = dict(pitch="Ik werk graag met mensen", seeking="Werk in de zorg", skills="Luisteren", hours="24 uur")
    for who, share in (("Anna", True), ("Bram", True), ("Cas", False), ("Dirk", True)):
        card = db.write(cards.save_card, regs[who], text, share=share)
        if who in ("Anna", "Dirk"):
            db.write(cards.approve, card.id, "staff@example.org")
    db.write(registration.cancel_registration, regs["Dirk"])
    start = to_local(ev.starts_at)
    db.write(speedmeet.save_settings, ev.id, dict(rounds=3, round_minutes=10, break_minutes=5,
                                                  first_round_at=start + timedelta(minutes=10), max_meetings=3,
                                                  coverage_bonus=10))
    return ev, account(db, ours, "hr@zorg.nl"), account(db, theirs, "hr@bouw.nl"), regs


def _jobseeker(db, registration_id):
    return db.read(lambda s: s.get(registration.Registration, registration_id).jobseeker_id)


def test_who_is_coming_shows_only_shared_and_approved_cards_and_logs_each_look(db, fair):
    ev, ours, theirs, regs = fair
    colleague = account(db, db.read(lambda s: s.get(User, ours).employer_id), "team@zorg.nl")
    seen = db.write(portal.coming, ours, ev.id)
    assert [row.card.name for row in seen.cards] == ["Anna V."]
    card = seen.cards[0].card
    assert (card.pitch, card.seeking, card.skills, card.hours) == ("Ik werk graag met mensen", "Werk in de zorg",
                                                                   "Luisteren", "24 uur")
    assert not any(hasattr(card, f) for f in ("email", "phone", "support_needs", "target_group"))
    assert seen.wishes_open and seen.wishes_until is None
    # Every look is kept: which organisation, which account; the same account again within the hour adds none.
    db.write(portal.coming, ours, ev.id)
    db.write(portal.coming, colleague, ev.id)
    later = utcnow() + portal.VIEW_AGAIN_AFTER + timedelta(minutes=1)
    db.write(portal.coming, ours, ev.id, now=later)
    org = db.read(lambda s: s.get(User, ours).employer_id)
    views = db.read(lambda s: [(v.card_id, v.employer_id, v.user_id) for v in s.exec(select(CardView))])
    assert views == [(card.card_id, org, ours), (card.card_id, org, colleague), (card.card_id, org, ours)]
    # Another organisation at the same event sees the same card; its look is its own line.
    db.write(portal.coming, theirs, ev.id)
    assert len(db.read(lambda s: s.exec(select(CardView)).all())) == 4


def test_an_organisation_without_a_confirmed_place_learns_nothing(db, fair, create_event):
    ev, ours, theirs, regs = fair
    elsewhere = create_event(kind="speedmeet")
    stranger = account(db, db.write(registration.register_employer, elsewhere.id,
                                     company(organisation="Elders")).registration.employer_id, "hr@elders.nl")
    for user_id, event_id in ((stranger, ev.id), (ours, elsewhere.id), (ours, 10_000)):
        with pytest.raises(NotFound) as exc:
            db.write(portal.coming, user_id, event_id)
        assert exc.value.code == "portal.not_attending"
    # Not an employer account, or one switched off: refused before anything is read.
    staff = db.write(lambda s: (s.add(u := User(email="o@x.nl", name="O", role="organiser", password_hash="!")),
                                s.flush(), u.id)[-1])
    with pytest.raises(DomainError):
        db.write(portal.coming, staff, ev.id)

    assert db.read(lambda s: s.exec(select(CardView)).all()) == []
    assert [e.id for e in db.read(portal.attended_events, ours)] == [ev.id]
    assert [e.id for e in db.read(portal.attended_events, stranger)] == [elsewhere.id]

    def switch_off(session):
        session.get(User, ours).active = False
    db.write(switch_off)
    with pytest.raises(DomainError):
        db.read(portal.attended_events, ours)


def test_wishes_reach_the_planner_only_for_shared_cards_and_only_until_the_deadline(db, fair):
    ev, ours, theirs, regs = fair
    anna = db.write(portal.coming, ours, ev.id).cards[0].card
    org = db.read(lambda s: s.get(User, ours).employer_id)
    db.write(portal.set_wish, ours, ev.id, anna.card_id, "want")
    assert db.read(speedmeet.wishes, ev.id) == {org: ({anna.jobseeker_id}, set())}
    db.write(portal.set_wish, ours, ev.id, anna.card_id, "avoid")
    assert db.read(speedmeet.wishes, ev.id) == {org: (set(), {anna.jobseeker_id})}
    db.write(portal.set_wish, ours, ev.id, anna.card_id, None)
    assert db.read(speedmeet.wishes, ev.id) == {}
    # A card not shared or not approved cannot be reached by its id, nor can a made-up choice.
    bram_card = db.read(cards.card_of, regs["Bram"])
    with pytest.raises(NotFound):
        db.write(portal.set_wish, ours, ev.id, bram_card.id, "want")
    with pytest.raises(DomainError):
        db.write(portal.set_wish, ours, ev.id, anna.card_id, "maybe")
    # After the organiser's deadline: closed, nothing stored.
    deadline = utcnow() + timedelta(days=1)

    def set_deadline(session):
        session.get(Event, ev.id).wishes_until = deadline
    db.write(set_deadline)
    db.write(portal.set_wish, ours, ev.id, anna.card_id, "want")
    with pytest.raises(DomainError) as exc:
        db.write(portal.set_wish, ours, ev.id, anna.card_id, "avoid", now=deadline + timedelta(minutes=1))
    assert exc.value.code == "portal.wishes_closed"
    assert db.read(lambda s: [(w.jobseeker_id, w.wish) for w in s.exec(select(EmployerWish))]) == [
        (anna.jobseeker_id, "want")]
    # Once the plan is published, wishes are closed too.
    db.write(speedmeet.run_planner, ev.id, time_limit=5)
    db.write(speedmeet.publish, ev.id)
    assert not db.write(portal.coming, ours, ev.id).wishes_open


def test_withdrawing_or_cancelling_hides_the_card_at_once(db, fair):
    ev, ours, theirs, regs = fair
    assert len(db.write(portal.coming, ours, ev.id).cards) == 1
    db.write(cards.withdraw, regs["Anna"])
    assert db.write(portal.coming, ours, ev.id).cards == []


def test_schedule_as_page_calendar_and_pdf_and_the_talks_after(db, fair):
    ev, ours, theirs, regs = fair
    assert db.read(portal.schedule, ours, ev.id) == []  # nothing before the plan is published
    db.write(speedmeet.run_planner, ev.id, time_limit=5)
    db.write(speedmeet.publish, ev.id)
    slots = db.read(portal.schedule, ours, ev.id)
    assert slots and all(s.name in {"Anna V.", "Bram J.", "Cas S."} for s in slots)
    assert [s.round for s in slots] == sorted(s.round for s in slots)
    cal = Calendar.from_ical(db.read(portal.schedule_ics, ours, ev.id))
    assert len(cal.walk("VEVENT")) == len(slots)
    pdf = db.read(portal.schedule_pdf, ours, ev.id, ["Ronde", "Tijd", "Tafel", "Met"])
    assert pdf.startswith(b"%PDF")
    # Before the event: nothing to say about talks yet.
    assert db.read(portal.talks, ours, ev.id) == []
    after = ev.starts_at + timedelta(hours=1)
    talks = db.read(portal.talks, ours, ev.id, now=after)
    met = {s.name for s in slots}
    assert {t.name for t in talks} == met | {"Anna V."} and all(t.answer == portal.UNSURE for t in talks)
    first = talks[0]
    db.write(portal.after_talk, ours, ev.id, first.jobseeker_id, "second_interview", "Volgende week", now=after)
    org = db.read(lambda s: s.get(User, ours).employer_id)
    stored = db.read(lambda s: [(o.jobseeker_id, o.employer_id, o.event_id, o.kind, o.source, o.note, o.recorded_by)
                                for o in s.exec(select(Outcome))])
    assert stored == [(first.jobseeker_id, org, ev.id, "second_interview", "employer", "Volgende week",
                       f"employer account {ours}")]
    # The other organisation at the event sees nothing of it, and has its own talks.
    assert all(t.answer == portal.UNSURE for t in db.read(portal.talks, theirs, ev.id, now=after))
    # Changing the tap changes that one outcome; "weet ik nog niet" takes it back.
    db.write(portal.after_talk, ours, ev.id, first.jobseeker_id, "traineeship", "", now=after)
    assert db.read(lambda s: [o.kind for o in s.exec(select(Outcome))]) == ["traineeship"]
    assert db.read(portal.talks, ours, ev.id, now=after)[0].answer == "traineeship"
    db.write(portal.after_talk, ours, ev.id, first.jobseeker_id, portal.UNSURE, "", now=after)
    assert db.read(lambda s: s.exec(select(Outcome)).all()) == []
    # Nobody outside this organisation's talks, and no talks for another organisation's people.
    cas = _jobseeker(db, regs["Dirk"])  # cancelled: no talk, no card
    with pytest.raises(NotFound):
        db.write(portal.after_talk, ours, ev.id, cas, "second_interview", "", now=after)


def test_second_interviews_after_the_talk_count_in_the_dashboard_funnel(db, create_event):
    """Five people at a job fair share approved cards and came; the employer taps "tweede gesprek" for
    each right after the talk: the funnel's follow-up stage counts them at once (source employer)."""
    ev = create_event(kind="job_fair", capacity_jobseekers=10, capacity_employers=2)
    ours = account(db, db.write(registration.register_employer, ev.id,
                                company(organisation="Zorggroep")).registration.employer_id, "hr@zorg.nl")
    people = []
    for n in range(6):
        reg = db.write(registration.register_jobseeker, ev.id, person(name=f"Persoon {n} Achternaam")).registration
        card = db.write(cards.save_card, reg.id, dict(pitch="Hallo"), share=True)
        db.write(cards.approve, card.id, "staff@example.org")
        people.append(reg)

    def came(session):
        for reg in people:
            session.get(registration.Registration, reg.id).checked_in_at = ev.starts_at
    db.write(came)
    stages = lambda: charts.funnel(db.read(charts.load))[0].set_index("stage")["people"].to_dict()  # noqa: E731
    assert stages()["follow_up"] == 0
    after = ev.starts_at + timedelta(hours=1)
    for reg in people[:5]:
        db.write(portal.after_talk, ours, ev.id, reg.jobseeker_id, "second_interview", "", now=after)
    assert stages()["follow_up"] == 5


def test_who_is_coming_searches_filters_and_pages_and_logs_only_the_cards_shown(db, create_event):
    ev = create_event(kind="speedmeet", capacity_jobseekers=50, capacity_employers=2)
    ours = account(db, db.write(registration.register_employer, ev.id,
                                company(organisation="Zorggroep")).registration.employer_id, "hr@zorg.nl")
    for n in range(45):
        reg = db.write(registration.register_jobseeker, ev.id,
                       person(name=f"Persoon{n:02d} Achternaam", region="Twente" if n % 3 == 0 else "Rijnmond")).registration
        text = dict(pitch="Ik help graag", seeking="Magazijn" if n % 5 == 0 else "Zorg", hours=f"{20 + n % 2 * 12} uur")
        db.write(cards.approve, db.write(cards.save_card, reg.id, text, share=True).id)
    first = db.write(portal.coming, ours, ev.id)
    assert (first.shared, first.found, first.page, first.pages, len(first.cards)) == (45, 45, 1, 3, portal.PER_PAGE)
    assert first.regions == ("Rijnmond", "Twente")
    assert db.read(lambda s: len(s.exec(select(CardView)).all())) == portal.PER_PAGE  # only what was shown
    last = db.write(portal.coming, ours, ev.id, page=99)
    assert (last.page, len(last.cards)) == (3, 5)
    # Every word must appear, in any field (here: what they look for, and the hours).
    found = db.write(portal.coming, ours, ev.id, search="magazijn 32")
    assert found.found == len([n for n in range(45) if n % 5 == 0 and n % 2 == 1]) and found.shared == 45
    assert db.write(portal.coming, ours, ev.id, region="Twente").found == 15
    anna = first.cards[0].card
    db.write(portal.set_wish, ours, ev.id, anna.card_id, "want")
    assert [r.card.card_id for r in db.write(portal.coming, ours, ev.id, shown="want").cards] == [anna.card_id]
    assert db.write(portal.coming, ours, ev.id, shown="unmarked").found == 44
    with pytest.raises(DomainError):
        db.write(portal.coming, ours, ev.id, shown="everyone please")


def test_a_card_no_longer_shared_takes_back_the_employers_wishes_about_it_but_not_what_staff_entered(db, fair):
    """Found in review: a withdrawn (or cancelled) card's 'graag spreken' still steered the planner."""
    ev, ours, theirs, regs = fair
    anna = db.write(portal.coming, ours, ev.id).cards[0].card
    org, other_org = (db.read(lambda s, u=u: s.get(User, u).employer_id) for u in (ours, theirs))
    db.write(portal.set_wish, ours, ev.id, anna.card_id, "want")
    db.write(speedmeet.set_wishes, ev.id, other_org, [anna.jobseeker_id], [])  # staff, for the other employer
    db.write(cards.withdraw, regs["Anna"])
    assert db.read(speedmeet.wishes, ev.id) == {other_org: ({anna.jobseeker_id}, set())}
    assert org not in db.read(speedmeet.wishes, ev.id)


def test_cancelling_ends_sharing_and_signing_up_again_does_not_bring_the_card_back(db, fair):
    ev, ours, theirs, regs = fair
    assert len(db.write(portal.coming, ours, ev.id).cards) == 1
    db.write(registration.cancel_registration, regs["Anna"])
    assert not db.read(cards.card_of, regs["Anna"]).shared
    db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries"))  # the same person, again
    assert db.write(portal.coming, ours, ev.id).cards == []


def test_a_cancelled_event_opens_no_employer_page(db, fair):
    ev, ours, theirs, regs = fair

    def cancel(session):
        session.get(Event, ev.id).status = "cancelled"
    db.write(cancel)
    assert db.read(portal.attended_events, ours) == []
    with pytest.raises(NotFound):
        db.read(portal.talks, ours, ev.id, now=ev.starts_at + timedelta(hours=1))


def test_the_schedule_file_names_people_by_first_name_and_initial(db, fair):
    ev, ours, theirs, regs = fair
    db.write(speedmeet.run_planner, ev.id, time_limit=5)
    db.write(speedmeet.publish, ev.id)
    text = db.read(portal.schedule_ics, ours, ev.id).decode()
    assert "Anna V." in text or "Bram J." in text or "Cas S." in text
    assert not any(full in text for full in ("de Vries", "Jansen", "Smit"))
