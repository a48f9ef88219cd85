"""Personal data on request and by the calendar: one person's data as JSON/CSV, withdrawing the
special-category consent in one step, erasure of one person, and purging people whose last event
is past the retention period. Erased and purged people keep an anonymous row (id and region) so
that outcome counts stay right; nothing that identifies them remains, in the table or in the file
(secure_delete is on, and the WAL is checkpointed after a purge)."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from .errors import DomainError, NotFound
from .models import Consent, Event, Jobseeker, Meeting, Outcome, ProfileProposal, Registration
from .registration import find_by_code
from .timeutil import utcnow

ERASED_NAME = "(verwijderd)"


def _person(session: Session, jobseeker_id: int) -> Jobseeker:
    person = session.get(Jobseeker, jobseeker_id)
    if person is None:
        raise NotFound("privacy.person_not_found")
    return person


def person_data(session: Session, jobseeker_id: int) -> dict:
    """Everything we hold about one jobseeker (GDPR art. 15/20)."""
    person = _person(session, jobseeker_id)
    events = {e.id: e for e in session.exec(select(Event).join(Registration, Registration.event_id == Event.id)
                                            .where(Registration.jobseeker_id == jobseeker_id))}
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "profile": {k: getattr(person, k) for k in ("name", "email", "phone", "region", "interests", "seeking", "pitch",
                                                     "support_needs", "target_group", "school")}
        | {"created_at": iso(person.created_at), "updated_at": iso(person.updated_at)},
        "consents": [{"scope": c.scope, "text_version": c.text_version, "given_at": iso(c.given_at),
                      "withdrawn_at": iso(c.withdrawn_at)}
                     for c in session.exec(select(Consent).where(Consent.jobseeker_id == jobseeker_id))],
        "registrations": [{"event": events[r.event_id].title, "starts_at": iso(events[r.event_id].starts_at),
                           "status": r.status, "registered_at": iso(r.created_at), "checked_in_at": iso(r.checked_in_at)}
                          for r in session.exec(select(Registration).where(Registration.jobseeker_id == jobseeker_id))],
        "meetings": [{"event_id": m.event_id, "employer_id": m.employer_id, "round": m.round + 1}
                     for m in session.exec(select(Meeting).where(Meeting.jobseeker_id == jobseeker_id))],
        "outcomes": [{"kind": o.kind, "occurred_on": iso(o.occurred_on), "event_id": o.event_id, "note": o.note}
                     for o in session.exec(select(Outcome).where(Outcome.jobseeker_id == jobseeker_id))],
    }


def export_json(session: Session, jobseeker_id: int) -> bytes:
    return json.dumps(person_data(session, jobseeker_id), ensure_ascii=False, indent=2).encode("utf-8")


def export_csv(session: Session, jobseeker_id: int) -> bytes:
    """The same, flattened to section,field,value rows (text only, formulas neutralised)."""
    from .exports import neutralise, readable_phone
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "item", "field", "value"])
    for section, content in person_data(session, jobseeker_id).items():
        items = [content] if isinstance(content, dict) else content
        for n, item in enumerate(items, start=1):
            for field, value in item.items():
                shown = ", ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
                shown = readable_phone(shown) if field == "phone" else shown
                writer.writerow([section, n, field, neutralise(shown)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


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


def _anonymise(session: Session, person: Jobseeker) -> None:
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
    for reg in session.exec(select(Registration).where(Registration.jobseeker_id == person.id)):
        reg.picks = []
        reg.available_rounds = None
    for outcome in session.exec(select(Outcome).where(Outcome.jobseeker_id == person.id)):
        outcome.note = ""
    for proposal in session.exec(select(ProfileProposal).where(ProfileProposal.jobseeker_id == person.id)):
        session.delete(proposal)


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


def erase_person(session: Session, jobseeker_id: int) -> None:
    """Erasure on request (GDPR art. 17). Upcoming registrations are cancelled first, so their
    seats go to the waiting list."""
    from .registration import cancel_registration
    person = _person(session, jobseeker_id)
    now = utcnow()
    upcoming = session.exec(select(Registration).join(Event, Event.id == Registration.event_id)
                            .where(Registration.jobseeker_id == jobseeker_id, Event.starts_at > now,
                                   Registration.status != "cancelled")).all()
    for reg in upcoming:
        cancel_registration(session, reg.id)
    _anonymise(session, person)
    session.flush()


def purge_expired(session: Session, retention_days: int, now: datetime | None = None) -> int:
    """Anonymise everyone whose last event ended more than `retention_days` ago (and who has no
    event to come). Returns how many people were purged."""
    if retention_days < 30:
        raise DomainError("privacy.retention_too_short")
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    last = (select(Registration.jobseeker_id, func.max(Event.ends_at).label("last"))
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.jobseeker_id.is_not(None)).group_by(Registration.jobseeker_id).subquery())
    people = session.exec(select(Jobseeker).join(last, last.c.jobseeker_id == Jobseeker.id)
                          .where(last.c.last < cutoff, Jobseeker.name != ERASED_NAME)).all()
    for person in people:
        _anonymise(session, person)
    session.flush()
    return len(people)


def scrub_file(db) -> None:
    """After an erasure or purge on SQLite: fold the WAL back into the file so no old page copy
    lingers there (secure_delete already zeroes freed pages in the main file)."""
    if db.is_sqlite:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def find_people(session: Session, query: str, limit: int = 20) -> list[Jobseeker]:
    q = f"%{query.strip()}%"
    if len(query.strip()) < 2:
        return []
    return list(session.exec(select(Jobseeker).where(
        (Jobseeker.name.ilike(q)) | (Jobseeker.email.ilike(q)) | (Jobseeker.phone.ilike(q)),
        Jobseeker.name != ERASED_NAME).order_by(Jobseeker.name).limit(limit)))
