"""The person page: find someone, see everything about them, merge a second record of them after
a question that names both."""
from sqlmodel import select

from eventtool.registration import registration
from eventtool.people.models import Jobseeker
from eventtool.registration.models import Registration

from ..conftest import person
from .test_public import make_event


def test_find_see_and_merge(app, page_db):
    ev = make_event(page_db)
    other = make_event(page_db, title="Meet&Greet Zorg")
    keep = page_db.write(registration.register_jobseeker, ev.id, person(1, name="Ans Bakker", email="ans@example.nl",
                                                                       phone=None)).registration.jobseeker_id
    gone = page_db.write(registration.register_jobseeker, other.id, person(2, name="A. Bakker", email=None,
                                                                          phone="0623456789")).registration.jobseeker_id
    page_db.write(registration.register_jobseeker, ev.id, person(3, name="Bert Bakker", email="bert@example.nl"))
    at = app(role="organiser", page="views/person.py")
    assert not at.exception
    at.text_input(key="person_query").set_value("ans@").run()
    at.selectbox(key="person_id").set_value(keep).run()
    assert at.header[0].value == "Ans Bakker"
    assert any("Aanmeldingen (1)" in s.value for s in at.subheader)
    at.text_input(key="person_other_query").set_value("bakker").run()
    chooser = at.selectbox(key="person_other_id")
    assert keep not in chooser.options and len(chooser.options) == 2  # never the person shown
    chooser.set_value(gone).run()
    assert any("1 aanmelding en 0 resultaten" in m.value for m in at.markdown)
    at.button(key=f"person_merge_{keep}-{gone}").click().run()
    assert page_db.read(lambda s: s.get(Jobseeker, gone)) is not None  # asked first
    at.button(key=f"person_merge_yes_{keep}-{gone}").click().run()
    assert not at.exception
    assert page_db.read(lambda s: s.get(Jobseeker, gone)) is None
    assert page_db.read(lambda s: s.get(Jobseeker, keep).phone) == "+31623456789"
    assert page_db.read(lambda s: sorted(r.event_id for r in s.exec(
        select(Registration).where(Registration.jobseeker_id == keep)))) == sorted([ev.id, other.id])
    assert page_db.read(lambda s: s.exec(select(Jobseeker.name).where(Jobseeker.email == "bert@example.nl")).one()) \
        == "Bert Bakker"
