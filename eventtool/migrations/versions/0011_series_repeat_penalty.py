"""speedmeet settings: what a pair that met earlier in the series is worth again

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('speedmeet_settings') as batch_op:
        batch_op.add_column(sa.Column('repeat_penalty', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('speedmeet_settings') as batch_op:
        batch_op.drop_column('repeat_penalty')
