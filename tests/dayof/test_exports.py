import csv
import json
import os
import re
import io
import math
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from eventtool.dayof import checkin, exports
from eventtool.events import events
from eventtool.registration import registration
from eventtool.planning import speedmeet
from eventtool.core.errors import DomainError
from eventtool.core.timeutil import to_local

from ..conftest import company, person

DANGEROUS = ["=1+1", "+31 6 1234", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]


@pytest.fixture
def fair(db, create_event):
    ev = create_event(kind="job_fair", title="Banenmarkt", capacity_jobseekers=20, capacity_employers=5)
    start = to_local(ev.starts_at)
    db.write(events.add_block, ev.id, dict(title="Leerlingen", audience="pupils", starts_at=start,
                                           ends_at=start + timedelta(hours=1)))
    # A fixed n each (not the suite's counter): e-mail addresses, and so column widths, are the same
    # whatever ran before.
    emp = db.write(registration.register_employer, ev.id, company(1, organisation="=Bedrijf")).registration
    for n, name in enumerate(DANGEROUS + ["Zoë Ñúñez", "Ahmed"]):
        extra = dict(support_needs=["wheelchair"], target_group="wajong", consent_special=True) if n == 0 else {}
        if n == 1:
            extra["school"] = "VSO De Widdonck"
        db.write(registration.register_jobseeker, ev.id, person(n, name=name, **extra), picks=[emp.employer_id])
    return ev, emp


def test_the_fair_is_the_same_whatever_ran_before(db, fair):
    """Its addresses came from the suite's counter, so column widths depended on the tests run before
    (persoon146@example.nl from the 100th person on: the flake fixed in 13bb939)."""
    ev, emp = fair
    sheet = db.read(exports.attendance, ev.id, columns=["email"])
    assert sorted(r[0] for r in sheet.rows) == sorted([f"persoon{n}@example.nl" for n in range(7)] + ["hr1@bedrijf.nl"])


def test_csv_has_bom_and_neutralises_formulas(db, fair):
    ev, _ = fair
    sheet = db.read(exports.attendance, ev.id, columns=["name", "party", "support_needs"])
    for delimiter in (",", ";"):
        data = exports.to_csv(sheet, delimiter)
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
        assert rows[0] == ["Naam", "Rol", "Ondersteuning"]
        names = [r[0] for r in rows[1:]]
        for bad in DANGEROUS:
            assert "'" + bad in names
        assert "Zoë Ñúñez" in names
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows[1:] for cell in r)


@pytest.mark.parametrize("value, guarded", [
    ("Jan;=1+1;", "Jan;'=1+1;"), ("Jan,=1+1", "Jan,'=1+1"), ("a; @SUM(A1)", "a; '@SUM(A1)"), ("=x", "'=x"),
    ("De Boer-Jansen", "De Boer-Jansen"), ("Zoë 🙂", "Zoë 🙂"), ("", ""),
])
def test_every_piece_a_spreadsheet_may_split_off_is_guarded(value, guarded):
    assert exports.neutralise(value) == guarded


def test_a_cell_split_at_the_other_delimiter_never_becomes_a_formula(db, create_event):
    """A ';' inside a cell of a ',' file is where Dutch Excel splits it (and the other way round)."""
    ev = create_event(kind="job_fair", capacity_jobseekers=5)
    db.write(registration.register_jobseeker, ev.id, person(1, name="Jan;=1+1;", phone="+31612345678"))
    db.write(registration.register_jobseeker, ev.id, person(2, name="Hans,=2+2", phone="+4930123456"))
    sheet = db.read(exports.attendance, ev.id, columns=["name", "phone"])
    for written, opened in ((",", ";"), (";", ","), (",", ","), (";", ";")):
        text = exports.to_csv(sheet, written).decode("utf-8-sig")
        cells = [c.strip('"') for line in text.splitlines()[1:] for c in line.split(opened)]
        assert not any(c.lstrip().startswith(("=", "+", "-", "@")) for c in cells), (written, opened, cells)
    # Phone numbers are readable and stay text: no '+316..., no quote in front.
    phones = {r[1] for r in sheet.rows}
    assert phones == {"06 12345678", "0049 30 123456"}


