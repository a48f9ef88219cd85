import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlmodel import select

from eventtool.results import outcomes
from eventtool.registration import registration
from eventtool.core.config import TZ
from eventtool.core.errors import DomainError, ValidationFailed
from eventtool.results.models import Outcome

from ..conftest import company, person


@pytest.fixture
def attended(db, create_event):
    ev = create_event(kind="speedmeet", capacity_jobseekers=10, capacity_employers=3)
    emp = db.write(registration.register_employer, ev.id, company(organisation="Bakkerij Van Dam B.V.")).registration
    people = [db.write(registration.register_jobseeker, ev.id, person(n, email=f"p{n}@example.nl")).registration
              for n in range(3)]
    return ev, emp, people


def test_record_and_history(db, attended):
    ev, emp, people = attended
    when = datetime(2026, 10, 1, 12, tzinfo=TZ)
    db.write(outcomes.record_outcome, dict(jobseeker_id=people[0].jobseeker_id, event_id=ev.id,
                                           employer_id=emp.employer_id, kind="second_interview", occurred_on=when),
             "org@example.nl")
    db.write(outcomes.record_outcome, dict(jobseeker_id=people[0].jobseeker_id, event_id=ev.id, kind="job",
                                           occurred_on=when + timedelta(days=30), source="employer"), "werkgever")
    hist = db.read(outcomes.history, people[0].jobseeker_id)
    assert [o["kind"] for o in hist.outcomes] == ["second_interview", "job"]
    assert hist.outcomes[0]["employer"] == "Bakkerij Van Dam B.V." and hist.outcomes[1]["source"] == "employer"
    assert hist.outcomes[0]["recorded_by"] == "org@example.nl"
    rows = db.read(outcomes.quick_entry_rows, ev.id)
    assert [r["latest"] for r in rows if r["jobseeker_id"] == people[0].jobseeker_id] == ["job"]


@pytest.mark.parametrize("overrides,code", [
    (dict(kind="millionaire"), "field.choice_invalid"),
    (dict(jobseeker_id=99999), "outcomes.jobseeker_unknown"),
    (dict(employer_id=99999), "outcomes.employer_unknown"),
    (dict(occurred_on=datetime.now(TZ) + timedelta(days=30)), "outcomes.in_future"),
])
def test_outcome_rules(db, attended, overrides, code):
    ev, _, people = attended
    data = dict(jobseeker_id=people[0].jobseeker_id, event_id=ev.id, kind="contact",
                occurred_on=datetime.now(TZ), **{})
    data.update(overrides)
    with pytest.raises((DomainError, ValidationFailed)) as exc:
        db.write(outcomes.record_outcome, data, "x")
    codes = [exc.value.code] + [v[0] for v in getattr(exc.value, "errors", {}).values()]
    assert code in codes


def test_record_many_is_all_or_nothing(db, attended):
    ev, _, people = attended
    good = dict(jobseeker_id=people[0].jobseeker_id, event_id=ev.id, kind="contact", occurred_on=datetime.now(TZ))
    bad = dict(good, kind="nonsense")
    with pytest.raises(ValidationFailed) as exc:
        db.write(outcomes.record_many, [good, bad], "x")
    assert list(exc.value.errors) == ["row 2"] and exc.value.errors["row 2"][1]["row"] == 2
    assert db.read(lambda s: s.exec(select(Outcome)).all()) == []
    assert db.write(outcomes.record_many, [good, dict(good, kind="job")], "x") == 2


def csv_bytes(text: str) -> bytes:
    return ("\ufeff" + text).encode("utf-8")


def test_import_csv_with_dutch_labels_and_semicolons(db, attended):
    ev, emp, _ = attended
    content = csv_bytes("email;uitkomst;datum;werkgever;opmerking\n"
                        "P0@example.nl;Tweede gesprek;01-10-2026;bakkerij van dam;=1+1\n"
                        "p1@example.nl;job;2026-10-02;;\n")
    assert db.write(outcomes.import_outcomes, content, "uitkomsten.csv", "import") == 2
    stored = db.read(lambda s: s.exec(select(Outcome).order_by(Outcome.id)).all())
    assert [(o.kind, o.employer_id, o.note) for o in stored] == [("second_interview", emp.employer_id, "=1+1"),
                                                                  ("job", None, "")]
    assert stored[0].occurred_on.astimezone(TZ).date() == date(2026, 10, 1)


def test_import_xlsx(db, attended):
    wb = Workbook()
    ws = wb.active
    ws.append(["email", "outcome", "date"])
    ws.append(["p2@example.nl", "Betaalde baan", datetime(2026, 9, 1)])
    buf = io.BytesIO()
    wb.save(buf)
    assert db.write(outcomes.import_outcomes, buf.getvalue(), "x.xlsx", "import") == 1


@pytest.mark.parametrize("content,name,code", [
    (b"\xff\xfe\x00garbage", "x.csv", "outcomes.file_unreadable"),
    (b"not a zip", "x.xlsx", "outcomes.file_unreadable"),
    (b"email,outcome,date\n", "x.csv", "outcomes.file_empty"),
])
def test_import_bad_files(db, attended, content, name, code):
    with pytest.raises(DomainError) as exc:
        db.write(outcomes.import_outcomes, content, name, "import")
    assert exc.value.code == code


def test_import_names_the_bad_row_and_saves_nothing(db, attended):
    content = csv_bytes("email,outcome,date\np0@example.nl,contact,2026-10-01\nunknown@example.nl,contact,2026-10-01\n"
                        "p1@example.nl,contact,31-31-2026\n")
    with pytest.raises(ValidationFailed) as exc:
        db.write(outcomes.import_outcomes, content, "x.csv", "import")
    assert set(exc.value.errors) == {"row 2", "row 3"}
    assert db.read(lambda s: s.exec(select(Outcome)).all()) == []


def test_import_takes_what_dutch_offices_save(db, attended):
    """Our own export's 'E-mail' header, Windows-1252 (Dutch Excel's 'CSV'), two-digit years and
    day-first dates; a date without a year or an impossible one is still refused."""
    ev, emp, _ = attended
    content = ("Naam;E-mail;Uitkomst;Datum;Opmerking\n"
               "Zoë;p0@example.nl;Tweede gesprek;03-09-26;café één\n"
               "Piet;p1@example.nl;Betaalde baan;4/9/2026;\n"
               "Ans;p2@example.nl;Opleiding;2026-09-05;\n").encode("cp1252")
    assert db.write(outcomes.import_outcomes, content, "uitkomsten.csv", "import") == 3
    stored = db.read(lambda s: s.exec(select(Outcome).order_by(Outcome.id)).all())
    assert [o.occurred_on.astimezone(TZ).date() for o in stored] == [date(2026, 9, 3), date(2026, 9, 4), date(2026, 9, 5)]
    assert stored[0].note == "café één"
    for bad in ("3 september", "31-02-2026", "volgende week"):
        with pytest.raises(ValidationFailed):
            db.write(outcomes.import_outcomes, f"email;outcome;date\np0@example.nl;job;{bad}\n".encode(), "x.csv", "i")
