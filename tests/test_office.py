"""The Excel list opened the way a coordinator's office program opens it: LibreOffice Calc (headless,
Dutch locale) prints it to PDF, and that PDF is read back."""
import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from eventtool import exports, registration

from .conftest import person


def soffice() -> str:
    found = shutil.which("soffice")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing; test.sh installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice not installed")
    return found


def test_libreoffice_prints_the_excel_list_landscape_with_heading_and_page_numbers(sqlite_db, create_event, tmp_path):
    office = soffice()
    ev = create_event(sqlite_db, kind="job_fair", title="Onbeperkt aan het Werk & meer", capacity_jobseekers=200)
    for n in range(120):
        sqlite_db.write(registration.register_jobseeker, ev.id,
                        person(n, name=f"Persoon{n:03d} van der Achternaam", phone=f"0612345{n:03d}"))
    sheet = sqlite_db.read(exports.attendance, ev.id, columns=["name", "party", "email", "phone", "status"])
    (tmp_path / "lijst.xlsx").write_bytes(exports.to_xlsx(sheet, "nl"))
    env = dict(os.environ, HOME=str(tmp_path), LANG="nl_NL.UTF-8")
    subprocess.run([office, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "lijst.xlsx")], env=env, check=True, capture_output=True, timeout=180)
    reader = PdfReader(io.BytesIO((tmp_path / "lijst.pdf").read_bytes()))
    pages = [p.extract_text() for p in reader.pages]
    assert 1 < len(pages) < 10  # fitted to the width, not 2 pages across per page of rows
    for n, (page, text) in enumerate(zip(reader.pages, pages), start=1):
        assert page.mediabox.width > page.mediabox.height  # landscape
        assert "Naam" in text and "Telefoon" in text  # the heading row on every page
        assert f"Pagina {n} van {len(pages)}" in text and "Onbeperkt aan het Werk & meer" in text
    found = "".join(pages)
    assert all(f"Persoon{n:03d}" in found for n in range(120))
    assert "06 12345007" in found  # phone numbers as people write them
