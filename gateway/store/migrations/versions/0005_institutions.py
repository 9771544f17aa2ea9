"""The institution directory: every institution a key may be issued to.

Police states, districts and stations, court establishments (with their level), prisons,
laboratories, prosecution offices, transport registries and operator units, keyed by pillar
and code. ``icjs clients add`` refuses an institution that is not listed here. The table
starts empty: ``icjs institutions import`` fills it (``icjs demo`` loads the shipped SAMPLE
directory).

Revision ID: 0005_institutions
Revises: 0004_vehicle_register
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_institutions"
down_revision: str | None = "0004_vehicle_register"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("pillar", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("district", sa.String(), nullable=True),
        sa.Column("level", sa.String(), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pillar", "code"),
    )
    op.create_index("ix_institutions_area", "institutions", ["pillar", "state", "district"])


def downgrade() -> None:
    # Keys already issued stay valid; only the check on new keys goes with the table.
    op.drop_index("ix_institutions_area", table_name="institutions")
    op.drop_table("institutions")
