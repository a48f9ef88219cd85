"""The import page: a preview first, the import of exactly the previewed file with the records
chosen for merging, and undo after a question."""
from sqlmodel import select

from eventtool import registration
from eventtool.models import Jobseeker

from ..conftest import person
from .test_public import make_event

HEAD = "Naam;E-mailadres;Toestemming\n"


def people(db):
    return db.read(lambda s: sorted((p.email, p.name) for p in s.exec(select(Jobseeker))))


def test_preview_import_merge_by_choice_and_undo(app, page_db):
    ev = make_event(page_db)
    known = page_db.write(registration.register_jobseeker, ev.id, person(1, email="bekend@example.nl",
                                                                         name="Bert Oud")).registration.jobseeker_id
    page_db.write(registration.register_jobseeker, ev.id, person(2, email="ander@example.nl", name="Ander Oud"))
    at = app(role="organiser", page="views/import_people.py")
    assert not at.exception
    content = (HEAD + "Nieuw Persoon;nieuw@example.nl;ja\nBert Nieuw;bekend@example.nl;ja\n"
               "Ander Nieuw;ander@example.nl;ja\nFout;fout@example.nl;nee\n").encode()
    at.get("file_uploader")[0].upload("klanten.csv", content, "text/csv").run()
    assert any("4 rijen: 1 nieuw, 2 al bekend, 1 met een probleem" in m.value for m in at.markdown)
    assert [b for b in at.button if b.key == "import_go_jobseekers"][0].disabled  # fix the file first
    fixed = content.replace(b"Fout;fout@example.nl;nee\n", b"")
    at.get("file_uploader")[0].upload("klanten.csv", fixed, "text/csv").run()
    merge = next(m for m in at.multiselect if m.key.startswith("import_merge_jobseekers_"))
    merge.set_value([known]).run()
    [b for b in at.button if b.key == "import_go_jobseekers"][0].click().run()
    assert not at.exception
    assert any("1 nieuw, 1 samengevoegd, 1 bekende overgeslagen" in s.value for s in at.success)
    assert people(page_db) == [("ander@example.nl", "Ander Oud"), ("bekend@example.nl", "Bert Nieuw"),
                               ("nieuw@example.nl", "Nieuw Persoon")]
    undo = next(b for b in at.button if b.key.startswith("import_undo_"))
    undo.click().run()
    assert len(people(page_db)) == 3  # asked first
    next(b for b in at.button if b.key.startswith("import_undo_yes_")).click().run()
    assert people(page_db) == [("ander@example.nl", "Ander Oud"), ("bekend@example.nl", "Bert Oud")]
