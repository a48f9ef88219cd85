import pytest

from eventtool.core import audit
from eventtool.people import accounts as auth
from eventtool.registration import registration
from eventtool.core.errors import DomainError
from datetime import timedelta

from eventtool.registration import spam
from eventtool.core.db import Database
from eventtool.core.timeutil import utcnow

from ..conftest import person


def test_refusals_not_sign_ups_are_limited_per_address(db):
    now = utcnow()
    ok = dict(seconds_on_form=60, honeypot="", now=now)
    # A jobcoach (or a library) signing up many people from one address is never stopped for it.
    assert all(db.write(spam.check, "10.0.0.1", **ok) is None for _ in range(50))
    assert db.write(spam.check, "10.0.0.1", seconds_on_form=0.5, honeypot="", now=now) == ("spam.too_fast", {})
    assert db.write(spam.check, "10.0.0.1", seconds_on_form=60, honeypot="http://x", now=now) == ("spam.refused", {})
    for _ in range(spam.MAX_REFUSALS - 2):
        db.write(spam.record_refusal, "10.0.0.1", now)
    assert db.write(spam.check, "10.0.0.1", **ok) == ("spam.too_many", {"minutes": 10})
    assert db.write(spam.check, "10.0.0.2", **ok) is None  # another address is not affected
    later = dict(ok, now=now + spam.WINDOW + timedelta(seconds=1))
    assert db.write(spam.check, "10.0.0.1", **later) is None  # the window moved on
    # A slow person (a screen-reader user taking an hour) is never refused.
    assert db.write(spam.check, "10.0.0.3", seconds_on_form=3600, honeypot=None, now=now) is None


def test_the_count_is_in_the_database_so_no_client_can_reset_it(db, tmp_path):
    for _ in range(spam.MAX_REFUSALS):
        db.write(spam.record_refusal, "10.0.0.9")
    other = Database(db.url)  # another app process, or the same one after Streamlit's caches were cleared
    try:
        assert other.write(spam.check, "10.0.0.9", seconds_on_form=60, honeypot="")[0] == "spam.too_many"
    finally:
        other.dispose()


def test_the_address_behind_a_proxy_is_the_one_the_proxy_wrote():
    assert spam.client_address(None, "127.0.0.1") == "127.0.0.1"
    assert spam.client_address("203.0.113.7", "127.0.0.1") == "203.0.113.7"
    # A client that sends its own X-Forwarded-For cannot pick the address it is counted under.
    assert spam.client_address("1.1.1.1, 2.2.2.2, 203.0.113.7", "127.0.0.1") == "203.0.113.7"
    assert spam.client_address(" ", "127.0.0.1") == "127.0.0.1"


def test_audited_change_commits_with_its_log_entry(db, create_event):
    ev = create_event()
    run = audit.audited("org@example.nl", "registration.register_jobseeker")
    db.write(run, registration.register_jobseeker, ev.id, person())
    (entry,) = db.read(audit.entries)
    assert (entry.actor, entry.action, entry.subject) == ("org@example.nl", "registration.register_jobseeker", str(ev.id))
    failing = audit.audited("org@example.nl", "registration.register_jobseeker")
    with pytest.raises(DomainError):
        db.write(failing, registration.register_jobseeker, ev.id, person(email=None, phone=None))
    assert len(db.read(audit.entries)) == 1  # a refused change leaves no entry


def test_bootstrap_first_organiser_and_account_rules(db):
    assert db.write(auth.bootstrap, None, None) is None
    first = db.write(auth.bootstrap, "boss@example.nl", "a secret password")
    assert first.role == "organiser"
    assert db.write(auth.bootstrap, "other@example.nl", "a secret password") is None  # only when none exist
    with pytest.raises(DomainError, match="auth.cannot_deactivate_self"):
        db.write(auth.set_active, first.id, False, first.id)
    coord = db.write(auth.create_user, "c@example.nl", "C", "coordinator", "a long password!")
    with pytest.raises(DomainError, match="auth.last_organiser"):
        db.write(auth.set_active, first.id, False, coord.id)
    assert db.write(auth.set_active, coord.id, False, first.id).active is False


