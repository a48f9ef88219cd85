"""further registration codes, profile proposals from public forms, refused sign-up attempts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('registration_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('registration_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_code_registration_id'), ['registration_id'], unique=False)
    op.create_table('profile_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=True),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('consent_special', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['jobseeker.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('profile_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_proposal_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_profile_proposal_jobseeker_id'), ['jobseeker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_profile_proposal_employer_id'), ['employer_id'], unique=False)
    op.create_table('signup_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signup_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signup_attempt_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_signup_attempt_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signup_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signup_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_signup_attempt_key'))
    op.drop_table('signup_attempt')
    with op.batch_alter_table('profile_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_proposal_employer_id'))
        batch_op.drop_index(batch_op.f('ix_profile_proposal_jobseeker_id'))
        batch_op.drop_index(batch_op.f('ix_profile_proposal_registration_id'))
    op.drop_table('profile_proposal')
    with op.batch_alter_table('registration_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_code_registration_id'))
    op.drop_table('registration_code')
