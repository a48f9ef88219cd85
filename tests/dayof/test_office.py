"""The Excel list opened the way a coordinator's office program opens it: LibreOffice Calc (headless,
Dutch locale) prints it to PDF, and that PDF is read back."""
import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from eventtool.dayof import exports
from eventtool.registration import registration

from ..conftest import person


def soffice() -> str:
    found = shutil.which("soffice")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing; test.sh installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice not installed")
    return found


def printed(xlsx: bytes, tmp_path) -> PdfReader:
    """The PDF LibreOffice Calc prints of an Excel file (headless, Dutch locale)."""
    office = soffice()
    (tmp_path / "lijst.xlsx").write_bytes(xlsx)
    env = dict(os.environ, HOME=str(tmp_path), LANG="nl_NL.UTF-8")
    subprocess.run([office, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "lijst.xlsx")], env=env, check=True, capture_output=True, timeout=180)
    return PdfReader(io.BytesIO((tmp_path / "lijst.pdf").read_bytes()))


def printed_sizes(page) -> list[float]:
    """The size on paper, in pt, of every piece of text on a page (font size times the text and
    page matrices' vertical scale)."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * abs(tm[3]) * abs(cm[3]))
    page.extract_text(visitor_text=visit)
    return sizes


def test_libreoffice_prints_the_excel_list_landscape_with_heading_and_page_numbers(sqlite_db, create_event, tmp_path):
    ev = create_event(sqlite_db, kind="job_fair", title="Onbeperkt aan het Werk & meer", capacity_jobseekers=200)
    for n in range(120):
        sqlite_db.write(registration.register_jobseeker, ev.id,
                        person(n, name=f"Persoon{n:03d} van der Achternaam", phone=f"0612345{n:03d}"))
    sheet = sqlite_db.read(exports.attendance, ev.id, columns=["name", "party", "email", "phone", "status"])
    reader = printed(exports.to_xlsx(sheet, "nl"), tmp_path)
    pages = [p.extract_text() for p in reader.pages]
    assert 1 < len(pages) < 10  # fitted to the width, not 2 pages across per page of rows
    for n, (page, text) in enumerate(zip(reader.pages, pages), start=1):
        assert page.mediabox.width > page.mediabox.height  # landscape
        assert "Naam" in text and "Telefoon" in text  # the heading row on every page
        assert f"Pagina {n} van {len(pages)}" in text and "Onbeperkt aan het Werk & meer" in text
    found = "".join(pages)
    assert all(f"Persoon{n:03d}" in found for n in range(120))
    assert "06 12345007" in found  # phone numbers as people write them
    assert min(size for page in reader.pages for size in printed_sizes(page)) >= 10


# Wider than the widest column (50 characters): cut off at the next cell unless body cells wrap.
LONG_SCHOOL = ("Regionaal Praktijkonderwijs Het Hooghuis, locatie Zuid, voor leerlingen uit Oss, Uden, Veghel "
               "en omstreken")


def test_libreoffice_prints_the_list_with_every_column_at_10_pt_with_the_name_on_every_page(sqlite_db, create_event,
                                                                                            tmp_path):
    """Fitted to one page wide, all 15 columns printed at about 4 pt. Now at 10 pt or more, over
    pages across, each with the heading row, the name column and its page number."""
    ev = create_event(sqlite_db, kind="job_fair", title="Banenmarkt", capacity_jobseekers=200)
    for n in range(60):
        sqlite_db.write(registration.register_jobseeker, ev.id,
                        person(n, name=f"Persoon{n:03d} van der Achternaam", phone=f"0612345{n:03d}",
                               region="Noordoost-Brabant",
                               school=LONG_SCHOOL if n == 7 else "Praktijkonderwijs Het Hooghuis",
                               support_needs=["wheelchair"], target_group="wajong", consent_special=True))
    sheet = sqlite_db.read(exports.attendance, ev.id, columns=list(exports.COLUMNS))
    reader = printed(exports.to_xlsx(sheet, "nl"), tmp_path)
    pages = [p.extract_text() for p in reader.pages]
    assert min(size for page in reader.pages for size in printed_sizes(page)) >= 10
    assert 2 <= len(pages) <= 12
    for n, (page, text) in enumerate(zip(reader.pages, pages), start=1):
        assert page.mediabox.width > page.mediabox.height  # landscape
        assert "Naam" in text and f"Pagina {n} van {len(pages)}" in text
    # Every person on a page with their e-mail address and on one with their target group, by name.
    for n in range(60):
        on = [text for text in pages if f"Persoon{n:03d}" in text]
        assert any(f"persoon{n}@example.nl" in text for text in on) and any("Wajong" in text for text in on)
    # A long value wraps in its cell and is printed in full (it was cut where the next cell begins).
    assert LONG_SCHOOL in " ".join(" ".join(pages).split())
