"""An organisation's places (vacancies), kept with the organisation and reused at every event it
comes to. Its contact persons add, change and remove them on "Onze organisatie".

Every verb takes the logged-in account (`user_id`) and finds the organisation from it, never from
a form; a place of another organisation is not found (the same answer as one that does not exist)."""
from __future__ import annotations

from pydantic_core import PydanticCustomError
from sqlmodel import Session, select

from ..core import audit
from ..core.errors import DomainError, ValidationFailed
from ..core.text import one_line, text_field
from ..core.timeutil import utcnow
from ..core.vocab import REGIONS, SECTORS, Adaptation
from .employer_accounts import employer_id_of
from .models import Employer, Vacancy

LIMITS = {"title": 120, "hours": 60, "place": 80, "description": 600}


def organisation(session: Session, user_id: int) -> Employer:
    """The logged-in employer's organisation."""
    return session.get(Employer, employer_id_of(session, user_id))


def places(session: Session, user_id: int, include_removed: bool = False) -> list[Vacancy]:
    """The organisation's places, newest first (removed ones only when asked)."""
    query = select(Vacancy).where(Vacancy.employer_id == employer_id_of(session, user_id))
    if not include_removed:
        query = query.where(Vacancy.active.is_(True))
    return list(session.exec(query.order_by(Vacancy.created_at.desc(), Vacancy.id.desc())))


def _fields(data: dict) -> dict:
    errors, clean = {}, {}
    for name, limit in LIMITS.items():
        try:
            clean[name] = one_line(data.get(name) or "", name, limit, required=name == "title") \
                if name != "description" else _multiline(data.get(name) or "", name, limit)
        except DomainError as exc:
            errors[name] = (exc.code, exc.params)
    adaptations = list(dict.fromkeys(data.get("adaptations") or []))
    if any(a not in set(Adaptation) for a in adaptations):
        errors["adaptations"] = ("vacancy.adaptation_unknown", {})
    clean["adaptations"] = [Adaptation(a).value for a in adaptations if a in set(Adaptation)]
    if errors:
        raise ValidationFailed(errors)
    return clean


def _multiline(text: str, field: str, limit: int) -> str:
    """A text of several lines by the data models' rules; a broken one is a DomainError on `field`."""
    try:
        return text_field(limit, multiline=True)(text)
    except PydanticCustomError as exc:
        raise DomainError(exc.type, field=field, **(exc.context or {})) from None


def _theirs(session: Session, user_id: int, vacancy_id: int) -> Vacancy:
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.employer_id != employer_id_of(session, user_id) or not vacancy.active:
        raise DomainError("vacancy.not_found")
    return vacancy


@audit.action("vacancies.add")
def add(session: Session, user_id: int, data: dict) -> Vacancy:
    vacancy = Vacancy(employer_id=employer_id_of(session, user_id), **_fields(data))
    session.add(vacancy)
    session.flush()
    return vacancy


@audit.action("vacancies.change")
def change(session: Session, user_id: int, vacancy_id: int, data: dict) -> Vacancy:
    vacancy = _theirs(session, user_id, vacancy_id)
    for name, value in _fields(data).items():
        setattr(vacancy, name, value)
    vacancy.updated_at = utcnow()
    session.flush()
    return vacancy


@audit.action("vacancies.remove")
def remove(session: Session, user_id: int, vacancy_id: int) -> Vacancy:
    """Taken off the organisation's list (kept, inactive: events that showed it keep their history)."""
    vacancy = _theirs(session, user_id, vacancy_id)
    vacancy.active = False
    vacancy.updated_at = utcnow()
    session.flush()
    return vacancy


@audit.action("vacancies.update_organisation")
def update_organisation(session: Session, user_id: int, sectors: list[str], region: str | None, offers: str) -> Employer:
    """The organisation's own description: its sectors, region and what it offers."""
    employer = organisation(session, user_id)
    unknown = [s for s in sectors or [] if s not in SECTORS]
    if unknown:
        raise DomainError("vacancy.sector_unknown", field="sectors")
    employer.sectors = list(dict.fromkeys(sectors or []))
    if region and region not in REGIONS:
        raise DomainError("vacancy.region_unknown", field="region")
    employer.region = region or None
    employer.offers = _multiline(offers or "", "offers", 600)
    employer.updated_at = utcnow()
    session.flush()
    return employer
