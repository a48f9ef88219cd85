"""Printed things that carry the door code (issue 29): name badges, the paper door list for when the
network fails, a letter with the QR code for people without e-mail, and table cards for employers.

What is printed about a person is only what the day needs: a first name to be called by, an
organisation, a table. Never support needs, target group, school (Praktijkonderwijs/VSO says what
someone's situation is), e-mail or phone: nothing that labels someone. The door list is for staff
only and shows what the sign-in sheet shows (name, school or organisation contact).

Fonts and the '?' for characters no font has come from `exports` (one loading, one rule); every text
is 10 pt or more, on the door list 12 pt or more.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from fpdf import FPDF
from sqlmodel import Session, select

from ..core.collation import name_key, text_key
from ..core.errors import NotFound
from ..core.i18n import translate
from ..core.timeutil import fmt_local
from ..core.vocab import RegStatus
from ..events.events import get_event
from ..events.models import Event
from ..messages.content import place, when
from ..people.models import Employer, Jobseeker
from ..registration import door
from ..registration.models import Registration
from .checkin import first_name, first_tables, name_words
from .exports import add_fonts, printable, shown_characters

MIN_PT = 10  # the house rule for prints
DOOR_PT = 12  # and for the door list, as the sign-in sheet

# Badges: 85 x 54 mm cards, 2 columns x 5 rows on A4 portrait, the layout of Avery C32011 (Zweckform
# C32011) business cards: 15 mm at the sides, 10 mm between the columns, 13.5 mm at top and bottom.
# The sides are equal, so the back page's mirrored columns fall exactly behind the front's.
CARD_W, CARD_H = 85.0, 54.0
COLS, ROWS = 2, 5
LEFT, GAP_X, TOP = 15.0, 10.0, 13.5
SHEET_CODE = "Avery C32011 (85 x 54 mm, 2 x 5)"
PAD = 4.0  # mm inside a card
QR_MM = 30.0  # a badge's QR code, quiet zone included
QR_SMALL_MM = 24.0  # beside a long name: 0.7 mm a module, still read at arm's length
NAME_PT = (28, 18)  # the first name: as large as fits, never under 18 pt
# Surname particles that stay whole when the rest of a surname becomes an initial: 'Anna van der B.'
PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "in", "op", "la", "le", "du", "da", "di",
             "von", "zu", "el", "al", "bin", "ben"}


@dataclass
class Badge:
    """One badge: `name` big (a first name), `small` at the foot (first name and the surname's
    initial, to hand the right badge over), `lines` (organisation, table), the door code or None."""
    name: str
    lines: list[str] = field(default_factory=list)
    small: str = ""
    code: str | None = None


def short_name(name: str) -> str:
    """'Anna de Vries' -> 'Anna de V.': enough to hand the right badge over, not the whole surname."""
    parts = name_words(name)
    if len(parts) < 2:
        return " ".join(parts)
    rest = parts[1:]
    particles = []
    while len(rest) > 1 and rest[0].casefold() in PARTICLES:
        particles.append(rest.pop(0))
    return " ".join([parts[0], *particles, rest[0][0] + "."])


def _confirmed(session: Session, event_id: int):
    regs = session.exec(select(Registration).where(Registration.event_id == event_id,
                                                   Registration.status == RegStatus.CONFIRMED)).all()
    people = {j.id: j for j in session.exec(select(Jobseeker).where(
        Jobseeker.id.in_([r.jobseeker_id for r in regs if r.jobseeker_id])))}
    orgs = {e.id: e for e in session.exec(select(Employer).where(
        Employer.id.in_([r.employer_id for r in regs if r.employer_id])))}
    jobseekers = sorted(((r, people[r.jobseeker_id]) for r in regs if r.jobseeker_id),
                        key=lambda pair: name_key(pair[1].name))
    employers = sorted(((r, orgs[r.employer_id]) for r in regs if r.employer_id),
                       key=lambda pair: text_key(pair[1].organisation))
    return jobseekers, employers


def _table_line(table: int | None, lang: str) -> list[str]:
    return [translate("badges.table", lang, table=table)] if table else []


def badge_list(session: Session, event_id: int, lang: str = "nl") -> list[Badge]:
    """The badges of an event's confirmed people: each jobseeker (with their own QR code) and right
    after them who comes along (no code: a companion has no place of their own, and a coach never
    carries the client's code); then per employer one badge per recruiter, the contact person's
    first and the others as 'Recruiter 2', ..., all with the organisation and its code (any of them
    may arrive first; it checks in the organisation)."""
    get_event(session, event_id)
    tables = first_tables(session, event_id)
    jobseekers, employers = _confirmed(session, event_id)
    badges: list[Badge] = []
    for reg, person in jobseekers:
        badges.append(Badge(first_name(person.name), _table_line(tables.get(("jobseeker", person.id)), lang),
                            short_name(person.name), door.token(reg)))
        if reg.companion:
            role = translate(f"companion.{reg.companion}", lang)
            role = role[:1].upper() + role[1:]
            badges.append(Badge(first_name(reg.companion_name or "") or role, [role], short_name(reg.companion_name or "")))
    for reg, org in employers:
        table = _table_line(tables.get(("employer", org.id)), lang)
        code = door.token(reg)
        badges.append(Badge(first_name(org.contact_name) or org.organisation, [org.organisation, *table],
                            short_name(org.contact_name), code))
        for n in range(2, max(org.recruiters, 1) + 1):
            badges.append(Badge(translate("badges.recruiter", lang, number=n), [org.organisation, *table], "", code))
    return badges


class _Print(FPDF):
    def __init__(self, orientation: str = "P", format="A4"):
        super().__init__(orientation=orientation, unit="mm", format=format)
        add_fonts(self)
        self.shown = shown_characters(self)
        self.set_auto_page_break(False)
        self.set_creator("eventtool")
        self.set_margin(0)

    def say(self, text: str) -> str:
        return printable(text or "", self.shown)

    def fitted(self, text: str, width: float, sizes: tuple[int, int], style: str = "B") -> float:
        """The largest size in `sizes` (from, down to) at which the text fits the width."""
        big, least = sizes
        for size in range(big, least - 1, -1):
            self.set_font("DejaVu", style, size)
            if self.get_string_width(text) <= width:
                return size
        return least

    def text_lines(self, x: float, y: float, width: float, text: str, size: float, style: str = "",
                   max_lines: int = 2, align: str = "L") -> float:
        """Text wrapped in `width` (a long word broken), at most `max_lines`; returns the y below it."""
        self.set_font("DejaVu", style, max(size, MIN_PT))
        lines = self.multi_cell(width, size * 0.45, self.say(text), dry_run=True, output="LINES")[:max_lines]
        for line in lines:
            self.set_xy(x, y)
            self.cell(width, size * 0.45, line, align=align)
            y += size * 0.45
        return y

    def qr(self, code: str, x: float, y: float, size: float) -> None:
        self.image(io.BytesIO(door.qr_png(code, scale=10)), x, y, size, size)


def _card_origin(index: int, back: bool) -> tuple[float, float]:
    row, col = divmod(index, COLS)
    if back:  # turned over the long edge, a card's back is in the other column
        col = COLS - 1 - col
    return LEFT + col * (CARD_W + GAP_X), TOP + row * CARD_H


def _badge_side(pdf: _Print, badge: Badge, x: float, y: float, event_title: str, with_code: bool) -> None:
    pdf.set_draw_color(160)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, CARD_W, CARD_H)  # the cutting line (and the card's edge on perforated sheets)
    code = badge.code if with_code else None
    room = CARD_W - 2 * PAD - ((QR_MM + 2) if code else 0)
    qr_size, qr_y = QR_MM, y + (CARD_H - QR_MM) / 2
    pdf.text_lines(x + PAD, y + PAD, CARD_W - 2 * PAD, event_title, MIN_PT, max_lines=1)
    name = pdf.say(badge.name)
    size = pdf.fitted(name, room, NAME_PT)
    if pdf.get_string_width(name) > room:
        # Too long beside the code at 18 pt: the name takes the card's width (a double name over two
        # lines at its hyphen), the code a smaller place at the foot.
        room = CARD_W - 2 * PAD
        size = pdf.fitted(name, room, NAME_PT)
        if pdf.get_string_width(name) > room:
            name = name.replace("-", "-\n")
        qr_size = QR_SMALL_MM
        qr_y = y + CARD_H - 2 - qr_size
    top = pdf.text_lines(x + PAD, y + PAD + 7, room, name, size, "B", max_lines=2)
    room = min(room, CARD_W - 2 * PAD - ((qr_size + 2) if code else 0))
    for line in badge.lines:
        top = pdf.text_lines(x + PAD, top + 1, room, line, 12, max_lines=2)
    if badge.small:
        pdf.text_lines(x + PAD, y + CARD_H - PAD - 5, room, badge.small, MIN_PT, max_lines=1)
    if code:
        pdf.qr(code, x + CARD_W - PAD - qr_size + 2, qr_y, qr_size)


def badges_pdf(session: Session, event_id: int, lang: str = "nl") -> bytes:
    """The badges, ten on a sheet, each sheet followed by its back (print double-sided, flip on the
    long edge): the back shows the name and organisation again, mirrored so it lies behind its front,
    so a badge that turns on its cord still shows the name. The QR code is on the front only."""
    event = get_event(session, event_id)
    badges = badge_list(session, event_id, lang)
    pdf = _Print()
    pdf.set_title(f"{translate('badges.title', lang)} - {event.title}")
    per_sheet = COLS * ROWS
    for start in range(0, max(len(badges), 1), per_sheet):
        sheet = badges[start:start + per_sheet]
        for back in (False, True):
            pdf.add_page()
            for i, badge in enumerate(sheet):
                _badge_side(pdf, badge, *_card_origin(i, back), event.title, with_code=not back)
    return bytes(pdf.output())


# The door list: for staff at the door when the network fails.
DOOR_ROW = 26.0  # mm: a QR code of 22 mm and a tick box
DOOR_QR = 22.0
DOOR_MARGIN = 12.0


@dataclass
class DoorLine:
    registration_id: int
    name: str
    detail: str
    code: str
    checked_in: bool


def door_lines(session: Session, event_id: int, lang: str = "nl") -> list[DoorLine]:
    """Everyone confirmed, jobseekers by surname (Dutch collation), then employers by organisation, as
    the sign-in sheet; the detail is what tells two people apart there: school or organisation
    contact, and who comes along."""
    get_event(session, event_id)
    jobseekers, employers = _confirmed(session, event_id)
    lines = []
    for reg, p in jobseekers:
        detail = [p.school or ""]
        if reg.companion:
            detail.append(translate("badges.with_companion", lang, who=translate(f"companion.{reg.companion}", lang),
                                    name=reg.companion_name or "").strip())
        lines.append(DoorLine(reg.id, p.name, " · ".join(d for d in detail if d), door.token(reg),
                              reg.checked_in_at is not None))
    for reg, e in employers:
        lines.append(DoorLine(reg.id, e.organisation, e.contact_name, door.token(reg), reg.checked_in_at is not None))
    return lines


def door_list_pdf(session: Session, event_id: int, lang: str = "nl") -> bytes:
    """The 'deurlijst': A4, 12 pt, per person a box to tick, the name, the school or organisation
    and their QR code (scanned later, or ticked and marked in one go: checkin.check_in_many). Who is
    already in when it is printed has a tick."""
    event = get_event(session, event_id)
    rows = door_lines(session, event_id, lang)
    pdf = _Print()
    title = f"{translate('badges.door_list_title', lang)}: {event.title}"
    pdf.set_title(title)
    subtitle = f"{fmt_local(event.starts_at)} · {place(event.venue_name, event.address, event.city)}"
    width = pdf.w - 2 * DOOR_MARGIN
    per_page = int((pdf.h - 2 * DOOR_MARGIN - 30) // DOOR_ROW)
    pages = max(1, -(-len(rows) // per_page))
    for page in range(pages):
        pdf.add_page()
        y = pdf.text_lines(DOOR_MARGIN, DOOR_MARGIN, width, title, 16, "B", max_lines=1)
        y = pdf.text_lines(DOOR_MARGIN, y + 1, width, subtitle, DOOR_PT, max_lines=1)
        pdf.text_lines(DOOR_MARGIN, y + 1, width, translate("badges.door_list_help", lang), DOOR_PT, max_lines=2)
        y = DOOR_MARGIN + 30
        pdf.set_draw_color(0)
        for row in rows[page * per_page:(page + 1) * per_page]:
            pdf.set_line_width(0.2)
            pdf.line(DOOR_MARGIN, y, pdf.w - DOOR_MARGIN, y)
            pdf.set_line_width(0.5)
            pdf.rect(DOOR_MARGIN + 1, y + (DOOR_ROW - 9) / 2, 9, 9)  # the tick box
            if row.checked_in:
                pdf.set_font("DejaVu", "B", 16)
                pdf.set_xy(DOOR_MARGIN + 1, y + (DOOR_ROW - 9) / 2)
                pdf.cell(9, 9, "✓", align="C")
            text_w = width - 14 - DOOR_QR - 4
            below = pdf.text_lines(DOOR_MARGIN + 14, y + 3, text_w, row.name, DOOR_PT + 2, "B", max_lines=2)
            # Four lines in all fit the row: a name over two lines leaves room for one of detail.
            two = below - (y + 3) < 2 * (DOOR_PT + 2) * 0.45 - 0.01
            pdf.text_lines(DOOR_MARGIN + 14, below + 1, text_w, row.detail, DOOR_PT, max_lines=2 if two else 1)
            pdf.qr(row.code, pdf.w - DOOR_MARGIN - DOOR_QR, y + (DOOR_ROW - DOOR_QR) / 2, DOOR_QR)
            y += DOOR_ROW
        pdf.set_line_width(0.2)
        pdf.line(DOOR_MARGIN, y, pdf.w - DOOR_MARGIN, y)
        pdf.text_lines(DOOR_MARGIN, pdf.h - DOOR_MARGIN - 5, width,
                       translate("exports.page_of", lang, page=page + 1, pages=pages), DOOR_PT, max_lines=1, align="R")
    return bytes(pdf.output())


# The letter: one A4 page per person, in their language.
LETTER_QR = 60.0  # mm


def _grouped(code: str) -> str:
    """'ET3A BCDE ...': easier to read out or type (the door ignores the spaces)."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def without_email(session: Session, event_id: int) -> list[int]:
    """The confirmed jobseekers of an event without an e-mail address: who gets a letter on paper."""
    jobseekers, _ = _confirmed(session, event_id)
    return [reg.id for reg, p in jobseekers if not p.email]


def letters_pdf(session: Session, event_id: int, registration_ids: list[int] | None = None) -> bytes:
    """A letter per confirmed registration (by default: the jobseekers without an e-mail address), one
    page each, in the language the person signed up in: the event, when and where, their name and
    their QR code, large, with the code as text below it."""
    event = get_event(session, event_id)
    ids = without_email(session, event_id) if registration_ids is None else list(registration_ids)
    pdf = _Print()
    pdf.set_title(translate("badges.letter_title", "nl"))
    jobseekers, employers = _confirmed(session, event_id)
    names = {reg.id: (reg, p.name) for reg, p in jobseekers} | {reg.id: (reg, e.contact_name) for reg, e in employers}
    for reg_id in ids:
        if reg_id not in names:
            continue
        reg, name = names[reg_id]
        _letter(pdf, event, reg, name)
    if not pdf.page:
        pdf.add_page()
        pdf.text_lines(20, 20, pdf.w - 40, translate("badges.no_letters", "nl"), 12)
    return bytes(pdf.output())


def letter_pdf(session: Session, registration_id: int) -> bytes:
    """The letter of one registration (the staff registrations page: for their coach to hand over)."""
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("registration.not_found")
    return letters_pdf(session, reg.event_id, [registration_id])


def _letter(pdf: _Print, event: Event, reg: Registration, name: str) -> None:
    lang = reg.lang if reg.lang in ("nl", "en") else "nl"
    pdf.add_page()
    x, width = 25.0, pdf.w - 50
    y = pdf.text_lines(x, 25, width, translate("badges.letter_greeting", lang, name=name), 14, "B")
    y = pdf.text_lines(x, y + 4, width, translate("badges.letter_intro", lang), 14)
    y = pdf.text_lines(x, y + 6, width, event.title, 20, "B", max_lines=3)
    y = pdf.text_lines(x, y + 4, width, when(event.starts_at, event.ends_at, lang), 14)
    y = pdf.text_lines(x, y + 1, width, place(event.venue_name, event.address, event.city), 14, max_lines=3)
    y = pdf.text_lines(x, y + 10, width, translate("badges.letter_show", lang), 16, "B")
    code = door.token(reg)
    pdf.qr(code, (pdf.w - LETTER_QR) / 2, y + 4, LETTER_QR)
    y += 4 + LETTER_QR + 2
    y = pdf.text_lines(x, y, width, translate("badges.letter_code", lang), 12, align="C")
    pdf.text_lines(x, y + 1, width, _grouped(code), 16, "B", max_lines=1, align="C")


# Table cards: A4 landscape, folded in the middle into a tent; the top half upside down.
def table_cards_pdf(session: Session, event_id: int, lang: str = "nl") -> bytes:
    """Per confirmed employer a tent card: the organisation, its table (a published speed-meet plan's)
    or a line to write the table or stand on, and its sectors, in large print on both halves."""
    get_event(session, event_id)
    tables = first_tables(session, event_id)
    _, employers = _confirmed(session, event_id)
    pdf = _Print("L")
    pdf.set_title(translate("badges.cards_title", lang))
    half = pdf.h / 2
    for _, org in employers:
        pdf.add_page()
        pdf.set_draw_color(180)
        pdf.set_line_width(0.2)
        pdf.set_dash_pattern(dash=2, gap=2)
        pdf.line(0, half, pdf.w, half)  # where it folds
        pdf.set_dash_pattern()
        table = tables.get(("employer", org.id))
        sectors = ", ".join(translate(f"sector.{s}", lang) for s in org.sectors)
        for upside_down in (True, False):
            with pdf.rotation(180 if upside_down else 0, pdf.w / 2, half):
                _card_half(pdf, org.organisation, table, sectors, half, lang)
    if not pdf.page:
        pdf.add_page()
    return bytes(pdf.output())


def _card_half(pdf: _Print, organisation: str, table: int | None, sectors: str, top: float, lang: str) -> None:
    x, width = 15.0, pdf.w - 30
    name = pdf.say(organisation)
    size = pdf.fitted(name, width, (60, 28))
    y = pdf.text_lines(x, top + 15, width, name, size, "B", max_lines=2, align="C")
    table_text = (translate("badges.table", lang, table=table) if table
                  else translate("badges.table_blank", lang))
    y = pdf.text_lines(x, y + 6, width, table_text, 32, "B", max_lines=1, align="C")
    if sectors:
        pdf.text_lines(x, y + 6, width, sectors, 20, max_lines=2, align="C")
