"""the employer portal: employer accounts, sign-in links, places, profile cards shared with consent

An account gets the organisation it belongs to (`user.employer_id`, role "employer"); a sign-in link
by mail keeps only its token's hash (`login_link`), and the mail that carries it names it
(`message.login_link_id`); an organisation keeps its places (`vacancy`); a
jobseeker's registration may carry a profile card (`profile_card`), shared with that event's employers
only by the person's own choice and after staff approved it; every employer look at a card is kept
(`card_view`); an event says until when employers mark whom they would like to meet (`wishes_until`),
and a wish says whether staff entered it or the employer gave it on its own page (`employer_wish.source`).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employer_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_user_employer_id', ['employer_id'])
        batch_op.create_foreign_key('fk_user_employer_id_employer', 'employer', ['employer_id'], ['id'],
                                    ondelete='CASCADE')
    with op.batch_alter_table('employer_wish', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', _str(length=10), nullable=False, server_default='staff'))
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wishes_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_table(
        'login_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', _str(length=64), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_login_link_user_id', 'login_link', ['user_id'])
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login_link_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_message_login_link_id', ['login_link_id'])
        batch_op.create_foreign_key('fk_message_login_link_id_login_link', 'login_link', ['login_link_id'], ['id'],
                                    ondelete='CASCADE')
    op.create_table(
        'vacancy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('employer_id', sa.Integer(), nullable=False),
        sa.Column('title', _str(length=120), nullable=False),
        sa.Column('hours', _str(length=60), nullable=False),
        sa.Column('place', _str(length=80), nullable=False),
        sa.Column('adaptations', sa.JSON(), nullable=False),
        sa.Column('description', _str(length=600), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_vacancy_employer_id', 'vacancy', ['employer_id'])
    op.create_table(
        'profile_card',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('pitch', _str(length=300), nullable=False),
        sa.Column('seeking', _str(length=300), nullable=False),
        sa.Column('skills', _str(length=300), nullable=False),
        sa.Column('hours', _str(length=60), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('shared_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('share_version', _str(length=30), nullable=True),
        sa.Column('via', _str(length=260), nullable=True),
        sa.Column('status', _str(length=10), nullable=False),
        sa.Column('reason', _str(length=300), nullable=False),
        sa.Column('reviewed_by', _str(length=254), nullable=False),
        sa.Column('reviewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('registration_id'),
    )
    op.create_table(
        'card_view',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('card_id', sa.Integer(), nullable=False),
        sa.Column('employer_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('viewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['card_id'], ['profile_card.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_card_view_card_id', 'card_view', ['card_id'])
    op.create_index('ix_card_view_employer_id', 'card_view', ['employer_id'])


def downgrade() -> None:
    op.drop_index('ix_card_view_employer_id', table_name='card_view')
    op.drop_index('ix_card_view_card_id', table_name='card_view')
    op.drop_table('card_view')
    op.drop_table('profile_card')
    op.drop_index('ix_vacancy_employer_id', table_name='vacancy')
    op.drop_table('vacancy')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint('fk_message_login_link_id_login_link', type_='foreignkey')
        batch_op.drop_index('ix_message_login_link_id')
        batch_op.drop_column('login_link_id')
    op.drop_index('ix_login_link_user_id', table_name='login_link')
    op.drop_table('login_link')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('wishes_until')
    with op.batch_alter_table('employer_wish', schema=None) as batch_op:
        batch_op.drop_column('source')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint('fk_user_employer_id_employer', type_='foreignkey')
        batch_op.drop_index('ix_user_employer_id')
        batch_op.drop_column('employer_id')
