"""held for review: an answer with a personal-data flag waits for a facilitator

Revision ID: guard_20261129
Revises: wall_20261129
Create Date: 2026-11-29 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'guard_20261129'
down_revision: str | None = 'wall_20261129'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Flagged answers the room has not seen yet wait for review like new ones. Those on a
    # prompt already revealed stay as they were: changing what a past meeting showed would
    # rewrite its results.
    op.execute(
        "UPDATE answer SET held = true WHERE pii_reasons IS NOT NULL AND hidden = false "
        "AND withdrawn = false AND prompt_id IN "
        "(SELECT id FROM workshopprompt WHERE revealed = false)"
    )


def downgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('held')
