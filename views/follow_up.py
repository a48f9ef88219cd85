"""Opvolging: what comes of the events. Whom to call this week about a job that should have
lasted 6 or 12 months, survey answers that contradict each other, the response per event, and the
Banenafspraak/SROI report per employer and period."""
from datetime import date

import pandas as pd
import streamlit as st

import ui
from eventtool.dayof import exports
from eventtool.core.i18n import format_number, format_percent
from eventtool.results import banenafspraak, durability, surveys

t = ui.t
ui.guard("views/follow_up.py")
db = ui.get_db()
user = ui.current_user()
lang = ui.lang()
FORM = "follow"
SHOWN = 40  # work-list rows with buttons; the whole list is in the download
st.title(t("follow.title"))
st.caption(t("follow.intro"))

found = db.read(durability.overall)
st.markdown(t("follow.figures", placed=t("count.people", n=found.placed), e6=found.employed[6], c6=found.checked[6],
              u6=found.unknown[6], e12=found.employed[12], c12=found.checked[12], u12=found.unknown[12]))
ui.form_error_summary(FORM)


def wave_label(code: str) -> str:
    """'3 maanden' for the usual moments; a moment set otherwise (EVENTTOOL_SURVEY_WAVES) as it is written."""
    label = t(f"survey.wave.{code}")
    return code if label == f"survey.wave.{code}" else label


def record(jobseeker_id: int, months: int, employed: bool) -> None:
    """Bound to the person and moment of the row it was drawn on."""
    ui.run(FORM, durability.record_check, jobseeker_id, months, employed, user["email"])
    if not ui.errors(FORM):
        st.session_state.flash = "follow.saved"


def keep(outcome_id: int, shown: list[int]) -> None:
    """Bound to the answer chosen and the answers shown beside it."""
    ui.run(FORM, surveys.settle, outcome_id, shown, user["email"])
    if not ui.errors(FORM):
        st.session_state.flash = "follow.settled"


work_tab, conflict_tab, response_tab, ba_tab = ui.tabs("follow_tab", [
    t("follow.tab.work"), t("follow.tab.conflicts"), t("follow.tab.responses"), t("follow.tab.banenafspraak")])

with work_tab:
    if work_tab.open:
        st.caption(t("follow.work_intro"))
        rows = db.read(durability.work_list)
        ui.log_view("view.follow_up_calls")
        if not rows:
            st.info(t("follow.work_none"))
        for row in rows[:SHOWN]:
            with st.container(border=True):
                line = t("follow.work_item", name=ui.plain(row["name"]), employer=ui.plain(row["employer"] or "-"),
                         started=f"{row['started']:%d-%m-%Y}", months=row["months"], moment=f"{row['moment']:%d-%m-%Y}")
                st.markdown(f"**{line}**" + (f" · {t('follow.overdue')}" if row["overdue"] else ""))
                contact = ", ".join(c for c in (row["phone"], row["email"]) if c)
                if contact:
                    st.caption(t("follow.contact", contact=ui.plain(contact)))
                if row["coach"]:
                    st.caption(t("follow.coach", coach=ui.plain(row["coach"])))
                c1, c2 = st.columns(2)
                person, months = row["jobseeker_id"], row["months"]
                c1.button(t("follow.still"), key=f"follow_still_{person}_{months}", on_click=record,
                          args=(person, months, True))
                c2.button(t("follow.ended"), key=f"follow_ended_{person}_{months}", on_click=record,
                          args=(person, months, False))
        if len(rows) > SHOWN:
            st.info(t("follow.more", n=len(rows) - SHOWN))
        if rows:
            headers = [t("ba.col.name"), t("ba.col.employer"), t("ba.col.started"), t("chart.col.months"),
                       t("follow.col.date"), t("follow.col.phone"), t("follow.col.email"), t("follow.col.coach")]
            sheet = exports.table_sheet(t("follow.tab.work"), headers, [
                [r["name"], r["employer"], r["started"], r["months"], r["moment"], exports.readable_phone(r["phone"]),
                 r["email"], r["coach"]] for r in rows], lang)
            ui.download(t("follow.download_work"), lambda: exports.to_xlsx(sheet, lang),
                        file_name=f"{t('follow.work_file')}.xlsx", key="follow_work_xlsx",
                        audit_as=("export.follow_up_calls", ""))

