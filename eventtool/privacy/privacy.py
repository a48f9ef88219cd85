"""Personal data on request and by the calendar: one person's data as JSON/CSV, withdrawing the
special-category consent in one step, erasure of one person, and purging people whose last event
is past the retention period. Erased and purged people keep an anonymous row (id and region) so
that outcome counts stay right; nothing that identifies them remains, in the table or in the file
(secure_delete is on, and the WAL is checkpointed after a purge)."""
from __future__ import annotations

import csv
import io
import json
import re
import time
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from ..core import audit
from ..core.errors import DomainError, NotFound
from ..dayof.exports import csv_delimiter, neutralise, readable_phone
from ..core.i18n import translate
from ..events.models import ArrivalSlot, EmployerWish, Event, Meeting
from ..people.models import Consent, Employer, Jobseeker, ProfileProposal, User
from ..results.models import Outcome
from ..registration.models import Registration
from ..messages import links, outbox
from ..registration import cards, notify
from ..messages.models import Message, PersonalLink, UnsubscribeLink
from ..people.models import CoachClient
from ..results.models import Survey, SurveyLink
from ..registration.registration import cancel_registration, erase_code, find_by_code
from ..core.timeutil import fmt_local, utcnow

ERASED_NAME = "(verwijderd)"


def _person(session: Session, jobseeker_id: int) -> Jobseeker:
    person = session.get(Jobseeker, jobseeker_id)
    if person is None:
        raise NotFound("privacy.person_not_found")
    return person


def person_data(session: Session, jobseeker_id: int) -> dict:
    """Everything we hold about one jobseeker (GDPR art. 15/20): profile, consents, registrations
    (with whether they came, their picks and arrival slot), meetings, outcomes and any change they
    proposed that staff have not yet reviewed, their profile cards and which organisation looked at
    each card when. Ids are named: an event by its title and start, an employer by its organisation."""
    person = _person(session, jobseeker_id)
    regs = session.exec(select(Registration).where(Registration.jobseeker_id == jobseeker_id)).all()
    meetings = session.exec(select(Meeting).where(Meeting.jobseeker_id == jobseeker_id)
                            .order_by(Meeting.event_id, Meeting.round)).all()
    results = session.exec(select(Outcome).where(Outcome.jobseeker_id == jobseeker_id)
                           .order_by(Outcome.occurred_on)).all()
    event_ids = {r.event_id for r in regs} | {m.event_id for m in meetings} | {o.event_id for o in results}
    events = {e.id: e for e in session.exec(select(Event).where(Event.id.in_(event_ids - {None})))}
    employer_ids = ({p for r in regs for p in r.picks} | {m.employer_id for m in meetings}
                    | {o.employer_id for o in results})
    orgs = {e.id: e.organisation for e in session.exec(select(Employer).where(Employer.id.in_(employer_ids - {None})))}
    slots = {s.id: s for s in session.exec(select(ArrivalSlot).where(
        ArrivalSlot.id.in_({r.arrival_slot_id for r in regs} - {None})))}
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    title = lambda event_id: events[event_id].title if event_id in events else None  # noqa: E731
    card_rows = cards.views_of(session, jobseeker_id)
    return {
        "profile": {k: getattr(person, k) for k in ("name", "email", "phone", "region", "interests", "seeking", "pitch",
                                                     "support_needs", "target_group", "school")}
        | {"created_at": iso(person.created_at), "updated_at": iso(person.updated_at)},
        "consents": [{"scope": c.scope, "text_version": c.text_version, "given_at": iso(c.given_at),
                      "withdrawn_at": iso(c.withdrawn_at), "given_via": c.given_via}
                     for c in session.exec(select(Consent).where(Consent.jobseeker_id == jobseeker_id))],
        "registrations": [{"event": title(r.event_id), "starts_at": iso(events[r.event_id].starts_at),
                           "status": r.status, "source": r.source, "registered_at": iso(r.created_at),
                           "cancelled_at": iso(r.cancelled_at), "checked_in_at": iso(r.checked_in_at),
                           "no_show": r.no_show, "picks": [orgs.get(p, p) for p in r.picks],
                           "jobcoach": ", ".join(c for c in (r.coach_name, r.coach_email) if c) or None,
                           "rounds_present": None if r.available_rounds is None else [n + 1 for n in r.available_rounds],
                           "arrival_slot": iso(slots[r.arrival_slot_id].starts_at) if r.arrival_slot_id in slots else None}
                          for r in regs],
        "meetings": [{"event": title(m.event_id), "employer": orgs.get(m.employer_id), "round": m.round + 1,
                      "table": m.table_no, "locked": m.locked} for m in meetings],
        "outcomes": [{"kind": o.kind, "occurred_on": iso(o.occurred_on), "event": title(o.event_id),
                      "employer": orgs.get(o.employer_id), "source": o.source, "recorded_at": iso(o.recorded_at),
                      "hours_per_week": o.hours_per_week, "set_aside": o.rejected_at is not None,
                      "note": o.note} for o in results],
        "messages": [{"kind": m.kind, "to": m.to_address, "subject": m.subject, "status": m.status,
                      "created_at": iso(m.created_at), "sent_at": iso(m.sent_at)}
                     for m in session.exec(select(Message).where(Message.jobseeker_id == jobseeker_id)
                                           .order_by(Message.created_at))],
        "surveys": [{"event": title(sv.event_id), "after": sv.wave, "as": sv.respondent, "sent_at": iso(sv.created_at),
                     "answered_at": iso(sv.answered_at), "no_more_questions_at": iso(sv.declined_at)}
                    for sv in session.exec(select(Survey).where(Survey.jobseeker_id == jobseeker_id,
                                                                Survey.respondent != "employer"))],
        "coaches": [{"name": u.name, "email": u.email, "organisation": u.organisation, "since": iso(c.since),
                     "how": c.how}
                    for c, u in session.exec(select(CoachClient, User).join(User, User.id == CoachClient.coach_id)
                                             .where(CoachClient.jobseeker_id == jobseeker_id))],
        "proposed_changes": [{"registered_at": iso(p.created_at), "changes": p.changes,
                              "consent_special": p.consent_special}
                             for p in session.exec(select(ProfileProposal)
                                                   .where(ProfileProposal.jobseeker_id == jobseeker_id))],
        "profile_cards": [{"event": event.title, "pitch": card.pitch, "seeking": card.seeking, "skills": card.skills,
                           "hours": card.hours, "shared": card.shared, "shared_at": iso(card.shared_at),
                           "share_text_version": card.share_version, "status": card.status, "reason": card.reason,
                           "reviewed_at": iso(card.reviewed_at), "updated_at": iso(card.updated_at)}
                          for card, event, _looked in card_rows],
        "card_views": [{"event": event.title, "employer": organisation, "viewed_at": iso(at)}
                       for _card, event, looked in card_rows for organisation, at in looked],
        # What an employer said on its own page about meeting them ("graag spreken" / "liever niet").
        "employer_wishes": [{"event": ev.title, "employer": organisation, "wish": w.wish}
                            for w, ev, organisation in session.exec(
                                select(EmployerWish, Event, Employer.organisation)
                                .join(Event, Event.id == EmployerWish.event_id)
                                .join(Employer, Employer.id == EmployerWish.employer_id)
                                .where(EmployerWish.jobseeker_id == jobseeker_id).order_by(EmployerWish.id))],
    }


