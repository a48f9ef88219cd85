from collections import Counter

from sqlmodel import func, select

from eventtool import fixtures
from eventtool.people.models import Employer, Jobseeker
from eventtool.events.models import Event
from eventtool.results.models import Outcome
from eventtool.registration.models import Registration


def test_demo_data_is_realistic_and_repeatable(sqlite_db, demo_db):
    """Seeded here, and once before for the session's demo copies (demo_db): the same data."""
    sqlite_db.write(fixtures.seed_demo)

    def summary(s):
        count = lambda m: s.exec(select(func.count()).select_from(m)).one()  # noqa: E731
        kinds = Counter(s.exec(select(Event.kind)).all())
        return count(Jobseeker), count(Employer), count(Registration), count(Outcome), kinds
    js, emp, regs, outcomes, kinds = sqlite_db.read(summary)
    assert js == 200 and emp == 30 and regs > 500 and outcomes > 100
    assert kinds["job_fair"] >= 2 and kinds["speedmeet"] >= 2 and kinds["meet_greet"] >= 10 and kinds["training"] >= 1
    assert not sqlite_db.read(fixtures.is_empty)
    assert demo_db.read(summary)[:4] == (js, emp, regs, outcomes)
