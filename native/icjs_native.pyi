"""A faster copy of two person-linking comparisons (best_name_level, relative_level).

The Python functions of canonical_model/person_matching.py define them; this copy is checked
against them by tests/unit/test_native_levels.py. Call it through
gateway.services.persons.native_levels, which prepares the arguments.
"""

from collections.abc import Sequence

import numpy
from numpy.typing import NDArray

#: A name's forms, the fields of person_matching._Name in their order: tokens, sorted_tokens,
#: sounds, shapes, joined, joined_sound, full_words, consonants, compound_sounds.
Forms = tuple[
    Sequence[str],
    Sequence[str],
    Sequence[str],
    Sequence[str],
    str,
    str,
    int,
    Sequence[str],
    Sequence[str],
]

class NameTable:
    """The forms of many names, converted once for any number of calls of name_levels and
    relative_levels."""

    def __init__(self, forms: Sequence[Forms]) -> None: ...
    def __len__(self) -> int:
        """How many names' forms the table holds."""

def name_levels(
    table: NameTable,
    names: Sequence[Sequence[int]],
    lefts: NDArray[numpy.int32],
    rights: NDArray[numpy.int32],
    out: NDArray[numpy.int32],
) -> None:
    """best_name_level of each pair of codes (from 1): ``names[k - 1]`` are the numbers in
    ``table`` of value k's name and aliases that have words, the name first. Writes ``out``."""

def relative_levels(
    table: NameTable,
    fathers: Sequence[int],
    men: Sequence[bool],
    lefts: NDArray[numpy.int32],
    rights: NDArray[numpy.int32],
    out: NDArray[numpy.int32],
) -> None:
    """relative_level of each pair of codes (from 1): ``fathers[k - 1]`` is the number in
    ``table`` of value k's father's name (-1 for none with words), ``men[k - 1]`` whether its
    gender is "male". Writes ``out``."""
