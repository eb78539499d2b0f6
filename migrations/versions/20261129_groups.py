"""answer groups: a prompt's groups (Groeperen) and each answer's place in one

Revision ID: groups_20261129
Revises: mail_20261129
Create Date: 2026-11-29 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


import app.models

revision: str = 'groups_20261129'
down_revision: str | None = 'mail_20261129'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('answergroup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('fixed', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['prompt_id'], ['workshopprompt.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('answergroup', schema=None) as batch_op:
        batch_op.create_index('ix_answergroup_prompt', ['prompt_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_answergroup_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('answergroupmember',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['answergroup.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prompt_id'], ['workshopprompt.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('answer_id')
    )
    with op.batch_alter_table('answergroupmember', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answergroupmember_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answergroupmember_prompt_id'), ['prompt_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('answergroupmember', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answergroupmember_prompt_id'))
        batch_op.drop_index(batch_op.f('ix_answergroupmember_group_id'))
    op.drop_table('answergroupmember')

    with op.batch_alter_table('answergroup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answergroup_workshop_id'))
        batch_op.drop_index('ix_answergroup_prompt')
    op.drop_table('answergroup')
