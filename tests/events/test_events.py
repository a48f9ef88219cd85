from datetime import date, datetime, timedelta

import pytest

from eventtool.events import events
from eventtool.core.config import TZ
from eventtool.core.errors import DomainError, ValidationFailed
from eventtool.core.timeutil import to_local, utcnow

from ..conftest import local
from eventtool.registration import event_changes


def values(**overrides):
    start = overrides.pop("starts_at", local())
    data = dict(kind="job_fair", title="Banenmarkt", starts_at=start, ends_at=start + timedelta(hours=3),
                capacity_jobseekers=100, capacity_employers=20, status="published")
    data.update(overrides)
    return data


def test_times_are_amsterdam_wall_clock_and_stored_in_utc(db):
    ev = db.write(events.create_event, values(starts_at=datetime(2027, 7, 1, 10, 0), ends_at=datetime(2027, 7, 1, 12, 0)))
    stored = db.read(events.get_event, ev.id)
    assert stored.starts_at.utcoffset() == timedelta(0) and stored.starts_at.hour == 8  # CEST = UTC+2
    assert to_local(stored.starts_at).hour == 10


@pytest.mark.parametrize("overrides,field,code", [
    (dict(title="  "), "title", "field.required"),
    (dict(title="x" * 121), "title", "field.too_long"),
    (dict(kind="party"), "kind", "field.choice_invalid"),
    (dict(capacity_jobseekers=-1), "capacity_jobseekers", "field.min"),
    (dict(region="Atlantis"), "region", "field.choice_invalid"),
])
def test_event_field_rules(db, overrides, field, code):
    with pytest.raises(ValidationFailed) as exc:
        db.write(events.create_event, values(**overrides))
    assert exc.value.errors[field][0] == code


def test_event_time_rules(db):
    start = local()
    with pytest.raises(ValidationFailed) as exc:
        db.write(events.create_event, values(starts_at=start, ends_at=start - timedelta(hours=1)))
    assert exc.value.errors == {"ends_at": ("event.ends_before_start", {})}
    with pytest.raises(ValidationFailed) as exc:
        db.write(events.create_event, values(starts_at=start, registration_deadline=start + timedelta(days=1)))
    assert "registration_deadline" in exc.value.errors


def test_monthly_series_keeps_local_time_across_dst(db):
    first = datetime(2027, 1, 7, 15, 0, tzinfo=TZ)  # first Thursday of January 2027
    series = db.write(events.create_series, values(kind="meet_greet", starts_at=first, ends_at=first + timedelta(hours=2),
                                                   registration_deadline=first - timedelta(days=1)),
                      events.SeriesRule("MONTHLY", weekday=3, setpos=1, count=6))
    occ = db.read(events.series_events, series.id)
    local_starts = [to_local(e.starts_at) for e in occ]
    assert [d.date() for d in local_starts] == [date(2027, 1, 7), date(2027, 2, 4), date(2027, 3, 4), date(2027, 4, 1),
                                                date(2027, 5, 6), date(2027, 6, 3)]
    assert {d.hour for d in local_starts} == {15}
    assert {e.starts_at.hour for e in occ} == {14, 13}  # UTC moves with summer time
    assert all(e.registration_deadline == e.starts_at - timedelta(days=1) for e in occ)
    assert series.rrule == "FREQ=MONTHLY;INTERVAL=1;BYDAY=+1TH;COUNT=6"
    assert len({e.uid for e in occ}) == 6


def test_series_with_end_date_and_last_weekday(db):
    first = datetime(2027, 1, 29, 10, 0, tzinfo=TZ)
    series = db.write(events.create_series, values(starts_at=first, ends_at=first + timedelta(hours=1)),
                      events.SeriesRule("MONTHLY", weekday=4, setpos=-1, until=date(2027, 4, 30)))
    occ = db.read(events.series_events, series.id)
    assert [to_local(e.starts_at).date() for e in occ] == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26),
                                                           date(2027, 4, 30)]


@pytest.mark.parametrize("rule,code", [
    (events.SeriesRule("DAILY", weekday=0, count=3), "series.freq_invalid"),
    (events.SeriesRule("WEEKLY", weekday=0), "series.end_required"),
    (events.SeriesRule("WEEKLY", weekday=0, count=500), "series.count_invalid"),
    (events.SeriesRule("MONTHLY", weekday=0, setpos=7, count=3), "series.rule_invalid"),
])
def test_bad_series_rules(db, rule, code):
    with pytest.raises(DomainError) as exc:
        db.write(events.create_series, values(), rule)
    assert exc.value.code == code


def make_series(db, count=4):
    first = datetime(2027, 2, 4, 15, 0, tzinfo=TZ)
    series = db.write(events.create_series, values(kind="meet_greet", title="Meet&Greet", starts_at=first,
                                                   ends_at=first + timedelta(hours=2)),
                      events.SeriesRule("MONTHLY", weekday=3, setpos=1, count=count))
    return db.read(events.series_events, series.id)


def test_edit_one_occurrence_makes_it_an_exception(db):
    occ = make_series(db)
    target = occ[1]
    data = values(kind="meet_greet", title="Meet&Greet (andere zaal)", starts_at=to_local(target.starts_at),
                  ends_at=to_local(target.ends_at), venue_name="Zaal 2")
    db.write(event_changes.update_event, target.id, data)
    after = db.read(events.series_events, occ[0].series_id)
    assert [e.title for e in after] == ["Meet&Greet", "Meet&Greet (andere zaal)", "Meet&Greet", "Meet&Greet"]
    assert [e.is_exception for e in after] == [False, True, False, False]
    assert after[1].sequence == occ[1].sequence + 1


