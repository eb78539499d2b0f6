"""trust: a session generation per account, so logout and a new password end sessions

Revision ID: trust_20261129
Revises: meeting_20261129
Create Date: 2026-11-29 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "trust_20261129"
down_revision: str | None = "meeting_20261129"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ADD/DROP COLUMN, not a batch copy: SQLite cannot drop the user table that others
# reference, and both databases add a column with a default in place.
def upgrade() -> None:
    op.add_column(
        "user", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("user", "session_version")
