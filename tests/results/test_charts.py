"""The figure data of every chart, on data built for the purpose, and the small-group rule."""
from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from eventtool.results import charts, outcomes, reports
from eventtool.dayof import checkin
from eventtool.events import events
from eventtool.registration import registration
from eventtool.core.config import TZ

from ..conftest import company, person


def past_event(db, days_ago: int, kind="job_fair", **extra):
    start = datetime.now(TZ) - timedelta(days=days_ago)
    return db.write(events.create_event, dict(kind=kind, title=f"Event {days_ago}", starts_at=start,
                                              ends_at=start + timedelta(hours=3), capacity_jobseekers=50,
                                              capacity_employers=5, status="published", **extra))


def fill(db, ev, n, attend, *, region="Rijnmond", outcome_kinds=(), employer_id=None, offset=0):
    ids = []
    for i in range(n):
        reg = db.write(registration.register_jobseeker, ev.id, person(offset + i, region=region),
                       source=registration.RegSource.ORGANISER).registration
        if i < attend:
            db.write(checkin.check_in, reg.id)
        for k, kind in enumerate(outcome_kinds[i] if i < len(outcome_kinds) else ()):
            db.write(outcomes.record_outcome, dict(jobseeker_id=reg.jobseeker_id, event_id=ev.id, kind=kind,
                                                   employer_id=employer_id,
                                                   occurred_on=ev.starts_at + timedelta(days=10 * (k + 1))), "t")
        ids.append(reg.jobseeker_id)
    return ids


def test_funnel_counts_each_stage_once_per_person(db):
    ev = past_event(db, 60)
    emp = db.write(registration.register_employer, ev.id, company(), source=registration.RegSource.ORGANISER)
    kinds = [["contact", "job"]] * 6 + [["contact"]] * 3 + [["none"]] * 2
    fill(db, ev, 14, 12, outcome_kinds=kinds, employer_id=emp.registration.employer_id)
    df, hidden = charts.funnel(db.read(charts.load))
    assert dict(zip(df["stage"], df["people"])) == {"registered": 14, "attended": 12, "met": 12, "follow_up": 9,
                                                     "job": 6, "employed_6m": 0, "employed_12m": 0}
    assert hidden == 0
    fig = charts.funnel_figure(df, {})
    assert isinstance(fig, go.Figure) and list(fig.data[0].x) == [14, 12, 12, 9, 6, 0, 0]


def test_small_groups_are_never_shown(db):
    big = past_event(db, 40, region="Rijnmond")
    fill(db, big, 8, 8, region="Rijnmond", outcome_kinds=[["job"]] * 3)
    fill(db, big, 3, 3, region="Twente", offset=100)
    data = db.read(charts.load)
    regions, hidden = charts.per_region(data)
    assert list(regions["region"]) == ["Rijnmond"] and hidden == 1
    df, hidden = charts.funnel(data)
    # 3 follow-ups, 3 jobs: too few; nobody employed for 6 months yet: a zero exposes no one.
    assert list(df["stage"]) == ["registered", "attended", "met", "employed_6m", "employed_12m"] and hidden == 2
    only_twente = db.read(charts.load, charts.Filters(regions=["Twente"]))
    assert charts.funnel(only_twente)[0]["people"].tolist() == []


def test_outcome_mix_takes_the_best_rung_per_person(db):
    ev = past_event(db, 50)
    fill(db, ev, 6, 6, outcome_kinds=[["contact", "second_interview", "job"]] * 5 + [["none"]])
    mix, _ = charts.outcome_mix(db.read(charts.load), "event_kind")
    assert mix.to_dict("records") == [{"group": "job_fair", "best": "none", "people": 1},
                                      {"group": "job_fair", "best": "job", "people": 5}]
    fig = charts.mix_figure(mix, {"job": "Baan"})
    assert {t.name for t in fig.data} == {"Baan", "none"}


def past_series(db, count: int):
    """A four-weekly Meet&Greet series that began 100 days ago: (series, its occurrences)."""
    first = datetime.now(TZ) - timedelta(days=100)
    series = db.write(events.create_series, dict(kind="meet_greet", title="MG", starts_at=first,
                                                 ends_at=first + timedelta(hours=2), capacity_jobseekers=30,
                                                 status="published"),
                      events.SeriesRule("WEEKLY", weekday=first.weekday(), interval=4, count=count))
    return series, db.read(events.series_events, series.id)


