"""oauth request

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Kakao/Naver authorization requests: the SHA-256 of each state, spent once.
    op.create_table('oauthrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('provider', sa.Enum('kakao', 'naver', name='oauthprovider', native_enum=False, length=20), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('signup_draft_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signup_draft_id'], ['signupdraft.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('oauthrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauthrequest_state_hash'), ['state_hash'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('oauthrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauthrequest_state_hash'))

    op.drop_table('oauthrequest')
