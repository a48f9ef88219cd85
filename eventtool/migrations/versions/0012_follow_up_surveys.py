"""follow-up surveys and their links; outcomes keep hours per week, the survey they answer and
whether staff set them aside

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('wave', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('respondent', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=True),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('lang', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('reminded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('declined_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['jobseeker.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_jobseeker_id'), ['jobseeker_id'], unique=False)

    op.create_table('survey_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('survey_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_link_survey_id'), ['survey_id'], unique=False)

    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours_per_week', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('survey_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rejected_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('rejected_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_outcome_survey_id'), ['survey_id'], unique=False)
        batch_op.create_foreign_key('fk_outcome_survey_id_survey', 'survey', ['survey_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_message_survey_id'), ['survey_id'], unique=False)
        batch_op.create_foreign_key('fk_message_survey_id_survey', 'survey', ['survey_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint('fk_message_survey_id_survey', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_message_survey_id'))
        batch_op.drop_column('survey_id')
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_constraint('fk_outcome_survey_id_survey', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outcome_survey_id'))
        batch_op.drop_column('rejected_by')
        batch_op.drop_column('rejected_at')
        batch_op.drop_column('survey_id')
        batch_op.drop_column('hours_per_week')
    with op.batch_alter_table('survey_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_link_survey_id'))
    op.drop_table('survey_link')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_jobseeker_id'))
        batch_op.drop_index(batch_op.f('ix_survey_event_id'))
        batch_op.drop_index(batch_op.f('ix_survey_employer_id'))
    op.drop_table('survey')