def test_series_trend_per_occurrence(db):
    series, occ = past_series(db, 3)
    fill(db, occ[0], 6, 5, outcome_kinds=[["job"]] * 5)
    fill(db, occ[1], 7, 7, offset=50)
    fill(db, occ[2], 2, 2, offset=80)
    trend, hidden = charts.series_trend(db.read(charts.load), series.id)
    assert trend[["registered", "attended", "job"]].values.tolist() == [[6, 5, 5], [7, 7, 0]]
    assert hidden == 1
    assert len(charts.trend_figure(trend, {}).data) == len(charts.STAGES)


def test_per_employer_conversations_follow_ups_and_hires(db):
    ev = past_event(db, 70)
    a = db.write(registration.register_employer, ev.id, company(organisation="Alfa", sroi=True),
                 source=registration.RegSource.ORGANISER).registration.employer_id
    fill(db, ev, 6, 6, outcome_kinds=[["second_interview", "job"]] * 5 + [["contact"]], employer_id=a)
    df, _ = charts.per_employer(db.read(charts.load))
    # A job fair plans no conversations, yet everyone followed up by Alfa had contact with Alfa.
    assert df.to_dict("records") == [{"employer": "Alfa", "sroi": True, "conversations": 6, "follow_up": 6, "hired": 5}]


def test_figures_speak_the_page_language_and_show_every_series(db):
    from eventtool.core.i18n import translate
    series, occ = past_series(db, 2)
    hostile = db.write(registration.register_employer, occ[0].id, company(organisation="<a href='http://x'>ACME</a>"),
                       source=registration.RegSource.ORGANISER).registration.employer_id
    fill(db, occ[0], 6, 6, outcome_kinds=[["job"]] * 6, employer_id=hostile)  # registered == attended == job
    fill(db, occ[1], 7, 7, offset=50, outcome_kinds=[["job"]] * 3)
    data = db.read(charts.load)
    labels = {"people": "Personen", "days": "Dagen", "date": "Datum", "share": "Aandeel",
              "still_employed": "Nog in dienst"} | {s: translate(f"stage.{s}") for s in charts.STAGES}
    trend, _ = charts.series_trend(data, series.id)
    fig = charts.trend_figure(trend, labels)
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Datum", "Personen")
    assert all("-" in x and not any(c.isalpha() for c in x) for x in fig.data[0].x)  # 05-08-2026, no "Aug"
    # Lines with the same numbers (registered = attended = job here) differ in dash and marker.
    assert len({(tr.line.dash, tr.marker.symbol) for tr in fig.data}) == len(charts.STAGES)
    mix, _ = charts.outcome_mix(data, "event")
    fig = charts.mix_figure(mix, labels)
    assert fig.layout.xaxis.tickformat == ".0%" and fig.layout.xaxis.title.text == "Aandeel"
    shares = {}
    for tr in fig.data:
        for group, share in zip(tr.y, tr.x):
            shares[group] = shares.get(group, 0) + share
    assert all(abs(v - 1) < 1e-9 for v in shares.values())
    assert all("customdata[0]" in tr.hovertemplate for tr in fig.data)  # the count is in the hover
    employers, _ = charts.per_employer(data)
    fig = charts.employer_figure(employers, labels)
    assert all("<a" not in str(y) for tr in fig.data for y in tr.y) and "&lt;a href" in str(fig.data[0].y[0])
    for figure in (charts.time_to_job_figure(charts.time_to_job(data)[0], labels),
                   charts.region_figure(charts.per_region(data)[0], labels)):
        titles = {figure.layout.xaxis.title.text, figure.layout.yaxis.title.text} - {None}
        assert titles and titles <= set(labels.values()), titles



def test_contacts_count_each_person_once_per_employer_and_follow_the_filters(db):
    """Per employer, a person counts once however often they met (two speedmeets) or were followed up;
    a cancelled registration's conversations do not count; the region filter narrows contacts and the
    jobs behind the durability figures alike."""
    from eventtool.events.models import Meeting
    first, second = past_event(db, 100, kind="speedmeet"), past_event(db, 90, kind="speedmeet")
    alfa = db.write(registration.register_employer, first.id, company(organisation="Alfa"),
                    source=registration.RegSource.ORGANISER).registration.employer_id
    west = fill(db, first, 6, 6, region="Rijnmond", outcome_kinds=[["job", "employed_6m"]] * 6, employer_id=alfa)
    east = fill(db, first, 5, 5, region="Twente", outcome_kinds=[["job", "employed_6m"]] * 5, employer_id=alfa,
                offset=50)
    again = [db.write(registration.register_jobseeker, second.id, person(i, region="Rijnmond"),
                      source=registration.RegSource.ORGANISER).registration for i in range(6)]
    gone = db.write(registration.register_jobseeker, second.id, person(99, region="Rijnmond"),
                    source=registration.RegSource.ORGANISER).registration
    db.write(registration.cancel_registration, gone.id)

    def meet(session):
        for ev, ids in ((first, west + east), (second, [r.jobseeker_id for r in again] + [gone.jobseeker_id])):
            session.add_all(Meeting(event_id=ev.id, jobseeker_id=j, employer_id=alfa, round=0, table_no=1) for j in ids)
    db.write(meet)
    contacts = lambda **kw: charts.per_employer(db.read(charts.load, charts.Filters(**kw)))[0].to_dict("records")  # noqa: E731
    assert contacts() == [{"employer": "Alfa", "sroi": False, "conversations": 11, "follow_up": 11, "hired": 11}]
    assert contacts(regions=["Rijnmond"])[0]["conversations"] == 6
    assert contacts(event_id=second.id)[0]["conversations"] == 6
    only_west = db.read(charts.load, charts.Filters(regions=["Rijnmond"]))
    assert set(only_west.work["jobseeker_id"]) == set(west)
    assert charts.durability(only_west)[0]["eligible"].tolist() == [6, 0]

