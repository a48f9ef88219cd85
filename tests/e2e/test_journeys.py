import csv
import re
import io
import sqlite3

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from .helpers import CONSENT, choose, field, login, nav, open_page, settle, shot, sign_up_for_the_job_fair

pytestmark = pytest.mark.e2e


def test_jobseeker_signs_up_gets_code_and_calendar_then_cancels(page):
    sign_up_for_the_job_fair(page, "Zoë de Vries 🙂", "zoe.e2e@example.nl")
    shot(page, "02-jobseeker-confirmation")
    code = page.locator("strong").filter(has_text="-").first.inner_text()
    assert len(code.replace("-", "")) == 10
    with page.expect_download() as download:
        page.get_by_role("button", name="Zet in mijn agenda (.ics)").click()
    cal = Calendar.from_ical(open(download.value.path(), "rb").read())
    assert len(cal.walk("VEVENT")) == 1
    page.get_by_role("link", name="Afmelden met mijn code").click()
    page.wait_for_selector("text=Uw aanmelding: aangemeld")
    settle(page)
    shot(page, "03-cancel-page")
    page.get_by_role("button", name="Ja, ik meld mij af").click()
    settle(page)
    page.wait_for_selector("text=U bent afgemeld")


def test_errors_are_announced_and_nothing_typed_is_lost(page):
    open_page(page, "aanmelden")
    field(page, "E-mailadres").fill("niet-goed")
    page.get_by_role("button", name="Aanmelden").click()
    settle(page)
    alerts = page.locator("[role=alert]").all_inner_texts()
    assert any("Vul dit veld in" in a for a in alerts)
    assert any("e-mailadres klopt niet" in a for a in alerts)
    assert field(page, "E-mailadres").input_value() == "niet-goed"
    # Focus moved to the error summary; each wrong field points at its own message.
    page.wait_for_function("document.activeElement && document.activeElement.getAttribute('data-testid') === 'stAlert'"
                           " || (document.activeElement.closest && document.activeElement.closest('[data-testid=stAlert]'))")
    assert "Kijk nog eens naar" in page.evaluate("document.activeElement.innerText")
    email = field(page, "E-mailadres")
    page.wait_for_function("document.querySelector('input[aria-label=\"E-mailadres\"]').getAttribute('aria-invalid') === 'true'")
    described = email.get_attribute("aria-describedby")
    assert "e-mailadres klopt niet" in page.locator(f"[id='{described}']").inner_text()
    assert field(page, "Naam").get_attribute("aria-invalid") == "true"
    # Phones show the right keyboard.
    assert email.get_attribute("type") == "email"
    assert page.locator("input[aria-label^='Telefoonnummer']").get_attribute("type") == "tel"
    shot(page, "04-form-errors")


def test_a_long_paste_is_cut_with_a_visible_message(page):
    open_page(page, "aanmelden")
    choose(page, "Activiteit", "Onbeperkt aan het Werk")  # has places on any day the suite runs
    field(page, "Naam").fill("Plakker")
    field(page, "E-mailadres").fill("plakker.e2e@example.nl")
    pitch = page.get_by_role("textbox", name="Vertel kort iets over uzelf", exact=False).first
    pitch.fill("x" * 700)
    page.get_by_text(CONSENT).click()
    page.get_by_role("button", name="Aanmelden").click()
    settle(page)
    page.wait_for_selector("text=Deze tekst was 700 tekens lang")
    assert len(pitch.input_value()) == 600
    assert not page.get_by_text("Uw persoonlijke code").count()  # not sent: the person looks first
    page.get_by_role("button", name="Aanmelden").click()
    settle(page)
    page.wait_for_selector("text=Uw persoonlijke code")
    # After success, focus is on the confirmation.
    page.wait_for_function("document.activeElement && document.activeElement.innerText.includes('U bent aangemeld')")


def test_employer_signs_up(page):
    open_page(page, "werkgevers")
    field(page, "Naam organisatie").fill("Fietsenmaker E2E")
    field(page, "Contactpersoon").fill("Kees")
    field(page, "E-mailadres").fill("kees@fietsen.example.nl")
    page.get_by_role("button", name="Aanmelden").click()
    settle(page)
    page.wait_for_selector("text=Uw persoonlijke code")
    shot(page, "05-employer-confirmation")