def test_xlsx_never_has_formulas_and_has_a_frozen_filtered_header(db, fair):
    ev, _ = fair
    sheet = db.read(exports.attendance, ev.id, columns=["name", "email", "status"])
    wb = load_workbook(io.BytesIO(exports.to_xlsx(sheet)))
    ws = wb.active
    # The event's name and date stand above the table.
    assert ws["A1"].value == "Banenmarkt" and ws["A2"].value == sheet.subtitle
    assert ws["A2"].value.startswith(exports.fmt_local(ev.starts_at))
    assert [c.value for c in ws[3]] == ["Naam", "E-mail", "Status"]
    assert ws["A3"].font.bold and ws.freeze_panes == "A4" and ws.auto_filter.ref == f"A3:C{len(sheet.rows) + 3}"
    values = [c.value for row in ws.iter_rows(min_row=4) for c in row]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    for bad in DANGEROUS:
        assert bad in values  # kept as typed, as text
    wb_formulas = load_workbook(io.BytesIO(exports.to_xlsx(sheet)), data_only=False)
    assert not any(isinstance(c.value, str) and c.data_type == "f" for row in wb_formulas.active.iter_rows() for c in row)


def test_xlsx_prints_on_landscape_pages_fitted_to_width_with_heading_and_page_numbers(db, fair):
    ev, _ = fair
    sheet = db.read(exports.attendance, ev.id, columns=["name", "party", "email", "phone", "status"])
    ws = load_workbook(io.BytesIO(exports.to_xlsx(sheet, "nl"))).active
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3"  # the heading row on every printed page
    assert ws.print_title_cols is None and ws.page_setup.scale is None  # one page across, fitted by the program
    assert ws.oddHeader.left.size == ws.oddFooter.right.size == 12
    assert ws.oddHeader.left.text == "Banenmarkt" and ws.oddHeader.right.text == exports.fmt_local(ev.starts_at)
    assert ws.oddFooter.right.text == "Pagina &P van &N"
    assert ws["A4"].font.size >= 12
    english = load_workbook(io.BytesIO(exports.to_xlsx(sheet, "en"))).active
    assert english.oddFooter.right.text == "Page &P of &N" and english.title == "Attendance list"


def planned_speedmeet(db, create_event):
    """A speedmeet of 3 rounds, one employer and three jobseekers who all picked it, planned."""
    ev = create_event(kind="speedmeet", capacity_jobseekers=10, capacity_employers=3)
    emp = db.write(registration.register_employer, ev.id, company(1)).registration.employer_id
    for n in range(3):
        db.write(registration.register_jobseeker, ev.id, person(n), picks=[emp])
    db.write(speedmeet.save_settings, ev.id, dict(rounds=3, round_minutes=10, break_minutes=5,
                                                  first_round_at=to_local(ev.starts_at), max_meetings=1, coverage_bonus=5))
    db.write(speedmeet.run_planner, ev.id)
    return ev, emp


def test_xlsx_numbers_and_times_are_real_cells(db, create_event):
    from datetime import time
    ev, emp = planned_speedmeet(db, create_event)
    sheet = db.read(exports.attendance, ev.id, columns=["round", "time", "table", "name"], employer_id=emp)
    ws = load_workbook(io.BytesIO(exports.to_xlsx(sheet))).active
    first = [c.value for c in ws[4]]
    assert first[0] == 1 and isinstance(first[1], time) and isinstance(first[2], int) and isinstance(first[3], str)
    assert ws["B4"].number_format == "hh:mm"


