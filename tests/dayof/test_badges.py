"""Badges, the paper door list, the letter and table cards (issue 29): what is printed, how large,
and that each printed QR code is that person's door code (rendered with pdftoppm, read with
zxing-cpp). Nothing that labels someone is ever on a badge."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from sqlmodel import select

from eventtool.dayof import badges, checkin
from eventtool.events.models import Event, Meeting, SpeedmeetSettings
from eventtool.registration import door, registration
from eventtool.registration.models import Registration

from ..conftest import company, person

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
DPI = 200


def _code(db, reg_id) -> str:
    return door.token(db.read(lambda s: s.get(Registration, reg_id)))


def texts_and_sizes(data: bytes) -> list[list[tuple[str, float]]]:
    """Per page: (text, size in pt) of every piece of text as pypdf reads it."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                found.append((text.strip(), size * abs(tm[3] or tm[0]) * abs(cm[3] or cm[0])))
        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def tf_sizes(data: bytes) -> list[float]:
    """Every font size set in the content streams (the Tf operators)."""
    sizes = []
    for page in PdfReader(io.BytesIO(data)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        sizes += [float(s) for s in re.findall(r"/F\d+ ([\d.]+) Tf", stream)]
    return sizes


def render(data: bytes, tmp_path) -> list[Image.Image]:
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(tmp_path / "page")], check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("page-*.png"))]


def mm(v: float) -> int:
    return round(v / 25.4 * DPI)


