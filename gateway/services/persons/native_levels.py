"""The levels of the comparisons "name" and "father_name" of many pairs of values at once, by
the native copy of their functions (the Rust crate ``native/``, module ``icjs_native``).

:func:`canonical_model.person_matching.best_name_level` and
:func:`~canonical_model.person_matching.relative_level` define these levels; the native code
is a copy of them, checked against them pair by pair by ``tests/unit/test_native_levels.py``.
It exists for the full re-link, which levels tens of millions of distinct pairs of values at a
million records: some 18 µs a pair in Python, a fraction of a microsecond natively, on every
core with the GIL released.

A name's forms (its words and their sound keys, :func:`~canonical_model.person_matching.name_forms`)
are still worked out here, in Python, once per distinct string: the native code compares
forms, it does not make them, so the sound keys have one definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from canonical_model.person_matching import name_forms
from gateway.services.persons.cores import map_on_cores

if TYPE_CHECKING:
    from icjs_native import Forms, NameTable

#: The comparisons (by :attr:`~canonical_model.person_matching.Comparison.name`) that
#: :func:`native_levels` computes.
NATIVE_COMPARISONS = frozenset({"name", "father_name"})


def native_installed() -> bool:
    """Whether the native module (built from ``native/`` by ``make install``) can be
    imported."""
    try:
        import icjs_native  # noqa: F401
    except ImportError:
        return False
    return True


class NativeLevelsMissing(ImportError):
    """The native module is not installed (it is built by ``make install``)."""


def _forms_of(text: str) -> Forms | None:
    return _as_tuple(name_forms(text))


def _forms_of_normalised(text: str) -> Forms | None:
    return _as_tuple(name_forms(text, normalised=True))


def _as_tuple(name: Any) -> Forms | None:
    if name is None:
        return None
    return (
        name.tokens,
        name.sorted_tokens,
        name.sounds,
        name.shapes,
        name.joined,
        name.joined_sound,
        name.full_words,
        name.consonants,
        name.compound_sounds,
    )


#: Distinct names from which their forms are made by worker processes (one per core) rather
#: than by this one: making a name's forms (sound keys of its words, of the words joined) is
#: Python, some 40-140 µs a name, and a million records have some 700,000 distinct names.
PARALLEL_FORMS_FROM = 50_000
_FORMS_PIECE = 20_000


class NameForms:
    """Distinct names and their forms, each name numbered once: the native code gets each
    form once, and two equal names get one number (its test of ``a == b``). One instance
    may serve many calls of :func:`native_levels` (both comparisons, and a re-link's two
    scorings): a name's forms are made once."""

    def __init__(self, *, normalised: bool = False) -> None:
        #: The names are normalise_name's output already (the re-link's stored ones): their
        #: forms are made without normalising them again (``name_forms``' ``normalised``).
        self._make = _forms_of_normalised if normalised else _forms_of
        self.forms: list[Forms] = []
        self._numbers: dict[str, int] = {}
        self._table: NameTable | None = None

    def table(self) -> NameTable:
        """The forms as the native code holds them, converted once while no name is added
        (converting a million names' forms takes a second or two)."""
        import icjs_native

        if self._table is None or len(self._table) != len(self.forms):
            self._table = icjs_native.NameTable(self.forms)
        return self._table

    def prepare_values(self, values: Mapping[str, Sequence[tuple[Any, ...]]]) -> None:
        """:meth:`prepare` the names of the values of comparisons (by comparison name, the
        values as :func:`native_levels` takes them): for both comparisons at once, the forms
        are made by one set of workers and converted for the native code once."""
        self.prepare(
            text
            for comparison_name, of_comparison in values.items()
            if comparison_name in NATIVE_COMPARISONS
            for value in of_comparison
            for text in (
                (value[0], *(value[1] or ())) if comparison_name == "name" else (value[0],)
            )
        )

    def prepare(self, texts: Iterable[str | None]) -> None:
        """Make the forms of the names of ``texts`` not yet numbered, on every core when they
        are many; :meth:`number` then only looks them up."""
        wanted = list(dict.fromkeys(t for t in texts if t and t not in self._numbers))
        made = map_on_cores(self._make, wanted, least=PARALLEL_FORMS_FROM, chunk=_FORMS_PIECE)
        for text, forms in zip(wanted, made, strict=True):
            if forms is None:
                self._numbers[text] = -1
            else:
                self._numbers[text] = len(self.forms)
                self.forms.append(forms)

    def number(self, text: str | None) -> int:
        """The number of ``text``'s forms, -1 when the name comparisons find it missing (None,
        empty, or without a word)."""
        if not text:
            return -1
        found = self._numbers.get(text)
        if found is None:
            forms = self._make(text)
            if forms is None:
                found = -1
            else:
                found = len(self.forms)
                self.forms.append(forms)
            self._numbers[text] = found
        return found


def native_levels(
    comparison_name: str,
    values: Sequence[tuple[Any, ...]],
    lefts: NDArray[np.integer[Any]],
    rights: NDArray[np.integer[Any]],
    *,
    forms: NameForms | None = None,
) -> NDArray[np.int32] | None:
    """The level of each pair of codes, as the comparison's function gives it (-1 for null),
    or None for a comparison not in :data:`NATIVE_COMPARISONS`.

    ``values[k - 1]`` are the columns of code k in the order of the comparison's ``columns``:
    ``(name, aliases)`` for "name", ``(father_name, gender)`` for "father_name". Pair ``i`` is
    codes ``lefts[i]`` and ``rights[i]`` (from 1). The answer is what
    ``[comparison.function(*values[a - 1], *values[b - 1]) for a, b in zip(lefts, rights)]``
    gives, as int32.

    ``forms`` keeps the names' forms for later calls (one is made for this call without it).

    Raises :class:`NativeLevelsMissing` (an ImportError) when the native module is not
    installed, rather than quietly computing in Python: the caller decides.
    """
    if comparison_name not in NATIVE_COMPARISONS:
        return None
    try:
        import icjs_native
    except ImportError as error:
        raise NativeLevelsMissing(
            "the native person comparisons (module icjs_native, built from native/) are not "
            "installed: run `make install` (it needs Rust's cargo, from rustup)"
        ) from error
    # The native code reads the arrays in place, as contiguous int32: a copy only when the
    # caller's are not that already.
    left = np.ascontiguousarray(lefts, dtype=np.int32)
    right = np.ascontiguousarray(rights, dtype=np.int32)
    if left.shape != right.shape or left.ndim != 1:
        raise ValueError("lefts and rights must be one-dimensional and of one length")
    out = np.empty(len(left), dtype=np.int32)
    forms = forms if forms is not None else NameForms()
    forms.prepare_values({comparison_name: values})
    if comparison_name == "name":
        # Each side's names with words, the name first then the aliases: best_name_level
        # compares every one of them with every one of the other side's.
        names = [
            [n for n in (forms.number(name), *map(forms.number, aliases or ())) if n >= 0]
            for name, aliases in values
        ]
        icjs_native.name_levels(forms.table(), names, left, right, out)
    else:
        fathers = [forms.number(father) for father, _ in values]
        men = [gender == "male" for _, gender in values]
        icjs_native.relative_levels(forms.table(), fathers, men, left, right, out)
    return out
