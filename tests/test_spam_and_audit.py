import pytest

from eventtool import audit, auth, registration
from eventtool.errors import DomainError
from eventtool.spam import SpamGuard

from .conftest import person


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_time_trap_and_rate_limit():
    clock = Clock()
    guard = SpamGuard(clock=clock, min_seconds=2, max_per_window=3, window=600)
    with pytest.raises(DomainError, match="spam.too_fast"):
        guard.check("1.2.3.4", form_shown_at=clock.now - 0.5)
    for _ in range(3):
        guard.check("1.2.3.4", form_shown_at=clock.now - 60)
    with pytest.raises(DomainError, match="spam.too_many"):
        guard.check("1.2.3.4", form_shown_at=clock.now - 60)
    guard.check("5.6.7.8", form_shown_at=None)  # another address is not affected
    clock.now += 601
    guard.check("1.2.3.4", form_shown_at=clock.now - 600)  # the window moved on
    # A slow person (a screen-reader user taking ten minutes) is never refused.
    guard.check("9.9.9.9", form_shown_at=clock.now - 3600)


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
