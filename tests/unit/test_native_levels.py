"""The native copy of the comparisons "name" and "father_name" (``native/``, called through
``gateway.services.persons.native_levels``) gives, pair for pair, the level their Python
functions give (``canonical_model.person_matching.best_name_level`` and ``relative_level``),
which define them.

On a labelled population of 3,000 persons (``bench/person_population.py``: transliterations,
Devanagari, initials, aliases, fathers' and husbands' names): every pair of distinct values
sharing a word's sound key, which is where the levels above 0 are, both ways round for half of
them, and random pairs; then the docstrings' examples and the edge values by hand.
"""

from __future__ import annotations

import itertools
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from bench.person_levels import distinct_values
from canonical_model.person_matching import (
    COMPARISONS,
    NULL_LEVEL,
    comparison_named,
    name_forms,
)
from gateway.services.persons.native_levels import (
    NATIVE_COMPARISONS,
    NativeLevelsMissing,
    native_levels,
)

Value = tuple[Any, ...]

#: Values no population makes: missing, empty and wordless names, aliases of every kind.
ODD_NAMES: list[Value] = [
    (None, None),
    ("", None),
    ("", []),
    ("..", ["ramesh kumar"]),
    (None, ["pappu"]),
    ("ramesh kumar", []),
    ("ramesh kumar", ["", "pappu"]),
    ("ramesh kumar", ["ramesh kumar"]),
    ("pappu", None),
]
ODD_FATHERS: list[Value] = [
    (None, "male"),
    ("", "male"),
    ("..", "female"),
    (None, None),
    ("suresh", None),
    ("suresh", "transgender"),
]


def population_values() -> dict[str, list[Value]]:
    """The distinct values of each comparison among the records of the population, each record
    as the index holds it (``bench/person_levels.py``), and the odd values no population
    makes."""
    values = distinct_values(persons=3000, seed=13)
    return {
        "name": values["name"] + ODD_NAMES,
        "father_name": values["father_name"] + ODD_FATHERS,
    }


def sound_groups(values: Sequence[Value], comparison: str) -> list[list[int]]:
    """The codes (from 1) of the values sharing each sound key of a word of their names."""
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for code, value in enumerate(values, start=1):
        texts = [value[0], *(value[1] or ())] if comparison == "name" else [value[0]]
        keys: set[str] = set()
        for text in texts:
            forms = name_forms(text) if text else None
            if forms is not None:
                keys.update(forms.sounds)
        for key in keys:
            groups[key].append(code)
    return list(groups.values())


def check(comparison: str, values: Sequence[Value], pairs: Sequence[tuple[int, int]]) -> set[int]:
    """Assert the native levels of ``pairs`` are the Python function's; the levels seen."""
    function = comparison_named(comparison).function
    lefts = np.array([a for a, _ in pairs], dtype=np.int32)
    rights = np.array([b for _, b in pairs], dtype=np.int32)
    native = native_levels(comparison, values, lefts, rights)
    assert native is not None
    assert native.dtype == np.int32 and native.shape == (len(pairs),)
    wrong: list[str] = []
    for (a, b), got in zip(pairs, native.tolist(), strict=True):
        expected = function(*values[a - 1], *values[b - 1])
        if got != expected:
            wrong.append(
                f"{values[a - 1]!r} and {values[b - 1]!r}: Python {expected}, native {got}"
            )
    assert not wrong, (
        f"{comparison}: {len(wrong)} of {len(pairs)} pairs differ, for example:\n"
        + "\n".join(wrong[:25])
    )
    return set(native.tolist())


@pytest.fixture(scope="module")
def values() -> dict[str, list[Value]]:
    return population_values()


