"""Every text field refuses control characters and Unicode's line and paragraph separators, with a
message in the user's language: a lone CR or U+2028 in a name would end a mail header's line (what
follows becomes a header of its own). Multi-line fields (a pitch, an event's description, a note)
keep their line breaks, each stored as one LF, and refuse the rest. Each way in checks the same."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import func, select

from eventtool.people import accounts as auth
from eventtool.registration import registration
from eventtool.core.errors import DomainError, ValidationFailed
from eventtool.core.i18n import translate
from eventtool.events.models import BlockIn, EventIn
from eventtool.people.models import Employer, EmployerIn, Jobseeker, JobseekerIn, User
from eventtool.results.models import OutcomeIn
from eventtool.results import bulk_import
from eventtool.registration import coaches
from eventtool.core.validation import parse

from ..conftest import company, person

# One of each kind: C0 controls (line breaks and tab among them), DEL, C1 controls, separators.
FORBIDDEN = {"NUL": "\x00", "BEL": "\x07", "TAB": "\t", "LF": "\n", "VT": "\x0b", "FF": "\x0c", "CR": "\r",
             "ESC": "\x1b", "US": "\x1f", "DEL": "\x7f", "PAD": "\x80", "NEL": "\x85", "APC": "\x9f",
             "LSEP": "\u2028", "PSEP": "\u2029"}
# A representative of each class, for the ways in (each one a database test).
CLASSES = ("\r", "\x7f", "\x85", "\u2028")
START = datetime(2030, 5, 6, 13, 0)


def base(model) -> dict:
    return {
        JobseekerIn: lambda: person(1, companion="jobcoach"),
        EmployerIn: lambda: company(1),
        EventIn: lambda: dict(kind="meet_greet", title="Meet&Greet", starts_at=START, ends_at=START + timedelta(hours=2)),
        BlockIn: lambda: dict(title="Welkom", audience="everyone", starts_at=START, ends_at=START + timedelta(hours=1)),
        OutcomeIn: lambda: dict(jobseeker_id=1, kind="contact", occurred_on=START),
    }[model]()


def with_char(field: str, char: str) -> str:
    """A value that is fine for the field but for the character in its middle."""
    if field.endswith("email"):
        return f"an{char}na@example.nl"
    if field == "phone":
        return f"0612{char}345678"
    return f"Anna{char}Bcc: buit@dief.example"


SINGLE_LINE = [(JobseekerIn, f) for f in ("name", "email", "phone", "school", "coach_name", "coach_email",
                                          "companion_name")] + \
              [(EmployerIn, f) for f in ("organisation", "contact_name", "email", "phone")] + \
              [(EventIn, f) for f in ("title", "venue_name", "address", "city")] + [(BlockIn, "title")]
MULTI_LINE = [(JobseekerIn, "seeking"), (JobseekerIn, "pitch"), (EmployerIn, "offers"), (EventIn, "description"),
              (EventIn, "accessibility_notes"), (OutcomeIn, "note")]


def field_errors(model, field, value) -> dict:
    with pytest.raises(ValidationFailed) as exc:
        parse(model, base(model) | {field: value})
    return {k: code for k, (code, _) in exc.value.errors.items()}


@pytest.mark.parametrize("char", FORBIDDEN.values(), ids=FORBIDDEN.keys())
@pytest.mark.parametrize("model, field", SINGLE_LINE, ids=[f"{m.__name__}.{f}" for m, f in SINGLE_LINE])
def test_a_one_line_field_refuses_every_control_and_separator_character(model, field, char):
    assert field_errors(model, field, with_char(field, char)) == {field: "field.control_chars"}


@pytest.mark.parametrize("char", [c for k, c in FORBIDDEN.items() if k not in ("LF", "CR")],
                         ids=[k for k in FORBIDDEN if k not in ("LF", "CR")])
@pytest.mark.parametrize("model, field", MULTI_LINE, ids=[f"{m.__name__}.{f}" for m, f in MULTI_LINE])
def test_a_multi_line_field_refuses_them_too_but_keeps_its_line_breaks(model, field, char):
    assert field_errors(model, field, f"regel 1{char}regel 2") == {field: "field.control_chars_multiline"}
    for line_break in ("\n", "\r\n", "\r"):
        parsed = parse(model, base(model) | {field: f"regel 1{line_break}regel 2"})
        assert getattr(parsed, field) == "regel 1\nregel 2"


def test_the_messages_say_it_in_both_languages():
    for code in ("field.control_chars", "field.control_chars_multiline"):
        nl, en = translate(code, "nl"), translate(code, "en")
        assert nl != code and en != code and nl != en
    assert "regeleinde" in translate("field.control_chars", "nl")
    assert "nieuwe regel mag wel" in translate("field.control_chars_multiline", "nl")


def test_any_other_text_is_still_kept_as_typed():
    text = "Zoë Ñúñez 李小龙 🙂 <b>=1+1</b> \u00a0non-breaking\u200dzwj"
    assert parse(JobseekerIn, person(name=text)).name == text


def count(db, model) -> int:
    return db.read(lambda s: s.exec(select(func.count()).select_from(model)).one())


def test_the_public_forms_the_door_and_a_phone_call_refuse_them_and_store_nothing(db, create_event):
    ev = create_event(capacity_jobseekers=10, capacity_employers=10)
    for char in CLASSES:
        for sign_up in (registration.register_jobseeker, registration.add_walk_in, registration.add_by_phone):
            with pytest.raises(ValidationFailed) as exc:
                db.write(sign_up, ev.id, person(name=f"Anna{char}Bcc: buit@dief.example"))
            assert exc.value.errors["name"][0] == "field.control_chars"
        with pytest.raises(ValidationFailed) as exc:
            db.write(registration.register_employer, ev.id, company(contact_name=f"Els{char}Bcc: x@y.example"))
        assert exc.value.errors["contact_name"][0] == "field.control_chars"
    assert count(db, Jobseeker) == 0 and count(db, Employer) == 0


def test_the_coach_form_refuses_them_for_the_client_and_the_companion(db, create_event):
    ev = create_event(capacity_jobseekers=10)
    invitation = db.write(coaches.invite, "carla@jobcoach.nl", "Carla Coach", "Jobcoach Oss", "organiser@example.org")
    token = db.write(coaches.mint_invitation, invitation.id)
    coach = db.write(coaches.accept_invitation, token, "een lang eigen wachtwoord", "een lang eigen wachtwoord")
    for char in CLASSES:
        for field in ("name", "companion_name"):
            with pytest.raises(ValidationFailed) as exc:
                db.write(coaches.sign_up_client, coach.id, ev.id,
                         person(companion="interpreter", **{field: f"Anna{char}Bcc: buit@dief.example"}))
            assert exc.value.errors[field][0] == "field.control_chars"
    assert count(db, Jobseeker) == 0


def test_staff_accounts_and_coach_invitations_refuse_them_in_name_and_organisation(db):
    for char in CLASSES:
        with pytest.raises(DomainError) as exc:
            db.write(auth.create_user, "nieuw@example.org", f"Nieuw{char}Bcc: x@y.example", "coordinator",
                     "een lang eigen wachtwoord")
        assert (exc.value.code, exc.value.field) == ("field.control_chars", "name")
        for name, organisation, field in ((f"Carla{char}Coach", "Jobcoach Oss", "name"),
                                          ("Carla Coach", f"Jobcoach{char}Oss", "organisation")):
            with pytest.raises(DomainError) as exc:
                db.write(coaches.invite, "carla@jobcoach.nl", name, organisation, "organiser@example.org")
            assert (exc.value.code, exc.value.field) == ("field.control_chars", field)
    assert count(db, User) == 0


def cell_problems(seen) -> dict[int, list[tuple[str, str]]]:
    """Per row, the fields with a problem and the rule they break."""
    return {r.number: [(f, params.get("code", code)) for f, code, params in r.problems] for r in seen.problems}


def test_an_import_names_the_row_and_the_field(db):
    rows = "".join(f'"Anna{char}Bcc: x@y.example";anna{n}@example.nl;ja;01-02-2025\n' for n, char in enumerate(CLASSES))
    content = ("Naam;E-mailadres;Toestemming;Toestemming datum\n" + rows + "Bea;bea@example.nl;ja;01-02-2025\n")
    seen = db.read(bulk_import.preview, content.encode("utf-8"), "klanten.csv", "jobseekers")
    assert [r.number for r in seen.new] == [6]
    assert cell_problems(seen) == {n: [("name", "field.control_chars")] for n in range(2, 6)}
    employers = ("Organisatie;Contactpersoon;E-mailadres\n"
                 + "".join(f'"Bakkerij{char}Oss";Els;els{n}@bakkerij.nl\n' for n, char in enumerate(CLASSES)))
    seen = db.read(bulk_import.preview, employers.encode("utf-8"), "werkgevers.csv", "employers")
    assert cell_problems(seen) == {n: [("organisation", "field.control_chars")] for n in range(2, 6)}
