"""Who one message to everyone of an event reaches (issue 29): its audiences, each as one list of
addresses in which every person stands once. Below notify, which hands a queued broadcast on (or
lets it be withdrawn) when a registration leaves, by the same rule that chose its recipients."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from ..core.vocab import RegStatus
from ..people.models import Employer, Jobseeker
from .models import ERASED, Registration

# The audiences an organiser can write to: everyone with a place (and the jobcoaches named on their
# registrations), one party of them, the coaches alone, or the waiting list.
AUDIENCES = ("all", "jobseekers", "employers", "coaches", "waitlist")


@dataclass
class Recipient:
    """One address and the registration that makes it a recipient (a coach's: the lowest of their
    clients'). `coach`: the jobcoach named on a registration, never the person themselves."""
    address: str
    name: str
    lang: str
    registration_id: int
    jobseeker_id: int | None = None
    employer_id: int | None = None
    coach: bool = False


@dataclass
class Reach:
    recipients: list[Recipient] = field(default_factory=list)
    # People of the audience the message cannot reach by mail: (name, phone), to be phoned or told at the door.
    without_email: list[tuple[str, str]] = field(default_factory=list)


def reach(session: Session, event_id: int, audience: str, leaving: tuple[int, ...] | list[int] = ()) -> Reach:
    """The recipients of a message to `audience` of the event, each address once (casefolded; a
    person's own registration before a coach's, the lowest registration first), and the people
    without an address. Never a cancelled or erased registration, nor one of `leaving` (those
    that are being cancelled, moved or erased while this is asked)."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    status = RegStatus.WAITLISTED.value if audience == "waitlist" else RegStatus.CONFIRMED.value
    rows = session.exec(
        select(Registration, Jobseeker, Employer)
        .outerjoin(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
        .outerjoin(Employer, Employer.id == Registration.employer_id)
        .where(Registration.event_id == event_id, Registration.status == status,
               ~col(Registration.cancel_token_hash).startswith(ERASED),
               ~col(Registration.id).in_(list(leaving) or [-1]))
        .order_by(Registration.id)).all()
    people = audience in ("all", "jobseekers", "employers", "waitlist")
    out, seen = Reach(), set()
    for reg, person, employer in rows:
        if not people or (audience == "jobseekers" and person is None) or (audience == "employers" and employer is None):
            continue
        address, name, phone = ((person.email, person.name, person.phone) if person is not None
                                else (employer.email, employer.contact_name, employer.phone))
        if not address:
            out.without_email.append((name, phone or ""))
            continue
        if address.casefold() in seen:
            continue
        seen.add(address.casefold())
        out.recipients.append(Recipient(address, name, reg.lang, reg.id, reg.jobseeker_id, reg.employer_id))
    if audience in ("all", "coaches"):
        coaches: dict[str, list[Registration]] = {}
        for reg, person, _ in rows:
            if person is not None and reg.coach_email and reg.coach_confirmed:
                coaches.setdefault(reg.coach_email.casefold(), []).append(reg)
        for address, regs in coaches.items():
            if address in seen:
                continue  # the coach is on the event themselves (or someone's address is theirs): once
            seen.add(address)
            first = regs[0]
            # A coach's message names no client; in English only when every client of theirs here chose it.
            lang = "en" if all(r.lang == "en" for r in regs) else "nl"
            out.recipients.append(Recipient(first.coach_email, first.coach_name or "", lang, first.id,
                                            first.jobseeker_id, None, coach=True))
    return out
