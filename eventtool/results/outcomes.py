"""Follow-up outcomes: what came of meeting employers, recorded over time, one at a time, many at
once (quick entry grid) or imported from CSV/Excel."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil import parser as date_parser
from sqlmodel import Session, select

from ..core import audit, tables
from ..core.collation import name_key
from ..core.config import TZ
from ..core.errors import DomainError, NotFound, ValidationFailed
from ..core.i18n import MESSAGES
from ..people.models import Employer, Jobseeker
from ..events.models import Event
from .models import Outcome, OutcomeIn
from ..registration.models import Registration
from ..registration.registration import organisation_key
from ..core.timeutil import to_utc, utcnow
from ..core.validation import parse
from ..core.vocab import OutcomeKind, RegStatus

# The ladder, lowest first: a person's "best" outcome is the highest rung reached.
LADDER = (OutcomeKind.NONE, OutcomeKind.JOB_ENDED, OutcomeKind.REFERRED, OutcomeKind.CONTACT, OutcomeKind.TRAINING,
          OutcomeKind.SECOND_INTERVIEW, OutcomeKind.TRIAL_PLACEMENT, OutcomeKind.TRAINEESHIP, OutcomeKind.TEMP_JOB,
          OutcomeKind.JOB, OutcomeKind.EMPLOYED_6M, OutcomeKind.EMPLOYED_12M)
FOLLOW_UP = {OutcomeKind.CONTACT, OutcomeKind.SECOND_INTERVIEW, OutcomeKind.TRIAL_PLACEMENT, OutcomeKind.TRAINEESHIP,
             OutcomeKind.TRAINING, OutcomeKind.TEMP_JOB, OutcomeKind.JOB, OutcomeKind.EMPLOYED_6M,
             OutcomeKind.EMPLOYED_12M}
JOB = {OutcomeKind.TEMP_JOB, OutcomeKind.JOB, OutcomeKind.EMPLOYED_6M, OutcomeKind.EMPLOYED_12M}
MAX_IMPORT_ROWS = 20_000


def _check_refs(session: Session, data: OutcomeIn) -> None:
    if session.get(Jobseeker, data.jobseeker_id) is None:
        raise NotFound("outcomes.jobseeker_unknown", field="jobseeker_id")
    if data.event_id is not None and session.get(Event, data.event_id) is None:
        raise NotFound("event.not_found", field="event_id")
    if data.employer_id is not None and session.get(Employer, data.employer_id) is None:
        raise NotFound("outcomes.employer_unknown", field="employer_id")
    if to_utc(data.occurred_on) > utcnow() + timedelta(days=1):
        raise DomainError("outcomes.in_future", field="occurred_on")


def record_outcome(session: Session, data: dict | OutcomeIn, recorded_by: str) -> Outcome:
    data = data if isinstance(data, OutcomeIn) else parse(OutcomeIn, data)
    _check_refs(session, data)
    outcome = Outcome(jobseeker_id=data.jobseeker_id, event_id=data.event_id, employer_id=data.employer_id,
                      kind=data.kind.value, occurred_on=to_utc(data.occurred_on), source=data.source,
                      note=data.note, recorded_by=recorded_by[:100])
    session.add(outcome)
    session.flush()
    return outcome


@audit.action("outcomes.record_many")
def record_many(session: Session, rows: list[dict], recorded_by: str) -> int:
    """All rows or none: a row with a problem is named (1-based) and nothing is saved."""
    problems: dict[str, tuple[str, dict]] = {}
    parsed = []
    for n, row in enumerate(rows, start=1):
        try:
            data = parse(OutcomeIn, row)
            _check_refs(session, data)
            parsed.append(data)
        except ValidationFailed as exc:
            field, (code, params) = next(iter(exc.errors.items()))
            problems[f"row {n}"] = ("outcomes.row_invalid", {"row": n, "field": field, "code": code, **params})
        except DomainError as exc:
            problems[f"row {n}"] = ("outcomes.row_invalid", {"row": n, "field": exc.field or "", "code": exc.code})
    if problems:
        raise ValidationFailed(problems)
    for data in parsed:
        record_outcome(session, data, recorded_by)
    return len(parsed)


def quick_entry_rows(session: Session, event_id: int) -> list[dict]:
    """The people who came to an event (or, before check-in existed, who were confirmed), with
    their latest outcome from it: the grid organisers fill in after an event."""
    regs = session.exec(select(Registration, Jobseeker).join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
                        .where(Registration.event_id == event_id, Registration.status == RegStatus.CONFIRMED)
                        ).all()
    regs = sorted(regs, key=lambda pair: name_key(pair[1].name))  # by surname, as Dutch lists are
    latest = {}
    for o in session.exec(select(Outcome).where(Outcome.event_id == event_id).order_by(Outcome.occurred_on, Outcome.id)):
        latest[o.jobseeker_id] = o
    return [{"jobseeker_id": p.id, "name": p.name, "attended": r.checked_in_at is not None,
             "latest": latest[p.id].kind if p.id in latest else None} for r, p in regs]


# --------------------------------------------------------------------------- import


def _labels() -> dict[str, str]:
    """Outcome codes and their Dutch and English labels, lower-cased, all mapping to the code."""
    out = {}
    for kind in OutcomeKind:
        out[kind.value] = kind.value
        for lang in ("nl", "en"):
            label = MESSAGES[lang].get(f"outcome.{kind.value}")
            if label:
                out[label.casefold()] = kind.value
    return out


def parse_date(value) -> datetime | None:
    """A date as Dutch offices write it: day first (03-09-26, 3/9/2026, 3 september 2026), or ISO
    (2026-09-03). Anything without a day, month and year is no date."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=TZ)
    if isinstance(value, date):
        return datetime.combine(value, time(12, 0), tzinfo=TZ)
    text = str(value or "").strip()
    if sum(ch.isdigit() for ch in text) < 3:
        return None
    iso = len(text) >= 10 and text[4] == "-" and text[:4].isdigit()
    try:
        # Two defaults that differ in every part: a part missing from the text shows up as a difference.
        one = date_parser.parse(text, dayfirst=not iso, yearfirst=iso, default=datetime(2001, 1, 1, 12))
        two = date_parser.parse(text, dayfirst=not iso, yearfirst=iso, default=datetime(2002, 2, 2, 12))
    except (ValueError, OverflowError):
        return None
    if one.date() != two.date():
        return None
    return datetime.combine(one.date(), time(12, 0), tzinfo=TZ)


