"""The whole life of registrations, as people live it: a stateful property test (Hypothesis).

Each capability has its own tests; what breaks is where two meet (a coach form and identity, a
cancellation and a published plan, a walk-in and the planner). So the rules below are what people
do, in any order: sign up on the public form (also with someone else's e-mail address or phone
number), through a coach, by phone, at the door; cancel by code, by personal link, by staff, by
coach; staff override a status; plan, edit, publish and re-plan a speedmeet; move or cancel an
event; merge two people; erase a person; import a file; reminders fall due; someone switches them
off (on their page or by a mail program's one-click unsubscribe). After every step the store and
the outbox are checked against what must always hold:

- places: nobody beyond the capacity except whom staff placed over it, nobody waiting while a place
  that fits them is free;
- no registration ever changes its person (other than by a merge, to the record kept);
- consent only where someone gave it (the person's own form, their coach, staff, their file);
- no cancelled or erased person in a plan, a schedule or an unsent message other than their own
  cancellation; an erased person's name nowhere in the outbox;
- no reminder waits for someone who switched reminders off, and switching off touches only that
  registration;
- every queued message builds (headers and all), and the code a form showed works exactly for the
  registration that sign-up created;
- replaying each person's calendar attachments in order leaves exactly the events they are on;
- a profile card is shared only where the person ticked it, for the event they ticked it for, and
  what employers see (cards.visible_cards) holds only approved, shared cards of confirmed people;
- an employer (on its own pages: 'Wie komt er', 'Na het gesprek') looks at, wishes about and records
  an outcome for only people whose card it was shown or whom it talked with, never an erased person,
  and only while its organisation has a place at the event.

CI runs a bounded number of examples on SQLite and PostgreSQL; `LIFECYCLE_EXAMPLES=500 pytest
tests/test_lifecycle.py` runs a longer search.
"""
from __future__ import annotations

import csv
import io
import os
from datetime import timedelta

import icalendar
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from sqlmodel import SQLModel, col, delete, select

from eventtool.events import events
from eventtool.privacy import privacy
from eventtool.registration import registration
from eventtool.planning import speedmeet
from eventtool.core.collation import same_name
from eventtool.core.errors import DomainError, NotFound, ValidationFailed
from eventtool.messages import links, outbox
from eventtool.registration import mine, notify
from eventtool.results import unsubscribe
from eventtool.messages.models import Message
from eventtool import sender
from eventtool.sender import build
from eventtool.people.models import Consent, Jobseeker, User
from eventtool.events.models import EmployerWish, Event, Meeting
from eventtool.registration.models import Registration
from eventtool.results import bulk_import
from eventtool.registration import coaches
from eventtool.privacy import records
from eventtool.core.timeutil import to_local, utcnow

from .conftest import company, local
from eventtool.registration import event_changes
from eventtool.dayof import checkin
from eventtool.registration import audiences, broadcast, cards, door
from eventtool.registration.models import ERASED, CardView, ProfileCard
from eventtool.results import portal
from eventtool.results.models import Outcome

EXAMPLES = int(os.environ.get("LIFECYCLE_EXAMPLES", "12"))
STEPS = int(os.environ.get("LIFECYCLE_STEPS", "30"))

# A small pool, so that the same people, addresses and numbers come back again and again.
PEOPLE = [
    dict(name="Anna de Aap", email="anna@example.nl", phone="0611111111"),
    dict(name="Bram Beer", email="bram@example.nl", phone="0622222222"),
    dict(name="Cor Das", email=None, phone="0633333333"),
    dict(name="Dina Eend", email="dina@example.nl", phone=None),
]
# How a form may name someone: as themselves, a stranger with their e-mail address, someone else
# on their (shared) phone number, themselves by phone alone.
VARIANTS = ("self", "stranger_email", "shared_phone", "self_phone_only")
STRANGERS = ["Xander Vreemd", "Yara Anders", "Zeger Onbekend"]


def _typed(n: int, variant: str, stranger: int) -> dict:
    who = PEOPLE[n]
    if variant == "self":
        return dict(who)
    if variant == "stranger_email":
        return dict(name=STRANGERS[stranger], email=who["email"] or f"vreemd{stranger}@example.nl", phone=None)
    if variant == "shared_phone":
        return dict(name=STRANGERS[stranger], email=f"vreemd{stranger}@example.nl", phone=who["phone"] or "0699999999")
    return dict(name=who["name"], email=None, phone=who["phone"] or "0688888888")


def _e164(phone: str | None) -> str | None:
    return f"+31{phone[1:]}" if phone else None


