"""Attendance lists: rows per event, programme block or employer, written as CSV, Excel and a
printable PDF sign-in sheet.

Employer-facing lists never carry support needs or target-group status, whatever columns are asked
for. No cell ever becomes a formula: CSV cells starting with = + - @ tab or CR get a leading
apostrophe (OWASP), Excel cells are written as text.
"""
from __future__ import annotations

import bisect
import csv
import io
import math
import re
import unicodedata
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from itertools import accumulate
from numbers import Number
from pathlib import Path

import phonenumbers

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlmodel import Session, select

from ..core.collation import name_key, text_key
from ..core.errors import DomainError, NotFound
from ..events.events import get_event
from ..core.i18n import format_number, translate
from ..events.models import ArrivalSlot, Meeting, ProgrammeBlock, SpeedmeetSettings
from ..people.models import Employer, Jobseeker
from ..registration.models import Registration
from ..registration.registration import companion_label
from ..planning.speedmeet import round_start
from ..core.timeutil import fmt_local, to_local
from ..core.vocab import Audience, RegStatus, TargetGroup

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
COLUMNS = ("name", "party", "companion", "email", "phone", "region", "school", "status", "arrival", "round", "time", "table",
           "checked_in", "support_needs", "target_group")
SENSITIVE = {"support_needs", "target_group"}
# Who comes along (a jobcoach, an interpreter) stands on the person's own row: they arrive together.
DEFAULT_COLUMNS = ("name", "party", "companion", "status", "arrival", "checked_in")


# Columns a spreadsheet gets as real numbers and times (CSV and PDF show the same text).
NUMBER_COLUMNS = {"round", "table"}
TIME_COLUMNS = {"arrival", "time", "checked_in"}


