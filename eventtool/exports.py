"""Attendance lists: rows per event, programme block or employer, written as CSV, Excel and a
printable PDF sign-in sheet.

Employer-facing lists never carry support needs or target-group status, whatever columns are asked
for. No cell ever becomes a formula: CSV cells starting with = + - @ tab or CR get a leading
apostrophe (OWASP), Excel cells are written as text.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import phonenumbers

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlmodel import Session, select

from .errors import DomainError, NotFound
from .events import get_event
from .i18n import translate
from .models import ArrivalSlot, Employer, Jobseeker, Meeting, ProgrammeBlock, Registration, SpeedmeetSettings
from .speedmeet import round_start
from .timeutil import fmt_local
from .vocab import Audience, RegStatus, TargetGroup

FONTS = Path(__file__).resolve().parent / "assets" / "fonts"
COLUMNS = ("name", "party", "email", "phone", "region", "school", "status", "arrival", "round", "time", "table",
           "checked_in", "support_needs", "target_group")
SENSITIVE = {"support_needs", "target_group"}
DEFAULT_COLUMNS = ("name", "party", "status", "arrival", "checked_in")


@dataclass
class Sheet:
    title: str
    subtitle: str
    columns: list[str]
    headers: list[str]
    rows: list[list[str]]


# A spreadsheet may split a cell at ',' or ';' whatever delimiter the file was written with (a ','
# file opened by Dutch Excel splits at ';'), so every piece that could become a cell is guarded.
_PIECES = re.compile(r"(^|[,;])(\s*)(?=[=+\-@\t\r])")


def neutralise(value: str) -> str:
    """OWASP CSV injection: no piece of a cell starts with = + - @ tab or CR, in any delimiter."""
    if not value:
        return value
    return _PIECES.sub(lambda m: f"{m.group(1)}{m.group(2)}'", value)


def readable_phone(e164: str | None) -> str:
    """A stored +316... number as people write it and spreadsheets keep as text: Dutch numbers in
    the national form (06 12345678), others with 00 instead of + (0049 30 1234567)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "NL")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "00" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)[1:]


def attendance(session: Session, event_id: int, *, columns: list[str] | None = None, block_id: int | None = None,
               employer_id: int | None = None, for_employer: bool = False, lang: str = "nl") -> Sheet:
    """The list for an event, one programme block, or one employer (who comes to talk to them)."""
    event = get_event(session, event_id)
    columns = [c for c in (columns or DEFAULT_COLUMNS) if c in COLUMNS]
    if not columns:
        raise DomainError("exports.no_columns", field="columns")
    if for_employer or employer_id is not None:
        columns = [c for c in columns if c not in SENSITIVE]
    slots = {s.id: s for s in session.exec(select(ArrivalSlot).where(ArrivalSlot.event_id == event_id))}
    regs = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.status != RegStatus.CANCELLED)).all()
    people = {j.id: j for j in session.exec(select(Jobseeker).where(
        Jobseeker.id.in_([r.jobseeker_id for r in regs if r.jobseeker_id])))}
    orgs = {e.id: e for e in session.exec(select(Employer).where(
        Employer.id.in_([r.employer_id for r in regs if r.employer_id])))}
    subtitle = f"{fmt_local(event.starts_at)} · {', '.join(p for p in (event.venue_name, event.city) if p)}"
    meetings: dict[int, list[Meeting]] = {}
    settings = session.get(SpeedmeetSettings, event_id)

    selected = list(regs)
    if block_id is not None:
        block = session.get(ProgrammeBlock, block_id)
        if block is None or block.event_id != event_id:
            raise NotFound("block.not_found")
        subtitle += f" · {block.title}"

        def in_block(r: Registration) -> bool:
            if block.audience == Audience.EVERYONE:
                return True
            if block.audience == Audience.EMPLOYERS:
                return r.employer_id is not None
            if r.jobseeker_id is None:
                return False
            person = people[r.jobseeker_id]
            pupil = bool(person.school) or person.target_group == TargetGroup.PRACTICAL_SCHOOL
            return pupil if block.audience == Audience.PUPILS else True
        selected = [r for r in selected if in_block(r)]
    if employer_id is not None:
        if employer_id not in orgs:
            raise NotFound("registration.not_found")
        subtitle += f" · {orgs[employer_id].organisation}"
        own = session.exec(select(Meeting).where(Meeting.event_id == event_id, Meeting.employer_id == employer_id)
                           .order_by(Meeting.round)).all()
        if own and settings is not None:
            for m in own:
                meetings.setdefault(m.jobseeker_id, []).append(m)
            selected = [r for r in selected if r.jobseeker_id in meetings]
        else:
            selected = [r for r in selected if r.jobseeker_id and employer_id in r.picks]
        selected = [r for r in selected if r.status == RegStatus.CONFIRMED]

    rows = []
    for r in selected:
        js = people.get(r.jobseeker_id) if r.jobseeker_id else None
        org = orgs.get(r.employer_id) if r.employer_id else None
        slot = slots.get(r.arrival_slot_id)
        own_meetings = meetings.get(r.jobseeker_id, [None]) if employer_id is not None else [None]
        for m in own_meetings:
            value = {
                "name": js.name if js else f"{org.organisation} ({org.contact_name})",
                "party": translate(f"party.{'jobseeker' if js else 'employer'}", lang),
                "email": (js.email if js else org.email) or "",
                "phone": readable_phone(js.phone if js else org.phone),
                "region": (js.region if js else org.region) or "",
                "school": (js.school or "") if js else "",
                "status": translate(f"status.{r.status}", lang),
                "arrival": fmt_local(slot.starts_at, with_date=False) if slot else "",
                "round": str(m.round + 1) if m else "",
                "time": fmt_local(round_start(settings, m.round), with_date=False) if m and settings else "",
                "table": str(m.table_no) if m else "",
                "checked_in": fmt_local(r.checked_in_at, with_date=False) if r.checked_in_at else "",
                "support_needs": ", ".join(translate(f"need.{n}", lang) for n in js.support_needs) if js else "",
                "target_group": translate(f"target.{js.target_group}", lang) if js and js.target_group else "",
            }
            rows.append([value[c] for c in columns])
    sort_key = columns.index("time") if "time" in columns else 0
    rows.sort(key=lambda row: (row[sort_key], row[0].casefold()))
    headers = [translate(f"exports.col.{c}", lang) for c in columns]
    return Sheet(event.title, subtitle, columns, headers, rows)


