"""own decks: a facilitator's copy of a deck, stored as YAML in the cards/ schema

Revision ID: decks_20261129
Revises: trust_20261129
Create Date: 2026-11-29 03:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models

revision: str = 'decks_20261129'
down_revision: str | None = 'trust_20261129'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'owndeck',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', app.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('owndeck', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_owndeck_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_owndeck_slug'), ['slug'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('owndeck', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_owndeck_slug'))
        batch_op.drop_index(batch_op.f('ix_owndeck_owner_id'))
    op.drop_table('owndeck')
