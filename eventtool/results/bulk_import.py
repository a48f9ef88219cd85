"""Bring in the jobseekers and employers an organisation already has on file, from CSV or Excel as
Dutch offices export them (';' or ',', UTF-8 or Windows-1252, Dutch dates, our own export headers).

- `preview` reads the file and says per row what is wrong, which rows are people we already know
  (a jobseeker by e-mail or phone, an employer by organisation) and which are new. Nothing is saved.
  Problems name the file's own heading and the value that is wrong; a known row lists the fields a
  merge would overwrite. The file is read within limits (`tables`): one bad row is a problem of
  that row alone.
- `commit` saves every row without a problem, in one transaction, and only when the rows with a
  problem are exactly those staff were shown and chose to leave out (so nothing is left out unseen).
  New people are added; a known one is merged only when staff chose that record (by its id), and
  then only the filled-in cells change; every other known one is left as it is.
- Consent is imported as the file states it, never assumed nor dated by us: a jobseeker row needs
  'ja' in the consent column and the date it was given (a row without that date is a problem and is
  not imported); support needs and target group (health-related) are kept only where the file
  records the consent for them, and are dropped (and said so) otherwise.
- `undo_last` takes the last import back: the people it added (unless they signed up for something
  since) and the fields it changed in merged records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, delete, func, select

from ..core import audit, tables
from ..people import identity
from ..core.collation import same_name
from ..core.errors import DomainError, ValidationFailed
from ..core.i18n import MESSAGES
from ..people.models import CONSENT_VERSION, Consent, Employer, EmployerIn, Jobseeker, JobseekerIn
from .models import Outcome
from ..registration.models import Registration
from .outcomes import parse_date
from ..registration.registration import organisation_key
from ..core.timeutil import to_utc, utcnow
from ..core.validation import parse
from ..core.vocab import REGIONS, SECTORS, SupportNeed, TargetGroup
from ..people.models import ImportBatch

MAX_ROWS = 50_000  # data rows in one file; reading stops at the first row past it
KINDS = ("jobseekers", "employers")

# Column names as people and other programs write them (our own exports among them) -> field.
_ALIASES = {
    "naam": "name", "volledige naam": "name", "name": "name", "werkzoekende": "name",
    "e-mail": "email", "e-mailadres": "email", "emailadres": "email", "email": "email", "mail": "email",
    "telefoon": "phone", "telefoonnummer": "phone", "mobiel": "phone", "phone": "phone", "tel": "phone",
    "regio": "region", "arbeidsmarktregio": "region", "region": "region",
    "school": "school", "doelgroep": "target_group", "target group": "target_group",
    "ondersteuning": "support_needs", "support needs": "support_needs",
    "interesses": "interests", "interests": "interests", "zoekt": "seeking", "seeking": "seeking",
    "toestemming": "consent", "consent": "consent", "toestemming datum": "consent_date",
    "datum toestemming": "consent_date", "consent date": "consent_date",
    "toestemming gezondheid": "consent_special", "toestemming bijzondere gegevens": "consent_special",
    "consent special": "consent_special",
    "organisatie": "organisation", "werkgever": "organisation", "bedrijf": "organisation",
    "organisation": "organisation", "contactpersoon": "contact_name", "contact": "contact_name",
    "contact person": "contact_name", "sectoren": "sectors", "sector": "sectors", "branche": "sectors",
    "sectors": "sectors", "sroi": "sroi", "aanbod": "offers", "offers": "offers",
}
_KNOWN = {"jobseekers": {"name", "email", "phone"}, "employers": {"organisation", "contact_name"}}
_YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
_NO = {"nee", "n", "no", "0", "false", "onwaar", ""}


def _labels(prefix: str, values) -> dict[str, str]:
    """Codes and their Dutch and English labels, case-folded, to the code."""
    out = {}
    for value in values:
        out[str(value).casefold()] = str(value)
        for lang in ("nl", "en"):
            label = MESSAGES[lang].get(f"{prefix}.{value}")
            if label:
                out[label.casefold()] = str(value)
    return out


_SECTORS = _labels("sector", SECTORS)
_NEEDS = _labels("need", SupportNeed)
_GROUPS = _labels("target", TargetGroup)
_REGIONS = {r.casefold(): r for r in REGIONS}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps a phone number as 612345678.0
    return str(value).strip()


def _many(value, known: dict[str, str], problems: list, name: str) -> list[str]:
    out = []
    for part in _text(value).replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if part.casefold() not in known:
            problems.append((name, "import.unknown_value", {"value": part}))
            continue
        out.append(known[part.casefold()])
    return out


def _yes(value, problems: list, name: str) -> bool:
    text = _text(value).casefold()
    if text in _YES:
        return True
    if text not in _NO:
        problems.append((name, "import.yes_or_no", {"value": _text(value)}))
    return False


@dataclass
class Row:
    number: int  # as in the file: the heading is row 1
    values: dict = field(default_factory=dict)  # for JobseekerIn / EmployerIn
    problems: list[tuple[str, str, dict]] = field(default_factory=list)  # (field, code, params)
    dropped: list[str] = field(default_factory=list)  # health-related cells left out without consent
    known_id: int | None = None  # the stored person or employer this row is
    known_name: str = ""
    consent_at: datetime | None = None
    given: frozenset[str] = frozenset()  # the cells filled in: a merge changes only these
    overwrites: list[str] = field(default_factory=list)  # for a known row: the fields a merge changes


@dataclass
class Preview:
    kind: str
    rows: list[Row]
    headings: dict[str, str] = field(default_factory=dict)  # field -> the heading as the file writes it

    def heading(self, name: str) -> str | None:
        """The file's own heading for a field (None when the file has no such column)."""
        return self.headings.get(_RAW.get(name, name)) or None

    @property
    def problems(self) -> list[Row]:
        return [r for r in self.rows if r.problems]

    @property
    def known(self) -> list[Row]:
        return [r for r in self.rows if r.known_id is not None and not r.problems]

    @property
    def new(self) -> list[Row]:
        return [r for r in self.rows if r.known_id is None and not r.problems]


