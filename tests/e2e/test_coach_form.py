"""Issue 25, finding 3, as it was found: a coach signs up one client, then another with only a name
and an e-mail address. The form must be empty after the first (the consent tick above all), the
second sign-up must be the new person's (never the first client's through a left-over phone
number), and the page must say who was really signed up. The store is read afterwards."""
from __future__ import annotations

import pytest

from .conftest import open_context, run_server
from .helpers import choose, field, login, settle, table_rows

pytestmark = pytest.mark.e2e

TABLES = ("jobseeker", "registration", "consent", "coach_client", "profile_proposal")
CONSENT = "Mijn cliënt geeft toestemming dat de organisatie"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory, "coachform")


@pytest.fixture
def page(browser, server, request):
    yield from open_context(browser, server, request)


def added(before: dict, after: dict) -> dict[str, list[dict]]:
    return {t: [after[t][i] for i in sorted(after[t].keys() - before[t].keys())] for t in TABLES}


def touched(before: dict, after: dict) -> set:
    return {(t, i) for t in TABLES for i in before[t] if after[t].get(i) != before[t][i]}


def test_the_coach_form_is_empty_after_a_sign_up_and_signs_up_who_it_names(page, server):
    db = server["db"]
    login(page, "coach@example.org")
    page.get_by_role("tab", name="Cliënt aanmelden").click()
    settle(page)
    choose(page, "Activiteit", "Onbeperkt aan het Werk")
    before = table_rows(db, TABLES)
    field(page, "Naam van uw cliënt").fill("Rutger Derde")
    field(page, "E-mailadres van uw cliënt").fill("rutger.derde@example.nl")
    page.get_by_role("textbox", name="Telefoonnummer van uw cliënt").fill("0633333333")
    page.get_by_text(CONSENT).click()
    page.get_by_role("button", name="Cliënt aanmelden").click()
    settle(page)
    page.wait_for_selector("text=Rutger Derde is aangemeld")
    first = added(before, table_rows(db, TABLES))
    (rutger,) = first["jobseeker"]
    assert (rutger["name"], rutger["phone"]) == ("Rutger Derde", "+31633333333")

    # Every field is empty again, and the consent is not ticked.
    for label in ("Naam van uw cliënt", "E-mailadres van uw cliënt"):
        assert field(page, label).input_value() == ""
    assert page.get_by_role("textbox", name="Telefoonnummer van uw cliënt").input_value() == ""
    assert not page.get_by_role("checkbox", name=CONSENT).is_checked()

    choose(page, "Activiteit", "Speedmeet Horeca en Groen")
    before = table_rows(db, TABLES)
    field(page, "Naam van uw cliënt").fill("Nadia Nieuw")
    field(page, "E-mailadres van uw cliënt").fill("nadia.nieuw@example.nl")
    page.get_by_role("button", name="Cliënt aanmelden").click()
    settle(page)
    # Without the consent tick nothing is signed up: no left-over consent stands in for it.
    page.wait_for_selector("text=toestemming")
    assert added(before, table_rows(db, TABLES)) == {t: [] for t in TABLES}
    page.get_by_text(CONSENT).last.click()  # (the first is now the error summary's link to it)
    page.get_by_role("button", name="Cliënt aanmelden").click()
    settle(page)
    page.wait_for_selector("text=Nadia Nieuw is aangemeld")

    after = table_rows(db, TABLES)
    second = added(before, after)
    assert touched(before, after) == set()
    (nadia,) = second["jobseeker"]
    assert (nadia["name"], nadia["email"], nadia["phone"]) == ("Nadia Nieuw", "nadia.nieuw@example.nl", None)
    (reg,) = second["registration"]
    assert (reg["jobseeker_id"], reg["source"]) == (nadia["id"], "coach")
    assert [(c["jobseeker_id"], c["scope"]) for c in second["consent"]] == [(nadia["id"], "registration")]
    assert [c["jobseeker_id"] for c in second["coach_client"]] == [nadia["id"]]
    assert second["profile_proposal"] == []  # nobody proposed to rename Rutger
    assert [r for r in after["registration"].values() if r["jobseeker_id"] == rutger["id"]] == first["registration"]
