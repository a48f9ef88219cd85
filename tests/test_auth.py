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