def export_json(session: Session, jobseeker_id: int) -> bytes:
    return json.dumps(person_data(session, jobseeker_id), ensure_ascii=False, indent=2).encode("utf-8")


_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def readable(field: str, value, lang: str = "nl") -> str:
    """One value of `person_data` as a person reads it: lists joined, yes for True, a phone number
    as it is written, times in local time (03-12-2026 15:00)."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, bool):
        return translate("report.yes", lang) if value else ""
    text = "" if value is None else str(value)
    if field == "phone":
        return readable_phone(text)
    if _ISO_TIME.match(text):
        return fmt_local(datetime.fromisoformat(text))
    return text


def export_csv(session: Session, jobseeker_id: int, lang: str = "nl") -> bytes:
    """The same for a spreadsheet, in the page language: section, item, field, value rows with
    translated headings and section names, times in local time (03-12-2026 15:00), the delimiter
    that language's spreadsheets split on, text only and formulas neutralised."""

    out = io.StringIO()
    writer = csv.writer(out, delimiter=csv_delimiter(lang), lineterminator="\r\n")
    writer.writerow([translate(f"privacy.csv.{c}", lang) for c in ("section", "item", "field", "value")])
    for section, content in person_data(session, jobseeker_id).items():
        items = [content] if isinstance(content, dict) else content
        for n, item in enumerate(items, start=1):
            for field, value in item.items():
                writer.writerow([translate(f"privacy.section.{section}", lang), n, field, neutralise(readable(field, value, lang))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@audit.action("privacy.withdraw_special_consent")
def withdraw_special_consent(session: Session, code: str) -> Jobseeker:
    """One step, with the personal code: the consent for health-related data ends and that data goes."""
    reg = find_by_code(session, code)
    if reg.jobseeker_id is None:
        raise DomainError("privacy.not_a_jobseeker")
    person = _person(session, reg.jobseeker_id)
    now = utcnow()
    for consent in session.exec(select(Consent).where(Consent.jobseeker_id == person.id,
                                                      Consent.scope == "special_category",
                                                      Consent.withdrawn_at.is_(None))):
        consent.withdrawn_at = now
    person.support_needs = []
    person.target_group = None
    person.updated_at = now
    session.flush()
    return person


def _anonymise(session: Session, person: Jobseeker, *, tell_coaches: bool) -> None:
    regs = session.exec(select(Registration).where(Registration.jobseeker_id == person.id)).all()
    # First, while their messages are there to tell it (`tell_coaches`, on erasure at the person's
    # request: GDPR art. 19): what their coaches' calendars still hold of them is cancelled, in
    # mails that name nothing of them and outlive this erasure. The retention purge does not: it
    # comes a month or more after their last event, when what a coach's calendar holds is the
    # coach's own record of a day gone by, and a mail about it would only puzzle them.
    if tell_coaches:
        for reg in regs:
            notify.coach_ended(session, reg, anonymous=True)
    person.name = ERASED_NAME
    person.email = None
    person.phone = None
    person.interests = []
    person.seeking = ""
    person.pitch = ""
    person.support_needs = []
    person.target_group = None
    person.school = None
    person.updated_at = utcnow()
    for consent in session.exec(select(Consent).where(Consent.jobseeker_id == person.id)):
        session.delete(consent)
    for reg in regs:
        reg.picks = []
        reg.available_rounds = None
        reg.coach_name = reg.coach_email = None
    _revoke_links(session, regs, session.exec(select(Survey.id).where(Survey.jobseeker_id == person.id)).all())
    for outcome in session.exec(select(Outcome).where(Outcome.jobseeker_id == person.id)):
        outcome.note = ""
    for proposal in session.exec(select(ProfileProposal).where(ProfileProposal.jobseeker_id == person.id)):
        session.delete(proposal)
    # Their profile cards go, and the record of which employers looked at them, and what employers
    # said about meeting them.
    cards.erase_of(session, person.id)
    session.exec(delete(EmployerWish).where(EmployerWish.jobseeker_id == person.id))
    # Messages hold the address, the name and what the person was told: they go with the person.
    session.exec(delete(Message).where(Message.jobseeker_id == person.id))
    # Their surveys (and their coach's about them) go too; the answers stay as outcomes, without them.
    session.exec(delete(Survey).where(Survey.jobseeker_id == person.id))
    # No coach keeps them on a caseload.
    session.exec(delete(CoachClient).where(CoachClient.jobseeker_id == person.id))


def _revoke_links(session: Session, regs, survey_ids: list[int]) -> None:
    """Nothing an erased person held opens anything any more: their personal links and the
    unsubscribe links of their mails (by registration and by survey) go, and each registration's
    code is replaced by a value no code hashes to (the column must stay unique)."""
    for reg in regs:
        erase_code(reg)
    links.revoke(session, [r.id for r in regs], survey_ids)


def erasure_preview(session: Session, jobseeker_id: int) -> dict:
    """What erasing this person does, for the question staff answer first: how many registrations
    (and how many upcoming ones lose their place) and outcomes (kept, without the person)."""
    _person(session, jobseeker_id)
    now = utcnow()
    regs = session.exec(select(Registration, Event).join(Event, Event.id == Registration.event_id)
                        .where(Registration.jobseeker_id == jobseeker_id)).all()
    upcoming = sum(1 for reg, event in regs if event.starts_at > now and reg.status != "cancelled")
    outcomes = session.exec(select(func.count()).select_from(Outcome).where(Outcome.jobseeker_id == jobseeker_id)).one()
    return {"registrations": len(regs), "upcoming": upcoming, "outcomes": outcomes}


@audit.action("privacy.erase_person")
def erase_person(session: Session, jobseeker_id: int) -> None:
    """Erasure on request (GDPR art. 17). Upcoming registrations are cancelled first, so their
    seats go to the waiting list."""
    person = _person(session, jobseeker_id)
    now = utcnow()
    upcoming = session.exec(select(Registration).join(Event, Event.id == Registration.event_id)
                            .where(Registration.jobseeker_id == jobseeker_id, Event.starts_at > now,
                                   Registration.status != "cancelled")).all()
    for reg in upcoming:
        cancel_registration(session, reg.id)
    _anonymise(session, person, tell_coaches=True)
    session.flush()


def _last_event_before(session: Session, party, cutoff: datetime):
    """People (jobseekers, or employers' contacts) whose last registered event ended before the
    cutoff, and who have not been made anonymous yet."""
    column = Registration.jobseeker_id if party is Jobseeker else Registration.employer_id
    last = (select(column.label("party_id"), func.max(Event.ends_at).label("last"))
            .join(Event, Event.id == Registration.event_id)
            .where(column.is_not(None)).group_by(column).subquery())
    named = Jobseeker.name if party is Jobseeker else Employer.contact_name
    return session.exec(select(party).join(last, last.c.party_id == party.id)
                        .where(last.c.last < cutoff, named != ERASED_NAME)).all()


def _anonymise_contact(session: Session, employer: Employer) -> None:
    """An organisation stays (outcome and SROI counts name it); the person who was its contact goes."""
    employer.contact_name = ERASED_NAME
    employer.email = None
    employer.phone = None
    employer.updated_at = utcnow()
    session.exec(delete(Message).where(Message.employer_id == employer.id))
    _revoke_links(session, session.exec(select(Registration).where(Registration.employer_id == employer.id)).all(),
                  session.exec(select(Survey.id).where(Survey.employer_id == employer.id)).all())


@audit.action("privacy.purge_expired")
def purge_expired(session: Session, retention_days: int, now: datetime | None = None,
                  card_share_days: int | None = None) -> int:
    """Anonymise everyone whose last event ended more than `retention_days` ago (and who has no
    event to come): jobseekers, and the contact persons of employers; delete every personal,
    unsubscribe and survey link that has expired, and every profile card whose sharing has ended
    (its event's end plus `card_share_days`, by default the setting) with the views of it.
    Returns how many people were purged."""
    if retention_days < 30:
        raise DomainError("privacy.retention_too_short")
    now = now or utcnow()
    # Links that expired open nothing any more: their rows (a token's hash and whose it was) go.
    for model in (PersonalLink, UnsubscribeLink, SurveyLink):
        session.exec(delete(model).where(model.expires_at <= now))
    cutoff = now - timedelta(days=retention_days)
    # A coach's CANCELs for an erased client that never went out (failed for good) hold that
    # client's registration next to the coach: not for longer than the retention period.
    session.exec(delete(Message).where(col(Message.kind).in_(outbox.GONE_WHEN_SENT),
                                       col(Message.status).in_(("queued", "failed")), Message.created_at < cutoff))
    # A profile card is for employers of one event: once its sharing ended it goes, with who looked.
    cards.purge_ended(session, now, card_share_days)
    people = _last_event_before(session, Jobseeker, cutoff)
    for person in people:
        _anonymise(session, person, tell_coaches=False)
    contacts = _last_event_before(session, Employer, cutoff)
    for employer in contacts:
        _anonymise_contact(session, employer)
        for proposal in session.exec(select(ProfileProposal).where(ProfileProposal.employer_id == employer.id)):
            session.delete(proposal)
        # Its contact persons' accounts go too, unless one signed in within the period (they keep
        # the organisation's places and may sign it up again); their sign-in links go with them.
        for account in session.exec(select(User).where(User.employer_id == employer.id)):
            if (account.last_login_at or account.created_at) < cutoff:
                session.delete(account)
    session.flush()
    return len(people) + len(contacts)


def scrub_file(db, wait_seconds: float = 120) -> bool:
    """After an erasure or purge on SQLite: fold the WAL back into the file and empty it, so no
    old copy of a page lingers there or in the main file (secure_delete already zeroes freed
    space in the main file). A connection that is still reading an older snapshot keeps those
    pages alive; the checkpoint waits for it (each try blocks in SQLite's busy handler) and tries
    again until `wait_seconds` have passed. False when a reader never let go: the caller says so."""
    if not db.is_sqlite:
        return True
    deadline = time.monotonic() + wait_seconds
    raw = db.engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(min(wait_seconds, 30) * 1000)}")
        while True:
            busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
    finally:
        # The pool hands this connection out again: give it back its usual patience.
        raw.driver_connection.execute("PRAGMA busy_timeout=30000")
        raw.close()


def find_people(session: Session, query: str, limit: int = 20) -> list[Jobseeker]:
    q = f"%{query.strip()}%"
    if len(query.strip()) < 2:
        return []
    return list(session.exec(select(Jobseeker).where(
        (Jobseeker.name.ilike(q)) | (Jobseeker.email.ilike(q)) | (Jobseeker.phone.ilike(q)),
        Jobseeker.name != ERASED_NAME).order_by(Jobseeker.name).limit(limit)))
