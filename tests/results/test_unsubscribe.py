"""One-click unsubscribe (RFC 8058): reminders and survey mails carry List-Unsubscribe and
List-Unsubscribe-Post; transactional mails do not. The link's token switches that one kind of mail
off and nothing else, again and again the same; an unknown, expired or erased token does nothing."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from eventtool.privacy import privacy
from eventtool.registration import registration
from eventtool.core.config import get_settings
from eventtool.core.errors import NotFound
from eventtool.messages import links
from eventtool.registration import mine, notify
from eventtool import sender
from eventtool.results import unsubscribe
from eventtool.messages.models import Message, UnsubscribeLink
from eventtool.registration.models import Registration
from eventtool.results import surveys
from eventtool.results.models import Survey
from eventtool.core.timeutil import utcnow

from ..conftest import person
from ..results.conftest import past_speedmeet

ONE_CLICK = "List-Unsubscribe=One-Click"
WAVES = ["1w", "3m", "6m", "12m"]


def deliver(db, **kw):
    return sender.run_once(db, get_settings(), **kw)


def token_of(mail) -> str:
    header = mail["List-Unsubscribe"]
    assert header.startswith("<https://events.example/uitschrijven/") and header.endswith(">"), header
    return header[1:-1].rsplit("/", 1)[1]


def count(db, model, *where) -> int:
    return db.read(lambda s: s.exec(select(func.count()).select_from(model).where(*where)).one())


def remind(db, reg_id: int) -> None:
    db.write(lambda s: notify.about_registration(s, s.get(Registration, reg_id), "reminder",
                                                 key=f"reminder:{reg_id}:test:{utcnow().timestamp()}"))


@pytest.fixture
def reminded(db, create_event, smtp):
    """Anna (with her confirmed jobcoach) and Bram on one event; each got a confirmation and a reminder."""
    ev = create_event(capacity_jobseekers=5)
    anna = db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries", email="anna@example.nl",
                                                                   coach_name="Coach Carla",
                                                                   coach_email="carla@coach.example"))
    bram = db.write(registration.register_jobseeker, ev.id, person(name="Bram", email="bram@example.nl"))
    for reg_id in (anna.registration.id, bram.registration.id):
        remind(db, reg_id)
    deliver(db)
    return ev, anna.registration.id, bram.registration.id


def test_reminders_carry_one_click_unsubscribe_and_confirmations_do_not(db, reminded, smtp):
    ev, anna, _ = reminded
    [confirmation] = [m for m in smtp.by_to("anna@example.nl") if m["Subject"].startswith("U bent aangemeld")]
    [reminder] = [m for m in smtp.by_to("anna@example.nl") if m["Subject"].startswith("Herinnering")]
    assert reminder["List-Unsubscribe-Post"] == ONE_CLICK and token_of(reminder)
    assert confirmation["List-Unsubscribe"] is None and confirmation["List-Unsubscribe-Post"] is None
    # The coach's copy has none: its token would switch off Anna's own reminders.
    assert [m["List-Unsubscribe"] for m in smtp.by_to("carla@coach.example")] == [None, None]
    # Transactional mails about a change never carry it.
    db.write(registration.cancel_registration, anna)
    deliver(db)
    [cancelled] = [m for m in smtp.by_to("anna@example.nl") if "afgemeld" in m["Subject"]]
    assert cancelled["List-Unsubscribe"] is None and cancelled["List-Unsubscribe-Post"] is None


def test_the_token_switches_reminders_off_for_that_registration_only_and_again_is_the_same(db, reminded, smtp):
    ev, anna, bram = reminded
    [reminder] = [m for m in smtp.by_to("anna@example.nl") if m["Subject"].startswith("Herinnering")]
    token = token_of(reminder)
    what = db.read(unsubscribe.look, token)  # a GET: what it would do, nothing changes
    assert (what.kind, what.event_title, what.lang) == ("reminders", ev.title, "nl")
    assert db.read(lambda s: s.get(Registration, anna).reminders) is True
    remind(db, anna)  # one more, queued and not yet sent: withdrawn with the switch
    assert db.write(unsubscribe.unsubscribe, token) == what
    assert db.write(unsubscribe.unsubscribe, token) == what  # idempotent
    regs = db.read(lambda s: {r.id: (r.reminders, r.status) for r in s.exec(select(Registration))})
    assert regs[anna] == (False, "confirmed") and regs[bram] == (True, "confirmed")
    assert count(db, Message, Message.registration_id == anna, Message.kind == "reminder",
                 Message.status == "queued") == 0
    # It opens nothing else: not the registration's page, not a change through it.
    with pytest.raises(NotFound):
        db.read(mine.view, token)
    with pytest.raises(NotFound):
        db.write(mine.cancel, token)
    # A reminder never goes to Anna again; Bram's still do.
    assert db.write(notify.queue_due_reminders, [1], ev.starts_at - timedelta(hours=20)) == 1


def test_unknown_expired_and_misused_tokens_change_nothing(db, reminded, smtp):
    ev, anna, _ = reminded
    [reminder] = [m for m in smtp.by_to("anna@example.nl") if m["Subject"].startswith("Herinnering")]
    token = token_of(reminder)
    personal = db.write(links.mint, anna, ev.ends_at)  # the 'mijn aanmelding' link is no unsubscribe link
    for bad in ("", "x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"), personal):
        with pytest.raises(NotFound, match=unsubscribe.UNKNOWN):
            db.write(unsubscribe.unsubscribe, bad)
    with pytest.raises(NotFound, match=unsubscribe.UNKNOWN):  # after the event it is over
        db.write(unsubscribe.unsubscribe, token, now=ev.ends_at + timedelta(minutes=1))
    assert db.read(lambda s: s.get(Registration, anna).reminders) is True


def test_erasure_takes_the_tokens_with_it(db, reminded, smtp):
    ev, anna, bram = reminded
    tokens = {to: token_of(m) for to in ("anna@example.nl", "bram@example.nl")
              for m in smtp.by_to(to) if m["Subject"].startswith("Herinnering")}
    jobseeker = db.read(lambda s: s.get(Registration, anna).jobseeker_id)
    db.write(privacy.erase_person, jobseeker)
    assert count(db, UnsubscribeLink, UnsubscribeLink.registration_id == anna) == 0
    with pytest.raises(NotFound):
        db.read(unsubscribe.look, tokens["anna@example.nl"])
    assert db.write(unsubscribe.unsubscribe, tokens["bram@example.nl"]).kind == "reminders"


def test_a_survey_mails_token_stops_that_respondents_surveys_only(db, smtp):
    past = past_speedmeet(db)
    db.write(surveys.queue_due, WAVES)
    deliver(db)
    mails = [m for m in smtp.messages if m["Subject"].startswith("Hoe is het nu?")]
    assert len(mails) == 5 and all(m["List-Unsubscribe-Post"] == ONE_CLICK for m in mails)
    first = db.read(lambda s: s.get(Registration, s.exec(select(Survey.registration_id).where(
        Survey.respondent == "jobseeker", Survey.jobseeker_id == past.people[0])).one()))
    address = db.read(lambda s: s.exec(select(Message.to_address).where(
        Message.kind == "survey", Message.jobseeker_id == past.people[0], Message.employer_id.is_(None),
        Message.to_address != "carla@jobcoach.nl")).one())
    [mail] = [m for m in mails if address in m["To"]]
    # A reminder of the survey is queued and not yet sent: it is withdrawn.
    later = utcnow() + surveys.REMIND_AFTER + timedelta(hours=1)
    assert db.write(surveys.queue_reminders, later) == 5
    what = db.write(unsubscribe.unsubscribe, token_of(mail))
    assert (what.kind, what.event_title) == ("surveys", past.event.title)
    assert db.write(unsubscribe.unsubscribe, token_of(mail)) == what  # idempotent
    declined = db.read(lambda s: s.exec(select(Survey.respondent, Survey.jobseeker_id, Survey.employer_id)
                                        .where(Survey.declined_at.is_not(None))).all())
    assert declined == [("jobseeker", past.people[0], None)]  # not their coach's, not the employers'
    queued = db.read(lambda s: s.exec(select(Message.to_address).where(Message.kind == "survey_reminder",
                                                                       Message.status == "queued")).all())
    assert address not in queued and len(queued) == 4
    # The next wave asks everyone else, not them; their registration is as it was.
    assert db.write(surveys.queue_due, WAVES, past.event.ends_at + timedelta(days=95)) == 4
    assert db.read(lambda s: s.get(Registration, first.id)) == first


def test_survey_tokens_go_with_an_erased_person_and_a_purged_employer_contact(db, smtp):
    past = past_speedmeet(db, days_ago=8)
    db.write(surveys.queue_due, WAVES)
    deliver(db)
    assert count(db, UnsubscribeLink, UnsubscribeLink.kind == "surveys") == 5
    db.write(privacy.erase_person, past.people[0])  # their survey and their coach's about them
    assert count(db, UnsubscribeLink) == 3
    db.write(privacy.purge_expired, 30, utcnow() + timedelta(days=60))  # everyone, employers' contacts too
    assert count(db, UnsubscribeLink) == 0


def test_the_page_says_it_in_both_languages_and_escapes_the_title():
    what = unsubscribe.Unsubscribe("reminders", "<b>Markt</b> & meer", "en")
    html = unsubscribe.page("ask", what)
    assert html.index('lang="en"') < html.index('<div lang="nl"')
    assert "&lt;b&gt;Markt&lt;/b&gt; &amp; meer" in html and "<b>" not in html
    assert html.count('<form method="post">') == 2 and 'value="One-Click"' in html
    assert html.count("<h1>") == 1
    unknown = unsubscribe.page("unknown")
    assert "Deze link werkt niet (meer)" in unknown and "This link does not work" in unknown and "<form" not in unknown


@pytest.mark.parametrize("base", ["http://events.example", "HTTP://events.example", "events.example",
                                  "ftp://events.example"])
def test_one_click_is_offered_over_https_only(db, create_event, smtp, monkeypatch, base):
    """RFC 8058: a List-Unsubscribe-Post needs an https List-Unsubscribe; with a base URL that is
    not https (a test or intranet set-up) a reminder carries neither header."""
    monkeypatch.setenv("EVENTTOOL_BASE_URL", base)
    get_settings.cache_clear()
    ev = create_event()
    anna = db.write(registration.register_jobseeker, ev.id, person(email="anna@example.nl")).registration
    remind(db, anna.id)
    deliver(db)
    [reminder] = [m for m in smtp.by_to("anna@example.nl") if m["Subject"].startswith("Herinnering")]
    assert reminder["List-Unsubscribe"] is None and reminder["List-Unsubscribe-Post"] is None
    assert count(db, UnsubscribeLink) == 0  # no token made that no mail carries
    msg = db.read(lambda s: s.exec(select(Message).where(Message.kind == "reminder")).one())
    for url in ("http://events.example/uitschrijven/x", "mailto:stop@events.example"):
        mail = sender.build(msg, "a@b.example", None, "https://events.example/afmelden", unsubscribe=url)
        assert mail["List-Unsubscribe"] is None and mail["List-Unsubscribe-Post"] is None
    mail = sender.build(msg, "a@b.example", None, "https://events.example/afmelden",
                        unsubscribe="https://events.example/uitschrijven/x")
    assert mail["List-Unsubscribe"] == "<https://events.example/uitschrijven/x>"
    assert mail["List-Unsubscribe-Post"] == ONE_CLICK


@pytest.mark.parametrize("state,kind", [("ask", "reminders"), ("done", "reminders"), ("ask", "surveys"),
                                        ("done", "surveys"), ("unknown", None), ("failed", None)])
def test_the_page_is_not_mistaken_for_cancelling_the_registration(state, kind):
    """'Afmelden' is what cancelling a registration is called (the /afmelden page, 'U bent afgemeld'):
    this page speaks of fewer e-mails, never of afmelden or unsubscribing."""
    html = unsubscribe.page(state, unsubscribe.Unsubscribe(kind, "Markt", "nl") if kind else None)
    assert "<h1>Minder e-mail</h1>" in html and "<h2>Fewer e-mails</h2>" in html
    words = re.sub(r"<[^>]+>", " ", html).lower()  # what a reader sees
    assert "afmeld" not in words and "unsubscribe" not in words


def test_the_page_says_the_jobcoach_gets_no_reminders_either(db, reminded, smtp):
    """Reminders off are off for the copies to the person's jobcoach too: the page says so to
    someone with a jobcoach, before and after, and to nobody else."""
    ev, anna, bram = reminded
    tokens = {to: token_of(m) for to in ("anna@example.nl", "bram@example.nl")
              for m in smtp.by_to(to) if m["Subject"].startswith("Herinnering")}
    with_coach, without = (db.read(unsubscribe.look, tokens[to]) for to in ("anna@example.nl", "bram@example.nl"))
    for state in ("ask", "done"):
        html = unsubscribe.page(state, with_coach)
        assert ("Uw jobcoach krijgt dan ook geen herinneringen meer." if state == "ask" else
                "Uw jobcoach krijgt ook geen herinneringen meer.") in html
        assert "Your jobcoach will" in html
        assert "jobcoach" not in unsubscribe.page(state, without)
    db.write(unsubscribe.unsubscribe, tokens["anna@example.nl"])
    assert db.write(notify.queue_due_reminders, [1], ev.starts_at - timedelta(hours=20)) == 1  # Bram's
    assert count(db, Message, Message.to_address == "carla@coach.example", Message.status == "queued") == 0
