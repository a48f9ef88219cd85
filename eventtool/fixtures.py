"""Realistic demo data, seeded once into a new database (random.Random(42): the same every time,
with dates placed around today so there are always past and coming events)."""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, delete, select

from .people import accounts as auth
from .people import employer_accounts
from .people.models import Employer, Jobseeker, LoginLink, Vacancy
from .messages import links
from .messages.models import Message
from .registration import cards
from .core.config import get_settings
from .events import events
from .registration import registration
from .planning import speedmeet
from .core.config import TZ
from .registration.coaches import add_client
from .events.models import Event, Meeting
from .results.models import Outcome
from .registration.models import Registration
from .core.timeutil import utcnow
from .core.vocab import SECTORS, Audience, EventKind, EventStatus, OutcomeKind, RegSource, RegStatus, Role, SupportNeed

DEMO_ORGANISER = "organiser@example.org"
DEMO_COORDINATOR = "coordinator@example.org"
DEMO_COACH = "coach@example.org"
DEMO_EMPLOYER = "werkgever@example.org"

FIRST = ["Sanne", "Daan", "Fatima", "Mohamed", "Lisa", "Thijs", "Noa", "Yusuf", "Emma", "Bram", "Aylin",
         "Kevin", "Iris", "Jeroen", "Samira", "Ruben", "Femke", "Omar", "Maud", "Jesse", "Priya", "Luuk",
         "Zeynep", "Stijn", "Nadia", "Tim", "Esra", "Sem", "Lotte", "Milan", "Chantal", "Dewi", "Rik", "Ilse"]
LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "El Amrani", "Visser", "Smit", "Meijer", "Yilmaz",
        "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "Kaya", "Smits", "van Dijk", "Postma", "Verhoeven"]
ORGS = ["Zorggroep De Linde", "Bouwbedrijf Van Rijn", "Albert Heijn Rosmalen", "Gemeente 's-Hertogenbosch",
        "PostNL Sorteercentrum", "Hotel De Gouden Leeuw", "Groenbedrijf Dommeldal", "CleanPro Schoonmaak",
        "Jumbo Distributiecentrum", "Stichting Vitalis Zorg", "Techniek Brabant", "Bakkerij Van der Heijden",
        "Facilitair Bedrijf Noord", "ICT Werkplaats", "Drukkerij Maas", "Logistiek Centrum Oss",
        "Kinderopvang Het Speelhuis", "Fietsenmaker Op Wielen", "Hornbach Den Bosch", "IKEA Eindhoven",
        "ROC Koning Willem I", "Waterschap Aa en Maas", "Zuivelfabriek Campina", "Vebego Facility",
        "Ziekenhuis JBZ", "Sociale Werkplaats WeenerXL", "Koffiebar Onbeperkt", "Tuincentrum De Hoef",
        "Garage Van Gils", "Bibliotheek Den Bosch"]
REGIONS = ["Noordoost-Brabant", "Noordoost-Brabant", "Noordoost-Brabant", "Midden-Brabant", "Zuidoost-Brabant",
           "Midden-Utrecht", "Rijnmond"]
SCHOOLS = ["Praktijkschool De Rijzert", "VSO De Widdonck", "Praktijkonderwijs Het Hooghuis"]
SEEKING = ["Werk in de keuken", "Magazijnwerk", "Groenonderhoud", "Administratief werk", "Werken met mensen",
           "Schoonmaakwerk", "Werk in een winkel", "Technisch werk", "Iets met computers", "Zorg en welzijn"]

VENUE = dict(venue_name="Theater aan de Parade", address="Parade 23, 5211 KL 's-Hertogenbosch",
             city="'s-Hertogenbosch", region="Noordoost-Brabant",
             accessibility_notes="Rolstoeltoegankelijk, invalidentoilet, ringleiding in de zaal, stille ruimte op de 1e etage.")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def _event(session: Session, kind, title, day, start_h, end_h, cap_js, cap_emp, status=EventStatus.PUBLISHED,
           description="", **extra):
    values = dict(VENUE, kind=kind, title=title, description=description, starts_at=_at(day, start_h),
                  ends_at=_at(day, end_h), registration_deadline=_at(day - timedelta(days=2), 23, 59),
                  capacity_jobseekers=cap_js, capacity_employers=cap_emp, status=status)
    values.update(extra)
    return events.create_event(session, values)


