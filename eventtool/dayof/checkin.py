"""Check-in at the door: scan someone's personal QR code (a handheld scanner types it, or a camera
reads it), or find them as you type and check in with one tap; undo, live counts; after the event,
confirmed people who did not come are marked as no-show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from ..core import audit
from ..core.collation import name_key, text_key
from ..core.errors import DomainError, NotFound
from ..events.events import get_event
from ..events.models import Event, Meeting, SpeedmeetSettings
from ..registration import door
from ..people.models import Employer, Jobseeker
from ..registration.models import Registration
from ..core.timeutil import utcnow
from ..core.vocab import RegStatus


@dataclass
class DoorRow:
    registration_id: int
    name: str
    party: str
    detail: str  # school or organisation contact: to tell two people with one name apart
    checked_in: bool
    # Who comes along with this person ("jobcoach" | "interpreter", their name or ""): one row, together.
    companion: tuple[str, str] | None = None


def door_list(session: Session, event_id: int, query: str = "", limit: int = 50) -> list[DoorRow]:
    """Confirmed people whose name contains the query (case-insensitive), not-yet-arrived first."""
    get_event(session, event_id)
    q = " ".join(query.split()).casefold()
    rows: list[DoorRow] = []
    js = session.exec(select(Registration, Jobseeker).join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
                      .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)).all()
    for reg, p in js:
        # The jobcoach or interpreter who arrives and says their own name finds the person too.
        if q in p.name.casefold() or (q and q in (reg.companion_name or "").casefold()):
            rows.append(DoorRow(reg.id, p.name, "jobseeker", p.school or "", reg.checked_in_at is not None,
                                (reg.companion, reg.companion_name or "") if reg.companion else None))
    emp = session.exec(select(Registration, Employer).join(Employer, Employer.id == Registration.employer_id)
                       .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)).all()
    for reg, e in emp:
        if q in e.organisation.casefold() or q in e.contact_name.casefold():
            rows.append(DoorRow(reg.id, e.organisation, "employer", e.contact_name, reg.checked_in_at is not None))
    # Not yet arrived first; people by surname (Dutch collation), organisations after them.
    rows.sort(key=lambda r: (r.checked_in, r.party == "employer",
                             text_key(r.name) if r.party == "employer" else name_key(r.name)))
    return rows[:limit]


def _confirmed(session: Session, registration_id: int) -> Registration:
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    if reg.status != RegStatus.CONFIRMED:
        raise DomainError("checkin.not_confirmed")
    return reg


@audit.action("checkin.check_in")
def check_in(session: Session, registration_id: int) -> Registration:
    reg = _confirmed(session, registration_id)
    if reg.checked_in_at is None:  # a second tap changes nothing
        reg.checked_in_at = utcnow()
        reg.no_show = False
    session.flush()
    return reg


@audit.action("checkin.check_in_many")
def check_in_many(session: Session, event_id: int, registration_ids) -> int:
    """Staff mark a ticked paper door list (the network was down) in one go: the chosen confirmed
    registrations of this event that are not in yet are checked in; any other id (another event,
    cancelled, waiting list, already in) is left as it is. Returns how many were newly checked in."""
    get_event(session, event_id)
    ids = sorted({int(i) for i in registration_ids})
    if not ids:
        return 0
    regs = session.exec(select(Registration).where(Registration.id.in_(ids), Registration.event_id == event_id,
                                                   Registration.status == RegStatus.CONFIRMED,
                                                   Registration.checked_in_at.is_(None))
                        .with_for_update().execution_options(populate_existing=True)).all()
    now = utcnow()
    for reg in regs:
        reg.checked_in_at = now
        reg.no_show = False
    session.flush()
    return len(regs)


@dataclass
class Scanned:
    """What the door is told after a scan, in the words it shows: "Welkom, Anna - tafel 7 - jobcoach
    komt mee"; a second scan "al binnen sinds 10:02"; a code that is not for a place today says so."""
    # welcome | already (in since `since`) | cancelled | waitlisted | other_event | unknown
    outcome: str
    registration_id: int | None = None
    name: str = ""  # a jobseeker's first name; an employer's contact's first name and the organisation
    party: str = ""
    table: int | None = None  # their (first) table in a published speed-meet plan
    companion: str | None = None  # "jobcoach" | "interpreter": who comes along
    since: datetime | None = None
    event: Event | None = None  # the event an other-event code is for

    @property
    def audit_subject(self) -> str:
        """Whom the scan was about, for the audit log (the code itself is never logged)."""
        return f"registration {self.registration_id}" if self.registration_id else ""


