"""coaches: caseloads, invitations, consent given via a coach

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('coach_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('how', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['jobseeker.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('coach_id', 'jobseeker_id', name='uq_coach_client')
    )
    with op.batch_alter_table('coach_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coach_client_coach_id'), ['coach_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coach_client_jobseeker_id'), ['jobseeker_id'], unique=False)

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('accepted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('given_via', sqlmodel.sql.sqltypes.AutoString(length=260), nullable=True))

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_message_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_foreign_key('fk_message_invitation_id_invitation', 'invitation', ['invitation_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('organisation')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint('fk_message_invitation_id_invitation', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_message_invitation_id'))
        batch_op.drop_column('invitation_id')

    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_column('given_via')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_user_id'))

    op.drop_table('invitation')
    with op.batch_alter_table('coach_client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coach_client_jobseeker_id'))
        batch_op.drop_index(batch_op.f('ix_coach_client_coach_id'))

    op.drop_table('coach_client')