# A field of the validated models that has a column of another name in the file.
_RAW = {"consent_registration": "consent"}


def _region(raw: dict, problems: list) -> str | None:
    region = _text(raw.get("region"))
    if region and region.casefold() not in _REGIONS:
        problems.append(("region", "import.unknown_region", {"value": region}))
    return _REGIONS.get(region.casefold())


def _jobseeker_row(number: int, raw: dict) -> Row:
    row = Row(number)
    p = row.problems
    consent = _yes(raw.get("consent"), p, "consent")
    if not consent and not any(f == "consent" for f, _, _ in p):
        p.append(("consent", "import.no_consent", {}))
    special = _yes(raw.get("consent_special"), p, "consent_special")
    when = raw.get("consent_date")
    if _text(when):
        row.consent_at = parse_date(when)
        if row.consent_at is None:
            p.append(("consent_date", "import.bad_date", {"value": _text(when)}))
        elif row.consent_at > utcnow():
            p.append(("consent_date", "import.consent_in_future", {"value": _text(when)}))
    elif consent:
        # Consent is a legal record: its date is what the file says, never the moment of import.
        p.append(("consent_date", "import.consent_without_date", {}))
    values = {"name": _text(raw.get("name")), "email": _text(raw.get("email")) or None,
              "phone": _text(raw.get("phone")) or None, "school": _text(raw.get("school")) or None,
              "seeking": _text(raw.get("seeking")), "region": _region(raw, p),
              "interests": _many(raw.get("interests"), _SECTORS, p, "interests"),
              "consent_registration": consent, "consent_special": special}
    needs = _many(raw.get("support_needs"), _NEEDS, p, "support_needs")
    group = _text(raw.get("target_group"))
    if group and group.casefold() not in _GROUPS:
        p.append(("target_group", "import.unknown_value", {"value": group}))
    if special:
        values["support_needs"], values["target_group"] = needs, _GROUPS.get(group.casefold()) if group else None
    else:
        row.dropped = [f for f, v in (("support_needs", needs), ("target_group", group)) if v]
    row.values = values
    return row


def _employer_row(number: int, raw: dict) -> Row:
    row = Row(number)
    p = row.problems
    row.values = {"organisation": _text(raw.get("organisation")), "contact_name": _text(raw.get("contact_name")),
                  "email": _text(raw.get("email")) or None, "phone": _text(raw.get("phone")) or None,
                  "offers": _text(raw.get("offers")), "region": _region(raw, p),
                  "sectors": _many(raw.get("sectors"), _SECTORS, p, "sectors")}
    if _text(raw.get("sroi")):
        row.values["sroi"] = _yes(raw.get("sroi"), p, "sroi")
    return row


