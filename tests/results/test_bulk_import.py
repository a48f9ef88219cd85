"""Bulk import of the people an organisation already has on file: the files Dutch offices export,
per-row problems, known people merged only by choice, consent as the file states it (with its date,
never ours), the rows with a problem left out only as shown, limits checked while reading, and undo."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from eventtool.registration import registration
from eventtool.core import tables
from eventtool.core.errors import DomainError
from eventtool.people.models import Consent, Employer, Jobseeker
from eventtool.results import bulk_import

from ..conftest import company, person

HEAD = "Naam;E-mailadres;Telefoon;Regio;Toestemming;Toestemming datum;Doelgroep;Ondersteuning;Toestemming gezondheid\n"


def count(db, model) -> int:
    return db.read(lambda s: s.exec(select(func.count()).select_from(model)).one())


def test_preview_names_each_problem_and_who_is_known(db, create_event):
    known_id = db.write(registration.register_jobseeker, create_event().id,
                        person(1, email="bekend@example.nl")).registration.jobseeker_id
    content = (HEAD
               + "Ans de Vries;ans@example.nl;06 12345678;Haaglanden;ja;03-09-2025;Banenafspraak;Rolstoeltoegankelijk;ja\n"
               + "Bekende Bert;BEKEND@example.nl;;;ja;1-1-2025;;;\n"
               + "Zonder Toestemming;z@example.nl;;;nee;;;;\n"
               + "Rare Regio;r@example.nl;;Atlantis;ja;31-02-2025;;;\n"
               + "Dubbele Ans;ans@example.nl;;;ja;1-1-2025;;;\n"
               + "Geen Gezondheid;g@example.nl;;;ja;02-01-2025;Wajong;Een rustige ruimte;nee\n").encode("cp1252")
    seen = db.read(bulk_import.preview, content, "klanten.csv", "jobseekers")
    assert [r.number for r in seen.new] == [2, 7]
    assert [(r.number, r.known_id) for r in seen.known] == [(3, known_id)]
    problems = {r.number: {f for f, _, _ in r.problems} for r in seen.problems}
    assert problems == {4: {"consent"}, 5: {"region", "consent_date"}, 6: {"email"}}
    # Each problem names the value that is wrong.
    assert sorted(seen.rows[3].problems) == [("consent_date", "import.bad_date", {"value": "31-02-2025"}),
                                             ("region", "import.unknown_region", {"value": "Atlantis"})]
    assert seen.rows[4].problems == [("email", "import.twice_in_file", {"row": 2, "value": "ans@example.nl"})]
    # ... under the file's own heading (the page shows these, never a field's internal name).
    assert [seen.heading(f) for f in ("consent_date", "consent_registration", "region", "school")] == \
        ["Toestemming datum", "Toestemming", "Regio", None]
    first = seen.new[0]
    assert first.values.phone == "+31612345678" and first.values.target_group == "banenafspraak"
    assert first.values.support_needs == ["wheelchair"] and first.consent_at.year == 2025
    assert seen.new[1].dropped == ["support_needs", "target_group"] and seen.new[1].values.support_needs == []
    assert count(db, Jobseeker) == 1  # a preview saves nothing


def test_commit_is_all_or_nothing_and_merges_only_by_choice(db, create_event):
    ev = create_event()
    known_id = db.write(registration.register_jobseeker, ev.id,
                        person(1, email="bekend@example.nl", name="Bert Oud")).registration.jobseeker_id
    db.write(registration.register_jobseeker, ev.id, person(2, email="ander@example.nl", name="Ander Oud"))
    bad = (HEAD + "Nieuw;nieuw@example.nl;;;ja;1-6-2025;;;\nFout;fout@example.nl;;;misschien;;;;\n").encode()
    with pytest.raises(DomainError) as caught:
        db.write(bulk_import.commit, bad, "f.csv", "jobseekers", [], "staff@example.nl")
    assert caught.value.code == "import.has_problems" and count(db, Jobseeker) == 2
    good = (HEAD + "Nieuw Persoon;nieuw@example.nl;;;ja;01-06-2025;;;\n"
            + "Bert Nieuw;bekend@example.nl;0612345678;Twente;ja;01-05-2025;;;\n"
            + "Ander Nieuw;ander@example.nl;;;ja;01-05-2025;;;\n").encode()
    result = db.write(bulk_import.commit, good, "f.csv", "jobseekers", [known_id], "staff@example.nl")
    assert (result.created, result.merged, result.skipped) == (1, 1, 1)
    people = db.read(lambda s: {p.email: (p.name, p.phone, p.region) for p in s.exec(select(Jobseeker))})
    assert people["bekend@example.nl"] == ("Bert Nieuw", "+31612345678", "Twente")  # chosen: merged
    assert people["ander@example.nl"][0] == "Ander Oud"  # not chosen: as it was
    consent = db.read(lambda s: s.exec(select(Consent).join(Jobseeker, Jobseeker.id == Consent.jobseeker_id)
                                       .where(Jobseeker.email == "nieuw@example.nl")).all())
    assert [(c.scope, c.given_at.date().isoformat()) for c in consent] == [("registration", "2025-06-01")]

    batch = db.read(bulk_import.last_batch)
    db.write(bulk_import.undo_last, batch.id)
    people = db.read(lambda s: {p.email: (p.name, p.phone, p.region) for p in s.exec(select(Jobseeker))})
    assert set(people) == {"bekend@example.nl", "ander@example.nl"}
    assert people["bekend@example.nl"] == ("Bert Oud", None, None)
    with pytest.raises(DomainError):
        db.write(bulk_import.undo_last, batch.id)  # undone already


def test_undo_is_refused_once_someone_imported_signed_up(db, create_event):
    content = (HEAD + "Nieuw Persoon;nieuw@example.nl;;;ja;1-6-2025;;;\n").encode()
    db.write(bulk_import.commit, content, "f.csv", "jobseekers", [], "staff@example.nl")
    db.write(registration.register_jobseeker, create_event().id, person(5, email="nieuw@example.nl"))
    with pytest.raises(DomainError) as caught:
        db.write(bulk_import.undo_last, db.read(bulk_import.last_batch).id)
    assert caught.value.code == "import.undo_in_use" and caught.value.params == {"count": 1}


def test_employers_from_excel_with_our_own_headers(db, create_event):
    db.write(registration.register_employer, create_event().id, company(1, organisation="Zorggroep Oost B.V."))
    book = Workbook()
    sheet = book.active
    sheet.append(["Organisatie", "Contactpersoon", "E-mail", "Telefoon", "Sectoren", "SROI"])
    sheet.append(["Zorggroep Oost", "Karin", "karin@oost.nl", 612345678, "Zorg en welzijn", "ja"])
    sheet.append(["Bakkerij Brood", "Piet", "piet@brood.nl", None, "Productie, Winkel", None])
    buffer = io.BytesIO()
    book.save(buffer)
    seen = db.read(bulk_import.preview, buffer.getvalue(), "werkgevers.xlsx", "employers")
    assert [r.known_name for r in seen.known] == ["Zorggroep Oost B.V."] and not seen.problems
    result = db.write(bulk_import.commit, buffer.getvalue(), "werkgevers.xlsx", "employers", [], "staff@example.nl")
    assert (result.created, result.merged, result.skipped) == (1, 0, 1)
    brood = db.read(lambda s: s.exec(select(Employer).where(Employer.organisation == "Bakkerij Brood")).one())
    assert brood.sectors == ["production", "retail"] and brood.sroi is False


def test_a_file_that_is_no_table_of_people(db):
    with pytest.raises(DomainError):
        db.read(bulk_import.preview, b"foo;bar\n1;2\n", "x.csv", "jobseekers")
    with pytest.raises(DomainError):
        db.read(bulk_import.preview, b"\x00\x01\x02", "x.xlsx", "jobseekers")


def consents(db, email: str) -> list[tuple[str, str]]:
    return db.read(lambda s: sorted((c.scope, c.given_at.date().isoformat()) for c in s.exec(
        select(Consent).join(Jobseeker, Jobseeker.id == Consent.jobseeker_id).where(Jobseeker.email == email))))


def test_consent_without_its_date_is_a_problem_never_the_moment_of_import(db):
    """Consent is a legal record: its date is what the file says. A row that says 'ja' without a
    date is named in the preview and is not imported (so gets no consent); a merge records the
    file's date too, never ours."""
    def add_unconsented(s):  # known from before, without any consent on record
        s.add(Jobseeker(name="Bert Oud", email="bert@example.nl"))
    db.write(add_unconsented)
    content = (HEAD + "Zonder Datum;zonder@example.nl;;;ja;;;;\n"
               + "Met Datum;met@example.nl;;;ja;14-03-2024;;;ja\n"
               + "Bert Nieuw;bert@example.nl;;;ja;2024-02-01;;;\n"
               + "Te Vroeg;later@example.nl;;;ja;01-01-2099;;;\n").encode()
    seen = db.read(bulk_import.preview, content, "f.csv", "jobseekers")
    assert {r.number: r.problems for r in seen.problems} == {
        2: [("consent_date", "import.consent_without_date", {})],
        5: [("consent_date", "import.consent_in_future", {"value": "01-01-2099"})]}
    merge = [r.known_id for r in seen.known]
    result = db.write(bulk_import.commit, content, "f.csv", "jobseekers", merge, "staff@example.nl", [2, 5])
    assert (result.created, result.merged, result.left_out) == (1, 1, 2)
    assert consents(db, "zonder@example.nl") == [] and count(db, Jobseeker) == 2 + 0  # not imported at all
    assert consents(db, "met@example.nl") == [("registration", "2024-03-14"), ("special_category", "2024-03-14")]
    assert consents(db, "bert@example.nl") == [("registration", "2024-02-01")]


