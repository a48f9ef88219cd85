"""10,000 reminders: seconds to queue them (content, calendar file, outbox rows) and messages per
second delivered to a local SMTP server (aiosmtpd on loopback, accepting everything).

    python bench/messages.py [--people 10000] [--batch 200]
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402

from bench._data import bulk  # noqa: E402
from eventtool.core.config import get_settings  # noqa: E402
from eventtool.core.db import Database  # noqa: E402
from eventtool.registration import notify
from eventtool.messages import outbox
from eventtool import sender  # noqa: E402
from eventtool.events.models import Event  # noqa: E402


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ["EVENTTOOL_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    get_settings.cache_clear()
    db = Database(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    db.migrate()
    (event_id,) = db.write(bulk, jobseekers=args.people, per_event=args.people, n_events=1, employers=60)
    starts = db.read(lambda s: s.get(Event, event_id).starts_at)
    moment = starts - timedelta(days=1) + timedelta(minutes=1)
    t = time.perf_counter()
    queued = db.write(notify.queue_due_reminders, [7, 1], moment)
    queue_s = time.perf_counter() - t
    print(f"queued {queued:,} reminders in {queue_s:.2f} s ({queued / queue_s:,.0f}/s)")
    settings = get_settings()
    config = sender.parse_url(settings.smtp_url)
    t = time.perf_counter()
    sent = 0
    while True:
        batch = sender.send_batch(db, config, settings.mail_from, settings.base_url, args.batch, moment)
        sent += batch.sent
        if batch.handled == 0:
            break
    send_s = time.perf_counter() - t
    print(f"delivered {sent:,} (server received {sink.count:,}) in {send_s:.2f} s: {sent / send_s:,.0f} messages/s")
    print(f"outbox now: {db.read(outbox.counts)}")
    controller.stop()


if __name__ == "__main__":
    main()