with conflict_tab:
    if conflict_tab.open:
        st.caption(t("follow.conflicts_intro"))
        found_conflicts = db.read(surveys.conflicts)
        if not found_conflicts:
            st.info(t("follow.conflicts_none"))
        for c in found_conflicts:
            with st.container(border=True):
                st.markdown("**" + t("follow.conflict_item", name=ui.plain(c.jobseeker), employer=ui.plain(c.employer),
                                     event=ui.plain(c.event_title), wave=wave_label(c.wave)) + "**")
                shown = [claim.outcome_id for claim in c.claims]
                for claim in c.claims:
                    c1, c2 = st.columns([3, 1])
                    words = dict(source=t(f"outcomes.source_{claim.source}"), kind=t(f"outcome.{claim.kind}"),
                                 date=ui.plain(f"{claim.occurred_on:%d-%m-%Y}"))
                    c1.write(t("follow.claim_hours", hours=f"{claim.hours_per_week:g}", **words)
                             if claim.hours_per_week else t("follow.claim", **words))
                    c2.button(t("follow.keep"), key=f"follow_keep_{claim.outcome_id}", on_click=keep,
                              args=(claim.outcome_id, shown))

with response_tab:
    if response_tab.open:
        rates = db.read(surveys.response_rates)
        if not rates:
            st.info(t("follow.responses_none"))
        else:
            ui.table(pd.DataFrame([{
                t("follow.col.event"): r["event"], t("follow.col.date"): f"{r['starts_at']:%d-%m-%Y}",
                t("follow.col.wave"): wave_label(r["wave"]),
                t("follow.col.respondent"): t(f"survey.respondent.{r['respondent']}"),
                t("follow.col.sent"): r["sent"], t("follow.col.answered"): r["answered"],
                t("follow.col.rate"): format_percent(r["rate"], lang) if r["rate"] is not None else "-"} for r in rates]))

with ba_tab:
    if ba_tab.open:
        st.caption(t("follow.ba_intro"))
        c1, c2 = st.columns(2)
        start = c1.date_input(t("follow.ba_start"), value=date(date.today().year, 1, 1), format="DD-MM-YYYY",
                              key="follow_ba_start")
        end = c2.date_input(t("follow.ba_end"), value=date.today(), format="DD-MM-YYYY", key="follow_ba_end")
        employers = {e["employer_id"]: e["organisation"] for e in db.read(banenafspraak.employers_with_results)}
        employer_id = st.selectbox(t("follow.ba_employer"), list(employers), index=None, format_func=employers.get,
                                   key="follow_ba_employer", placeholder=t("follow.ba_all"))
        fmt = st.radio(t("follow.ba_format"), ["xlsx", "pdf", "csv;"], horizontal=True, key="follow_ba_format",
                       format_func=lambda f: {"xlsx": "Excel", "pdf": "PDF", "csv;": "CSV"}[f])
        if start and end:
            rep = ui.run(FORM, banenafspraak.report, start, end, employer_id, write=False)
            if rep is not None:
                totals = rep.totals()
                st.write(t("follow.ba_summary", jobs=t("count.jobs", n=totals["jobs"]),
                           units=format_number(totals["units"], lang, 2),
                           placements=t("follow.ba_placements", n=totals["placements"])))
                mime, ext = exports.file_type(fmt)
                ui.download(t("follow.ba_download"),
                            lambda: db.read(banenafspraak.download, start, end, fmt, employer_id=employer_id,
                                            lang=lang)[0],
                            file_name=f"{t('follow.ba_file')}-{start:%Y%m%d}-{end:%Y%m%d}.{ext}", mime=mime,
                            key="follow_ba_download", type="primary",
                            audit_as=("export.banenafspraak", str(employer_id or "")))
