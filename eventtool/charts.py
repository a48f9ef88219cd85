"""The numbers behind the dashboard, and the figures built from them.

Every function takes the loaded data (pandas frames) and returns a frame of counts; figures are
built from those frames by pure functions, so both are tested without a browser. No group of
fewer than MIN_GROUP people is ever shown: such rows are dropped and counted in `suppressed`.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from sqlalchemy import func, select as sa_select, union as sa_union
from sqlmodel import Session

from .config import TZ
from .models import Employer, Event, Jobseeker, Meeting, Outcome, Registration
from .outcomes import FOLLOW_UP, JOB, LADDER
from .vocab import OutcomeKind, RegStatus

MIN_GROUP = 5
RANK = {k.value: i for i, k in enumerate(LADDER)}
FOLLOW = {k.value for k in FOLLOW_UP}
JOBS = {k.value for k in JOB}
STAGES = ("registered", "attended", "met", "follow_up", "job")


@dataclass
class Filters:
    start: date | None = None
    end: date | None = None
    regions: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    event_id: int | None = None


@dataclass
class Data:
    people: pd.DataFrame  # one row per (jobseeker, event) confirmed registration
    outcomes: pd.DataFrame  # one row per outcome, joined to the filtered people
    met: pd.DataFrame  # (event, jobseeker) pairs that had at least one planned conversation
    conversations: pd.DataFrame  # per employer: distinct jobseekers met
    events: pd.DataFrame
    employers: pd.DataFrame
    _best: pd.DataFrame | None = None


def _frame(session: Session, query) -> pd.DataFrame:
    result = session.connection().execute(query)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def load(session: Session, filters: Filters | None = None) -> Data:
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
    events = _frame(session, ev_q)
    ids = events["event_id"].tolist() if len(events) else [-1]
    people_q = (sa_select(Registration.event_id, Registration.jobseeker_id, Registration.checked_in_at,
                          Jobseeker.region, Jobseeker.target_group)
                .join(Jobseeker, Jobseeker.id == Registration.jobseeker_id)
                .where(Registration.status == RegStatus.CONFIRMED, Registration.event_id.in_(ids)))
    if f.regions:
        people_q = people_q.where(Jobseeker.region.in_(f.regions))
    if f.target_groups:
        people_q = people_q.where(Jobseeker.target_group.in_(f.target_groups))
    people = _frame(session, people_q)
    people["attended"] = people["checked_in_at"].notna() if len(people) else pd.Series(dtype=bool)
    people = people.drop(columns=["checked_in_at"], errors="ignore").merge(events, on="event_id", how="left")
    outcomes = _frame(session, sa_select(Outcome.jobseeker_id, Outcome.event_id, Outcome.employer_id, Outcome.kind,
                                         Outcome.occurred_on).where(Outcome.event_id.in_(ids)))
    # Meetings are many (100,000 at a busy organisation): aggregate them in the database.
    people_ids = people_q.with_only_columns(Registration.event_id, Registration.jobseeker_id).subquery()
    in_people = (Meeting.event_id == people_ids.c.event_id) & (Meeting.jobseeker_id == people_ids.c.jobseeker_id)
    met = _frame(session, sa_select(Meeting.event_id, Meeting.jobseeker_id).join(people_ids, in_people).distinct())
    # Contact with an employer: a planned conversation, or a follow-up with them (a job fair has no
    # planned conversations, yet its follow-ups are contacts). UNION keeps each person once.
    in_outcome = (Outcome.event_id == people_ids.c.event_id) & (Outcome.jobseeker_id == people_ids.c.jobseeker_id)
    pairs = sa_union(
        sa_select(Meeting.employer_id, Meeting.jobseeker_id).join(people_ids, in_people),
        sa_select(Outcome.employer_id, Outcome.jobseeker_id).join(people_ids, in_outcome)
        .where(Outcome.employer_id.is_not(None))).subquery()
    conversations = _frame(session, sa_select(pairs.c.employer_id, func.count().label("conversations"))
                           .group_by(pairs.c.employer_id))
    keys = people[["event_id", "jobseeker_id"]].drop_duplicates() if len(people) else pd.DataFrame(
        columns=["event_id", "jobseeker_id"])
    outcomes = outcomes.merge(keys, on=["event_id", "jobseeker_id"]) if len(outcomes) else outcomes
    employers = _frame(session, sa_select(Employer.id.label("employer_id"), Employer.organisation, Employer.sroi))
    planned = _frame(session, sa_select(Meeting.event_id).where(Meeting.event_id.in_(ids)).distinct())
    events["planned"] = events["event_id"].isin(set(planned["event_id"])) if len(events) else pd.Series(dtype=bool)
    return Data(people, outcomes, met, conversations, events, employers)


def version(session: Session) -> tuple:
    """Changes whenever anything the dashboard shows changes: a cheap key for caching its data."""
    parts = []
    for model in (Registration, Outcome, Meeting, Event):
        parts.append(tuple(session.connection().execute(sa_select(func.count(), func.max(model.id))).one()))
    parts.append(session.connection().execute(sa_select(func.max(Event.updated_at))).scalar())
    parts.append(session.connection().execute(sa_select(func.count()).where(Registration.checked_in_at.is_not(None))).scalar())
    return tuple(parts)


def _best(data: Data) -> pd.DataFrame:
    """Per (jobseeker, event): the highest rung of the ladder reached, and flags per stage.
    Computed once per Data; callers get a copy to add their own columns to."""
    if data._best is None:
        data._best = _compute_best(data)
    return data._best.copy()


def _compute_best(data: Data) -> pd.DataFrame:
    p = data.people[["event_id", "jobseeker_id", "attended", "kind", "region", "target_group", "title",
                     "starts_at", "series_id"]].copy() if len(data.people) else pd.DataFrame(
        columns=["event_id", "jobseeker_id", "attended", "kind", "region", "target_group", "title", "starts_at",
                 "series_id"])
    p = p.rename(columns={"kind": "event_kind"})
    o = data.outcomes
    if len(o):
        # Vectorised: a Python function per (person, event) group took most of the dashboard's time.
        o = o.assign(rank=o["kind"].map(RANK).fillna(0), follow_up=o["kind"].isin(FOLLOW), job=o["kind"].isin(JOBS))
        best = o.sort_values("rank", kind="stable").groupby(["event_id", "jobseeker_id"]).tail(1)[
            ["event_id", "jobseeker_id", "kind"]]
        flags = o.groupby(["event_id", "jobseeker_id"])[["follow_up", "job"]].any().reset_index()
        p = p.merge(best.rename(columns={"kind": "best"}), on=["event_id", "jobseeker_id"], how="left")
        p = p.merge(flags, on=["event_id", "jobseeker_id"], how="left")
    else:
        p["best"], p["follow_up"], p["job"] = None, False, False
    p["follow_up"] = p["follow_up"].astype("boolean").fillna(False).astype(bool)
    p["job"] = p["job"].astype("boolean").fillna(False).astype(bool)
    # Met employers: at a planned speedmeet, had a conversation; elsewhere, came to an event with employers.
    had_talk = p[["event_id", "jobseeker_id"]].merge(data.met.assign(talk=True), on=["event_id", "jobseeker_id"],
                                                     how="left")["talk"].notna().to_numpy() if len(p) else []
    planned = p["event_id"].isin(set(data.events.loc[data.events["planned"], "event_id"])) if len(p) else []
    p["met"] = p["attended"].astype(bool) & ((planned & had_talk) | (~planned & (p["event_kind"] != "training"))) \
        if len(p) else pd.Series(dtype=bool)
    p["best"] = p["best"].fillna(OutcomeKind.NONE.value)
    return p


def funnel(data: Data) -> tuple[pd.DataFrame, int]:
    """Unique people at each stage: registered -> attended -> met employers -> follow-up -> job."""
    p = _best(data)
    counts = {
        "registered": p["jobseeker_id"].nunique(),
        "attended": p.loc[p["attended"], "jobseeker_id"].nunique(),
        "met": p.loc[p["met"], "jobseeker_id"].nunique(),
        "follow_up": p.loc[p["follow_up"], "jobseeker_id"].nunique(),
        "job": p.loc[p["job"], "jobseeker_id"].nunique(),
    }
    df = pd.DataFrame({"stage": list(counts), "people": list(counts.values())})
    if 0 < counts["registered"] < MIN_GROUP:
        return df.iloc[0:0], 1  # the whole group is too small
    return _suppress(df, "people")


def _suppress(df: pd.DataFrame, count_col: str) -> tuple[pd.DataFrame, int]:
    """Drop rows counting fewer than MIN_GROUP people (but keep zeros: they expose no one)."""
    small = (df[count_col] > 0) & (df[count_col] < MIN_GROUP)
    return df.loc[~small].reset_index(drop=True), int(small.sum())


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


def per_region(data: Data) -> tuple[pd.DataFrame, int]:
    p = _best(data)
    p["region"] = p["region"].fillna("-")
    g = p.groupby("region").agg(registered=("jobseeker_id", "nunique")).reset_index()
    for stage in ("attended", "follow_up", "job"):
        g = g.merge(p[p[stage]].groupby("region")["jobseeker_id"].nunique().rename(stage).reset_index(),
                    on="region", how="left")
    g = g.fillna(0)
    small = g["registered"] < MIN_GROUP
    return g.loc[~small].astype({s: int for s in ("attended", "follow_up", "job")}).reset_index(drop=True), int(small.sum())


def durability(data: Data, today: date | None = None) -> tuple[pd.DataFrame, int]:
    """Of the people whose job started at least 6 (12) months ago, how many are still employed."""
    today = today or datetime.now(TZ).date()
    o = data.outcomes
    rows = []
    for months, kind in ((6, OutcomeKind.EMPLOYED_6M.value), (12, OutcomeKind.EMPLOYED_12M.value)):
        if not len(o):
            rows.append({"months": months, "eligible": 0, "still_employed": 0})
            continue
        starts = o[o["kind"].isin({OutcomeKind.JOB.value, OutcomeKind.TEMP_JOB.value})].groupby("jobseeker_id")["occurred_on"].min()
        cutoff = pd.Timestamp(today, tz="UTC") - pd.DateOffset(months=months)
        eligible = set(starts[starts <= cutoff].index)
        still = set(o[o["kind"] == kind]["jobseeker_id"]) & eligible
        rows.append({"months": months, "eligible": len(eligible), "still_employed": len(still)})
    df = pd.DataFrame(rows)
    df["share"] = (df["still_employed"] / df["eligible"].where(df["eligible"] > 0)).round(3)
    small = (df["eligible"] > 0) & (df["eligible"] < MIN_GROUP)
    return df.loc[~small].reset_index(drop=True), int(small.sum())


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
                              hovertemplate="%{y}: %{x}<extra></extra>"))
    return _layout(fig, 320, None, None)


def mix_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Per group, the share of people by their best outcome; the count is in the hover."""
    shown = df.assign(outcome=df["best"].map(lambda k: labels.get(k, k)), group=df["group"].map(escape))
    shown["share"] = shown["people"] / shown.groupby("group")["people"].transform("sum")
    fig = go.Figure()
    palette = px.colors.qualitative.Safe
    for i, kind in enumerate(k.value for k in LADDER):
        part = shown[shown["best"] == kind]
        if not len(part):
            continue
        fig.add_bar(x=part["share"], y=part["group"], orientation="h", name=labels.get(kind, kind),
                    marker_color=palette[i % len(palette)], customdata=part[["people"]].to_numpy(),
                    hovertemplate="%{y}<br>" + escape(labels.get(kind, kind)) + ": %{x:.0%} (%{customdata[0]} "
                    + escape(labels.get("people", "people")).lower() + ")<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_tickformat=".0%", xaxis_range=[0, 1])
    return _layout(fig, max(260, 40 * shown["group"].nunique() + 120), labels.get("share", "share"), None)


def _lines(long: pd.DataFrame, x: str) -> go.Figure:
    fig = go.Figure()
    palette = px.colors.qualitative.Safe
    for i, (stage, part) in enumerate(long.groupby("stage", sort=False)):
        fig.add_scatter(x=part[x], y=part["people"], name=stage, mode="lines+markers",
                        line=dict(color=palette[i % len(palette)], dash=DASHES[i % len(DASHES)], width=2 + (len(DASHES) - i) % 3),
                        marker=dict(symbol=SYMBOLS[i % len(SYMBOLS)], size=9 + 2 * ((len(SYMBOLS) - i) % 3)),
                        hovertemplate="%{x} · " + escape(stage) + ": %{y}<extra></extra>")
    fig.update_layout(hovermode="x unified", xaxis_type="category")
    return fig


def trend_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    shown = df.assign(date=df["date"].map(lambda d: f"{d:%d-%m-%Y}"))
    long = shown.melt(id_vars="date", value_vars=list(STAGES), var_name="stage", value_name="people")
    long["stage"] = long["stage"].map(lambda s: labels.get(s, s))
    return _layout(_lines(long, "date"), 320, labels.get("date", "date"), labels.get("people", "people"))


def employer_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    top = df.head(15).assign(employer=lambda d: d["employer"].map(escape))
    long = top.melt(id_vars="employer", value_vars=["conversations", "follow_up", "hired"], var_name="what",
                    value_name="people")
    long["what"] = long["what"].map(lambda s: labels.get(s, s))
    fig = px.bar(long, x="people", y="employer", color="what", barmode="group", orientation="h",
                 color_discrete_sequence=px.colors.qualitative.Safe)
    fig.update_traces(hovertemplate="%{y}: %{x}<extra></extra>")
    return _layout(fig, max(260, 45 * len(top) + 120), labels.get("people", "people"), None)


def region_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    long = df.melt(id_vars="region", value_vars=["registered", "attended", "follow_up", "job"], var_name="stage",
                   value_name="people")
    long["stage"] = long["stage"].map(lambda s: labels.get(s, s))
    long["region"] = long["region"].map(escape)
    fig = px.bar(long, x="region", y="people", color="stage", barmode="group",
                 color_discrete_sequence=px.colors.qualitative.Safe)
    fig.update_traces(hovertemplate="%{x}: %{y}<extra></extra>")
    return _layout(fig, 340, None, labels.get("people", "people"))


def durability_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    text = [f"{s} / {e}" for s, e in zip(df["still_employed"], df["eligible"])]
    fig = go.Figure(go.Bar(x=[labels.get(f"m{m}", f"{m}") for m in df["months"]], y=df["share"], text=text,
                           textposition="outside", hovertemplate="%{x}: %{y:.0%} (%{text})<extra></extra>"))
    fig.update_layout(yaxis_tickformat=".0%", yaxis_range=[0, 1.1])
    return _layout(fig, 300, None, labels.get("still_employed", "still employed"))


def time_to_job_figure(df: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    fig = px.histogram(df, x="days", nbins=20, color_discrete_sequence=px.colors.qualitative.Safe)
    return _layout(fig, 300, labels.get("days", "days"), labels.get("people", "people"))
