"""speedmeets: employers' wishes ("graag spreken" / "liever niet") per jobseeker

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('employer_wish',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('wish', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['jobseeker.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'employer_id', 'jobseeker_id', name='uq_employer_wish')
    )
    with op.batch_alter_table('employer_wish', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_wish_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_wish_jobseeker_id'), ['jobseeker_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('employer_wish', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_wish_jobseeker_id'))
        batch_op.drop_index(batch_op.f('ix_employer_wish_event_id'))
    op.drop_table('employer_wish')