def test_organiser_journey(page, server):
    login(page, "organiser@example.org")
    assert page.locator("h1").inner_text() == "Activiteiten"
    # Create a speedmeet.
    page.get_by_role("tab", name="Nieuwe activiteit").click()
    panel = page.get_by_role("tabpanel", name="Nieuwe activiteit")
    field(panel, "Titel").fill("Speedmeet E2E")
    choose(page, "Soort activiteit", "Speedmeet")
    panel.get_by_text("gepubliceerd").click()
    panel.get_by_role("button", name="Activiteit opslaan").click()
    settle(page)
    page.wait_for_selector("text=De activiteit is opgeslagen")
    shot(page, "06-event-created")

    # Plan the demo speedmeet and publish the plan.
    nav(page, "Speedmeet plannen")
    choose(page, "Kies een activiteit", "Speedmeet Horeca")
    page.get_by_role("button", name="Opnieuw plannen").click()
    settle(page)
    page.wait_for_selector("text=Plan gemaakt")
    shot(page, "07-plan")
    page.get_by_role("button", name="Plan publiceren").click()
    settle(page)
    page.wait_for_selector("text=Status: gepubliceerd")

    # Downloads: a personal schedule and the attendance list in Excel.
    nav(page, "Downloads")
    choose(page, "Kies een activiteit", "Speedmeet Horeca")
    with page.expect_download() as personal:
        page.get_by_role("button", name="Persoonlijk rooster downloaden").click()
    cal = Calendar.from_ical(open(personal.value.path(), "rb").read())
    assert len(cal.walk("VEVENT")) >= 1
    page.locator("[data-testid=stRadioOption]").filter(has_text=re.compile("^Excel$")).click()
    settle(page)
    page.wait_for_timeout(500)
    settle(page)
    with page.expect_download() as sheet:
        page.get_by_role("button", name="Downloaden", exact=True).click()
    assert re.fullmatch(r"presentielijst-speedmeet-horeca-en-groen-\d{4}-\d{2}-\d{2}\.xlsx",
                        sheet.value.suggested_filename)
    wb = load_workbook(io.BytesIO(open(sheet.value.path(), "rb").read()))
    # The event's name above the table, the heading row under it.
    assert wb.active["A1"].value == "Speedmeet Horeca en Groen" and wb.active["A3"].value == "Naam"
    assert wb.active.max_row > 5
    shot(page, "08-downloads")

    # Check someone in at the door.
    nav(page, "Aanmelden bij de deur")
    choose(page, "Kies een activiteit", "Speedmeet Horeca")
    before = int(page.locator("[data-testid=stMetricValue]").nth(1).inner_text())
    page.get_by_role("button", name="Binnen").first.click()
    settle(page)
    page.wait_for_function(f"document.querySelectorAll('[data-testid=stMetricValue]')[1].innerText == '{before + 1}'")
    shot(page, "09-check-in")

    # Record an outcome by import, and see the dashboard change.
    con = sqlite3.connect(server["db"])
    # The exports above were logged (the download buttons build their files on click).
    logged = {a for (a,) in con.execute("SELECT action FROM audit_log")}
    assert {"export.personal_calendar", "export.attendance.xlsx"} <= logged
    event_id, email = con.execute(
        "SELECT r.event_id, j.email FROM registration r JOIN jobseeker j ON j.id = r.jobseeker_id "
        "JOIN event e ON e.id = r.event_id WHERE r.checked_in_at IS NOT NULL AND e.ends_at < datetime('now') "
        "AND NOT EXISTS (SELECT 1 FROM outcome o WHERE o.jobseeker_id = j.id AND o.kind IN "
        "('job','temp_job','employed_6m','employed_12m')) ORDER BY r.id LIMIT 1").fetchone()
    con.close()

    def jobs_on_dashboard() -> int:
        nav(page, "Resultaten in beeld")
        with page.expect_download() as numbers:
            page.get_by_role("button", name="Cijfers (CSV)").first.click()
        rows = list(csv.reader(io.StringIO(open(numbers.value.path(), encoding="utf-8-sig").read()), delimiter=";"))
        return int(dict((r[0], r[1]) for r in rows[1:])["job"])
    before_jobs = jobs_on_dashboard()
    shot(page, "10-dashboard-before")
    nav(page, "Resultaten invoeren")
    page.get_by_role("tab", name="Importeren").click()
    csv_text = f"email;uitkomst;datum;event_id\n{email};Betaalde baan;01-11-2026;{event_id}\n"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "uitkomsten.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}])
    settle(page)
    page.get_by_role("button", name="Importeren").click()
    settle(page)
    page.wait_for_selector("text=1 uitkomst geïmporteerd")
    assert jobs_on_dashboard() == before_jobs + 1
    shot(page, "11-dashboard-after")


def test_coordinator_cannot_reach_organiser_pages(page):
    login(page, "coordinator@example.org")
    links = page.locator("[data-testid=stSidebar] a").all_inner_texts()
    assert any("Aanmeldingen" in link for link in links)
    assert not any("Activiteiten" in link or "Speedmeet plannen" in link or "Resultaten" in link for link in links)
    # Typing the address of an organiser page: not found, the agenda is shown instead. (A new
    # page load is a new session, so this is also what a visitor without login gets.)
    for path in ("activiteiten", "speedmeet", "resultaten", "dashboard"):
        page.goto(f"{page.base}/{path}")
        page.wait_for_selector("h1")
        settle(page)
        assert page.locator("h1").first.inner_text() == "Agenda"
    shot(page, "12-coordinator")
