"""Statutory clocks: the deadline events the gateway has emitted.

``deadline_notices`` holds one row per ``deadline.due_soon`` or ``deadline.breached`` event,
written in the transaction that appends the event and its outbox row; the unique key (case,
clock, kind, due date) makes a second emitter's attempt to announce the same deadline fail
and roll back, so each is published exactly once (``gateway/services/deadlines.py``).

Case statuses written before this revision lack ``clock_facts`` (the dates the clocks run
from, ``CaseStatus.clock_facts``): each is projected again from its events here, as
``icjs audit verify`` rebuilds it, so that the stored status stays its rebuild and the case's
clocks show. The projection is the code's at the time of the upgrade.

Revision ID: 0008_deadline_notices
Revises: 0007_audit_chain
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_deadline_notices"
down_revision: str | None = "0007_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deadline_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("clock", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("emitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "clock", "kind", "due_on", name="uq_deadline_notices_once"),
    )

    _reproject_statuses()


def _reproject_statuses() -> None:
    """Store every case's status as projected from its events, a case at a time."""
    from canonical_model.events import CloudEvent
    from canonical_model.lifecycle import project

    bind = op.get_bind()
    cases = sa.table("cases", sa.column("id", sa.String()), sa.column("status", sa.JSON()))
    events = sa.table(
        "events",
        sa.column("case_id", sa.String()),
        sa.column("sequence", sa.Integer()),
        sa.column("envelope", sa.JSON()),
    )
    ids = [row[0] for row in bind.execute(sa.select(cases.c.id).order_by(cases.c.id))]
    for case_id in ids:
        envelopes = bind.execute(
            sa.select(events.c.envelope)
            .where(events.c.case_id == case_id)
            .order_by(events.c.sequence)
        ).scalars()
        status = project(case_id, (CloudEvent.model_validate(e) for e in envelopes))
        bind.execute(
            sa.update(cases)
            .where(cases.c.id == case_id)
            .values(status=status.model_dump(mode="json"))
        )


def downgrade() -> None:
    # The record of what was announced goes; announced events stay in the log and the outbox.
    op.drop_table("deadline_notices")
