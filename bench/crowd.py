"""Many visitors opening the public sign-up form at the same moment, through the running app.

Starts `streamlit run serve.py` (as ./run.sh does) on a new demo database (or uses --url), then for each
crowd size lets that many visitors arrive at once. Each visitor is its own websocket session from its own loopback
address (bench/visitor.py speaks Streamlit's protocol; no browser), loads the form, fills it in and
signs up once, taking --fill-seconds (2 s, as people do) between the page and the button. The app runs with
its shipped settings, the form's time trap included: a sign-up it refuses is counted in its own column
and left out of the submit times, never reported as a fast sign-up. Prints page load and submit times
(p50/p95) and sign-ups per second, and checks that every sign-up is in the database.

    python bench/crowd.py [--visitors 1,8,20,40] [--fill-seconds 2] [--url http://127.0.0.1:8501] [--processes 1]
                          [--postgres]

--processes N starts N app processes on one database, visitors spread over them as a sticky load
balancer would (one visitor, one process). --postgres puts that database on a PostgreSQL server of its
own (started as the tests start theirs, but with fsync on), the replica set-up the README describes.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import app_process  # noqa: E402
from tests import pg  # noqa: E402
from bench.visitor import Visitor  # noqa: E402

EVENT = "Onbeperkt aan het Werk"
FILL_SECONDS = 2.0  # --fill-seconds
# What the form says when its time trap or refusal count stops a sign-up (spam.too_fast/refused/too_many).
REFUSED = ("Dat ging heel snel", "kon niet worden verstuurd", "vaak niet goed verstuurd")  # the demo's coming job fair: 400 places, so nobody waits
_addresses = (f"127.0.{a}.{b}" for a, b in itertools.product(range(1, 250), range(2, 250)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, port: int, env: dict) -> subprocess.Popen:
    log = open(Path(tempfile.gettempdir()) / f"crowd-{port}.log", "w")
    proc = app_process.start(port, env, log)  # as ./run.sh starts it, with its config
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the app did not start; see {log.name}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def one_visitor(base: str, n: int, run: int, start: asyncio.Event, event_id: int | None
                      ) -> tuple[float, float, float, str]:
    await start.wait()
    return await visit(base, f"{run}-{n}", event_id)


async def visit(base: str, name: str, event_id: int | None) -> tuple[float, float, float, str]:
    """One visitor: open the form, fill it in (FILL_SECONDS), sign up. (load s, submit s, finished at,
    outcome: "signed up", "refused" by the form's spam checks, or "failed")"""
    arrived = time.perf_counter()
    async with Visitor(base, source=next(_addresses)) as v:
        # As from the announcement's link (?event=...) when the event is known.
        await v.open("aanmelden", query=f"event={event_id}" if event_id else "")
        loaded = time.perf_counter() - arrived
        if not event_id:
            event = v.page.widgets["Activiteit"]
            await v.choose("Activiteit", next(o for o in event.options if o.endswith("· " + EVENT)))
        await v.set("Naam", f"Bezoeker {name} van der Menigte")
        await v.set("E-mailadres", f"bezoeker-{name}@example.nl")
        await v.set("Ik geef toestemming dat de organisatie mijn gegevens", True)
        await asyncio.sleep(max(0.0, FILL_SECONDS - (time.perf_counter() - arrived - loaded)))
        page = await v.press("Aanmelden")
        text = page.text()
        # (after the 400 places: the waiting list, which is a sign-up too)
        outcome = ("signed up" if "U bent aangemeld" in text or "U staat op de wachtlijst" in text
                   else "refused" if any(r in text for r in REFUSED) else "failed")
        return loaded, page.seconds, time.perf_counter(), outcome


async def crowd(bases: list[str], visitors: int, run: int, event_id: int | None) -> dict:
    start = asyncio.Event()
    tasks = [asyncio.create_task(one_visitor(bases[i % len(bases)], i, run, start, event_id))
             for i in range(visitors)]
    await asyncio.sleep(0.2)  # every visitor waiting at the door
    t0 = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks)
    return summary(results, visitors, t0)


def summary(results: list, n: int, t0: float) -> dict:
    """Submit times of sign-ups only; refusals and failures counted apart. Sign-ups per second over the
    span from the first possible press (load + fill time) to the last answer."""
    done = sum(r[3] == "signed up" for r in results)
    first_submit = min(t0 + r[0] + FILL_SECONDS for r in results)
    span = max(r[2] for r in results) - first_submit
    return {"n": n, "load": [r[0] for r in results], "submit": [r[1] for r in results if r[3] == "signed up"] or [0.0],
            "ok": done, "refused": sum(r[3] == "refused" for r in results),
            "failed": sum(r[3] == "failed" for r in results), "per_s": done / span if span > 0 else 0,
            "wall": max(r[2] for r in results) - t0}


