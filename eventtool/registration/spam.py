"""Against sign-up bots, without a CAPTCHA (it shuts out keyboard and screen-reader users):

- a honeypot field that people never see (it is not shown, not focusable and not read out), which
  a script that fills in every field does fill in;
- a time trap: a form sent sooner after it was shown than any person can fill it in;
- a limit on *refused* attempts per client address, not on sign-ups: a jobcoach signing up ten
  clients, or a library whose visitors share one address, is never stopped for succeeding.

Refusals are kept in the database (`SignupAttempt`), so no client can reset them (Streamlit's
'clear cache' message, which any browser can send, empties only Streamlit's caches) and every app
process sees the same count. A person who is slow is never refused."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from .models import SignupAttempt
from ..core.timeutil import utcnow

MIN_SECONDS_TO_FILL = 2.0
MAX_REFUSALS = 20
WINDOW = timedelta(minutes=10)


def client_address(forwarded: str | None, socket_address: str | None) -> str | None:
    """The visitor's address. Behind a reverse proxy the socket address is the proxy's own; the
    configured header (X-Forwarded-For) then holds it. The *last* entry is the one our proxy wrote:
    anything before it came from the client and can be made up to dodge the limit."""
    if forwarded:
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:100]
    return socket_address


def _key(source: str | None) -> str:
    return (source or "unknown")[:120]


def refusals(session: Session, source: str | None, now: datetime | None = None) -> int:
    since = (now or utcnow()) - WINDOW
    return session.exec(select(func.count()).select_from(SignupAttempt).where(
        SignupAttempt.key == _key(source), SignupAttempt.at > since)).one()


def record_refusal(session: Session, source: str | None, now: datetime | None = None) -> None:
    """Count a refused attempt (trap or invalid input); rows older than the window go."""
    now = now or utcnow()
    session.exec(delete(SignupAttempt).where(col(SignupAttempt.at) <= now - WINDOW))
    session.add(SignupAttempt(key=_key(source), at=now))
    session.flush()


def check(session: Session, source: str | None, *, seconds_on_form: float | None, honeypot: str | None,
          min_seconds: float = MIN_SECONDS_TO_FILL, now: datetime | None = None) -> tuple[str, dict] | None:
    """None when the sign-up may go ahead; else the refusal (message code and its values), which is
    counted. Runs in its own transaction (`Database.write`), so the count stays when the page
    then shows the refusal."""
    now = now or utcnow()
    if refusals(session, source, now) >= MAX_REFUSALS:
        return "spam.too_many", {"minutes": int(WINDOW.total_seconds() // 60)}
    if honeypot:
        record_refusal(session, source, now)
        return "spam.refused", {}
    if seconds_on_form is not None and seconds_on_form < min_seconds:
        record_refusal(session, source, now)
        return "spam.too_fast", {}
    return None
