"""Bad input: a clear message per field, or stored verbatim (and shown as text by the pages)."""
import pytest
from sqlmodel import select

from eventtool.registration import registration
from eventtool.core.errors import ValidationFailed
from eventtool.people.models import JobseekerIn, Jobseeker
from eventtool.core.validation import parse

from ..conftest import person


def errors_for(**overrides):
    with pytest.raises(ValidationFailed) as exc:
        parse(JobseekerIn, person(**overrides))
    return {k: v[0] for k, v in exc.value.errors.items()}


@pytest.mark.parametrize("overrides,expected", [
    (dict(name=""), {"name": "field.required"}),
    (dict(name="   "), {"name": "field.required"}),
    (dict(name="a" * 101), {"name": "field.too_long"}),
    (dict(name="Tab\there"), {"name": "field.control_chars"}),
    (dict(name="Null\x00byte"), {"name": "field.control_chars"}),
    (dict(email="geen-email"), {"email": "field.email_invalid"}),
    (dict(email="a@b"), {"email": "field.email_invalid"}),
    (dict(email=None, phone="12"), {"phone": "field.phone_invalid"}),
    (dict(email=None, phone="bel me"), {"phone": "field.phone_invalid"}),
    (dict(email=None, phone=None), {"email": "jobseeker.contact_required"}),
    (dict(region="Mars"), {"region": "field.choice_invalid"}),
    (dict(interests=["astronaut"]), {"interests": "field.choice_invalid"}),
    (dict(support_needs=["jetpack"], consent_special=True), {"support_needs": "field.choice_invalid"}),
    (dict(support_needs=["jetpack"]), {"support_needs": "field.choice_invalid", "consent_special": "consent.special_required"}),
    (dict(pitch="x" * 601), {"pitch": "field.too_long"}),
])
def test_bad_input_gets_a_message_per_field(overrides, expected):
    assert errors_for(**overrides) == expected


def test_several_errors_at_once():
    errs = errors_for(name="", email="nope")
    assert errs == {"name": "field.required", "email": "field.email_invalid"}


def test_too_long_says_the_limit():
    with pytest.raises(ValidationFailed) as exc:
        parse(JobseekerIn, person(name="x" * 200))
    assert exc.value.errors["name"] == ("field.too_long", {"max": 100})


@pytest.mark.parametrize("name", [
    "Zoë Ñúñez-Ölçer", "محمد العلي", "李小龙", "Sanne 🙂👍", "<script>alert(1)</script>", "**vet** [link](http://x)",
    "=1+1", "@SUM(A1)", "+31 bellen", "-minus", "O'Brien \"de Jong\"", "Robert'); DROP TABLE jobseeker;--",
])
def test_any_unicode_markup_and_formula_text_is_stored_verbatim(db, create_event, name):
    ev = create_event()
    db.write(registration.register_jobseeker, ev.id, person(name=f"  {name}  ", pitch=f"{name}\nregel 2"))
    stored = db.read(lambda s: s.exec(select(Jobseeker)).one())
    assert stored.name == name and stored.pitch == f"{name}\nregel 2"


def test_phone_and_email_are_normalised():
    data = parse(JobseekerIn, person(email=" Anna@Example.NL ", phone="06-1234 5678"))
    assert data.email == "anna@example.nl" and data.phone == "+31612345678"
    assert parse(JobseekerIn, person(phone="+32 470 12 34 56")).phone == "+32470123456"


def test_multiline_text_keeps_newlines_but_single_line_does_not():
    assert parse(JobseekerIn, person(pitch="a\r\nb")).pitch == "a\nb"
    assert errors_for(seeking="a\x07b") == {"seeking": "field.control_chars_multiline"}
