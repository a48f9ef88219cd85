"""Banenafspraak and SROI: jobs and placements per employer and period, for the employer's
social-return reporting and the municipality's council report.

- What counts: paid jobs and temporary jobs (with hours per week), work-experience placements and
  learning-working routes (BBL), that started in the period and that staff did not set aside.
  The same placement reported by several people (the person, the coach, the employer) is one.
- Banenafspraak: a job counts in units of 25.5 hours per week (UWV's 'baaneenheid'), and only for
  people who declared they belong to the target group (the person or their coach says so; we
  never ask for or keep a BSN). A job whose hours are not known counts as a job without units.
- Durability: whether the person is still employed at 6 and 12 months (results.durability).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from ..core.config import TZ
from ..core.errors import DomainError
from . import reports
from ..dayof.exports import Sheet, export, file_type, table_sheet
from ..core.i18n import translate
from ..people.models import Employer, Jobseeker
from .models import Outcome
from ..core.timeutil import to_local
from ..core.vocab import OutcomeKind, TargetGroup
from . import durability

UNIT_HOURS = 25.5
JOBS = (OutcomeKind.JOB.value, OutcomeKind.TEMP_JOB.value)
PLACEMENTS = (OutcomeKind.TRIAL_PLACEMENT.value, OutcomeKind.TRAINEESHIP.value)
# Whose word wins when several report the same placement with different hours.
TRUST = {"organiser": 0, "employer": 1, "coach": 2, "self": 3}


@dataclass
class Row:
    employer_id: int | None
    employer: str
    sroi: bool
    jobseeker_id: int
    name: str
    kind: str
    started: date
    hours_per_week: float | None
    banenafspraak: bool
    units: float
    employed_6m: str
    employed_12m: str


@dataclass
class Report:
    start: date
    end: date
    rows: list[Row]

    def per_employer(self) -> list[dict]:
        out: dict[int | None, dict] = {}
        for r in self.rows:
            e = out.setdefault(r.employer_id, {"employer": r.employer, "sroi": r.sroi, "jobs": 0, "placements": 0,
                                               "hours": 0.0, "banenafspraak_jobs": 0, "units": 0.0,
                                               "employed_6m": 0, "checked_6m": 0, "employed_12m": 0, "checked_12m": 0})
            if r.kind in JOBS:
                e["jobs"] += 1
                e["hours"] += r.hours_per_week or 0
                e["banenafspraak_jobs"] += r.banenafspraak
                e["units"] += r.units
                for months, status in ((6, r.employed_6m), (12, r.employed_12m)):
                    if status in (durability.EMPLOYED, durability.NO_LONGER, durability.UNKNOWN):
                        e[f"checked_{months}m"] += 1
                        e[f"employed_{months}m"] += status == durability.EMPLOYED
            else:
                e["placements"] += 1
        return sorted(out.values(), key=lambda e: (-e["units"], -e["jobs"], e["employer"].casefold()))

    def totals(self) -> dict:
        rows = self.per_employer()
        return {k: sum(r[k] for r in rows) for k in ("jobs", "placements", "hours", "banenafspraak_jobs", "units",
                                                     "employed_6m", "checked_6m", "employed_12m", "checked_12m")}


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise DomainError("ba.end_before_start", field="end")
    return datetime.combine(start, time.min, tzinfo=TZ), datetime.combine(end, time.max, tzinfo=TZ)


def report(session: Session, start: date, end: date, employer_id: int | None = None,
           today: date | None = None) -> Report:
    low, high = _bounds(start, end)
    query = select(Outcome).where(col(Outcome.kind).in_(JOBS + PLACEMENTS), col(Outcome.rejected_at).is_(None),
                                  col(Outcome.jobseeker_id).is_not(None), Outcome.occurred_on >= low,
                                  Outcome.occurred_on <= high)
    if employer_id is not None:
        query = query.where(Outcome.employer_id == employer_id)
    found = list(session.exec(query))
    # One placement per (person, employer, kind): the first date, the most trusted hours given.
    chosen: dict[tuple, Outcome] = {}
    hours_of: dict[tuple, tuple[int, float]] = {}
    for o in sorted(found, key=lambda o: (o.occurred_on, TRUST.get(o.source, 9))):
        key = (o.jobseeker_id, o.employer_id, o.kind)
        chosen.setdefault(key, o)
        trust = TRUST.get(o.source, 9)
        if o.hours_per_week is not None and (key not in hours_of or trust < hours_of[key][0]):
            hours_of[key] = (trust, o.hours_per_week)
    people = {p.id: p for p in session.exec(select(Jobseeker).where(
        col(Jobseeker.id).in_({k[0] for k in chosen})))}
    employers = {e.id: e for e in session.exec(select(Employer).where(
        col(Employer.id).in_({k[1] for k in chosen} - {None})))}
    today = today or to_local(datetime.now(TZ)).date()
    lasting = {p.jobseeker_id: p for p in durability.placements(
        durability.counted_outcomes(session, list(people)), today)}
    rows = []
    for (person_id, emp_id, kind), o in chosen.items():
        person, employer = people.get(person_id), employers.get(emp_id)
        if person is None:
            continue
        declared = person.target_group == TargetGroup.BANENAFSPRAAK.value
        hours = hours_of[person_id, emp_id, kind][1] if (person_id, emp_id, kind) in hours_of else None
        units = round(hours / UNIT_HOURS, 2) if declared and kind in JOBS and hours else 0.0
        placement = lasting.get(person_id)
        same = placement is not None and kind in JOBS and placement.employer_id == emp_id
        rows.append(Row(emp_id, employer.organisation if employer else "", bool(employer and employer.sroi), person_id,
                        person.name, kind, to_local(o.occurred_on).date(), hours, declared, units,
                        placement.status[6] if same else "", placement.status[12] if same else ""))
    rows.sort(key=lambda r: (r.employer.casefold(), r.started, r.name))
    return Report(start, end, rows)


def employers_with_results(session: Session) -> list[dict]:
    """Employers with at least one job or placement on record, for choosing one report."""
    ids = select(Outcome.employer_id).where(col(Outcome.kind).in_(JOBS + PLACEMENTS), col(Outcome.rejected_at).is_(None))
    return [{"employer_id": e.id, "organisation": e.organisation}
            for e in sorted(session.exec(select(Employer).where(col(Employer.id).in_(ids))),
                            key=lambda e: e.organisation.casefold())]


def overview_sheet(rep: Report, lang: str = "nl") -> Sheet:
    """Per employer, no names: for the council report and the SROI overview."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    headers = [t(f"ba.col.{c}") for c in ("employer", "sroi", "jobs", "hours", "banenafspraak_jobs", "units",
                                          "placements", "employed_6m", "employed_12m")]
    def share(a: int, b: int) -> str:
        return f"{a} / {b}" if b else "-"
    rows = [[e["employer"] or t("ba.other_employer"), t("report.yes") if e["sroi"] else "", e["jobs"],
             round(e["hours"], 1), e["banenafspraak_jobs"], round(e["units"], 2), e["placements"],
             share(e["employed_6m"], e["checked_6m"]), share(e["employed_12m"], e["checked_12m"])]
            for e in rep.per_employer()]
    tot = rep.totals()
    rows.append([t("ba.total"), "", tot["jobs"], round(tot["hours"], 1), tot["banenafspraak_jobs"],
                 round(tot["units"], 2), tot["placements"], share(tot["employed_6m"], tot["checked_6m"]),
                 share(tot["employed_12m"], tot["checked_12m"])])
    sheet = table_sheet(t("ba.title"), headers, rows, lang)
    sheet.subtitle = t("ba.period", start=f"{rep.start:%d-%m-%Y}", end=f"{rep.end:%d-%m-%Y}")
    return sheet


