"""Speedmeet planning: who meets whom in which round. The solver modules are pure code (no database,
no streamlit); the exchange format is ../shared/speedmeet-format.md. `speedmeet` is the store adapter
(settings, wishes, plans and the background planning job) and sits on top of them."""
from .instance import Employer, Instance, InstanceError, Jobseeker, Meeting, combine, parse_instance, rather_not, read_schedule, write_schedule
from .rules import objective, violations
from .solver import Plan, plan

__all__ = ["Employer", "Instance", "InstanceError", "Jobseeker", "Meeting", "Plan", "combine", "objective",
           "parse_instance", "plan", "rather_not", "read_schedule", "violations", "write_schedule"]
