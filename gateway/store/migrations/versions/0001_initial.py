"""The gateway's tables: clients, message log, event log, outbox, cases, crosswalk, inbox, feeds.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """A point in time: timestamp with time zone on PostgreSQL."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("pillar", sa.String(), nullable=False),
        sa.Column("institution", sa.String(), nullable=False),
        sa.Column("key_prefix", sa.String(), nullable=False),
        sa.Column("key_hash", sa.String(), nullable=False),
        _time("created_at"),
        _time("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index("ix_clients_key_prefix", "clients", ["key_prefix"])
    op.create_index("ix_clients_pillar", "clients", ["pillar"])

    op.create_table(
        "messages",
        sa.Column("id", sa.String(), nullable=False),
        _time("received_at"),
        _time("updated_at"),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("caller", sa.String(), nullable=False),
        sa.Column("pillar", sa.String(), nullable=False),
        sa.Column("institution", sa.String(), nullable=False),
        sa.Column("message_type", sa.String(), nullable=True),
        sa.Column("media_type", sa.String(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("body_truncated", sa.Boolean(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("waiting_for", sa.JSON(), nullable=False),
        sa.Column("event_ids", sa.JSON(), nullable=False),
        sa.Column("case_ids", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_messages_client_id", "messages", ["client_id"])
    op.create_index("ix_messages_dedupe", "messages", ["client_id", "sha256"])
    op.create_index("ix_messages_pillar", "messages", ["pillar"])
    op.create_index("ix_messages_received_at", "messages", ["received_at"])
    op.create_index("ix_messages_status", "messages", ["status"])

    op.create_table(
        "held_keys",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("message_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.PrimaryKeyConstraint("key", "message_id"),
    )

    op.create_table(
        "events",
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("pillar", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        _time("time"),
        sa.Column("receipt", sa.String(), nullable=True),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("sequence"),
        sa.UniqueConstraint("id"),
    )
    op.create_index("ix_events_case_id", "events", ["case_id"])
    op.create_index("ix_events_receipt", "events", ["receipt"])
    op.create_index("ix_events_type", "events", ["type"])

    op.create_table(
        "outbox",
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
        _time("created_at"),
        _time("published_at", nullable=True),
        sa.PrimaryKeyConstraint("sequence"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"])

    op.create_table(
        "cases",
        sa.Column("id", sa.String(), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        sa.Column("police_station", sa.String(), nullable=True),
        sa.Column("court", sa.String(), nullable=True),
        sa.Column("status", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cases_court", "cases", ["court"])
    op.create_index("ix_cases_police_station", "cases", ["police_station"])

    op.create_table(
        "crosswalk",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        _time("created_at"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_crosswalk_case_id", "crosswalk", ["case_id"])

    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        _time("processed_at"),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )

    op.create_table(
        "feed_entries",
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("pillar", sa.String(), nullable=False),
        sa.Column("institution", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("event_type", sa.String(), nullable=False),
        _time("recorded_at"),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("sequence"),
        sa.UniqueConstraint("pillar", "institution", "event_id"),
    )
    op.create_index("ix_feed_entries_page", "feed_entries", ["pillar", "institution", "sequence"])


def downgrade() -> None:
    # Tables that others refer to go last; dropping a table drops its indexes.
    for table in (
        "feed_entries",
        "inbox",
        "crosswalk",
        "cases",
        "outbox",
        "events",
        "held_keys",
        "messages",
        "clients",
    ):
        op.drop_table(table)
