"""The floor list of a job fair ("plattegrond", issue 29): a PDF for the wall at the entrance that
lists every employer with a place by stand (stand, employer, sector), and where the quiet room,
the toilets and the lift are. Large print, for visitors with low vision: A4 portrait, 16 pt in the
table and the facilities, the heading (the event's title, 20 pt) and the table's column heading on
every page, nothing under 12 pt. It names employers only, never a jobseeker. The fonts and the
'?' for characters no font has come from dayof.exports (the sign-in sheet's)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from fpdf import FPDF
from fpdf.fonts import FontFace
from sqlmodel import Session

from ..core.i18n import translate
from ..core.timeutil import fmt_local, to_local
from ..events.reads import get_event
from ..registration import stands
from .exports import add_fonts, printable, shown_characters

TITLE_PT = 20
TEXT_PT = 16  # the table and the facilities
SMALL_PT = 12  # the page number: the least anywhere on the list
# The event's facility fields and their labels, in the order they are printed.
FACILITIES = {"quiet_room": "floorlist.quiet_room", "toilets": "floorlist.toilets", "lift": "floorlist.lift"}
COLUMNS = ("floorlist.col_stand", "floorlist.col_employer", "floorlist.col_sector")


@dataclass
class FloorList:
    title: str
    subtitle: str
    # (stand, employer, sectors) by stand; employers without a stand yet last.
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    # (label, where) of the facilities the organiser filled in.
    facilities: list[tuple[str, str]] = field(default_factory=list)
    starts_at: object = None


def floor_list(session: Session, event_id: int, lang: str = "nl") -> FloorList:
    """What the floor list of the event says, in `lang`."""
    event = get_event(session, event_id)
    rows = [(row.stand or "-", row.organisation,
             ", ".join(translate(f"sector.{code}", lang) for code in row.sectors))
            for row in stands.employers(session, event_id)]
    facilities = [(translate(label, lang), getattr(event, name)) for name, label in FACILITIES.items()
                  if getattr(event, name)]
    subtitle = " · ".join(p for p in (fmt_local(event.starts_at), event.venue_name, event.city) if p)
    return FloorList(event.title, subtitle, rows, facilities, event.starts_at)


class _FloorPDF(FPDF):
    def __init__(self, lang: str, title: str, subtitle: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang, self.heading, self.subtitle = lang, title, subtitle
        add_fonts(self)
        self.set_lang(lang)
        self.set_title(title)
        self.set_creator("eventtool")
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages()

    def header(self):
        self.set_font("DejaVu", "B", TITLE_PT)
        self.multi_cell(0, 10, self.heading, new_x="LMARGIN", new_y="NEXT")
        if self.subtitle:
            self.set_font("DejaVu", "", SMALL_PT + 2)
            self.multi_cell(0, 7, self.subtitle, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_font("DejaVu", "", TEXT_PT)

    def footer(self):
        self.set_y(-15)
        self.set_font("DejaVu", "", SMALL_PT)
        self.cell(0, 8, translate("exports.page_of", self.lang, page=self.page_no(), pages="{nb}"), align="R")


def to_pdf(floor: FloorList, lang: str = "nl") -> bytes:
    """The floor list as an A4 PDF in large print."""
    shown = shown_characters()
    fix = lambda text: printable(text or "", shown)  # noqa: E731 - a '?' where no font has the character
    title = fix(f"{translate('floorlist.title', lang)}: {floor.title}")
    pdf = _FloorPDF(lang, title, fix(floor.subtitle))
    pdf.add_page()
    if floor.facilities:
        pdf.set_font("DejaVu", "B", TEXT_PT)
        pdf.multi_cell(0, 9, fix(translate("floorlist.facilities", lang)), new_x="LMARGIN", new_y="NEXT")
        for label, where in floor.facilities:
            pdf.set_font("DejaVu", "B", TEXT_PT)
            pdf.write(8, fix(f"{label}: "))
            pdf.set_font("DejaVu", "", TEXT_PT)
            pdf.write(8, fix(where))
            pdf.ln(9)
        pdf.ln(4)
    pdf.set_font("DejaVu", "", TEXT_PT)
    if not floor.rows:
        pdf.multi_cell(0, 9, fix(translate("floorlist.no_employers", lang)), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
    heads = [translate(key, lang) for key in COLUMNS]
    bold = FontFace(emphasis="BOLD")
    with pdf.table(col_widths=(25, 95, 60), line_height=8, repeat_headings=1, text_align="LEFT", padding=1.5,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(220, 230, 241))) as table:
        row = table.row()
        for head in heads:
            row.cell(fix(head))
        for stand, employer, sectors in floor.rows:
            row = table.row()
            row.cell(fix(stand), style=bold)  # the number a visitor looks for
            row.cell(fix(employer))
            row.cell(fix(sectors))
    return bytes(pdf.output())


def filename(floor: FloorList, lang: str = "nl") -> str:
    """plattegrond-banenmarkt-oss-2027-03-04.pdf"""
    safe = re.sub("-+", "-", "".join(ch if ch.isalnum() else "-" for ch in floor.title.lower())).strip("-")[:40]
    day = f"-{to_local(floor.starts_at):%Y-%m-%d}" if floor.starts_at else ""
    return f"{translate('floorlist.file_prefix', lang)}-{safe or 'lijst'}{day}.pdf"
