from datetime import date, timedelta

import streamlit as st

import ui
from eventtool.results import charts, reports
from eventtool.events import events
from eventtool.dayof import exports
from eventtool.registration import registration
from eventtool.core.vocab import REGIONS, EventKind, TargetGroup

t = ui.t
ui.guard("views/dashboard.py")
db = ui.get_db()
lang = ui.lang()
st.title(t("dashboard.title"))
st.caption(t("dashboard.privacy") + " " + t("dashboard.png_hint"))

all_events = db.read(events.list_events)
with st.expander(t("dashboard.filters"), expanded=False):
    c1, c2 = st.columns(2)
    period = c1.date_input(t("dashboard.period"), value=(date.today() - timedelta(days=730), date.today()),
                           format="DD-MM-YYYY", key="db_period")
    kinds = c2.multiselect(t("dashboard.kinds"), list(EventKind), format_func=lambda k: t(f"kind.{k}"), key="db_kinds",
                           placeholder=t("form.optional"))
    regions = c1.multiselect(t("dashboard.regions"), REGIONS, key="db_regions", placeholder=t("form.optional"))
    groups = c2.multiselect(t("dashboard.target_groups"), list(TargetGroup), format_func=lambda g: t(f"target.{g}"),
                            key="db_groups", placeholder=t("form.optional"))
    by_id = {e.id: e for e in all_events}
    one = st.selectbox(t("dashboard.event"), list(by_id), index=None, format_func=lambda i: ui.event_label(by_id[i]),
                       key="db_event", placeholder=t("form.optional"))
    series_titles = {e.series_id: e.title for e in all_events if e.series_id}
    in_series = c1.selectbox(t("dashboard.series_filter"), list(series_titles), index=None, format_func=series_titles.get,
                             key="db_series_filter", placeholder=t("form.optional"))
    organisations = {e["employer_id"]: e["organisation"] for e in db.read(registration.employers_overview)}
    with_employer = c2.selectbox(t("dashboard.employer_filter"), list(organisations), index=None,
                                 format_func=organisations.get, key="db_employer_filter", placeholder=t("form.optional"))
start, end = (period if isinstance(period, tuple) and len(period) == 2 else (None, None))
filters = charts.Filters(start=start, end=end, regions=regions, kinds=[str(k) for k in kinds],
                         target_groups=[str(g) for g in groups], event_id=one, series_id=in_series,
                         employer_id=with_employer)


@st.cache_resource(max_entries=16, show_spinner=False)
def load(version: tuple, filters: charts.Filters) -> charts.Data:
    # `version` changes with every registration, check-in, outcome or plan: a stale cache is impossible.
    # One shared, read-only copy (the chart functions never change it), not a copy per rerun.
    return db.read(charts.load, filters)


data = load(db.read(charts.version), filters)
labels = {s: t(f"stage.{s}") for s in charts.FUNNEL} | {k: t(f"outcome.{k}") for k in charts.RANK} | {
    "conversations": t("chart.conversations"), "follow_up": t("chart.follow_up"), "hired": t("chart.hired"),
    "registered": t("chart.registered"), "attended": t("chart.attended"), "job": t("chart.job"), "days": t("chart.days"),
    "people": t("chart.people"), "m6": t("chart.m6"), "m12": t("chart.m12"), "share": t("chart.col.share"),
    "date": t("chart.col.date"), "still_employed": t("chart.col.still_employed"), "ended": t("chart.col.ended"),
    "unknown": t("chart.col.unknown"), "sent": t("chart.col.sent"), "answered": t("chart.col.answered")}


COLUMN_LABELS = {"employer", "sroi", "region", "group", "best", "people", "stage", "date", "months", "eligible",
                 "still_employed", "share", "days"}


def numbers(df, name: str, key: str) -> None:
    """The numbers behind a chart, as CSV and Excel (text cells, no formulas)."""
    headers = [t(f"chart.col.{c}") if c in COLUMN_LABELS else labels.get(c, c) for c in df.columns]
    lang = ui.lang()
    sheet = exports.table_sheet(name, headers, df.astype(object).where(df.notna(), "").values.tolist(), lang)
    c1, c2 = st.columns(2)
    # Files are built when clicked (a callable), not on every rerun of the dashboard.
    ui.download(t("dashboard.download_csv"), lambda: exports.to_csv(sheet, exports.csv_delimiter(lang)), file_name=f"{key}.csv",
                mime="text/csv", key=f"db_csv_{key}", where=c1)
    ui.download(t("dashboard.download_xlsx"), lambda: exports.to_xlsx(sheet, lang), file_name=f"{key}.xlsx",
                key=f"db_xlsx_{key}", where=c2)


