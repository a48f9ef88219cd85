"""The employers that come to an event, as the public agenda and the sign-up form show them (issue
28, "Catalogue"): organisation, sectors, region, what it offers and its places (title, hours, where,
what can be adapted). Only organisations with a confirmed place; nothing about their contact people."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ..core.collation import text_key
from ..core.vocab import RegStatus
from ..people.models import Employer, Vacancy
from .models import Registration


@dataclass(frozen=True)
class Place:
    title: str
    hours: str
    place: str
    adaptations: tuple[str, ...]  # core.vocab.Adaptation values
    description: str


@dataclass(frozen=True)
class Coming:
    employer_id: int
    organisation: str
    sectors: tuple[str, ...]
    region: str | None
    offers: str
    places: tuple[Place, ...]


def catalogue(session: Session, event_ids: list[int]) -> dict[int, list[Coming]]:
    """Per event, the organisations with a confirmed place, by name, each with its current places."""
    if not event_ids:
        return {}
    rows = session.exec(select(Registration.event_id, Employer).join(Employer, col(Employer.id) == Registration.employer_id)
                        .where(col(Registration.event_id).in_(event_ids), Registration.status == RegStatus.CONFIRMED)).all()
    employer_ids = {e.id for _, e in rows}
    places: dict[int, list[Place]] = {}
    if employer_ids:
        for v in session.exec(select(Vacancy).where(col(Vacancy.employer_id).in_(employer_ids), Vacancy.active)
                              .order_by(Vacancy.id)):
            places.setdefault(v.employer_id, []).append(Place(v.title, v.hours, v.place, tuple(v.adaptations), v.description))
    out: dict[int, list[Coming]] = {}
    for event_id, e in rows:
        out.setdefault(event_id, []).append(Coming(e.id, e.organisation, tuple(e.sectors), e.region, e.offers,
                                                   tuple(places.get(e.id, ()))))
    return {event_id: sorted(found, key=lambda c: text_key(c.organisation)) for event_id, found in out.items()}
