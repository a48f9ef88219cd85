"""The floor list of a job fair (issue 29), read back from the PDF: every employer with a place in
stand order with their sector, where the quiet room, toilets and lift are, nothing under 12 pt, the
heading on every page, and no jobseeker named."""
import io
import re

from pypdf import PdfReader

from eventtool.dayof import floorlist
from eventtool.registration import registration, stands

from ..conftest import company, person


def _font_sizes(reader: PdfReader) -> list[float]:
    return [float(x) for page in reader.pages
            for x in re.findall(r"/F\d+ ([\d.]+) Tf", page.get_contents().get_data().decode("latin-1"))]


def _fair(db, create_event, n_employers: int):
    fair = create_event(kind="job_fair", title="Banenmarkt Oss", capacity_employers=100, capacity_jobseekers=5,
                        quiet_room="Zaal 3, eerste verdieping", toilets="Naast de ingang; invalidentoilet bij de lift",
                        lift="Achter de balie")
    regs = [db.write(registration.register_employer, fair.id,
                     company(organisation=f"Werkgever {i:03d}", sectors=["care" if i % 2 else "construction"])).registration
            for i in range(n_employers)]
    db.write(registration.register_jobseeker, fair.id, person(name="Annemiek Geheimhouden"))
    return fair, regs


def test_the_floor_list_lists_stands_in_order_with_facilities_in_large_print(db, create_event):
    fair, regs = _fair(db, create_event, 3)
    db.write(stands.set_stand, regs[0].id, "10")
    db.write(stands.set_stand, regs[1].id, "2")
    db.write(stands.set_stand, regs[2].id, "A1")
    floor = db.read(floorlist.floor_list, fair.id, "nl")
    assert [r[:2] for r in floor.rows] == [("2", "Werkgever 001"), ("10", "Werkgever 000"), ("A1", "Werkgever 002")]
    assert floor.rows[0][2] == "Zorg en welzijn" and floor.rows[1][2] == "Bouw"
    reader = PdfReader(io.BytesIO(floorlist.to_pdf(floor, "nl")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.index("Werkgever 001") < text.index("Werkgever 000") < text.index("Werkgever 002")
    for where in ("Zaal 3, eerste verdieping", "invalidentoilet bij de lift", "Achter de balie", "Stilteruimte",
                  "Toiletten", "Lift"):
        assert where in text
    assert "Annemiek" not in text and "Geheimhouden" not in text  # employers only
    assert min(_font_sizes(reader)) >= 12
    page = reader.pages[0].mediabox
    assert (round(float(page.width) / 72 * 25.4), round(float(page.height) / 72 * 25.4)) == (210, 297)  # A4 portrait

    english = floorlist.to_pdf(db.read(floorlist.floor_list, fair.id, "en"), "en")
    text_en = PdfReader(io.BytesIO(english)).pages[0].extract_text()
    assert "Quiet room" in text_en and "Care and welfare" in text_en and "Floor list: Banenmarkt Oss" in text_en


def test_every_page_has_the_heading_and_the_columns(db, create_event):
    fair, _ = _fair(db, create_event, 60)
    db.write(stands.assign_by_sector, fair.id)
    reader = PdfReader(io.BytesIO(floorlist.to_pdf(db.read(floorlist.floor_list, fair.id, "nl"), "nl")))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = page.extract_text()
        assert "Plattegrond: Banenmarkt Oss" in text and "Stand" in text and "Werkgever" in text and "Sector" in text
    numbers = [int(n) for n in re.findall(r"^(\d+) Werkgever", "\n".join(p.extract_text() for p in reader.pages),
                                          re.MULTILINE)]
    assert numbers == list(range(1, 61))
    assert min(_font_sizes(reader)) >= 12
    assert floorlist.filename(db.read(floorlist.floor_list, fair.id)).startswith("plattegrond-banenmarkt-oss-")
