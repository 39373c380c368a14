"""staff lookup

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Staff 휴대폰 끝 4자리 search: the last 4 digits of member.mobile, indexed.
    # (Exact name search uses ix_member_name_birth_date, whose first column is name.)
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile_last4', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True))
        batch_op.create_index(batch_op.f('ix_member_mobile_last4'), ['mobile_last4'], unique=False)
    # Stored mobiles are canonical ("010-1234-5678"), so the last 4 characters are the last 4 digits.
    op.execute(
        "UPDATE member SET mobile_last4 = substr(mobile, length(mobile) - 3, 4) WHERE mobile IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_mobile_last4'))
        batch_op.drop_column('mobile_last4')