@dataclass
class Sheet:
    title: str
    subtitle: str
    columns: list[str]
    headers: list[str]
    rows: list[list[str]]
    # When the event starts: on the sheet, in headers and footers, and in the file name.
    starts_at: datetime | None = None
    # (label, number of rows) per section, in order: jobseekers first, then employers.
    sections: list[tuple[str, int]] = field(default_factory=list)
    # Further columns whose values are numbers (a dashboard table's counts and shares).
    numeric: frozenset[str] = frozenset()


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

    keyed = []
    for r in selected:
        js = people.get(r.jobseeker_id) if r.jobseeker_id else None
        org = orgs.get(r.employer_id) if r.employer_id else None
        slot = slots.get(r.arrival_slot_id)
        own_meetings = meetings.get(r.jobseeker_id, [None]) if employer_id is not None else [None]
        # Jobseekers by surname (Dutch collation), then employers in their own section.
        who = (0, name_key(js.name)) if js else (1, text_key(org.organisation))
        for m in own_meetings:
            value = {
                "name": js.name if js else f"{org.organisation} ({org.contact_name})",
                "party": translate(f"party.{'jobseeker' if js else 'employer'}", lang),
                "companion": companion_label(r.companion, r.companion_name, lang),
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
            # An employer's speedmeet list reads in the order of the day.
            when = m.round if m is not None and "time" in columns else -1
            keyed.append(((who[0], when, who[1]), [value[c] for c in columns]))
    keyed.sort(key=lambda pair: pair[0])
    rows = [row for _, row in keyed]
    employers = sum(1 for key, _ in keyed if key[0] == 1)
    sections = [(translate(f"exports.section_{party}", lang), n)
                for party, n in (("jobseekers", len(rows) - employers), ("employers", employers)) if n]
    headers = [translate(f"exports.col.{c}", lang) for c in columns]
    return Sheet(event.title, subtitle, columns, headers, rows, starts_at=event.starts_at, sections=sections)


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


def csv_delimiter(lang: str) -> str:
    """What a spreadsheet in that language splits on when it opens a CSV: Dutch Excel and
    LibreOffice use ';' (the comma is their decimal sign), English ones ','."""
    return ";" if lang == "nl" else ","


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a code in Excel's header and footer


def _typed(column: str, value: str, numeric: frozenset[str] = frozenset()):
    """The cell value a spreadsheet can count and sort: numbers as numbers, times as times."""
    if not value:
        return None
    if column in NUMBER_COLUMNS and value.isdigit():
        return int(value)
    if column in numeric:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            return value
        return int(number) if number.is_integer() and "." not in value and "," not in value else number
    if column in TIME_COLUMNS and re.fullmatch(r"\d{2}:\d{2}", value):
        return time(int(value[:2]), int(value[3:]))
    return value


# Printing an Excel list: A4 landscape, text at 12 pt, never printed under 10 pt (the house rule for
# prints). A list that fits the page width at 84% or more (12 pt x 0.84 = 10.1 pt) is fitted to the
# width by the office program; a wider one prints at 84% over two (or more) pages across, with the
# heading row and the name column on each: fit-to-width alone has no floor (all 15 columns printed
# at about 4 pt).
PRINT_WIDTH_PT = 842 - 2 * 0.5 * 72  # A4 landscape less the left and right margins (0.5 inch each)
BODY_PT = 12
MIN_SCALE = math.ceil(100 * 10 / BODY_PT)  # 84


def _printed_width(width: float) -> float:
    """At most a column's width in pt on paper at 100%. Its width counts characters of the Normal
    style's font: Excel's Calibri 11 is 7 px (5.25 pt) a digit; LibreOffice without Calibri uses
    DejaVu, 7 pt a digit. The larger, so that a list said to fit at 84% fits in both."""
    return width * 7 + 4


def fits_across(widths: list[float]) -> bool:
    """The columns fit one page width at MIN_SCALE or more."""
    return sum(map(_printed_width, widths)) * MIN_SCALE / 100 <= PRINT_WIDTH_PT


def to_xlsx(sheet: Sheet, lang: str = "nl") -> bytes:
    """A list that prints right: the event's name and date above the table, landscape A4 fitted to
    the page width as long as the text stays 10 pt or more (`print_scale`), wider lists over two
    pages across with the heading row and the name column on each, a header and footer with the
    event, the date and 'page x of y', 12 pt text. Numbers and times are real cells; text is never
    a formula, whatever it starts with."""
    wb = Workbook()
    ws = wb.active
    ws.title = translate("exports.sheet_name", lang)[:31]
    width = max(len(sheet.headers), 1)
    day = sheet.starts_at and fmt_local(sheet.starts_at)
    ws.append([sheet.title])
    ws.append([sheet.subtitle])
    for row, size in ((1, 14), (2, 12)):
        cell = ws.cell(row=row, column=1)
        cell.data_type = "s"
        cell.font = Font(bold=row == 1, size=size)
    head = 3
    for col, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row=head, column=col)
        cell.value = header
        cell.data_type = "s"
        cell.font = Font(bold=True, color="FFFFFF", size=BODY_PT)
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    # One style per kind of cell, set once and copied: openpyxl looks a Font up by hashing it, which
    # took half the time of a 10,000-row list when done per cell. Body text wraps in its cell from the
    # top: a value wider than its column (support needs, a school) is printed in full, not cut where
    # the next cell begins (the office program makes the row as high as it needs).
    styles: dict[bool, object] = {}
    body, wrap = Font(size=BODY_PT), Alignment(wrap_text=True, vertical="top")
    kinds = [column in TIME_COLUMNS for column in sheet.columns]
    for r, row in enumerate(sheet.rows, start=head + 1):
        for c, (column, value, is_time) in enumerate(zip(sheet.columns, row, kinds), start=1):
            if not value:
                continue  # an empty cell is left out (a list has empty columns: no arrival times yet)
            cell = ws.cell(row=r, column=c)
            typed = _typed(column, value, sheet.numeric)
            cell.value = typed
            if isinstance(typed, str):
                cell.data_type = "s"  # text, never a formula
            if is_time not in styles:
                cell.font, cell.alignment = body, wrap
                if is_time:
                    cell.number_format = "hh:mm"
                styles[is_time] = cell._style
            else:
                cell._style = copy(styles[is_time])
    # Widths in characters from every row (~10 ms for 10,000 rows of 15 columns), at most 50: a longer
    # value wraps.
    widths = []
    for c, header in enumerate(sheet.headers):
        longest = max(len(header), max((len(row[c]) for row in sheet.rows), default=0)) + 2
        widths.append(min(longest * 1.1, 50))
        ws.column_dimensions[get_column_letter(c + 1)].width = widths[-1]
    last = get_column_letter(width)
    ws.freeze_panes = f"A{head + 1}"
    ws.auto_filter.ref = f"A{head}:{last}{max(len(sheet.rows) + head, head)}"
    # Print setup.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_title_rows = f"{head}:{head}"
    if fits_across(widths):  # the office program picks the scale: 84% or more, as the width needs
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = MIN_SCALE
        # Pages across, each with the name column at its left (or the first, in a list without names).
        name = get_column_letter(sheet.columns.index("name") + 1 if "name" in sheet.columns else 1)
        ws.print_title_cols = f"{name}:{name}"
        ws.page_setup.pageOrder = "overThenDown"  # a person's columns on pages side by side
    ws.print_options.gridLines = True
    ws.print_options.horizontalCentered = True
    for part, text in ((ws.oddHeader.left, sheet.title), (ws.oddHeader.right, day or ""),
                       (ws.oddFooter.right, translate("exports.page_of", lang, page="&P", pages="&N")),
                       (ws.oddFooter.left, translate("exports.signin_title", lang))):
        part.text = text if part is ws.oddFooter.right else _header_text(text)
        part.size = BODY_PT  # scaled with the sheet: 10 pt at least on paper
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _SignInPDF(FPDF):
    """A4 landscape, 12 pt, heading and page number outside the table's room on every page. Both
    are written by `_Writer` as the table is: fpdf's cell() takes ~0.2 ms, three a page."""

    def __init__(self, sheet: Sheet, lang: str, orientation: str = "L"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.lang = lang
        self._heading: tuple[list[str], list[str]] | None = None
        add_fonts(self)
        # What is laid out and printed: a '?' for each character no font has (`printable`).
        self.sheet = _printable_sheet(sheet, shown_characters(self))
        self.set_lang(lang)
        self.set_title(f"{translate('exports.signin_title', lang)} - {sheet.title}")
        self.set_creator("eventtool")
        # The table stops 18 mm above the paper's edge; the page number sits in that margin.
        self.set_auto_page_break(auto=True, margin=18)
        # 'Pagina x van y' is written with y known: the table is laid out before it is drawn.
        self.alias_nb_pages(None)
        self.total_pages = 0
        self.measure, self.writer = _Measure(self), _Writer(self)

    def heading_lines(self) -> tuple[list[str], list[str]]:
        """The title (16 pt bold) and the event's date and place (12 pt), wrapped once."""
        if self._heading is None:
            room = self.w - self.l_margin - self.r_margin - 2 * self.c_margin
            title = f"{translate('exports.signin_title', self.lang)}: {self.sheet.title}"
            # 16 pt: a line as wide as 12/16 of the room at 12 pt
            self._heading = (_wrap(self.measure, title, room * FONT_PT / 16, "B", max_lines=None),
                             _wrap(self.measure, self.sheet.subtitle, room, max_lines=None))
        return self._heading

    def heading_height(self) -> float:
        title, subtitle = self.heading_lines()
        return 8 * len(title) + 6 * len(subtitle) + 2

    def header(self):
        title, subtitle = self.heading_lines()
        writer, x, y = self.writer, self.l_margin + self.c_margin, self.t_margin
        writer.font("B", 16)
        for line in title:
            writer.text(x, y + 4 + 0.3 * 16 / self.k, line, "B")  # as fpdf's cell(0, 8) sets it
            y += 8
        writer.font("", FONT_PT)
        for line in subtitle:
            writer.text(x, y + 3 + 0.3 * FONT_PT / self.k, line, "")
            y += 6
        writer.flush()
        self.set_y(y + 2)

    def footer(self):
        text = translate("exports.page_of", self.lang, page=self.page_no(), pages=self.total_pages)
        self.writer.font("", FONT_PT)
        x = self.w - self.r_margin - self.c_margin - self.measure.width(text)
        self.writer.text(x, self.h - 13 + 3 + 0.3 * FONT_PT / self.k, text, "")
        self.writer.flush()


def add_fonts(pdf: FPDF) -> None:
    """DejaVu Sans for text, with Symbola behind it for emoji and symbols DejaVu lacks (a name
    with 🙂 keeps it)."""
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font("Symbola", "", str(FONTS / "Symbola-emoji.ttf"))
    pdf.set_fallback_fonts(["Symbola"], exact_match=False)


_SHOWN: dict[str, frozenset[str]] = {}  # the characters the fonts have, read once a process


def shown_characters(pdf: FPDF | None = None) -> frozenset[str]:
    """The characters the sign-in sheet can print: DejaVu Sans's and the fallback Symbola's (from
    `pdf`'s fonts, or fonts loaded for the purpose the first time)."""
    if "" not in _SHOWN:
        if pdf is None:
            pdf = FPDF()
            add_fonts(pdf)
        _SHOWN[""] = frozenset(chr(c) for font in ("dejavu", "symbola") for c in pdf.fonts[font].cmap)
    return _SHOWN[""]


def printable(text: str, shown: frozenset[str]) -> str:
    """`text` as the PDF can print it: a character no font has (Chinese, an emoji newer than
    Symbola's: 🦽) becomes '?' (fpdf printed nothing there), an invisible one it lacks (a variation
    selector, a joiner) is left out; whitespace stays."""
    if (text.isascii() and text.isprintable()) or all(c in shown or c.isspace() for c in text):
        return text
    return "".join(c if c in shown or c.isspace() else "" if unicodedata.category(c) in ("Cf", "Mn", "Me") else "?"
                   for c in text)


def _printable_sheet(sheet: Sheet, shown: frozenset[str]) -> Sheet:
    done: dict[str, str] = {}  # a list repeats its statuses, regions and times

    def fix(text: str) -> str:
        if text not in done:
            done[text] = printable(text, shown)
        return done[text]
    return replace(sheet, title=fix(sheet.title), subtitle=fix(sheet.subtitle), headers=[fix(h) for h in sheet.headers],
                   rows=[[fix(v) for v in row] for row in sheet.rows],
                   sections=[(fix(label), n) for label, n in sheet.sections])


def unprintable(sheet: Sheet) -> list[str]:
    """Per person whose row holds a character the PDF shows as '?', in the sheet's order: their name
    (or the text itself, in a list without names). The download page names them before the PDF is
    made: the Excel and CSV lists have them as typed."""
    shown = shown_characters()
    name = sheet.columns.index("name") if "name" in sheet.columns else None
    found: dict[str, None] = {}
    for row in sheet.rows:
        for value in row:
            if printable(value, shown).count("?") > value.count("?"):
                found[row[name] if name is not None else value] = None
                break
    return list(found)


SIGN_ROW = 11  # mm: room to sign
PADDING = 1.5  # mm left and right in a cell
V_PADDING = 1  # mm above and below a cell's text
LINE_HEIGHT = 6  # mm per line of text in a cell
HEADING_FILL = (220, 230, 241)  # the heading row
SECTION_FILL = (242, 242, 242)  # "Werkzoekenden (45)", "Werkgevers (3)"
SIGNATURE = 45  # mm: the signature column, on the right of every person's rows
MIN_COLUMN = 12  # mm of text at least in a column
WORD_CAP = 50  # mm: a longer word (an e-mail address, a name without spaces) wraps inside its column
MAX_LINES = 4  # lines of one cell at most: a longer text ends in '…' (a person's rows stay on one page)
FONT_PT = 12  # the house rule for sign-in sheets: 12 pt at least, everywhere on the sheet


def column_widths(pdf: FPDF, headers: list[str], rows: list[list[str]], room: float) -> list[float]:
    """Widths that fit each column's longest word (so no word is broken: an e-mail address or
    'Noordoost-Brabant' stays whole), with the room left shared by how much longer the
    columns' whole texts are. Every distinct word and text is measured (`_widest`: the widest, not
    the one with most characters). (The impact report's tables; the sign-in sheet has its own, see
    `sign_in_layout`.)"""
    measure = _Measure(pdf)
    pad = 2 * PADDING + 0.5
    shortest, natural = [], []
    for c, header in enumerate(headers):
        cells = [row[c] for row in rows]
        head_word = _widest(measure, header.split(), "B") + pad
        shortest.append(max(head_word, _widest(measure, (w for cell in cells for w in cell.split())) + pad, 12))
        natural.append(max(shortest[-1], _widest(measure, cells) + pad))
    pdf.set_font("DejaVu", "", FONT_PT)  # the report's table is set in it
    return _share(shortest, natural, room)


def _widest(measure: _Measure, texts, style: str = "") -> float:
    """The width of the widest of `texts`, each distinct one measured once, in the order given (a
    per-character table: ~1 µs a word, so all of a 10,000-row list's, whatever PYTHONHASHSEED; the
    one with most characters need not be the widest: 'Illijlii07' and 'WMWMWMWMWM')."""
    width = measure.width
    return max(map(lambda text: width(text, style), dict.fromkeys(texts)), default=0)


def _share(shortest: list[float], natural: list[float], room: float) -> list[float]:
    """Column widths in `room`: each its natural width and the rest shared evenly when all fit,
    else each its shortest and the room left shared by how much longer its whole texts are."""
    if not shortest:
        return []
    if sum(natural) <= room:  # everything fits on one line: share what is left evenly
        return [w + (room - sum(natural)) / len(natural) for w in natural]
    if sum(shortest) >= room:  # too many columns for the paper: shrink them alike
        return [w * room / sum(shortest) for w in shortest]
    extra = [n - m for n, m in zip(natural, shortest)]
    return [m + (room - sum(shortest)) * e / sum(extra) for m, e in zip(shortest, extra)]


class _Measure:
    """String widths in mm at 12 pt, from a per-character table filled as characters are first
    seen (fpdf's get_string_width takes ~30 µs a call; a character DejaVu lacks is measured in
    the fallback font, as fpdf sets it)."""

    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        self.tables: dict[str, dict[str, float]] = {"": {}, "B": {}}

    def width(self, text: str, style: str = "") -> float:
        table = self.tables[style]
        try:
            return sum(map(table.__getitem__, text))
        except KeyError:
            self.pdf.set_font("DejaVu", style, FONT_PT)
            for c in [c for c in dict.fromkeys(text) if c not in table]:  # in the text's order
                table[c] = self.pdf.get_string_width(c)
            return sum(map(table.__getitem__, text))

    def fits(self, text: str, room: float, style: str = "") -> int:
        """How many characters from the start of `text` fit in `room` (at least one)."""
        self.width(text, style)
        return max(1, bisect.bisect_right(list(accumulate(map(self.tables[style].__getitem__, text))), room))


# Where a word wider than its column may break: after a hyphen, slash, dot, @, underscore or the like
# (an e-mail address breaks at its dots and @, a double surname at its hyphen).
_SOFT_BREAK = re.compile(r"(?<=[-‐/_@.,;:+)])")


def _wrap(measure: _Measure, text: str, room: float, style: str = "", max_lines: int | None = MAX_LINES) -> list[str]:
    """Lines of at most `room` mm, broken between words; a word wider than the whole column breaks
    after a hyphen, dot, @ or slash in it, and only where it has none between two letters. A line
    break in the text starts a new line. More than `max_lines` lines: the last one ends in '…'."""
    lines = [line for part in text.split("\n") for line in _wrap_paragraph(measure, part, room, style)]
    if max_lines and len(lines) > max_lines:
        last = lines[max_lines - 1]
        keep = measure.fits(last, room - measure.width("…", style), style)
        lines = lines[:max_lines - 1] + [last[:keep].rstrip() + "…"]
    return lines


def _wrap_paragraph(measure: _Measure, text: str, room: float, style: str) -> list[str]:
    width = measure.width
    if width(text, style) <= room:
        return [text]
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if width(candidate, style) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        if width(word, style) <= room:
            continue
        line = ""
        for piece in _SOFT_BREAK.split(word):
            if width(line + piece, style) <= room:
                line += piece
                continue
            if line:
                lines.append(line)
            while width(piece, style) > room and len(piece) > 1:  # the last resort: between two letters
                cut = measure.fits(piece, room, style)
                lines.append(piece[:cut])
                piece = piece[cut:]
            line = piece
    lines.append(line)
    return lines


@dataclass
class SignInLayout:
    """The sign-in sheet's columns, per line of a person's rows: `lines[0]` on the first line (the
    name first), the columns that do not fit beside them on a second line, and so on; `widths` in mm
    beside them. The signature column stands right of all lines."""
    columns: list[str]
    lines: list[list[int]]
    widths: list[list[float]]

    def moved(self) -> list[str]:
        """The columns on a person's second line and further."""
        return [self.columns[c] for line in self.lines[1:] for c in line]


def _estimate_lines(text_width: float, room: float) -> int:
    """Lines a text of that width wraps into (a little more than the ratio: lines end between words)."""
    if text_width <= room:
        return 1
    return min(MAX_LINES, math.ceil(text_width / (room * 0.85)))


def _layout(measure: _Measure, sheet: Sheet, room: float) -> SignInLayout:
    """Which columns go on which line of a person's rows, and their widths: every column at least as
    wide as its longest word (up to WORD_CAP) and its heading's longest word; the columns in the
    order asked for (the name first), cut into lines where that gives the lowest rows in all
    (estimated on up to 200 rows), so 15 columns make two or three lines of readable cells instead
    of one line of cells a few letters wide."""
    n = len(sheet.headers)
    pad = 2 * PADDING + 0.5
    order = sorted(range(n), key=lambda c: sheet.columns[c] != "name")
    step = max(1, len(sheet.rows) // 200)
    sample = sheet.rows[::step]
    shortest, natural = [], []
    for c in range(n):
        head_word = _widest(measure, sheet.headers[c].split(), "B")
        texts = [row[c] for row in sheet.rows]
        word = _widest(measure, (w for text in texts for w in text.split()))
        shortest.append(min(max(MIN_COLUMN, head_word, min(word, WORD_CAP)) + pad, room))
        natural.append(max(shortest[-1], _widest(measure, texts) + pad))
    text_widths = [[measure.width(row[c]) for c in range(n)] for row in sample]

    def line_of(columns: list[int]) -> tuple[float, list[float]] | None:
        if len(columns) > 1 and sum(shortest[c] for c in columns) > room:
            return None
        widths = _share([shortest[c] for c in columns], [natural[c] for c in columns], room)
        height = sum(max(_estimate_lines(tw[c], w - 2 * PADDING) for c, w in zip(columns, widths)) * LINE_HEIGHT
                     for tw in text_widths) + 2 * V_PADDING * len(text_widths)
        return height + LINE_HEIGHT + 2 * V_PADDING, widths  # (and its heading: fewer lines when all else is equal)

    # best[j]: the lowest rows for the first j columns of `order`, and where their last line starts.
    best: list[tuple[float, int, list[float]]] = [(0.0, 0, [])]
    for j in range(1, n + 1):
        options = []
        for i in range(j - 1, -1, -1):
            line = line_of(order[i:j])
            if line is None:
                break  # a longer line fits no better
            options.append((best[i][0] + line[0], i, line[1]))
        best.append(min(options, key=lambda o: o[0]))
    lines, widths, j = [], [], n
    while j > 0:
        _, i, w = best[j]
        lines.insert(0, order[i:j])
        widths.insert(0, w)
        j = i
    return SignInLayout(list(sheet.columns), lines or [[]], widths or [[]])


def sign_in_layout(sheet: Sheet, lang: str = "nl") -> SignInLayout:
    """How the PDF sign-in sheet places the sheet's columns (the download page says which columns go
    to a second line per person before the file is made)."""
    pdf = _SignInPDF(sheet, lang)
    return _layout(pdf.measure, pdf.sheet, pdf.w - pdf.l_margin - pdf.r_margin - SIGNATURE)


class _Writer:
    """Text, cell borders and fills written straight into the page's content stream, as fpdf's own
    text() and rect() write them (30 and 20 µs a call there; 10,000 rows have 200,000 cells and
    lines), gathered per person and added to the page at once. Characters DejaVu lacks (emoji) are
    set in the fallback font, as fpdf does for its cells."""

    def __init__(self, pdf: FPDF):
        self.pdf, self.k = pdf, pdf.k
        self.ops: list[str] = []
        self.encoded: dict[tuple[str, str], str] = {}  # '' when the text needs the fallback font
        self.plain = {chr(c) for c in pdf.fonts["dejavu"].cmap}  # the characters DejaVu has

    def flush(self) -> None:
        if self.ops:
            self.pdf._out("\n".join(self.ops))
            self.ops.clear()

    def font(self, style: str, size: float = FONT_PT) -> None:
        pdf = self.pdf
        if (pdf.font_family, pdf.font_style, pdf.font_size_pt) != ("dejavu", style, size):
            self.flush()
            pdf.set_font("DejaVu", style, size)

    def fill(self, rgb: tuple[int, int, int]) -> None:
        """The colour of fills, and of text: black again before any text."""
        self.ops.append("{:.3f} {:.3f} {:.3f} rg".format(*(c / 255 for c in rgb)))

    def line_width(self, mm: float) -> None:
        self.ops.append(f"{mm * self.k:.2f} w")

    def rect(self, x: float, y: float, w: float, h: float, fill: bool) -> None:
        k = self.k
        self.ops.append(f"{x * k:.2f} {(self.pdf.h - y) * k:.2f} {w * k:.2f} {-h * k:.2f} re {'B' if fill else 'S'}")

    def text(self, x: float, baseline: float, text: str, style: str) -> None:
        pdf, k = self.pdf, self.k
        key = (text, style)
        encoded = self.encoded.get(key)
        if encoded is None:
            plain = all(c in self.plain or c.isspace() for c in text)
            encoded = self.encoded[key] = pdf.fonts["dejavu" + style].encode_text(text) if plain else ""
        if encoded:
            if not pdf.current_font_is_set_on_page:  # as fpdf's text() does before its first text
                self.ops.append(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))
            self.ops.append(f"BT {x * k:.2f} {(pdf.h - baseline) * k:.2f} Td {encoded} ET")
            return
        self.flush()
        size = pdf.font_size_pt
        runs: list[tuple[str, bool]] = []
        for c in text:
            fallback = not (c in self.plain or c.isspace())
            if runs and runs[-1][1] == fallback:
                runs[-1] = (runs[-1][0] + c, fallback)
            else:
                runs.append((c, fallback))
        for run, fallback in runs:
            pdf.set_font("Symbola" if fallback else "DejaVu", "" if fallback else style, size)
            pdf.text(x, baseline, run)
            x += pdf.get_string_width(run)
        pdf.set_font("DejaVu", style, size)


def _draw(pdf: _SignInPDF, sheet: Sheet, layout: SignInLayout, signature: str, starts: dict[int, str]) -> None:
    """The table: per person a block of one or more lines of cells (the columns of `layout.lines`)
    with the signature cell beside the whole block, at least SIGN_ROW high, never split over two
    pages; a heading block of the same shape at the top of every page; a section heading row
    (jobseekers, employers) spanning the table, kept with the person after it. Laid out first (so
    'Pagina x van y' knows y), then drawn."""
    measure, writer = pdf.measure, pdf.writer
    x0 = pdf.l_margin
    data_room = sum(layout.widths[0])
    total = data_room + SIGNATURE
    lines = [list(zip(line, [x0 + sum(widths[:i]) for i in range(len(widths))], widths))
             for line, widths in zip(layout.lines, layout.widths)]
    text_offset = 0.5 * LINE_HEIGHT + 0.3 * FONT_PT / pdf.k  # the baseline within a line, as fpdf's cells
    grouped = len(lines) > 1
    v_padding = V_PADDING / 2 if grouped else V_PADDING  # a person's lines are framed together

    wrapped_before: dict[tuple[str, float, str], list[str]] = {}  # a list repeats its statuses, regions, times

    def wrap(text: str, room: float, style: str) -> list[str]:
        key = (text, room, style)
        if key not in wrapped_before:
            wrapped_before[key] = _wrap(measure, text, room, style)
        return wrapped_before[key]

    def measure_block(values: list[str], style: str, minimum: float):
        wrapped = [[wrap(values[c], w - 2 * PADDING, style) for c, _, w in line] for line in lines]
        heights = [max([len(cell) for cell in line], default=1) * LINE_HEIGHT + 2 * v_padding for line in wrapped]
        sig = wrap(values[-1], SIGNATURE - 2 * PADDING, style)
        need = max(minimum, sum(heights), len(sig) * LINE_HEIGHT + 2 * v_padding)
        heights[-1] += need - sum(heights)  # the last line takes the room to sign
        return wrapped, heights, sig

    def texts(x: float, y: float, h: float, lines_: list[str], style: str) -> None:
        top = y + (h - len(lines_) * LINE_HEIGHT) / 2  # vertically centred
        for i, text in enumerate(lines_):
            if text:
                writer.text(x + PADDING, top + i * LINE_HEIGHT + text_offset, text, style)

    def block(y: float, measured, style: str = "", fill: tuple | None = None) -> float:
        wrapped, heights, sig = measured
        bottom = y + sum(heights)
        writer.font(style)
        boxes, top = [], y
        for line, cells, h in zip(lines, wrapped, heights):
            boxes += [(x, top, w, h, cell) for (_, x, w), cell in zip(line, cells)]
            top += h
        boxes.append((x0 + data_room, y, SIGNATURE, bottom - y, sig))  # last: text is read in this order
        if fill:
            writer.fill(fill)
        for x, top, w, h, _ in boxes:
            writer.rect(x, top, w, h, bool(fill))
        if fill:
            writer.fill((0, 0, 0))  # text is painted in the fill colour: black again
        for x, top, _, h, cell in boxes:
            texts(x, top, h, cell, style)
        if grouped:  # one person's lines within one frame
            writer.line_width(0.6)
            writer.rect(x0, y, total, bottom - y, False)
            writer.line_width(0.2)
        return bottom

    def section(y: float, label: list[str], height: float) -> float:
        writer.font("B")
        writer.fill(SECTION_FILL)
        writer.rect(x0, y, total, height, True)
        writer.fill((0, 0, 0))
        texts(x0, y, height, label, "B")
        return y + height

    # Laid out: where each page starts.
    heading = measure_block(sheet.headers + [signature], "B", 0)
    page_top = pdf.t_margin + pdf.heading_height() + sum(heading[1])
    plan = []  # (on a new page, section label and its height or None, the person's block)
    y, pages = page_top, 1
    for i, values in enumerate(sheet.rows):
        person = measure_block(values + [""], "", SIGN_ROW)
        need = sum(person[1])
        label = None
        if i in starts:  # the section's heading stays with its first person
            lines_ = _wrap(measure, starts[i], total - 2 * PADDING, "B")
            label = (lines_, max(SIGN_ROW, len(lines_) * LINE_HEIGHT + 2 * V_PADDING))
            need += label[1]
        # (a block higher than a page, which MAX_LINES rules out, would print past the margin, never loop)
        fresh = y + need > pdf.page_break_trigger and y > page_top
        if fresh:
            y, pages = page_top, pages + 1
        y += need
        plan.append((fresh, label, person))

    pdf.total_pages = pages
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)

    drawn_heading: list[str] = []  # the heading block's drawing, the same on every page

    def new_page() -> float:
        pdf.add_page()
        writer.font("B")
        if not drawn_heading:
            writer.flush()
            block(pdf.get_y(), heading, "B", HEADING_FILL)
            drawn_heading.append("\n".join(writer.ops))
            writer.ops.clear()
        pdf._out(drawn_heading[0])
        return page_top

    y = new_page()
    for fresh, label, person in plan:
        if fresh:
            y = new_page()
        if label:
            y = section(y, *label)
        y = block(y, person)
        writer.flush()


