import pytest

from eventtool.people import accounts as auth
from eventtool.core.errors import DomainError
from eventtool.people.models import User


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
    from eventtool.core import audit
    from eventtool.core.timeutil import utcnow
    db.write(auth.create_user, "org@example.nl", "O", "organiser", "correct horse battery")
    now = utcnow()
    for n in range(auth.FREE_TRIES):
        refused = db.write(auth.attempt_login, "org@example.nl", f"wrong {n}", "10.0.0.1", now + timedelta(seconds=n))
        assert isinstance(refused, auth.LoginRefused) and refused.code == "auth.invalid"
    # Now even the right password must wait, from this address and where the address is unknown.
    later = now + timedelta(seconds=auth.FREE_TRIES)
    for address in ("10.0.0.1", None):
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


def test_failures_elsewhere_do_not_lock_the_owner_out(db):
    """Anyone can fail five times on the organiser's address; the organiser, at an address that did not
    fail, still gets in with the right password, while the guesser's addresses keep waiting."""
    from datetime import timedelta
    from eventtool.core.timeutil import utcnow
    db.write(auth.create_user, "org@example.nl", "O", "organiser", "correct horse battery")
    now = utcnow()
    for n in range(auth.FREE_TRIES + 2):
        db.write(auth.attempt_login, "org@example.nl", f"wrong {n}", "203.0.113.9", now)
    # The guesser's second address failed once on this account: the account's backoff holds for it.
    assert db.write(auth.attempt_login, "org@example.nl", "guess", "198.51.100.4", now).code == "auth.invalid"
    for address, password in [("203.0.113.9", "correct horse battery"), ("198.51.100.4", "correct horse battery"),
                              ("198.51.100.4", "another guess")]:
        assert db.write(auth.attempt_login, "org@example.nl", password, address, now).code == "auth.throttled"
    user = db.write(auth.attempt_login, "org@example.nl", "correct horse battery", "192.0.2.50", now)
    assert isinstance(user, auth.User) and user.email == "org@example.nl"
    # The owner's success changes nothing for the guesser.
    later = now + timedelta(seconds=1)
    assert db.write(auth.attempt_login, "org@example.nl", "correct horse battery", "203.0.113.9",
                    later).code == "auth.throttled"


def test_a_guess_spread_over_many_addresses_is_slowed_for_everyone(db):
    """Every clean address gets one try, so past a budget per account every try on it waits
    SLOW_SPACING after the last failure: slowed (the owner gets in after that), never locked."""
    from datetime import timedelta
    from eventtool.core.timeutil import utcnow
    db.write(auth.create_user, "org@example.nl", "O", "organiser", "correct horse battery")
    now = utcnow()
    for n in range(auth.ACCOUNT_BUDGET - 1):
        assert db.write(auth.attempt_login, "org@example.nl", f"guess {n}", f"10.1.{n}.1", now).code == "auth.invalid"
    assert db.write(auth.attempt_login, "org@example.nl", "last free guess", "10.2.0.1", now).code == "auth.invalid"
    refused = db.write(auth.attempt_login, "org@example.nl", "correct horse battery", "192.0.2.50", now)
    assert refused.code == "auth.throttled" and refused.params["seconds"] == auth.SLOW_SPACING.total_seconds()
    assert db.write(auth.attempt_login, "org@example.nl", "next guess", "10.3.0.1",
                    now + auth.SLOW_SPACING - timedelta(seconds=1)).code == "auth.throttled"
    # One guess per spacing at most: the next one waits again.
    after = now + auth.SLOW_SPACING
    assert db.write(auth.attempt_login, "org@example.nl", "next guess", "10.3.0.1", after).code == "auth.invalid"
    assert db.write(auth.attempt_login, "org@example.nl", "correct horse battery", "192.0.2.50",
                    after).code == "auth.throttled"
    user = db.write(auth.attempt_login, "org@example.nl", "correct horse battery", "192.0.2.50",
                    after + auth.SLOW_SPACING)
    assert isinstance(user, auth.User)


def test_one_ipv6_connection_counts_as_one_address(db):
    """An IPv6 connection usually has a whole /64: its addresses share one backoff."""
    from eventtool.core.timeutil import utcnow
    now = utcnow()
    for n in range(auth.FREE_TRIES):
        db.write(auth.attempt_login, f"guess{n}@example.nl", "x", f"2001:db8:1:2::{n + 1:x}", now)
    assert db.write(auth.attempt_login, "other@example.nl", "x", "2001:db8:1:2:ffff::9", now).code == "auth.throttled"
    assert db.write(auth.attempt_login, "other@example.nl", "x", "2001:db8:1:3::1", now).code == "auth.invalid"