def test_file_names_carry_the_event_date(db, create_event):
    one = create_event(title="Banenmarkt & Meer!")
    two = create_event(title="Banenmarkt & Meer!", starts_at=to_local(one.starts_at) + timedelta(days=7))
    names = {exports.filename(db.read(exports.attendance, e.id), "xlsx") for e in (one, two)}
    assert names == {f"presentielijst-banenmarkt-meer-{to_local(e.starts_at):%Y-%m-%d}.xlsx" for e in (one, two)}
    assert exports.filename(db.read(exports.attendance, one.id), "csv", "en").startswith("attendance-list-banenmarkt")


def test_lists_sort_by_surname_with_employers_in_their_own_section(db, create_event):
    ev = create_event(kind="job_fair", capacity_jobseekers=20, capacity_employers=5)
    for n, name in enumerate(["Bram Yilmaz", "Bram de Boer", "émile Zwart", "Özlem Aydın", "anna bakker"]):
        db.write(registration.register_jobseeker, ev.id, person(n, name=name))
    for n, org in enumerate(["Zorggroep", "Ábaco BV"]):
        db.write(registration.register_employer, ev.id, company(n, organisation=org, contact_name="Jan"))
    sheet = db.read(exports.attendance, ev.id, columns=["name", "party"])
    assert [r[0] for r in sheet.rows] == ["Özlem Aydın", "anna bakker", "Bram de Boer", "Bram Yilmaz", "émile Zwart",
                                          "Ábaco BV (Jan)", "Zorggroep (Jan)"]
    assert sheet.sections == [("Werkzoekenden", 5), ("Werkgevers", 2)]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.to_pdf(sheet))).pages)
    assert text.index("Werkzoekenden (5)") < text.index("Özlem") < text.index("Werkgevers (2)") < text.index("Ábaco")


