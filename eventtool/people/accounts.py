"""Staff accounts: argon2id password hashes, roles."""
from __future__ import annotations

import hashlib
import ipaddress
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select
from zxcvbn import zxcvbn

from ..core import audit
from ..core.errors import DomainError
from ..core.audit import record as audit_record
from .models import LoginFailure, User
from ..core.text import normalise_email, one_line
from ..core.timeutil import utcnow
from ..core.vocab import Role

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD = 12
# Verified against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def account_fields(email: str, name: str) -> tuple[str, str]:
    """An account's e-mail address (normalised) and name (trimmed), or the rule they break."""
    try:
        email = normalise_email(email)
    except Exception:
        raise DomainError("field.email_invalid", field="email") from None
    if not email:
        raise DomainError("field.required", field="email")
    return email, one_line(name, "name", 100, required=True)


# Characters that show nothing and that NFKC keeps: fillers and ignorables outside the C categories.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0") | frozenset(
    map(chr, [*range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
# zxcvbn knows English words and the most used passwords of public leaks; these are the Dutch (and
# this app's) words people put in a password, so "Wachtwoord2025!" counts as the guess it is.
_DUTCH_WORDS = (
    "wachtwoord", "welkom", "welkom01", "geheim", "hallo", "inloggen", "password", "eventtool", "speedmeet",
    "banenmarkt", "werkgever", "werkzoekende", "organisator", "coordinator", "begeleider", "jobcoach",
    "meetandgreet", "onbeperkt", "werkgeversservicepunt", "gemeente", "zomer", "winter", "lente", "herfst",
    "voorjaar", "najaar", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
    "zaterdag", "zondag", "nederland", "holland", "oranje", "amsterdam", "rotterdam", "utrecht", "denhaag",
    "eindhoven", "groningen", "ajax", "feyenoord", "psv", "liefde", "schatje", "voetbal", "fiets", "kaas",
)
# The top score: at least 10^10 guesses for an attacker who tries the likeliest passwords first.
# Score 3 (10^8) still lets "Welkom2024!!" through; these accounts open health data of many people,
# and a sentence of four unrelated words reaches 4 easily. Online, the backoff below keeps 10^10 far
# out of reach; offline (a stolen database), argon2id makes each guess expensive.
MIN_SCORE = 4
# zxcvbn keeps the words of the current call in a module-level dictionary: one call at a time.
_zxcvbn_lock = threading.Lock()


def _visible(password: str) -> str:
    """The password as a person sees it: NFKC, without format, control and filler characters, trimmed.
    Only for the checks; what is hashed is what was typed, so existing passwords keep working."""
    text = unicodedata.normalize("NFKC", password or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and ch not in _INVISIBLE).strip()


def check_password(password: str, *personal: str) -> None:
    """Refuse a password that is blank, too short or easy to guess (also from the account's own
    e-mail address and name, given as `personal`)."""
    visible = _visible(password)
    if not visible:
        raise DomainError("auth.password_blank", field="password", min=MIN_PASSWORD)
    if len(visible) < MIN_PASSWORD:
        raise DomainError("auth.password_too_short", field="password", min=MIN_PASSWORD)
    hints = [part for text in personal if text for part in (text, *text.replace("@", " ").replace(".", " ").split())]
    with _zxcvbn_lock:
        # A longer password is judged on its start: zxcvbn refuses more (and slows down with length).
        score = zxcvbn(visible[:72], user_inputs=[*hints, *_DUTCH_WORDS])["score"]
    if score < MIN_SCORE:
        raise DomainError("auth.password_weak", field="password", min=MIN_PASSWORD)


@audit.action("auth.create_user")
def create_user(session: Session, email: str, name: str, role: Role | str, password: str) -> User:
    role = Role(role)
    if role == Role.EMPLOYER:  # an employer's contact person belongs to an organisation: employer_accounts.invite
        raise DomainError("auth.employer_by_invitation", field="role")
    email, name = account_fields(email, name)
    check_password(password, email, name)
    if session.exec(select(User).where(User.email == email)).first():
        raise DomainError("auth.user_exists", field="email")
    user = User(email=email, name=name, role=role.value, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    check_password(password, user.email, user.name)
    user.password_hash = _hasher.hash(password)
    session.flush()


def authenticate(session: Session, email: str, password: str) -> User:
    email = (email or "").strip().lower()
    user = session.exec(select(User).where(User.email == email)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        raise DomainError("auth.invalid") from None
    if user is None or not user.active:
        raise DomainError("auth.invalid")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


# Backoff: after FREE_TRIES failures in WINDOW from one address, each further try from it waits
# twice as long as the one before (30 s, 1 min, 2 min, ... at most 15 minutes).
#
# An account gets the same backoff, but only towards addresses that failed on it themselves: anyone
# who knows the organiser's e-mail address can fail five times, and that must not keep the organiser,
# typing the right password somewhere else, out. Where the address is unknown (localhost, or a proxy
# without the configured header) we cannot tell the owner from the guesser, so the account's backoff
# holds for every try.
#
# That leaves a guess spread over many addresses (a botnet, or the many addresses of one IPv6
# connection, which is why an IPv6 address counts as its /64): each clean address gets one try. So
# the account also has a budget for everyone: after ACCOUNT_BUDGET failures in WINDOW, each try on it,
# from any address, waits SLOW_SPACING after its latest failure. That slows and does not lock: the
# owner waits at most SLOW_SPACING, unless the guesser takes every turn, each time from a fresh
# address. Guesses stay under about ACCOUNT_BUDGET + WINDOW/SLOW_SPACING per window (~200 an hour),
# and a password of MIN_SCORE needs 10^10: longer than anyone keeps trying.
FREE_TRIES = 5
WINDOW = timedelta(minutes=15)
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
ACCOUNT_BUDGET = 4 * FREE_TRIES
SLOW_SPACING = FIRST_WAIT


@dataclass
class LoginRefused:
    """Why a login did not happen (returned, not raised, so the failure is committed with it)."""
    code: str
    params: dict


def _address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"address:{address}"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False) if ip.version == 6 else ip}"


def _pair_key(email: str, address: str) -> str:
    # Hashed: an e-mail address and an address together can be longer than the column.
    return "pair:" + hashlib.sha256(f"{email}\n{_address_key(address)}".encode()).hexdigest()


def _keys(email: str, address: str | None) -> list[str]:
    return [f"account:{email}"] + ([_address_key(address), _pair_key(email, address)] if address else [])


def _failures(session: Session, key: str, now: datetime) -> list[datetime]:
    """The times of this key's failures in the window, newest first (timezone-aware)."""
    times = session.exec(select(LoginFailure.at).where(LoginFailure.key == key, LoginFailure.at > now - WINDOW)
                         .order_by(LoginFailure.at.desc()).limit(50))
    return [at if at.tzinfo else at.replace(tzinfo=now.tzinfo) for at in times]


def _backoff(times: list[datetime], now: datetime) -> timedelta:
    extra = len(times) - FREE_TRIES
    return timedelta(0) if extra < 0 else times[0] + min(FIRST_WAIT * (2 ** extra), MAX_WAIT) - now


def wait_left(session: Session, email: str, address: str | None, now: datetime) -> timedelta:
    """How long a try on this account from this address must still wait."""
    account = _failures(session, f"account:{email}", now)
    waits = [timedelta(0)]
    if len(account) >= ACCOUNT_BUDGET:
        waits.append(account[0] + SLOW_SPACING - now)
    if address is None or _failures(session, _pair_key(email, address), now):
        waits.append(_backoff(account, now))
    if address is not None:
        waits.append(_backoff(_failures(session, _address_key(address), now), now))
    return max(waits)


@audit.action("auth.attempt_login")
def attempt_login(session: Session, email: str, password: str, address: str | None = None,
                  now: datetime | None = None) -> User | LoginRefused:
    """A staff login with backoff per address and per account (see above). Every failure and every refusal is
    recorded (and kept: this is returned, not raised, so the transaction commits)."""
    now = now or utcnow()
    email = (email or "").strip().lower()
    subject = f"address {address}" if address else ""
    left = wait_left(session, email, address, now)
    if left > timedelta(0):
        audit_record(session, email or "-", "auth.login_throttled", subject)
        return LoginRefused("auth.throttled", {"seconds": max(1, int(left.total_seconds() + 0.999))})
    try:
        return authenticate(session, email, password)
    except DomainError as exc:
        for key in _keys(email, address):
            session.add(LoginFailure(key=key, at=now))
        for old in session.exec(select(LoginFailure).where(LoginFailure.at < now - WINDOW).limit(500)):
            session.delete(old)
        audit_record(session, email or "-", "auth.login_failed", subject)
        session.flush()
        return LoginRefused(exc.code, exc.params)


def is_active(session: Session, user_id: int) -> bool:
    user = session.get(User, user_id)
    return user is not None and user.active


def has_users(session: Session) -> bool:
    return session.exec(select(User.id)).first() is not None


def bootstrap(session: Session, email: str | None, password: str | None) -> User | None:
    """Create the first organiser from configuration (a deployment secret) when there is none."""
    if not email or not password or has_users(session):
        return None
    return create_user(session, email, "Organisator", Role.ORGANISER, password)


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.role, User.email)))


@audit.action("auth.set_active")
def set_active(session: Session, user_id: int, active: bool, acting_user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise DomainError("auth.user_not_found")
    if user_id == acting_user_id and not active:
        raise DomainError("auth.cannot_deactivate_self")
    if not active and user.role == Role.ORGANISER:
        others = session.exec(select(User).where(User.role == Role.ORGANISER, User.active, User.id != user_id)).first()
        if others is None:
            raise DomainError("auth.last_organiser")
    user.active = active
    session.flush()
    return user
