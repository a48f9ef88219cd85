"""audit log entries hold record ids only: clear subjects that an earlier version took from an
operation's data (the first bytes of an imported file, a form's values)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Kept: ids ('12') and the subjects the app writes itself ('event 12', 'jobseeker 3', 'j12').
    # Cleared: the repr of bytes, dicts, lists and strings that `audited` once stored verbatim.
    op.execute("UPDATE audit_log SET subject = '' WHERE subject LIKE 'b''%' OR subject LIKE 'b\"%' "
               "OR subject LIKE '{%' OR subject LIKE '[%' OR subject LIKE '%@%'")


def downgrade() -> None:
    pass  # what was cleared is gone on purpose