def codes_in(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def crop_text(data: bytes, tmp_path, page: int, box: tuple[float, float, float, float]) -> str:
    """The text inside a box (mm) of a page, as pdftotext reads it there."""
    pdf = tmp_path / "crop.pdf"
    pdf.write_bytes(data)
    x, y, w, h = (round(v / 25.4 * 72) for v in box)
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", str(x), "-y", str(y), "-W", str(w),
                          "-H", str(h), str(pdf), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


@pytest.fixture
def fair(db, create_event):
    """An event with people who told us everything a badge must never show."""
    ev = create_event(title="Banenmarkt Oss", capacity_jobseekers=20, capacity_employers=5)
    anna = db.write(registration.register_jobseeker, ev.id, person(
        name="Anna de Vries", email="anna.geheim@example.nl", phone="0612345678", school="VSO De Brug",
        support_needs=["quiet_space", "wheelchair"], target_group="practical_school", consent_special=True,
        companion="jobcoach", companion_name="Piet Coachman")).registration
    bram = db.write(registration.register_jobseeker, ev.id, person(
        name="Bram van der Berg", email=None, phone="0687654321", target_group="wajong", consent_special=True,
        support_needs=["sign_language"])).registration
    kees = db.write(registration.register_employer, ev.id, company(
        organisation="Zorggroep Noord", contact_name="Kees Jansen", email="kees@zorg.nl", recruiters=2,
        sectors=["care"])).registration
    return ev, anna, bram, kees



def _publish_plan(db, event_id: int, meetings: list[tuple[int, int, int, int]]) -> None:
    """A published speed-meet plan, written straight into the store: (jobseeker, employer, round, table)."""
    def write(session):
        ev = session.get(Event, event_id)
        session.add(SpeedmeetSettings(event_id=event_id, first_round_at=ev.starts_at, status="published"))
        for js, emp, rnd, table in meetings:
            session.add(Meeting(event_id=event_id, jobseeker_id=js, employer_id=emp, round=rnd, table_no=table))
        session.flush()
    db.write(write)


# What a person told us that no badge may show: support needs, target group, school, e-mail, phone,
# the whole surname (of the person and of their coach).
NEVER_ON_A_BADGE = ("VSO", "Brug", "Praktijk", "practical", "Wajong", "wajong", "Rolstoel", "Stilte", "stil",
                    "Gebarentaal", "doelgroep", "Doelgroep", "anna.geheim", "@", "0612345678", "06 12345678",
                    "0687654321", "Vries", "Coachman", "Jansen", "Berg")


def test_badges_show_the_first_name_large_and_nothing_that_labels_anyone(db, fair):
    ev, anna, bram, kees = fair
    listed = db.read(badges.badge_list, ev.id, "nl")
    # By surname (Dutch collation: van der Berg before de Vries); who comes along right after the person.
    assert [(b.name, b.lines, b.small, b.code) for b in listed] == [
        ("Bram", [], "Bram van der B.", _code(db, bram.id)),
        ("Anna", [], "Anna de V.", _code(db, anna.id)),
        ("Piet", ["Jobcoach"], "Piet C.", None),  # a coach never carries the client's code
        ("Kees", ["Zorggroep Noord"], "Kees J.", _code(db, kees.id)),
        ("Recruiter 2", ["Zorggroep Noord"], "", _code(db, kees.id)),
    ]
    data = db.read(badges.badges_pdf, ev.id, "nl")
    pages = texts_and_sizes(data)
    assert len(pages) == 2  # the front and its back
    text = " ".join(t for page in pages for t, _ in page)
    assert [word for word in NEVER_ON_A_BADGE if word in text] == []
    for page in pages:
        sizes = {t: size for t, size in page}
        for first in ("Anna", "Bram", "Piet", "Kees"):
            assert sizes[first] >= 18
        assert sizes["Zorggroep Noord"] >= 10
    assert min(tf_sizes(data)) >= 10
    assert "Helvetica" not in str(PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"])


def test_a_long_first_name_stays_at_18_pt_or_more(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    db.write(registration.register_jobseeker, ev.id, person(name="Maximiliaan-Alexander Oudshoorn"))
    db.write(registration.register_jobseeker, ev.id, person(name="Zoë 🙂 Şahin"))
    data = db.read(badges.badges_pdf, ev.id, "nl")
    assert min(tf_sizes(data)) >= 10
    sizes = [size for t, size in texts_and_sizes(data)[0] if t in ("Maximiliaan-", "Alexander", "Zoë")]
    assert sizes and min(sizes) >= 18


def test_a_published_plan_puts_the_first_table_on_badges_and_table_cards(db, fair):
    ev, anna, bram, kees = fair
    anna_js = db.read(lambda s: s.get(Registration, anna.id)).jobseeker_id
    employer = db.read(lambda s: s.get(Registration, kees.id)).employer_id
    _publish_plan(db, ev.id, [(anna_js, employer, 0, 7)])
    by_name = {b.name: b for b in db.read(badges.badge_list, ev.id, "nl")}
    assert by_name["Anna"].lines == ["Tafel 7"] and by_name["Kees"].lines == ["Zorggroep Noord", "Tafel 7"]
    assert by_name["Bram"].lines == []
    cards = texts_and_sizes(db.read(badges.table_cards_pdf, ev.id, "nl"))
    assert len(cards) == 1
    texts = [t for t, _ in cards[0]]
    assert texts.count("Zorggroep Noord") == 2 and texts.count("Tafel 7") == 2 and "Zorg en welzijn" in texts
    assert min(size for _, size in cards[0]) >= 20


def test_table_cards_leave_a_line_for_the_table_without_a_plan(db, fair):
    ev = fair[0]
    data = db.read(badges.table_cards_pdf, ev.id, "en")
    texts = [t for t, _ in texts_and_sizes(data)[0]]
    assert "Table / stand: ________" in texts and "Care and welfare" in texts
    assert min(tf_sizes(data)) >= 10


@needs_pdftoppm
def test_each_badge_carries_that_persons_qr_code_and_its_back_lies_behind_it(db, fair, tmp_path):
    ev = fair[0]
    listed = db.read(badges.badge_list, ev.id, "nl")
    data = db.read(badges.badges_pdf, ev.id, "nl")
    front, back = render(data, tmp_path)
    for i, badge in enumerate(listed):
        x, y = badges._card_origin(i, back=False)
        card = front.crop((mm(x), mm(y), mm(x + badges.CARD_W), mm(y + badges.CARD_H)))
        assert codes_in(card) == ([badge.code] if badge.code else [])
        assert badge.name in crop_text(data, tmp_path, 1, (x, y, badges.CARD_W, badges.CARD_H))
        # Turned over the long edge: the back of this card is in the other column, same row.
        bx, by = badges._card_origin(i, back=True)
        assert (bx, by) == (badges.LEFT + badges.GAP_X + badges.CARD_W - (x - badges.LEFT), y)
        behind = crop_text(data, tmp_path, 2, (bx, by, badges.CARD_W, badges.CARD_H))
        assert badge.name in behind and all(line in behind for line in badge.lines)
    assert codes_in(back) == []  # the code only on the front
    # The sheet's margins are equal, so mirrored columns fall exactly behind each other.
    assert badges.LEFT * 2 + badges.COLS * badges.CARD_W + badges.GAP_X == pytest.approx(210)
    assert badges.TOP * 2 + badges.ROWS * badges.CARD_H == pytest.approx(297)


@needs_pdftoppm
def test_the_door_list_has_everyone_with_their_code_and_a_box_at_12_pt(db, fair, tmp_path):
    ev, anna, bram, kees = fair
    db.write(checkin.check_in, kees.id)
    data = db.read(badges.door_list_pdf, ev.id, "nl")
    assert min(tf_sizes(data)) >= 12
    texts = [t for t, _ in texts_and_sizes(data)[0]]
    names = [t for t in texts if t in ("Anna de Vries", "Bram van der Berg", "Zorggroep Noord")]
    assert names == ["Bram van der Berg", "Anna de Vries", "Zorggroep Noord"]  # by surname, then employers
    joined = " ".join(texts)
    assert "VSO De Brug · met jobcoach Piet Coachman" in joined and "Kees Jansen" in joined  # as the sign-in sheet
    assert [w for w in ("Wajong", "Praktijk", "Rolstoel", "anna.geheim", "0612345678") if w in joined] == []
    rows = db.read(badges.door_lines, ev.id, "nl")
    assert [r.checked_in for r in rows] == [False, False, True]
    page = render(data, tmp_path)[0]
    top = badges.DOOR_MARGIN + 30
    for i, row in enumerate(rows):
        y = top + i * badges.DOOR_ROW
        strip = page.crop((0, mm(y), page.width, mm(y + badges.DOOR_ROW)))
        assert row.code == _code(db, row.registration_id) and codes_in(strip) == [row.code]
        assert row.name in crop_text(data, tmp_path, 1, (0, y, 210, badges.DOOR_ROW))


@needs_pdftoppm
def test_a_letter_has_the_event_the_name_and_a_large_qr_code_in_the_persons_language(db, fair, tmp_path):
    ev, anna, bram, kees = fair
    assert db.read(badges.without_email, ev.id) == [bram.id]  # only Bram has no e-mail address
    data = db.read(badges.letters_pdf, ev.id)
    pages = texts_and_sizes(data)
    assert len(pages) == 1
    text = " ".join(t for t, _ in pages[0])
    code = _code(db, bram.id)
    for part in ("Beste Bram van der Berg,", "Banenmarkt Oss", "Buurthuis, Markt 1, Oss", "Laat deze QR-code zien bij de ingang",
                 " ".join(code[i:i + 4] for i in range(0, 22, 4))):
        assert part in text
    assert " uur" in text  # messages.content.when: '13:00 tot 15:00 uur'
    assert min(tf_sizes(data)) >= 10
    image = render(data, tmp_path)[0]
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [f.text for f in found] == [code]
    corners = found[0].position
    width_mm = (corners.top_right.x - corners.top_left.x) / DPI * 25.4
    assert width_mm >= 40  # the symbol itself, without its quiet zone
    # In English for someone who signed up in English; one letter for one registration.
    english = db.write(registration.register_jobseeker, ev.id, person(name="Sam Smith"), lang="en").registration
    text = " ".join(t for t, _ in texts_and_sizes(db.read(badges.letter_pdf, english.id))[0])
    assert "Dear Sam Smith," in text and "Show this QR code at the entrance" in text


def test_check_in_many_checks_in_only_the_chosen_confirmed_people_of_that_event(db, create_event):
    ev = create_event(capacity_jobseekers=4)
    other = create_event(title="Ander", capacity_jobseekers=4)
    regs = [db.write(registration.register_jobseeker, ev.id, person()).registration for _ in range(4)]
    cancelled = regs[3]
    db.write(registration.cancel_registration, cancelled.id)
    db.write(registration.register_jobseeker, ev.id, person())  # full again: not chosen, stays as it is
    waiting = db.write(registration.register_jobseeker, ev.id, person()).registration
    assert waiting.status == "waitlisted"
    elsewhere = db.write(registration.register_jobseeker, other.id, person()).registration
    db.write(checkin.check_in, regs[2].id)
    before = db.read(lambda s: {r.id: r.model_dump() for r in s.exec(select(Registration))})
    chosen = [regs[0].id, regs[1].id, regs[2].id, waiting.id, cancelled.id, elsewhere.id, 999_999]
    assert db.write(checkin.check_in_many, ev.id, chosen) == 2
    after = db.read(lambda s: {r.id: r.model_dump() for r in s.exec(select(Registration))})
    changed = {i for i in after if after[i] != before[i]}
    assert changed == {regs[0].id, regs[1].id}
    assert all(after[i]["checked_in_at"] is not None and not after[i]["no_show"] for i in changed)
    assert after[regs[2].id]["checked_in_at"] == before[regs[2].id]["checked_in_at"]  # already in: kept
    # Idempotent: the same list again changes nothing.
    assert db.write(checkin.check_in_many, ev.id, chosen) == 0
    assert db.read(lambda s: {r.id: r.model_dump() for r in s.exec(select(Registration))}) == after
    assert db.write(checkin.check_in_many, ev.id, []) == 0


@needs_pdftoppm
def test_a_long_name_still_has_its_code_readable(db, create_event, tmp_path):
    ev = create_event(capacity_jobseekers=5)
    reg = db.write(registration.register_jobseeker, ev.id, person(name="Maximiliaan-Alexander Oudshoorn")).registration
    data = db.read(badges.badges_pdf, ev.id, "nl")
    texts = [t for t, _ in texts_and_sizes(data)[0]]
    assert "Maximiliaan-" in texts and "Alexander" in texts  # broken at the hyphen, nothing lost
    x, y = badges._card_origin(0, back=False)
    card = render(data, tmp_path)[0].crop((mm(x), mm(y), mm(x + badges.CARD_W), mm(y + badges.CARD_H)))
    assert codes_in(card) == [_code(db, reg.id)]


def test_a_character_no_font_has_is_printed_as_a_question_mark(db, create_event):
    ev = create_event(capacity_jobseekers=5)
    db.write(registration.register_jobseeker, ev.id, person(name="李 Wei"))
    badge_text = [t for t, _ in texts_and_sizes(db.read(badges.badges_pdf, ev.id, "nl"))[0]]
    assert "?" in badge_text and "李" not in " ".join(badge_text)
    door_text = " ".join(t for t, _ in texts_and_sizes(db.read(badges.door_list_pdf, ev.id, "nl"))[0])
    assert "? Wei" in door_text


def test_the_embedded_qr_images_hold_the_codes_without_a_rasteriser(db, fair):
    """Where pdftoppm is missing: the QR images as embedded in the PDF, read with zxing-cpp."""
    ev, anna, bram, kees = fair
    expected = {_code(db, r.id) for r in (anna, bram, kees)}
    for build in (badges.badges_pdf, badges.door_list_pdf):
        page = PdfReader(io.BytesIO(db.read(build, ev.id, "nl"))).pages[0]
        found = set()
        for image in page.images:
            found |= set(codes_in(Image.open(io.BytesIO(image.data)).convert("L")))
        assert found == expected