# Column names as people and other programs write them (our own attendance export among them).
_HEADERS = {"e-mail": "email", "e-mailadres": "email", "emailadres": "email", "mail": "email",
            "uitkomst": "outcome", "resultaat": "outcome", "datum": "date", "werkgever": "employer",
            "organisatie": "employer", "opmerking": "note", "toelichting": "note"}


KNOWN_COLUMNS = {"email", "jobseeker_id", "outcome", "date", "employer", "event_id", "note"}


def read_table(content: bytes, filename: str, known: set[str] = KNOWN_COLUMNS,
               aliases: dict[str, str] | None = None, max_rows: int = MAX_IMPORT_ROWS) -> list[dict]:
    """Rows of a CSV or .xlsx file (see `tables`), keys named by `aliases`; outcomes are saved all or
    none, so a row that cannot be read stops the import, named."""
    table = tables.read(content, filename, known, _HEADERS if aliases is None else aliases, max_rows)
    for row in table.rows:
        if row.problem is not None:
            name, code, params = row.problem
            raise DomainError("outcomes.row_invalid", field="file", row=row.number, code=code, **params)
    return [row.values for row in table.rows]


@audit.action("outcomes.import_outcomes")
def import_outcomes(session: Session, content: bytes, filename: str, recorded_by: str) -> int:
    """Columns: email (or jobseeker_id), outcome, date, and optionally employer, event_id, note."""
    rows = read_table(content, filename)
    if not rows:
        raise DomainError("outcomes.file_empty", field="file")
    labels = _labels()
    by_email = {}
    emails = {str(r.get("email") or "").strip().lower() for r in rows} - {""}
    if emails:
        by_email = {j.email: j.id for j in session.exec(select(Jobseeker).where(Jobseeker.email.in_(emails)))}
    orgs = {e.organisation_key: e.id for e in session.exec(select(Employer))}
    prepared = []
    for row in rows:
        email = str(row.get("email") or "").strip().lower()
        jid = row.get("jobseeker_id") or by_email.get(email)
        kind = labels.get(str(row.get("outcome") or "").strip().casefold())
        employer = str(row.get("employer") or "").strip()
        prepared.append({
            "jobseeker_id": jid if jid not in (None, "") else -1,
            "kind": kind or str(row.get("outcome") or ""),
            "occurred_on": parse_date(row.get("date")),
            "employer_id": orgs.get(organisation_key(employer), -1) if employer else None,
            "event_id": row.get("event_id") or None,
            "note": str(row.get("note") or ""),
        })
    return record_many(session, prepared, recorded_by)


@dataclass
class PersonHistory:
    name: str
    outcomes: list[dict]


def history(session: Session, jobseeker_id: int) -> PersonHistory:
    person = session.get(Jobseeker, jobseeker_id)
    if person is None:
        raise NotFound("outcomes.jobseeker_unknown")
    events = {e.id: e.title for e in session.exec(select(Event))}
    orgs = {e.id: e.organisation for e in session.exec(select(Employer))}
    rows = [{"occurred_on": o.occurred_on, "kind": o.kind, "event": events.get(o.event_id, ""),
             "employer": orgs.get(o.employer_id, ""), "source": o.source, "recorded_by": o.recorded_by, "note": o.note}
            for o in session.exec(select(Outcome).where(Outcome.jobseeker_id == jobseeker_id)
                                  .order_by(Outcome.occurred_on))]
    return PersonHistory(person.name, rows)