FIGURES = {"funnel": charts.funnel_figure, "mix": charts.mix_figure, "trend": charts.trend_figure,
           "employers": charts.employer_figure, "regions": charts.region_figure,
           "durability": charts.durability_figure, "time_to_job": charts.time_to_job_figure,
           "responses": charts.response_figure}


@st.cache_resource(max_entries=64, show_spinner=False)
def figure_of(key: str, df, language: str, _labels: dict):
    # A figure is a pure function of its numbers and labels, and plotly checks every property as a
    # figure is built (tens of ms for the eight): built once per different numbers, shared after.
    # Streamlit's plotly_chart copies the figure and never changes it. The labels follow from the
    # language (hashing the dict itself on every run cost more than the language says).
    return FIGURES[key](df, _labels)


def section(title: str, key: str, compute, controls=None) -> None:
    """One chart under its own heading; a control that belongs to it sits under that heading."""
    st.header(title)
    choice = controls() if controls else None
    df, suppressed = compute(choice) if controls else compute()
    if not len(df):
        st.info(t("dashboard.no_data"))
    else:
        st.plotly_chart(figure_of(key, df, lang, labels), key=f"db_fig_{key}", config={"displaylogo": False})
        numbers(df, title, key)
    if suppressed:
        st.caption(t("dashboard.suppressed", n=suppressed))


def mix_by(by: str):
    mix, hidden = charts.outcome_mix(data, by)
    if by == "event_kind" and len(mix):
        mix = mix.assign(group=mix["group"].map(lambda k: t(f"kind.{k}")))
    elif by == "target_group" and len(mix):
        mix = mix.assign(group=mix["group"].map(lambda g: t(f"target.{g}") if g != "-" else "-"))
    return mix, hidden


def durable():
    dur, hidden = charts.durability(data)
    return dur[dur["eligible"] > 0], hidden


section(t("dashboard.funnel"), "funnel", lambda: charts.funnel(data))
section(t("dashboard.mix"), "mix", mix_by,
        controls=lambda: st.radio(t("dashboard.mix_by"), ["event_kind", "event", "region", "target_group"],
                                  horizontal=True, format_func=lambda b: t(f"dashboard.by_{b}"), key="db_mix_by"))
series = {e.series_id: e.title for e in all_events if e.series_id}
if series:
    section(t("dashboard.trend"), "trend", lambda sid: charts.series_trend(data, sid),
            controls=lambda: st.selectbox(t("dashboard.series"), list(series), format_func=series.get, key="db_series"))
section(t("dashboard.employers"), "employers", lambda: charts.per_employer(data))
section(t("dashboard.regions_chart"), "regions", lambda: charts.per_region(data))
section(t("dashboard.durability"), "durability", durable)
section(t("dashboard.time_to_job"), "time_to_job", lambda: charts.time_to_job(data))


def responses():
    rates, hidden = charts.response_rate(data)
    return rates.assign(respondent=rates["respondent"].map(lambda r: t(f"survey.respondent.{r}"))), hidden


section(t("dashboard.responses"), "responses", responses)

st.divider()
title = ui.event_label(by_id[one]) if one else t("dashboard.title")
span = f"{start:%d-%m-%Y} – {end:%d-%m-%Y}" if start and end else t("report.all_time")
c1, c2 = st.columns(2)
ui.download(t("dashboard.report"), lambda d=data, title=title, span=span: reports.impact_report(d, title, span, lang),
            file_name=f"{t('report.file')}.pdf", mime="application/pdf", key="db_report", type="primary", where=c1)
# The same report as an accessible web page, for publishing (a PDF is not tagged).
ui.download(t("dashboard.report_html"),
            lambda d=data, title=title, span=span: reports.to_html(reports.build(d, title, span, lang)),
            file_name=f"{t('report.file')}.html", mime="text/html", key="db_report_html", where=c2)