@pytest.mark.parametrize("password", [
    " " * 12, "\u200b" * 12, "\u3000\u00a0\u200b\u2060\ufeff\u00ad" * 3, "\u3164" * 12, "\u2800" * 12, "\t\n" * 6,
])
def test_a_blank_password_is_refused(db, password):
    with pytest.raises(DomainError) as exc:
        db.write(auth.create_user, "x@example.nl", "X", "organiser", password)
    assert exc.value.code == "auth.password_blank" and exc.value.field == "password"


@pytest.mark.parametrize("password,code", [
    ("   kort   \u200b\u200b", "auth.password_too_short"),  # padding does not count
    ("aaaaaaaaaaaa", "auth.password_weak"),
    ("password1234", "auth.password_weak"),
    ("qwertyuiop12", "auth.password_weak"),
    ("123456789012", "auth.password_weak"),
    ("wachtwoord123", "auth.password_weak"),
    ("Welkomwelkom!", "auth.password_weak"),
    ("Zomer2025zomer", "auth.password_weak"),
    ("Welkom2024!!", "auth.password_weak"),
    ("xander@example.nl", "auth.password_weak"),  # the account's own e-mail address
    ("Xander Jansen 1", "auth.password_weak"),  # and its name
])
def test_a_guessable_password_is_refused(db, password, code):
    with pytest.raises(DomainError) as exc:
        db.write(auth.create_user, "xander@example.nl", "Xander Jansen", "organiser", password)
    assert exc.value.code == code
    assert not db.read(auth.has_users)


def test_a_password_of_several_words_is_taken_as_typed(db):
    user = db.write(auth.create_user, "x@example.nl", "X", "organiser", " Fietsbel groen als gras ")
    assert isinstance(db.write(auth.authenticate, "x@example.nl", " Fietsbel groen als gras "), User)
    with pytest.raises(DomainError):  # the check trims, the hash does not: what was typed is the password
        db.write(auth.authenticate, "x@example.nl", "Fietsbel groen als gras")
    assert user.password_hash.startswith("$argon2id$")


def test_every_way_to_set_a_password_refuses_a_weak_one(db):
    from eventtool.registration import coaches
    user = db.write(auth.create_user, "x@example.nl", "X", "organiser", "correct horse battery")
    for weak in ("\u200b" * 12, "aaaaaaaaaaaa"):
        with pytest.raises(DomainError):
            db.write(lambda s: auth.set_password(s, s.get(User, user.id), weak))
    invitation = db.write(coaches.invite, "carla@jobcoach.nl", "Carla Coach", "Jobcoach Oss", "x@example.nl")
    token = db.write(coaches.mint_invitation, invitation.id)
    for weak, code in [(" " * 12, "auth.password_blank"), ("abcdefghijkl", "auth.password_weak")]:
        with pytest.raises(DomainError) as exc:
            db.write(coaches.accept_invitation, token, weak, weak)
        assert exc.value.code == code
    assert db.read(lambda s: s.get(User, invitation.user_id)).active is False
    assert db.write(auth.authenticate, "x@example.nl", "correct horse battery").id == user.id


def test_the_messages_say_why_and_what_works():
    from eventtool.core.i18n import translate
    weak = translate("auth.password_weak", "nl", min=auth.MIN_PASSWORD)
    assert "makkelijk te raden" in weak and "zin van vier of meer woorden" in weak
    assert "spaties" in translate("auth.password_blank", "nl", min=auth.MIN_PASSWORD)
    assert "easy to guess" in translate("auth.password_weak", "en", min=auth.MIN_PASSWORD)


def test_create_user_on_the_command_line_refuses_a_weak_password(tmp_path, monkeypatch, capsys):
    from eventtool.__main__ import main
    from eventtool.core.db import Database
    path = tmp_path / "cli.db"
    monkeypatch.setenv("EVENTTOOL_DATABASE_URL", str(path))
    monkeypatch.setenv("EVENTTOOL_NEW_PASSWORD", "\u200b" * 12)
    assert main(["create-user", "boss@example.nl", "Boss", "organiser"]) == 2
    monkeypatch.setenv("EVENTTOOL_NEW_PASSWORD", "boss@example.nl")
    assert main(["create-user", "boss@example.nl", "Boss", "organiser"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "cannot see" in err[0] and "too easy to guess" in err[1]
    monkeypatch.setenv("EVENTTOOL_NEW_PASSWORD", "vier losse woorden samen")
    assert main(["create-user", "boss@example.nl", "Boss", "organiser"]) == 0
    db = Database(f"sqlite:///{path}")
    try:
        assert [u.email for u in db.read(auth.list_users)] == ["boss@example.nl"]
    finally:
        db.dispose()


def test_one_address_trying_many_accounts_is_slowed_too(db):
    from eventtool.core.timeutil import utcnow
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