class Lifecycle(RuleBasedStateMachine):
    def __init__(self, db):
        super().__init__()
        self.db = db
        with db.session(write=True) as session:  # every example starts from an empty store
            for table in reversed(SQLModel.metadata.sorted_tables):
                session.exec(delete(table))
        self.reg_person: dict[int, int] = {}  # registration -> the person it was made for
        self.codes: dict[int, str] = {}  # registration -> the code its sign-up showed
        self.forced: set[int] = set()  # registrations staff placed regardless of capacity
        self.consented: dict[str, set[int]] = {"registration": set(), "special_category": set()}
        self.erased: dict[int, str] = {}  # person -> the name they had
        self.names: dict[int, set[str]] = {}  # person -> every name stored for them
        self.merged: set[int] = set()  # people kept in a merge
        self.coach_calendar: dict[str, tuple[int, bool]] = {}  # what the coach's mail that went out put there
        self.card_ticks: dict[int, int] = {}  # registration -> the event its person ticked to share their card with
        self.shown: set[tuple[int, int]] = set()  # (organisation, card) an employer's page showed
        self.wished: set[tuple[int, int]] = set()  # (organisation, person) an employer's page took a wish about
        self.answered: set[tuple[int, int]] = set()  # (organisation, person) an employer said what came of a talk with

    # ------------------------------------------------------------------ set-up

    @initialize()
    def events_and_a_coach(self):
        db = self.db
        self.meet = db.write(events.create_event, dict(
            kind="meet_greet", title="Meet&Greet", starts_at=local(10), ends_at=local(10) + timedelta(hours=2),
            capacity_jobseekers=2, capacity_employers=2, companions_count=True, status="published",
            venue_name="Buurthuis", address="Markt 1", city="Oss")).id
        self.speed = db.write(events.create_event, dict(
            kind="speedmeet", title="Speedmeet", starts_at=local(12), ends_at=local(12) + timedelta(hours=2),
            capacity_jobseekers=3, capacity_employers=3, status="published", venue_name="Stadhuis", city="Uden")).id
        for n, sector in enumerate(("care", "ict")):
            db.write(registration.register_employer, self.speed, company(900 + n, sectors=[sector], recruiters=1))
        db.write(speedmeet.save_settings, self.speed, dict(
            rounds=3, round_minutes=10, break_minutes=5, first_round_at=to_local(local(12)) + timedelta(minutes=10),
            max_meetings=3, coverage_bonus=10))
        self.events = [self.meet, self.speed]
        self.coach = db.write(lambda s: _add(s, User(email="coach@jobcoach.nl", name="Carla Coach", role="coach",
                                                     password_hash="!", active=True))).id
        # Each speedmeet employer's contact person, signed in on the organisation's own pages.
        self.employer_accounts = db.write(lambda s: [
            (_add(s, User(email=f"hr@werkgever{r.employer_id}.nl", name="HR", role="employer", password_hash="!",
                          employer_id=r.employer_id)).id, r.employer_id)
            for r in s.exec(select(Registration).where(Registration.event_id == self.speed,
                                                       col(Registration.employer_id).is_not(None)))])
        # Bram and Dina signed up for the speedmeet on the public form and shared their cards, which staff
        # approved: the employers' pages have someone to show from the first step (the rules then
        # cancel, move, merge, erase, withdraw... as they do for anyone).
        for n in (1, 3):
            self.sign_up(event=1, n=n, variant="self", stranger=0, source="form", special=False, companion=False,
                         card="shared")
            self.staff_approve_a_card(pick=0)

    # ------------------------------------------------------------------ helpers

    def _people(self, session) -> list[Jobseeker]:
        return list(session.exec(select(Jobseeker).order_by(Jobseeker.id)))

    def _expected_person(self, typed: dict) -> int | None:
        """Whom a form with these details is for: the matching rule, written out once more."""
        email, phone = typed["email"], _e164(typed["phone"])
        people = self.db.read(self._people)
        for p in people:
            if email and p.email == email:
                return p.id
        for p in people:
            if phone and p.phone == phone and same_name(p.name, typed["name"]):
                return p.id
        return None

    def _signed_up(self, signup, typed: dict, expected: int | None, was_active: bool, consent_special: bool,
                   trusted: bool) -> None:
        reg = signup.registration
        person = reg.jobseeker_id
        if expected is not None:
            assert person == expected, "the sign-up went to someone else than the details name"
        else:
            assert person not in self.names, "a new person's sign-up went to someone we knew"
            self.names[person] = {typed["name"]}
            self.consented["registration"].add(person)
            if consent_special:
                self.consented["special_category"].add(person)
        if trusted:
            self.consented["registration"].add(person)
        if reg.id in self.reg_person:
            assert self.reg_person[reg.id] == person
        self.reg_person[reg.id] = person
        if was_active:  # the form named someone on the list: its code works for nothing
            with pytest.raises(NotFound):
                self.db.read(registration.lookup_code, signup.code)
        else:
            self.codes[reg.id] = signup.code

    def _active(self, event_id: int, person: int | None) -> bool:
        return person is not None and self.db.read(lambda s: s.exec(select(Registration.id).where(
            Registration.event_id == event_id, Registration.jobseeker_id == person,
            Registration.status != "cancelled")).first()) is not None

    def _regs(self) -> list[int]:
        return sorted(self.reg_person)

    def _own_link(self, pick: int) -> tuple[Registration, str | None]:
        """A registration and a personal link of its own ('mijn aanmelding'), as its messages carry
        one; none for an erased person's."""
        reg_id = self._regs()[pick % len(self._regs())]
        reg = self.db.read(lambda s: s.get(Registration, reg_id))
        if reg.cancel_token_hash.startswith(ERASED):
            return reg, None
        return reg, self.db.write(links.mint, reg_id, self.db.read(lambda s: s.get(Event, reg.event_id)).ends_at)

    def _attempt(self, fn, *args, **kwargs):
        """A domain verb that may refuse (a full or cancelled event, someone already on the list): a
        refusal changes nothing, which the invariants then check."""
        try:
            return self.db.write(fn, *args, **kwargs)
        except (DomainError, ValidationFailed):
            return None

    # ------------------------------------------------------------------ rules: signing up

    @rule(event=st.integers(0, 1), n=st.integers(0, 3), variant=st.sampled_from(VARIANTS), stranger=st.integers(0, 2),
          source=st.sampled_from(["form", "coach", "organiser"]), special=st.booleans(), companion=st.booleans(),
          card=st.sampled_from([None, "kept", "shared"]))
    def sign_up(self, event, n, variant, stranger, source, special, companion, card):
        event_id = self.events[event]
        typed = _typed(n, variant, stranger)
        data = dict(typed, consent_registration=True, consent_special=special,
                    support_needs=["quiet_space"] if special else [],
                    companion="interpreter" if companion else None, companion_name="Tineke Tolk" if companion else None)
        expected = self._expected_person(typed)
        was_active = self._active(event_id, expected)
        if source == "coach":
            signup = self._attempt(coaches.sign_up_client, self.coach, event_id, data)
        elif source == "organiser":
            signup = self._attempt(registration.add_by_phone, event_id, data)
        else:
            signup = self._attempt(registration.register_jobseeker, event_id, data,
                                   card={"pitch": f"Ik ben {typed['name']}"} if card else None,
                                   share_card=card == "shared")
        if signup is None:
            return
        assert not (was_active and source == "organiser"), "staff are told someone is on the list already"
        if card == "shared" and signup.registration.id not in self.reg_person:  # the form created it
            self.card_ticks[signup.registration.id] = event_id
        self._signed_up(signup, typed, expected, was_active, special, trusted=source == "organiser")

    @rule(event=st.integers(0, 1), n=st.integers(0, 3), variant=st.sampled_from(VARIANTS), stranger=st.integers(0, 2))
    def walk_in(self, event, n, variant, stranger):
        event_id = self.events[event]
        typed = _typed(n, variant, stranger)
        expected = self._expected_person(typed)
        signup = self._attempt(registration.add_walk_in, event_id, dict(typed, consent_registration=True))
        if signup is None:
            return
        self._signed_up(signup, typed, expected, False, False, trusted=True)
        self.forced.add(signup.registration.id)

    # ------------------------------------------------------------------ rules: cancelling and places

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000), how=st.sampled_from(["code", "link", "staff", "coach"]))
    def cancel(self, pick, how):
        reg_id = self._regs()[pick % len(self._regs())]
        if how == "code":
            if reg_id in self.codes:
                self._attempt(registration.cancel_by_code, self.codes[reg_id])
        elif how == "link":
            reg = self.db.read(lambda s: s.get(Registration, reg_id))
            event = self.db.read(lambda s: s.get(Event, reg.event_id))
            token = self.db.write(links.mint, reg_id, event.ends_at)
            self._attempt(mine.cancel, token)
        elif how == "staff":
            self._attempt(registration.cancel_registration, reg_id)
        else:
            self._attempt(coaches.cancel_for_client, self.coach, reg_id)

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000), status=st.sampled_from(["confirmed", "waitlisted"]))
    def staff_set_status(self, pick, status):
        reg_id = self._regs()[pick % len(self._regs())]
        if self._attempt(registration.set_status, reg_id, status) is not None and status == "confirmed":
            self.forced.add(reg_id)

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000))
    def staff_move_to_other_event(self, pick):
        reg_id = self._regs()[pick % len(self._regs())]
        reg = self.db.read(lambda s: s.get(Registration, reg_id))
        other = self.events[1 - self.events.index(reg.event_id)]
        self._attempt(registration.move_registration, reg_id, other)

    @rule(event=st.integers(0, 1))
    def capacity_raised(self, event):
        event_id = self.events[event]
        ev = self.db.read(lambda s: s.get(Event, event_id))
        self._attempt(event_changes.update_event, event_id, _event_data(ev, capacity_jobseekers=ev.capacity_jobseekers + 1))

    @rule(event=st.integers(0, 1), days=st.integers(1, 3))
    def event_moved(self, event, days):
        event_id = self.events[event]
        ev = self.db.read(lambda s: s.get(Event, event_id))
        self._attempt(event_changes.update_event, event_id, _event_data(ev, starts_at=to_local(ev.starts_at) + timedelta(days=days),
                                                                 ends_at=to_local(ev.ends_at) + timedelta(days=days)))

    @rule(event=st.integers(0, 1))
    def event_cancelled(self, event):
        self._attempt(event_changes.set_status, self.events[event], "cancelled")

    # ------------------------------------------------------------------ rules: the speedmeet plan

    @rule(from_round=st.sampled_from([0, 1]), publish=st.booleans())
    def plan(self, from_round, publish):
        if self._attempt(speedmeet.run_planner, self.speed, time_limit=2, from_round=from_round) is not None and publish:
            self._attempt(speedmeet.publish, self.speed)

    @rule(pick=st.integers(0, 10_000), action=st.sampled_from(["remove", "move"]))
    def hand_edit(self, pick, action):
        meetings = self.db.read(lambda s: s.exec(select(Meeting.id, Meeting.round).where(
            Meeting.event_id == self.speed).order_by(Meeting.id)).all())
        if not meetings:
            return
        meeting_id, round_ = meetings[pick % len(meetings)]
        if action == "remove":
            self._attempt(speedmeet.remove_meeting, meeting_id)
        else:
            self._attempt(speedmeet.move_meeting, meeting_id, (round_ + 1) % 3)

    # ------------------------------------------------------------------ rules: people

    @precondition(lambda self: len(set(self.names) - set(self.erased)) >= 2)
    @rule(a=st.integers(0, 10_000), b=st.integers(0, 10_000))
    def merge(self, a, b):
        alive = sorted(set(self.names) - set(self.erased))
        keep, gone = alive[a % len(alive)], alive[b % len(alive)]
        if keep == gone or self._attempt(records.merge, keep, gone) is None:
            return
        stored = set(self.db.read(lambda s: s.exec(select(Registration.id)).all()))
        self.reg_person = {r: (keep if p == gone else p) for r, p in self.reg_person.items() if r in stored}
        self.codes = {r: c for r, c in self.codes.items() if r in stored}
        self.forced &= stored
        for scope in self.consented.values():
            if gone in scope:
                scope.add(keep)
        self.names[keep] |= self.names.pop(gone)
        self.merged.add(keep)
        # What employers said about the record that went is now about the one kept.
        self.wished |= {(e, keep) for e, p in self.wished if p == gone}
        self.answered |= {(e, keep) for e, p in self.answered if p == gone}

    @precondition(lambda self: set(self.names) - set(self.erased))
    @rule(pick=st.integers(0, 10_000))
    def erase(self, pick):
        alive = sorted(set(self.names) - set(self.erased))
        person = alive[pick % len(alive)]
        name = self.db.read(lambda s: s.get(Jobseeker, person)).name

        def coach_mail_went_out(session):
            """The coach's mail went out before (their calendar holds what it carried): the
            erasure must take the person's entries out of it again (issue 27)."""
            for msg in session.exec(select(Message).where(Message.status == "queued",
                                                          Message.to_address == "coach@jobcoach.nl")
                                    .order_by(Message.id)):
                if msg.ics:  # before it is marked sent: a 'coach_erased' row goes then
                    _replay(self.coach_calendar, msg.ics)
                outbox.mark_sent(session, msg.id)
        self.db.write(coach_mail_went_out)
        self.db.write(privacy.erase_person, person)
        self.erased[person] = name
        for scope in self.consented.values():
            scope.discard(person)

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000), at_its_event=st.booleans())
    def scan_at_the_door(self, pick, at_its_event):
        """Someone's QR code is scanned at the door (issue 29): only a confirmed place checks in,
        once; a cancelled, waiting-list, erased or other event's code checks nobody in."""
        reg_id = self._regs()[pick % len(self._regs())]
        reg = self.db.read(lambda s: s.get(Registration, reg_id))
        if reg is None:
            return
        erased = self.reg_person[reg_id] in self.erased
        code = door.token(reg)
        at = reg.event_id if at_its_event else next(e for e in self.events if e != reg.event_id)
        before = self.db.read(lambda s: {r.id: r.checked_in_at for r in s.exec(select(Registration))})
        scanned = self.db.write(checkin.scan, at, code)
        after = self.db.read(lambda s: {r.id: r.checked_in_at for r in s.exec(select(Registration))})
        if erased:
            assert scanned.outcome == "unknown", "an erased person's code still finds their registration"
        elif not at_its_event:
            assert scanned.outcome == "other_event"
        elif reg.status == "confirmed":
            assert scanned.outcome == ("already" if reg.checked_in_at else "welcome")
            assert after[reg_id] is not None and (reg.checked_in_at is None or after[reg_id] == before[reg_id])
        else:
            assert scanned.outcome == reg.status  # cancelled | waitlisted, told as such
        changed = {r for r in after if after[r] != before.get(r)}
        assert changed <= ({reg_id} if scanned.outcome == "welcome" else set()), "a scan checked in someone else"

    @rule(n=st.integers(0, 3), consent_date=st.booleans())
    def import_file(self, n, consent_date):
        """A file from a partner: someone we may know and someone new, consent as the file says."""
        who = PEOPLE[n]
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Naam", "E-mail", "Telefoon", "Toestemming", "Datum toestemming"])
        date = to_local(utcnow()).date().strftime("%d-%m-%Y") if consent_date else ""
        writer.writerow([who["name"], who["email"] or "", who["phone"] or "", "ja", date])
        writer.writerow([f"Nieuw Persoon {len(self.names)}", f"nieuw{len(self.names)}@example.nl", "", "ja", date])
        expected = [self._expected_person(dict(who)), None]
        result = _import(self.db, out.getvalue().encode())
        if result is None:
            return
        people = {p.id for p in self.db.read(self._people)}
        for pid in people - set(self.names):
            name = self.db.read(lambda s, pid=pid: s.get(Jobseeker, pid)).name
            self.names[pid] = {name}
            if consent_date:  # the file gave consent, with its date
                self.consented["registration"].add(pid)
        if expected[0] is not None and consent_date:
            self.consented["registration"].add(expected[0])

    # ------------------------------------------------------------------ rules: reminders

    @rule(event=st.integers(0, 1))
    def reminders_due(self, event):
        """The day before the event: the reminders go into the outbox (as the sender loop queues them)."""
        ev = self.db.read(lambda s: s.get(Event, self.events[event]))
        self.db.write(notify.queue_due_reminders, [1], now=ev.starts_at - timedelta(hours=23))

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000), how=st.sampled_from(["link", "one_click"]))
    def reminders_off(self, pick, how):
        """The person switches reminders off on 'mijn aanmelding', or their mail program POSTs the
        reminder's one-click unsubscribe (RFC 8058): that registration's reminders, nothing else."""
        reg_id = self._regs()[pick % len(self._regs())]
        before = dict(self.db.read(lambda s: s.exec(select(Registration.id, Registration.reminders)).all()))
        event = self.db.read(lambda s: s.get(Event, s.get(Registration, reg_id).event_id))
        if how == "link":
            self._attempt(mine.set_reminders, self.db.write(links.mint, reg_id, event.ends_at), False)
        else:
            token = self.db.write(links.mint_unsubscribe, links.REMINDERS, event.ends_at, registration_id=reg_id)
            self._attempt(unsubscribe.unsubscribe, token)
        after = dict(self.db.read(lambda s: s.exec(select(Registration.id, Registration.reminders)).all()))
        assert {r for r in after if after[r] != before.get(r)} <= {reg_id}, "switching off changed another registration"
        if how == "one_click":  # the link works whatever the registration's state (a cancelled one's too)
            assert after[reg_id] is False

    # ------------------------------------------------------------------ rules: a message to everyone

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000), english=st.booleans())
    def message_to_everyone(self, pick, english):
        """The organiser writes to everyone of an event, or to one audience of it (issue 29). What
        is queued is one message per address, for nobody cancelled or erased; from then on the
        invariants hold it to every cancellation, move and erasure that follows (a queued broadcast
        names or reaches nobody who left, and builds)."""
        # An audience someone is in, when there is one, of an event that goes ahead (to nobody or
        # about a cancelled event nothing goes: tested on their own), so that most steps queue one.
        going = [e for e in self.events if self.db.read(lambda s: s.get(Event, e).status) != "cancelled"]
        choices = [(e, a) for e in going for a in audiences.AUDIENCES
                   if self.db.read(audiences.reach, e, a).recipients]
        event_id, audience = choices[pick % len(choices)] if choices else (self.events[pick % 2], "all")
        reached = self.db.read(audiences.reach, event_id, audience)
        data = dict(audience=audience, subject="Andere ingang", body="De ingang is <b>verplaatst</b>.\n\n{{ x }}")
        if english:
            data |= dict(subject_en="Other entrance", body_en="The entrance has moved.")
        before = set(self.db.read(lambda s: s.exec(select(Message.id)).all()))
        queued = self._attempt(broadcast.broadcast, event_id, data)
        if queued is None:
            assert not reached.recipients or self.db.read(lambda s: s.get(Event, event_id).status) == "cancelled"
            return
        new = self.db.read(lambda s: s.exec(select(Message).where(col(Message.id).not_in(before or {-1}))).all())
        assert queued == len(new) == len(reached.recipients) and {m.kind for m in new} == {"broadcast"}
        assert len({m.to_address.casefold() for m in new}) == len(new), "someone gets the message twice"
        for msg in new:
            reg = self.db.read(lambda s: s.get(Registration, msg.registration_id))
            assert reg.event_id == event_id and reg.status == ("waitlisted" if audience == "waitlist" else "confirmed")
            assert reg.jobseeker_id not in self.erased

    # ------------------------------------------------------------------ what must always hold

    # ------------------------------------------------------------------ rules: profile cards

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000), share=st.booleans(), text=st.sampled_from(["Ik werk graag buiten.", "Ik kan lassen."]))
    def card_saved_on_their_page(self, pick, share, text):
        """The person writes their card on 'mijn aanmelding' and ticks (or unticks) sharing it."""
        reg, token = self._own_link(pick)
        if token is None:
            return
        try:
            self.db.write(mine.save_card, token, {"pitch": text, "hours": "20"}, share)
        except DomainError:  # a cancelled registration (or event) only shows
            return
        if share:  # what the person did, not what the store says: the invariant compares the two
            self.card_ticks[reg.id] = reg.event_id
        else:
            self.card_ticks.pop(reg.id, None)

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000))
    def staff_approve_a_card(self, pick):
        waiting = self.db.read(cards.waiting)
        if waiting:
            self._attempt(cards.approve, waiting[pick % len(waiting)].card.id, "staf@example.nl")

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000), how=st.sampled_from(["correct", "reject"]))
    def staff_correct_or_reject_a_card(self, pick, how):
        """Staff change a waiting card and approve it, or reject it: either queues a mail to the person."""
        waiting = self.db.read(cards.waiting)
        if not waiting:
            return
        card = waiting[pick % len(waiting)].card
        if how == "correct":
            self._attempt(cards.correct, card.id, {"pitch": f"{card.pitch} (nagekeken)", "hours": "16"}, "staf@example.nl")
        else:
            self._attempt(cards.reject, card.id, "Schrijf wat meer over wat u zoekt.", "staf@example.nl")

    @precondition(lambda self: self.reg_person)
    @rule(pick=st.integers(0, 10_000))
    def card_withdrawn(self, pick):
        reg, token = self._own_link(pick)
        if token is None:
            return
        try:
            self.db.write(mine.withdraw_card, token)
        except DomainError:
            return
        self.card_ticks.pop(reg.id, None)

    @rule(who=st.integers(0, 1), pick=st.integers(0, 10_000), wish=st.sampled_from(["want", "avoid", None]))
    def employer_looks_and_wishes(self, who, pick, wish):
        """An employer's contact person opens 'Wie komt er' for the speedmeet and marks one card."""
        user_id, employer_id = self.employer_accounts[who]
        try:
            seen = self.db.write(portal.coming, user_id, self.speed)
        except (DomainError, NotFound):  # the organisation has no place (any more)
            return
        self.shown |= {(employer_id, row.card.card_id) for row in seen.cards}
        if seen.cards and seen.wishes_open:
            card = seen.cards[pick % len(seen.cards)].card
            try:
                self.db.write(portal.set_wish, user_id, self.speed, card.card_id, wish)
            except (DomainError, NotFound):  # wishes closed (the plan is out): the store stays as it was
                return
            if wish is not None:
                self.wished.add((employer_id, card.jobseeker_id))

    @rule(who=st.integers(0, 1), pick=st.integers(0, 10_000),
          answer=st.sampled_from(["second_interview", "traineeship", "none", "unsure"]))
    def employer_after_the_talk(self, who, pick, answer):
        """Right after the speedmeet (its start plus an hour), the employer says what came of a talk."""
        user_id, employer_id = self.employer_accounts[who]
        after = self.db.read(lambda s: s.get(Event, self.speed).starts_at) + timedelta(hours=1)
        try:
            talks = self.db.read(portal.talks, user_id, self.speed, now=after)
        except (DomainError, NotFound):
            return
        if talks:
            talk = talks[pick % len(talks)]
            self._attempt(portal.after_talk, user_id, self.speed, talk.jobseeker_id, answer, "Goed gesprek", now=after)
            self.answered.add((employer_id, talk.jobseeker_id))

    @invariant()
    def a_queued_message_to_everyone_is_for_someone_still_on_the_event(self):
        """Withdrawn with the registration it is linked to, or handed on to another that still
        makes its address a recipient (a coach's other client): never left on someone who left."""
        def check(session):
            for msg in session.exec(select(Message).where(Message.kind == "broadcast", Message.status == "queued")):
                reg = session.get(Registration, msg.registration_id) if msg.registration_id else None
                assert reg is not None and reg.event_id == msg.event_id, "a message to everyone outlives its registration"
                assert reg.status != "cancelled" and not reg.cancel_token_hash.startswith(registration.ERASED), \
                    f"a message to everyone waits for {msg.to_address}, who left"
                assert reg.jobseeker_id not in self.erased
        self.db.read(check)

    @invariant()
    def places_are_exact(self):
        def check(session):
            for event in session.exec(select(Event)):
                if event.status == "cancelled":
                    continue
                regs = session.exec(select(Registration).where(Registration.event_id == event.id,
                                                               Registration.jobseeker_id.is_not(None))).all()
                taken = sum(registration.seats(event, r) for r in regs if r.status == "confirmed")
                forced = sum(registration.seats(event, r) for r in regs if r.status == "confirmed" and r.id in self.forced)
                assert taken - forced <= event.capacity_jobseekers, "more places given than there are"
                free = event.capacity_jobseekers - taken
                waiting = [r for r in regs if r.status == "waitlisted" and registration.seats(event, r) <= free]
                assert not waiting, "someone waits while a place that fits them is free"
        self.db.read(check)

    @invariant()
    def no_registration_changes_person(self):
        stored = dict(self.db.read(lambda s: s.exec(select(Registration.id, Registration.jobseeker_id).where(
            Registration.jobseeker_id.is_not(None))).all()))
        for reg_id, person in self.reg_person.items():
            assert stored.get(reg_id) == person, f"registration {reg_id} changed person"

    @invariant()
    def consent_only_where_given(self):
        rows = self.db.read(lambda s: s.exec(select(Consent.jobseeker_id, Consent.scope).where(
            Consent.withdrawn_at.is_(None))).all())
        for person, scope in rows:
            assert person in self.consented.get(scope, set()), f"{scope} consent nobody gave ({person})"

    @invariant()
    def nobody_cancelled_or_erased_in_a_plan(self):
        def check(session):
            confirmed = set(session.exec(select(Registration.event_id, Registration.jobseeker_id).where(
                Registration.status == "confirmed", Registration.jobseeker_id.is_not(None))).all())
            for event_id, person in session.exec(select(Meeting.event_id, Meeting.jobseeker_id)).all():
                assert (event_id, person) in confirmed and person not in self.erased, \
                    f"a plan keeps someone who left: {person} at {event_id}, " \
                    f"{session.exec(select(Registration).where(Registration.jobseeker_id == person)).all()}"
        self.db.read(check)

    @invariant()
    def unsent_messages_name_nobody_who_left(self):
        def check(session):
            unsent = session.exec(select(Message).where(col(Message.status).in_(["queued", "sending"]))).all()
            regs = session.exec(select(Registration.id, Registration.event_id, Registration.jobseeker_id,
                                       Registration.status)).all()
            left = {(e, p) for _, e, p, status in regs if status == "cancelled" and p is not None}
            active = {(e, p) for _, e, p, status in regs if status != "cancelled" and p is not None}
            status_of = {r: status for r, _, _, status in regs}
            names = {p.id: p.name for p in session.exec(select(Jobseeker))}
            gone_names = set(self.erased.values()) - {n for p, n in names.items() if p not in self.erased}
            for msg in unsent:
                text = msg.subject + msg.body_text + (msg.ics or "")
                for name in gone_names:  # (unless someone else of that name signed up since)
                    assert name not in text, "an erased person's name is still to be sent"
                if msg.registration_id is not None and status_of.get(msg.registration_id) == "cancelled":
                    assert msg.kind in ("cancelled", "event_cancelled"), \
                        f"an unsent {msg.kind} message about a cancelled registration"
                for event_id, person in left - active:
                    same_name = [p for p, n in names.items() if n == names.get(person)]
                    if event_id == msg.event_id and person != msg.jobseeker_id and same_name == [person]:
                        assert names[person] not in text, \
                            f"a {msg.kind} to {msg.to_address} still names {names[person]}, who left event {event_id}"
        self.db.read(check)

    @invariant()
    def no_reminder_to_someone_who_switched_them_off(self):
        """A queued reminder (or its copy to the jobcoach) is for a registration whose reminders are on."""
        def check(session):
            off = set(session.exec(select(Registration.id).where(Registration.reminders.is_(False))).all())
            waiting = session.exec(select(Message.registration_id).where(
                Message.kind == "reminder", Message.status == "queued")).all()  # (one being sent is on its way)
            assert not off & set(waiting), "a reminder waits for someone who switched reminders off"
        self.db.read(check)

    @invariant()
    def every_queued_message_builds(self):
        """Every queued message builds as the sender builds it, its door code (QR) too; a door code
        goes only to the person themselves, for a place they have now."""
        def check(session):
            for msg in session.exec(select(Message).where(Message.status == "queued")).all():
                code = sender._door_code(session, msg)
                email = build(msg, "eventtool <noreply@example.nl>", "https://x/mijn-aanmelding?t=abc",
                              "https://x/afmelden", door_code=code)
                assert email.as_bytes()
                assert links.CODE_PLACEHOLDER not in email.as_string() and links.DOOR_PLACEHOLDER not in email.as_string()
                if code is not None:
                    reg = session.get(Registration, msg.registration_id)
                    assert reg.status == "confirmed" and self.reg_person.get(reg.id) not in self.erased
                    assert msg.to_address.casefold() != "coach@jobcoach.nl", "a coach's copy carries the client's door code"
                    assert door.find(session, code).id == reg.id
        self.db.read(check)

    @invariant()
    def door_codes_find_only_their_own_registration(self):
        """Each registration's door code finds it and nothing else; an erased person's finds nothing."""
        def check(session):
            for reg in session.exec(select(Registration)):
                if self.reg_person.get(reg.id) in self.erased:
                    assert reg.door_code_hash is None, "an erased registration keeps its door code"
                elif reg.id in self.reg_person:
                    assert door.find(session, door.token(reg)).id == reg.id
        self.db.read(check)

    @invariant()
    def every_calendar_file_is_itip_for_its_recipient(self):
        """Each VCALENDAR a queued message carries is one iTIP message (RFC 5546): REQUEST or CANCEL,
        one UID, the ORGANIZER and exactly one ATTENDEE, the address it goes to; and nobody who left
        an event is sent a REQUEST for it."""
        def check(session):
            status = {r.id: r.status for r in session.exec(select(Registration))}
            for msg in session.exec(select(Message).where(Message.status == "queued", Message.ics.is_not(None))):
                for cal in icalendar.Calendar.from_ical(msg.ics, multiple=True):
                    method, entries = str(cal["METHOD"]), cal.walk("VEVENT")
                    assert method in ("REQUEST", "CANCEL"), f"a {msg.kind} carries METHOD:{method}"
                    assert len({str(v["UID"]) for v in entries}) == 1, f"a {msg.kind} file holds several UIDs"
                    for ve in entries:
                        attendees = ve.get("ATTENDEE")
                        assert "ORGANIZER" in ve and isinstance(attendees, icalendar.vCalAddress), msg.kind
                        assert str(attendees).lower() == f"mailto:{msg.to_address}".lower(), msg.kind
                    if method == "REQUEST" and msg.registration_id is not None:
                        assert status.get(msg.registration_id) != "cancelled", \
                            f"an unsent {msg.kind} puts an event in the calendar of someone who left it"
        self.db.read(check)

    @invariant()
    def codes_work_for_what_their_sign_up_created(self):
        def check(session):
            for reg_id, code in self.codes.items():
                reg = session.get(Registration, reg_id)
                if reg is None or reg.jobseeker_id in self.erased:
                    continue
                try:
                    found = registration.find_by_code(session, code)
                except NotFound:
                    continue  # replaced by a later sign-up after a cancellation
                assert found.id == reg_id
        self.db.read(check)

    @invariant()
    def calendars_replayed_hold_exactly_the_events_people_are_on(self):
        def check(session):
            # Two records merged were one person with two addresses, so two calendars that each kept
            # what reached them; the replay below is for people with one.
            people = {p.id: p for p in session.exec(select(Jobseeker)) if p.id not in set(self.erased) | self.merged}
            uid_of = {e.id: _event_uid(session, e) for e in session.exec(select(Event))}
            event_status = {e.id: e.status for e in session.exec(select(Event))}
            for person in people.values():
                # What reached them (not their coach's copies).
                msgs = session.exec(select(Message).where(Message.jobseeker_id == person.id,
                                                          Message.to_address != "coach@jobcoach.nl",
                                                          col(Message.status) != "failed").order_by(Message.id)).all()
                if not msgs:
                    continue
                calendar: dict[str, tuple[int, bool]] = {}  # uid -> (sequence, present)
                for msg in msgs:
                    if msg.ics:
                        _replay(calendar, msg.ics)
                present = {uid for uid, (_, here) in calendar.items() if here} & set(uid_of.values())
                regs = session.exec(select(Registration.event_id, Registration.source).where(
                    Registration.jobseeker_id == person.id, Registration.status != "cancelled")).all()
                on = {uid_of[e] for e, _ in regs if event_status[e] != "cancelled"}
                # Someone added at the door is sent nothing: whatever their calendar says then is moot.
                door = {uid_of[e] for e, source in regs if source == "walk_in"}
                told = set(calendar)  # (nor has anyone only told that nothing changed)
                assert present - door == (on & told) - door, \
                    f"{person.name}'s calendar holds {present} but they are on {on & told}"
        self.db.read(check)

    @invariant()
    def no_coach_calendar_keeps_an_erased_client(self):
        """The coach's calendar (what their mail that went out put there, then what is still to
        go to them) keeps no entry of an erased person's registration (issue 27): erasure deletes
        the copies, so the calendar is kept here."""
        def check(session):
            erased = set(session.exec(select(Registration.id).where(
                col(Registration.jobseeker_id).in_(list(self.erased)))).all())
            calendar = dict(self.coach_calendar)
            for msg in session.exec(select(Message).where(Message.status == "queued", Message.ics.is_not(None),
                                                          Message.to_address == "coach@jobcoach.nl")
                                    .order_by(Message.id)):
                _replay(calendar, msg.ics)
            kept = [uid for uid, (_, here) in calendar.items()
                    if here and uid.startswith("coach-") and int(uid.split("-")[1]) in erased]
            assert not kept, f"the coach's calendar keeps {kept} of an erased client"
        self.db.read(check)

    @invariant()
    def a_card_is_shared_only_where_its_person_ticked_it(self):
        rows = self.db.read(lambda s: s.exec(select(ProfileCard, Registration).join(
            Registration, Registration.id == ProfileCard.registration_id).where(ProfileCard.shared == True)).all())  # noqa: E712
        for card, reg in rows:
            assert self.card_ticks.get(reg.id) == reg.event_id, f"card {card.id} shared without the person's tick"
            assert card.shared_at is not None and card.share_version == cards.SHARE_VERSION

    @invariant()
    def employers_see_only_approved_shared_cards_of_confirmed_people(self):
        def check(session):
            for event_id in self.events:
                for seen in cards.visible_cards(session, event_id):
                    card, reg = session.get(ProfileCard, seen.card_id), session.get(Registration, seen.registration_id)
                    assert reg.event_id == event_id and reg.status == "confirmed", "a card of someone without a place"
                    assert not reg.cancel_token_hash.startswith(ERASED) and reg.jobseeker_id not in self.erased
                    assert card.shared and card.status == "approved", "a withdrawn or unchecked card"
                    assert seen.name == cards.short_name(session.get(Jobseeker, reg.jobseeker_id).name)
        self.db.read(check)


    @invariant()
    def employers_act_only_on_whom_they_were_shown_or_met(self):
        def check(session):
            views = session.exec(select(CardView)).all()
            for view in views:
                assert (view.employer_id, view.card_id) in self.shown, f"card view {view.id} nobody was shown"
            for wish in session.exec(select(EmployerWish)).all():
                assert (wish.employer_id, wish.jobseeker_id) in self.wished, f"wish {wish.id} nobody gave"
                assert wish.jobseeker_id not in self.erased, "a wish about an erased person"
            for outcome in session.exec(select(Outcome).where(Outcome.source == "employer")).all():
                assert (outcome.employer_id, outcome.jobseeker_id) in self.answered, f"outcome {outcome.id} nobody gave"
                assert outcome.jobseeker_id not in self.erased or outcome.note == "", "an erased person's note"
        self.db.read(check)

