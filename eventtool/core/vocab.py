"""Fixed vocabularies. Codes are stored; labels come from i18n (key '<vocab>.<code>')."""
from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    JOB_FAIR = "job_fair"
    SPEEDMEET = "speedmeet"
    MEET_GREET = "meet_greet"
    TRAINING = "training"


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Audience(StrEnum):
    EMPLOYERS = "employers"
    PUPILS = "pupils"
    JOBSEEKERS = "jobseekers"
    EVERYONE = "everyone"


class RegStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class RegSource(StrEnum):
    FORM = "form"
    WALK_IN = "walk_in"
    ORGANISER = "organiser"
    COACH = "coach"
    # An employer's contact person: their own organisation's pages only (never a staff page).
    EMPLOYER = "employer"


class Role(StrEnum):
    ORGANISER = "organiser"
    COORDINATOR = "coordinator"
    # A jobcoach, klantmanager or school contact: signs up their own clients, sees only them.
    COACH = "coach"
    # An employer's contact person (User.employer_id): their own organisation's pages only.
    EMPLOYER = "employer"


class SupportNeed(StrEnum):
    WHEELCHAIR = "wheelchair"
    SIGN_LANGUAGE = "sign_language"
    QUIET_SPACE = "quiet_space"
    JOBCOACH = "jobcoach"
    EXTRA_TIME = "extra_time"
    BREAK_BETWEEN = "break_between"
    LARGE_PRINT = "large_print"
    HEARING_LOOP = "hearing_loop"


class TargetGroup(StrEnum):
    BANENAFSPRAAK = "banenafspraak"
    PARTICIPATIEWET = "participatiewet"
    WAJONG = "wajong"
    WIA = "wia"
    NUGGER = "nugger"
    PRACTICAL_SCHOOL = "practical_school"  # Praktijkonderwijs / VSO pupil


class OutcomeKind(StrEnum):
    NONE = "none"
    CONTACT = "contact"
    SECOND_INTERVIEW = "second_interview"
    TRIAL_PLACEMENT = "trial_placement"
    TRAINEESHIP = "traineeship"
    TRAINING = "training"
    TEMP_JOB = "temp_job"
    JOB = "job"
    EMPLOYED_6M = "employed_6m"
    EMPLOYED_12M = "employed_12m"
    REFERRED = "referred"
    JOB_ENDED = "job_ended"  # a placement that ended: what durability counts against


class Adaptation(StrEnum):
    """What an employer can adapt for a place (shown on the place and the event's catalogue)."""
    JOBCOACH_WELCOME = "jobcoach_welcome"
    ADAPTED_WORKPLACE = "adapted_workplace"
    PART_TIME = "part_time"
    FLEXIBLE_HOURS = "flexible_hours"
    QUIET_WORKPLACE = "quiet_workplace"
    WHEELCHAIR_ACCESS = "wheelchair_access"
    TRAINING_ON_THE_JOB = "training_on_the_job"


SECTORS = (
    "care", "technology", "logistics", "hospitality", "green", "cleaning", "retail",
    "administration", "ict", "construction", "production", "education", "government", "facility",
)

# The 35 Dutch labour-market regions (arbeidsmarktregio's); proper names, not translated.
REGIONS = (
    "Achterhoek", "Amersfoort", "Drechtsteden", "Drenthe", "Flevoland", "FoodValley", "Friesland",
    "Gooi en Vechtstreek", "Gorinchem", "Groningen", "Groot Amsterdam", "Haaglanden", "Helmond-De Peel",
    "Holland Rijnland", "Midden-Brabant", "Midden-Gelderland", "Midden-Holland", "Midden-Limburg",
    "Midden-Utrecht", "Noord-Holland Noord", "Noord-Limburg", "Noordoost-Brabant", "Regio Zwolle",
    "Rijk van Nijmegen", "Rijnmond", "Rivierenland", "Stedendriehoek en Noordwest Veluwe", "Twente",
    "West-Brabant", "Zaanstreek/Waterland", "Zeeland", "Zuid-Holland Centraal", "Zuid-Kennemerland en IJmond",
    "Zuid-Limburg", "Zuidoost-Brabant",
)