@pytest.mark.parametrize("comparison", sorted(NATIVE_COMPARISONS))
def test_every_pair_sharing_a_sound_and_random_pairs(
    values: dict[str, list[Value]], comparison: str
) -> None:
    own = values[comparison]
    rng = random.Random(comparison)
    shared: set[tuple[int, int]] = set()
    for group in sound_groups(own, comparison):
        shared.update(itertools.combinations(group, 2))
    pairs = [(b, a) if i % 2 else (a, b) for i, (a, b) in enumerate(sorted(shared))]
    codes = range(1, len(own) + 1)
    pairs += [(rng.choice(codes), rng.choice(codes)) for _ in range(40_000)]
    pairs += [(k, k) for k in codes]
    # Every value odd by hand against a sample of the population, both ways.
    odd = range(
        len(own) - len(ODD_NAMES if comparison == "name" else ODD_FATHERS) + 1, len(own) + 1
    )
    sample = rng.sample(codes, 300)
    pairs += [pair for k in odd for j in sample for pair in ((k, j), (j, k))]
    assert len(shared) > 100_000  # the population is as varied as it was when this was written
    seen = check(comparison, own, pairs)
    levels = {level for level, _ in comparison_named(comparison).levels}
    assert seen == levels, f"levels never met, so never checked: {levels - seen}"


HAND_NAMES: list[tuple[Value, Value]] = [
    (("ramesh jadhav", None), ("r jadhav", None)),
    (("r. jadhav", None), ("Ramesh Jadhav", None)),
    (("jadhav ramesh", None), ("ramesh jadhav", None)),
    (("ramkumar", None), ("ram kumar", None)),
    (("shiv verma", None), ("shiv varma", None)),
    (("shrikant", None), ("srikant", None)),
    (("rmesh", None), ("ramesh", None)),
    (("ramesh", None), ("rajesh", None)),
    (("amit", None), ("amrit", None)),
    (("arif", None), ("asif", None)),
    (("kamal", None), ("komal", None)),
    (("kavita", None), ("kavia", None)),
    (("yousaf", None), ("usuf", None)),
    (("rahman", None), ("rehman", None)),
    (("yadav", None), ("yaduv", None)),
    (("ramesh kumar", None), ("suresh kumar", None)),
    (("ramesh jadhav", None), ("ramesh kumar jadhav", None)),
    (("prem chand", None), ("premchand maurya", None)),
    (("dev shankar singh", None), ("deoshankar singh", None)),
    (("shankar singh ram narayan", None), ("ramnarayan shankar singh", None)),
    (("ved shankar", None), ("vedshanker", None)),
    (("rakesh", None), ("rakhes", None)),
    (("irfan", None), ("irfan", None)),
    (("murugan", None), ("murugan", None)),
    (("रमेश कुमार", None), ("Ramesh Kumar", None)),
    (("श्री रमेश कुमार", None), ("रमेश कुमार", None)),
    (("मोहम्मद इरफ़ान", None), ("Mohd. Irfan S/o Salim", None)),
    (("pappu", None), ("ramesh kumar", ["pappu"])),
    (("ramesh kumar", ["pappu"]), ("r kumar", ["pappu yadav"])),
    (("ramesh kumar", []), ("ramesh kumar", None)),
    ((None, None), ("ramesh", None)),
    (
        ("", []),
        ("", []),
    ),
    ((None, ["ramesh"]), ("ramesh", None)),
    (("..", None), ("..", None)),
    (("a b c d e f", None), ("a b c d e g", None)),
    (("r k", None), ("ramesh kumar", None)),
]

HAND_FATHERS: list[tuple[Value, Value]] = [
    (("suresh jadhav", "male"), ("jadhav suresh", "male")),
    (("ramesh", "male"), ("ramesh", "male")),
    (("s das", "male"), ("sunil das", "male")),
    (("r chaudhari", "male"), ("ramkumar chaudhari", "male")),
    (("s rajput", "male"), ("satish", "male")),
    (("ramesh kumar", "male"), ("ramesh nishad", "male")),
    (("ramesh kumar", "male"), ("suresh yadav", "male")),
    (("ramesh kumar", "female"), ("suresh yadav", "male")),
    (("ramesh kumar", "female"), ("suresh yadav", "female")),
    (("ramesh kumar", None), ("suresh yadav", "male")),
    (("ramesh kumar", "unknown"), ("suresh yadav", "unknown")),
    (("ramesh", "female"), ("ramesh kumar", "female")),
    (("rmesh kumar", "male"), ("ramesh kumar", "male")),
    ((None, "male"), ("ramesh", "male")),
    (("", "female"), ("", "female")),
    (("सुरेश जाधव", "male"), ("Suresh Jadhav", "male")),
    (("s", "male"), ("s", "male")),
    (("s", "male"), ("satish", "male")),
]


