"""speedmeet fairness: everyone at least this many conversations where possible (None: off)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('speedmeet_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_meetings', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('speedmeet_settings', schema=None) as batch_op:
        batch_op.drop_column('min_meetings')

