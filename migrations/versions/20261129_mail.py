"""mail follow-through: trekkers' addresses, mail settings, the outbox

Revision ID: mail_20261129
Revises: b1c4e9a2d7f0
Create Date: 2026-11-29 02:51:14.389579
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


import app.models

revision: str = 'mail_20261129'
down_revision: str | None = 'b1c4e9a2d7f0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mailsettings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_id', sa.Integer(), nullable=False),
    sa.Column('reminder_days', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.ForeignKeyConstraint(['agenda_id'], ['agenda.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('agenda_id')
    )
    op.create_table('mailcontact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_id', sa.Integer(), nullable=False),
    sa.Column('owner_key', sqlmodel.sql.sqltypes.AutoString(length=250), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('unsubscribed_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('owner_link_id', sa.Integer(), nullable=True),
    sa.Column('link_serial', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_id'], ['agenda.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_link_id'], ['ownerlink.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mailcontact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailcontact_agenda_id'), ['agenda_id'], unique=False)

    op.create_table('mailoutbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('agenda_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('assignment', 'reminder', 'overdue', 'overdue_digest', 'checkin_summary', 'review_summary', 'owner_changes', name='mailkind'), nullable=False),
    sa.Column('about', sa.Date(), nullable=True),
    sa.Column('send_after', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failed_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('skipped_at', app.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_id'], ['agenda.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['mailcontact.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['agendaitem.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('mailoutbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailoutbox_agenda_id'), ['agenda_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailoutbox_contact_id'), ['contact_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mailoutbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailoutbox_contact_id'))
        batch_op.drop_index(batch_op.f('ix_mailoutbox_agenda_id'))

    op.drop_table('mailoutbox')
    with op.batch_alter_table('mailcontact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailcontact_agenda_id'))

    op.drop_table('mailcontact')
    op.drop_table('mailsettings')
    # PostgreSQL keeps the enum type after its table is gone.
    sa.Enum(name='mailkind').drop(op.get_bind(), checkfirst=True)
