"""Delivery: claims due messages from the outbox, fills in each one's personal link, and hands it to
an SMTP server. A message is marked sent right after the server accepted it; a temporary failure
(a 4xx answer, a lost connection) is tried again later with backoff, a permanent one (5xx: the
address does not exist) fails at once with the server's reason, for staff to see. Anything else
wrong with one message (a name or subject a header cannot carry, stored before the checks; an
error nobody foresaw while its link is made, it is built or sent) fails that message alone, with
its reason, and the batch goes on.

Crash safety: a message is claimed (status 'sending', with a deadline) in a committed transaction
before it is sent. A sender killed at any point leaves it 'sending'; after the deadline another
sender (or the same one, restarted) takes it again, so nothing is lost. Its Message-ID was fixed
when it was queued, so the one message that may have been accepted just before the kill goes out
again as the very same message: mail stores show it once. One that is taken more often than the
backoff allows without ever finishing (a sender dies on it each time) is failed, not taken again."""
from __future__ import annotations

import logging
import re
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from urllib.parse import unquote, urlsplit

from sqlmodel import Session

from .core import audit
from .core.access import PAGES
from .core.errors import DomainError, NotFound
from .core.text import FORBIDDEN
from .core.timeutil import utcnow
from .events import calendars
from .events.models import Event
from .messages import links, outbox
from .messages.models import Message
from .messages.outbox import message_id
from .people import employer_accounts
from .people.models import Employer, Invitation, Jobseeker, LoginLink, User
from .registration import coaches, door, notify
from .registration.models import Registration
from .results import surveys
from .results.models import Survey

log = logging.getLogger("eventtool.mail")
SURVEY_PAGE = "vragenlijst"
LOGIN_PAGE = next(p.url_path for p in PAGES if p.script == "views/login.py")


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


_CODE_LINE_TEXT = re.compile(r"^[^\n]*" + re.escape(links.CODE_PLACEHOLDER) + r"[^\n]*\n", re.M)
_CODE_LINE_HTML = re.compile(r"<tr>(?:(?!</tr>).)*?" + re.escape(links.CODE_PLACEHOLDER) + r".*?</tr>", re.S)
# The door code's block (content.py's event templates): its label, the code, how to use it.
_DOOR_TEXT = re.compile(r"\n\n[^\n]*\n[^\n]*" + re.escape(links.DOOR_PLACEHOLDER) + r"[^\n]*\n[^\n]*\n")
_DOOR_HTML = re.compile(r"<!--door-->.*?<!--/door-->", re.S)


def one_click(url: str) -> bool:
    """Whether an address can be a one-click List-Unsubscribe: RFC 8058 asks for https."""
    return urlsplit(url.strip()).scheme.lower() == "https"


def build(msg: Message, mail_from: str, link: str | None, fallback: str, coach_login: str = "",
          unsubscribe: str | None = None, door_code: str | None = None) -> EmailMessage:
    """The e-mail as it goes out: plain text with an HTML alternative, the calendar file attached.
    A jobcoach's copy gets `coach_login` (the login that leads to their own clients). A reminder or
    survey gets its `unsubscribe` address as List-Unsubscribe with RFC 8058's one-click POST (https
    only: there is no mailbox that reads unsubscribe mails); a message about a change someone made
    or must know (a confirmation, a cancellation, a moved event) is transactional and has none."""
    where = link or fallback
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = formataddr((msg.to_name, msg.to_address))
    email["Subject"] = msg.subject
    email["Message-ID"] = msg.message_id
    email["Date"] = formatdate(localtime=True)
    email["Auto-Submitted"] = "auto-generated"
    if unsubscribe and one_click(unsubscribe):
        email["List-Unsubscribe"] = f"<{unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text, html = msg.body_text, msg.body_html
    if msg.code is None:  # sent before (the store keeps only its hash): the line goes, not just the code
        text, html = _CODE_LINE_TEXT.sub("", text), _CODE_LINE_HTML.sub("", html)
    if door_code is None:  # no place (any more) to show a door code for: the whole block goes
        text, html = _DOOR_TEXT.sub("\n", text), _DOOR_HTML.sub("", html)
    code = msg.code or ""
    email.set_content(text.replace(links.PLACEHOLDER, where).replace(links.CODE_PLACEHOLDER, code)
                      .replace(links.COACH_PLACEHOLDER, coach_login).replace(links.DOOR_PLACEHOLDER, door_code or ""))
    email.add_alternative(html.replace(links.PLACEHOLDER, where).replace(links.CODE_PLACEHOLDER, code)
                          .replace(links.COACH_PLACEHOLDER, coach_login).replace(links.DOOR_PLACEHOLDER, door_code or ""),
                          subtype="html")
    if door_code is not None and links.DOOR_PLACEHOLDER in msg.body_html:
        # The QR code inside the HTML (multipart/related, by its Content-ID), the code as text beside it.
        email.get_payload()[1].add_related(door.qr_png(door_code), maintype="image", subtype="png",
                                           cid=f"<{links.DOOR_IMAGE_ID}>", filename="qr-deurcode.png",
                                           disposition="inline")
    if msg.ics:  # one file per VCALENDAR: iTIP allows one UID per REQUEST or CANCEL
        files = calendars.parts(msg.ics)
        stem = msg.ics_name.removesuffix(".ics") or "activiteit"
        for n, part in enumerate(files, 1):
            email.add_attachment(part.encode("utf-8"), maintype="text", subtype="calendar",
                                 filename=msg.ics_name if len(files) == 1 else f"{stem}-{n}.ics",
                                 params={"method": calendars.method_of(part), "charset": "utf-8"})
    # After the content: set_content() and add_alternative() clear every Content-* header set before.
    email["Content-Language"] = msg.lang
    return email