def preview(session: Session, content: bytes, filename: str, kind: str) -> Preview:
    if kind not in KINDS:
        raise DomainError("import.bad_kind")
    table = tables.read(content, filename, _KNOWN[kind], _ALIASES, MAX_ROWS)
    if not table.rows:
        raise DomainError("outcomes.file_empty", field="file")
    model = JobseekerIn if kind == "jobseekers" else EmployerIn
    make = _jobseeker_row if kind == "jobseekers" else _employer_row
    rows = []
    for line in table.rows:
        if line.problem is not None:  # the row could not be read: it fails alone
            rows.append(Row(line.number, problems=[line.problem]))
            continue
        row = make(line.number, line.values)
        row.given = frozenset(k for k, v in row.values.items() if v not in (None, "", []))
        try:
            data = parse(model, row.values)
            row.values = data  # the validated model
        except ValidationFailed as exc:
            # A problem found above is not said twice (a missing 'ja', an unknown region).
            found = {f for f, _, _ in row.problems}
            for name, (code, params) in exc.errors.items():
                if name == "consent_registration" or name in found:
                    continue
                value = _text(line.values.get(_RAW.get(name, name)))
                row.problems.append((name, "import.cell_invalid" if value else "import.cell_empty",
                                     {**params, "code": code, "value": value}))
        rows.append(row)
    _find_known(session, kind, rows)
    return Preview(kind, rows, table.headings)


def _find_known(session: Session, kind: str, rows: list[Row]) -> None:
    """Who in the file we already know, and rows that are the same person twice in the file."""
    valid = [r for r in rows if not r.problems]
    seen: dict[str, int] = {}
    if kind == "jobseekers":
        emails = {r.values.email for r in valid if r.values.email}
        phones = {r.values.phone for r in valid if r.values.phone}
        by_email: dict[str, Jobseeker] = {}
        by_phone: dict[str, list[Jobseeker]] = {}
        for chunk in _chunks(sorted(emails)):
            by_email.update({p.email: p for p in session.exec(select(Jobseeker).where(col(Jobseeker.email).in_(chunk))
                                                              .order_by(Jobseeker.id.desc()))})
        for chunk in _chunks(sorted(phones)):
            for p in session.exec(select(Jobseeker).where(col(Jobseeker.phone).in_(chunk)).order_by(Jobseeker.id)):
                by_phone.setdefault(p.phone, []).append(p)
        for r in valid:
            # A phone number alone never makes someone with another name the same person (as at
            # sign-up): two names on one number are two people, in the file and in the store.
            name = " ".join(r.values.name.casefold().split())
            keys = [k for k in (r.values.email and f"e:{r.values.email}",
                                r.values.phone and f"p:{r.values.phone}:{name}") if k]
            twice = next((seen[k] for k in keys if k in seen), None)
            if twice is not None:
                r.problems.append(("email", "import.twice_in_file", {"row": twice,
                                                                     "value": r.values.email or r.values.phone}))
                continue
            seen.update({k: r.number for k in keys})
            known = by_email.get(r.values.email) or next(
                (p for p in by_phone.get(r.values.phone, []) if same_name(p.name, r.values.name)), None)
            if known is not None:
                r.known_id, r.known_name = known.id, known.name
                r.overwrites = list(_changes(kind, known, r))
    else:
        by_key = {e.organisation_key: e for e in session.exec(select(Employer))}
        for r in valid:
            key = organisation_key(r.values.organisation)
            if key in seen:
                r.problems.append(("organisation", "import.twice_in_file",
                                   {"row": seen[key], "value": r.values.organisation}))
                continue
            seen[key] = r.number
            known = by_key.get(key)
            if known is not None:
                r.known_id, r.known_name = known.id, known.organisation
                r.overwrites = list(_changes(kind, known, r))


def _changes(kind: str, stored, row: Row) -> dict:
    """What merging `row` into `stored` changes: the filled-in cells that differ."""
    values = identity.jobseeker_values(row.values) if kind == "jobseekers" else identity.employer_values(row.values)
    changes = {k: v for k, v in identity.differences(stored, values).items() if k in row.given}
    changes.pop("organisation", None)  # one organisation by its key; the stored spelling stays
    return changes


def _chunks(values: list, size: int = 900):
    for i in range(0, len(values), size):
        yield values[i:i + size]


@dataclass
class ImportResult:
    batch_id: int
    created: int
    merged: int
    skipped: int
    left_out: int = 0  # rows with a problem, not imported