# Every change a page runs through ui.run, by the audit name its verb carries (@audit.action). The names
# were derived from the module path until 2026-12 and are kept exactly as they were then, so the log
# reads on; a verb that moves keeps its name. A new verb is added here, under a name of its own.
AUDITED_CHANGES = {
    "auth.attempt_login", "auth.create_user", "auth.set_active",
    "bulk_import.commit", "bulk_import.undo_last",
    "cards.approve", "cards.correct", "cards.reject",
    "checkin.check_in", "checkin.check_in_many", "checkin.mark_no_shows", "checkin.scan", "checkin.undo_check_in",
    "coaches.accept_invitation", "coaches.cancel_for_client", "coaches.end_caseload", "coaches.invite",
    "coaches.sign_up_client",
    "dayplan.add_arrival_slot", "dayplan.assign_arrival_slots", "dayplan.remove_arrival_slot",
    "durability.record_check",
    "employer_accounts.invite", "employer_accounts.request_link", "employer_accounts.sign_in_with_link",
    "employer_portal.cancel", "employer_portal.set_people", "employer_portal.sign_up",
    "events.add_block", "events.create_event", "events.create_series", "events.delete_event",
    "events.remove_block", "events.set_status", "events.update_event", "events.update_following",
    "identity.accept_proposal", "identity.reject_proposal",
    "mine.cancel", "mine.confirm_coach", "mine.confirm_proposal", "mine.set_reminders", "mine.update_contact",
    "mine.update_support", "mine.save_card", "mine.withdraw_card",
    "outbox.resend",
    "outcomes.import_outcomes", "outcomes.record_many",
    "privacy.erase_person", "privacy.purge_expired", "privacy.withdraw_special_consent",
    "records.merge",
    "registration.add_by_phone", "registration.add_walk_in", "registration.cancel_by_code",
    "registration.move_registration", "registration.register_employer", "registration.register_jobseeker",
    "registration.remove_companion", "registration.set_status",
    "registration.assign_stands", "registration.broadcast", "registration.renew_door_code", "registration.set_stand",
    "vacancies.add", "vacancies.change", "vacancies.remove", "vacancies.update_organisation",
    "speedmeet.move_meeting", "speedmeet.publish", "speedmeet.remove_meeting", "speedmeet.save_settings",
    "speedmeet.set_availabilities", "speedmeet.set_locked", "speedmeet.set_wishes", "speedmeet.swap_meetings",
    "surveys.answer", "surveys.decline", "surveys.settle",
    "portal.after_talk", "portal.set_wish", "coaches.fill_card",
}

# Domain functions that pages and ui/ hand on as a value without ui.run running them as a change.
NOT_RUN_AS_CHANGES = {
    "eventtool.planning.speedmeet.start_planning": "ui.attempt: the planner stores its plan itself, logged as speedmeet.run_planner",
    "eventtool.planning.speedmeet.stop_planning": "a button's on_click: stops the planner's child process, no record changes",
    "eventtool.results.charts.*_figure": "figures drawn on the dashboard",
    "eventtool.people.accounts.bootstrap": "start-up: the first organiser account, before anyone is logged in",
    "eventtool.fixtures.seed_new_demo": "start-up: the demo data",
    "eventtool.registration.door.fill_missing": "start-up: door codes for registrations from before they existed",
    "eventtool.registration.spam.check": "the public forms' anti-bot check, for a visitor",
    "eventtool.registration.spam.record_refusal": "the public forms' anti-bot count, for a visitor",
    "eventtool.core.audit.record": "the audit log itself (log_access, download)",
    "eventtool.results.portal.coming": "an employer's look at the shared cards: kept per card in card_view (once an hour), not per rerun",
}


def _handed_on():
    """(where, function, how) for each domain function that views/, ui/, app.py or the app's start-up
    (eventtool/startup.py) uses as a value rather than calling it on the spot: `how` is "read" when it
    is ui.run(..., write=False)'s or ui.opened_by_link's reader, or given to db.read; else "other"
    (ui.run's change, directly or by way of a helper such as checkin's tap, or a value for something else)."""
    import ast
    import importlib
    import inspect
    import pkgutil
    from pathlib import Path

    import eventtool

    root = Path(__file__).resolve().parents[2]
    modules = {"eventtool"} | {m.name for m in pkgutil.walk_packages(eventtool.__path__, "eventtool.")}
    paths = sorted((root / "views").glob("*.py")) + sorted((root / "ui").glob("*.py")) + [root / "app.py"]
    for path in paths + [root / "eventtool" / "startup.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = path.parent.relative_to(root).parts  # where a relative import (in eventtool/) starts
        names = {}  # a local name -> the eventtool module or function it was imported as
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:  # from . import auth: from the file's own package
                    module = ".".join(package[:len(package) - node.level + 1] + ((module,) if module else ()))
                if not module.startswith("eventtool"):
                    continue
                for a in node.names:
                    qualified = f"{module}.{a.name}"
                    names[a.asname or a.name] = (importlib.import_module(qualified) if qualified in modules
                                                 else getattr(importlib.import_module(module), a.name, None))
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "eventtool":
                        names[a.asname or "eventtool"] = importlib.import_module(a.asname and a.name or "eventtool")

        def resolve(node):
            if isinstance(node, ast.Name):
                return names.get(node.id)
            if isinstance(node, ast.Attribute):
                base = resolve(node.value)
                return getattr(base, node.attr, None) if inspect.ismodule(base) else None
            return None

        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        called = {id(c.func) for c in calls}
        how = {}
        for c in calls:
            callee = c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", None)
            if callee == "read" and c.args:
                how[id(c.args[0])] = "read"
            elif callee == "opened_by_link" and c.args:
                how[id(c.args[0])] = "read"
            elif callee == "run" and len(c.args) > 1 and any(
                    k.arg == "write" and isinstance(k.value, ast.Constant) and k.value.value is False for k in c.keywords):
                how[id(c.args[1])] = "read"
        inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Name, ast.Attribute)) and id(node) not in inner | called:
                fn = resolve(node)
                if inspect.isfunction(fn) and fn.__module__.startswith("eventtool"):
                    yield f"{path.name}:{node.lineno}", fn, how.get(id(node), "other")


