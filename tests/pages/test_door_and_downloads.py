from sqlmodel import select

from eventtool.dayof import checkin, exports
from eventtool.events.models import Meeting
from eventtool.messages.models import Message
from eventtool.people.models import Jobseeker
from eventtool.registration import door, registration
from eventtool.registration.models import Registration

from ..conftest import person
from .test_public import make_event


def test_check_in_at_the_door(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=10)
    for name in ("Anna de Vries", "Bram <b>Bakker</b>"):
        page_db.write(registration.register_jobseeker, ev.id, person(name=name))
    at = app(role="coordinator", page="views/checkin.py")
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["2", "0"]
    at.text_input(key="ci_query").input("bram").run()
    labels = [m.value for m in at.markdown if "Bakker" in m.value]
    assert labels and "\\<b\\>" in labels[0]  # shown as typed, not as HTML
    regs = page_db.read(checkin.door_list, ev.id, "bram")
    [b for b in at.button if b.key == f"ci_in_{regs[0].registration_id}"][0].click().run()
    assert page_db.read(checkin.counts, ev.id).present == 1
    [b for b in at.button if b.key == f"ci_undo_{regs[0].registration_id}"][0].click().run()
    assert page_db.read(checkin.counts, ev.id).present == 0


def test_walk_in_at_the_door(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=1)
    page_db.write(registration.register_jobseeker, ev.id, person())
    at = app(role="coordinator", page="views/checkin.py")
    at.text_input(key=f"ciw_{ev.id}_name").input("Binnenloper")
    at.text_input(key=f"ciw_{ev.id}_phone").input("0612345678")
    at.checkbox(key=f"ciw_{ev.id}_consent").check()
    at.get("form_submit_button")[0].click().run()
    counts = page_db.read(checkin.counts, ev.id)
    assert counts.expected == 2 and counts.present == 1


def test_downloads_page_offers_calendars_and_lists(app, page_db):
    ev = make_event(page_db, title="Meet&Greet")
    page_db.write(registration.register_jobseeker, ev.id, person(name="=1+1"))
    at = app(role="coordinator", page="views/downloads.py")
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) >= 3  # event, feed, list
    at.radio(key="dl_format").set_value("xlsx").run()
    assert not at.exception
    assert any("1 regel" in c.value and "1 regels" not in c.value for c in at.caption)
    at.radio(key="dl_scope").set_value("employer").run()
    assert not at.exception
    options = at.multiselect(key="dl_columns_employer").options
    assert "Ondersteuning" not in options and "Doelgroep" not in options


def test_the_door_and_the_registrations_list_show_who_comes_along_on_the_persons_row(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=10)
    page_db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries", companion="interpreter",
                                                                  companion_name="Tineke Tolk"))
    page_db.write(registration.register_jobseeker, ev.id, person(name="Bram Bakker"))  # nobody with him
    at = app(role="coordinator", page="views/checkin.py")
    at.text_input(key="ci_query").input("tineke").run()  # the interpreter says their own name
    assert not at.exception
    assert any("Anna de Vries" in m.value and "met tolk Tineke Tolk" in m.value for m in at.markdown)
    at = app(role="coordinator", page="views/registrations_admin.py")
    assert not at.exception
    df = at.dataframe[0].value
    assert dict(zip(df["name"], df["companion"])) == {"Anna de Vries": "tolk Tineke Tolk", "Bram Bakker": ""}


def test_downloads_page_says_before_the_download_which_columns_go_to_a_second_line(app, page_db):
    ev = make_event(page_db, title="Banenmarkt")
    page_db.write(registration.register_jobseeker, ev.id, person(name="Zoë Ñúñez", region="Noordoost-Brabant"))
    at = app(role="coordinator", page="views/downloads.py")
    at.radio(key="dl_format").set_value("pdf").run()
    assert not at.exception and not at.info  # the default columns fit beside each other
    at.multiselect(key="dl_columns_event").set_value(list(exports.COLUMNS)).run()
    assert not at.exception
    [note] = [i.value for i in at.info if "extra regel" in i.value]
    assert "Doelgroep" in note and "Naam" not in note.split(":")[-1]
    assert at.get("download_button")


def test_downloads_page_names_before_the_download_who_the_pdf_cannot_show(app, page_db):
    ev = make_event(page_db, title="Banenmarkt")
    page_db.write(registration.register_jobseeker, ev.id, person(1, name="王小明"))
    page_db.write(registration.register_jobseeker, ev.id, person(2, name="Zoë 🙂 de Vries"))
    at = app(role="coordinator", page="views/downloads.py")
    at.radio(key="dl_format").set_value("xlsx").run()
    assert not at.exception and not at.warning  # the Excel list has every character
    at.radio(key="dl_format").set_value("pdf").run()
    assert not at.exception
    [note] = [w.value for w in at.warning]
    assert "王小明" in note and "Excel" in note and "Zoë" not in note
    assert at.get("download_button")


def _door_code(db, registration_id):
    return door.token(db.read(lambda s: s.get(Registration, registration_id)))


def snapshot(session) -> dict:
    """Every row of the tables a scan could touch (the audit log grows with every staff action)."""
    return {(model.__tablename__, row.id): row.model_dump() for model in (Registration, Jobseeker, Message, Meeting)
            for row in session.exec(select(model))}


def test_a_scanned_code_checks_in_at_once_and_the_field_is_empty_for_the_next(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=1)
    anna = page_db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries", companion="jobcoach",
                                                                        companion_name="Piet")).registration
    wim = page_db.write(registration.register_jobseeker, ev.id, person(name="Wim Wachter")).registration
    before = page_db.read(snapshot)
    at = app(role="coordinator", page="views/checkin.py")
    # A handheld scanner types the code and Enter, as a keyboard does.
    at.text_input(key=f"ci_scan_{ev.id}").input(_door_code(page_db, anna.id).lower()).run()
    assert not at.exception
    assert [s.value for s in at.success] == ["## Welkom, Anna – jobcoach komt mee"]
    assert at.text_input(key=f"ci_scan_{ev.id}").value == ""
    after = page_db.read(snapshot)
    changed = {k for k in after.keys() | before.keys() if after.get(k) != before.get(k)}
    assert changed == {("registration", anna.id)} and after[("registration", anna.id)]["checked_in_at"] is not None
    at.text_input(key=f"ci_scan_{ev.id}").input(_door_code(page_db, anna.id)).run()
    assert at.info[0].value.startswith("## Anna is al binnen sinds ")
    at.text_input(key=f"ci_scan_{ev.id}").input(_door_code(page_db, wim.id)).run()
    assert at.error[0].value == "## Wim staat op de wachtlijst. Niet binnen gemeld: kijk of er plek is."
    assert page_db.read(checkin.counts, ev.id).present == 1
    assert page_db.read(snapshot) == after


def test_the_door_camera_reads_the_qr_code_of_a_photo(app, page_db):
    ev = make_event(page_db, capacity_jobseekers=5)
    anna = page_db.write(registration.register_jobseeker, ev.id, person(name="Anna de Vries")).registration
    photo = door.qr_png(_door_code(page_db, anna.id), scale=8)
    assert door.read_image(photo) == _door_code(page_db, anna.id)
    assert door.read_image(b"not an image") is None
    assert door.read_image(door.qr_png("https://example.nl/poster")) is None
