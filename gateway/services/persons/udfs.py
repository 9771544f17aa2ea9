"""The person comparisons as DuckDB functions, for Splink's full re-link.

:func:`canonical_model.person_matching.splink_comparisons` gives Splink SQL that calls
``icjs_name_level(name_l, aliases_l, name_r, aliases_r)`` and the like; :func:`register_udfs`
makes those names mean the very Python functions the incremental linker and the search call,
so the two ways of scoring a pair cannot drift apart.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import duckdb
import numpy as np
import pyarrow as pa
from duckdb.func import FunctionNullHandling, PythonUDFType

from canonical_model.person_matching import COMPARISONS, RECORD_COLUMNS, Comparison
from gateway.services.persons.native_levels import (
    NATIVE_COMPARISONS,
    native_installed,
    native_levels,
)


def _by_columns(comparison: Comparison) -> Callable[..., pa.Array]:
    """``comparison``'s function over DuckDB's Arrow columns (a chunk of rows at a time), by
    the native copy: Splink's training calls the name comparisons on some 700,000 pairs of
    records, which one Python call a pair makes a fixed half-minute of every re-link."""
    # DuckDB counts the parameters of the function it is given: both native comparisons read
    # two columns of each record, so four, named.
    assert len(comparison.columns) == 2, comparison.columns

    def levels(
        left_a: pa.ChunkedArray,
        left_b: pa.ChunkedArray,
        right_a: pa.ChunkedArray,
        right_b: pa.ChunkedArray,
    ) -> pa.Array:
        left = list(zip(left_a.to_pylist(), left_b.to_pylist(), strict=True))
        right = list(zip(right_a.to_pylist(), right_b.to_pylist(), strict=True))
        codes = np.arange(1, len(left) + 1, dtype=np.int32)
        found = native_levels(comparison.name, left + right, codes, codes + len(left))
        assert found is not None  # only comparisons in NATIVE_COMPARISONS come here
        return pa.array(found, pa.int32())

    return levels


def register_udfs(connection: duckdb.DuckDBPyConnection) -> None:
    """Register every comparison of :data:`~canonical_model.person_matching.COMPARISONS` on
    ``connection`` under its ``icjs_*`` name, returning an INTEGER level.

    Arguments are typed from :data:`~canonical_model.person_matching.RECORD_COLUMNS` (lists as
    ``VARCHAR[]``, years as ``BIGINT``, to which an INTEGER column widens). NULLs are handed to
    the functions as ``None`` (``null_handling`` special) because a missing field is a level of
    its own (-1), not a NULL result. A function already registered under the name is replaced,
    so registering twice is harmless.

    The name and father's-name comparisons are called a chunk of rows at a time through the
    native copy of their functions (:mod:`gateway.services.persons.native_levels`, checked
    against them pair by pair by its tests) when it is installed.
    """
    integer = connection.dtype("INTEGER")
    native = native_installed()
    for comparison in COMPARISONS:
        types = [connection.dtype(RECORD_COLUMNS[column]) for column in comparison.columns]
        with contextlib.suppress(duckdb.InvalidInputException):  # not registered yet
            connection.remove_function(comparison.udf)
        by_columns = native and comparison.name in NATIVE_COMPARISONS
        connection.create_function(
            comparison.udf,
            _by_columns(comparison) if by_columns else comparison.function,
            [*types, *types],
            integer,
            type=PythonUDFType.ARROW if by_columns else PythonUDFType.NATIVE,
            null_handling=FunctionNullHandling.SPECIAL,
            side_effects=False,
        )
