"""The comparisons "name" and "father_name" of person linking, Python against the native copy.

    .venv/bin/python bench/person_levels.py                     # 20,000 persons
    .venv/bin/python bench/person_levels.py --persons 5000 --python-pairs 20000

The full re-link levels each distinct pair of values among its blocked pairs once
(``gateway.services.persons.linking``); these two comparisons are most of that time. This
levels the same pairs with the Python functions
(:func:`canonical_model.person_matching.best_name_level`, :func:`~canonical_model.person_matching.relative_level`)
on one core, as one worker process of the re-link does, and with the native copy
(:func:`gateway.services.persons.native_levels.native_levels`, every core), and prints pairs a
second of each and their ratio.

**Pairs.** A population of ``--persons`` (``bench/person_population.py``), its records'
distinct values of each comparison as the index holds them (names normalised), and the pairs
a blocking of the re-link's kind makes: for "name" the values sharing the sound keys of two
words of a name (the re-link's ``name_pairs``) or beginning with the same sound, for
"father_name" those whose fathers' names begin with the same sound (``father_first``). Making
them is timed apart and is not in the figures.

**Timing.** Native: the call as the re-link would make it, on every pair, twice: cold (each
distinct name's forms worked out in Python first, as in a re-link) and warm (the forms cached
by ``person_matching``); and the same call on one pair, which is what a call costs whatever
the pairs (the values handed over: a few microseconds a distinct value), so that the
comparing alone is the warm call less that. Python: ``--python-pairs`` pairs drawn at
random from the same pairs (all of them at a million records would take minutes), forms warm.
The levels of those pairs are compared: a difference is printed and the run exits 1.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.person_population import generate
from canonical_model import person_matching
from canonical_model.person_matching import comparison_named, name_forms
from canonical_model.person_names import name_tokens, normalise_name
from gateway.services.persons.native_levels import native_levels

Value = tuple[Any, ...]


def distinct_values(persons: int, seed: int) -> dict[str, list[Value]]:
    """Each comparison's distinct values among the population's records, as the index holds
    them (names normalised; aliases the other spellings, without the name)."""
    names: set[tuple[str | None, tuple[str, ...]]] = set()
    fathers: set[Value] = set()
    for labelled in generate(persons=persons, seed=seed):
        mention = labelled.mention
        name = normalise_name(mention.name)
        aliases = tuple(sorted({normalise_name(a) for a in mention.aliases} - {name, ""}))
        names.add((name or None, aliases))
        father = normalise_name(mention.father_name) if mention.father_name else None
        fathers.add((father or None, mention.gender))
    return {
        "name": [(n, list(a) or None) for n, a in sorted(names, key=repr)],
        "father_name": sorted(fathers, key=repr),
    }


def blocked_pairs(comparison: str, values: Sequence[Value]) -> list[tuple[int, int]]:
    """The distinct pairs of codes (from 1) a blocking of the re-link's kind makes."""
    blocks: defaultdict[str, list[int]] = defaultdict(list)
    for code, value in enumerate(values, start=1):
        keys: set[str] = set()
        if comparison == "name":
            for text in (value[0], *(value[1] or ())):
                forms = name_forms(text) if text else None
                if forms is not None:
                    sounds = sorted(set(forms.sounds))
                    keys.update(f"{a}|{b}" for a, b in itertools.combinations(sounds, 2))
                    keys.add(forms.sounds[0])
        else:
            forms = name_forms(value[0]) if value[0] else None
            if forms is not None:
                keys.add(forms.sounds[0])
        for key in keys:
            blocks[key].append(code)
    pairs: set[tuple[int, int]] = set()
    for block in blocks.values():
        pairs.update(itertools.combinations(block, 2))
    return sorted(pairs)


def run(comparison: str, values: list[Value], pairs: list[tuple[int, int]], sample: int) -> bool:
    """Time both on one comparison; whether they agreed."""
    lefts = np.array([a for a, _ in pairs], dtype=np.int32)
    rights = np.array([b for _, b in pairs], dtype=np.int32)
    # Forms cold: nothing of these names computed yet in this process.
    start = time.perf_counter()
    native = native_levels(comparison, values, lefts, rights)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    native = native_levels(comparison, values, lefts, rights)
    warm = time.perf_counter() - start
    assert native is not None
    start = time.perf_counter()
    native_levels(comparison, values, lefts[:1], rights[:1])
    setup = time.perf_counter() - start

    rng = random.Random(comparison)
    chosen = rng.sample(range(len(pairs)), min(sample, len(pairs)))
    function = comparison_named(comparison).function
    start = time.perf_counter()
    python = [function(*values[pairs[i][0] - 1], *values[pairs[i][1] - 1]) for i in chosen]
    slow = time.perf_counter() - start

    differ = [(i, p) for i, p in zip(chosen, python, strict=True) if int(native[i]) != p]
    for i, level in differ[:10]:
        a, b = pairs[i]
        print(f"  DIFFER {values[a - 1]!r} {values[b - 1]!r}: Python {level}, native {native[i]}")
    native_rate = len(pairs) / warm
    comparing_rate = len(pairs) / max(warm - setup, 1e-9)
    python_rate = len(chosen) / slow
    print(
        f"{comparison}: {len(values):,} distinct values, {len(pairs):,} pairs\n"
        f"  native, every core:  {native_rate:12,.0f} pairs/s"
        f"  ({warm:.2f} s; {cold:.2f} s with the names' forms worked out first)\n"
        f"    of which comparing {comparing_rate:12,.0f} pairs/s"
        f"  (the values handed over: {setup:.2f} s)\n"
        f"  Python, one core:    {python_rate:12,.0f} pairs/s"
        f"  ({len(chosen):,} of the pairs in {slow:.2f} s)\n"
        f"  native / Python:     {native_rate / python_rate:12,.1f}x the call,"
        f" {comparing_rate / python_rate:,.1f}x comparing;"
        f" levels {'differ on ' + str(len(differ)) + ' pairs' if differ else 'the same'}"
    )
    return not differ


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison; 1 if the native levels differed from Python's on any pair."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--python-pairs", type=int, default=100_000, help="pairs the Python functions level"
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    values = distinct_values(args.persons, args.seed)
    pairs = {name: blocked_pairs(name, own) for name, own in values.items()}
    print(
        f"{args.persons:,} persons: values and pairs made in "
        f"{time.perf_counter() - start:.1f} s (not timed below)"
    )
    # Fresh caches of the names' forms, so that the first native call works them out as a
    # re-link's would.
    person_matching._name.cache_clear()
    name_tokens.cache_clear()
    agreed = [run(name, values[name], pairs[name], args.python_pairs) for name in values]
    return 0 if all(agreed) else 1


if __name__ == "__main__":
    sys.exit(main())