def test_rows_with_a_problem_are_left_out_only_as_shown(db):
    """One bad row does not stop the import: staff see it and leave it out. The rows left out must
    be exactly those shown, or nothing is saved."""
    content = (HEAD + "Goed Een;een@example.nl;;;ja;1-1-2025;;;\n"
               + "Fout;fout@example.nl;;Mars;ja;1-1-2025;;;\n"
               + "Goed Twee;twee@example.nl;;;ja;1-1-2025;;;\n").encode()
    for wrong in ([], [2], [3, 4]):
        with pytest.raises(DomainError) as caught:
            db.write(bulk_import.commit, content, "f.csv", "jobseekers", [], "staff@example.nl", wrong)
        assert caught.value.code == "import.has_problems" and count(db, Jobseeker) == 0
    result = db.write(bulk_import.commit, content, "f.csv", "jobseekers", [], "staff@example.nl", [3])
    assert (result.created, result.left_out) == (2, 1)
    assert db.read(lambda s: sorted(p.email for p in s.exec(select(Jobseeker)))) == \
        ["een@example.nl", "twee@example.nl"]


def test_a_merge_lists_the_fields_it_overwrites(db, create_event):
    ev = create_event()
    db.write(registration.register_jobseeker, ev.id, person(1, email="bert@example.nl", name="Bert Oud"))
    db.write(registration.register_employer, ev.id, company(1, organisation="Bakkerij Brood",
                                                            contact_name="Piet", offers="Banen"))
    content = (HEAD + "Bert Nieuw;bert@example.nl;06 12345678;Twente;ja;1-1-2025;;;\n").encode()
    seen = db.read(bulk_import.preview, content, "f.csv", "jobseekers")
    assert [sorted(r.overwrites) for r in seen.known] == [["name", "phone", "region"]]
    same = (HEAD + "Bert Oud;bert@example.nl;;;ja;1-1-2025;;;\n").encode()
    assert [r.overwrites for r in db.read(bulk_import.preview, same, "f.csv", "jobseekers").known] == [[]]
    employers = "Bedrijf;Contactpersoon;Mail;Aanbod\nBakkerij Brood B.V.;Karin;hr1@bedrijf.nl;Banen\n".encode()
    seen = db.read(bulk_import.preview, employers, "f.csv", "employers")
    assert [r.overwrites for r in seen.known] == [["contact_name"]]  # the organisation's spelling stays
    assert seen.heading("contact_name") == "Contactpersoon"