async def sustain(bases: list[str], concurrency: int, seconds: float, event_id: int | None) -> dict:
    """`concurrency` visitors, each signing up again as soon as the last one is done, for `seconds`."""
    stop = time.perf_counter() + seconds
    results = []

    async def worker(w: int) -> None:
        i = 0
        while time.perf_counter() < stop:
            results.append(await visit(bases[w % len(bases)], f"s{w}-{i}", event_id))
            i += 1
    t0 = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    ok = sum(r[3] == "signed up" for r in results)
    return {"n": len(results), "ok": ok, "per_s": ok / (time.perf_counter() - t0),
            "refused": sum(r[3] == "refused" for r in results), "failed": sum(r[3] == "failed" for r in results),
            "load": [r[0] for r in results], "submit": [r[1] for r in results if r[3] == "signed up"] or [0.0]}


def query(url: str, sql: str, **params):
    """One value from the app's database (SQLite file or PostgreSQL URL)."""
    engine = sqlalchemy.create_engine(url if "://" in url else f"sqlite:///{url}")
    try:
        with engine.connect() as con:
            return con.execute(sqlalchemy.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def rss_mb(pids: list[int]) -> str:
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) // 1024)
    return " + ".join(f"{s} MB" for s in sizes)


def main() -> None:
    global FILL_SECONDS
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", default="1,8,20,40")
    parser.add_argument("--url", help="an app that is already running (its database is not checked)")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--postgres", action="store_true", help="the database on PostgreSQL (fsync on) instead of SQLite")
    parser.add_argument("--sustain", type=float, default=30, help="seconds of steady sign-ups after the crowds (0: none)")
    parser.add_argument("--concurrency", type=int, default=20, help="visitors at a time while sustaining")
    parser.add_argument("--fill-seconds", type=float, default=FILL_SECONDS,
                        help="seconds a visitor takes between the page and the button (the form's time trap is on)")
    args = parser.parse_args()
    FILL_SECONDS = args.fill_seconds
    sizes = [int(n) for n in args.visitors.split(",")]

    with ExitStack() as stack:
        db = event_id = None
        pids = []
        if args.url:
            bases = [args.url]
        else:
            if args.postgres:
                server = pg.start(durable=True)
                if server is None:
                    raise SystemExit("no PostgreSQL here (initdb not found)")
                stack.callback(server.stop)
                db = server.new_database()
            else:
                db = str(Path(tempfile.mkdtemp(prefix="eventtool-crowd-")) / "crowd.db")
            # As ./run.sh runs it (the time trap on); no mail server, so nothing is sent.
            env = dict(os.environ, EVENTTOOL_DATABASE_URL=str(db), EVENTTOOL_SEED_DEMO="true", EVENTTOOL_SMTP_URL="")
            env.pop("EVENTTOOL_SPAM_MIN_SECONDS", None)
            subprocess.run([sys.executable, "-m", "eventtool", "seed-demo"], cwd=ROOT, env=env, check=True,
                           capture_output=True)
            event_id = query(db, "select id from event where title = :t and starts_at > :now",
                             t=EVENT, now=datetime.now(timezone.utc).replace(tzinfo=None))
            bases = []
            for _ in range(args.processes):
                port = free_port()
                proc = start_app(db, port, env)
                pids.append(proc.pid)
                stack.callback(proc.wait, 20)
                stack.callback(proc.terminate)
                bases.append(f"http://127.0.0.1:{port}")
        print(f"{os.cpu_count()} cores; {len(bases)} app process(es)")
        asyncio.run(crowd(bases, len(bases), 0, event_id))  # warm: the first visitor of a process pays for its imports
        if pids:
            print(f"memory of the app process(es) after one visitor each: {rss_mb(pids)}")
        print(f"{FILL_SECONDS:g} s to fill in the form; submit times are of sign-ups only")
        print(f"| visitors at once | page load p50 / p95 | submit p50 / p95 | sign-ups/s | signed up | refused | failed |")
        print(f"|---|---|---|---|---|---|---|")
        total = 0
        for run, n in enumerate(sizes, start=1):
            r = asyncio.run(crowd(bases, n, run, event_id))
            total += r["ok"]
            print(f"| {n} | {statistics.median(r['load']):.2f} / {percentile(r['load'], 95):.2f} s "
                  f"| {statistics.median(r['submit']):.2f} / {percentile(r['submit'], 95):.2f} s "
                  f"| {r['per_s']:.1f} | {r['ok']}/{n} | {r['refused']} | {r['failed']} |", flush=True)
        if args.sustain:
            r = asyncio.run(sustain(bases, args.concurrency, args.sustain, event_id))
            total += r["ok"]
            print(f"sustained {args.sustain:.0f} s with {args.concurrency} visitors at a time: {r['ok']}/{r['n']} "
                  f"signed up ({r['refused']} refused, {r['failed']} failed), {r['per_s']:.1f} sign-ups/s, page load p95 {percentile(r['load'], 95):.2f} s, "
                  f"submit p95 {percentile(r['submit'], 95):.2f} s")
        if pids:
            print(f"memory of the app process(es) afterwards: {rss_mb(pids)} (sessions stay until their "
                  f"websocket closes and Streamlit's cache of them expires)")
        if db is not None:
            stored = query(db, "select count(*) from jobseeker where email like 'bezoeker-%'")
            print(f"in the database: {stored} sign-ups; the visitors were told of {total} (+{len(bases)} warm-up)")


if __name__ == "__main__":
    main()