def _claim_with_links(session: Session, limit: int, now: datetime | None, claim_for: timedelta,
                      unsubscribe: bool = True) -> tuple[list[tuple[Message, tuple[str, str] | None, str | None]], int]:
    """Claim due messages and make the personal link and (`unsubscribe`: the app is served over
    https) the unsubscribe token of each (only hashes are kept). Returns the messages to send with their link and token, and how many failed already:
    a message whose links cannot be made fails alone (its savepoint is undone), the others are
    claimed all the same."""
    taken, failed = [], 0
    for msg in outbox.claim(session, limit, now, claim_for):
        try:
            with session.begin_nested():
                taken.append((msg, _link(session, msg, now),
                              _unsubscribe(session, msg, now) if unsubscribe else None, _door_code(session, msg)))
        except Exception as exc:  # noqa: BLE001 - whatever it is, it is this message's failure
            log.warning("message %s: no link: %s: %s", msg.id, type(exc).__name__, exc)
            outbox.mark_failed(session, msg.id, f"{type(exc).__name__}: {exc}", permanent=True, now=now)
            failed += 1
    return taken, failed


def _link(session: Session, msg: Message, now: datetime | None) -> tuple[str, str] | None:
    """A message's personal link as (page, token): a coach invitation's, an employer's sign-in link, a follow-up survey's own,
    or the 'mijn aanmelding' link of a registration of an event that has not ended."""
    if msg.invitation_id is not None:
        token = coaches.mint_invitation(session, msg.invitation_id, now)
        return (coaches.INVITATION_PAGE, token) if token else None
    if msg.login_link_id is not None:
        # A sign-in mail is its link: one that was used, replaced or expired fails (staff see why)
        # rather than go out with a link to another page.
        token = employer_accounts.mint_login_link(session, msg.login_link_id, now)
        if token is None:
            raise ValueError("the sign-in link was used, replaced or expired; the person can ask for a new one")
        return (employer_accounts.LINK_PAGE, token)
    if msg.survey_id is not None:
        token = surveys.mint(session, msg.survey_id, now)
        return (SURVEY_PAGE, token) if token else None
    reg = session.get(Registration, msg.registration_id) if msg.registration_id else None
    event = session.get(Event, reg.event_id) if reg else None
    if event is not None and event.ends_at > (now or utcnow()) and reg.status != "cancelled" \
            and links.PLACEHOLDER in msg.body_text and _to_the_person(session, msg, reg):
        return ("mijn-aanmelding", links.mint(session, reg.id, event.ends_at))
    return None


def _door_code(session: Session, msg: Message) -> str | None:
    """The door code a mail about a place carries: only to the person themselves (never their coach's
    copy), and only while they have a confirmed place that can still be scanned."""
    if links.DOOR_PLACEHOLDER not in msg.body_text or msg.registration_id is None:
        return None
    reg = session.get(Registration, msg.registration_id)
    if reg is None or reg.status != "confirmed" or reg.door_code_hash is None or not _to_the_person(session, msg, reg):
        return None
    return door.token(reg)


# How long the unsubscribe link of a survey mail works: the last wave comes a year after the event.
UNSUBSCRIBE_SURVEYS_FOR = timedelta(days=400)


def _unsubscribe(session: Session, msg: Message, now: datetime | None) -> str | None:
    """The unsubscribe token of a reminder (for its registration, until the event has ended) or a
    survey mail (for the survey's respondent); None for every other kind. A coach's copy of a
    reminder has none: its token would switch off the person's own reminders."""
    now = now or utcnow()
    if msg.kind in ("survey", "survey_reminder") and msg.survey_id is not None:
        return links.mint_unsubscribe(session, links.SURVEYS, now + UNSUBSCRIBE_SURVEYS_FOR, survey_id=msg.survey_id)
    if msg.kind != "reminder" or msg.registration_id is None:
        return None
    reg = session.get(Registration, msg.registration_id)
    event = session.get(Event, reg.event_id) if reg else None
    if event is None or event.ends_at <= now or not _to_the_person(session, msg, reg):
        return None
    return links.mint_unsubscribe(session, links.REMINDERS, event.ends_at, registration_id=reg.id)


