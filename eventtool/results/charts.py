"""The numbers behind the dashboard, and the figures built from them.

Every function takes the loaded data (pandas frames) and returns a frame of counts; figures are
built from those frames by pure functions, so both are tested without a browser. No group of
fewer than MIN_GROUP people is ever shown: such rows are dropped and counted in `suppressed`.
"""
from __future__ import annotations

import functools
import html
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from sqlalchemy import String, func, select as sa_select, type_coerce, union_all as sa_union_all
from sqlalchemy.engine import Connection
from sqlmodel import Session

from ..core.config import TZ
from ..people.models import Employer, Jobseeker
from ..events.models import Event, Meeting
from .models import Outcome
from ..registration.models import Registration
from .outcomes import FOLLOW_UP, JOB, LADDER
from . import durability as lasting
from .models import Survey
from ..core.vocab import OutcomeKind, RegStatus

MIN_GROUP = 5
RANK = {k.value: i for i, k in enumerate(LADDER)}
RUNGS = np.array([k.value for k in LADDER], dtype=object)  # rank -> outcome kind
FOLLOW = {k.value for k in FOLLOW_UP}
JOBS = {k.value for k in JOB}
STAGES = ("registered", "attended", "met", "follow_up", "job")
# The funnel goes on to whether the job lasted (results.durability).
FUNNEL = STAGES + ("employed_6m", "employed_12m")


@dataclass
class Filters:
    start: date | None = None
    end: date | None = None
    regions: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    event_id: int | None = None
    series_id: int | None = None
    employer_id: int | None = None  # people who met this employer or had a follow-up with them


@dataclass
class Data:
    # One row per (jobseeker, event) confirmed registration: whether they came, whether they had a
    # planned conversation (talk), the person's region and target group, the event's details.
    people: pd.DataFrame
    outcomes: pd.DataFrame  # one row per outcome, joined to the filtered people
    conversations: pd.DataFrame  # per employer: distinct jobseekers met
    events: pd.DataFrame
    employers: pd.DataFrame
    # Every job, "still employed" and "job ended" of the people shown, whatever event it came of.
    work: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Follow-up surveys per event and respondent: sent, answered.
    responses: pd.DataFrame = field(default_factory=pd.DataFrame)
    _best: pd.DataFrame | None = None
    _memo: dict = field(default_factory=dict)


def _memoized(fn):
    """A chart's numbers are computed once per loaded Data (the page keeps one Data per version of
    the store, so a rerun that changed nothing recomputes nothing); callers get their own copy."""
    @functools.wraps(fn)
    def wrapper(data: Data, *args):
        key = (fn.__name__, *args)
        if key not in data._memo:
            data._memo[key] = fn(data, *args)
        df, hidden = data._memo[key]
        return df.copy(), hidden
    return wrapper


