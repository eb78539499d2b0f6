"""privacy and limits: lock, anonymous, retention, purge time, personal-data flags

Revision ID: b1c4e9a2d7f0
Revises: 55e3c0ecad94
Create Date: 2026-11-23 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


import app.models

revision: str = 'b1c4e9a2d7f0'
down_revision: str | None = '55e3c0ecad94'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Server defaults fill the rows that exist already; new rows get the model's defaults.
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=False, server_default='90'))
        batch_op.add_column(sa.Column('locked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('purged_at', app.models.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pii_reasons', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('pii_reasons')

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
        batch_op.drop_column('locked')
        batch_op.drop_column('retention_days')
        batch_op.drop_column('anonymous')