def detail_sheet(rep: Report, lang: str = "nl") -> Sheet:
    """Each placement with the person's name: for one employer's own SROI file (they know whom
    they employ). Never a BSN, never health data."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    headers = [t(f"ba.col.{c}") for c in ("employer", "name", "kind", "started", "hours", "banenafspraak", "units",
                                          "employed_6m", "employed_12m")]
    status = lambda s: t(f"durability.status.{s}") if s else ""  # noqa: E731
    rows = [[r.employer or t("ba.other_employer"), r.name, t(f"outcome.{r.kind}"), r.started, r.hours_per_week,
             t("report.yes") if r.banenafspraak else "", r.units, status(r.employed_6m), status(r.employed_12m)]
            for r in rep.rows]
    sheet = table_sheet(t("ba.detail_title"), headers, rows, lang)
    sheet.subtitle = t("ba.period", start=f"{rep.start:%d-%m-%Y}", end=f"{rep.end:%d-%m-%Y}")
    return sheet


def download(session: Session, start: date, end: date, fmt: str, *, employer_id: int | None = None,
             lang: str = "nl") -> tuple[bytes, str, str]:
    """The overview (all employers) or one employer's placements, as 'xlsx', 'csv;' or 'pdf' (a
    landscape A4 report at 12 pt, not a sign-in sheet)."""
    rep = report(session, start, end, employer_id)
    sheet = detail_sheet(rep, lang) if employer_id is not None else overview_sheet(rep, lang)
    if fmt != "pdf":
        return export(sheet, fmt, lang)
    span = f"{rep.start:%d-%m-%Y} – {rep.end:%d-%m-%Y}"
    document = reports.Report(sheet.title, span, [reports.Section(sheet.title, sheet.headers, sheet.rows)],
                              translate("ba.note", lang, date=to_local(datetime.now(TZ)).strftime("%d-%m-%Y")), lang,
                              landscape=True)
    return (reports.to_pdf(document), *file_type("pdf"))