def to_pdf(sheet: Sheet, lang: str = "nl") -> bytes:
    """A printable presentielijst, A4 landscape, 12 pt throughout: the columns asked for plus a
    signature column, every column at least as wide as its longest word, so text wraps between
    words; the columns that do not fit beside each other go to a second (third) line of the
    person's rows (`sign_in_layout`), so any choice of columns prints. A heading block on every
    page, a heading row per section (jobseekers, employers) when there are both. Written straight
    into the page (`_Writer`): fpdf2's table() spends ~0.4 ms a cell, 25 s for 10,000 rows."""
    pdf = _SignInPDF(sheet, lang)
    sheet = pdf.sheet  # a '?' for each character no font has
    layout = _layout(pdf.measure, sheet, pdf.w - pdf.l_margin - pdf.r_margin - SIGNATURE)
    starts = {}
    if len(sheet.sections) > 1:
        first = 0
        for label, n in sheet.sections:
            starts[first] = f"{label} ({n})"
            first += n
    _draw(pdf, sheet, layout, translate("exports.signature", lang), starts)
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
        content = to_xlsx(sheet, lang)
    elif fmt == "pdf":
        content = to_pdf(sheet, lang)
    else:
        content = to_csv(sheet, ";" if fmt == "csv;" else ",")
    return content, mime, ext


