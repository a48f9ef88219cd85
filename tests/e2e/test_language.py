"""The page speaks the language chosen, Streamlit's own parts included as far as Streamlit lets
us: <html lang> (WCAG 3.1.1), no English "Link to heading" anchors, dates in Dutch order, and
Streamlit's fixed English labels ("Skip to main content", "Help for ...", "Show password", ...)
in the page's language. What stays English is listed in STILL_ENGLISH."""
import re
import sqlite3
from datetime import datetime, timedelta

import pytest

from eventtool.core.config import TZ

from .helpers import choose, field, login, nav, open_page, settle, table_rows
from .test_staff_pages import TABLES

pytestmark = pytest.mark.e2e

# Streamlit's own English that the app now puts in the page's language (or removes).
FIXED = ["Skip to main content", "Link to heading", "Collapse sidebar", "Expand sidebar", "Sidebar", "Show password",
         "Hide password", "Select all", "Clear all", "Choose an option", "Choose date", "Choose date range",
         "Clear value", "Increment", "Decrement", "No results", "Open", "Press Enter to apply",
         "Press Enter to submit form", "Previous month", "Next month", "Download as CSV", "Search",
         "Show/hide columns", "Fullscreen", "Use arrow keys to navigate dates. Enter to select. Escape to close."]
FIXED_PREFIXES = ["Help for ", "Remove ", "Choose date, "]
# Streamlit's own English that stays (README, "Streamlit in Dutch"): its date field is fixed to
# en-US inside, so an empty date shows "dd-mm-yyyy" and its parts are read as "day, Datum",
# "month, ...", "year, ...", an empty part as "Empty" (rewriting them would fight the field as
# one types); the data grid's column menus and cell editors (drawn on a canvas); Plotly's chart
# buttons on the dashboard ("Zoom", "Pan", "Download plot as a PNG").
STILL_ENGLISH = ["dd", "mm", "yyyy", "day, ", "month, ", "year, ", "Empty", "Zoom", "Pan", "Autoscale", "Reset axes",
                 "Download plot as a PNG"]

# Every text and label in the document that is drawn (the sidebar and what Streamlit draws outside
# the main part too; the hidden heading anchors are in the document but neither seen nor read).
LABELS = r"""() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('script, style, noscript') || !n.parentElement.checkVisibility()) continue;
    if (n.textContent.trim()) out.push(n.textContent.trim());
  }
  document.querySelectorAll('[aria-label], [placeholder], [title], [aria-valuetext]').forEach(e => {
    if (!e.checkVisibility()) return;
    for (const a of ['aria-label', 'placeholder', 'title', 'aria-valuetext']) if (e.getAttribute(a)) out.push(e.getAttribute(a));
  });
  return out;
}"""


def every_row(db: str) -> dict[str, dict]:
    """The staff pages' snapshot (the app's sender queues messages and surveys by itself, so those
    are left out): switching the language changes nothing that is stored."""
    with sqlite3.connect(db) as con:
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return table_rows(db, [t for t in TABLES if t in tables])


def streamlit_english(page) -> list[str]:
    labels = page.evaluate(LABELS)
    return sorted({s for s in labels if s in FIXED or any(s.startswith(p) for p in FIXED_PREFIXES)})


def no_streamlit_english(page) -> None:
    """Streamlit's fixed English is put in the page's language as it is drawn (a mutation observer):
    wait for that to have happened, then say what is still English, if anything."""
    for _ in range(100):  # (up to ~20 s on a busy machine; it normally takes one pass)
        if not streamlit_english(page):
            return
        page.wait_for_timeout(200)
    assert streamlit_english(page) == []


def no_heading_anchors(page) -> None:
    assert page.locator("h1").count()
    assert page.get_by_role("link", name="Link to heading").count() == 0
    assert page.locator("[data-testid=stHeaderActionElements] a:visible").count() == 0


