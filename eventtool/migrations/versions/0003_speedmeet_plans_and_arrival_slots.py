"""speedmeet plans and arrival slots

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('arrival_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('arrival_slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrival_slot_event_id'), ['event_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('table_no', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['jobseeker.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'jobseeker_id', 'employer_id', name='uq_meeting_pair'),
    sa.UniqueConstraint('event_id', 'jobseeker_id', 'round', name='uq_meeting_jobseeker_round')
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index('ix_meeting_event_round', ['event_id', 'round'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_jobseeker_id'), ['jobseeker_id'], unique=False)

    op.create_table('speedmeet_settings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('rounds', sa.Integer(), nullable=False),
    sa.Column('round_minutes', sa.Integer(), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.Column('first_round_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('max_meetings', sa.Integer(), nullable=False),
    sa.Column('coverage_bonus', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('planned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('upper_bound', sa.Integer(), nullable=True),
    sa.Column('optimal', sa.Boolean(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('available_rounds', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('wide_tables', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('arrival_slot_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_registration_arrival_slot', 'arrival_slot', ['arrival_slot_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint('fk_registration_arrival_slot', type_='foreignkey')
        batch_op.drop_column('arrival_slot_id')
        batch_op.drop_column('wide_tables')
        batch_op.drop_column('available_rounds')

    op.drop_table('speedmeet_settings')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_jobseeker_id'))
        batch_op.drop_index('ix_meeting_event_round')
        batch_op.drop_index(batch_op.f('ix_meeting_employer_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('arrival_slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrival_slot_event_id'))

    op.drop_table('arrival_slot')
