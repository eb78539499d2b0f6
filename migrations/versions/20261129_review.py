"""review: the room's reactions to the actiepunt on the terugblik's screen

Revision ID: review_20261129
Revises: votes2_20261129
Create Date: 2026-11-29 06:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "review_20261129"
down_revision: str | None = "votes2_20261129"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# A new table: no rows to copy, on SQLite nor PostgreSQL.
def upgrade() -> None:
    op.create_table(
        "reviewreaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["agendaitem.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "participant_id", "item_id", name="uq_reviewreaction_participant_id_item_id"
        ),
    )
    with op.batch_alter_table("reviewreaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviewreaction_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reviewreaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviewreaction_item_id"))
    op.drop_table("reviewreaction")
