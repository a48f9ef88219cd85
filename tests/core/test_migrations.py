"""A database made by the first schema upgrades to the newest one without losing data, and the
newest schema is exactly what the models describe."""
import sqlite3

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel, select

from eventtool.registration import registration
from eventtool.core.db import Database, alembic_config
from eventtool.events.models import Event
from eventtool.people.models import Jobseeker
from eventtool.registration.models import Registration

from ..conftest import person


def revisions(url):
    script = ScriptDirectory.from_config(alembic_config(url))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_there_is_a_first_schema_and_later_steps(tmp_path):
    revs = revisions(f"sqlite:///{tmp_path}/x.db")
    assert revs[0] == "0001" and len(revs) >= 2


def test_upgrade_from_first_schema_keeps_data(tmp_path):
    path = tmp_path / "old.db"
    db = Database(f"sqlite:///{path}")
    db.migrate("0001")
    # Data written as a deployment on the first schema would have it (plain SQL, no models).
    con = sqlite3.connect(path)
    con.executescript("""
        INSERT INTO event (id, kind, title, description, venue_name, address, city, accessibility_notes, starts_at,
                           ends_at, capacity_jobseekers, capacity_employers, status, is_exception, uid, sequence,
                           created_at, updated_at)
        VALUES (1, 'meet_greet', 'Oude Meet&Greet', '', '', '', '', '', '2030-01-01 13:00:00.000000',
                '2030-01-01 15:00:00.000000', 2, 2, 'published', 0, 'u1@x', 0, '2026-01-01 00:00:00.000000',
                '2026-01-01 00:00:00.000000');
        INSERT INTO jobseeker (id, name, email, interests, seeking, pitch, support_needs, created_at, updated_at)
        VALUES (1, 'Zoë 🙂', 'zoe@example.nl', '["care"]', '', '', '["wheelchair"]', '2026-01-01 00:00:00.000000',
                '2026-01-01 00:00:00.000000');
        INSERT INTO registration (id, event_id, jobseeker_id, status, source, picks, tables, cancel_token_hash,
                                  created_at, queued_at)
        VALUES (1, 1, 1, 'confirmed', 'form', '[]', 1, 'h1', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000');
    """)
    con.commit()
    con.close()

    db.migrate("head")

    def check(session):
        js = session.exec(select(Jobseeker)).one()
        assert (js.name, js.support_needs, js.interests) == ("Zoë 🙂", ["wheelchair"], ["care"])
        assert session.exec(select(Event)).one().starts_at.year == 2030
        assert session.exec(select(Registration)).one().status == "confirmed"
    db.read(check)
    # The upgraded database works with today's code.
    assert db.write(registration.register_jobseeker, 1, person(2)).registration.status == "confirmed"
    assert db.write(registration.register_jobseeker, 1, person(3)).registration.status == "waitlisted"


def test_schema_matches_models_and_downgrades(db):
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(db.url, conn), "base")
    with db.engine.connect() as conn:
        tables = conn.execute(text("SELECT count(*) FROM alembic_version")).scalar()
    assert tables == 0
    db.migrate()
