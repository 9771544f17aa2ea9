"""The person index (issue 13): records of persons in criminal roles, their search keys, the
review queue of uncertain pairs with operators' decisions, and the trained linkage models.

The records are a projection of the event log that the person index's consumer writes; an
upgraded gateway fills them with ``icjs persons rebuild`` (then ``icjs persons link``).

Revision ID: 0009_person_index
Revises: 0008_deadline_notices
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_person_index"
down_revision: str | None = "0008_deadline_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when() -> sa.Column[object]:
    return sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "person_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=True),
        sa.Column("party_ref", sa.String(), nullable=True),
        sa.Column("fir", sa.String(), nullable=True),
        sa.Column("police_station", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("name_norm", sa.String(), nullable=False),
        sa.Column("alias_norms", sa.JSON(), nullable=False),
        sa.Column("phonetic_key", sa.String(), nullable=False),
        sa.Column("father_name", sa.String(), nullable=True),
        sa.Column("father_norm", sa.String(), nullable=True),
        sa.Column("gender", sa.String(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("stated_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("district", sa.String(), nullable=True),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("juvenile", sa.Boolean(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=True),
        sa.Column("linked_by", sa.String(), nullable=True),
        sa.Column("link_probability", sa.Float(), nullable=True),
        _when(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_key"),
    )
    for column in ("case_id", "phonetic_key", "birth_year", "person_id"):
        op.create_index(f"ix_person_records_{column}", "person_records", [column])
    op.create_table(
        "person_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["person_records.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "record_id", name="uq_person_keys"),
    )
    op.create_index("ix_person_keys_record", "person_keys", ["record_id"])
    op.create_table(
        "person_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_a", sa.String(), nullable=False),
        sa.Column("record_b", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column("match_weight", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_a", "record_b", name="uq_person_links_pair"),
    )
    for column in ("record_a", "record_b", "state"):
        op.create_index(f"ix_person_links_{column}", "person_links", [column])
    op.create_table(
        "person_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settings_version", sa.String(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    # A projection and its model: rebuilt from the event log after an upgrade. Operators'
    # decisions on pairs (person_links) go with it; export them first if they matter.
    op.drop_table("person_models")
    op.drop_table("person_links")
    op.drop_index("ix_person_keys_record", table_name="person_keys")
    op.drop_table("person_keys")
    op.drop_table("person_records")
