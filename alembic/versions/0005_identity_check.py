"""identity check

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 아이디 찾기 / 비밀번호 재설정: one identity verification in progress (the SHA-256 of its token).
    op.create_table('identitycheck',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=13), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('wrong_codes', sa.Integer(), nullable=False),
    sa.Column('verified_ci_matches', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identitycheck', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identitycheck_token_hash'), ['token_hash'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('identitycheck', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identitycheck_token_hash'))

    op.drop_table('identitycheck')
