import pytest

from eventtool import audit, auth, registration
from eventtool.errors import DomainError
from datetime import timedelta

from eventtool import spam
from eventtool.db import Database
from eventtool.timeutil import utcnow

from .conftest import person


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


def test_a_page_names_each_change_by_the_module_it_lives_in():
    """ui.run logs a staff change as `<module>.<function>` from where the function lives. A function
    moved to another module and still reached by its old name (a re-export, like events.get_event
    from event_reads) would be logged under a new action: a page may call such a name or read with
    it, never hand it on as a change."""
    import ast
    import importlib
    import inspect
    import pkgutil
    from pathlib import Path

    import eventtool

    root = Path(__file__).resolve().parent.parent
    modules = {m.name for m in pkgutil.walk_packages(eventtool.__path__, "eventtool.")}
    renamed = []
    for path in sorted((root / "views").glob("*.py")) + sorted((root / "ui").glob("*.py")) + [root / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("eventtool"):
                for a in node.names:
                    if f"{node.module}.{a.name}" in modules:
                        aliases[a.asname or a.name] = importlib.import_module(f"{node.module}.{a.name}")
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        # Called on the spot, or given to db.read: never logged. Any other function value may reach ui.run.
        not_logged = {id(c.func) for c in calls} | {id(c.args[0]) for c in calls if c.args
                                                     and isinstance(c.func, ast.Attribute) and c.func.attr == "read"}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and id(node) not in not_logged):
                module = aliases[node.value.id]
                fn = getattr(module, node.attr, None)
                if inspect.isfunction(fn) and fn.__module__ != module.__name__:
                    renamed.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr} lives in {fn.__module__}")
    assert renamed == [], renamed