def test_edit_this_and_following_shifts_time_and_copies_fields(db):
    occ = make_series(db)
    target = occ[1]
    new_start = to_local(target.starts_at).replace(hour=16)
    data = values(kind="meet_greet", title="Meet&Greet nieuw", starts_at=new_start, ends_at=new_start + timedelta(hours=1),
                  capacity_jobseekers=30)
    changed = db.write(event_changes.update_following, target.id, data)
    assert len(changed) == 3
    after = db.read(events.series_events, occ[0].series_id)
    assert [e.title for e in after] == ["Meet&Greet", "Meet&Greet nieuw", "Meet&Greet nieuw", "Meet&Greet nieuw"]
    assert [to_local(e.starts_at).hour for e in after] == [15, 16, 16, 16]
    assert [to_local(e.starts_at).date() for e in after] == [to_local(e.starts_at).date() for e in occ]
    assert all(e.ends_at - e.starts_at == timedelta(hours=1) for e in after[1:])
    assert all(e.capacity_jobseekers == 30 for e in after[1:])


def test_cancelling_is_final_and_bumps_sequence(db, create_event):
    ev = create_event()
    cancelled = db.write(event_changes.set_status, ev.id, "cancelled")
    assert cancelled.sequence == ev.sequence + 1
    with pytest.raises(DomainError, match="event.cancelled_is_final"):
        db.write(event_changes.set_status, ev.id, "published")


def test_only_empty_drafts_can_be_deleted(db, create_event, sign_up):
    draft = create_event(status="draft")
    db.write(event_changes.delete_event, draft.id)
    live = create_event()
    sign_up(live.id)
    with pytest.raises(DomainError, match="event.delete_only_empty_drafts"):
        db.write(event_changes.delete_event, live.id)


def test_programme_blocks_must_fit_in_the_event(db, create_event):
    ev = create_event()
    start = to_local(ev.starts_at)
    db.write(events.add_block, ev.id, dict(title="Werkgeversontbijt", audience="employers", starts_at=start,
                                           ends_at=start + timedelta(minutes=30)))
    db.write(events.add_block, ev.id, dict(title="Iedereen", audience="everyone", starts_at=start + timedelta(minutes=30),
                                           ends_at=start + timedelta(hours=2)))
    with pytest.raises(DomainError, match="block.outside_event"):
        db.write(events.add_block, ev.id, dict(title="Te laat", audience="pupils", starts_at=start + timedelta(hours=1),
                                               ends_at=start + timedelta(hours=5)))
    with pytest.raises(ValidationFailed):
        db.write(events.add_block, ev.id, dict(title="x", audience="aliens", starts_at=start, ends_at=start))
    blocks = db.read(events.list_blocks, ev.id)
    assert [(b.title, b.audience) for b in blocks] == [("Werkgeversontbijt", "employers"), ("Iedereen", "everyone")]
    db.write(events.remove_block, blocks[0].id)
    assert len(db.read(events.list_blocks, ev.id)) == 1


def test_agenda_shows_only_open_published_events_with_places(db, create_event, sign_up):
    open_ev = create_event(capacity_jobseekers=2)
    create_event(status="draft")
    create_event(status="published", starts_at=local(days=-3))
    closed = create_event(registration_deadline=local(days=-1))
    assert closed.registration_deadline < utcnow()
    sign_up(open_ev.id)
    items = db.read(event_changes.agenda)
    assert [(i.event.id, i.places_left_jobseekers) for i in items] == [(open_ev.id, 1)]


def test_overview_counts(db, create_event, sign_up):
    ev = create_event(capacity_jobseekers=1)
    sign_up(ev.id)
    sign_up(ev.id)
    row = [r for r in db.read(event_changes.overview) if r["id"] == ev.id][0]
    assert (row["jobseekers"], row["waitlist"], row["capacity_jobseekers"]) == (1, 1, 1)


def test_the_wishes_deadline_is_kept_in_utc_moves_with_a_series_and_lies_before_the_start(db):
    """Issue 28: until when employers mark whom they would like to meet at a speedmeet."""
    start = local(days=20, hour=10)
    ev = db.write(events.create_event, values(kind="speedmeet", starts_at=start, wishes_until=start - timedelta(days=3)))
    stored = db.read(events.get_event, ev.id).wishes_until
    assert stored == start - timedelta(days=3) and stored.utcoffset() == timedelta(0)
    with pytest.raises(ValidationFailed) as exc:
        db.write(events.create_event, values(kind="speedmeet", starts_at=start, wishes_until=start + timedelta(hours=1)))
    assert exc.value.errors == {"wishes_until": ("event.wishes_after_start", {})}
    first = datetime(2027, 1, 7, 15, 0, tzinfo=TZ)
    series = db.write(events.create_series, values(kind="speedmeet", starts_at=first, ends_at=first + timedelta(hours=2),
                                                   wishes_until=first - timedelta(days=2)),
                      events.SeriesRule("MONTHLY", weekday=3, setpos=1, count=3))
    occ = db.read(events.series_events, series.id)
    assert all(e.wishes_until == e.starts_at - timedelta(days=2) for e in occ)
    # Changing this and the following occurrences keeps each one's deadline the same time before its start.
    data = values(kind="speedmeet", starts_at=first + timedelta(hours=1), ends_at=first + timedelta(hours=3),
                  wishes_until=first + timedelta(hours=1) - timedelta(days=4))
    changed = db.write(event_changes.update_following, occ[0].id, data)
    assert all(e.wishes_until == e.starts_at - timedelta(days=4) for e in changed)
    # Without a deadline: none is invented.
    plain = db.write(events.create_event, values(kind="speedmeet", starts_at=start))
    assert db.read(events.get_event, plain.id).wishes_until is None
