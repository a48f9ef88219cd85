"""The outbox under failure: senders that run side by side never take the same message, and a
sender killed with SIGKILL in the middle of a batch loses nothing."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

from sqlmodel import select

from eventtool.registration import registration
from eventtool.messages import outbox
from eventtool.messages.models import Message

from ..conftest import ROOT_DIR, person


def test_senders_side_by_side_never_claim_the_same_message(db, create_event):
    ev = create_event(capacity_jobseekers=60)
    for n in range(40):
        db.write(registration.register_jobseeker, ev.id, person(n, email=f"p{n}@example.nl"))
    claimed: list[int] = []
    lock = threading.Lock()

    def worker():
        while True:
            got = db.write(outbox.claim, 3)
            if not got:
                return
            with lock:
                claimed.extend(m.id for m in got)
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 40


def test_a_sender_killed_mid_batch_loses_nothing(sqlite_db, create_event, smtp, tmp_path):
    ev = create_event(sqlite_db, capacity_jobseekers=60)
    for n in range(30):
        sqlite_db.write(registration.register_jobseeker, ev.id, person(n, email=f"k{n}@example.nl"))
    queued = set(sqlite_db.read(lambda s: s.exec(select(Message.message_id)).all()))
    smtp.delay = 0.05
    env = dict(os.environ, EVENTTOOL_DATABASE_URL=sqlite_db.url, EVENTTOOL_MAIL_CLAIM_SECONDS="1",
               EVENTTOOL_SMTP_URL=smtp.url)
    command = [sys.executable, "-m", "eventtool", "send-messages", "--once", "--batch", "5"]
    first = subprocess.Popen(command, cwd=ROOT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while len(smtp.messages) < 8 and time.time() < deadline:
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    delivered_before = len(smtp.messages)
    assert 8 <= delivered_before < 30  # killed in the middle
    time.sleep(1.2)  # the killed sender's claims run out
    subprocess.run(command, cwd=ROOT_DIR, env=env, check=True, capture_output=True, timeout=120)
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert set(received) == queued  # nothing lost
    # At most the one message in flight at the kill went out twice - as the same message (same
    # Message-ID), which mail stores show once.
    assert sum(received.values()) - len(received) <= 1
    statuses = sqlite_db.read(lambda s: s.exec(select(Message.status)).all())
    assert set(statuses) == {"sent"}
