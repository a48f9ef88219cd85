"""linked seats: a jobcoach or interpreter who comes along with a registration, and whether the
event counts them against its places

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('companions_count', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('companion', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('companion_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('companion_name')
        batch_op.drop_column('companion')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('companions_count')