def to_csv(sheet: Sheet, delimiter: str = ",") -> bytes:
    """UTF-8 with BOM so Excel reads accents right; ';' for Dutch Excel."""
    if delimiter not in (",", ";"):
        raise DomainError("exports.bad_delimiter")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheet: Sheet) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Presentielijst"
    ws.append([])  # header row filled below, typed as text
    for col, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row=1, column=col)
        cell.value = header
        cell.data_type = "s"
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(vertical="center")
    for r, row in enumerate(sheet.rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # text, never a formula, whatever it starts with
    for c, header in enumerate(sheet.headers, start=1):
        width = max([len(header)] + [len(row[c - 1]) for row in sheet.rows[:500]]) + 2
        ws.column_dimensions[get_column_letter(c)].width = min(width, 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(sheet.headers), 1))}{max(len(sheet.rows) + 1, 1)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _SignInPDF(FPDF):
    def __init__(self, sheet: Sheet, lang: str):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.sheet, self.lang = sheet, lang
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(f"{translate('exports.signin_title', lang)} - {sheet.title}")

    def header(self):
        self.set_font("DejaVu", "B", 14)
        self.cell(0, 8, f"{translate('exports.signin_title', self.lang)}: {self.sheet.title}", new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 10)
        self.cell(0, 6, self.sheet.subtitle, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="R")


LINE = 5  # mm per text line in the sign-in sheet
MIN_ROW = 9  # mm: room to sign


def _pdf_row(pdf: FPDF, values: list[str], widths: list[float], *, heading: bool = False) -> None:
    """One table row; cells wrap only when their text does not fit (cheap for the usual case)."""
    lines = [pdf.multi_cell(w - 2, LINE, v, dry_run=True, output="LINES") if pdf.get_string_width(v) > w - 2 else [v]
             for v, w in zip(values, widths)]
    height = max(MIN_ROW, LINE * max(len(ls) for ls in lines) + 3)
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
        if not heading:
            pdf.heading_row()
    x, y = pdf.l_margin, pdf.get_y()
    for value, width, ls in zip(values, widths, lines):
        pdf.rect(x, y, width, height, style="DF" if heading else "D")
        pdf.set_xy(x + 1, y + (height - LINE * len(ls)) / 2)
        if len(ls) > 1:
            pdf.multi_cell(width - 2, LINE, value)
        else:
            pdf.cell(width - 2, LINE, value)
        x += width
    pdf.set_xy(pdf.l_margin, y + height)


def to_pdf(sheet: Sheet, lang: str = "nl") -> bytes:
    """A printable presentielijst: the columns asked for plus a signature column, the heading row
    repeated on every page."""
    pdf = _SignInPDF(sheet, lang)
    pdf.set_auto_page_break(auto=False)
    headers = sheet.headers + [translate("exports.signature", lang)]
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    sig = 45
    widths = [(usable - sig) / max(len(sheet.headers), 1)] * len(sheet.headers) + [sig]

    def heading_row():
        pdf.set_font("DejaVu", "B", 9)
        pdf.set_fill_color(220, 230, 241)
        _pdf_row(pdf, headers, widths, heading=True)
        pdf.set_font("DejaVu", "", 9)
    pdf.heading_row = heading_row
    pdf.add_page()
    heading_row()
    for row in sheet.rows:
        _pdf_row(pdf, row + [""], widths)
    return bytes(pdf.output())


FILE_TYPES = {
    "csv": ("text/csv", "csv"),
    "csv;": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def file_type(fmt: str) -> tuple[str, str]:
    """(mime type, file extension) for 'csv', 'csv;' (semicolons), 'xlsx' or 'pdf'."""
    if fmt not in FILE_TYPES:
        raise DomainError("exports.bad_format")
    return FILE_TYPES[fmt]


def export(sheet: Sheet, fmt: str, lang: str = "nl") -> tuple[bytes, str, str]:
    """(content, mime type, file extension)."""
    mime, ext = file_type(fmt)
    if fmt == "xlsx":
        content = to_xlsx(sheet)
    elif fmt == "pdf":
        content = to_pdf(sheet, lang)
    else:
        content = to_csv(sheet, ";" if fmt == "csv;" else ",")
    return content, mime, ext


def filename(sheet: Sheet, ext: str, now: datetime | None = None) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in sheet.title.lower()).strip("-")[:40] or "lijst"
    return f"presentielijst-{safe}.{ext}"


def table_sheet(title: str, headers: list[str], rows: list[list]) -> Sheet:
    """Any table of numbers (the dashboard's) as a Sheet, every value as text."""
    return Sheet(title, "", headers, headers, [["" if v is None else str(v) for v in row] for row in rows])
