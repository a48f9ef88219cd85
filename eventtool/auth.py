"""Staff accounts: argon2id password hashes, roles."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from .errors import DomainError
from .audit import record as audit_record
from .models import LoginFailure, User, normalise_email
from .timeutil import utcnow
from .vocab import Role

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
    name = (name or "").strip()
    if not name:
        raise DomainError("field.required", field="name")
    if len(name) > 100:
        raise DomainError("field.too_long", field="name", max=100)
    return email, name


def create_user(session: Session, email: str, name: str, role: Role | str, password: str) -> User:
    role = Role(role)
    email, name = account_fields(email, name)
    if len(password) < MIN_PASSWORD:
        raise DomainError("auth.password_too_short", field="password", min=MIN_PASSWORD)
    if session.exec(select(User).where(User.email == email)).first():
        raise DomainError("auth.user_exists", field="email")
    user = User(email=email, name=name, role=role.value, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise DomainError("auth.password_too_short", field="password", min=MIN_PASSWORD)
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


# Backoff: after FREE_TRIES failures in WINDOW for one account or one address, each further try
# waits twice as long as the one before (30 s, 1 min, 2 min, ... at most 15 minutes).
FREE_TRIES = 5
WINDOW = timedelta(minutes=15)
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)


@dataclass
class LoginRefused:
    """Why a login did not happen (returned, not raised, so the failure is committed with it)."""
    code: str
    params: dict


def _keys(email: str, address: str | None) -> list[str]:
    return [f"account:{email}"] + ([f"address:{address}"] if address else [])


def wait_left(session: Session, email: str, address: str | None, now: datetime) -> timedelta:
    """How long this account or address must still wait before the next try."""
    longest = timedelta(0)
    for key in _keys(email, address):
        times = list(session.exec(select(LoginFailure.at).where(LoginFailure.key == key, LoginFailure.at > now - WINDOW)
                                  .order_by(LoginFailure.at.desc()).limit(50)))
        extra = len(times) - FREE_TRIES
        if extra >= 0:
            wait = min(FIRST_WAIT * (2 ** extra), MAX_WAIT)
            latest = times[0] if times[0].tzinfo else times[0].replace(tzinfo=now.tzinfo)
            longest = max(longest, latest + wait - now)
    return longest


def attempt_login(session: Session, email: str, password: str, address: str | None = None,
                  now: datetime | None = None) -> User | LoginRefused:
    """A staff login with backoff per account and per address. Every failure and every refusal is
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
