"""The personal 'mijn aanmelding' link: a long random token in the mail, only its hash in the
store, valid until the event has ended. Holding it proves one received mail at the address we
have, so it is also how a returning person confirms what they typed on a public form.

A reminder or survey mail also carries an unsubscribe link (List-Unsubscribe, RFC 8058): a token
of its own, hash only, that switches off that one kind of mail and nothing else."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlmodel import Session, col, delete, select

from ..core.errors import NotFound
from ..core.timeutil import utcnow
from .models import PersonalLink, UnsubscribeLink

PLACEHOLDER = "[[mijn-aanmelding]]"
# The personal code of a sign-up's confirmation (`Message.code`), filled in when it is sent.
CODE_PLACEHOLDER = "[[persoonlijke-code]]"
# The personal door code (registration.door) and its QR image, filled in when it is sent: only a mail
# to the person about a place they have (a confirmation, a place from the waiting list, a reminder).
DOOR_PLACEHOLDER = "[[deurcode]]"
DOOR_IMAGE_ID = "qr-deurcode@eventtool"
# A jobcoach's copy never carries the person's own link or code: it points to the coach's login
# (their own caseload), the same address for every coach, filled in when it is sent.
COACH_PLACEHOLDER = "[[begeleider-login]]"
# The List-Unsubscribe address, /uitschrijven/<token>: a plain HTTP route beside the app (serve.py)
# that a mail program POSTs to, not a page. What its token switches off:
UNSUBSCRIBE_PATH = "uitschrijven"
REMINDERS, SURVEYS = "reminders", "surveys"


# What new_token makes: secrets.token_urlsafe(32), 43 characters of the URL-safe base64 alphabet.
TOKEN_BYTES = 32
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def well_formed(token: str) -> bool:
    """Whether a token can be one we made (new_token); anything else is known to be unknown without
    asking the store."""
    return bool(_TOKEN.fullmatch(token or ""))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A long random token for a link in a mail, and the hash that is all the store keeps."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, _hash(token)


def find(session: Session, model, token: str, code: str, now: datetime | None = None):
    """The row of `model` (a table with token_hash and expires_at) a token belongs to. An unknown,
    mistyped or expired token gets one and the same answer (`code`), so a page cannot be used to
    probe for tokens."""
    token = (token or "").strip()
    row = session.exec(select(model).where(model.token_hash == _hash(token))).first() \
        if 20 <= len(token) <= 100 else None
    if row is None or row.expires_at <= (now or utcnow()):
        raise NotFound(code)
    return row


def mint(session: Session, registration_id: int, expires_at: datetime) -> str:
    token, token_hash = new_token()
    session.add(PersonalLink(registration_id=registration_id, token_hash=token_hash, expires_at=expires_at))
    session.flush()
    return token


def mint_unsubscribe(session: Session, kind: str, expires_at: datetime, *, registration_id: int | None = None,
                     survey_id: int | None = None) -> str:
    """A new unsubscribe token: `REMINDERS` of a registration, or `SURVEYS` of a survey's respondent."""
    if (kind, registration_id is None, survey_id is None) not in ((REMINDERS, False, True), (SURVEYS, True, False)):
        raise ValueError(f"an unsubscribe link for {kind} names a registration or a survey, not {registration_id}, {survey_id}")
    token, token_hash = new_token()
    session.add(UnsubscribeLink(kind=kind, registration_id=registration_id, survey_id=survey_id,
                                token_hash=token_hash, expires_at=expires_at))
    session.flush()
    return token


def revoke(session: Session, registration_ids: list[int], survey_ids: list[int] | None = None) -> None:
    """Every link made for these registrations (personal and unsubscribe links) and for these
    surveys (their unsubscribe links) stops working."""
    if registration_ids:
        session.exec(delete(PersonalLink).where(col(PersonalLink.registration_id).in_(registration_ids)))
        session.exec(delete(UnsubscribeLink).where(col(UnsubscribeLink.registration_id).in_(registration_ids)))
    if survey_ids:
        session.exec(delete(UnsubscribeLink).where(col(UnsubscribeLink.survey_id).in_(survey_ids)))


def url(base_url: str, token: str, page: str = "mijn-aanmelding") -> str:
    return f"{base_url.rstrip('/')}/{page}?t={token}"


def unsubscribe_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{UNSUBSCRIBE_PATH}/{token}"