def _to_the_person(session: Session, msg: Message, reg: Registration) -> bool:
    """Whether a message goes to the registration's own person (their stored address). A copy to
    their jobcoach never carries the person's link, also one queued before copies left it out."""
    who = notify._recipient(session, reg)
    return who is not None and who[0].casefold() == msg.to_address.casefold()


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
    # No unsubscribe tokens where the app is not served over https: no one-click header to carry them.
    taken, result.failed = db.write(_claim_with_links, limit, now, claim_for, one_click(base_url))
    if not taken:
        return result

    def failed(msg: Message, reason: str) -> None:
        """This message cannot go out as it is: it fails alone, with the reason for staff."""
        log.warning("message %s failed: %s", msg.id, reason)
        db.write(outbox.mark_failed, msg.id, reason, permanent=True)
        result.failed += 1

    def later(rest: list, reason: str) -> BatchResult:
        """The connection is gone: these are tried again after their backoff."""
        for msg, *_ in rest:
            db.write(outbox.mark_failed, msg.id, reason, permanent=False)
        result.retry += len(rest)
        return result

    try:
        smtp = connect(config)
    except (OSError, smtplib.SMTPException, DomainError) as exc:
        log.warning("mail server not reachable: %s: %s", type(exc).__name__, exc)
        return later(taken, f"{type(exc).__name__}: {exc}")
    try:
        for n, (msg, link, stop, door_code) in enumerate(taken):
            reason = outbox.unsendable(msg)
            if reason is None:
                try:
                    email = build(msg, mail_from, links.url(base_url, link[1], link[0]) if link else None,
                                  f"{base_url.rstrip('/')}/afmelden", f"{base_url.rstrip('/')}/{LOGIN_PAGE}",
                                  links.unsubscribe_url(base_url, stop) if stop else None, door_code)
                except Exception as exc:  # noqa: BLE001 - whatever this one holds, the rest still go
                    reason = f"{type(exc).__name__}: {exc}"
            if reason is not None:
                failed(msg, reason)
                continue
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
            except smtplib.SMTPNotSupportedError as exc:  # this message needs what the server lacks
                failed(msg, f"{type(exc).__name__}: {exc}")
            except (OSError, smtplib.SMTPException) as exc:
                return later(taken[n:], f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # noqa: BLE001 - this message's own failure; the rest still go
                failed(msg, f"{type(exc).__name__}: {exc}")
                try:
                    smtp.rset()  # whatever the server heard of it is dropped
                except (OSError, smtplib.SMTPException) as gone:
                    return later(taken[n + 1:], f"{type(gone).__name__}: {gone}")
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
        if batch.handled < limit or batch.sent + batch.failed == 0:  # a failed one is done with too
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


@audit.action("outbox.resend")
def resend(session: Session, message_pk: int) -> Message:
    """Staff: send a message again (after a failure, or because the person lost it). It keeps its
    Message-ID when it never went out; a copy of a sent one gets a new one."""
    msg = session.get(Message, message_pk)
    if msg is None:
        raise NotFound("messages.not_found")
    if msg.status in ("queued", "sending"):
        raise DomainError("messages.already_on_its_way")
    if msg.status == "sent":
        msg.message_id = message_id(msg.message_id.rsplit("@", 1)[-1].rstrip(">"))
    name = recipient_name(session, msg)
    if name is not None:
        msg.to_name = name[:120]
    # The subject is our own text around an event's title: a line break an old title held goes
    # as a space.
    msg.subject = FORBIDDEN.sub(" ", msg.subject)
    msg.status, msg.attempts, msg.next_attempt_at, msg.last_error = "queued", 0, utcnow(), ""
    session.flush()
    return msg


def recipient_name(session: Session, msg: Message) -> str | None:
    """The name stored now for whom the message is addressed to (so a corrected name counts when
    it is sent again), or None when the message's address is no longer theirs."""
    def theirs(address: str | None) -> bool:
        return (address or "").casefold() == msg.to_address.casefold()

    if msg.invitation_id is not None:
        invitation = session.get(Invitation, msg.invitation_id)
        user = session.get(User, invitation.user_id) if invitation else None
        return user.name if user is not None and theirs(user.email) else None
    if msg.login_link_id is not None:
        link = session.get(LoginLink, msg.login_link_id)
        user = session.get(User, link.user_id) if link else None
        return user.name if user is not None and theirs(user.email) else None
    if msg.employer_id is not None:
        employer = session.get(Employer, msg.employer_id)
        return employer.contact_name if employer is not None and theirs(employer.email) else None
    person = session.get(Jobseeker, msg.jobseeker_id) if msg.jobseeker_id is not None else None
    if person is not None and theirs(person.email):
        return person.name
    # A copy to the person's jobcoach (a survey for the coach carries its registration).
    survey = session.get(Survey, msg.survey_id) if msg.survey_id is not None else None
    registration_id = survey.registration_id if survey is not None else msg.registration_id
    reg = session.get(Registration, registration_id) if registration_id is not None else None
    return (reg.coach_name or "") if reg is not None and theirs(reg.coach_email) else None
