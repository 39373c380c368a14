"""rate limit counters

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The embedded mode's counters for the abuse limits (services/rate_limits.py), shared by all
    # workers; incremented by one INSERT ... ON CONFLICT DO UPDATE, expired rows purged by expires_at.
    op.create_table(
        'ratelimitcounter',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('ratelimitcounter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratelimitcounter_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ratelimitcounter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratelimitcounter_expires_at'))
    op.drop_table('ratelimitcounter')
