"""An employer's "Wie komt er" with 400 shared cards and 60 employers, through the running app; and
planning that speedmeet with both sides' wishes (issue 28).

    python bench/portal.py [--cards 400] [--employers 60] [--runs 15] [--time-limit 10]

Builds a speedmeet on a new SQLite file: --cards jobseekers with an approved, shared profile card
and picks, --employers employers with a confirmed place, each of which marked "graag spreken" for 20
people and "liever niet" for 5. Starts the app as ./run.sh does (bench/app_process.py, the shipped
config), signs one employer in by the link a sender would mail (bench/visitor.py speaks Streamlit's
websocket protocol, no browser), opens "Wie komt er" and then changes what it shows --runs times
(the "Laat zien" choice and the page, as a person does), timing each rerun of the page on the
server as the client sees it. Then runs the planner on the same speedmeet (wishes from both sides)
with --time-limit and prints its wall time and total.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import eventtool.models  # noqa: E402,F401 - every table, before the Database is used
from bench import app_process  # noqa: E402
from bench.crowd import free_port, percentile  # noqa: E402
from bench.visitor import Visitor  # noqa: E402
from eventtool import fixtures  # noqa: E402
from eventtool.core.config import TZ  # noqa: E402
from eventtool.core.db import Database  # noqa: E402
from eventtool.core.timeutil import utcnow  # noqa: E402
from eventtool.core.vocab import REGIONS, SECTORS  # noqa: E402
from eventtool.events import events  # noqa: E402
from eventtool.events.models import EmployerWish  # noqa: E402
from eventtool.people import employer_accounts  # noqa: E402
from eventtool.people.models import Employer, Jobseeker, LoginLink  # noqa: E402
from eventtool.planning import speedmeet  # noqa: E402
from eventtool.registration.models import ProfileCard, Registration  # noqa: E402
from eventtool.registration.registration import hash_code, organisation_key  # noqa: E402
from sqlmodel import func, select  # noqa: E402

SEEKING = ("Werk in een magazijn", "Werk in de zorg", "Iets met computers", "Buiten werken", "Schoonmaak", "Keuken")


def build(session, cards: int, employers: int, seed: int = 7) -> tuple[int, int]:
    """The speedmeet (id) and the first employer's contact person's account (id)."""
    rng = random.Random(seed)
    start = (utcnow() + timedelta(days=10)).astimezone(TZ).replace(hour=13, minute=0, second=0, microsecond=0)
    event = events.create_event(session, dict(kind="speedmeet", title="Speedmeet Groot", starts_at=start,
                                              ends_at=start + timedelta(hours=4), capacity_jobseekers=cards,
                                              capacity_employers=employers, status="published"))
    orgs = [Employer(organisation=f"Werkgever {i}", organisation_key=organisation_key(f"Werkgever {i}"),
                     contact_name="HR", email=f"hr{i}@example.nl", sectors=rng.sample(SECTORS, 2),
                     recruiters=rng.choice([1, 2, 2, 3])) for i in range(employers)]
    people = [Jobseeker(name=f"{rng.choice(fixtures.FIRST)} {rng.choice(fixtures.LAST)}", email=f"p{i}@example.nl",
                        region=rng.choice(REGIONS), interests=rng.sample(SECTORS, 2)) for i in range(cards)]
    session.add_all(orgs + people)
    session.flush()
    regs = [Registration(event_id=event.id, employer_id=o.id, status="confirmed", tables=o.recruiters,
                         cancel_token_hash=hash_code(f"E{o.id}")) for o in orgs]
    regs += [Registration(event_id=event.id, jobseeker_id=p.id, status="confirmed",
                          picks=[o.id for o in rng.sample(orgs, 3)], cancel_token_hash=hash_code(f"J{p.id}"))
             for p in people]
    session.add_all(regs)
    session.flush()
    session.add_all([ProfileCard(registration_id=r.id, pitch="Ik ben betrouwbaar en leer snel.",
                                 seeking=rng.choice(SEEKING), skills="Samenwerken, op tijd komen",
                                 hours=f"{rng.choice([16, 20, 24, 32])} uur", shared=True, shared_at=utcnow(),
                                 share_version="bench", status="approved", reviewed_by="bench")
                     for r in regs if r.jobseeker_id])
    for o in orgs:
        chosen = rng.sample(people, 25)
        session.add_all([EmployerWish(event_id=event.id, employer_id=o.id, jobseeker_id=p.id,
                                      wish="want" if n < 20 else "avoid") for n, p in enumerate(chosen)])
    speedmeet.save_settings(session, event.id, dict(rounds=8, round_minutes=10, break_minutes=5,
                                                    first_round_at=start + timedelta(minutes=15), max_meetings=6,
                                                    coverage_bonus=10))
    user = employer_accounts.invite(session, orgs[0].id, "bench@werkgever0.example.nl", "Bench", "bench")
    session.flush()
    return event.id, user.id


async def visit(base: str, token: str, runs: int) -> tuple[float, list[float]]:
    async with Visitor(base) as v:
        await v.open("inloglink", query=f"t={token}")
        await v.press("Inloggen")
        first = await v.open("wie-komt-er")
        assert "Wie komt er" in first.text() and "Pagina 1 van" in first.text(), first.text()[:500]
        assert first.text().count("leer snel\\.") == 20  # a page of cards (as markdown, escaped)
        times = []
        choices = [1, 0, 2, 0]  # Laat zien: graag spreken, iedereen, nog niet gekozen, iedereen
        for n in range(runs):
            page = await (v.choose("Laat zien", choices[n % len(choices)]) if n % 3 else v.press("Volgende"))
            assert page.status == "FINISHED_SUCCESSFULLY", page.status
            times.append(page.seconds)
        return first.seconds, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=400)
    parser.add_argument("--employers", type=int, default=60)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()

    path = Path(tempfile.mkdtemp(prefix="eventtool-portal-")) / "bench.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    event_id, user_id = db.write(build, args.cards, args.employers)
    link_id = db.read(lambda s: s.exec(select(func.max(LoginLink.id)).where(LoginLink.user_id == user_id)).one())
    token = db.write(employer_accounts.mint_login_link, link_id)
    db.dispose()

    port = free_port()
    env = dict(os.environ, EVENTTOOL_DATABASE_URL=str(path), EVENTTOOL_SEED_DEMO="false",
               EVENTTOOL_BASE_URL=f"http://127.0.0.1:{port}")
    log = open(path.with_suffix(".log"), "w")
    proc = app_process.start(port, env, log)
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit(f"the app did not start; see {log.name}")
                time.sleep(0.3)
        first, times = asyncio.run(visit(f"http://127.0.0.1:{port}", token, args.runs))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print(f"'Wie komt er', {args.cards} shared cards, {args.employers} employers (the app as ./run.sh starts it):")
    print(f"  first open {first:.3f} s; reruns over {len(times)}: median {statistics.median(times):.3f} s, "
          f"p95 {percentile(times, 95):.3f} s, max {max(times):.3f} s")

    db = Database(f"sqlite:///{path}")
    t0 = time.perf_counter()
    summary = db.write(speedmeet.run_planner, event_id, time_limit=args.time_limit)
    took = time.perf_counter() - t0
    print(f"planning with both sides' wishes ({args.cards} x {args.employers} x 8 rounds, limit {args.time_limit:g} s): "
          f"{took:.1f} s wall, {summary.meetings} conversations, total {summary.total}, optimal {summary.optimal}")


if __name__ == "__main__":
    main()
