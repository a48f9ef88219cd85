"""The impact report per event or period: key figures, outcomes, employers, durability, response to
the follow-up surveys. Built from
the same suppressed aggregates as the dashboard, once, and written two ways: a printable PDF
(A4, 12 pt, document language and title set) and an accessible HTML page (headings, tables with
header cells and captions) for publishing on a municipal site, where EN 301 549 applies and a PDF
without tags would not pass."""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF, FontFace

from . import charts
from ..core.config import TZ
from ..dayof.exports import add_fonts, column_widths
from ..core.i18n import format_percent, translate


@dataclass
class Section:
    heading: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Report:
    title: str
    period: str
    sections: list[Section]
    note: str
    lang: str
    landscape: bool = False  # for tables of many columns


def build(data: charts.Data, title: str, period: str, lang: str = "nl") -> Report:
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    sections = []
    funnel, _ = charts.funnel(data)
    rows = []
    if len(funnel):
        base = max(int(funnel["people"].iloc[0]), 1)
        rows = [[t(f"stage.{s}"), str(n), format_percent(n / base, lang)] for s, n in zip(funnel["stage"], funnel["people"])]
    sections.append(Section(t("report.key_figures"), [t("chart.col.stage"), t("chart.col.people"), "%"], rows))

    mix, _ = charts.outcome_mix(data, "event_kind")
    totals = mix.groupby("best")["people"].sum() if len(mix) else {}
    rows = [[t(f"outcome.{k}"), str(int(totals[k]))] for k in charts.RANK if len(mix) and k in totals]
    sections.append(Section(t("dashboard.mix"), [t("chart.col.best"), t("chart.col.people")], rows))

    emp, _ = charts.per_employer(data)
    rows = [[str(r.employer), t("report.yes") if r.sroi else "", str(r.conversations), str(r.follow_up), str(r.hired)]
            for r in emp.head(8).itertuples()]
    sections.append(Section(t("report.employers"), [t("chart.col.employer"), t("chart.col.sroi"), t("chart.conversations"),
                                                    t("chart.follow_up"), t("chart.hired")], rows))

    dur, _ = charts.durability(data)
    rows = [[t(f"chart.m{int(r.months)}"), f"{int(r.still_employed)} / {int(r.eligible)}",
             format_percent(r.share, lang) if r.eligible else "-", str(int(r.ended)), str(int(r.unknown))]
            for r in dur.itertuples()]
    sections.append(Section(t("report.durability"), [t("chart.col.months"), t("chart.col.still_employed"),
                                                     t("chart.col.share"), t("chart.col.ended"),
                                                     t("chart.col.unknown")], rows))
    resp, _ = charts.response_rate(data)
    rows = [[t(f"survey.respondent.{r.respondent}"), f"{int(r.answered)} / {int(r.sent)}",
             format_percent(r.share, lang) if r.sent else "-"] for r in resp.itertuples()]
    sections.append(Section(t("report.responses"), [t("chart.col.respondent"), t("chart.col.answered"),
                                                    t("chart.col.share")], rows))
    note = t("report.generated", date=datetime.now(TZ).strftime("%d-%m-%Y"))
    return Report(f"{t('dashboard.report_title')}: {title}", period, sections, note, lang)


def to_pdf(report: Report) -> bytes:
    t = lambda key, **kw: translate(key, report.lang, **kw)  # noqa: E731
    pdf = FPDF(orientation="L" if report.landscape else "P", unit="mm", format="A4")
    add_fonts(pdf)
    pdf.set_lang(report.lang)
    pdf.set_title(report.title)
    pdf.set_creator("eventtool")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, report.title, new_x="LMARGIN", new_y="NEXT", align="L")  # a long title wraps
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 7, f"{t('report.period')}: {report.period}", new_x="LMARGIN", new_y="NEXT", align="L")
    for section in report.sections:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 14)
        pdf.multi_cell(0, 8, section.heading, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font("DejaVu", "", 12)
        if not section.rows:
            pdf.multi_cell(0, 7, t("dashboard.no_data"), new_x="LMARGIN", new_y="NEXT", align="L")
            continue
        widths = column_widths(pdf, section.headers, section.rows, usable)
        # fpdf2's table: long employer names wrap inside their cell instead of running over the numbers.
        with pdf.table(col_widths=widths, width=usable, text_align=["LEFT"] + ["RIGHT"] * (len(widths) - 1),
                       headings_style=FontFace(emphasis="BOLD", fill_color=(220, 230, 241)), line_height=6,
                       padding=(1, 1.5)) as table:
            table.row(section.headers)
            for values in section.rows:
                table.row(values)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 6, report.note, align="L")
    return bytes(pdf.output())


def to_html(report: Report) -> bytes:
    """A page that screen readers and a municipal website can use as it is: the language, a title,
    one h1, h2 per section, tables with a caption and header cells, nothing but text from us
    escaped, and print styles at 12 pt."""
    e = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="{e(report.lang)}">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(report.title)}</title>\n'
             "<style>body{font-family:system-ui,sans-serif;font-size:12pt;line-height:1.5;max-width:50rem;margin:1rem auto;"
             "padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;margin:0 0 1rem;width:100%}"
             "th,td{border:1px solid #555;padding:.3rem .5rem;text-align:left;vertical-align:top}"
             "td.n{text-align:right}caption{text-align:left;font-weight:bold;padding:.3rem 0}"
             "th{background:#dce6f1}@media print{body{font-size:12pt}}</style>\n</head>\n<body>\n<main>\n",
             f"<h1>{e(report.title)}</h1>\n<p>{e(translate('report.period', report.lang))}: {e(report.period)}</p>\n"]
    for section in report.sections:
        parts.append(f"<section>\n<h2>{e(section.heading)}</h2>\n")
        if not section.rows:
            parts.append(f"<p>{e(translate('dashboard.no_data', report.lang))}</p>\n</section>\n")
            continue
        head = "".join(f'<th scope="col">{e(h)}</th>' for h in section.headers)
        parts.append(f"<table>\n<caption>{e(section.heading)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n")
        for values in section.rows:
            cells = f'<th scope="row">{e(values[0])}</th>' + "".join(f'<td class="n">{e(v)}</td>' for v in values[1:])
            parts.append(f"<tr>{cells}</tr>\n")
        parts.append("</tbody>\n</table>\n</section>\n")
    parts.append(f"<p>{e(report.note)}</p>\n</main>\n</body>\n</html>\n")
    return "".join(parts).encode("utf-8")


def impact_report(data: charts.Data, title: str, period: str, lang: str = "nl") -> bytes:
    """The printable report (PDF)."""
    return to_pdf(build(data, title, period, lang))
