"""The planning instance and its meetings as Python objects: who takes part, what they want, which
meetings are fixed. Reading and writing the exchange format is `instance`; the rules a schedule
keeps are `rules`, which both use."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class InstanceError(ValueError):
    """The instance is malformed; the message is one line fit for stderr."""


@dataclass(frozen=True)
class Meeting:
    jobseeker_id: str
    employer_id: str
    round: int


@dataclass
class Employer:
    id: str
    tables: int = 1
    available_rounds: frozenset[int] = frozenset()
    wide_tables: int | None = None  # None: every table seats two
    wants: dict[str, int] = field(default_factory=dict)  # jobseeker id -> the employer's own weight
    avoids: frozenset[str] = frozenset()  # jobseeker ids the employer would rather not meet

    @property
    def wide(self) -> int:
        return self.tables if self.wide_tables is None else min(self.wide_tables, self.tables)


@dataclass
class Jobseeker:
    id: str
    max_meetings: int
    available_rounds: frozenset[int]
    preferences: dict[str, int]
    needs_break: bool = False
    jobcoach: bool = False
    avoids: frozenset[str] = frozenset()  # employer ids this jobseeker would rather not meet
    stated: dict[str, int] | None = None  # the jobseeker's own weights, when `combine` changed them


def rather_not(j: Jobseeker, e: Employer) -> bool:
    return e.id in j.avoids or j.id in e.avoids


def combine(instance: "Instance") -> "Instance":
    """Pair weights from both sides: the jobseeker's preference plus the employer's wish, and
    nothing at all for a pair either side would rather not have. Called once per instance, by
    whoever built it from stated wishes (parse_instance, the app); idempotent."""
    if not any(e.wants or e.avoids for e in instance.employers) and not any(j.avoids for j in instance.jobseekers):
        return instance
    for j in instance.jobseekers:
        if j.stated is None:
            j.stated = dict(j.preferences)
        weights = dict(j.stated)
        for e in instance.employers:
            if j.id in e.wants:
                weights[e.id] = weights.get(e.id, 0) + e.wants[j.id]
        j.preferences = {eid: w for eid, w in weights.items()
                         if w > 0 and not rather_not(j, instance.employer_by_id[eid])}
    return instance


@dataclass
class Instance:
    rounds: int
    employers: list[Employer]
    jobseekers: list[Jobseeker]
    coverage_bonus: int = 0
    locked: list[Meeting] = field(default_factory=list)
    # Jobseekers whose coverage bonus was earned already (at rounds held before a re-plan).
    covered: frozenset[str] = frozenset()
    # Fairness: the coverage bonus is earned on each of a jobseeker's first `cover_meetings` (k)
    # meetings, falling with each: the n-th is worth bonus x (k + 1 - n). A first meeting for one
    # person is thus worth more than a second for another, and so on; with a bonus larger than what
    # one person's meetings weigh, the plan gives as many people as possible one meeting, then two,
    # up to k, before the best matches (max-min, then weight). k = 1: the plain coverage bonus.
    cover_meetings: int = 1
    # Meetings a jobseeker already had outside this instance (held rounds before a re-plan); they
    # count towards cover_meetings. Someone in `covered` without a count here had one.
    held: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.employer_by_id = {e.id: e for e in self.employers}
        self.jobseeker_by_id = {j.id: j for j in self.jobseekers}

    def held_count(self, jobseeker_id: str) -> int:
        return self.held.get(jobseeker_id, 1 if jobseeker_id in self.covered else 0)

    def bonus_slots(self, jobseeker_id: str) -> int:
        """How many of this jobseeker's meetings in this instance still earn a coverage bonus."""
        if not self.coverage_bonus:
            return 0
        return max(0, self.cover_meetings - self.held_count(jobseeker_id))

    def bonus_for(self, jobseeker_id: str, n: int) -> int:
        """The bonus the jobseeker's n-th meeting in this instance (1-based) earns."""
        overall = self.held_count(jobseeker_id) + n
        return self.coverage_bonus * (self.cover_meetings + 1 - overall) if overall <= self.cover_meetings else 0

    def bonus_total(self, jobseeker_id: str, count: int) -> int:
        return sum(self.bonus_for(jobseeker_id, n) for n in range(1, min(count, self.bonus_slots(jobseeker_id)) + 1))

    def weight(self, jobseeker_id: str, employer_id: str) -> int:
        return self.jobseeker_by_id[jobseeker_id].preferences.get(employer_id, 0)

    def to_json(self) -> dict:
        data: dict[str, Any] = {
            "rounds": self.rounds,
            "coverage_bonus": self.coverage_bonus,
            "employers": [dict({"id": e.id, "tables": e.tables, "available_rounds": sorted(e.available_rounds)},
                               **({"wide_tables": e.wide_tables} if e.wide_tables is not None else {}),
                               **({"wants": dict(sorted(e.wants.items()))} if e.wants else {}),
                               **({"avoids": sorted(e.avoids)} if e.avoids else {}))
                          for e in self.employers],
            "jobseekers": [dict({"id": j.id, "max_meetings": j.max_meetings, "available_rounds": sorted(j.available_rounds),
                                 "preferences": dict(j.stated if j.stated is not None else j.preferences)},
                                **({"needs_break": True} if j.needs_break else {}),
                                **({"jobcoach": True} if j.jobcoach else {}),
                                **({"avoids": sorted(j.avoids)} if j.avoids else {}))
                           for j in self.jobseekers],
        }
        if self.covered:
            data["covered"] = sorted(self.covered)
        if self.cover_meetings != 1:
            data["cover_meetings"] = self.cover_meetings
        if self.held:
            data["held"] = dict(sorted(self.held.items()))
        if self.locked:
            data["locked"] = [{"jobseeker_id": m.jobseeker_id, "employer_id": m.employer_id, "round": m.round}
                              for m in self.locked]
        return data