@pytest.mark.parametrize(
    ("comparison", "examples"), [("name", HAND_NAMES), ("father_name", HAND_FATHERS)]
)
def test_examples_by_hand(comparison: str, examples: list[tuple[Value, Value]]) -> None:
    values = [value for pair in examples for value in pair]
    pairs = [(2 * i + 1, 2 * i + 2) for i in range(len(examples))]
    pairs += [(b, a) for a, b in pairs]
    seen = check(comparison, values, pairs)
    assert NULL_LEVEL in seen and len(seen) >= 4  # the examples are not all of one level


def test_no_pairs() -> None:
    empty = np.array([], dtype=np.int32)
    out = native_levels("name", [("ramesh", None)], empty, empty)
    assert out is not None and out.shape == (0,)


def test_other_comparisons_are_not_native() -> None:
    one = np.array([1], dtype=np.int32)
    for comparison in COMPARISONS:
        if comparison.name not in NATIVE_COMPARISONS:
            assert native_levels(comparison.name, [(1990,)], one, one) is None


def test_a_code_without_a_value_is_refused() -> None:
    with pytest.raises(IndexError):
        native_levels(
            "name",
            [("ramesh", None)],
            np.array([1, 2], dtype=np.int32),
            np.array([1, 1], dtype=np.int32),
        )
    with pytest.raises(IndexError):
        native_levels(
            "father_name",
            [("ramesh", "male")],
            np.array([0], dtype=np.int32),
            np.array([1], dtype=np.int32),
        )


def test_codes_of_another_integer_type_are_taken() -> None:
    """The caller's arrays are made contiguous int32 when they are not."""
    values: list[Value] = [("ramesh kumar", None), ("r kumar", None)]
    lefts = np.array([1, 2, 1], dtype=np.int64)[::-1]
    out = native_levels("name", values, lefts, np.array([2, 2, 1]))
    assert out is not None
    assert out.tolist() == [
        comparison_named("name").function(*values[a - 1], *values[b - 1])
        for a, b in [(1, 2), (2, 2), (1, 1)]
    ]


def test_without_the_native_module_it_says_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None in sys.modules makes the import fail as a missing module does.
    monkeypatch.setitem(sys.modules, "icjs_native", None)
    one = np.array([1], dtype=np.int32)
    with pytest.raises(NativeLevelsMissing, match="make install") as raised:
        native_levels("name", [("ramesh", None)], one, one)
    assert isinstance(raised.value, ImportError)


@pytest.mark.parametrize(
    ("comparison", "examples"), [("name", HAND_NAMES), ("father_name", HAND_FATHERS)]
)
def test_duckdb_functions_give_the_python_levels(
    values: dict[str, list[Value]], comparison: str, examples: list[tuple[Value, Value]]
) -> None:
    """The functions Splink's SQL calls in training (gateway.services.persons.udfs: the native
    copy over DuckDB's Arrow chunks of 2,048 rows) give the Python function's level on every
    row, across chunks and with NULLs."""
    import duckdb
    import pyarrow as pa

    from canonical_model.person_matching import RECORD_COLUMNS
    from gateway.services.persons.udfs import register_udfs

    compared = comparison_named(comparison)
    own = values[comparison]
    rng = random.Random(f"udf {comparison}")
    rows = [*examples, *((rng.choice(own), rng.choice(own)) for _ in range(5_000))]
    columns = {
        f"{column}_{side}": [pair[k][i] for pair in rows]
        for k, side in enumerate("lr")
        for i, column in enumerate(compared.columns)
    }
    types = {
        name: pa.list_(pa.string())
        if RECORD_COLUMNS[name.rsplit("_", 1)[0]].endswith("[]")
        else pa.string()
        for name in columns
    }
    connection = duckdb.connect()
    register_udfs(connection)
    connection.register(
        "pairs", pa.table({name: pa.array(v, types[name]) for name, v in columns.items()})
    )
    found = [
        level for (level,) in connection.sql(f"SELECT {compared.sql_call()} FROM pairs").fetchall()
    ]
    wanted = [compared.function(*a, *b) for a, b in rows]
    wrong = [(rows[i], wanted[i], found[i]) for i in range(len(rows)) if wanted[i] != found[i]]
    assert not wrong, wrong[:10]


