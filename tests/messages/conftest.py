"""A real SMTP server for the messages tests: aiosmtpd on a free loopback port, keeping every
message it accepted; it can be told to refuse (for a while, or for an address)."""
from __future__ import annotations

import email
import socket
import threading
import time
from contextlib import contextmanager
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse_next = 0  # answer '451' to this many messages
        self.closing = False  # answer '421' (the server is closing the connection)
        self.unknown: set[str] = set()  # addresses answered with '550'
        self.delay = 0.0  # seconds per message (a slow server, to kill a sender mid-batch)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            if self.closing:
                return "421 4.3.2 Service shutting down"
            if self.refuse_next:
                self.refuse_next -= 1
                return "451 4.3.0 Try again later"
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def by_to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]

    def wait_for(self, to: str, subject_start: str, timeout: float = 60):
        """The last mail to `to` whose subject starts so, as soon as it has come (a sender runs beside
        the app): polls, never a fixed wait; fails after `timeout`."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [m for m in self.by_to(to) if m["Subject"].startswith(subject_start)]
            if found:
                return found[-1]
            time.sleep(0.3)
        raise AssertionError(f"no mail '{subject_start}' to {to}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def listening():
    """A real SMTP server (aiosmtpd) on a free loopback port, its Inbox's url set, for as long as the
    block runs: the messages tests' `smtp` fixture and the browser tests' module inboxes."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp(monkeypatch):
    with listening() as inbox:
        monkeypatch.setenv("EVENTTOOL_SMTP_URL", inbox.url)
        monkeypatch.setenv("EVENTTOOL_MAIL_FROM", "Werkgeversservicepunt Oss <noreply@wsp-oss.example>")
        monkeypatch.setenv("EVENTTOOL_BASE_URL", "https://events.example")
        from eventtool.core.config import get_settings
        get_settings.cache_clear()
        yield inbox
        get_settings.cache_clear()
