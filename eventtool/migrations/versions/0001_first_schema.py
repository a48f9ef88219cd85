"""first schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('employer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('organisation_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('offers', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('recruiters', sa.Integer(), nullable=False),
    sa.Column('sroi', sa.Boolean(), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_key')
    )
    op.create_table('event_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('rrule', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    op.create_table('jobseeker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('interests', sa.JSON(), nullable=False),
    sa.Column('seeking', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('pitch', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('support_needs', sa.JSON(), nullable=False),
    sa.Column('target_group', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('school', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('jobseeker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobseeker_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobseeker_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobseeker_region'), ['region'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_login_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_email'), ['email'], unique=True)

    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('text_version', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('given_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['jobseeker.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_jobseeker_id'), ['jobseeker_id'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('venue_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('accessibility_notes', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('registration_deadline', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('capacity_jobseekers', sa.Integer(), nullable=False),
    sa.Column('capacity_employers', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('original_start', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('is_exception', sa.Boolean(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('capacity_jobseekers >= 0 AND capacity_employers >= 0', name='ck_event_capacity'),
    sa.CheckConstraint('ends_at > starts_at', name='ck_event_ends_after_start'),
    sa.ForeignKeyConstraint(['series_id'], ['event_series.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_series_id'), ['series_id'], unique=False)
        batch_op.create_index('ix_event_starts_at', ['starts_at'], unique=False)

    op.create_table('programme_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name='ck_block_ends_after_start'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('programme_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_block_event_id'), ['event_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=True),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('picks', sa.JSON(), nullable=False),
    sa.Column('tables', sa.Integer(), nullable=False),
    sa.Column('cancel_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('queued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('cancelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('checked_in_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint('(jobseeker_id IS NULL) <> (employer_id IS NULL)', name='ck_registration_one_party'),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['jobseeker.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cancel_token_hash'),
    sa.UniqueConstraint('event_id', 'employer_id', name='uq_registration_event_employer'),
    sa.UniqueConstraint('event_id', 'jobseeker_id', name='uq_registration_event_jobseeker')
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index('ix_registration_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_jobseeker_id'), ['jobseeker_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_jobseeker_id'))
        batch_op.drop_index('ix_registration_event_status')
        batch_op.drop_index(batch_op.f('ix_registration_employer_id'))

    op.drop_table('registration')
    with op.batch_alter_table('programme_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_block_event_id'))

    op.drop_table('programme_block')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_starts_at')
        batch_op.drop_index(batch_op.f('ix_event_series_id'))

    op.drop_table('event')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_jobseeker_id'))

    op.drop_table('consent')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_email'))

    op.drop_table('user')
    with op.batch_alter_table('jobseeker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobseeker_region'))
        batch_op.drop_index(batch_op.f('ix_jobseeker_phone'))
        batch_op.drop_index(batch_op.f('ix_jobseeker_email'))

    op.drop_table('jobseeker')
    op.drop_table('event_series')
    op.drop_table('employer')