def test_durability_like_37_of_49(db):
    ev = past_event(db, 500)
    kinds = [["job", "employed_6m", "employed_12m"]] * 4 + [["job", "employed_6m"]] * 2 + [["job"]] * 2
    # Job starts are 10 days after the event, so all eight started well over a year ago.
    fill(db, ev, 8, 8, outcome_kinds=kinds)
    df, hidden = charts.durability(db.read(charts.load))
    # Nobody recorded a job that ended: the rest is not known yet (the staff work list asks).
    assert df.to_dict("records") == [{"months": 6, "eligible": 8, "still_employed": 6, "ended": 0, "unknown": 2,
                                      "share": 0.75},
                                     {"months": 12, "eligible": 8, "still_employed": 4, "ended": 0, "unknown": 4,
                                      "share": 0.5}]
    assert list(charts.durability_figure(df, {}).data[0].text) == ["6 / 8", "4 / 8"]


def test_time_to_job(db):
    ev = past_event(db, 200)
    fill(db, ev, 5, 5, outcome_kinds=[["contact", "job"]] * 5)
    df, hidden = charts.time_to_job(db.read(charts.load))
    assert df["days"].tolist() == [20] * 5 and hidden == 0
    assert charts.time_to_job_figure(df, {}).data[0].type == "histogram"


def test_filters(db):
    fair = past_event(db, 30)
    speed = past_event(db, 400, kind="speedmeet")
    fill(db, fair, 5, 5)
    fill(db, speed, 6, 6, offset=20)
    only = lambda **kw: charts.summary(db.read(charts.load, charts.Filters(**kw)))["registered"]  # noqa: E731
    assert only() == 11
    assert only(kinds=["speedmeet"]) == 6
    assert only(start=date.today() - timedelta(days=60)) == 5
    assert only(event_id=fair.id) == 5


def test_demo_data_gives_meaningful_charts_and_report(demo_db):
    data = demo_db.read(charts.load)
    funnel, _ = charts.funnel(data)
    assert len(funnel) == 7 and funnel["people"].is_monotonic_decreasing and funnel["people"].iloc[4] >= 20
    assert len(charts.outcome_mix(data, "event")[0]) > 10
    assert len(charts.per_employer(data)[0]) >= 5 and charts.per_employer(data)[0]["conversations"].sum() > 0
    dur, _ = charts.durability(data)
    assert (dur["eligible"] >= 5).all() and len(dur) >= 1
    pdf = reports.impact_report(data, "Demo", "2025-2026")
    from pypdf import PdfReader
    import io
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) <= 2 and "Impactrapport: Demo" in text and "Kerncijfers" in text
    assert reader.trailer["/Root"]["/Lang"] == "nl" and reader.metadata.title == "Impactrapport: Demo"


