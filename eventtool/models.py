"""Every table of every capability, for SQLModel.metadata (Alembic, create_all), and the names
models.py used to hold. Nothing in eventtool/ imports this module; each imports its own models."""
from eventtool.core.models import AuditEntry  # noqa: F401
from eventtool.core.text import EMPLOYER_LIMITS, FORBIDDEN, Input, JOBSEEKER_LIMITS, _FORBIDDEN_MULTILINE, _err, _text, _times_rules, clean_text, new_uid, normalise_email, normalise_phone, one_line  # noqa: F401
from eventtool.events.models import ArrivalSlot, ArrivalSlotIn, BlockIn, EmployerWish, Event, EventIn, EventSeries, Meeting, ProgrammeBlock, SpeedmeetSettings, SpeedmeetSettingsIn  # noqa: F401
from eventtool.messages.models import Message, PersonalLink, UnsubscribeLink  # noqa: F401
from eventtool.people.models import CONSENT_VERSION, CoachClient, Consent, Employer, EmployerIn, ImportBatch, Invitation, Jobseeker, JobseekerIn, LoginFailure, ProfileProposal, User  # noqa: F401
from eventtool.registration.models import Registration, SignupAttempt  # noqa: F401
from eventtool.results.models import Outcome, OutcomeIn, Survey, SurveyLink  # noqa: F401