@audit.action("bulk_import.commit")
def commit(session: Session, content: bytes, filename: str, kind: str, merge_ids: list[int],
           actor: str, leave_out: list[int] = ()) -> ImportResult:
    """The rows without a problem, in one transaction. The file is read again here (a preview is not
    trusted to be current); the rows with a problem must be exactly `leave_out`, the row numbers
    staff were shown and chose to leave out, or nothing is saved."""
    seen = preview(session, content, filename, kind)
    if sorted(r.number for r in seen.problems) != sorted(set(leave_out)):
        raise DomainError("import.has_problems", field="file", count=len(seen.problems))
    merge = set(merge_ids)
    now = utcnow()
    model = Jobseeker if kind == "jobseekers" else Employer
    created = []
    for r in seen.new:
        if kind == "jobseekers":
            values = identity.jobseeker_values(r.values)
        else:
            values = identity.employer_values(r.values) | {"organisation_key": organisation_key(r.values.organisation)}
        created.append((r, model(**values, created_at=now, updated_at=now)))
    session.add_all([m for _, m in created])
    session.flush()
    if kind == "jobseekers":
        consents = []
        for r, person in created:
            given = to_utc(r.consent_at)  # a row without its date is a problem, never imported
            consents.append(Consent(jobseeker_id=person.id, scope="registration", text_version=CONSENT_VERSION,
                                    given_at=given))
            if r.values.consent_special:
                consents.append(Consent(jobseeker_id=person.id, scope="special_category",
                                        text_version=CONSENT_VERSION, given_at=given))
        session.add_all(consents)
    before: dict[str, dict] = {}
    merged = 0
    for r in seen.known:
        if r.known_id not in merge:
            continue
        stored = session.get(model, r.known_id)
        changes = _changes(kind, stored, r)
        before[str(stored.id)] = {k: getattr(stored, k) for k in changes}
        if kind == "jobseekers":
            # Recorded first, with the file's date, so that apply() finds them and adds none of its own.
            identity.record_consent(session, stored, "registration", to_utc(r.consent_at))
            if r.values.consent_special:
                identity.record_consent(session, stored, "special_category", to_utc(r.consent_at))
            identity.apply(session, stored, changes, consent_special=r.values.consent_special)
        else:
            identity.apply(session, stored, changes)
        merged += 1
    batch = ImportBatch(kind=kind, filename=filename[:200], created_by=actor[:254],
                        created_ids=[m.id for _, m in created], before=before)
    session.add(batch)
    session.flush()
    return ImportResult(batch.id, len(created), merged, len(seen.known) - merged, len(seen.problems))


def last_batch(session: Session) -> ImportBatch | None:
    return session.exec(select(ImportBatch).where(col(ImportBatch.undone_at).is_(None))
                        .order_by(ImportBatch.id.desc())).first()


@audit.action("bulk_import.undo_last")
def undo_last(session: Session, batch_id: int) -> ImportBatch:
    """Take back import `batch_id` (the last one, as staff were shown). People it added who have
    signed up or have outcomes since stay, and the undo is refused, naming how many."""
    batch = last_batch(session)
    if batch is None or batch.id != batch_id:
        raise DomainError("import.not_the_last")
    ids = batch.created_ids
    if batch.kind == "jobseekers":
        used = session.exec(select(func.count(func.distinct(Registration.jobseeker_id)))
                            .where(col(Registration.jobseeker_id).in_(ids))).one() + \
            session.exec(select(func.count()).select_from(Outcome).where(col(Outcome.jobseeker_id).in_(ids))).one()
    else:
        used = session.exec(select(func.count(func.distinct(Registration.employer_id)))
                            .where(col(Registration.employer_id).in_(ids))).one()
    if used:
        raise DomainError("import.undo_in_use", count=used)
    model = Jobseeker if batch.kind == "jobseekers" else Employer
    for chunk in _chunks(ids):
        if batch.kind == "jobseekers":
            session.exec(delete(Consent).where(col(Consent.jobseeker_id).in_(chunk)))
        session.exec(delete(model).where(col(model.id).in_(chunk)))
    for stored_id, fields in batch.before.items():
        stored = session.get(model, int(stored_id))
        if stored is not None:
            for name, value in fields.items():
                setattr(stored, name, value)
            stored.updated_at = utcnow()
    batch.undone_at = utcnow()
    session.flush()
    return batch