def _frame(session: Session | Connection, query, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    """A query's rows as a frame, read straight from the driver's cursor and converted column by
    column: SQLAlchemy's per-row processing (datetime parsing above all) and pandas' per-row probing
    of Row objects were most of the dashboard's load time. Dates are converted in one vectorised
    step; flags come back as 0/1 on SQLite and are turned into booleans by the caller."""
    if dates:
        query = query.with_only_columns(*(type_coerce(c, String).label(c.key) if c.key in dates else c
                                          for c in query.selected_columns))
    connection = session if isinstance(session, Connection) else session.connection()
    result = connection.execute(query)
    names = list(result.keys())
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    df = pd.DataFrame({name: list(values) for name, values in zip(names, zip(*rows))} if rows else
                      {name: pd.Series(dtype=object) for name in names}, columns=names)
    for column in dates:
        df[column] = pd.to_datetime(df[column], utc=True, format="ISO8601") if len(df) else pd.Series(
            dtype="datetime64[ns, UTC]")
    return df


def load(session: Session, filters: Filters | None = None) -> Data:
    """What the dashboard counts, aggregated in the database as far as it goes: one row per confirmed
    registration (with whether the person came and had a planned conversation), the outcomes of those
    people, and per employer the number of distinct people they had contact with."""
    f = filters or Filters()
    ev_q = sa_select(Event.id.label("event_id"), Event.kind, Event.title, Event.starts_at, Event.series_id)
    if f.event_id is not None:
        ev_q = ev_q.where(Event.id == f.event_id)
    if f.start:
        ev_q = ev_q.where(Event.starts_at >= datetime.combine(f.start, time.min, tzinfo=TZ))
    if f.end:
        ev_q = ev_q.where(Event.starts_at <= datetime.combine(f.end, time.max, tzinfo=TZ))
    if f.kinds:
        ev_q = ev_q.where(Event.kind.in_(f.kinds))
    if f.series_id is not None:
        ev_q = ev_q.where(Event.series_id == f.series_id)
    events = _frame(session, ev_q, dates=("starts_at",))
    ids = events["event_id"].tolist() if len(events) else [-1]
    in_events = Registration.event_id.in_(sa_select(ev_q.subquery().c.event_id))
    # A planned conversation: one probe of the meeting table's (event, jobseeker, employer) index per person.
    # (Selecting an indexed column keeps the probe inside the index: `exists()` alone says SELECT *.)
    talk = sa_select(Meeting.event_id).where(Meeting.event_id == Registration.event_id,
                                             Meeting.jobseeker_id == Registration.jobseeker_id).exists()
    # Who is counted: (event, person) pairs; the person's own row is joined only when a filter needs it.
    keys_q = sa_select(Registration.event_id, Registration.jobseeker_id).where(
        Registration.status == RegStatus.CONFIRMED, in_events)
    by_person = bool(f.regions or f.target_groups)
    if by_person:
        keys_q = keys_q.join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
    if f.regions:
        keys_q = keys_q.where(Jobseeker.region.in_(f.regions))
    if f.target_groups:
        keys_q = keys_q.where(Jobseeker.target_group.in_(f.target_groups))
    if f.employer_id is not None:
        met_them = sa_select(Meeting.event_id).where(
            Meeting.event_id == Registration.event_id, Meeting.jobseeker_id == Registration.jobseeker_id,
            Meeting.employer_id == f.employer_id).exists()
        followed = sa_select(Outcome.id).where(
            Outcome.event_id == Registration.event_id, Outcome.jobseeker_id == Registration.jobseeker_id,
            Outcome.employer_id == f.employer_id, Outcome.rejected_at.is_(None)).exists()
        keys_q = keys_q.where(met_them | followed)
    contacts = _READERS.submit(_contacts, session.get_bind(), keys_q)
    people_q = keys_q.add_columns(Registration.checked_in_at.is_not(None).label("attended"), Jobseeker.region,
                                  Jobseeker.target_group, talk.label("talk"))
    if not by_person:
        people_q = people_q.join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
    people = _frame(session, people_q)
    for flag in ("attended", "talk"):
        people[flag] = people[flag].astype(bool) if len(people) else pd.Series(dtype=bool)
    people = people.merge(events, on="event_id", how="left")
    outcomes = _frame(session, sa_select(Outcome.jobseeker_id, Outcome.event_id, Outcome.employer_id, Outcome.kind,
                                         Outcome.occurred_on).where(Outcome.event_id.in_(ids),
                                                                    Outcome.rejected_at.is_(None)),
                      dates=("occurred_on",))
    # Every job and "still employed" in the store (a few per placed person: a short scan), kept for
    # the people shown here; asking the database for "of these people" ran the people query again.
    work = _frame(session, sa_select(Outcome.jobseeker_id, Outcome.employer_id, Outcome.kind, Outcome.occurred_on)
                  .where(Outcome.kind.in_(lasting.IN_WORK | {lasting.ENDED}), Outcome.rejected_at.is_(None)),
                  dates=("occurred_on",))
    work = work[work["jobseeker_id"].isin(people["jobseeker_id"])].reset_index(drop=True) if len(work) else work
    responses = _frame(session, sa_select(Survey.event_id, Survey.respondent, func.count().label("sent"),
                                          func.count(Survey.answered_at).label("answered"))
                       .where(Survey.event_id.in_(ids)).group_by(Survey.event_id, Survey.respondent))
    conversations = contacts.result()
    keys = people[["event_id", "jobseeker_id"]].drop_duplicates() if len(people) else pd.DataFrame(
        columns=["event_id", "jobseeker_id"])
    outcomes = outcomes.merge(keys, on=["event_id", "jobseeker_id"]) if len(outcomes) else outcomes
    employers = _frame(session, sa_select(Employer.id.label("employer_id"), Employer.organisation, Employer.sroi))
    planned = _frame(session, sa_select(Meeting.event_id).where(Meeting.event_id.in_(ids)).distinct())
    events["planned"] = events["event_id"].isin(set(planned["event_id"])) if len(events) else pd.Series(dtype=bool)
    return Data(people, outcomes, conversations, events, employers, work, responses)


# The per-employer contact count is the one heavy aggregate (distinct pairs out of every meeting);
# it runs on a connection of its own while the rest is read (the drivers let go of the GIL while
# the database works), so a cold load waits for the longer of the two, not for both. Read at the
# same moment as the rest; a write landing in between also changes `version`, so the next view
# reads again.
_READERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dashboard-read")


def _contacts(engine, keys_q) -> pd.DataFrame:
    """Per employer, the distinct people who had contact with them: a planned conversation, or a
    follow-up with them (a job fair has no planned conversations, yet its follow-ups are contacts)."""
    people_ids = keys_q.subquery()
    in_people = (Meeting.event_id == people_ids.c.event_id) & (Meeting.jobseeker_id == people_ids.c.jobseeker_id)
    in_outcome = (Outcome.event_id == people_ids.c.event_id) & (Outcome.jobseeker_id == people_ids.c.jobseeker_id)
    pairs = sa_union_all(
        sa_select(Meeting.employer_id, Meeting.jobseeker_id).join(people_ids, in_people),
        sa_select(Outcome.employer_id, Outcome.jobseeker_id).join(people_ids, in_outcome)
        .where(Outcome.employer_id.is_not(None), Outcome.rejected_at.is_(None))).subquery()
    # Each person once per employer: a distinct count per group (a UNION, then counting, sorted
    # every pair twice: 108 -> 68 ms on 100,000 meetings).
    with engine.connect() as connection:
        return _frame(connection, sa_select(pairs.c.employer_id,
                                            func.count(pairs.c.jobseeker_id.distinct()).label("conversations"))
                      .group_by(pairs.c.employer_id))


def version(session: Session) -> tuple:
    """Changes whenever anything the dashboard shows changes: a cheap key for caching its data. One
    statement of aggregates: rows added or removed (count, highest id), registrations
    confirmed, cancelled or checked in, events, people and employers edited (their updated_at),
    outcomes recorded or set aside, surveys answered."""
    def scalar(*columns, where=None):
        query = sa_select(*columns)
        return (query.where(where) if where is not None else query).scalar_subquery()
    parts = [scalar(func.count(model.id)) for model in (Registration, Outcome, Meeting, Event, Survey)]
    parts += [scalar(func.max(model.id)) for model in (Registration, Outcome, Meeting, Event)]
    parts += [scalar(func.count(Registration.id), where=Registration.status == RegStatus.CONFIRMED),
              scalar(func.count(Registration.checked_in_at)), scalar(func.max(Registration.cancelled_at)),
              scalar(func.max(Event.updated_at)), scalar(func.max(Jobseeker.updated_at)),
              scalar(func.max(Employer.updated_at)), scalar(func.count(Outcome.rejected_at)),
              scalar(func.max(Outcome.recorded_at)), scalar(func.max(Survey.answered_at))]
    return tuple(session.connection().execute(sa_select(*parts)).one())


def _best(data: Data) -> pd.DataFrame:
    """Per (jobseeker, event): the highest rung of the ladder reached, and flags per stage.
    Computed once per Data; callers get a copy to add their own columns to."""
    if data._best is None:
        data._best = _compute_best(data)
    return data._best.copy()


def _compute_best(data: Data) -> pd.DataFrame:
    columns = ["event_id", "jobseeker_id", "attended", "talk", "kind", "region", "target_group", "title", "starts_at",
               "series_id"]
    p = data.people[columns].copy() if len(data.people) else pd.DataFrame(columns=columns)
    p = p.rename(columns={"kind": "event_kind"})
    o = data.outcomes
    if len(o) and len(p):
        # Vectorised over one integer key per (event, person): per key the highest rung reached and
        # whether any follow-up or job came of it, then looked up for each person's row.
        okey = _pair_key(o["event_id"], o["jobseeker_id"])
        rank = o["kind"].map(RANK).fillna(0).astype(int).to_numpy()
        per = pd.DataFrame({"rank": rank, "follow_up": o["kind"].isin(FOLLOW).to_numpy(),
                            "job": o["kind"].isin(JOBS).to_numpy()}).groupby(okey).max()
        at = per.index.get_indexer(_pair_key(p["event_id"], p["jobseeker_id"]))
        found = at >= 0
        p["best"] = np.where(found, RUNGS[per["rank"].to_numpy()[at]], OutcomeKind.NONE.value)
        p["follow_up"] = found & per["follow_up"].to_numpy()[at]
        p["job"] = found & per["job"].to_numpy()[at]
    else:
        p["best"], p["follow_up"], p["job"] = OutcomeKind.NONE.value, False, False
    # Met employers: at a planned speedmeet, had a conversation; elsewhere, came to an event with employers.
    planned = p["event_id"].isin(set(data.events.loc[data.events["planned"], "event_id"])) if len(p) else []
    talk = p.pop("talk").astype(bool)
    p["met"] = p["attended"].astype(bool) & ((planned & talk) | (~planned & (p["event_kind"] != "training"))) \
        if len(p) else pd.Series(dtype=bool)
    return p


def _pair_key(event_ids: pd.Series, jobseeker_ids: pd.Series) -> np.ndarray:
    """(event, person) as one 64-bit integer: grouping and looking up one column is several times
    faster than two."""
    return (event_ids.to_numpy(dtype=np.int64) << 32) | jobseeker_ids.to_numpy(dtype=np.int64)


@_memoized
def funnel(data: Data) -> tuple[pd.DataFrame, int]:
    """Unique people at each stage: registered -> attended -> met employers -> follow-up -> job ->
    still employed at 6 and at 12 months."""
    p = _best(data)
    kept = _lasting(data)
    counts = {
        "registered": p["jobseeker_id"].nunique(),
        "attended": p.loc[p["attended"], "jobseeker_id"].nunique(),
        "met": p.loc[p["met"], "jobseeker_id"].nunique(),
        "follow_up": p.loc[p["follow_up"], "jobseeker_id"].nunique(),
        "job": p.loc[p["job"], "jobseeker_id"].nunique(),
        "employed_6m": sum(x.status[6] == lasting.EMPLOYED for x in kept),
        "employed_12m": sum(x.status[12] == lasting.EMPLOYED for x in kept),
    }
    df = pd.DataFrame({"stage": list(counts), "people": list(counts.values())})
    if 0 < counts["registered"] < MIN_GROUP:
        return df.iloc[0:0], 1  # the whole group is too small
    return _suppress(df, "people")


def _lasting(data: Data, today: date | None = None) -> list[lasting.Placement]:
    """The placements of the people shown who got a job, and how long they lasted (by the one rule
    in results.durability): worked out once per loaded Data, for the funnel and durability both."""
    key = ("_lasting", today)
    if key not in data._memo:
        p = _best(data)
        people = set(p.loc[p["job"], "jobseeker_id"])
        w = data.work
        found = []
        if len(w) and people:
            w = w[w["jobseeker_id"].isin(people)]
            # Local calendar days in one vectorised step (the rule's own conversion goes row by row).
            days = w["occurred_on"].dt.tz_convert(TZ).dt.date if len(w) else w["occurred_on"]
            found = lasting.placements(zip(w["jobseeker_id"], w["employer_id"], w["kind"], days),
                                       today or datetime.now(TZ).date())
        data._memo[key] = found
    return data._memo[key]


def _suppress(df: pd.DataFrame, count_col: str) -> tuple[pd.DataFrame, int]:
    """Drop rows counting fewer than MIN_GROUP people (but keep zeros: they expose no one)."""
    small = (df[count_col] > 0) & (df[count_col] < MIN_GROUP)
    return df.loc[~small].reset_index(drop=True), int(small.sum())


@_memoized
def outcome_mix(data: Data, by: str) -> tuple[pd.DataFrame, int]:
    """Best outcome per person per event for the people who came, counted per group: by = event,
    event_kind, region, target_group."""
    p = _best(data)
    p = p[p["attended"]]
    if by == "event":  # labelled once per event, not once per person
        labels = {e.event_id: f"{e.title} ({e.starts_at.astimezone(TZ):%d-%m-%Y})" for e in data.events.itertuples()}
        p["group"] = p["event_id"].map(labels)
    else:
        p["group"] = p[by].fillna("-")
    sizes = p.groupby("group")["jobseeker_id"].nunique()
    keep = sizes[sizes >= MIN_GROUP].index
    suppressed = int((sizes < MIN_GROUP).sum())
    mix = p[p["group"].isin(keep)].groupby(["group", "best"]).size().reset_index(name="people")
    mix["rank"] = mix["best"].map(RANK)
    return mix.sort_values(["group", "rank"]).drop(columns="rank").reset_index(drop=True), suppressed


@_memoized
def series_trend(data: Data, series_id: int) -> tuple[pd.DataFrame, int]:
    p = _best(data)
    p = p[p["series_id"] == series_id]
    if not len(p):
        return pd.DataFrame(columns=["date", *STAGES]), 0
    g = p.groupby("starts_at").agg(registered=("jobseeker_id", "nunique"), attended=("attended", "sum"),
                                   met=("met", "sum"), follow_up=("follow_up", "sum"), job=("job", "sum")).reset_index()
    g["date"] = g["starts_at"].map(lambda d: d.astimezone(TZ).date())
    g = g.drop(columns="starts_at")[["date", *STAGES]]
    small = g["registered"] < MIN_GROUP
    return g.loc[~small].reset_index(drop=True), int(small.sum())


@_memoized
def per_employer(data: Data) -> tuple[pd.DataFrame, int]:
    """People who had contact (a planned conversation or a follow-up), were followed up and were hired,
    per employer (SROI reports). Contact counts everyone followed up, so it is never below them."""
    m = data.conversations.set_index("employer_id")["conversations"] \
        if len(data.conversations) else pd.Series(dtype=int, name="conversations")
    o = data.outcomes.dropna(subset=["employer_id"]) if len(data.outcomes) else data.outcomes
    follow = o[o["kind"].isin(FOLLOW)].groupby("employer_id")["jobseeker_id"].nunique().rename("follow_up") \
        if len(o) else pd.Series(dtype=int, name="follow_up")
    hires = o[o["kind"].isin(JOBS)].groupby("employer_id")["jobseeker_id"].nunique().rename("hired") \
        if len(o) else pd.Series(dtype=int, name="hired")
    df = pd.concat([m, follow, hires], axis=1).fillna(0).astype(int).reset_index()
    if not len(df):
        return pd.DataFrame(columns=["employer", "sroi", "conversations", "follow_up", "hired"]), 0
    df = df.rename(columns={"index": "employer_id"}).merge(data.employers, on="employer_id", how="left")
    df = df.rename(columns={"organisation": "employer"})[["employer", "sroi", "conversations", "follow_up", "hired"]]
    people = df[["conversations", "follow_up"]].max(axis=1)
    small = people < MIN_GROUP
    return df.loc[~small].sort_values("hired", ascending=False).reset_index(drop=True), int(small.sum())


@_memoized
def per_region(data: Data) -> tuple[pd.DataFrame, int]:
    p = _best(data)
    p["region"] = p["region"].fillna("-")
    # Distinct people per region at each stage in one grouped pass: a stage's column holds the
    # person's id where they reached it and nothing elsewhere, and nunique skips the gaps.
    ids = p["jobseeker_id"].astype("Int64")
    stages = p.assign(registered=ids, **{s: ids.where(p[s]) for s in ("attended", "follow_up", "job")})
    g = stages.groupby("region")[["registered", "attended", "follow_up", "job"]].nunique().reset_index()
    small = g["registered"] < MIN_GROUP
    return g.loc[~small].astype({s: int for s in ("registered", "attended", "follow_up", "job")}).reset_index(drop=True), \
        int(small.sum())


@_memoized
def durability(data: Data, today: date | None = None) -> tuple[pd.DataFrame, int]:
    """Of the people placed whose 6 (12) months have passed: how many are still employed, how many
    no longer, and of how many it is not known yet (the staff work list follows those up)."""
    found = lasting.figures(_lasting(data, today))
    df = pd.DataFrame([{"months": m, "eligible": found.checked[m], "still_employed": found.employed[m],
                        "ended": found.no_longer[m], "unknown": found.unknown[m]} for m in lasting.CHECKS])
    df["share"] = (df["still_employed"] / df["eligible"].where(df["eligible"] > 0)).round(3)
    small = (df["eligible"] > 0) & (df["eligible"] < MIN_GROUP)
    return df.loc[~small].reset_index(drop=True), int(small.sum())


def response_rate(data: Data) -> tuple[pd.DataFrame, int]:
    """Follow-up surveys sent and answered, per respondent (jobseeker, coach, employer)."""
    r = data.responses
    if not len(r):
        return pd.DataFrame(columns=["respondent", "sent", "answered", "share"]), 0
    g = r.groupby("respondent")[["sent", "answered"]].sum().reset_index()
    g["share"] = (g["answered"] / g["sent"].where(g["sent"] > 0)).round(3)
    g["order"] = g["respondent"].map({"jobseeker": 0, "coach": 1, "employer": 2})
    return g.sort_values("order").drop(columns="order").reset_index(drop=True), 0


@_memoized
def time_to_job(data: Data) -> tuple[pd.DataFrame, int]:
    """Days from the event to the first job outcome that came of it, per person."""
    o = data.outcomes
    if not len(o):
        return pd.DataFrame(columns=["days"]), 0
    jobs = o[o["kind"].isin(JOBS)].groupby(["event_id", "jobseeker_id"])["occurred_on"].min().reset_index()
    jobs = jobs.merge(data.events[["event_id", "starts_at"]], on="event_id")
    jobs["days"] = (jobs["occurred_on"] - jobs["starts_at"]).dt.days.clip(lower=0)
    if len(jobs) < MIN_GROUP:
        return pd.DataFrame(columns=["days"]), len(jobs)
    return jobs[["days"]].reset_index(drop=True), 0


def summary(data: Data) -> dict[str, int]:
    f, _ = funnel(data)
    values = dict(zip(f["stage"], f["people"]))
    return {stage: int(values.get(stage, 0)) for stage in STAGES}


# --------------------------------------------------------------------------- figures


# Every axis title comes from `labels` (the page language); dates are written out day-first, so no
# English month name appears; every trace has its own colour, line style and marker, so two series
# with the same numbers are still both visible; names are escaped, as plotly renders labels as HTML.
PALETTE = qualitative.Safe  # colour-blind safe
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def escape(text) -> str:
    """Plotly draws labels and hover text as (a subset of) HTML: user text must be inert there."""
    return html.escape(str(text), quote=True)


def _layout(fig: go.Figure, height: int, x: str | None, y: str | None) -> go.Figure:
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10), height=height, xaxis_title=x, yaxis_title=y,
                      legend_title=None, separators=",.")
    return fig


