"""Integers in paths and queries: plain ASCII digits that fit a signed 64-bit integer.

Python's ``int`` and pydantic take more than a database column can hold and more than a
caller means (``9223372036854775808``, ``²``, ``1_000``, `` 12``): an id outside the range is
answered 422 naming the parameter, in the standard error JSON, before any query is made.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path
from pydantic import BeforeValidator

from canonical_model.errors import ContractViolation, Problem

INT64_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def int64(value: object, *, name: str) -> int:
    """``value`` (a path or query string) as a non-negative 64-bit integer; ContractViolation
    located at ``name`` otherwise."""
    text = value if isinstance(value, str) else str(value)
    if _DIGITS.fullmatch(text) is None or int(text) > INT64_MAX:
        shown = text if len(text) <= 40 else f"{text[:20]}... ({len(text)} characters)"
        raise ContractViolation(
            f"invalid {name} {shown!r}",
            [Problem(name, f"expected plain ASCII digits, at most {INT64_MAX}")],
        )
    return int(text)


def _plain_digits(value: object) -> object:
    if isinstance(value, str) and (_DIGITS.fullmatch(value) is None or int(value) > INT64_MAX):
        raise ValueError(f"expected plain ASCII digits, at most {INT64_MAX}")
    return value


#: An integer id in a path: ``/dead-letters/{dead_letter_id}/replay``.
Int64Path = Annotated[int, Path(ge=0, le=INT64_MAX), BeforeValidator(_plain_digits)]
