"""The person comparisons as DuckDB functions, for Splink's full re-link.

:func:`canonical_model.person_matching.splink_comparisons` gives Splink SQL that calls
``icjs_name_level(name_l, aliases_l, name_r, aliases_r)`` and the like; :func:`register_udfs`
makes those names mean the very Python functions the incremental linker and the search call,
so the two ways of scoring a pair cannot drift apart.
"""

from __future__ import annotations

import contextlib

import duckdb
from duckdb.func import FunctionNullHandling, PythonUDFType

from canonical_model.person_matching import COMPARISONS, RECORD_COLUMNS


def register_udfs(connection: duckdb.DuckDBPyConnection) -> None:
    """Register every comparison of :data:`~canonical_model.person_matching.COMPARISONS` on
    ``connection`` under its ``icjs_*`` name, returning an INTEGER level.

    Arguments are typed from :data:`~canonical_model.person_matching.RECORD_COLUMNS` (lists as
    ``VARCHAR[]``, years as ``BIGINT``, to which an INTEGER column widens). NULLs are handed to
    the functions as ``None`` (``null_handling`` special) because a missing field is a level of
    its own (-1), not a NULL result. A function already registered under the name is replaced,
    so registering twice is harmless.
    """
    integer = connection.dtype("INTEGER")
    for comparison in COMPARISONS:
        types = [connection.dtype(RECORD_COLUMNS[column]) for column in comparison.columns]
        with contextlib.suppress(duckdb.InvalidInputException):  # not registered yet
            connection.remove_function(comparison.udf)
        connection.create_function(
            comparison.udf,
            comparison.function,
            [*types, *types],
            integer,
            type=PythonUDFType.NATIVE,
            null_handling=FunctionNullHandling.SPECIAL,
            side_effects=False,
        )
