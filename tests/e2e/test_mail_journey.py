"""A jobseeker signs up, opens the confirmation in their mailbox (a real SMTP server the test
starts), follows the personal link and cancels there; the database shows exactly that."""
from __future__ import annotations

import io
import sqlite3

import pytest
import zxingcpp
from PIL import Image
from axe_playwright_python.sync_playwright import Axe

from .conftest import open_context, run_server
from .helpers import choose, held_speedmeet, open_page, settle, shot, sign_up_for_the_job_fair, table_rows
from .test_accessibility import WCAG

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory, inbox):
    yield from run_server(tmp_path_factory, "mail", EVENTTOOL_SMTP_URL=inbox.url, EVENTTOOL_MAIL_INTERVAL_SECONDS="1",
                          EVENTTOOL_MAIL_FROM="Onbeperkt aan het Werk <noreply@example.org>")


@pytest.fixture
def page(browser, server, request):
    yield from open_context(browser, server, request)


def test_sign_up_open_the_mail_follow_the_link_and_cancel(page, server, inbox):
    sign_up_for_the_job_fair(page, "Mila Mail", "mila.mail@example.nl")
    mail = inbox.wait_for("mila.mail@example.nl", "U bent aangemeld")
    text = mail.get_body(("plain",)).get_content()
    link = next(line for line in text.splitlines() if "/mijn-aanmelding?t=" in line).strip()
    assert link.startswith(server["base"])
    page.goto(link)
    page.wait_for_selector("h1:has-text('Mijn aanmelding')")
    settle(page)
    assert "Onbeperkt aan het Werk" in page.locator("h2").first.inner_text()
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.response["violations"] == [], [v["id"] for v in result.response["violations"]]
    shot(page, "mail-journey-mine")
    # The door code: the QR on the page, as a phone's camera sees it on screen, holds the code the
    # mail carries as text (issue 29), and the mail's own QR image holds it too.
    code = next(line for line in text.splitlines() if line.startswith("Code: ET")).removeprefix("Code: ").strip()
    on_screen = page.get_by_role("img", name="QR-code voor de deur").screenshot()
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(on_screen)))] == [code]
    [png] = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_content())))] == [code]
    db = sqlite3.connect(server["db"])
    (reg_id, others_before), = db.execute(
        "SELECT r.id, (SELECT group_concat(id || status || reminders) FROM registration WHERE id != r.id) "
        "FROM registration r JOIN jobseeker j ON j.id = r.jobseeker_id WHERE j.email = 'mila.mail@example.nl'").fetchall()
    # No more reminders: that registration's choice, and nothing else.
    page.get_by_text("Stuur mij herinneringen voor deze activiteit").click()
    settle(page)
    page.wait_for_selector("text=Uw keuze is opgeslagen")
    assert db.execute("SELECT reminders FROM registration WHERE id = ?", (reg_id,)).fetchone() == (0,)
    page.get_by_role("button", name="Afmelden", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Ja, ik meld mij af").click()
    settle(page)
    page.wait_for_selector("text=U bent afgemeld")
    (status, others_after), = db.execute(
        "SELECT status, (SELECT group_concat(id || status || reminders) FROM registration WHERE id != ?) "
        "FROM registration WHERE id = ?", (reg_id, reg_id)).fetchall()
    assert status == "cancelled" and others_after == others_before  # only this registration changed
    inbox.wait_for("mila.mail@example.nl", "U bent afgemeld voor")
    # Opened again, the link only shows the cancellation; coming after all is the public form's.
    page.goto(link)
    page.wait_for_selector("text=Deze aanmelding gaat niet meer door")
    settle(page)
    assert page.get_by_role("button", name="Afmelden", exact=True).count() == 0
    assert page.get_by_role("checkbox").count() == 0 and page.get_by_role("textbox").count() == 0
    href = page.get_by_role("link", name="Opnieuw aanmelden").get_attribute("href")
    assert href.rsplit("/", 1)[-1].startswith("aanmelden?event=")  # the public form, this event chosen
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.response["violations"] == [], [v["id"] for v in result.response["violations"]]
    db.close()


def test_a_survey_comes_by_mail_and_the_answer_lands_on_that_person_only(page, server, inbox):
    """Eight days after a speedmeet the sender mails the survey; the person follows the link, says
    a second interview came of one conversation, and the store holds that one answer: one new
    outcome, that survey answered, nothing else changed."""
    from eventtool.core.db import Database

    store = Database(f"sqlite:///{server['db']}")
    event, employer, reg = held_speedmeet(store, "Speedmeet techniek", "Installatiebedrijf Voltage", "Sam Survey",
                                          "sam.survey@example.nl")
    store.dispose()

    open_page(page, "agenda")  # the app's sender starts with its first visitor (this test may be the first)
    mail = inbox.wait_for("sam.survey@example.nl", "Hoe is het nu?")
    link = next(line for line in mail.get_body(("plain",)).get_content().splitlines() if "/vragenlijst?t=" in line)
    db = sqlite3.connect(server["db"])
    snapshot = lambda: (db.execute("SELECT group_concat(id || kind || coalesce(employer_id, '') || source) FROM outcome").fetchone(),  # noqa: E731
                        db.execute("SELECT group_concat(id || coalesce(answered_at, '-')) FROM survey "
                                   "WHERE jobseeker_id IS NOT ? OR respondent != 'jobseeker'", (reg.jobseeker_id,)).fetchone())
    before = snapshot()
    page.goto(link.strip())
    page.wait_for_selector("h1:has-text('Wat heeft het opgeleverd?')")
    settle(page)
    page.get_by_role("radiogroup", name="Heeft u na de bijeenkomst nog contact gehad met een werkgever?") \
        .get_by_text("Ja", exact=True).click()
    settle(page)
    box = page.get_by_role("combobox", name="Met welke werkgever?")
    box.click()
    page.get_by_role("option", name="Installatiebedrijf Voltage").click()
    page.keyboard.press("Escape")
    settle(page)
    choose(page, "Wat is eruit gekomen?", "Tweede gesprek")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.response["violations"] == [], [v["id"] for v in result.response["violations"]]
    shot(page, "mail-journey-survey")
    page.get_by_role("button", name="Antwoorden versturen").click()
    settle(page)
    page.wait_for_selector("text=Dank u wel")
    new = db.execute("SELECT jobseeker_id, employer_id, kind, source, event_id FROM outcome WHERE survey_id IS NOT NULL "
                     "AND jobseeker_id = ?", (reg.jobseeker_id,)).fetchall()
    assert new == [(reg.jobseeker_id, employer, "second_interview", "self", event.id)]
    after = snapshot()
    assert after[1] == before[1]  # every other survey as it was
    old = set((before[0][0] or "").split(",")) - {""}
    assert old <= set((after[0][0] or "").split(",")) and len(set(after[0][0].split(",")) - old) == 1
    assert db.execute("SELECT count(*) FROM survey WHERE jobseeker_id = ? AND answered_at IS NOT NULL",
                      (reg.jobseeker_id,)).fetchone() == (1,)


COACH_TABLES = ("user", "invitation", "jobseeker", "registration", "consent", "coach_client", "profile_proposal",
                "outcome", "meeting")


def rows(db_path: str) -> dict[str, dict]:
    return table_rows(db_path, COACH_TABLES)


def added_and_changed(before: dict, after: dict) -> tuple[dict, set]:
    """Rows added per table, and (table, id) of every row that changed or went."""
    added = {t: [after[t][i] for i in after[t].keys() - before[t].keys()] for t in COACH_TABLES}
    touched = {(t, i) for t in COACH_TABLES for i in before[t] if after[t].get(i) != before[t][i]}
    return {t: v for t, v in added.items() if v}, touched


def test_a_coach_is_invited_by_mail_chooses_a_password_and_signs_up_a_client(page, server, inbox):
    """Staff invite a jobcoach; the mail's link lets them choose their own password; they sign up
    a client. The store holds exactly that: one coach account, one new person with one registration
    and the consent passed on by the coach, on this coach's caseload, and nothing else changed."""
    from .helpers import field, login, nav
    login(page, "organiser@example.org")
    nav(page, "Accounts")
    before = rows(server["db"])
    field(page, "E-mailadres van de begeleider").fill("nieuw.coach@example.nl")
    field(page, "Naam van de begeleider").fill("Noor Nieuwcoach")
    field(page, "Organisatie").fill("Jobcoach Zuid")
    page.get_by_role("button", name="Uitnodiging sturen").click()
    settle(page)
    page.wait_for_selector("text=De uitnodiging is verstuurd")
    added, touched = added_and_changed(before, rows(server["db"]))
    assert touched == set() and set(added) == {"user", "invitation"}
    (coach,) = added["user"]
    assert (coach["role"], coach["active"], coach["organisation"]) == ("coach", 0, "Jobcoach Zuid")

    mail = inbox.wait_for("nieuw.coach@example.nl", "Uw account als begeleider")
    link = next(line for line in mail.get_body(("plain",)).get_content().splitlines() if "/uitnodiging?t=" in line)
    page.goto(link.strip())  # a new session: the organiser is not logged in there
    page.wait_for_selector("h1:has-text('Uw account als begeleider')")
    settle(page)
    field(page, "Wachtwoord").fill("mijn eigen lange wachtwoord")
    field(page, "Herhaal het wachtwoord").fill("mijn eigen lange wachtwoord")
    page.get_by_role("button", name="Wachtwoord opslaan en inloggen").click()
    page.wait_for_selector("h1:has-text('Mijn cliënten')")
    settle(page)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.response["violations"] == [], [v["id"] for v in result.response["violations"]]

    page.get_by_role("tab", name="Cliënt aanmelden").click()
    settle(page)
    choose(page, "Activiteit", "Onbeperkt aan het Werk")
    before = rows(server["db"])
    field(page, "Naam van uw cliënt").fill("Cas Cliënt")
    field(page, "E-mailadres van uw cliënt").fill("cas.client@example.nl")
    page.get_by_text("Mijn cliënt geeft toestemming dat de organisatie").click()
    page.get_by_role("button", name="Cliënt aanmelden").click()
    settle(page)
    page.wait_for_selector("text=Cas Cliënt is aangemeld")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.response["violations"] == [], [v["id"] for v in result.response["violations"]]
    shot(page, "coach-signed-up")
    after = rows(server["db"])
    added, touched = added_and_changed(before, after)
    # The coach's own account records the login; nothing else that was there changed.
    assert touched <= {("user", coach["id"])}, touched
    assert sorted(added) == ["coach_client", "consent", "jobseeker", "registration"]
    (person,), (reg,), (link_row,) = added["jobseeker"], added["registration"], added["coach_client"]
    assert person["email"] == "cas.client@example.nl"
    assert (reg["jobseeker_id"], reg["source"], reg["coach_email"], reg["coach_confirmed"]) == \
        (person["id"], "coach", "nieuw.coach@example.nl", 1)
    assert (link_row["coach_id"], link_row["jobseeker_id"]) == (coach["id"], person["id"])
    assert [(c["jobseeker_id"], c["given_via"]) for c in added["consent"]] == [(person["id"], "coach:nieuw.coach@example.nl")]
    # The client's confirmation reaches the client, and a copy reaches the coach.
    inbox.wait_for("cas.client@example.nl", "U bent aangemeld")
    copy = inbox.wait_for("nieuw.coach@example.nl", "Cas Cliënt is aangemeld").get_body(("plain",)).get_content()
    # Never the client's own link: the coach logs in to their own caseload.
    assert "Cas Cliënt" in copy and "mijn-aanmelding" not in copy and f"{server['base']}/login" in copy

    page.get_by_role("tab", name="Cliënten").click()
    settle(page)
    page.wait_for_selector("text=Onbeperkt aan het Werk: aangemeld")  # the one client, with their registration
    chooser = page.locator("[data-testid=stSelectbox]").filter(has_text="Kies een cliënt")
    assert "Cas Cliënt" in chooser.evaluate("e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.response["violations"] == [], [v["id"] for v in result.response["violations"]]

    # The coach cancels for the client: asked first (nothing changes), then that registration only.
    before = rows(server["db"])
    page.get_by_role("button", name="Aanmelding annuleren").click()
    settle(page)
    page.wait_for_selector("text=Weet u zeker dat u de aanmelding van Cas Cliënt")
    assert added_and_changed(before, rows(server["db"])) == ({}, set())
    page.get_by_role("button", name="Ja, annuleren").click()
    settle(page)
    page.wait_for_selector("text=De aanmelding is geannuleerd")
    added, touched = added_and_changed(before, rows(server["db"]))
    waiting_before = {i for i, r in before["registration"].items() if r["status"] == "waitlisted"}
    promoted = {("registration", i) for i in waiting_before if rows(server["db"])["registration"][i]["status"] == "confirmed"}
    assert added == {} and touched - promoted == {("registration", reg["id"])}
    assert rows(server["db"])["registration"][reg["id"]]["status"] == "cancelled"