def _add(session, row):
    session.add(row)
    session.flush()
    return row


def _event_data(ev: Event, **changes) -> dict:
    data = dict(kind=ev.kind, title=ev.title, venue_name=ev.venue_name, address=ev.address, city=ev.city,
                starts_at=to_local(ev.starts_at), ends_at=to_local(ev.ends_at),
                capacity_jobseekers=ev.capacity_jobseekers, capacity_employers=ev.capacity_employers,
                companions_count=ev.companions_count, status=ev.status)
    return data | changes


def _event_uid(session, event: Event) -> str:
    from eventtool.events.calendars import registration_ics
    cal = icalendar.Calendar.from_ical(registration_ics(session, event.id))
    return str(next(iter(cal.walk("VEVENT")))["UID"])


def _replay(calendar: dict, ics: str) -> None:
    """What a calendar program does with an attachment: a newer version of an entry replaces it,
    a CANCEL (or STATUS:CANCELLED) removes it."""
    for cal in icalendar.Calendar.from_ical(ics, multiple=True):
        method = str(cal.get("METHOD", "PUBLISH"))
        for ve in cal.walk("VEVENT"):
            uid, seq = str(ve["UID"]), int(ve.get("SEQUENCE", 0))
            gone = method == "CANCEL" or str(ve.get("STATUS", "")) == "CANCELLED"
            if uid not in calendar or seq >= calendar[uid][0]:
                calendar[uid] = (seq, not gone)


def _import(db, data: bytes):
    """Preview, then import what has no problem, merging the people staff were shown as known."""
    try:
        seen = db.read(bulk_import.preview, data, "partner.csv", "jobseekers")
        return db.write(bulk_import.commit, data, "partner.csv", "jobseekers", [r.known_id for r in seen.known],
                        "staff@eventtool", leave_out=[r.number for r in seen.problems])
    except (DomainError, ValidationFailed):
        return None


def test_the_life_of_registrations(db):
    run_state_machine_as_test(lambda: Lifecycle(db), settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
        phases=[p for p in Phase if os.environ.get("LIFECYCLE_SHRINK", "1") == "1" or p != Phase.shrink]))
