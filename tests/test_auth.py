import pytest

from eventtool import auth
from eventtool.errors import DomainError
from eventtool.models import User


def test_passwords_are_hashed_with_argon2id(db):
    user = db.write(auth.create_user, "Org@Example.nl", "Org", "organiser", "correct horse battery")
    assert user.email == "org@example.nl"
    assert user.password_hash.startswith("$argon2id$") and "correct horse" not in user.password_hash


def test_login(db):
    db.write(auth.create_user, "org@example.nl", "Org", "organiser", "correct horse battery")
    assert db.write(auth.authenticate, " ORG@example.nl", "correct horse battery").role == "organiser"
    for email, pw in [("org@example.nl", "wrong password!"), ("nobody@example.nl", "correct horse battery"), ("", "")]:
        with pytest.raises(DomainError, match="auth.invalid"):
            db.write(auth.authenticate, email, pw)


def test_inactive_users_cannot_log_in(db):
    user = db.write(auth.create_user, "c@example.nl", "C", "coordinator", "correct horse battery")
    db.write(lambda s: setattr(s.get(User, user.id), "active", False))
    with pytest.raises(DomainError, match="auth.invalid"):
        db.write(auth.authenticate, "c@example.nl", "correct horse battery")


@pytest.mark.parametrize("email,name,role,pw,code", [
    ("x@example.nl", "X", "organiser", "short", "auth.password_too_short"),
    ("not-email", "X", "organiser", "long enough password", "field.email_invalid"),
    ("x@example.nl", " ", "organiser", "long enough password", "field.required"),
])
def test_account_rules(db, email, name, role, pw, code):
    with pytest.raises(DomainError) as exc:
        db.write(auth.create_user, email, name, role, pw)
    assert exc.value.code == code


def test_duplicate_account(db):
    db.write(auth.create_user, "x@example.nl", "X", "organiser", "long enough password")
    with pytest.raises(DomainError, match="auth.user_exists"):
        db.write(auth.create_user, "X@example.nl", "X2", "coordinator", "long enough password")


def test_login_backs_off_after_failures_per_account_and_address(db):
    from datetime import timedelta
    from eventtool import audit
    from eventtool.timeutil import utcnow
    db.write(auth.create_user, "org@example.nl", "O", "organiser", "correct horse battery")
    now = utcnow()
    for n in range(auth.FREE_TRIES):
        refused = db.write(auth.attempt_login, "org@example.nl", f"wrong {n}", "10.0.0.1", now + timedelta(seconds=n))
        assert isinstance(refused, auth.LoginRefused) and refused.code == "auth.invalid"
    # Now even the right password must wait, from this address and from any other one.
    later = now + timedelta(seconds=auth.FREE_TRIES)
    for address in ("10.0.0.1", "10.9.9.9", None):
        refused = db.write(auth.attempt_login, "org@example.nl", "correct horse battery", address, later)
        assert isinstance(refused, auth.LoginRefused) and refused.code == "auth.throttled"
        assert 0 < refused.params["seconds"] <= 30
    # One more failure doubles the wait; after it has passed, the right password works.
    db.write(auth.attempt_login, "org@example.nl", "wrong again", "10.0.0.1", later + timedelta(seconds=31))
    assert db.write(auth.attempt_login, "org@example.nl", "correct horse battery", None,
                    later + timedelta(seconds=45)).code == "auth.throttled"
    user = db.write(auth.attempt_login, "org@example.nl", "correct horse battery", None, later + timedelta(seconds=95))
    assert isinstance(user, auth.User)
    actions = [e.action for e in db.read(audit.entries)]
    assert actions.count("auth.login_failed") == auth.FREE_TRIES + 1 and "auth.login_throttled" in actions


def test_one_address_trying_many_accounts_is_slowed_too(db):
    from eventtool.timeutil import utcnow
    now = utcnow()
    for n in range(auth.FREE_TRIES):
        db.write(auth.attempt_login, f"guess{n}@example.nl", "x", "10.0.0.7", now)
    assert db.write(auth.attempt_login, "other@example.nl", "x", "10.0.0.7", now).code == "auth.throttled"
    assert db.write(auth.attempt_login, "other@example.nl", "x", "10.0.0.8", now).code == "auth.invalid"


def test_a_deactivated_account_is_no_longer_active(db):
    boss = db.write(auth.create_user, "boss@example.nl", "B", "organiser", "correct horse battery")
    coord = db.write(auth.create_user, "c@example.nl", "C", "coordinator", "correct horse battery")
    assert db.read(auth.is_active, coord.id)
    db.write(auth.set_active, coord.id, False, boss.id)
    assert not db.read(auth.is_active, coord.id)