def counting(monkeypatch, name: str) -> list[int]:
    """Count the rows `tables` pulls from its reader."""
    pulled = [0]
    real = getattr(tables, name)

    def rows(*args):
        for row in real(*args):
            pulled[0] += 1
            yield row
    monkeypatch.setattr(tables, name, rows)
    return pulled


def big_csv(rows: int):
    yield HEAD.encode()
    for n in range(rows):
        yield f"Persoon {n};p{n}@example.nl;;;ja;1-1-2025;;;\n".encode()


def test_too_many_rows_stops_reading_at_the_limit_csv(db, monkeypatch):
    monkeypatch.setattr(bulk_import, "MAX_ROWS", 100)
    pulled = counting(monkeypatch, "_csv_rows")
    content = b"".join(big_csv(100_000))
    with pytest.raises(DomainError) as caught:
        db.read(bulk_import.preview, content, "f.csv", "jobseekers")
    assert (caught.value.code, caught.value.params) == ("file.too_many_rows", {"max": 100})
    assert pulled[0] == 1 + 101  # the heading and the first row past the limit, not 100,000
    assert len(db.read(bulk_import.preview, b"".join(big_csv(100)), "f.csv", "jobseekers").new) == 100


def test_too_many_rows_stops_reading_at_the_limit_xlsx(db, monkeypatch):
    monkeypatch.setattr(bulk_import, "MAX_ROWS", 100)
    pulled = counting(monkeypatch, "_xlsx_rows")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEAD.strip().split(";"))
    for n in range(1_000):
        sheet.append([f"Persoon {n}", f"p{n}@example.nl", None, None, "ja", "1-1-2025"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DomainError) as caught:
        db.read(bulk_import.preview, buffer.getvalue(), "f.xlsx", "jobseekers")
    assert (caught.value.code, caught.value.params) == ("file.too_many_rows", {"max": 100})
    assert pulled[0] == 1 + 101


def workbook(rows: int) -> bytes:
    book = Workbook()  # not write-only: this one records its size in the sheet, as Excel does
    book.active.append(HEAD.strip().split(";"))
    for n in range(rows):
        book.active.append([f"Persoon {n}", f"p{n}@example.nl", None, None, "ja", "1-1-2025"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_sheet_that_says_it_is_too_large_is_refused_unread(db, monkeypatch):
    monkeypatch.setattr(bulk_import, "MAX_ROWS", 100)
    pulled = counting(monkeypatch, "_xlsx_rows")
    with pytest.raises(DomainError) as caught:
        db.read(bulk_import.preview, workbook(101), "f.xlsx", "jobseekers")
    assert (caught.value.code, pulled[0]) == ("file.too_many_rows", 0)
    assert len(db.read(bulk_import.preview, workbook(100), "f.xlsx", "jobseekers").new) == 100


def test_a_sheet_that_gives_too_small_a_size_is_read_to_its_last_row(db):
    content = workbook(5)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet, found = re.subn(rb'<dimension ref="A1:I6"\s*/>', b'<dimension ref="A1:I2"/>',
                           parts["xl/worksheets/sheet1.xml"])
    assert found == 1
    parts["xl/worksheets/sheet1.xml"] = sheet
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert [r.number for r in db.read(bulk_import.preview, buffer.getvalue(), "f.xlsx", "jobseekers").new] == \
        [2, 3, 4, 5, 6]


def test_a_file_too_large_is_refused_before_it_is_read(db, monkeypatch):
    pulled = counting(monkeypatch, "_csv_rows")
    content = HEAD.encode() + b"Een Naam;" + b"x" * tables.MAX_BYTES + b";;;ja;1-1-2025;;;\n"
    with pytest.raises(DomainError) as caught:
        db.read(bulk_import.preview, content, "f.csv", "jobseekers")
    assert (caught.value.code, caught.value.params) == ("file.too_large", {"max": 20})
    assert pulled[0] == 0


def test_a_cell_too_long_fails_its_own_row_only(db):
    content = (HEAD + "Goed Een;een@example.nl;;;ja;1-1-2025;;;\n"
               + "Te Lang;" + "x" * 500_000 + ";;;ja;1-1-2025;;;\n"  # past the csv module's own limit
               + "Goed Twee;twee@example.nl;;;ja;1-1-2025;;;\n"
               + "Ook Te Lang;lang@example.nl;;;ja;1-1-2025;;;" + "y" * (tables.MAX_CELL + 1) + "\n"
               + "Goed Drie;drie@example.nl;;;ja;1-1-2025;;;\n").encode()
    seen = db.read(bulk_import.preview, content, "f.csv", "jobseekers")
    assert [r.number for r in seen.new] == [2, 4, 6]
    assert {r.number: [(code, params) for _, code, params in r.problems] for r in seen.problems} == {
        3: [("file.cell_too_long", {"max": tables.MAX_CELL})], 5: [("file.cell_too_long", {"max": tables.MAX_CELL})]}
    assert seen.rows[3].problems[0][0] == "consent_special"  # the column, where it is known


TEXT = "Naam;E-mailadres;Toestemming;Toestemming datum\r\nAns de Vriés;ans@example.nl;ja;3-9-2025\r\n"


@pytest.mark.parametrize("encoded", [
    TEXT.encode("utf-8"), TEXT.encode("utf-8-sig"), TEXT.encode("cp1252"),
    TEXT.encode("utf-16"), b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT.encode("utf-16-le"),
    TEXT.replace(";", "\t").encode("utf-16"),  # Excel's 'Unicode-tekst': UTF-16 LE with BOM and tabs
], ids=["utf-8", "utf-8-bom", "cp1252", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "excel-unicode-text"])
def test_the_encodings_dutch_offices_save_in(db, encoded):
    seen = db.read(bulk_import.preview, encoded, "f.csv", "jobseekers")
    assert [(r.values.name, r.values.email) for r in seen.new] == [("Ans de Vriés", "ans@example.nl")]


def test_a_stray_byte_spoils_its_own_row_not_the_headings(db):
    content = (TEXT + "Bert;bert@example.nl;ja;3-9-2025\r\n").encode("utf-8-sig") \
        + "Caf\xe9 Chris;chris@example.nl;ja;3-9-2025\r\n".encode("cp1252")
    seen = db.read(bulk_import.preview, content, "f.csv", "jobseekers")
    assert [r.values.name for r in seen.new] == ["Ans de Vriés", "Bert"]
    assert [(r.number, r.problems[0][1]) for r in seen.problems] == [(4, "file.row_encoding")]


def test_a_file_that_is_no_text_says_so(db):
    with pytest.raises(DomainError) as caught:
        db.read(bulk_import.preview, b"\xff\xfeN\x00a\x00a\x00m", "f.csv", "jobseekers")  # odd UTF-16
    assert caught.value.code == "file.encoding"
    with pytest.raises(DomainError) as caught:
        db.read(bulk_import.preview, b"Naam;E-mail\n\x00\x01\x02\x03;x\n", "f.csv", "jobseekers")
    assert caught.value.code == "file.encoding"