def test_every_change_a_page_runs_carries_its_own_audit_name():
    """ui.run logs a staff change under the name its verb was given with @audit.action, never one
    derived from the module it lives in: moving a verb, or reaching it by a re-export (like
    events.get_event from events.reads), keeps its log entries under one name. Every domain function
    a page hands on that is not a read must have its name, or be known not to be run as a change."""
    from fnmatch import fnmatch

    named, unnamed = {}, []
    for where, fn, how in _handed_on():
        qualified = f"{fn.__module__}.{fn.__qualname__}"
        if hasattr(fn, "audit_action"):
            named.setdefault(audit.action_of(fn), set()).add(qualified)
        elif how != "read" and not any(fnmatch(qualified, pattern) for pattern in NOT_RUN_AS_CHANGES):
            unnamed.append(f"{where}: {qualified}")
    assert unnamed == [], unnamed
    assert {name: sorted(fns) for name, fns in named.items() if len(fns) > 1} == {}, "one name, two verbs"
    assert set(named) == AUDITED_CHANGES


def test_audit_names_are_unique_and_of_the_form_capability_verb():
    import importlib
    import inspect
    import pkgutil
    import re

    import eventtool

    verbs = {}
    for info in pkgutil.walk_packages(eventtool.__path__, "eventtool."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        for _, fn in inspect.getmembers(importlib.import_module(info.name), inspect.isfunction):
            if hasattr(fn, "audit_action"):
                verbs.setdefault(fn.audit_action, set()).add(f"{fn.__module__}.{fn.__qualname__}")
    assert {name: sorted(fns) for name, fns in verbs.items() if len(fns) > 1} == {}
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+", name) for name in verbs)
    assert set(verbs) == AUDITED_CHANGES  # a named verb no page runs would be a name nobody logs


def test_a_verb_keeps_its_name_wherever_it_is_reached_from():
    import functools
    import inspect
    import types

    def cancel_everything(session, event_id: int, *, why: str = "") -> str:
        return f"{event_id} {why}"

    named = audit.action("registration.cancel_everything")(cancel_everything)
    assert named is cancel_everything  # the same function: behaviour and signature unchanged
    assert named(None, 3, why="x") == "3 x" and str(inspect.signature(named)) == "(session, event_id: int, *, why: str = '') -> str"
    # Moved to another module (its source with its decorator), reached by a re-export, or wrapped.
    cancel_everything.__module__ = "eventtool.registration.cancellation"
    elsewhere = types.SimpleNamespace(cancel_everything=cancel_everything)
    wrapped = functools.wraps(cancel_everything)(lambda *a, **k: cancel_everything(*a, **k))
    for reached in (cancel_everything, elsewhere.cancel_everything, wrapped):
        assert audit.action_of(reached) == "registration.cancel_everything"
    assert audit.action_of(registration.cancel_by_code) == "registration.cancel_by_code"


def test_a_change_without_a_name_is_refused_before_it_runs():
    import ui

    ran = []

    def unnamed(session):
        ran.append(session)

    with pytest.raises(TypeError, match="no audit action name"):
        audit.action_of(unnamed)
    with pytest.raises(TypeError, match="no audit action name"):
        ui.run("some_form", unnamed)
    assert ran == []
    for bad in ("cancel", "Registration.cancel", "registration.", "registration.cancel-all", "x." + "y" * 60):
        with pytest.raises(ValueError):
            audit.action(bad)
