"""자격확인 failures counted per member

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The 10-failure lock of 자녀신청's 자격확인 lived on the application, so starting a new 자녀신청 reset it.
    # It moves to the member row, which every member has (no insert race on a first failure) and which the
    # failure already locks. The server default keeps bulk loads that list member columns working.
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_check_failures', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('child_check_locked_until', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table('multichildapplication', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_checks')


def downgrade() -> None:
    with op.batch_alter_table('multichildapplication', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_checks', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('child_check_locked_until')
        batch_op.drop_column('child_check_failures')