def test_dashboard_tables_in_the_page_language():
    from datetime import datetime
    sheet = exports.table_sheet("Trend", ["Datum", "Mensen", "Aandeel"],
                                [[datetime(2026, 5, 1), 12, 0.425], [datetime(2026, 6, 1), 3, None]], "nl")
    rows = list(csv.reader(io.StringIO(exports.to_csv(sheet, exports.csv_delimiter("nl")).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1] == ["01-05-2026", "12", "0,425"] and rows[2] == ["01-06-2026", "3", ""]
    ws = load_workbook(io.BytesIO(exports.to_xlsx(sheet))).active
    assert [c.value for c in ws[4]] == ["01-05-2026", 12, 0.425]
    assert exports.csv_delimiter("en") == "," and exports.table_sheet("T", ["a"], [[0.5]], "en").rows == [["0.5"]]


def test_pdf_sign_in_sheet(db, fair):
    ev, _ = fair
    sheet = db.read(exports.attendance, ev.id, columns=["name", "party"])
    reader = PdfReader(io.BytesIO(exports.to_pdf(sheet)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Presentielijst: Banenmarkt" in text and "Handtekening" in text
    assert "Zoë Ñúñez" in text and "=1+1" in text
    assert reader.trailer["/Root"]["/Lang"] == "nl" and reader.metadata.title == "Presentielijst - Banenmarkt"


def _pdf_layout(data: bytes) -> list[tuple[float, float, float]]:
    """Per page, in pt from the paper's bottom edge: the lowest table line, the lowest text
    baseline, and the smallest font size used."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        rects = [(float(y), float(h)) for y, h in re.findall(r"[\d.-]+ ([\d.-]+) [\d.-]+ ([\d.-]+) re", content)]
        lines = [min(float(a), float(b)) for a, b in re.findall(r"[\d.-]+ ([\d.-]+) m [\d.-]+ ([\d.-]+) l", content)]
        lowest_line = min([min(y, y + h) for y, h in rects] + lines)
        baselines = [float(y) for y in re.findall(r"BT [\d.-]+ ([\d.-]+) Td", content)]
        sizes = [float(x) for x in re.findall(r"/F\d+ ([\d.]+) Tf", content)]
        pages.append((lowest_line, min(baselines), min(sizes)))
    return pages


def test_pdf_sign_in_sheet_prints_right(db, create_event):
    """12 pt at least; the table stops well above the paper's edge and the page number stands below
    it; a long title wraps; words are not broken; emoji stay."""
    title = ("Banenmarkt voor mensen met een arbeidsbeperking in de regio Noordoost-Brabant, editie voorjaar 2027 "
             "(met ontbijt)")
    assert len(title) > 110
    ev = create_event(kind="job_fair", title=title, capacity_jobseekers=200)
    for n in range(60):
        db.write(registration.register_jobseeker, ev.id, person(n, name=f"Werkzoekende{n} Achternaam 🙂"))
    sheet = db.read(exports.attendance, ev.id, columns=list(exports.DEFAULT_COLUMNS) + ["email", "region", "school"])
    data = exports.to_pdf(sheet)
    layout = _pdf_layout(data)
    assert len(layout) > 1
    mm = 72 / 25.4
    for lowest_line, lowest_text, smallest in layout:
        assert smallest >= 12
        assert lowest_line >= 15 * mm  # the table ends at least 15 mm above the paper's edge
        assert lowest_text < lowest_line  # the page number is below the table, not inside a row
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "voorjaar 2027 (met ontbijt)" in text.replace("\n", " ")  # the whole title is printed
    assert "Werkzoekende59" in text.replace("\n", "")
    assert not re.search(r"Werkzo\s*\n", text)  # not broken inside the word
    assert "🙂" in text  # from the fallback font
    assert "Pagina 1 van" in text


def test_employer_lists_never_show_support_needs_or_target_group(db, fair):
    ev, emp = fair
    sheet = db.read(exports.attendance, ev.id, columns=list(exports.COLUMNS), employer_id=emp.employer_id)
    assert "support_needs" not in sheet.columns and "target_group" not in sheet.columns
    assert len(sheet.rows) == len(DANGEROUS) + 2  # everyone picked this employer
    for_employer = db.read(exports.attendance, ev.id, columns=["name", "support_needs"], for_employer=True)
    assert for_employer.columns == ["name"]
    organiser = db.read(exports.attendance, ev.id, columns=["name", "support_needs", "target_group"])
    assert ["=1+1", "Rolstoeltoegankelijk", "Wajong"] in organiser.rows


def test_block_list_has_only_its_audience(db, fair):
    ev, _ = fair
    block = db.read(events.list_blocks, ev.id)[0]
    sheet = db.read(exports.attendance, ev.id, columns=["name"], block_id=block.id)
    assert sheet.rows == [["+31 6 1234"]]  # the one pupil


def test_speedmeet_employer_list_has_times_and_tables(db, create_event):
    ev, emp = planned_speedmeet(db, create_event)
    sheet = db.read(exports.attendance, ev.id, columns=["time", "table", "name"], employer_id=emp)
    assert len(sheet.rows) == 3 and [r[1] for r in sheet.rows] in (["1", "1", "1"], ["1", "2", "1"], ["2", "1", "1"], ["1", "1", "2"])
    assert [r[0] for r in sheet.rows] == sorted(r[0] for r in sheet.rows)


def test_checked_in_column_and_errors(db, fair):
    ev, _ = fair
    row = db.read(checkin.door_list, ev.id, "ahmed")[0]
    db.write(checkin.check_in, row.registration_id)
    sheet = db.read(exports.attendance, ev.id, columns=["name", "checked_in"])
    assert [r for r in sheet.rows if r[0] == "Ahmed"][0][1] != ""
    with pytest.raises(DomainError, match="exports.no_columns"):
        db.read(exports.attendance, ev.id, columns=["nonsense"])
    with pytest.raises(DomainError, match="exports.bad_format"):
        exports.export(sheet, "docx")


def test_long_list_wraps_between_words_and_at_line_breaks():
    pdf = exports._SignInPDF(exports.table_sheet("T", ["a"], [], "nl"), "nl")
    measure = exports._Measure(pdf)
    room = measure.width("Noordoost-Brabant")
    assert exports._wrap(measure, "Noordoost-Brabant", room) == ["Noordoost-Brabant"]
    assert exports._wrap(measure, "Rolstoel Noordoost-Brabant", room) == ["Rolstoel", "Noordoost-Brabant"]
    assert exports._wrap(measure, "Tolk\nRolstoel", room) == ["Tolk", "Rolstoel"]
    # Only a word wider than the whole column is cut, and nothing of it is lost.
    assert "".join(exports._wrap(measure, "Noordoost-Brabant-en-Omstreken", room)) == "Noordoost-Brabant-en-Omstreken"
    assert all(measure.width(line) <= room for line in exports._wrap(measure, "Noordoost-Brabant-en-Omstreken", room))


# Names as a job fair's list has them: diacritics, particles, double surnames, a jobcoach coming along.
NAMES = ["Zoë Ñúñez", "Çağlar Yılmaz", "Anne-Marie van den Heuvel-Ouédraogo", "Jan-Willem van 't Hooft",
         "Fatima El Idrissi-Bennani", "Bram de Boer", "Özlem Aydın", "Maria Magdalena Theodora van Oosterhout-Verbeek"]


def fair_sheet(people: int, columns=exports.COLUMNS, lang: str = "nl", name: str | None = None) -> exports.Sheet:
    """A list of `people` jobseekers with every column filled the way a real one is."""
    t = exports.translate
    rows = []
    for n in range(people):
        value = {
            "name": name if name and n == 0 else f"{NAMES[n % len(NAMES)]} {n}",
            "party": t("party.jobseeker", lang), "companion": ["", "Jobcoach: Petra van Dijk", "Tolk"][n % 3],
            "email": f"persoon{n}.achternaam@example.nl", "phone": "06 12345678",
            "region": ["Noordoost-Brabant", "Midden-Brabant", "West-Brabant"][n % 3],
            "school": ["", "VSO De Widdonck", "Praktijkonderwijs Het Hooghuis Oss"][n % 3],
            "status": t("status.confirmed", lang), "arrival": "10:30", "round": "2", "time": "11:15", "table": "12",
            "checked_in": "10:42",
            "support_needs": ["", "Rolstoeltoegankelijk", "Rolstoeltoegankelijk, Prikkelarme ruimte, Tolk gebarentaal"][n % 3],
            "target_group": ["", "Wajong", "Participatiewet (banenafspraak)"][n % 3],
        }
        rows.append([value[c] for c in columns])
    return exports.Sheet("Banenmarkt Noordoost-Brabant", "woensdag 9 december 2026 10:00 · Autotron, Rosmalen",
                         list(columns), [t(f"exports.col.{c}", lang) for c in columns], rows)


def _font_sizes(data: bytes) -> set[float]:
    return {float(size) for page in PdfReader(io.BytesIO(data)).pages
            for size in re.findall(r"/F\d+ ([\d.]+) Tf", page.get_contents().get_data().decode("latin-1"))}


CHOICES = [exports.COLUMNS[:k] for k in range(1, len(exports.COLUMNS) + 1)] + [
    exports.COLUMNS[::-1], ("support_needs", "email", "school", "target_group", "companion", "name")]


@pytest.mark.parametrize("columns", CHOICES, ids=lambda c: f"{len(c)}:{c[0]}")
def test_every_choice_of_columns_prints_a_sheet_a_coordinator_can_use(columns):
    """1 to 15 columns, in any order: a sheet (12 pt throughout) whose pages hold people, not letters.
    Bound: a person takes one line of cells per line of the layout, each one or two lines of 12 pt
    text (every column at least as wide as its longest word): 10 people a page under the heading per
    line of cells, and never fewer than 4 a page (15 columns take three lines of the 232 mm). The
    old sheet: 68 pages for 6 columns on one line, 111 for 12 (words broken letter by letter), a
    crash for 14 or 15 or a long name."""
    people = 400
    sheet = fair_sheet(people, columns)
    data = exports.to_pdf(sheet)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages <= min(math.ceil(people * len(exports.sign_in_layout(sheet).lines) / 10), people // 4)
    assert min(_font_sizes(data)) >= 12


@pytest.mark.parametrize("columns", CHOICES, ids=lambda c: f"{len(c)}:{c[0]}")
def test_sign_in_sheet_breaks_no_word_that_fits_its_column(columns):
    sheet = fair_sheet(24, columns)
    layout = exports.sign_in_layout(sheet)
    measure = exports._Measure(exports._SignInPDF(sheet, "nl"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.to_pdf(sheet))).pages)
    words = set(text.split())
    width = {c: w for line, widths in zip(layout.lines, layout.widths) for c, w in zip(line, widths)}
    for row in sheet.rows:
        for c, value in enumerate(row):
            for word in value.split():
                if measure.width(word) <= width[c] - 2 * exports.PADDING:
                    assert word in words, (sheet.columns[c], word)
    if "name" in sheet.columns:
        assert layout.lines[0][0] == sheet.columns.index("name")  # the name first, whatever the order asked
    assert sorted(c for line in layout.lines for c in line) == list(range(len(columns)))  # every column, once


def test_columns_that_do_not_fit_go_to_a_second_line_per_person():
    sheet = fair_sheet(40)
    layout = exports.sign_in_layout(sheet)
    assert 2 <= len(layout.lines) <= 4 and layout.lines[0][0] == 0  # the name first
    assert [c for line in layout.lines for c in line] == list(range(len(exports.COLUMNS)))  # in the order asked
    assert layout.moved() == [sheet.columns[c] for line in layout.lines[1:] for c in line]
    assert all(abs(sum(w) - sum(layout.widths[0])) < 0.01 for w in layout.widths)  # each line as wide as the table
    few = exports.sign_in_layout(fair_sheet(40, exports.DEFAULT_COLUMNS))
    assert len(few.lines) == 1 and few.moved() == []


@pytest.mark.parametrize("name", ["X" * 100, "Wilhelmina" * 10, "a.very.long.address.without.spaces@" + "x" * 60])
def test_a_long_unbroken_name_wraps_or_ends_in_an_ellipsis(name):
    sheet = fair_sheet(30, name=name)
    data = exports.to_pdf(sheet)
    assert min(_font_sizes(data)) >= 12
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    # The name column stands left: the name's lines are the first words of the lines of the page.
    firsts = [line.split()[0] for line in text.splitlines() if line.split()]
    start = next(i for i, word in enumerate(firsts) if word.startswith(name[:10]))
    shown = ""
    for word in firsts[start:]:
        if not name.startswith(shown + word.rstrip("…")):
            break
        shown += word
    assert shown == name or (shown.endswith("…") and len(shown) >= 40), shown  # readable: 40 characters at least
    assert f"{NAMES[1]} 1" in text  # the next person follows on the same page


def test_wrapping_breaks_a_long_word_at_its_dots_and_hyphens_first():
    pdf = exports._SignInPDF(exports.table_sheet("T", ["a"], [], "nl"), "nl")
    measure = exports._Measure(pdf)
    room = measure.width("voornaam.achternaam@")
    assert exports._wrap(measure, "voornaam.achternaam@gemeente-s-hertogenbosch.nl", room) == [
        "voornaam.achternaam@", "gemeente-s-", "hertogenbosch.nl"]
    lines = exports._wrap(measure, "X" * 200, room)
    assert len(lines) == exports.MAX_LINES and lines[-1].endswith("…")
    assert all(measure.width(line) <= room for line in lines)


def test_sign_in_sheet_with_every_column_from_the_store(db, fair):
    """The sheet the download page makes with every column and a 100-character name without spaces
    (the old one stopped with 'Not enough horizontal space')."""
    ev, _ = fair
    db.write(registration.register_jobseeker, ev.id, person(100, name="Q" * 100))
    sheet = db.read(exports.attendance, ev.id, columns=list(exports.COLUMNS))
    data = exports.to_pdf(sheet)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Zoë Ñúñez" in text and min(_font_sizes(data)) >= 12
    # The name's column is as wide as the other columns leave (the e-mail addresses' length counts; the
    # fixture's are fixed, whatever ran before): the name wraps over at most 4 lines, then '…'.
    runs = re.findall(r"Q+…?", text)
    assert sum(run.count("Q") for run in runs) >= 40 and 2 <= len(runs) <= 4
    assert sum(run.count("Q") for run in runs) == 100 or runs[-1].endswith("…")


@pytest.mark.parametrize("columns", [exports.COLUMNS, ("round", "time", "table", "name") + exports.COLUMNS[1:11]],
                         ids=["all", "speedmeet order"])
def test_xlsx_too_wide_for_the_page_prints_at_10_pt_over_pages_across_with_the_name_on_each(columns):
    """Fitted to one page width the list with every column printed at about 4 pt. Now: 84% at the
    least (12 pt body and header and footer text: 10.1 pt on paper) over pages across, the heading
    row and the name column on each, a person's columns on pages side by side."""
    sheet = fair_sheet(120, columns)
    ws = load_workbook(io.BytesIO(exports.to_xlsx(sheet))).active
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == exports.MIN_SCALE
    assert 12 * ws.page_setup.scale / 100 >= 10
    assert all(c.font.size >= 12 for row in ws.iter_rows(min_row=3) for c in row if c.value is not None)
    assert ws.oddHeader.left.size == ws.oddFooter.right.size == 12
    name = "ABCDEFGHIJKLMNO"[sheet.columns.index("name")]
    assert ws.print_title_rows == "$3:$3" and ws.print_title_cols == f"${name}:${name}"
    assert ws.page_setup.pageOrder == "overThenDown"
    assert ws[f"{name}3"].value == "Naam"


def test_xlsx_body_cells_wrap_from_the_top_and_column_widths_count_every_row():
    """A value longer than its column (50 characters at most) wraps in its cell on paper instead of
    being cut where the next cell begins, and the widths are not taken from the first 500 rows."""
    sheet = fair_sheet(600)
    school = sheet.columns.index("school")
    sheet.rows[550][school] = "Regionaal Praktijkonderwijs Het Hooghuis, locatie Zuid"  # 54 characters
    ws = load_workbook(io.BytesIO(exports.to_xlsx(sheet))).active
    body = [c for row in ws.iter_rows(min_row=4) for c in row if c.value is not None]
    assert len(body) > 600 * 10
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in body)
    assert all(c.font.size == exports.BODY_PT for c in body) and ws["I4"].number_format == "hh:mm"  # arrival
    assert ws.column_dimensions["G"].width == 50  # school: from row 551's value
    again = load_workbook(io.BytesIO(exports.to_xlsx(sheet))).active
    assert [again.column_dimensions[c].width for c in "ABCDEFGHIJKLMNO"] == [
        ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMNO"]


def test_xlsx_fits_the_width_when_that_keeps_10_pt():
    narrow = fair_sheet(50, ("name", "party", "status", "checked_in"))
    widths = [load_workbook(io.BytesIO(exports.to_xlsx(narrow))).active.column_dimensions[c].width for c in "ABCD"]
    assert exports.fits_across(widths)
    assert not exports.fits_across(widths * 4)
    assert exports.fits_across([exports.PRINT_WIDTH_PT / 7 * 100 / exports.MIN_SCALE - 1])


def tricky_names_sheet() -> exports.Sheet:
    """Every column, every name two words of 10 characters: one 'WMWMWMWMWM', the others as narrow as
    'Illijlii07'. Widths were taken from the 12 longest words by character count out of a set, so
    which 12 of the tied words were measured depended on PYTHONHASHSEED (and a narrow one says
    nothing of a wide one's width)."""
    sheet = fair_sheet(40)
    for n, row in enumerate(sheet.rows):
        row[0] = ("WMWMWMWMWM" if n == 7 else f"Illijlii{n:02d}") + f" Jlijlilj{n:02d}"
    return sheet


# Run in a new process with a fixed PYTHONHASHSEED: the sheet's layout, its PDF apart from the
# creation date (and the file ID made from it), the impact report's column widths, and the words
# that fit the widest a column may be (WORD_CAP) but are not printed whole.
_SEEDED = """
import hashlib, json, re, io
from pypdf import PdfReader
import eventtool.models  # noqa: F401 - every table
from eventtool.dayof import exports
from tests.dayof.test_exports import tricky_names_sheet
sheet = tricky_names_sheet()
layout = exports.sign_in_layout(sheet)
data = exports.to_pdf(sheet)
same = re.sub(rb"/(CreationDate|ModDate) \\([^)]*\\)|/ID \\[<[0-9A-Fa-f]+><[0-9A-Fa-f]+>\\]", b"", data)
pdf = exports._SignInPDF(sheet, "nl")
measure = pdf.measure
words = set("\\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
broken = sorted({w for row in sheet.rows for value in row for w in value.split()
                 if measure.width(w) <= exports.WORD_CAP and w not in words})
report = exports.column_widths(pdf, sheet.headers[:4], [row[:4] for row in sheet.rows], 180)
print(json.dumps(dict(lines=layout.lines, widths=[[w.hex() for w in ws] for ws in layout.widths],
                      report=[w.hex() for w in report], pdf=hashlib.sha256(same).hexdigest(), broken=broken)))
"""


def test_sign_in_sheet_is_the_same_whatever_the_hash_seed_and_breaks_no_word_that_fits():
    results = {}
    for seed in ("0", "1", "2"):
        out = subprocess.run([sys.executable, "-c", _SEEDED], cwd=Path(__file__).resolve().parents[2],
                             env=dict(os.environ, PYTHONHASHSEED=seed), capture_output=True, text=True, check=True,
                             timeout=120)
        results[seed] = json.loads(out.stdout.strip().splitlines()[-1])
    assert {seed: result["broken"] for seed, result in results.items()} == {"0": [], "1": [], "2": []}
    assert results["1"] == results["0"] and results["2"] == results["0"]


def test_characters_no_font_has_print_as_a_question_mark_and_are_named_before_the_download():
    """DejaVu and Symbola have no Chinese and no 🦽 (Unicode 12): such a name printed as nothing, with
    only a warning in the log. Now a '?' per missing character, and `unprintable` names them for the
    download page. Emoji Symbola has (🙂) and invisible joiners and variation selectors stay as they were."""
    sheet = fair_sheet(6, ("name", "school"))
    sheet.rows[1][0] = "王小明"
    sheet.rows[2][0] = "Jan 🦽 Jansen"
    sheet.rows[3][0] = "Zoë 🙂 de Vries"
    sheet.rows[4][0] = "Anna ❤️ Bakker"  # with U+FE0F
    sheet.rows[5][1] = "学校 Oss"
    assert exports.unprintable(sheet) == ["王小明", "Jan 🦽 Jansen", sheet.rows[5][0]]
    assert exports.unprintable(fair_sheet(6, ("name", "school"))) == []
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.to_pdf(sheet))).pages).split())
    assert "???" in text and "Jan ? Jansen" in text and "?? Oss" in text
    assert "🙂" in text and "Anna ❤ Bakker" in text.replace("\ufe0f", "")
    layout = exports.sign_in_layout(sheet)
    assert layout.lines == [[0, 1]]
