"""Text rules every capability's input models share: no control characters or line separators, e-mail
and phone numbers normalised, field limits (text_field), the Input base model and times_rules (an
end after its start), and new_uid for calendar UIDs."""
from __future__ import annotations

import re
import uuid
from datetime import datetime

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import model_validator
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

from .errors import DomainError


# Control characters (C0, DEL, C1) and Unicode's line and paragraph separators. None belongs in a
# name, an address or a title, and in a mail header a lone CR, NEL or U+2028 ends the line (what
# follows would be a header of its own, e.g. 'Bcc:'). A multi-line field keeps its line breaks.
FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


_FORBIDDEN_MULTILINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def field_error(code: str, **ctx):
    return PydanticCustomError(code, code, ctx)


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Strip ends; refuse control characters and line separators (but keep any other Unicode,
    emoji and markup verbatim). A multi-line field keeps its line breaks, each as one LF."""
    value = (value or "").strip()
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if _FORBIDDEN_MULTILINE.search(value):
            raise field_error("field.control_chars_multiline")
    elif FORBIDDEN.search(value):
        raise field_error("field.control_chars")
    return value


def normalise_email(value: str | None) -> str | None:
    value = clean_text(value)
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise field_error("field.email_invalid") from None


def normalise_phone(value: str | None) -> str | None:
    value = clean_text(value)
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        raise field_error("field.phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise field_error("field.phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def new_uid() -> str:
    return f"{uuid.uuid4()}@eventtool"


# The longest text each public form field takes; the forms cut a longer paste and say so.
JOBSEEKER_LIMITS = {"name": 100, "email": 254, "phone": 20, "seeking": 300, "pitch": 600, "school": 120,
                    "coach_name": 100, "coach_email": 254, "companion_name": 100}


EMPLOYER_LIMITS = {"organisation": 120, "contact_name": 100, "email": 254, "phone": 20, "offers": 600}


def text_field(max_len: int, *, required: bool = False, multiline: bool = False):
    def check(value):
        value = clean_text(value, multiline=multiline)
        if required and not value:
            raise field_error("field.required")
        if len(value) > max_len:
            raise field_error("field.too_long", max=max_len)
        return value
    return check


def one_line(value: str | None, field: str, max_len: int, *, required: bool = False) -> str:
    """A one-line text taken outside the data models (an account's name, a coach's organisation),
    by the same rules; a broken one is a DomainError on `field`."""
    return checked_text(value, field, max_len, required=required)


def checked_text(value: str | None, field: str, max_len: int, *, required: bool = False, multiline: bool = False) -> str:
    """A text taken outside the data models (a note, several lines if `multiline`), by the same rules
    as theirs; a broken one is a DomainError on `field`."""
    try:
        return text_field(max_len, required=required, multiline=multiline)(value)
    except PydanticCustomError as exc:
        raise DomainError(exc.type, field=field, **(exc.context or {})) from None


class Input(SQLModel):
    """Base of the validated data models. `cross_rules` checks several fields together; it runs
    after the single-field checks pass, and `validation.parse` also runs it on the raw input when
    they do not, so a form shows every problem at once."""

    @staticmethod
    def cross_rules(values: dict) -> dict[str, str]:
        return {}

    @model_validator(mode="after")
    def _cross(self):
        for field, code in self.cross_rules(self.model_dump()).items():
            raise field_error(code, field=field)
        return self


def times_rules(values: dict) -> dict[str, str]:
    start, end = values.get("starts_at"), values.get("ends_at")
    deadline = values.get("registration_deadline")
    errors = {}
    both = lambda a, b: isinstance(a, datetime) and isinstance(b, datetime) and (a.tzinfo is None) == (b.tzinfo is None)  # noqa: E731
    if both(start, end) and end <= start:
        errors["ends_at"] = "event.ends_before_start"
    if both(start, deadline) and deadline > start:
        errors["registration_deadline"] = "event.deadline_after_start"
    wishes = values.get("wishes_until")
    if both(start, wishes) and wishes > start:
        errors["wishes_until"] = "event.wishes_after_start"
    return errors
