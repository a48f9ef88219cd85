"""Bulk demo-like data for benchmarks: N jobseekers, employers and registrations, inserted in bulk
(the benchmarks measure reading and pages, not the sign-up path)."""
from __future__ import annotations

import random
import secrets
import time
from datetime import timedelta

from sqlmodel import Session

from eventtool.people import accounts as auth
from eventtool.events import events
from eventtool import fixtures
from eventtool.people.models import Employer, Jobseeker
from eventtool.registration.models import Registration
from eventtool.registration.registration import hash_code, organisation_key
from eventtool.core.timeutil import utcnow
from eventtool.core.vocab import REGIONS, SECTORS, SupportNeed


def bulk(session: Session, jobseekers: int = 10_000, employers: int = 300, per_event: int = 2_500,
         n_events: int = 8, seed: int = 42) -> list[int]:
    rng = random.Random(seed)
    now = utcnow()
    people = [Jobseeker(name=f"{rng.choice(fixtures.FIRST)} {rng.choice(fixtures.LAST)}", email=f"p{i}@example.nl",
                        region=rng.choice(REGIONS), interests=rng.sample(SECTORS, 2),
                        support_needs=[n.value for n in rng.sample(list(SupportNeed), rng.choice([0, 0, 1, 2]))])
              for i in range(jobseekers)]
    session.add_all(people)
    orgs = [Employer(organisation=f"Werkgever {i}", organisation_key=organisation_key(f"Werkgever {i}"),
                     contact_name="HR", email=f"hr{i}@example.nl", sectors=rng.sample(SECTORS, 2),
                     recruiters=rng.choice([1, 2, 3])) for i in range(employers)]
    session.add_all(orgs)
    session.flush()
    event_ids = []
    for e in range(n_events):
        start = now + timedelta(days=7 + 10 * e)
        ev = events.create_event(session, dict(kind="job_fair", title=f"Banenmarkt {e}", starts_at=start,
                                               ends_at=start + timedelta(hours=6), capacity_jobseekers=per_event,
                                               capacity_employers=employers, status="published"))
        event_ids.append(ev.id)
        regs = [Registration(event_id=ev.id, jobseeker_id=p.id, status="confirmed", cancel_token_hash=hash_code(f"J{e}X{p.id}"))
                for p in rng.sample(people, per_event)]
        regs += [Registration(event_id=ev.id, employer_id=o.id, status="confirmed", tables=o.recruiters,
                              cancel_token_hash=hash_code(f"E{e}X{o.id}")) for o in rng.sample(orgs, min(60, employers))]
        session.add_all(regs)
        session.flush()
    return event_ids


def logged_in_as(db, at, role: str) -> None:
    """Put a real, active staff account (with a throw-away password) in an AppTest session: the app
    checks at every run that the account in the session still exists and is active."""
    user = db.write(auth.create_user, f"bench-{role}-{time.monotonic_ns()}@example.nl", "Bench", role,
                    secrets.token_urlsafe(16))
    at.session_state["user"] = {"id": user.id, "name": user.name, "email": user.email, "role": user.role}
    at.session_state["last_seen"] = time.time()
