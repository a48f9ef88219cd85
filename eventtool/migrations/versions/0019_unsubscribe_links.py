"""one-click unsubscribe links (RFC 8058) for reminders and follow-up surveys

A reminder or survey mail carries List-Unsubscribe with a token of its own (only its hash is kept)
that can switch off that kind of mail and nothing else.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unsubscribe_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('survey_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('unsubscribe_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unsubscribe_link_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unsubscribe_link_survey_id'), ['survey_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('unsubscribe_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unsubscribe_link_survey_id'))
        batch_op.drop_index(batch_op.f('ix_unsubscribe_link_registration_id'))
    op.drop_table('unsubscribe_link')