def test_forms_made_on_every_core_give_the_same_levels(
    values: dict[str, list[Value]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many distinct names have their forms made by forked workers (a million records' are);
    the levels are the same as with the forms made here."""
    import gateway.services.persons.native_levels as native

    own = values["name"]
    rng = random.Random("forms on every core")
    lefts = np.array([rng.randrange(1, len(own) + 1) for _ in range(20_000)], dtype=np.int32)
    rights = np.array([rng.randrange(1, len(own) + 1) for _ in range(20_000)], dtype=np.int32)
    here = native_levels("name", own, lefts, rights)
    monkeypatch.setattr(native, "PARALLEL_FORMS_FROM", 10)
    monkeypatch.setattr(native, "_FORMS_PIECE", 500)
    forked = native_levels("name", own, lefts, rights)
    assert here is not None and forked is not None
    assert len(set(here.tolist())) >= 4
    assert np.array_equal(here, forked)


def test_forms_kept_for_both_comparisons_and_later_calls_give_the_same_levels(
    values: dict[str, list[Value]],
) -> None:
    """A re-link keeps one NameForms for both comparisons and both of its scorings: the forms
    made for one call, and the table the native code holds, serve the next. The levels are
    those of calls that each make their own; the table is converted again only when names
    were added since."""
    from gateway.services.persons.native_levels import NameForms

    rng = random.Random("kept forms")
    kept = NameForms()
    kept.prepare_values({c: values[c] for c in ("name", "father_name")})
    table = kept.table()
    assert len(table) == len(kept.forms) > 1_000
    for comparison in ("name", "father_name", "name"):
        own = values[comparison]
        lefts = np.array([rng.randrange(1, len(own) + 1) for _ in range(5_000)], dtype=np.int32)
        rights = np.array([rng.randrange(1, len(own) + 1) for _ in range(5_000)], dtype=np.int32)
        alone = native_levels(comparison, own, lefts, rights)
        shared = native_levels(comparison, own, lefts, rights, forms=kept)
        assert alone is not None and shared is not None
        assert len(set(alone.tolist())) >= 3
        assert np.array_equal(alone, shared)
        assert kept.table() is table  # nothing added: not converted again
    # A name not seen before is added, and the table made again with it.
    new = [("zzyzx qwerty", ())]
    assert native_levels("name", new, np.array([1]), np.array([1]), forms=kept) is not None
    assert kept.table() is not table and len(kept.table()) == len(kept.forms)


def test_stored_names_give_the_same_forms_without_normalising_them_again(
    values: dict[str, list[Value]],
) -> None:
    """The re-link's names are stored normalised, and their forms are made without
    normalising them again (normalise_name changes nothing of its own output): the forms, and
    so the levels, must be those made from the name as written."""
    from gateway.services.persons.native_levels import NameForms

    texts = {
        text
        for comparison in ("name", "father_name")
        for value in values[comparison][: -len(ODD_NAMES if comparison == "name" else ODD_FATHERS)]
        for text in ((value[0], *(value[1] or ())) if comparison == "name" else (value[0],))
        if text
    }
    assert len(texts) > 1_000
    assert all(name_forms(t, normalised=True) == name_forms(t) for t in texts)
    own = values["name"][: -len(ODD_NAMES)]
    rng = random.Random("stored names")
    lefts = np.array([rng.randrange(1, len(own) + 1) for _ in range(5_000)], dtype=np.int32)
    rights = np.array([rng.randrange(1, len(own) + 1) for _ in range(5_000)], dtype=np.int32)
    as_written = native_levels("name", own, lefts, rights)
    stored = native_levels("name", own, lefts, rights, forms=NameForms(normalised=True))
    assert as_written is not None and stored is not None
    assert np.array_equal(as_written, stored)
    # A name as written (not normalised) is another matter: its forms differ.
    assert name_forms("Shri R. Kumar", normalised=True) != name_forms("Shri R. Kumar")