def filename(sheet: Sheet, ext: str, lang: str = "nl") -> str:
    """presentielijst-banenmarkt-2027-03-04.xlsx: the date keeps two events with one title apart."""
    safe = "".join(ch if ch.isalnum() else "-" for ch in sheet.title.lower())
    safe = re.sub("-+", "-", safe).strip("-")[:40] or "lijst"
    day = f"-{to_local(sheet.starts_at):%Y-%m-%d}" if sheet.starts_at else ""
    return f"{translate('exports.file_prefix', lang)}-{safe}{day}.{ext}"


def table_sheet(title: str, headers: list[str], rows: list[list], lang: str = "nl") -> Sheet:
    """Any table of figures (the dashboard's) as a Sheet: numbers written by Babel as the page language
    writes them (0,42 in Dutch; at most four significant digits), and real numbers again in a spreadsheet."""
    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            local = to_local(value) if value.tzinfo else value
            return f"{local:%d-%m-%Y}" if (local.hour, local.minute) == (0, 0) else f"{local:%d-%m-%Y %H:%M}"
        if isinstance(value, date):
            return f"{value:%d-%m-%Y}"
        if isinstance(value, float):
            return format_number(value, lang)
        return str(value)
    numeric = frozenset(h for i, h in enumerate(headers)
                        if any(row[i] not in (None, "") for row in rows)
                        and all(isinstance(row[i], Number) and not isinstance(row[i], bool) or row[i] in (None, "")
                                for row in rows))
    return Sheet(title, "", list(headers), list(headers), [[text(v) for v in row] for row in rows], numeric=numeric)
