"""Who is who: what a sign-up may change about a person or organisation we already know.

A public form is anonymous: whoever types someone's e-mail address is not necessarily that person.
So a public form never changes what is stored about a known jobseeker or employer. What it typed
(only what was filled in and differs) is kept with the registration as a `ProfileProposal`, and is
applied when a staff member accepts it in the review list. Staff actions (the door, the organiser's
own forms, imports) apply what they name, and an empty field never wipes a stored value.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from ..core import audit
from ..core.collation import same_name
from ..core.errors import NotFound
from .models import CONSENT_VERSION, Consent, Employer, EmployerIn, Jobseeker, JobseekerIn, ProfileProposal
from ..core.text import clean_text, normalise_email, normalise_phone
from ..core.timeutil import utcnow

JOBSEEKER_FIELDS = ("name", "email", "phone", "region", "interests", "seeking", "pitch", "school", "support_needs",
                    "target_group")
EMPLOYER_FIELDS = ("organisation", "contact_name", "email", "phone", "sectors", "offers", "recruiters", "sroi",
                   "region")
# Health-related: only with explicit consent, and never shown in the review list's summary to the door.
SPECIAL_FIELDS = ("support_needs", "target_group")


def find_jobseeker(session: Session, email: str | None, phone: str | None,
                   name: str | None = None) -> Jobseeker | None:
    """The person we know by this e-mail address, else by this phone number. A phone number is
    often shared (a parent's, a group home's) or passed on, so it alone never makes someone with
    another name and another e-mail address the same person: with a `name` given, a match by phone
    needs the same name (accents and case aside). Without one (staff looking a number up at the
    door, to be confirmed by them) the number is enough."""
    if email:
        found = session.exec(select(Jobseeker).where(Jobseeker.email == email).order_by(Jobseeker.id)).first()
        if found is not None:
            return found
    if not phone:
        return None
    for found in session.exec(select(Jobseeker).where(Jobseeker.phone == phone).order_by(Jobseeker.id)):
        if not name or same_name(found.name, name):
            return found
    return None


def _filled(value) -> bool:
    return value not in (None, "", [], False)


def jobseeker_values(data: JobseekerIn) -> dict:
    values = data.model_dump(include=set(JOBSEEKER_FIELDS))
    values["support_needs"] = [n.value for n in data.support_needs]
    values["target_group"] = data.target_group.value if data.target_group else None
    if not data.consent_special:  # the form refuses these without consent; an import may not send them
        values["support_needs"], values["target_group"] = [], None
    return values


def employer_values(data: EmployerIn) -> dict:
    return data.model_dump(include=set(EMPLOYER_FIELDS))


def differences(stored, values: dict) -> dict:
    """The filled-in values that differ from what is stored (an empty field is no change)."""
    return {k: v for k, v in values.items() if _filled(v) and getattr(stored, k) != v}


def apply(session: Session, stored, changes: dict, *, consent_special: bool = False) -> None:
    """Write `changes` onto a stored jobseeker or employer; health data only with consent, which
    is then recorded."""
    if isinstance(stored, Jobseeker) and any(k in changes for k in SPECIAL_FIELDS):
        if not consent_special:
            changes = {k: v for k, v in changes.items() if k not in SPECIAL_FIELDS}
        else:
            record_consent(session, stored, "special_category")
    for key, value in changes.items():
        setattr(stored, key, value)
    if changes:
        stored.updated_at = utcnow()
    session.flush()


def record_consent(session: Session, person: Jobseeker, scope: str, given_at: datetime | None = None) -> None:
    """`given_at`: when consent was given, if not now (an import records the date its file states)."""
    exists = session.exec(select(Consent).where(
        Consent.jobseeker_id == person.id, Consent.scope == scope,
        Consent.text_version == CONSENT_VERSION, Consent.withdrawn_at.is_(None))).first()
    if exists is None:
        session.add(Consent(jobseeker_id=person.id, scope=scope, text_version=CONSENT_VERSION,
                            given_at=given_at or utcnow()))
        session.flush()


def propose(session: Session, registration_id: int, stored, changes: dict, *, consent_special: bool = False) -> None:
    """Keep what a public form typed about a known person with their registration, for review.
    A second sign-up of the same registration adds to the open proposal instead of a new one."""
    if not changes:
        return
    party = {"jobseeker_id": stored.id} if isinstance(stored, Jobseeker) else {"employer_id": stored.id}
    proposal = session.exec(select(ProfileProposal).where(ProfileProposal.registration_id == registration_id)).first()
    if proposal is None:
        proposal = ProfileProposal(registration_id=registration_id, changes={}, **party)
        session.add(proposal)
    proposal.changes = {**proposal.changes, **changes}
    proposal.consent_special = proposal.consent_special or consent_special
    proposal.created_at = utcnow()
    session.flush()


# --------------------------------------------------------------------------- the review list


def proposal_subject(session: Session, proposal: ProfileProposal):
    if proposal.jobseeker_id is not None:
        return session.get(Jobseeker, proposal.jobseeker_id)
    return session.get(Employer, proposal.employer_id)


def _proposal(session: Session, proposal_id: int) -> ProfileProposal:
    proposal = session.get(ProfileProposal, proposal_id)
    if proposal is None:
        raise NotFound("review.not_found")
    return proposal


@audit.action("identity.accept_proposal")
def accept_proposal(session: Session, proposal_id: int, fields: list[str] | None = None) -> None:
    """Apply the typed values (all, or only `fields`) to the stored person; the proposal is gone after."""
    proposal = _proposal(session, proposal_id)
    stored = proposal_subject(session, proposal)
    changes = {k: v for k, v in proposal.changes.items() if fields is None or k in fields}
    if stored is not None:
        apply(session, stored, changes, consent_special=proposal.consent_special)
    session.delete(proposal)
    session.flush()


@audit.action("identity.reject_proposal")
def reject_proposal(session: Session, proposal_id: int) -> None:
    session.delete(_proposal(session, proposal_id))
    session.flush()


# --------------------------------------------------------------------------- the door


def door_match(session: Session, name: str | None, email: str | None, phone: str | None) -> dict | None:
    """A returning person at the door: their stored contact details, and which of the typed ones
    (normalised, filled in) differ from them. None for someone we do not know (or unreadable input,
    which the sign-up itself then reports)."""
    try:
        typed = {"name": clean_text(name), "email": normalise_email(email), "phone": normalise_phone(phone)}
    except ValueError:
        return None
    person = find_jobseeker(session, typed["email"], typed["phone"], typed["name"])
    if person is None:
        return None
    return {"id": person.id, "name": person.name, "email": person.email, "phone": person.phone,
            "changes": differences(person, typed)}