def name_words(name: str) -> list[str]:
    """The name's words that have a letter (an emoji in a name is no first name)."""
    return [w for w in (name or "").split() if any(c.isalpha() for c in w)]


def first_name(name: str) -> str:
    """What the door says and a badge prints large: 'Welkom, Anna'."""
    words = name_words(name)
    return words[0] if words else ""


def first_tables(session: Session, event_id: int, only: Registration | None = None) -> dict[tuple[str, int], int]:
    """Everyone's first table in the event's published speed-meet plan, by ("jobseeker", id) or
    ("employer", id) (badges and table cards: one query for the whole event), or `only` that
    registration's party's (a scan at the door). Empty without a published plan."""
    settings = session.get(SpeedmeetSettings, event_id)
    if settings is None or settings.status != "published":
        return {}
    query = select(Meeting).where(Meeting.event_id == event_id).order_by(Meeting.round, Meeting.table_no)
    if only is not None:
        query = query.where(Meeting.jobseeker_id == only.jobseeker_id if only.jobseeker_id
                            else Meeting.employer_id == only.employer_id)
    tables: dict[tuple[str, int], int] = {}
    for m in session.exec(query):
        tables.setdefault(("jobseeker", m.jobseeker_id), m.table_no)
        tables.setdefault(("employer", m.employer_id), m.table_no)
    return tables


@audit.action("checkin.scan")
def scan(session: Session, event_id: int, typed: str) -> Scanned:
    """Check in whoever's door code was scanned (or typed) for this event. A second scan changes
    nothing and says since when they are in; a code of a cancelled or waiting-list registration, of
    another event, or no code of ours checks nobody in. Several doors may scan at once: the row is
    locked (SQLite: the write transaction), so one person is checked in once."""
    get_event(session, event_id)
    found = door.find(session, typed)
    if found is None:
        return Scanned("unknown")
    reg = session.exec(select(Registration).where(Registration.id == found.id).with_for_update()
                       .execution_options(populate_existing=True)).one()
    if reg.event_id != event_id:
        return Scanned("other_event", reg.id, event=session.get(Event, reg.event_id))
    if reg.jobseeker_id is not None:
        name, party = first_name(session.get(Jobseeker, reg.jobseeker_id).name), "jobseeker"
    else:
        employer = session.get(Employer, reg.employer_id)
        first = first_name(employer.contact_name)
        name, party = f"{first} ({employer.organisation})" if first else employer.organisation, "employer"
    if reg.status != RegStatus.CONFIRMED:
        return Scanned("cancelled" if reg.status == RegStatus.CANCELLED else "waitlisted", reg.id, name, party)
    table = first_tables(session, reg.event_id, only=reg).get((party, reg.jobseeker_id or reg.employer_id))
    scanned = Scanned("welcome", reg.id, name, party, table, reg.companion)
    if reg.checked_in_at is not None:
        scanned.outcome, scanned.since = "already", reg.checked_in_at
        return scanned
    reg.checked_in_at = utcnow()
    reg.no_show = False
    session.flush()
    return scanned


@audit.action("checkin.undo_check_in")
def undo_check_in(session: Session, registration_id: int) -> Registration:
    reg = _confirmed(session, registration_id)
    reg.checked_in_at = None
    session.flush()
    return reg


@dataclass
class DoorCounts:
    expected: int
    present: int
    not_yet: int
    no_show: int


def counts(session: Session, event_id: int) -> DoorCounts:
    get_event(session, event_id)
    base = select(func.count()).select_from(Registration).where(
        Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)
    expected = session.exec(base).one()
    present = session.exec(base.where(Registration.checked_in_at.is_not(None))).one()
    no_show = session.exec(base.where(Registration.no_show)).one()
    return DoorCounts(expected, present, expected - present - no_show, no_show)


@audit.action("checkin.mark_no_shows")
def mark_no_shows(session: Session, event_id: int) -> int:
    """After the event: everyone confirmed who did not check in is a no-show. Returns how many."""
    event = get_event(session, event_id)
    if event.ends_at > utcnow():
        raise DomainError("checkin.event_not_over")
    regs = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.status == RegStatus.CONFIRMED,
                                                   Registration.checked_in_at.is_(None))).all()
    for reg in regs:
        reg.no_show = True
    session.flush()
    return len(regs)
