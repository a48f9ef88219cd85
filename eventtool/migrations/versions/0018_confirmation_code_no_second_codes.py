"""the personal code travels in the confirmation mail; a second sign-up no longer gets a code;
each registration's calendar entry has a SEQUENCE of its own

A second sign-up from a public or coach form for someone already registered used to get a code of
its own that worked for the existing registration (`registration_code`): whoever typed another
person's e-mail address could cancel their place. Those codes are revoked with the table; the
people themselves keep their own code and personal link. `message.code` holds the code shown at
sign-up until the confirmation carrying it is sent (the store otherwise keeps only its hash).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), nullable=False, server_default='0'))
    # A cancellation was sent one SEQUENCE above the event's: a place again must come above that.
    op.execute("UPDATE registration SET calendar_sequence = 1 WHERE status = 'cancelled'")
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
    with op.batch_alter_table('registration_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_code_registration_id'))
    op.drop_table('registration_code')


def downgrade() -> None:
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
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('code')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('calendar_sequence')
