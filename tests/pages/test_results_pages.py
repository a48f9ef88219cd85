import base64
import json
from datetime import datetime, timedelta

import numpy as np
from sqlmodel import select

from eventtool.dayof import checkin
from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.config import TZ
from eventtool.results.models import Outcome

from ..conftest import person


def funnel_numbers(at) -> list[int]:
    """The funnel chart's numbers, read from the figure the page sent."""
    x = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"]
    if isinstance(x, dict):  # plotly sends numbers as a typed array: {"dtype": "i1", "bdata": base64}
        x = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return [int(v) for v in x]


def past_fair(db, n=6):
    start = datetime.now(TZ) - timedelta(days=20)
    ev = db.write(events.create_event, dict(kind="job_fair", title="Banenmarkt", starts_at=start,
                                            ends_at=start + timedelta(hours=4), capacity_jobseekers=20,
                                            status="published"))
    for i in range(n):
        reg = db.write(registration.register_jobseeker, ev.id, person(i, email=f"p{i}@example.nl"),
                       source=registration.RegSource.ORGANISER).registration
        db.write(checkin.check_in, reg.id)
    return ev


def test_quick_entry_saves_outcomes_and_the_dashboard_changes(app, page_db):
    ev = past_fair(page_db)
    dash = app(role="organiser", page="views/dashboard.py")
    assert not dash.exception
    assert funnel_numbers(dash) == [6, 6, 6, 0, 0, 0, 0]  # signed up, came, met, follow-up, job, 6 and 12 months on
    at = app(role="organiser", page="views/outcomes.py")
    assert not at.exception
    grid_key = f"oc_grid_{ev.id}"
    edits = {"edited_rows": {str(i): {"kind": "Betaalde baan"} for i in range(5)}, "added_rows": [], "deleted_rows": []}
    at.session_state[grid_key] = edits
    at.run()
    [b for b in at.button if b.key == f"oc_save_{ev.id}"][0].click().run()
    assert any("5 uitkomsten opgeslagen" in s.value for s in at.success)
    stored = page_db.read(lambda s: s.exec(select(Outcome)).all())
    assert len(stored) == 5 and {o.kind for o in stored} == {"job"} and stored[0].recorded_by.endswith("@example.nl")
    dash.run()
    assert not dash.exception
    assert funnel_numbers(dash) == [6, 6, 6, 5, 5, 0, 0]


def test_import_from_the_page(app, page_db):
    past_fair(page_db, 2)
    at = app(role="organiser", page="views/outcomes.py")
    content = "email;uitkomst;datum\np0@example.nl;Tweede gesprek;01-10-2026\nnobody@example.nl;Tweede gesprek;01-10-2026\n"
    uploader = at.get("file_uploader")[0]
    uploader.upload("uitkomsten.csv", content.encode("utf-8"), "text/csv").run()
    [b for b in at.button if b.key == "oc_import"][0].click().run()
    assert any("Regel 2" in e.value for e in at.error)
    assert page_db.read(lambda s: s.exec(select(Outcome)).all()) == []


def test_dashboard_hides_small_groups(app, page_db):
    past_fair(page_db, 3)
    at = app(role="organiser", page="views/dashboard.py")
    assert not at.exception
    assert any("Te weinig gegevens" in i.value for i in at.info)
    assert any("kleine groep" in c.value for c in at.caption)
