"""staff member open

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The members a staff session opened with a 열람 사유: the card preview needs one (issue 14, finding 6).
    # The unique constraint's index, (auth_session_id, member_id), serves the preview's lookup.
    op.create_table(
        'staffmemberopen',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('auth_session_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['auth_session_id'], ['authsession.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('auth_session_id', 'member_id', name='uq_staffmemberopen_session_member'),
    )
    with op.batch_alter_table('staffmemberopen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staffmemberopen_member_id'), ['member_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staffmemberopen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staffmemberopen_member_id'))
    op.drop_table('staffmemberopen')
