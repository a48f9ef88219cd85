"""What each kind of mail says fits it (issue 27): a mail about conversations that went does not ask
to put them in the agenda nor to bring a CV; a jobcoach's copy speaks about the client, in its
subject too; an employer gets no text written for jobseekers; 'U bent afgemeld voor ...'; Dutch
times with 'uur'; the city written once ('s-Hertogenbosch), in mails and on 'mijn aanmelding'."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from eventtool.registration import registration
from eventtool.messages import content
from eventtool.registration import notify
from eventtool.messages.content import Facts, compose
from eventtool.events.models import Event

from ..conftest import person

START = datetime(2026, 12, 9, 9, 0, tzinfo=timezone.utc)  # 10:00 in the Netherlands
END = datetime(2026, 12, 9, 12, 0, tzinfo=timezone.utc)
KINDS = ("signup_confirmed", "signup_waitlisted", "promoted", "cancelled", "reminder", "companion_removed",
         "signup_again", "event_changed", "event_cancelled", "schedule", "schedule_changed", "schedule_removed")


def facts(**kw) -> Facts:
    values = dict(title="Banenmarkt", starts_at=START, ends_at=END, place="Buurthuis, Markt 1",
                  description="Voor werkzoekenden: kom langs met uw vragen.",
                  schedule=[("1", "10:00", "3", "Bakkerij Brood")], jobseeker=True)
    values.update(kw)
    return Facts(**values)


def text_of(kind, lang="nl", **kw) -> str:
    return compose(kind, lang, "Anna de Vries", facts(), with_link=True, sender="WSP", **kw)[1]


def test_no_more_conversations_says_what_the_file_does_and_asks_nothing_to_bring():
    text = text_of("schedule_removed")
    assert "Open die om hem in uw agenda te zetten" not in text
    assert "dan haalt uw agenda de gesprekken eruit" in text
    assert "Neem mee" not in text and "cv" not in text
    assert "Neem mee" in text_of("signup_confirmed") and "Open die om hem in uw agenda te zetten" in text_of("schedule")
    for kind in ("signup_waitlisted", "cancelled", "event_cancelled", "signup_again"):
        assert "Neem mee" not in text_of(kind), kind
    assert "dan haalt uw agenda de afspraak eruit" in text_of("cancelled")
    assert "dan zet uw agenda de nieuwe tijden erin" in text_of("schedule_changed")
    assert "The calendar file" not in text_of("schedule_changed", "en")


@pytest.mark.parametrize("kind", KINDS)
def test_a_coachs_copy_speaks_about_the_client_in_its_subject_and_lead(kind):
    for lang in ("nl", "en"):
        subject, text, html = compose(kind, lang, "Coach Carla", facts(), with_link=False, sender="WSP",
                                      copy_of="Anna de Vries")
        assert "Anna de Vries" in subject, (lang, subject)
        lead = text.split("\n\n")[1]
        assert lead.count("Anna de Vries") >= 2, (lang, lead)  # 'as the jobcoach of Anna' and what happened to her
        for own in ("U bent", "Uw rooster", "voor u", "You are", "Your schedule", "for you", "Neem mee", "Bring"):
            assert own not in subject and own not in lead, (lang, own, subject, lead)


def test_a_coachs_copy_of_a_schedule_names_the_clients_conversations():
    _, text, html = compose("schedule", "nl", "Coach Carla", facts(), with_link=False, sender="WSP",
                            copy_of="Anna de Vries")
    assert "De gesprekken van Anna de Vries" in text and "Uw gesprekken" not in html


def test_an_employer_gets_no_text_written_for_jobseekers():
    for kind in KINDS:
        _, text, html = compose(kind, "nl", "Jan Jansen", facts(jobseeker=False), with_link=True, sender="WSP")
        assert "Meer informatie" not in text and "Voor werkzoekenden" not in html, kind
    assert "Meer informatie: Voor werkzoekenden" in text_of("signup_confirmed")


def test_a_cancellation_says_you_are_signed_off():
    subject, text, _ = compose("cancelled", "nl", "Anna", facts(), with_link=True, sender="WSP")
    assert subject == "U bent afgemeld voor Banenmarkt"
    assert "U bent afgemeld voor Banenmarkt." in text and "Uw aanmelding is afgemeld" not in text


def test_dutch_times_say_uur():
    text = text_of("schedule")
    assert "Wanneer: woensdag 9 december 2026, 10:00 tot 13:00 uur" in text
    assert "1. 10:00 uur - Tafel 3 - Bakkerij Brood" in text
    english = text_of("schedule", "en")
    assert "When: Wednesday 9 December 2026, 10:00 to 13:00\n" in english and " uur" not in english


def test_the_city_is_written_once():
    assert content.place("Stadhuis", "Markt 1, 's-Hertogenbosch", "'s-Hertogenbosch") == \
        "Stadhuis, Markt 1, 's-Hertogenbosch"
    assert content.place("", "Markt 1 5211 AB 'S-HERTOGENBOSCH", "'s-Hertogenbosch") == \
        "Markt 1 5211 AB 'S-HERTOGENBOSCH"
    assert content.place("Buurthuis", "Markt 1", "Oss") == "Buurthuis, Markt 1, Oss"
    assert content.place("", "Ossendrechtseweg 2", "Oss") == "Ossendrechtseweg 2, Oss"  # a word, not a piece
    assert content.place(None, None, "Oss") == "Oss"


def test_the_city_is_left_out_only_when_the_address_ends_with_it():
    """A venue or a street named after a town is no address in that town: only an address that
    ends in the city (a word of its own, any case) has it already."""
    assert content.place("Best Western Hotel", "Dorpsstraat 1", "Best") == "Best Western Hotel, Dorpsstraat 1, Best"
    assert content.place("Theater Oss", "Markt 1", "Oss") == "Theater Oss, Markt 1, Oss"
    assert content.place("", "Weg naar Oss 4", "Oss") == "Weg naar Oss 4, Oss"
    assert content.place("Hotel", "Markt 1, Best", "best") == "Hotel, Markt 1, Best"
    assert content.place("Hotel", "Markt 1, Best ", "Best") == "Hotel, Markt 1, Best"
    assert content.place("Hotel", "Markt 1, Bestseweg", "Best") == "Hotel, Markt 1, Bestseweg, Best"


def test_a_mail_about_an_event_in_a_city_named_in_its_address_names_it_once(db, create_event):
    ev = create_event(venue_name="Stadhuis", address="Markt 1, 's-Hertogenbosch", city="'s-Hertogenbosch")
    reg = db.write(registration.register_jobseeker, ev.id, person()).registration
    msg = db.write(lambda s: notify.about_registration(s, reg, "reminder", key="r:test"))
    assert "Waar: Stadhuis, Markt 1, 's-Hertogenbosch\n" in msg.body_text
    assert db.read(lambda s: s.get(Event, ev.id)).city == "'s-Hertogenbosch"
