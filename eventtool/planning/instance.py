"""The planning instance and schedule, read from and written to the exchange format.

Besides the fields of the shared format, an instance may carry these optional extensions (the app
fills them from support needs; the format's readers ignore what they do not know):
  jobseekers[].needs_break: true   -> never two meetings in consecutive rounds
  jobseekers[].jobcoach: true      -> meets only at a table where two can sit
  employers[].wide_tables: n       -> how many of the employer's tables seat two (default: all)
  locked: [{"jobseeker_id", "employer_id", "round"}] -> meetings fixed by the organiser
Two-sided preferences (as B2B matchmaking tools have them):
  employers[].wants: {"J3": 5}     -> the employer would like to meet J3 ("graag spreken"); the
                                      pair's weight is the jobseeker's preference plus this
  employers[].avoids: ["J7"]       -> the employer would rather not meet J7 ("liever niet")
  jobseekers[].avoids: ["E2"]      -> the jobseeker would rather not meet E2
  covered: ["J4"]                  -> already met someone (rounds held before a re-plan): no
                                      coverage bonus for them again
Fairness ("everyone at least k meetings where possible"):
  cover_meetings: k                -> the coverage bonus is earned on each of a jobseeker's first
                                      k meetings (default 1: only the first)
  held: {"J4": 2}                  -> meetings J4 already had (held rounds); they count towards k
"Rather not" from either side means no meeting, whatever the other side wants. An instance
without these fields reads and plans exactly as before. `combine` turns the stated weights into
the pair weights the planner uses; `preferences` holds those, `stated` what the jobseeker said.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from .model import Employer, Instance, InstanceError, Jobseeker, Meeting, combine, rather_not  # noqa: F401 - planning.instance.<name> for callers
from .rules import violations


def _int(value: Any, what: str, minimum: int) -> int:
    # bool is an int in Python; in JSON it is not a number.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{what} must be an integer, got {json.dumps(value)[:40]}")
    if value < minimum:
        raise InstanceError(f"{what} must be >= {minimum}, got {value}")
    return value


def _id(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InstanceError(f"{what} must be a string, got {json.dumps(value)[:40]}")
    return value


def _ids(value: Any, what: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise InstanceError(f"{what} must be a list of ids")
    return frozenset(_id(v, what) for v in value)


def _rounds(value: Any, what: str, rounds: int) -> frozenset[int]:
    if value is None:
        return frozenset(range(rounds))
    if not isinstance(value, list):
        raise InstanceError(f"{what} must be a list of round numbers")
    out = set()
    for r in value:
        r = _int(r, what, 0)
        if r >= rounds:
            raise InstanceError(f"{what} has round {r}, but rounds are numbered 0..{rounds - 1}")
        out.add(r)
    return frozenset(out)


def _object(value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(f"{what} must be an object")
    return value


def parse_instance(data: Any) -> Instance:
    """Validate a decoded JSON instance; raises InstanceError naming the first problem."""
    data = _object(data, "instance")
    rounds = _int(data.get("rounds"), "rounds", 1) if "rounds" in data else _int(None, "rounds", 1)
    bonus = _int(data.get("coverage_bonus", 0), "coverage_bonus", 0)
    if not isinstance(data.get("employers"), list):
        raise InstanceError("employers must be a list")
    if not isinstance(data.get("jobseekers"), list):
        raise InstanceError("jobseekers must be a list")
    employers = []
    for i, raw in enumerate(data["employers"]):
        raw = _object(raw, f"employers[{i}]")
        eid = _id(raw.get("id"), f"employers[{i}].id")
        wide = raw.get("wide_tables")
        wants = {_id(jid, f"employer {eid!r} wants"): _int(w, f"employer {eid!r} wish for {jid!r}", 1)
                 for jid, w in _object(raw.get("wants", {}), f"employer {eid!r} wants").items()}
        employers.append(Employer(
            id=eid, tables=_int(raw.get("tables", 1), f"employer {eid!r} tables", 1),
            available_rounds=_rounds(raw.get("available_rounds"), f"employer {eid!r} available_rounds", rounds),
            wide_tables=None if wide is None else _int(wide, f"employer {eid!r} wide_tables", 0),
            wants=wants, avoids=_ids(raw.get("avoids"), f"employer {eid!r} avoids")))
    ids = [e.id for e in employers]
    if len(set(ids)) != len(ids):
        raise InstanceError(f"duplicate employer id {next(i for i in ids if ids.count(i) > 1)!r}")
    known = set(ids)
    jobseekers = []
    for i, raw in enumerate(data["jobseekers"]):
        raw = _object(raw, f"jobseekers[{i}]")
        jid = _id(raw.get("id"), f"jobseekers[{i}].id")
        prefs = {}
        for eid, w in _object(raw.get("preferences", {}), f"jobseeker {jid!r} preferences").items():
            if eid not in known:
                raise InstanceError(f"jobseeker {jid!r} prefers unknown employer {eid!r}")
            prefs[eid] = _int(w, f"jobseeker {jid!r} preference for {eid!r}", 1)
        for flag in ("needs_break", "jobcoach"):
            if not isinstance(raw.get(flag, False), bool):
                raise InstanceError(f"jobseeker {jid!r} {flag} must be true or false")
        jobseekers.append(Jobseeker(
            id=jid, max_meetings=_int(raw.get("max_meetings", rounds), f"jobseeker {jid!r} max_meetings", 0),
            available_rounds=_rounds(raw.get("available_rounds"), f"jobseeker {jid!r} available_rounds", rounds),
            preferences=prefs, needs_break=raw.get("needs_break", False), jobcoach=raw.get("jobcoach", False),
            avoids=_ids(raw.get("avoids"), f"jobseeker {jid!r} avoids")))
    jids = [j.id for j in jobseekers]
    if len(set(jids)) != len(jids):
        raise InstanceError(f"duplicate jobseeker id {next(i for i in jids if jids.count(i) > 1)!r}")
    for e in employers:
        unknown = (set(e.wants) | e.avoids) - set(jids)
        if unknown:
            raise InstanceError(f"employer {e.id!r} names unknown jobseeker {sorted(unknown)[0]!r}")
    for j in jobseekers:
        if j.avoids - known:
            raise InstanceError(f"jobseeker {j.id!r} avoids unknown employer {sorted(j.avoids - known)[0]!r}")
    instance = combine(Instance(rounds=rounds, employers=employers, jobseekers=jobseekers, coverage_bonus=bonus))
    locked = []
    for i, raw in enumerate(data.get("locked") or []):
        raw = _object(raw, f"locked[{i}]")
        m = Meeting(_id(raw.get("jobseeker_id"), f"locked[{i}].jobseeker_id"),
                    _id(raw.get("employer_id"), f"locked[{i}].employer_id"), _int(raw.get("round"), f"locked[{i}].round", 0))
        if m.jobseeker_id not in instance.jobseeker_by_id or m.employer_id not in known:
            raise InstanceError(f"locked[{i}] names an unknown jobseeker or employer")
        locked.append(m)
    instance.locked = locked
    instance.covered = _ids(data.get("covered"), "covered") & set(jids)
    instance.cover_meetings = _int(data.get("cover_meetings", 1), "cover_meetings", 1)
    instance.held = {_id(jid, "held"): _int(n, f"held meetings of {jid!r}", 0)
                     for jid, n in _object(data.get("held", {}), "held").items()}
    if set(instance.held) - set(jids):
        raise InstanceError(f"held names unknown jobseeker {sorted(set(instance.held) - set(jids))[0]!r}")
    if locked:
        problems = violations(instance, locked)
        if problems:
            raise InstanceError(f"locked meetings break a rule: {problems[0]}")
    return instance


def load_instance(text: str) -> Instance:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    return parse_instance(data)


def write_schedule(meetings: list[Meeting]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["jobseeker_id", "employer_id", "round"])
    for m in sorted(meetings, key=lambda m: (m.round, m.employer_id, m.jobseeker_id)):
        writer.writerow([m.jobseeker_id, m.employer_id, m.round])
    return out.getvalue()


def read_schedule(text: str) -> list[Meeting]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != ["jobseeker_id", "employer_id", "round"]:
        raise InstanceError("schedule header must be jobseeker_id,employer_id,round")
    return [Meeting(row["jobseeker_id"], row["employer_id"], int(row["round"])) for row in reader]