def new_demo_password() -> str:
    """A password for the demo staff accounts, made at the first start and shown once in the terminal
    (like a notebook server's token): never one that is written anywhere in the repository."""
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class DemoLogins:
    password: str | None  # the demo staff accounts' password (None: a real administrator is configured)
    employer_link: str | None  # a sign-in link for the demo employer's contact person (one use, 7 days)


def seed_new_demo(session: Session, admin_email: str | None) -> DemoLogins:
    """Seed the demo into a new database. Without a configured administrator the demo staff logins
    are made too, with a new password, and a sign-in link for an employer's contact person, both
    returned so the caller can show them once."""
    password = None if admin_email else new_demo_password()
    seed_demo(session, staff_password=password)
    return DemoLogins(password, _employer_link(session) if password else None)


def demo_logins_message(logins: DemoLogins) -> str:
    if not logins.password:
        return "demo data seeded; log in with the configured administrator (no demo accounts)"
    return (f"demo data seeded; log in as {DEMO_ORGANISER} or {DEMO_COORDINATOR} (or the jobcoach {DEMO_COACH}) "
            f"with password {logins.password} (shown once); an employer's own pages: {logins.employer_link} "
            f"(one use, 7 days)")


def _employer_link(session: Session) -> str:
    """The demo employer's contact person (of an organisation at the coming speedmeet) is invited; the
    link is shown in the terminal instead of mailed (a sender would make a new one and end this)."""
    event = session.exec(select(Event).where(Event.kind == EventKind.SPEEDMEET, Event.status == EventStatus.PUBLISHED,
                                             Event.starts_at > utcnow()).order_by(Event.starts_at)).first()
    reg = session.exec(select(Registration).where(Registration.event_id == event.id, Registration.status == RegStatus.CONFIRMED,
                                                  col(Registration.employer_id).is_not(None)).order_by(Registration.id)).first()
    user = employer_accounts.invite(session, reg.employer_id, DEMO_EMPLOYER, "Demo Werkgever", DEMO_ORGANISER)
    link = session.exec(select(LoginLink).where(LoginLink.user_id == user.id).order_by(LoginLink.id.desc())).first()
    session.exec(delete(Message).where(Message.login_link_id == link.id))
    return links.url(get_settings().base_url, employer_accounts.mint_login_link(session, link.id),
                     employer_accounts.LINK_PAGE)