def test_impact_report_wraps_long_titles_and_names_and_has_an_accessible_page(demo_db):
    """Long titles and employer names wrap instead of running off the page or over the numbers;
    the HTML version has the language, one h1, captions and header cells."""
    import io
    import re
    from html.parser import HTMLParser

    from pypdf import PdfReader
    long_name = "Stichting Werkgelegenheid en Participatie Noordoost-Brabant en Omstreken Afdeling Groenvoorziening"
    first = charts.per_employer(demo_db.read(charts.load))[0]["employer"].iloc[0]
    data = demo_db.read(charts.load)  # (loaded data is read-only once a chart was computed from it)
    data.employers.loc[data.employers["organisation"] == first, "organisation"] = long_name
    title = "Onbeperkt aan het Werk, de banenmarkt voor mensen met een arbeidsbeperking, voorjaar 2027 · 12-03-2027 09:00"
    report = reports.build(data, title, "2025-2026")
    assert long_name in [r[0] for r in report.sections[2].rows]
    reader = PdfReader(io.BytesIO(reports.to_pdf(report)))
    text = " ".join(p.extract_text() for p in reader.pages).replace("\n", " ")
    assert long_name in text  # all of it, not cut at 60 characters
    assert "voorjaar 2027 · 12-03-2027 09:00" in text
    for page in reader.pages:
        sizes = [float(x) for x in re.findall(r"/F\d+ ([\d.]+) Tf", page.get_contents().get_data().decode("latin-1"))]
        assert min(sizes) >= 12

    class Outline(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.lang = [], None

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))
            if tag == "html":
                self.lang = dict(attrs).get("lang")
    page = reports.to_html(reports.build(data, "<b>Demo</b>", "2025-2026")).decode()
    outline = Outline()
    outline.feed(page)
    tags = [t for t, _ in outline.tags]
    assert outline.lang == "nl" and tags.count("h1") == 1 and tags.count("h2") == 5 and "title" in tags
    assert tags.count("caption") == tags.count("table") >= 3
    assert all(a.get("scope") in ("col", "row") for t, a in outline.tags if t == "th")
    assert "<b>Demo</b>" not in page and "&lt;b&gt;Demo&lt;/b&gt;" in page


def test_chart_numbers_are_computed_once_per_load_and_handed_out_as_copies(demo_db):
    data = demo_db.read(charts.load)
    first, _ = charts.funnel(data)
    first.loc[0, "people"] = -1  # a caller changing its copy ...
    again, _ = charts.funnel(data)
    assert again.loc[0, "people"] > 0  # ... changes nothing for the next
    assert ("funnel",) in data._memo and data._best is not None


def test_dates_and_flags_read_straight_from_the_driver(db):
    """The dashboard reads the driver's raw values (strings on SQLite, datetimes on PostgreSQL) and
    converts them itself: both end up as aware UTC times and real booleans."""
    ev = past_event(db, 40)
    fill(db, ev, 6, 4, outcome_kinds=[["job"]] * 2)
    data = db.read(charts.load)
    (starts_at,) = data.events.loc[data.events["event_id"] == ev.id, "starts_at"]
    assert starts_at == pd.Timestamp(ev.starts_at).tz_convert("UTC")
    assert data.people["attended"].dtype == bool and data.people["attended"].sum() == 4
    assert str(data.outcomes["occurred_on"].dtype) == str(data.events["starts_at"].dtype) == "datetime64[us, UTC]"


def test_the_cache_key_changes_with_every_change_the_dashboard_shows(db, monkeypatch):
    """charts.version keys the page's cache of loaded data: a check-in, a cancellation with the
    promotion from the waiting list it brings, an employer signing up, a person's corrected region
    and an erasure must each change it, or the dashboard would show figures from before them."""
    from eventtool.people import identity
    from eventtool.privacy import privacy
    from eventtool.people.models import Jobseeker
    from eventtool.core.timeutil import utcnow
    start = datetime.now(TZ) + timedelta(days=5)
    ev = db.write(events.create_event, dict(kind="job_fair", title="Banenmarkt", starts_at=start,
                                            ends_at=start + timedelta(hours=3), capacity_jobseekers=1,
                                            capacity_employers=5, status="published"))
    first = db.write(registration.register_jobseeker, ev.id, person(1)).registration
    waiting = db.write(registration.register_jobseeker, ev.id, person(2)).registration
    assert waiting.status == "waitlisted"
    seen = [db.read(charts.version)]

    def changed() -> bool:
        now = db.read(charts.version)
        fresh = now not in seen
        seen.append(now)
        return fresh
    assert not changed()  # reading changes nothing
    db.write(checkin.check_in, first.id)
    assert changed()
    db.write(registration.cancel_registration, first.id)  # the waiting person moves up
    assert changed()
    assert db.read(lambda s: s.get(type(waiting), waiting.id)).status == "confirmed"
    db.write(registration.register_employer, ev.id, company(1))
    assert changed()
    # A person's region corrected on the person page (the per-region chart shows it); times are
    # stored to the second, so the correction is made a little later.
    monkeypatch.setattr(identity, "utcnow", lambda: utcnow() + timedelta(seconds=5))
    db.write(lambda s: identity.apply(s, s.get(Jobseeker, waiting.jobseeker_id), {"region": "Twente"}))
    assert changed()
    db.write(privacy.erase_person, waiting.jobseeker_id)  # their upcoming place is cancelled
    assert changed()
