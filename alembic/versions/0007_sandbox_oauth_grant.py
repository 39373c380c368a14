"""sandbox oauth grant

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The sandbox Kakao/Naver codes and tokens, shared by all backend workers.
    op.create_table(
        'sandboxoauthgrant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('value_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('provider', sa.Enum('kakao', 'naver', name='oauthprovider', native_enum=False, length=20), nullable=False),
        sa.Column('account_key', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('redirect_uri', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('sandboxoauthgrant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sandboxoauthgrant_value_hash'), ['value_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_sandboxoauthgrant_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sandboxoauthgrant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sandboxoauthgrant_expires_at'))
        batch_op.drop_index(batch_op.f('ix_sandboxoauthgrant_value_hash'))
    op.drop_table('sandboxoauthgrant')
