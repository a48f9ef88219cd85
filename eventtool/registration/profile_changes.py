"""The staff review list of profile changes typed on a public or coach form about someone already on
file: per proposal, who it is about as stored, the event it came with, and per field stored vs typed.
Accepting or rejecting one is people.identity's."""
from __future__ import annotations

from sqlmodel import Session, select

from ..events.models import Event
from .models import Registration
from ..people.identity import proposal_subject
from ..people.models import Jobseeker, ProfileProposal


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
        stored = proposal_subject(session, proposal)
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