def funnel_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = go.Figure(go.Funnel(y=[labels.get(s, s) for s in df["stage"]], x=df["people"], textinfo="value+percent initial",
                              hovertemplate="%{y}: %{x} (%{percentInitial:.0%})<extra></extra>"))
    return _layout(fig, 40 * len(df) + 120, None, None)


def mix_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Per group, the share of people by their best outcome; the count is in the hover."""
    shown = df.assign(outcome=df["best"].map(lambda k: labels.get(k, k)), group=df["group"].map(escape))
    shown["share"] = shown["people"] / shown.groupby("group")["people"].transform("sum")
    fig = go.Figure()
    for i, kind in enumerate(k.value for k in LADDER):
        part = shown[shown["best"] == kind]
        if not len(part):
            continue
        fig.add_bar(x=part["share"], y=part["group"], orientation="h", name=labels.get(kind, kind),
                    marker_color=PALETTE[i % len(PALETTE)], customdata=part[["people"]].to_numpy(),
                    hovertemplate="%{y}<br>" + escape(labels.get(kind, kind)) + ": %{x:.0%} (%{customdata[0]} "
                    + escape(labels.get("people", "people")).lower() + ")<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_tickformat=".0%", xaxis_range=[0, 1])
    return _layout(fig, max(260, 40 * shown["group"].nunique() + 120), labels.get("share", "share"), None)


def _lines(long: pd.DataFrame, x: str) -> go.Figure:
    fig = go.Figure()
    for i, (stage, part) in enumerate(long.groupby("stage", sort=False)):
        fig.add_scatter(x=part[x], y=part["people"], name=stage, mode="lines+markers",
                        line=dict(color=PALETTE[i % len(PALETTE)], dash=DASHES[i % len(DASHES)], width=2 + (len(DASHES) - i) % 3),
                        marker=dict(symbol=SYMBOLS[i % len(SYMBOLS)], size=9 + 2 * ((len(SYMBOLS) - i) % 3)),
                        hovertemplate="%{x} · " + escape(stage) + ": %{y}<extra></extra>")
    fig.update_layout(hovermode="x unified", xaxis_type="category")
    return fig


def trend_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    shown = df.assign(date=df["date"].map(lambda d: f"{d:%d-%m-%Y}"))
    long = shown.melt(id_vars="date", value_vars=list(STAGES), var_name="stage", value_name="people")
    long["stage"] = long["stage"].map(lambda s: labels.get(s, s))
    return _layout(_lines(long, "date"), 320, labels.get("date", "date"), labels.get("people", "people"))


def _grouped_bars(df: pd.DataFrame, category: str, series: list[str], labels: dict[str, str],
                  horizontal: bool) -> go.Figure:
    """One bar per series in each category, side by side (graph_objects directly: plotly express
    reshapes and validates the whole frame again, 50 ms a chart)."""
    categories = df[category].map(escape).tolist()
    traces = []
    for i, name in enumerate(series):
        values = df[name].tolist()
        label = labels.get(name, name)
        traces.append(go.Bar(x=values if horizontal else categories, y=categories if horizontal else values,
                             orientation="h" if horizontal else "v", name=label, marker_color=PALETTE[i % len(PALETTE)],
                             hovertemplate=("%{y}: %{x}" if horizontal else "%{x}: %{y}") + "<extra></extra>"))
    return go.Figure(traces, layout=dict(barmode="group", legend_title_text=None))


def employer_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    top = df.head(15)
    fig = _grouped_bars(top, "employer", ["conversations", "follow_up", "hired"], labels, horizontal=True)
    fig.update_layout(yaxis_autorange="reversed")  # the employer with most hires on top
    return _layout(fig, max(260, 45 * len(top) + 120), labels.get("people", "people"), None)


def region_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = _grouped_bars(df, "region", ["registered", "attended", "follow_up", "job"], labels, horizontal=False)
    return _layout(fig, 340, None, labels.get("people", "people"))


def durability_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    text = [f"{s} / {e}" for s, e in zip(df["still_employed"], df["eligible"])]
    fig = go.Figure(go.Bar(x=[labels.get(f"m{m}", f"{m}") for m in df["months"]], y=df["share"], text=text,
                           textposition="outside", hovertemplate="%{x}: %{y:.0%} (%{text})<extra></extra>"))
    fig.update_layout(yaxis_tickformat=".0%", yaxis_range=[0, 1.1])
    return _layout(fig, 300, None, labels.get("still_employed", "still employed"))


def response_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    text = [f"{a} / {n}" for a, n in zip(df["answered"], df["sent"])]
    fig = go.Figure(go.Bar(x=df["respondent"].map(escape).tolist(), y=df["share"], text=text, textposition="outside",
                           marker_color=PALETTE[1], hovertemplate="%{x}: %{y:.0%} (%{text})<extra></extra>"))
    fig.update_layout(yaxis_tickformat=".0%", yaxis_range=[0, 1.1])
    return _layout(fig, 300, None, labels.get("share", "share"))


def time_to_job_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = go.Figure(go.Histogram(x=df["days"].tolist(), nbinsx=20, marker_color=PALETTE[0],
                                 hovertemplate="%{x}: %{y}<extra></extra>"))
    return _layout(fig, 300, labels.get("days", "days"), labels.get("people", "people"))
