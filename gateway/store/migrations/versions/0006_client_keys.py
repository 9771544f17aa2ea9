"""Client keys: expiry, last use, and rotation with an overlap.

``clients`` gains ``expires_at`` (``icjs clients add|rotate --expires-in 90d``; past it the
key answers 401 "expired API key") and ``last_used_at`` (recorded at most once a minute per
key, not on every request). ``retired_keys`` holds a client's keys replaced by
``icjs clients rotate``: each stays valid until ``valid_until`` (the end of the overlap),
then answers 401.

``messages`` gains ``body_truncated_reason``: why only the start of a body is kept (over the
size limit, or over the client's quota of rejected bodies kept whole).

Revision ID: 0006_client_keys
Revises: 0005_institutions
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_client_keys"
down_revision: str | None = "0005_institutions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("body_truncated_reason", sa.String(), nullable=True))
    op.create_table(
        "retired_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("key_prefix", sa.String(), nullable=False),
        sa.Column("key_hash", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index("ix_retired_keys_client_id", "retired_keys", ["client_id"])


def downgrade() -> None:
    # Keys in their overlap stop working; the clients' current keys stay valid, unexpiring.
    op.drop_index("ix_retired_keys_client_id", table_name="retired_keys")
    op.drop_table("retired_keys")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("body_truncated_reason")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("last_used_at")
        batch.drop_column("expires_at")
