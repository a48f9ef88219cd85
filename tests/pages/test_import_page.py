"""The import page: a preview first (problems under the file's own headings, naming the wrong
value; what a merge would overwrite), the import of exactly the previewed file with the records
chosen for merging and without the rows shown as problems, and undo after a question."""
from sqlmodel import select

from eventtool.registration import registration
from eventtool.people.models import Jobseeker
from eventtool.results import bulk_import

from ..conftest import person
from .test_public import make_event

HEAD = "Naam;E-mailadres;Arbeidsmarktregio;Toestemming;Datum toestemming\n"


def people(db):
    return db.read(lambda s: sorted((p.email, p.name) for p in s.exec(select(Jobseeker))))


def test_preview_import_merge_by_choice_and_undo(app, page_db):
    ev = make_event(page_db)
    known = page_db.write(registration.register_jobseeker, ev.id, person(1, email="bekend@example.nl",
                                                                         name="Bert Oud")).registration.jobseeker_id
    page_db.write(registration.register_jobseeker, ev.id, person(2, email="ander@example.nl", name="Ander Oud"))
    at = app(role="organiser", page="views/import_people.py")
    assert not at.exception
    content = (HEAD + "Nieuw Persoon;nieuw@example.nl;;ja;1-6-2025\nBert Nieuw;bekend@example.nl;Twente;ja;1-6-2025\n"
               "Ander Nieuw;ander@example.nl;;ja;1-6-2025\nFout;fout@example.nl;Mars;ja;\n").encode()
    at.get("file_uploader")[0].upload("klanten.csv", content, "text/csv").run()
    assert any("4 rijen: 1 nieuw, 2 al bekend, 1 met een probleem" in m.value for m in at.markdown)
    problems, merges = (df.value for df in at.dataframe)
    assert problems.to_dict("records") == [
        {"Rij": 5, "Kolom": "Datum toestemming",
         "Probleem": "Er staat toestemming, maar niet wanneer die is gegeven. Vul de datum in: zonder datum "
                     "importeren we deze rij niet."},
        {"Rij": 5, "Kolom": "Arbeidsmarktregio", "Probleem": "Arbeidsmarktregio 'Mars' bestaat niet."}]
    assert merges.to_dict("records") == [
        {"Rij": 3, "In het bestand": "Bert Nieuw", "Bij ons bekend als": "Bert Oud",
         "Wordt overschreven": "Naam, Arbeidsmarktregio"},
        {"Rij": 4, "In het bestand": "Ander Nieuw", "Bij ons bekend als": "Ander Oud", "Wordt overschreven": "Naam"}]
    go = [b for b in at.button if b.key == "import_go_jobseekers"][0]
    assert go.label == "Importeren zonder de 1 rij met een probleem" and not go.disabled
    merge = next(m for m in at.multiselect if m.key.startswith("import_merge_jobseekers_"))
    merge.set_value([known]).run()
    [b for b in at.button if b.key == "import_go_jobseekers"][0].click().run()
    assert not at.exception
    assert any("Geïmporteerd: 1 nieuw, 1 samengevoegd, 1 bekende rij overgeslagen." in s.value for s in at.success)
    assert [w.value for w in at.warning] == ["1 rij met een probleem is niet geïmporteerd."]
    assert people(page_db) == [("ander@example.nl", "Ander Oud"), ("bekend@example.nl", "Bert Nieuw"),
                               ("nieuw@example.nl", "Nieuw Persoon")]
    undo = next(b for b in at.button if b.key.startswith("import_undo_"))
    undo.click().run()
    assert len(people(page_db)) == 3  # asked first
    next(b for b in at.button if b.key.startswith("import_undo_yes_")).click().run()
    assert people(page_db) == [("ander@example.nl", "Ander Oud"), ("bekend@example.nl", "Bert Oud")]


def test_a_file_past_a_limit_or_in_utf16_says_so_in_plain_dutch(app, page_db, monkeypatch):
    monkeypatch.setattr(bulk_import, "MAX_ROWS", 3)
    at = app(role="organiser", page="views/import_people.py")
    rows = "".join(f"Persoon {n};p{n}@example.nl;;ja;1-6-2025\n" for n in range(4))
    at.get("file_uploader")[0].upload("klanten.csv", (HEAD + rows).encode(), "text/csv").run()
    assert [e.value for e in at.error] == ["Het bestand heeft meer dan 3 rijen. Splits het in kleinere bestanden."]
    # Excel's 'Unicode-tekst': UTF-16 with a BOM, tabs between the cells.
    unicode_text = (HEAD + "Ans de Vriés;ans@example.nl;;ja;1-6-2025\n").replace(";", "\t").encode("utf-16")
    at.get("file_uploader")[0].upload("klanten.txt.csv", unicode_text, "text/csv").run()
    assert [e.value for e in at.error] == [] and any("1 rij: 1 nieuw, 0 al bekend, 0 met een probleem" in m.value for m in at.markdown)
    assert people(page_db) == []  # a preview saves nothing
