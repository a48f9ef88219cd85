"""The reminder of a job fair lists the stands of the employers the jobseeker picked (issue 29), in
their order, only those with a stand, escaped in the HTML; nothing when there are none. Sent through
a real SMTP server."""
from __future__ import annotations

from datetime import timedelta

from eventtool.core.timeutil import to_local, utcnow
from eventtool.registration import notify, registration, stands

from ..conftest import company, person
from .test_messages import deliver


def _bodies(mail) -> tuple[str, str]:
    return mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()


def test_the_reminder_lists_the_picked_employers_stands(db, create_event, smtp):
    fair = create_event(kind="job_fair", title="Banenmarkt Oss", capacity_jobseekers=5, capacity_employers=5,
                        starts_at=to_local(utcnow()) + timedelta(days=10))
    regs = {name: db.write(registration.register_employer, fair.id, company(organisation=name)).registration
            for name in ("Alfa Zorg", "Bakker & <Zonen>", "Gamma Bouw")}
    employer = {name: reg.employer_id for name, reg in regs.items()}
    db.write(stands.set_stand, regs["Alfa Zorg"].id, "2")
    db.write(stands.set_stand, regs["Bakker & <Zonen>"].id, "10")
    # Gamma Bouw has no stand yet: left out.
    db.write(registration.register_jobseeker, fair.id, person(email="kiest@example.nl"), now=utcnow(),
             picks=[employer["Gamma Bouw"], employer["Bakker & <Zonen>"], employer["Alfa Zorg"]])
    db.write(registration.register_jobseeker, fair.id, person(email="niets@example.nl"), now=utcnow())
    db.write(registration.register_jobseeker, fair.id, person(email="alleen.gamma@example.nl"), now=utcnow(),
             picks=[employer["Gamma Bouw"]])
    deliver(db)  # the confirmations
    assert db.write(notify.queue_due_reminders, [7, 1], fair.starts_at - timedelta(days=7) + timedelta(minutes=1)) == 6
    deliver(db)

    text, html = _bodies(smtp.by_to("kiest@example.nl")[-1])
    assert "Stands van de werkgevers die u koos" in text
    assert text.index("Stand 10 - Bakker & <Zonen>") < text.index("Stand 2 - Alfa Zorg")
    assert "Gamma" not in text.split("Stands van de werkgevers die u koos", 1)[1].split("\n\n\n", 1)[0]
    assert "<td>10</td><td>Bakker &amp; &lt;Zonen&gt;</td>" in html and "<td>2</td><td>Alfa Zorg</td>" in html
    assert "<Zonen>" not in html  # autoescaped
    for address in ("niets@example.nl", "alleen.gamma@example.nl"):  # no picks; a pick without a stand
        text, html = _bodies(smtp.by_to(address)[-1])
        assert "Stands van de werkgevers" not in text and "Stands van de werkgevers" not in html
    # The employers' own reminders carry no list of stands.
    employer_mail = [m for m in smtp.messages if str(m["Subject"]).startswith("Herinnering") and "bedrijf.nl" in str(m["To"])]
    assert len(employer_mail) == 3 and all("Stands van de werkgevers" not in _bodies(m)[0] for m in employer_mail)
    # An employer's own mail says their stand (none yet: no line).
    own = {str(m["To"]).split("<")[-1].rstrip(">"): _bodies(m)[0] for m in employer_mail}
    stand_lines = sorted(line for text in own.values() for line in text.splitlines() if line.startswith("Uw stand"))
    assert stand_lines == ["Uw stand: 10", "Uw stand: 2"]
