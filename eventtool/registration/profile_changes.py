"""Moved from eventtool.identity (issue 26): see the capability layout in ../shared/ARCHITECTURE.md."""
from __future__ import annotations

from sqlmodel import Session, select
from eventtool.people.models import Jobseeker, ProfileProposal
from eventtool.events.models import Event
from eventtool.registration.models import Registration
from eventtool.people.identity import _subject


def review_list(session: Session, event_id: int | None = None) -> list[dict]:
    """Open proposals, oldest first: who they are about as stored, and per field stored vs typed."""
    query = (select(ProfileProposal, Registration, Event)
             .join(Registration, Registration.id == ProfileProposal.registration_id)
             .join(Event, Event.id == Registration.event_id)
             .order_by(ProfileProposal.created_at, ProfileProposal.id))
    if event_id is not None:
        query = query.where(Registration.event_id == event_id)
    rows = []
    for proposal, reg, event in session.exec(query):
        stored = _subject(session, proposal)
        if stored is None:
            continue
        rows.append({
            "id": proposal.id,
            "party": "jobseeker" if proposal.jobseeker_id is not None else "employer",
            "subject_id": stored.id,
            "name": stored.name if isinstance(stored, Jobseeker) else stored.organisation,
            "email": stored.email,
            "event": event.title,
            "registration_id": reg.id,
            "at": proposal.created_at,
            "consent_special": proposal.consent_special,
            "changes": [{"field": k, "stored": getattr(stored, k), "typed": v} for k, v in proposal.changes.items()],
        })
    return rows