def test_public_form_is_dutch_and_then_english(page, server):
    before = every_row(server["db"])
    open_page(page, "aanmelden")
    page.wait_for_function("document.documentElement.lang === 'nl'")
    assert page.locator("h2").count()
    no_heading_anchors(page)
    # What was English, now in Dutch (each waits for the script that puts it so).
    page.get_by_role("link", name="Naar de inhoud").wait_for(state="attached")
    page.get_by_role("button", name="Uitleg bij E-mailadres", exact=True).wait_for()
    page.locator("[aria-label='Zijbalk inklappen']").wait_for(state="attached")  # shown when the pointer is near
    needs = page.get_by_role("combobox", name="Wat heeft u nodig?")
    needs.click()
    page.keyboard.press("ArrowDown")  # a click opens the list, yet its options may wait for a key
    page.get_by_role("option", name="Alles kiezen").wait_for()
    no_streamlit_english(page)
    page.keyboard.press("Escape")
    settle(page)

    choose(page, "Taal / Language", "English")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_selector("h1:has-text('Sign up as a jobseeker')")
    no_heading_anchors(page)
    page.get_by_role("link", name="Skip to main content").wait_for(state="attached")
    page.get_by_role("button", name="Help for Email address", exact=True).wait_for()
    assert page.get_by_role("link", name="Naar de inhoud").count() == 0
    assert every_row(server["db"]) == before


def test_login_password_toggle_speaks_dutch(page):
    open_page(page, "login")
    page.wait_for_function("document.documentElement.lang === 'nl'")
    field(page, "Wachtwoord").fill("geheim")
    toggle = page.get_by_role("button", name="Wachtwoord tonen")
    toggle.click()
    page.get_by_role("button", name="Wachtwoord verbergen").wait_for()
    no_streamlit_english(page)


def test_staff_page_is_dutch_with_dutch_dates(page, server):
    login(page, "organiser@example.org")
    nav(page, "Activiteiten")
    page.locator("[data-testid=stDataFrame]").first.hover()  # its toolbar shows
    page.locator("[aria-label='Downloaden als CSV']").first.wait_for(state="attached")
    no_streamlit_english(page)
    page.get_by_role("tab", name="Nieuwe activiteit").click()
    settle(page)
    page.wait_for_function("document.documentElement.lang === 'nl'")
    no_heading_anchors(page)
    dates = page.locator("[data-testid=stDateInputField]")
    dates.first.wait_for()
    # A new event is two weeks from today: its date is shown day first, as the Dutch write it.
    assert "".join(dates.first.inner_text().split()) in {f"{datetime.now(TZ) + timedelta(days=14, minutes=m):%d-%m-%Y}"
                                                          for m in (-1, 0, 1)}
    page.get_by_role("button", name="Uitleg bij Toegankelijkheid", exact=True).wait_for()
    page.get_by_role("button", name="Datum kiezen").first.click()
    page.get_by_role("button", name="Vorige maand").wait_for()
    no_streamlit_english(page)
    # The empty deadline: what stays English, as listed above.
    assert "".join(dates.nth(1).inner_text().split()) == "dd-mm-yyyy"
    assert {"Empty", "yyyy"} <= set(page.evaluate(LABELS))
    page.keyboard.press("Escape")

    nav(page, "Resultaten in beeld")
    page.get_by_text("Filters").first.click()
    settle(page)
    period = page.locator("[data-testid=stDateInputField]").first
    period.wait_for()
    assert re.fullmatch(r"\d\d-\d\d-\d{4}–\d\d-\d\d-\d{4}", "".join(period.inner_text().split()))
    page.get_by_role("button", name="Periode kiezen").wait_for()
    no_streamlit_english(page)

    choose(page, "Taal / Language", "English")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.locator("[aria-label='Collapse sidebar']").wait_for(state="attached")
    page.locator("[aria-label='Choose date range']").first.wait_for(state="attached")
    assert page.get_by_role("link", name="Link to heading").count() == 0
