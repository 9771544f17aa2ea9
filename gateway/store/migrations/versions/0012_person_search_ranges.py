"""Indexes for person search in a large index (issue 13).

Search reads the records of a common name in bounded ranges of these instead of ordering all
of them:

- ``ix_person_records_name_place`` (phonetic_key, state, birth_year, father_norm) replaces
  ``ix_person_records_phonetic_key``: the records of one name as a whole, with what search
  ranks them by, read without touching the table.
- ``ix_person_records_place_year`` (state, birth_year, father_norm, phonetic_key): the
  records of a State born within a few years of the person searched for, with their names'
  sound keys.
- ``ix_person_records_father_norm``: the records naming one father as written.

Revision ID: 0012_person_search_ranges
Revises: 0011_citizen_access
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012_person_search_ranges"
down_revision: str | None = "0011_citizen_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_person_records_phonetic_key", table_name="person_records")
    # Covering: SQLite's indexes hold the row id; PostgreSQL's are given it.
    op.create_index(
        "ix_person_records_name_place",
        "person_records",
        ["phonetic_key", "state", "birth_year", "father_norm"],
        unique=False,
        postgresql_include=["id"],
    )
    op.create_index(
        "ix_person_records_place_year",
        "person_records",
        ["state", "birth_year", "father_norm", "phonetic_key"],
        unique=False,
        postgresql_include=["id"],
    )
    op.create_index(
        "ix_person_records_father_norm", "person_records", ["father_norm"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_person_records_father_norm", table_name="person_records")
    op.drop_index("ix_person_records_place_year", table_name="person_records")
    op.drop_index("ix_person_records_name_place", table_name="person_records")
    op.create_index(
        "ix_person_records_phonetic_key", "person_records", ["phonetic_key"], unique=False
    )
