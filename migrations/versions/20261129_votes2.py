"""votes2: dot voting on answer groups

Revision ID: votes2_20261129
Revises: decks_20261129
Create Date: 2026-11-29 04:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "votes2_20261129"
down_revision: str | None = "decks_20261129"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# A batch copy: SQLite adds a foreign key and a unique rule only by rebuilding the table
# (migrations run with foreign keys off there, so the rebuild keeps every dot).
def upgrade() -> None:
    with op.batch_alter_table("dotvote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_dotvote_group_id_answergroup",
            "answergroup",
            ["group_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint(
            "uq_dotvote_participant_id_group_id", ["participant_id", "group_id"]
        )
        batch_op.create_index(batch_op.f("ix_dotvote_group_id"), ["group_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dotvote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dotvote_group_id"))
        batch_op.drop_constraint("uq_dotvote_participant_id_group_id", type_="unique")
        batch_op.drop_constraint("fk_dotvote_group_id_answergroup", type_="foreignkey")
        batch_op.drop_column("group_id")