def seed_demo(session: Session, *, today: date | None = None, jobseekers: int = 200, employers: int = 30,
              staff_password: str | None = None) -> None:
    """Demo events, people and results. The demo staff accounts are made only with `staff_password`
    (none when a real administrator is configured)."""
    rng = random.Random(42)
    today = today or datetime.now(TZ).date()
    if staff_password:
        auth.create_user(session, DEMO_ORGANISER, "Demo Organisator", Role.ORGANISER, staff_password)
        auth.create_user(session, DEMO_COORDINATOR, "Demo Coördinator", Role.COORDINATOR, staff_password)

    # Events: one yearly job fair (last year's and the coming one), speedmeets, a Meet&Greet series, a training.
    older_fair = _event(session, EventKind.JOB_FAIR, "Onbeperkt aan het Werk", today - timedelta(days=520), 9, 16, 400, 40,
                        description="Banenmarkt voor mensen met een arbeidsbeperking.")
    past_fair = _event(session, EventKind.JOB_FAIR, "Onbeperkt aan het Werk (voorjaar)", today - timedelta(days=160), 9, 16,
                       400, 40, description="Banenmarkt voor mensen met een arbeidsbeperking.")
    next_fair = _event(session, EventKind.JOB_FAIR, "Onbeperkt aan het Werk", today + timedelta(days=45), 9, 16, 400, 40,
                       description="Banenmarkt voor mensen met een arbeidsbeperking. Gratis toegang.")
    for fair in (older_fair, past_fair, next_fair):
        day = fair.starts_at.astimezone(TZ).date()
        events.add_block(session, fair.id, dict(title="Ontbijt voor werkgevers", audience=Audience.EMPLOYERS,
                                                starts_at=_at(day, 9), ends_at=_at(day, 10)))
        events.add_block(session, fair.id, dict(title="Leerlingen Praktijkonderwijs en VSO", audience=Audience.PUPILS,
                                                starts_at=_at(day, 10), ends_at=_at(day, 12)))
        events.add_block(session, fair.id, dict(title="Alle bezoekers", audience=Audience.EVERYONE,
                                                starts_at=_at(day, 12), ends_at=_at(day, 16)))
    speedmeets = [
        _event(session, EventKind.SPEEDMEET, "Speedmeet Zorg en Welzijn", today - timedelta(days=90), 13, 16, 60, 12),
        _event(session, EventKind.SPEEDMEET, "Speedmeet Techniek en Logistiek", today - timedelta(days=30), 13, 16, 60, 12),
        _event(session, EventKind.SPEEDMEET, "Speedmeet Horeca en Groen", today + timedelta(days=20), 13, 16, 60, 12),
        _event(session, EventKind.SPEEDMEET, "Speedmeet Overheid", today + timedelta(days=75), 13, 16, 40, 8,
               status=EventStatus.DRAFT),
    ]
    training = _event(session, EventKind.TRAINING, "IN-Werkweek: voorbereiding op je gesprek",
                      today + timedelta(days=10), 10, 12, 20, 0)

    first = today.replace(day=1) - timedelta(days=200)
    series = events.create_series(
        session, dict(VENUE, kind=EventKind.MEET_GREET, title="Meet&Greet Werkgevers", starts_at=_at(first, 15),
                      ends_at=_at(first, 17), registration_deadline=_at(first - timedelta(days=1), 23, 59),
                      capacity_jobseekers=40, capacity_employers=8, status=EventStatus.PUBLISHED,
                      description="Elke maand: kennismaken met werkgevers in een ontspannen sfeer."),
        events.SeriesRule("MONTHLY", weekday=3, setpos=1, count=14))
    meet_greets = events.series_events(session, series.id)

    # Employers and jobseekers are created through the same registration code the forms use.
    employer_data = []
    for i, org in enumerate(ORGS[:employers]):
        contact = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        employer_data.append(dict(
            organisation=org, contact_name=contact, email=f"hr{i + 1}@werkgever{i + 1}.example.nl",
            phone=f"06{rng.randint(10000000, 59999999)}", sectors=rng.sample(SECTORS, k=rng.randint(1, 3)),
            offers=rng.choice(["Leerbanen in de logistiek", "Functies in de zorg met begeleiding",
                               "Werkervaringsplaatsen", "Vaste banen via de banenafspraak", "BBL-trajecten"]),
            recruiters=rng.choice([1, 1, 2, 2, 3]), sroi=rng.random() < 0.4, region=rng.choice(REGIONS)))
    people = []
    for i in range(jobseekers):
        needs = rng.sample(list(SupportNeed), k=rng.choice([0, 0, 0, 1, 1, 2]))
        pupil = rng.random() < 0.15
        target = "practical_school" if pupil else rng.choice([None, None, "banenafspraak", "participatiewet", "wajong", "wia"])
        special = bool(needs or target)
        people.append(dict(
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", email=f"werkzoekende{i + 1}@example.nl",
            phone=f"06{rng.randint(10000000, 59999999)}" if rng.random() < 0.6 else None,
            region=rng.choice(REGIONS), interests=rng.sample(SECTORS, k=rng.randint(1, 3)),
            seeking=rng.choice(SEEKING), pitch="Ik ben betrouwbaar, werk graag in een team en wil graag leren.",
            support_needs=needs, target_group=target, school=rng.choice(SCHOOLS) if pupil else None,
            consent_registration=True, consent_special=special))

    now = utcnow()
    all_events = [older_fair, past_fair, next_fair, *speedmeets, training, *meet_greets]
    for event in all_events:
        if event.status != EventStatus.PUBLISHED:
            continue
        past = event.ends_at < now
        n_emp = min(event.capacity_employers, rng.randint(max(event.capacity_employers // 2, 0), event.capacity_employers))
        for data in rng.sample(employer_data, k=min(n_emp, len(employer_data))):
            registration.register_employer(session, event.id, data, source=RegSource.ORGANISER)
        fill = rng.uniform(0.5, 1.15) if event.kind != EventKind.JOB_FAIR else rng.uniform(0.3, 0.45)
        n_js = min(len(people), int(event.capacity_jobseekers * fill))
        emp_ids = [e.id for e in registration.event_employers(session, event.id)]
        for data in rng.sample(people, k=n_js):
            picks = rng.sample(emp_ids, k=min(3, len(emp_ids))) if event.kind == EventKind.SPEEDMEET else None
            signup = registration.register_jobseeker(session, event.id, data, picks=picks, source=RegSource.ORGANISER)
            if rng.random() < 0.08 and not past:
                registration.cancel_registration(session, signup.registration.id)
        if event.kind == EventKind.SPEEDMEET:
            _plan(session, event, publish=past)
        if past:
            _attend_and_follow_up(session, rng, event, emp_ids)
    session.flush()
    _employers_prepared(session)
    if staff_password:
        _coach_with_clients(session, staff_password)


PLACES = {"care": "Medewerker zorg en welzijn", "technology": "Assistent monteur", "logistics": "Orderpicker",
          "hospitality": "Medewerker keuken", "green": "Medewerker groenonderhoud", "cleaning": "Schoonmaker",
          "retail": "Vakkenvuller", "administration": "Administratief medewerker", "ict": "Medewerker ICT-support",
          "construction": "Hulp in de bouw", "production": "Productiemedewerker", "education": "Onderwijsassistent",
          "government": "Medewerker post en archief", "facility": "Facilitair medewerker"}
SKILLS = ["Nauwkeurig werken", "Goed met mensen", "Handig met gereedschap", "Op tijd en betrouwbaar",
          "Rustig en geduldig", "Snel iets nieuws leren", "Fysiek sterk", "Goed met computers"]


def _employers_prepared(session: Session) -> None:
    """Issue 28's preparation: the organisations keep a place or two to offer, and at the coming
    speedmeet and job fair many jobseekers share a profile card with the employers (staff approved
    most of them; a few wait for review). A generator of its own keeps the rest of the demo as it was."""
    rng = random.Random("prepared")
    employers = session.exec(select(Employer).order_by(Employer.id)).all()
    for employer in employers[:20]:
        for sector in employer.sectors[:rng.choice([1, 2])]:
            session.add(Vacancy(employer_id=employer.id, title=PLACES.get(sector, "Medewerker"),
                                hours=rng.choice(["16-24 uur", "24 uur", "32 uur", "in overleg"]),
                                place=employer.region or "", adaptations=rng.sample(
                                    ["jobcoach_welcome", "adapted_workplace", "part_time", "flexible_hours",
                                     "quiet_workplace", "training_on_the_job"], k=rng.randint(1, 3))))
    coming = session.exec(select(Event).where(Event.kind.in_([EventKind.SPEEDMEET, EventKind.JOB_FAIR]),
                                              Event.status == EventStatus.PUBLISHED, Event.starts_at > utcnow())).all()
    for event in coming:
        regs = session.exec(select(Registration).where(Registration.event_id == event.id,
                                                       Registration.status == RegStatus.CONFIRMED,
                                                       col(Registration.jobseeker_id).is_not(None))
                            .order_by(Registration.id)).all()
        for reg in rng.sample(regs, k=len(regs) * 2 // 5):
            person = session.get(Jobseeker, reg.jobseeker_id)
            card = cards.save_card(session, reg.id, dict(
                pitch=person.pitch, seeking=person.seeking, skills=", ".join(rng.sample(SKILLS, 2)),
                hours=rng.choice(["16 uur", "20 uur", "24 uur", "32 uur", "Weet ik nog niet"])), share=True)
            if rng.random() < 0.9:
                cards.approve(session, card.id, DEMO_ORGANISER)
    session.flush()


def _coach_with_clients(session: Session, password: str) -> None:
    """A jobcoach account with eight clients on its caseload; the coach is named (and confirmed) on
    their registrations for coming events. A generator of its own keeps the rest of the demo as it was."""
    coach = auth.create_user(session, DEMO_COACH, "Demo Begeleider", Role.COACH, password)
    coach.organisation = "Jobcoach Maasland"
    upcoming = session.exec(select(Registration).join(Event, Event.id == Registration.event_id).where(
        Event.starts_at > utcnow(), Registration.jobseeker_id.is_not(None),
        Registration.status == RegStatus.CONFIRMED).order_by(Registration.id)).all()
    people = sorted({r.jobseeker_id for r in upcoming})
    for jobseeker_id in random.Random("coach").sample(people, k=min(8, len(people))):
        add_client(session, coach, jobseeker_id, "signed_up")
        for reg in (r for r in upcoming if r.jobseeker_id == jobseeker_id):
            reg.coach_name, reg.coach_email, reg.coach_confirmed = coach.name, coach.email, True
    session.flush()


def _plan(session: Session, event: Event, publish: bool) -> None:
    """Speedmeets get a real plan from the planner: 6 rounds of 12 minutes from a quarter past."""
    start = event.starts_at.astimezone(TZ) + timedelta(minutes=15)
    speedmeet.save_settings(session, event.id, dict(rounds=6, round_minutes=12, break_minutes=5, first_round_at=start,
                                                    max_meetings=4, coverage_bonus=10))
    speedmeet.run_planner(session, event.id, time_limit=5)
    if publish:
        speedmeet.publish(session, event.id)


def _attend_and_follow_up(session: Session, rng: random.Random, event: Event, employer_ids: list[int]) -> None:
    regs = session.exec(select(Registration).where(Registration.event_id == event.id,
                                                   Registration.status == RegStatus.CONFIRMED)).all()
    ladder = [OutcomeKind.CONTACT, OutcomeKind.SECOND_INTERVIEW, OutcomeKind.TRIAL_PLACEMENT, OutcomeKind.JOB,
              OutcomeKind.EMPLOYED_6M, OutcomeKind.EMPLOYED_12M]
    for reg in regs:
        if rng.random() > 0.82:
            continue  # no-show
        reg.checked_in_at = event.starts_at + timedelta(minutes=rng.randint(0, 45))
        if reg.jobseeker_id is None:
            continue
        roll = rng.random()
        if roll < 0.25:
            steps = 0
        elif roll < 0.45:
            steps = 1
        else:
            steps = rng.choice([2, 2, 3, 3, 4, 5, 6])
        met = session.exec(select(Meeting.employer_id).where(Meeting.event_id == event.id,
                                                             Meeting.jobseeker_id == reg.jobseeker_id)).all()
        employer_id = rng.choice(met or employer_ids) if (met or employer_ids) else None
        when = event.starts_at
        if steps == 0:
            session.add(Outcome(jobseeker_id=reg.jobseeker_id, event_id=event.id, kind=OutcomeKind.NONE.value,
                                occurred_on=when + timedelta(days=14), recorded_by="demo"))
        # Hours and jobs that ended come from a generator of their own, so the rest of the demo stays as it was.
        extra = random.Random(f"{event.id}-{reg.jobseeker_id}")
        for kind in ladder[:steps]:
            gap = {OutcomeKind.EMPLOYED_6M: 182, OutcomeKind.EMPLOYED_12M: 183}.get(kind, rng.randint(5, 40))
            when = when + timedelta(days=gap)
            if when > utcnow():
                break
            hours = extra.choice([12, 16, 20, 24, 25.5, 32, 36]) if kind == OutcomeKind.JOB else None
            session.add(Outcome(jobseeker_id=reg.jobseeker_id, event_id=event.id, employer_id=employer_id,
                                kind=kind.value, occurred_on=when, recorded_by="demo", hours_per_week=hours))
            if kind == OutcomeKind.JOB and steps == 4 and extra.random() < 0.35:
                ended = when + timedelta(days=extra.randint(40, 170))
                if ended < utcnow():
                    session.add(Outcome(jobseeker_id=reg.jobseeker_id, event_id=event.id, employer_id=employer_id,
                                        kind=OutcomeKind.JOB_ENDED.value, occurred_on=ended, recorded_by="demo"))
        if steps == 1 and rng.random() < 0.3:
            session.add(Outcome(jobseeker_id=reg.jobseeker_id, event_id=event.id,
                                kind=rng.choice([OutcomeKind.TRAINING, OutcomeKind.REFERRED]).value,
                                occurred_on=event.starts_at + timedelta(days=21), recorded_by="demo"))
    session.flush()


def is_empty(session: Session) -> bool:
    return session.exec(select(Event.id)).first() is None
