"""personal door codes (QR) for check-in at the door

Each registration gets a door code derived from the server's secret key and a random nonce
(registration.door); the store keeps only the code's hash, unique, to find the registration by when
it is scanned, and the nonce. Registrations made before are given theirs at start-up (door.fill_missing):
a migration does not hold the key.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('door_code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('door_nonce', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.create_unique_constraint('uq_registration_door_code_hash', ['door_code_hash'])


def downgrade() -> None:
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint('uq_registration_door_code_hash', type_='unique')
        batch_op.drop_column('door_nonce')
        batch_op.drop_column('door_code_hash')
