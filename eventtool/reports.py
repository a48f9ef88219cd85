"""A one-page printable impact report per event or period: key figures, outcomes, employers,
durability. Built from the same suppressed aggregates as the dashboard."""
from __future__ import annotations

from datetime import datetime

from fpdf import FPDF

from . import charts
from .config import TZ
from .exports import FONTS
from .i18n import translate


def impact_report(data: charts.Data, title: str, period: str, lang: str = "nl") -> bytes:
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{t('dashboard.report_title')} - {title}")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, f"{t('dashboard.report_title')}: {title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"{t('report.period')}: {period}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    def heading(text: str) -> None:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)

    def table(rows: list[list[str]], widths: list[float]) -> None:
        for i, row in enumerate(rows):
            pdf.set_font("DejaVu", "B" if i == 0 else "", 9)
            for value, w in zip(row, widths):
                pdf.cell(w, 6, value[:60], border=1)
            pdf.ln()

    heading(t("report.key_figures"))
    funnel, _ = charts.funnel(data)
    if len(funnel):
        base = max(int(funnel["people"].iloc[0]), 1)
        table([[t("chart.col.stage"), t("chart.col.people"), "%"]] +
              [[t(f"stage.{s}"), str(n), f"{100 * n / base:.0f}%"] for s, n in zip(funnel["stage"], funnel["people"])],
              [80, 30, 20])
    else:
        pdf.cell(0, 6, t("dashboard.no_data"), new_x="LMARGIN", new_y="NEXT")

    heading(t("dashboard.mix"))
    mix, _ = charts.outcome_mix(data, "event_kind")
    totals = mix.groupby("best")["people"].sum() if len(mix) else {}
    rows = [[t(f"outcome.{k}"), str(int(totals[k]))] for k in charts.RANK if len(mix) and k in totals]
    table([[t("chart.col.best"), t("chart.col.people")]] + rows, [100, 30]) if rows else \
        pdf.cell(0, 6, t("dashboard.no_data"), new_x="LMARGIN", new_y="NEXT")

    heading(t("report.employers"))
    emp, _ = charts.per_employer(data)
    rows = [[str(r.employer), "✓" if r.sroi else "", str(r.conversations), str(r.follow_up), str(r.hired)]
            for r in emp.head(8).itertuples()]
    table([[t("chart.col.employer"), t("chart.col.sroi"), t("chart.conversations"), t("chart.follow_up"),
            t("chart.hired")]] + rows, [80, 15, 30, 30, 30]) if rows else \
        pdf.cell(0, 6, t("dashboard.no_data"), new_x="LMARGIN", new_y="NEXT")

    heading(t("report.durability"))
    dur, _ = charts.durability(data)
    rows = [[t(f"chart.m{int(r.months)}"), f"{int(r.still_employed)} / {int(r.eligible)}",
             f"{100 * r.share:.0f}%" if r.eligible else "-"] for r in dur.itertuples()]
    table([[t("chart.col.months"), t("chart.col.still_employed"), t("chart.col.share")]] + rows, [60, 50, 30]) if rows \
        else pdf.cell(0, 6, t("dashboard.no_data"), new_x="LMARGIN", new_y="NEXT")

    pdf.ln(4)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 5, t("report.generated", date=datetime.now(TZ).strftime("%d-%m-%Y")))
    return bytes(pdf.output())
