"""Which screens each role sees. The router builds its navigation from this on every run; a page
left out is not reachable by URL either."""
from __future__ import annotations

from dataclasses import dataclass

PUBLIC = None  # a visitor who is not logged in


@dataclass(frozen=True)
class PageSpec:
    script: str
    url_path: str
    title_key: str
    icon: str
    roles: frozenset  # roles that see it; PUBLIC in it means visitors too
    section: str = "staff"
    default: bool = False
    menu_roles: frozenset | None = None  # who gets a link to it (default: everyone who may open it)

    def in_menu(self, role: str | None) -> bool:
        return role in (self.menu_roles if self.menu_roles is not None else self.roles)


_ALL = frozenset({PUBLIC, "organiser", "coordinator", "coach", "employer"})
_STAFF = frozenset({"organiser", "coordinator"})
_COACH = frozenset({"coach"})
_EMPLOYER = frozenset({"employer"})

PAGES = (
    PageSpec("views/agenda.py", "agenda", "nav.agenda", ":material/event:", _ALL, "public", default=True),
    PageSpec("views/register_jobseeker.py", "aanmelden", "nav.register_jobseeker", ":material/person_add:", _ALL, "public"),
    PageSpec("views/register_employer.py", "werkgevers", "nav.register_employer", ":material/business:", _ALL, "public"),
    PageSpec("views/cancel.py", "afmelden", "nav.cancel", ":material/event_busy:", _ALL, "public"),
    # Reached through the personal link in a message; no menu entry.
    PageSpec("views/my_registration.py", "mijn-aanmelding", "nav.mine", ":material/badge:", _ALL, "public",
             menu_roles=frozenset()),
    PageSpec("views/survey.py", "vragenlijst", "nav.survey", ":material/quiz:", _ALL, "public", menu_roles=frozenset()),
    # A coach's invitation link: choose a password (no menu entry).
    PageSpec("views/invitation.py", "uitnodiging", "nav.invitation", ":material/key:", _ALL, "public",
             menu_roles=frozenset()),
    # Staff keep the login page reachable (it sends them on to their own page) but see no link to it.
    PageSpec("views/login.py", "login", "nav.login", ":material/login:", _ALL, menu_roles=frozenset({PUBLIC})),
    PageSpec("views/events_admin.py", "activiteiten", "nav.events", ":material/edit_calendar:", frozenset({"organiser"})),
    PageSpec("views/registrations_admin.py", "inschrijvingen", "nav.registrations", ":material/groups:", _STAFF),
    PageSpec("views/profile_review.py", "profielen", "nav.profile_review", ":material/badge:", _STAFF),
    PageSpec("views/planning.py", "speedmeet", "nav.planning", ":material/table_chart:", frozenset({"organiser"})),
    PageSpec("views/dayplan.py", "dagindeling", "nav.dayplan", ":material/schedule:", _STAFF),
    PageSpec("views/checkin.py", "deur", "nav.checkin", ":material/how_to_reg:", _STAFF),
    PageSpec("views/messages_admin.py", "berichten", "nav.messages", ":material/mail:", _STAFF),
    # One message to everyone of an event (issue 29): the organiser's, as is changing the event.
    PageSpec("views/broadcast.py", "bericht-aan-iedereen", "nav.broadcast", ":material/campaign:", frozenset({"organiser"})),
    PageSpec("views/downloads.py", "downloads", "nav.downloads", ":material/download:", _STAFF),
    PageSpec("views/outcomes.py", "resultaten", "nav.outcomes", ":material/edit_note:", frozenset({"organiser"})),
    PageSpec("views/person.py", "persoon", "nav.person", ":material/person_search:", frozenset({"organiser"})),
    PageSpec("views/import_people.py", "importeren", "nav.import", ":material/upload_file:", frozenset({"organiser"})),
    PageSpec("views/follow_up.py", "opvolging", "nav.follow_up", ":material/work_history:", frozenset({"organiser"})),
    PageSpec("views/dashboard.py", "dashboard", "nav.dashboard", ":material/monitoring:", frozenset({"organiser"})),
    PageSpec("views/privacy_admin.py", "privacy", "nav.privacy", ":material/shield_person:", frozenset({"organiser"})),
    PageSpec("views/users_admin.py", "accounts", "nav.users", ":material/manage_accounts:", frozenset({"organiser"})),
    # A coach (jobcoach, klantmanager, school contact): their own clients only.
    PageSpec("views/coach.py", "clienten", "nav.coach", ":material/diversity_3:", _COACH),
    PageSpec("views/logout.py", "uitloggen", "nav.logout", ":material/logout:", _STAFF | _COACH | _EMPLOYER),
    # An employer's sign-in link by mail (no menu entry); then their own organisation's pages only.
    PageSpec("views/login_link.py", "inloglink", "nav.login_link", ":material/link:", _ALL, "public",
             menu_roles=frozenset()),
    PageSpec("views/employer_organisation.py", "onze-organisatie", "nav.employer_organisation", ":material/apartment:",
             _EMPLOYER),
    PageSpec("views/employer_events.py", "onze-activiteiten", "nav.employer_events", ":material/event_available:",
             _EMPLOYER),
    # For an event the organisation comes to: the shared profile cards and wishes, its speedmeet
    # schedule, and what came of each talk (results.portal).
    PageSpec("views/employer_coming.py", "wie-komt-er", "nav.employer_coming", ":material/group:", _EMPLOYER),
    PageSpec("views/employer_schedule.py", "ons-rooster", "nav.employer_schedule", ":material/calendar_month:",
             _EMPLOYER),
    PageSpec("views/employer_talks.py", "na-het-gesprek", "nav.employer_talks", ":material/handshake:", _EMPLOYER),
)


LOGOUT = "views/logout.py"


def visible_pages(role: str | None) -> list[PageSpec]:
    """The pages this role may open, in the menu's order (logging out last)."""
    return sorted((p for p in PAGES if role in p.roles), key=lambda p: p.script == LOGOUT)


def landing_page(role: str) -> str:
    """Where a staff member (or a coach, or an employer's contact person) goes right after logging in."""
    return next(p.script for p in visible_pages(role) if p.section == "staff" and p.in_menu(role) and p.script != LOGOUT)
