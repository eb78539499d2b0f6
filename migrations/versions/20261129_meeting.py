"""meeting: a participant's role (school teams), what dot voting is on, the terugblik's screen

Revision ID: meeting_20261129
Revises: console_20261129
Create Date: 2026-11-29 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'meeting_20261129'
down_revision: str | None = 'console_20261129'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True))
    # Existing agendas voted on items and answers alike; items is the closest choice.
    with op.batch_alter_table('agenda', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vote_on', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False, server_default='items'))
        batch_op.add_column(sa.Column('review_item_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agenda', schema=None) as batch_op:
        batch_op.drop_column('review_item_id')
        batch_op.drop_column('vote_on')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('role')
