"""answer wall: the facilitator's choices for the projector

Revision ID: wall_20261129
Revises: groups_20261129
Create Date: 2026-11-29 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'wall_20261129'
down_revision: str | None = 'groups_20261129'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('wallstate',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('answer_order', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('spotlight_answer_id', sa.Integer(), nullable=True),
    sa.Column('turn', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id')
    )


def downgrade() -> None:
    op.drop_table('wallstate')
