"""One jobseeker's record for staff: finding them, and merging two records of the same person
(an import, a phone sign-up and a public form can each have made one).

Merging keeps one record (staff choose which) and moves everything of the other onto it:
registrations, meetings, outcomes, consents, messages, surveys and open proposals. Where both
were registered for the same event, the better registration stays (a place beats the waiting
list, which beats a cancellation; the kept record's on a tie) and the other goes with its
meetings; a place it held goes to the waiting list. Empty fields of
the kept record are filled from the other; nothing filled in is overwritten. The other record is
then deleted."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, delete, func, select

from ..core import audit
from ..core.collation import name_key
from ..core.errors import DomainError, NotFound
from ..people.identity import JOBSEEKER_FIELDS
from ..messages.models import Message
from ..people.models import Consent, Jobseeker, ProfileProposal
from ..events.models import EmployerWish, Event, Meeting
from ..results.models import Outcome
from ..registration.models import Registration
from ..registration.registration import promote_waitlist
from ..results.models import Survey
from ..core.vocab import RegStatus

RANK = {RegStatus.CONFIRMED.value: 2, RegStatus.WAITLISTED.value: 1, RegStatus.CANCELLED.value: 0}


def find_people(session: Session, query: str, limit: int = 25) -> list[Jobseeker]:
    """Jobseekers whose name, e-mail or phone contains `query` (at least 2 characters), by surname."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    like = f"%{query.casefold()}%"
    digits = "".join(ch for ch in query if ch.isdigit())
    conditions = [col(Jobseeker.name).ilike(like), col(Jobseeker.email).ilike(like)]
    if len(digits) >= 4:
        conditions.append(col(Jobseeker.phone).contains(digits.lstrip("0")))
    found = session.exec(select(Jobseeker).where(or_(*conditions)).limit(limit * 4)).all()
    return sorted(found, key=lambda p: name_key(p.name))[:limit]


@dataclass
class MergePreview:
    keep: Jobseeker
    gone: Jobseeker
    registrations: int  # moved over
    dropped: list[str]  # events both were registered for, where the other's registration goes
    outcomes: int
    filled: dict  # empty fields of the kept record that get the other's value


def _pair(session: Session, keep_id: int, gone_id: int) -> tuple[Jobseeker, Jobseeker]:
    if keep_id == gone_id:
        raise DomainError("merge.same_record")
    keep, gone = session.get(Jobseeker, keep_id), session.get(Jobseeker, gone_id)
    if keep is None or gone is None:
        raise NotFound("outcomes.jobseeker_unknown")
    return keep, gone


def _plan(session: Session, keep: Jobseeker, gone: Jobseeker):
    mine = {r.event_id: r for r in session.exec(select(Registration).where(Registration.jobseeker_id == keep.id))}
    moving, dropping = [], []
    for reg in session.exec(select(Registration).where(Registration.jobseeker_id == gone.id)):
        other = mine.get(reg.event_id)
        if other is None:
            moving.append(reg)
        elif RANK.get(reg.status, 0) > RANK.get(other.status, 0):
            dropping.append(other)  # a place beats the waiting list, which beats a cancellation
            moving.append(reg)
        else:
            dropping.append(reg)
    filled = {f: getattr(gone, f) for f in JOBSEEKER_FIELDS
              if getattr(keep, f) in (None, "", []) and getattr(gone, f) not in (None, "", [])}
    return moving, dropping, filled


def merge_preview(session: Session, keep_id: int, gone_id: int) -> MergePreview:
    keep, gone = _pair(session, keep_id, gone_id)
    moving, dropping, filled = _plan(session, keep, gone)
    titles = {e.id: e.title for e in session.exec(select(Event).where(
        col(Event.id).in_([r.event_id for r in dropping])))}
    outcomes = len(session.exec(select(Outcome.id).where(Outcome.jobseeker_id == gone.id)).all())
    return MergePreview(keep, gone, len(moving), [titles.get(r.event_id, "") for r in dropping], outcomes, filled)


@audit.action("records.merge")
def merge(session: Session, keep_id: int, gone_id: int) -> Jobseeker:
    """Merge record `gone_id` into `keep_id` (both as staff were shown them)."""
    keep, gone = _pair(session, keep_id, gone_id)
    moving, dropping, filled = _plan(session, keep, gone)
    # One person now, one calendar: their registrations' counts go above every count either
    # record's registrations had (a dropped one may have cancelled, or put on the waiting list, an
    # entry the moving one holds; the address kept may be the other record's), so what is sent
    # next supersedes whatever either calendar was sent (RFC 5546). Nothing is sent now.
    floor = 1 + (session.exec(select(func.max(Registration.calendar_sequence)).where(
        col(Registration.jobseeker_id).in_([keep.id, gone.id]))).one() or 0)
    freed = set()
    for reg in dropping:
        session.exec(delete(Meeting).where(Meeting.event_id == reg.event_id, Meeting.jobseeker_id == reg.jobseeker_id))
        if reg.status == RegStatus.CONFIRMED.value:
            freed.add(reg.event_id)
        session.delete(reg)
    session.flush()
    for reg in moving:
        session.exec(Meeting.__table__.update().where(Meeting.event_id == reg.event_id,
                                                      Meeting.jobseeker_id == gone.id).values(jobseeker_id=keep.id))
        reg.jobseeker_id = keep.id
    for reg in session.exec(select(Registration).where(Registration.jobseeker_id == keep.id)):
        reg.calendar_sequence = max(reg.calendar_sequence, floor)
    for model in (Outcome, Consent, Message, ProfileProposal):
        session.exec(model.__table__.update().where(model.jobseeker_id == gone.id).values(jobseeker_id=keep.id))
    # What employers said about meeting them ("graag spreken" / "liever niet") goes along, where the
    # employer said nothing about the kept record at that event (one wish per pair; the kept one stands).
    said = {(w.event_id, w.employer_id) for w in session.exec(select(EmployerWish).where(EmployerWish.jobseeker_id == keep.id))}
    for wish in session.exec(select(EmployerWish).where(EmployerWish.jobseeker_id == gone.id)):
        if (wish.event_id, wish.employer_id) in said:
            session.delete(wish)
        else:
            wish.jobseeker_id = keep.id
    taken = {(s.event_id, s.wave, s.respondent)
             for s in session.exec(select(Survey).where(Survey.jobseeker_id == keep.id))}
    for survey in session.exec(select(Survey).where(Survey.jobseeker_id == gone.id)):
        if (survey.event_id, survey.wave, survey.respondent) in taken:
            session.delete(survey)  # the same question was asked of the kept record
        else:
            survey.jobseeker_id = keep.id
            survey.key = f"{survey.event_id}:{survey.wave}:{survey.respondent}:{keep.id}"
    for name, value in filled.items():
        setattr(keep, name, value)
    session.flush()
    session.delete(gone)
    session.flush()
    for event_id in freed:
        promote_waitlist(session, session.get(Event, event_id))
    return keep
