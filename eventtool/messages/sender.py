"""Delivery: claims due messages from the outbox, fills in each one's personal link, and hands it to
an SMTP server. A message is marked sent right after the server accepted it; a temporary failure
(a 4xx answer, a lost connection) is tried again later with backoff, a permanent one (5xx: the
address does not exist) fails at once with the server's reason, for staff to see.

Crash safety: a message is claimed (status 'sending', with a deadline) in a committed transaction
before it is sent. A sender killed at any point leaves it 'sending'; after the deadline another
sender (or the same one, restarted) takes it again, so nothing is lost. Its Message-ID was fixed
when it was queued, so the one message that may have been accepted just before the kill goes out
again as the very same message: mail stores show it once."""
from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from urllib.parse import unquote, urlsplit

from sqlmodel import Session

from ..errors import DomainError
from ..models import Event, Registration
from ..timeutil import utcnow
from . import links, notify, outbox
from .models import Message

log = logging.getLogger("eventtool.mail")
SURVEY_PAGE = "vragenlijst"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # "tls" (smtps://), "starttls" (smtp:// when offered) or "none"
    user: str | None = None
    password: str | None = None


def parse_url(url: str) -> SmtpConfig:
    """smtp://user:pw@host:587 (STARTTLS when the server offers it), smtps://host:465 (TLS),
    smtp://127.0.0.1:1025 (plain, for a local relay or a test server)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise DomainError("messages.bad_smtp_url")
    tls = parts.scheme == "smtps"
    return SmtpConfig(parts.hostname, parts.port or (465 if tls else 25), "tls" if tls else "starttls",
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None)


def connect(config: SmtpConfig, timeout: float = 30) -> smtplib.SMTP:
    if config.security == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=timeout,
                                             context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=timeout)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        elif config.user:
            smtp.quit()
            raise DomainError("messages.password_without_tls")  # never send a password in the clear
    if config.user:
        smtp.login(config.user, config.password or "")
    return smtp


def build(msg: Message, mail_from: str, link: str | None, fallback: str) -> EmailMessage:
    """The e-mail as it goes out: plain text with an HTML alternative, the calendar file attached."""
    where = link or fallback
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = formataddr((msg.to_name, msg.to_address))
    email["Subject"] = msg.subject
    email["Message-ID"] = msg.message_id
    email["Date"] = formatdate(localtime=True)
    email["Auto-Submitted"] = "auto-generated"
    email["Content-Language"] = msg.lang
    email.set_content(msg.body_text.replace(links.PLACEHOLDER, where))
    email.add_alternative(msg.body_html.replace(links.PLACEHOLDER, where), subtype="html")
    if msg.ics:
        method = "CANCEL" if "METHOD:CANCEL" in msg.ics else "PUBLISH"
        email.add_attachment(msg.ics.encode("utf-8"), maintype="text", subtype="calendar", filename=msg.ics_name,
                             params={"method": method})
    return email


def _claim_with_links(session: Session, limit: int, now: datetime | None,
                      claim_for: timedelta) -> list[tuple[Message, tuple[str, str] | None]]:
    """Claim due messages and make the personal link of each: a follow-up survey's own link, or the
    'mijn aanmelding' link of a registration of an event that has not ended (only hashes are kept).
    Each comes back as (page, token)."""
    from ..people import coaches
    from ..results import surveys
    taken = []
    for msg in outbox.claim(session, limit, now, claim_for):
        link = None
        if msg.invitation_id is not None:
            token = coaches.mint_invitation(session, msg.invitation_id, now)
            link = (coaches.INVITATION_PAGE, token) if token else None
        elif msg.survey_id is not None:
            token = surveys.mint(session, msg.survey_id, now)
            link = (SURVEY_PAGE, token) if token else None
        else:
            reg = session.get(Registration, msg.registration_id) if msg.registration_id else None
            event = session.get(Event, reg.event_id) if reg else None
            if event is not None and event.ends_at > (now or utcnow()) and reg.status != "cancelled":
                link = ("mijn-aanmelding", links.mint(session, reg.id, event.ends_at))
        taken.append((msg, link))
    return taken


@dataclass
class BatchResult:
    sent: int = 0
    retry: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retry + self.failed


def send_batch(db, config: SmtpConfig, mail_from: str, base_url: str, limit: int = 50,
               now: datetime | None = None, claim_for: timedelta = outbox.CLAIM_FOR) -> BatchResult:
    result = BatchResult()
    taken = db.write(_claim_with_links, limit, now, claim_for)
    if not taken:
        return result

    def later(rest: list, reason: str) -> BatchResult:
        """The connection is gone: these are tried again after their backoff."""
        for msg, _ in rest:
            db.write(outbox.mark_failed, msg.id, reason, permanent=False)
        result.retry += len(rest)
        return result

    try:
        smtp = connect(config)
    except (OSError, smtplib.SMTPException, DomainError) as exc:
        log.warning("mail server not reachable: %s: %s", type(exc).__name__, exc)
        return later(taken, f"{type(exc).__name__}: {exc}")
    try:
        for n, (msg, link) in enumerate(taken):
            email = build(msg, mail_from, links.url(base_url, link[1], link[0]) if link else None,
                          f"{base_url.rstrip('/')}/afmelden")
            try:
                smtp.send_message(email)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                code, text = (next(iter(exc.recipients.values())) if isinstance(exc, smtplib.SMTPRecipientsRefused)
                              else (exc.smtp_code, exc.smtp_error))
                # 5xx: refused for good (no such address); 4xx: try again later.
                db.write(outbox.mark_failed, msg.id, f"{code} {text.decode(errors='replace')}", permanent=code >= 500)
                result.failed += code >= 500
                result.retry += code < 500
                if code == 421:  # the server closes the connection
                    return later(taken[n + 1:], f"{code} {text.decode(errors='replace')}")
            except (OSError, smtplib.SMTPException) as exc:
                return later(taken[n:], f"{type(exc).__name__}: {exc}")
            else:
                db.write(outbox.mark_sent, msg.id)
                result.sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return result


def run_once(db, settings, limit: int = 50, now: datetime | None = None) -> BatchResult:
    """Queue due reminders and follow-up surveys, then send until nothing is due (without SMTP
    configured: queue only)."""
    from ..results import surveys
    db.write(notify.queue_due_reminders, settings.reminder_day_list, now)
    db.write(surveys.queue_due, settings.survey_wave_list, now)
    db.write(surveys.queue_reminders, now)
    total = BatchResult()
    if not settings.smtp_url:
        return total
    config = parse_url(settings.smtp_url)
    while True:
        batch = send_batch(db, config, settings.mail_from, settings.base_url, limit, now,
                           timedelta(seconds=settings.mail_claim_seconds))
        total.sent, total.retry, total.failed = total.sent + batch.sent, total.retry + batch.retry, total.failed + batch.failed
        if batch.handled < limit or batch.sent == 0:
            return total


def start_background(db, settings, interval: float = 15.0) -> threading.Event:
    """The sender beside the app (one per process; claims keep several processes apart). Returns
    the event that stops it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                run_once(db, settings)
            except Exception:  # noqa: BLE001 - a broken round is logged; the next one tries again
                log.exception("sending messages failed")
            stop.wait(interval)

    threading.Thread(target=loop, name="eventtool-mail", daemon=True).start()
    return stop
