"""One settings object, read from the environment (prefix EVENTTOOL_)."""
from __future__ import annotations

import os
import re
import secrets
import time
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Europe/Amsterdam")
_WAVE = re.compile(r"^(\d{1,2})([wm])$")


def parse_waves(text: str) -> list[str]:
    """'1w,3m,6m,12m' -> the codes, earliest first. Weeks up to 52, months up to 24."""
    codes = {part.strip().lower() for part in (text or "").replace(";", ",").split(",") if part.strip()}
    for code in codes:
        match = _WAVE.match(code)
        if not match or int(match[1]) < 1 or int(match[1]) > (52 if match[2] == "w" else 24):
            raise ValueError("EVENTTOOL_SURVEY_WAVES: weeks (1w-52w) or months (1m-24m), e.g. 1w,3m,6m,12m")
    return sorted(codes, key=lambda c: wave_offset(c) + datetime(2000, 1, 1))


def wave_offset(code: str) -> relativedelta:
    """How long after an event a survey wave ('3m') is due."""
    number, unit = int(code[:-1]), code[-1]
    return relativedelta(weeks=number) if unit == "w" else relativedelta(months=number)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EVENTTOOL_")

    # A bare file path or a full SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...).
    database_url: str = str(ROOT / "data" / "eventtool.db")
    # Seed demo data when the database is new (the README's run command sets this).
    seed_demo: bool = False
    # Public base address, used in cancellation links and calendar files.
    base_url: str = "http://localhost:8501"
    default_language: str = "nl"
    # Minutes of inactivity after which a staff login ends.
    idle_timeout_minutes: int = 30
    # Personal data of people whose last event ended longer ago than this is purged (`purge`).
    retention_days: int = 730
    # Employers of an event see the profile cards shared with them until this many days after it
    # ended; then the purge removes the cards and the record of who looked at them.
    card_share_days: int = 14
    # Anti-bot time trap: a public form sent sooner than this after it was shown is refused.
    spam_min_seconds: float = 2.0
    # Behind a reverse proxy: the header that carries the visitor's address (e.g. X-Forwarded-For).
    # Only set it when the proxy always writes that header; otherwise a visitor could choose an address.
    trusted_proxy_header: str | None = None
    # The first organiser, created at start-up when there is no account yet (e.g. from a secret).
    admin_email: str | None = None
    admin_password: str | None = None
    # Outgoing mail: smtp://user:pw@host:587 (STARTTLS when offered), smtps://host:465 (TLS),
    # smtp://127.0.0.1:1025 (plain). Unset: messages wait in the outbox (staff read them on
    # the Berichten page).
    smtp_url: str | None = None
    mail_from: str = "eventtool <noreply@localhost>"
    # Reminders, in days before an event ("7,1": a week and a day before).
    reminder_days: str = "7,1"
    # Follow-up surveys after an event: weeks (w) or months (m) after it ended ("1w,3m,6m,12m").
    # Empty: no surveys are sent.
    survey_waves: str = "1w,3m,6m,12m"
    # How long a sender holds a message it took; a sender killed mid-send leaves it to another after this.
    mail_claim_seconds: int = 300
    # Seconds between the app's sender rounds.
    mail_interval_seconds: float = 15.0
    # The key the personal door codes (QR) are derived with (registration.door): any long random
    # text. Unset: a random key kept in `secret_key_file`, made on first use. Replicas on more than
    # one machine must share it. With a new key the app makes every code again at start-up (with a
    # warning in the log): what is shown from then on works, what was sent or printed before not.
    secret_key: str | None = None
    secret_key_file: str = str(ROOT / "data" / "secret.key")

    @property
    def reminder_day_list(self) -> list[int]:
        days = sorted({int(d) for d in self.reminder_days.replace(";", ",").split(",") if d.strip()}, reverse=True)
        if any(d < 0 or d > 60 for d in days):
            raise ValueError("EVENTTOOL_REMINDER_DAYS: whole days between 0 and 60, e.g. 7,1")
        return days

    @property
    def survey_wave_list(self) -> list[str]:
        return parse_waves(self.survey_waves)

    @property
    def sqlalchemy_url(self) -> str:
        url = self.database_url
        if "://" not in url:
            return f"sqlite:///{Path(url).expanduser().resolve()}"
        return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


_keys: dict[str, bytes] = {}


def secret_key(settings: Settings | None = None) -> bytes:
    """The server's secret key: EVENTTOOL_SECRET_KEY, or else the key file (32 random bytes, made on
    first use with O_EXCL, so two processes starting at once end up with the same one). Kept out of
    the database: a copy of the database alone cannot make a door code."""
    settings = settings or get_settings()
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    path = Path(settings.secret_key_file)
    if str(path) not in _keys:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(32) + "\n")
        key = ""
        for _ in range(50):  # another process may have made it a moment ago and be writing it
            key = path.read_text(encoding="ascii").strip()
            if len(key) == 64:
                break
            time.sleep(0.02)
        if len(key) < 32:
            raise RuntimeError(f"the secret key file {path} is empty or too short: remove it or set EVENTTOOL_SECRET_KEY")
        _keys[str(path)] = key.encode("ascii")
    return _keys[str(path)]
