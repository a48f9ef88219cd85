"""Bulk import of the people an organisation already has on file: the files Dutch offices export,
per-row problems, known people merged only by choice, consent as the file states it, all or
nothing, and undo."""
import io

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from eventtool import registration
from eventtool.errors import DomainError
from eventtool.models import Consent, Employer, Jobseeker
from eventtool.people import bulk_import

from ..conftest import company, person

HEAD = "Naam;E-mailadres;Telefoon;Regio;Toestemming;Toestemming datum;Doelgroep;Ondersteuning;Toestemming gezondheid\n"


def count(db, model) -> int:
    return db.read(lambda s: s.exec(select(func.count()).select_from(model)).one())


def test_preview_names_each_problem_and_who_is_known(db, create_event):
    known_id = db.write(registration.register_jobseeker, create_event().id,
                        person(1, email="bekend@example.nl")).registration.jobseeker_id
    content = (HEAD
               + "Ans de Vries;ans@example.nl;06 12345678;Haaglanden;ja;03-09-2025;Banenafspraak;Rolstoeltoegankelijk;ja\n"
               + "Bekende Bert;BEKEND@example.nl;;;ja;;;;\n"
               + "Zonder Toestemming;z@example.nl;;;nee;;;;\n"
               + "Rare Regio;r@example.nl;;Atlantis;ja;31-02-2025;;;\n"
               + "Dubbele Ans;ans@example.nl;;;ja;;;;\n"
               + "Geen Gezondheid;g@example.nl;;;ja;;Wajong;Een rustige ruimte;nee\n").encode("cp1252")
    seen = db.read(bulk_import.preview, content, "klanten.csv", "jobseekers")
    assert [r.number for r in seen.new] == [2, 7]
    assert [(r.number, r.known_id) for r in seen.known] == [(3, known_id)]
    problems = {r.number: {f for f, _, _ in r.problems} for r in seen.problems}
    assert problems == {4: {"consent"}, 5: {"region", "consent_date"}, 6: {"email"}}
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
    bad = (HEAD + "Nieuw;nieuw@example.nl;;;ja;;;;\nFout;fout@example.nl;;;misschien;;;;\n").encode()
    with pytest.raises(DomainError) as caught:
        db.write(bulk_import.commit, bad, "f.csv", "jobseekers", [], "staff@example.nl")
    assert caught.value.code == "import.has_problems" and count(db, Jobseeker) == 2
    good = (HEAD + "Nieuw Persoon;nieuw@example.nl;;;ja;01-06-2025;;;\n"
            + "Bert Nieuw;bekend@example.nl;0612345678;Twente;ja;;;;\n"
            + "Ander Nieuw;ander@example.nl;;;ja;;;;\n").encode()
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
    content = (HEAD + "Nieuw Persoon;nieuw@example.nl;;;ja;;;;\n").encode()
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
