"""Outbox rows keep their Kafka record (value and headers) as it goes on the wire.

The record is encoded once, when the event is accepted, so that the relay sends bytes and
parses nothing.

Rows written before this revision have no record; the relay encodes them from their envelope.

Revision ID: 0003_outbox_record
Revises: 0002_dead_letters
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_outbox_record"
down_revision: str | None = "0002_dead_letters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("record_value", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("record_headers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("record_headers")
        batch.drop_column("record_value")
