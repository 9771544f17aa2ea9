"""The vehicle and licence register (transport), and events that belong to no case.

Vehicles, the police reports naming them (``vehicle_mentions``), the links the gateway made
between a theft and a recovery or seizure in two cases, driving licences and the court
orders naming them: projections of the event log, rebuilt from it by
``gateway.services.vehicles.rebuild_register``. Registry events (a Vahan or Sarathi record) belong to
no case, so ``events.case_id`` becomes nullable.

Revision ID: 0004_vehicle_register
Revises: 0003_outbox_record
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_vehicle_register"
down_revision: str | None = "0003_outbox_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "vehicles",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("registration", sa.String(), nullable=True),
        sa.Column("chassis", sa.String(), nullable=True),
        sa.Column("chassis_suffix", sa.String(), nullable=True),
        sa.Column("engine", sa.String(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("record_as_of", sa.Date(), nullable=True),
        sa.Column("record_event_id", sa.String(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("state_on", sa.Date(), nullable=True),
        sa.Column("state_case_id", sa.String(), nullable=True),
        sa.Column("stolen_on", sa.Date(), nullable=True),
        sa.Column("recovered_on", sa.Date(), nullable=True),
        sa.Column("seized_on", sa.Date(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("registration", "chassis", "chassis_suffix", "engine"):
        op.create_index(f"ix_vehicles_{column}", "vehicles", [column])
    op.create_table(
        "vehicle_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("vehicle_id", sa.String(), nullable=True),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("fir", sa.String(), nullable=False),
        sa.Column("police_station", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("reported_at", _utc(), nullable=False),
        sa.Column("registration", sa.String(), nullable=True),
        sa.Column("chassis", sa.String(), nullable=True),
        sa.Column("engine", sa.String(), nullable=True),
        sa.Column("written", sa.JSON(), nullable=False),
        sa.Column("match", sa.String(), nullable=False),
        sa.Column("match_note", sa.String(), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    for column in ("vehicle_id", "case_id", "registration", "chassis", "engine"):
        op.create_index(f"ix_vehicle_mentions_{column}", "vehicle_mentions", [column])
    op.create_table(
        "vehicle_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.String(), nullable=True),
        sa.Column("stolen_event", sa.String(), nullable=False),
        sa.Column("found_event", sa.String(), nullable=False),
        sa.Column("stolen_case_id", sa.String(), nullable=False),
        sa.Column("found_case_id", sa.String(), nullable=False),
        sa.Column("found_kind", sa.String(), nullable=False),
        sa.Column("matched_on", sa.String(), nullable=False),
        sa.Column("stolen_link_event", sa.String(), nullable=True),
        sa.Column("found_link_event", sa.String(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stolen_event", "found_event"),
    )
    for column in ("vehicle_id", "stolen_case_id", "found_case_id"):
        op.create_index(f"ix_vehicle_links_{column}", "vehicle_links", [column])
    op.create_table(
        "licences",
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("record_as_of", sa.Date(), nullable=True),
        sa.Column("record_event_id", sa.String(), nullable=True),
        sa.Column("order_kind", sa.String(), nullable=True),
        sa.Column("order_number", sa.String(), nullable=True),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.Column("cnr", sa.String(), nullable=True),
        sa.Column("case_id", sa.String(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_table(
        "licence_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("licence", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("person_ref", sa.String(), nullable=True),
        sa.Column("cnr", sa.String(), nullable=True),
        sa.Column("order_number", sa.String(), nullable=True),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "licence"),
    )
    op.create_index("ix_licence_mentions_licence", "licence_mentions", ["licence"])
    op.create_index("ix_licence_mentions_case_id", "licence_mentions", ["case_id"])
    with op.batch_alter_table("events") as batch:
        batch.alter_column("case_id", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    # The event log is never thinned to fit an older schema: registry events have no case.
    caseless = op.get_bind().execute(sa.text("SELECT count(*) FROM events WHERE case_id IS NULL"))
    if caseless.scalar():
        raise RuntimeError(
            "the event log holds registry events (Vahan/Sarathi records), which belong to no "
            "case; revision 0003 cannot hold them, so the downgrade is refused"
        )
    with op.batch_alter_table("events") as batch:
        batch.alter_column("case_id", existing_type=sa.String(), nullable=False)
    for table in ("licence_mentions", "licences", "vehicle_links", "vehicle_mentions", "vehicles"):
        op.drop_table(table)
