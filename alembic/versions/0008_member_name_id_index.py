"""member name search index

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Staff 이름 search is `WHERE name = ? ORDER BY id LIMIT 20` (and a count). With only
    # ix_member_name_birth_date, every member of that name is fetched and joined to its card before the
    # sort and the limit: some 800 heap rows and card lookups for the commonest name among a million
    # members (11.6 ms on PostgreSQL, p95 50 ms under load; bench/usecases.py). (name, id) gives the
    # rows in id order, so the query stops after the page's 20, and the count is an index-only scan.
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index('ix_member_name_id', ['name', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_name_id')
