"""The citizen's view of an FIR (issue 14): the informant's access codes, and the failed
attempts the public view's rate limits count.

``citizen_access`` keeps the digest of each FIR's current access code, never the code.
``citizen_failures`` keeps each wrong attempt (the FIR asked for and the digest of the remote
address) for the limits' window, so that every gateway process counts the same attempts.

Revision ID: 0011_citizen_access
Revises: 0010_console
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_citizen_access"
down_revision: str | None = "0010_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "citizen_access",
        sa.Column("fir_key", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("code_digest", sa.String(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(), nullable=False),
        sa.Column("issues", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("fir_key"),
    )
    op.create_index("ix_citizen_access_case_id", "citizen_access", ["case_id"], unique=False)
    op.create_table(
        "citizen_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fir_key", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_citizen_failures_at", "citizen_failures", ["at"], unique=False)
    op.create_index(
        "ix_citizen_failures_fir_at", "citizen_failures", ["fir_key", "at"], unique=False
    )
    op.create_index(
        "ix_citizen_failures_address_at", "citizen_failures", ["address", "at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_citizen_failures_address_at", table_name="citizen_failures")
    op.drop_index("ix_citizen_failures_fir_at", table_name="citizen_failures")
    op.drop_index("ix_citizen_failures_at", table_name="citizen_failures")
    op.drop_table("citizen_failures")
    op.drop_index("ix_citizen_access_case_id", table_name="citizen_access")
    op.drop_table("citizen_access")
