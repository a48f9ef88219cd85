"""The Banenafspraak/SROI report: what counts, units of 25.5 hours for declared target-group
members only, one placement however many report it, set-aside answers left out, and the files."""
import io
from datetime import date, datetime, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from eventtool.core.config import TZ
from eventtool.people.models import Jobseeker
from eventtool.results.models import Outcome
from eventtool.results import banenafspraak

from .conftest import past_speedmeet


def test_units_duplicates_and_set_aside_answers(db):
    past = past_speedmeet(db, days_ago=30)
    a, b, c = past.people
    e1, e2 = past.employers
    when = datetime.now(TZ) - timedelta(days=10)

    def record(session):
        for person in (a, b):
            session.get(Jobseeker, person).target_group = "banenafspraak"
        session.add_all([
            # Person a: a job reported by themselves (20 h) and by the employer (25.5 h): one job, the employer's hours.
            Outcome(jobseeker_id=a, employer_id=e1, event_id=past.event.id, kind="job", occurred_on=when,
                    hours_per_week=20, source="self"),
            Outcome(jobseeker_id=a, employer_id=e1, event_id=past.event.id, kind="job", occurred_on=when + timedelta(days=1),
                    hours_per_week=25.5, source="employer"),
            Outcome(jobseeker_id=b, employer_id=e1, event_id=past.event.id, kind="temp_job", occurred_on=when,
                    hours_per_week=12.75, source="coach"),
            # Not declared: a job without units.
            Outcome(jobseeker_id=c, employer_id=e2, event_id=past.event.id, kind="job", occurred_on=when,
                    hours_per_week=36, source="organiser"),
            Outcome(jobseeker_id=c, employer_id=e2, event_id=past.event.id, kind="trial_placement", occurred_on=when,
                    source="organiser"),
            # Set aside by staff, and one outside the period: neither counts.
            Outcome(jobseeker_id=b, employer_id=e2, event_id=past.event.id, kind="job", occurred_on=when,
                    hours_per_week=40, source="self", rejected_at=when, rejected_by="staff"),
            Outcome(jobseeker_id=b, employer_id=e2, event_id=past.event.id, kind="job",
                    occurred_on=when - timedelta(days=400), hours_per_week=40, source="organiser"),
        ])
    db.write(record)
    start, end = date.today() - timedelta(days=60), date.today()
    rep = db.read(banenafspraak.report, start, end)
    per = {e["employer"]: e for e in rep.per_employer()}
    e1_row = next(v for v in per.values() if v["jobs"] == 2)
    assert (e1_row["jobs"], e1_row["hours"], e1_row["banenafspraak_jobs"], e1_row["units"]) == (2, 38.25, 2, 1.5)
    e2_row = next(v for v in per.values() if v["jobs"] == 1)
    assert (e2_row["jobs"], e2_row["units"], e2_row["placements"]) == (1, 0.0, 1)
    assert rep.totals()["units"] == 1.5 and rep.totals()["jobs"] == 3
    assert db.read(lambda s: s.exec(select(Outcome.hours_per_week).where(Outcome.source == "self",
                                                                        Outcome.jobseeker_id == a)).one()) == 20  # untouched

    one = db.read(banenafspraak.report, start, end, e2)
    assert {(r.name, r.kind) for r in one.rows} == {(r.name, k) for r in one.rows for k in ("job", "trial_placement")}

    xlsx, mime, ext = db.read(banenafspraak.download, start, end, "xlsx")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert ext == "xlsx" and "Totaal" in flat and 1.5 in flat
    assert not any(str(v).startswith("Werkzoekende") for v in flat)  # the overview names nobody
    pdf, mime, ext = db.read(banenafspraak.download, start, end, "pdf", employer_id=e1, lang="en")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    name = db.read(lambda s: s.get(Jobseeker, a).name)
    # (A narrow column wraps a longer name at its space: "Werkzoekende\n1072" once the suite's counter grew.)
    assert ext == "pdf" and name in " ".join(text.split()) and "Banenafspraak" in text and "Sign-in" not in text
