"""stands at a job fair, and where the quiet room, toilets and lift are

An employer's registration gets its stand ("12", "A3"), one per stand at an event (a unique
constraint; NULLs, no stand yet, repeat freely); the event gets three short texts for the floor
list: where the quiet room (stilteruimte), the toilets and the lift are.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stand', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.create_unique_constraint('uq_registration_event_stand', ['event_id', 'stand'])
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_room', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('toilets', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('lift', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('lift')
        batch_op.drop_column('toilets')
        batch_op.drop_column('quiet_room')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint('uq_registration_event_stand', type_='unique')
        batch_op.drop_column('stand')
