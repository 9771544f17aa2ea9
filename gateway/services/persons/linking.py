"""The full re-link of the person index (``icjs persons link``): every record scored against
its candidates with Splink (Fellegi-Sunter on DuckDB, in memory), the model's parameters
estimated from the records themselves, the records clustered into persons, and the uncertain
pairs put in the operators' review queue.

Two layers:

- :func:`link_records` is pure compute: a table of records in, clusters, review pairs and the
  trained model out. It reads and writes no database.
- :func:`relink` reads ``person_records`` and the operators' decisions from the store, runs
  :func:`link_records`, and writes the persons, the review queue and the model back in one
  transaction.

How two records compare (the comparisons, their levels and the DuckDB functions their SQL
calls) is :mod:`canonical_model.person_matching`'s; which pairs are compared at all (the
blocking rules) and how the parameters are estimated are this module's. The settings given
to Splink are kept in the repository beside this module (``splink_settings.json``, written by
:func:`write_settings_file`; a test checks that it is what :func:`splink_settings` builds).

Training, each step from the data:

1. the prior (the probability that two records drawn at random are one person) from the pairs
   that deterministic rules find (:data:`DETERMINISTIC_RULES`), divided by the recall those
   rules are first taken to have (:data:`DETERMINISTIC_RECALL`);
2. the u probabilities (how often each level occurs between different persons) from random
   pairs, which are almost all different persons;
3. the m probabilities (how often each level occurs for one person) by expectation
   maximisation on two blocking rules (:data:`EM_RULES`), each estimating the comparisons
   the other holds fixed;
4. the prior again, with the rules' recall that the trained m give (:func:`_rule_recall`):
   how often one person's records agree as fully as the rules ask depends on how they are
   written, which no constant can know.

Clustering takes, strongest first, every confirmed pair, every pair sharing an identifier, and
every scored pair at or above the link threshold; it never puts together two records an
operator split, nor two parties of one case (a case names each accused once).
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from sqlalchemy import Table, delete, insert, select
from sqlalchemy.engine import Connection

from canonical_model.person_matching import (
    COMPARISONS,
    NULL_LEVEL,
    PLAUSIBLE_PROBABILITY,
    RECORD_COLUMNS,
    Comparison,
    ModelParameters,
    comparison_levels,
    splink_comparisons,
)
from canonical_model.person_names import phonetic_key, phonetic_token
from gateway.services.persons.cores import forked_workers, map_on_cores
from gateway.services.persons.index import SETTINGS_VERSION, new_person_id
from gateway.services.persons.native_levels import NameForms, native_installed, native_levels
from gateway.services.persons.udfs import register_udfs
from gateway.store.bulk import insert_rows, large_sqlite_cache
from gateway.store.db import Database
from gateway.store.tables import PersonLinkRow, PersonModelRow, PersonRecordRow, utcnow

#: Where the settings live in the repository, for a reviewer to read and a test to check.
SETTINGS_FILE = Path(__file__).with_name("splink_settings.json")

#: Below this many records there is too little to estimate a model from (the deterministic
#: pairs and EM's blocks are a handful): each record is its own person, joined only by shared
#: identifiers and operators' confirmations.
MIN_RECORDS_TO_TRAIN = 100

#: The share of all true pairs that :data:`DETERMINISTIC_RULES` are first taken to find, for
#: the first estimate of the prior (EM starts from it). The rules ask for the name, the father's
#: name and the age to agree (by sound, within a year) or an identifier to be shared; how often
#: one person's records agree that fully depends on how the records are written, so once m is
#: trained the recall is estimated again from it (:func:`_rule_recall`) and the prior with it.
#: On synthetic populations written as India's records are, the rules find 0.1 to 0.3.
DETERMINISTIC_RECALL = 0.3
#: The least recall :func:`_rule_recall` is believed: below it the trained m are too few to
#: say, and the prior would grow past reason.
MIN_RULE_RECALL = 0.02

#: Random pairs sampled for the u probabilities: enough for every level of every comparison
#: to be seen often, few enough that a million records train in seconds.
U_MAX_PAIRS = 300_000
#: Blocked pairs (at most) that each EM session iterates over.
EM_MAX_PAIRS = 200_000
#: Seed of the u sampling: the same records train the same model (and so the same persons).
SEED = 20_260_701

#: The most years apart two birth years of one person's records can be (ages stated years
#: apart, misstated, rounded to five): a cluster spreading wider is two people.
MAX_BIRTH_YEAR_SPREAD = 8

#: An identifier carried by more records than this identifies no one (a placeholder, a
#: number typed wrong the same way): it neither joins records nor makes them candidates.
MAX_IDENTIFIER_SHARE = 20

#: The comparisons whose m is taken from pairs sharing an identifier rather than from EM
#: (:func:`_m_from_sure_pairs`), and the fewest such pairs giving the field on both sides for
#: that to be done.
SURE_PAIR_COMPARISONS: tuple[Comparison, ...] = tuple(
    c for c in COMPARISONS if c.name == "father_name"
)
MIN_SURE_PAIRS = 100

#: The most records a block of a blocking rule may hold for its records to be compared there.
#: A block (the records sharing a rule's key: two name words and the district, say) grows with
#: the population, and its pairs with its square: uncapped, the rules made 5.4 million pairs at
#: 100,000 persons and 84 million at 1,000,000 records, most of them common names ("Ramesh
#: Kumar" in one district), two people. A block larger than this is left to the other rules,
#: whose keys are narrower (the father's given name, the age); what no rule then brings
#: together are records too bare to tell apart from the other bearers of a common name. At
#: 100,000 persons, capping the first rule alone at 30 halved its pairs and raised F1 a little
#: (more false pairs left out than true ones).
MAX_BLOCK = 30

#: Records read from the store per query.
READ_CHUNK = 50_000
#: Rows written per statement.
WRITE_CHUNK = 20_000

Progress = Callable[[str], None]

RECORDS: Table = PersonRecordRow.__table__  # type: ignore[attr-defined]
LINKS: Table = PersonLinkRow.__table__  # type: ignore[attr-defined]


# -- the settings --------------------------------------------------------------------------------


def _rule(sql: str, *, explode: Sequence[str] = ()) -> dict[str, Any]:
    rule: dict[str, Any] = {"blocking_rule": sql, "sql_dialect": "duckdb"}
    if explode:
        rule["arrays_to_explode"] = list(explode)
    return rule


#: Two birth years that may be one person's: within three years, or one unknown.
_AGES = "(l.birth_year IS NULL OR r.birth_year IS NULL OR abs(l.birth_year - r.birth_year) <= 3)"

#: Which pairs are scored: those that agree on one of these. The columns they join on are
#: sound keys (:func:`canonical_model.person_names.phonetic_token`) computed for linking:
#:
#: - ``name_pairs``: every two words of the name (and of each alias) by sound, each pair
#:   sorted: "Nitin Kumar Jha" and "Niteen Kumar" share ``kumr nitin``;
#: - ``name_words``: each word of the name (and aliases) by sound;
#: - ``father_pairs`` and ``father_first``: the father's name's pairs of words, and the sound
#:   of its first word (his given name);
#: - the rules' keys, each one of those with the State, the district or the father's given
#:   name it is compared in (``state_name_pairs``: the name's pairs of words, each with the
#:   State; ``district_name_pairs``, ``father_name_pairs``, ``district_name_words``,
#:   ``state_father_words``, ``state_father_pairs``), a key kept only while at most
#:   :data:`MAX_BLOCK` records have it;
#: - ``identifier_keys``: the record's identifiers that at most :data:`MAX_IDENTIFIER_SHARE`
#:   records carry (a number typed as a placeholder, shared by hundreds, identifies no one).
#:
#: The ages they add keep the blocks of common names ("Ramesh Kumar", "Mohammad Irfan")
#: smaller still; ages "that may be one person's" (:data:`_AGES`) are within
#: three years, or unknown on one side.
BLOCKING_RULES: tuple[dict[str, Any], ...] = (
    # Two words of the name sound the same, in one State, at ages that may be one person's:
    # spellings, transliterations, word order, a middle name kept or dropped.
    _rule(f"l.state_name_pairs = r.state_name_pairs AND {_AGES}", explode=["state_name_pairs"]),
    # The same in one district, whatever the ages (misstated, rounded).
    _rule("l.district_name_pairs = r.district_name_pairs", explode=["district_name_pairs"]),
    # The same anywhere (a move to another State) with the father's given name sounding the same.
    _rule(f"l.father_name_pairs = r.father_name_pairs AND {_AGES}", explode=["father_name_pairs"]),
    # One word of the name sounds the same (the others written otherwise, or initials): in one
    # district at the same age within a year, or in one State with the father's given name.
    _rule(
        "l.district_name_words = r.district_name_words AND abs(l.birth_year - r.birth_year) <= 1",
        explode=["district_name_words"],
    ),
    _rule(
        f"l.state_father_words = r.state_father_words AND {_AGES}",
        explode=["state_father_words"],
    ),
    # Two words of the father's name sound the same, in one State, the ages within a year:
    # the person's own name written otherwise.
    _rule(
        "l.state_father_pairs = r.state_father_pairs AND abs(l.birth_year - r.birth_year) <= 1",
        explode=["state_father_pairs"],
    ),
    # An identifier in common (driving licence, prisoner number, a document's digest).
    _rule("l.identifier_keys = r.identifier_keys", explode=["identifier_keys"]),
)

#: Pairs all but certainly one person, counted for the prior.
DETERMINISTIC_RULES: tuple[dict[str, Any] | str, ...] = (
    _rule("l.identifier_keys = r.identifier_keys", explode=["identifier_keys"]),
    "l.name_block = r.name_block AND l.father_block = r.father_block"
    " AND abs(l.birth_year - r.birth_year) <= 1",
)

#: The blocking rules of the two EM sessions. A comparison reading a column that its session's
#: rule names is held fixed in that session (every pair of the block agrees on it, so it would
#: learn nothing true). The first (the name sounds the same, same birth year) estimates the
#: father's name, the place, gender and identifiers; the second (the father's name sounds the
#: same, same district) the name, the birth year, gender and identifiers. ``IS NOT NULL``
#: names a column for that purpose; it changes no pair, since a missing value has no sound key.
EM_RULES: tuple[str, ...] = (
    "l.name_block = r.name_block AND l.birth_year = r.birth_year AND l.name IS NOT NULL",
    "l.father_block = r.father_block AND l.district = r.district AND l.father_name IS NOT NULL",
)


def splink_settings() -> dict[str, Any]:
    """The settings Splink is given (before training): the comparisons of
    :mod:`canonical_model.person_matching`, :data:`BLOCKING_RULES`, and how EM iterates."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": splink_comparisons(),
        "blocking_rules_to_generate_predictions": [dict(rule) for rule in BLOCKING_RULES],
        # A starting value only: training replaces it (step 1).
        "probability_two_random_records_match": 0.0001,
        "em_convergence": 0.0001,
        "max_iterations": 25,
        # The pairs table holds ids, probabilities and levels: the records' columns are not
        # copied into each of millions of pairs.
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
    }


def settings_text() -> str:
    """:func:`splink_settings` as the text of :data:`SETTINGS_FILE`."""
    return json.dumps(splink_settings(), indent=2, ensure_ascii=False) + "\n"


def write_settings_file(path: Path = SETTINGS_FILE) -> Path:
    """Write :func:`splink_settings` to ``path`` (by default the repository's copy); run
    ``python -m gateway.services.persons.linking`` after changing the settings."""
    path.write_text(settings_text(), encoding="utf-8")
    return path


# -- linking -------------------------------------------------------------------------------------


@dataclass(slots=True)
class LinkResult:
    """What one linking run decided.

    ``clusters`` maps every record key to its cluster's representative (the smallest key of
    the cluster); ``joined`` says, for each record joined to another, how (``decision``,
    ``identifier`` or ``model``) and with what probability (1.0 for the first two) its
    strongest accepted pair joined it. ``review`` holds the pairs for the operators' queue,
    strongest first: ``(key_a, key_b, probability, match weight)`` with ``key_a < key_b``.
    """

    clusters: dict[str, str]
    joined: dict[str, tuple[str, float]] = field(default_factory=dict)
    review: list[tuple[str, str, float, float]] = field(default_factory=list)
    #: The comparison levels of each pair of ``review`` (by its two keys) as the model scored
    #: it, where the scoring kept them.
    review_levels: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    #: The trained model as Splink saves it (``linker.misc.save_model_to_json()``); empty
    #: when nothing was trained.
    model: dict[str, Any] = field(default_factory=dict)
    trained: bool = False
    #: Why nothing was trained, or what to know about the training.
    note: str = ""
    #: Candidate pairs the blocking rules generated (each scored once).
    pairs_scored: int = 0
    #: Seconds per phase (``prepare``, ``prior``, ``u``, ``em``, ``blocking``, ``predict``,
    #: ``cluster``).
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    #: What Splink warned of while training (levels never observed, and the like).
    warnings: list[str] = field(default_factory=list)
    #: The recall of :data:`DETERMINISTIC_RULES` that the trained m give (the prior's).
    rule_recall: float | None = None
    #: The comparisons' names and, a row per scored pair (in the order scored), their levels.
    scored_levels: tuple[list[str], Any] | None = None

    @property
    def prior(self) -> float | None:
        """The trained probability that two random records are one person."""
        value = self.model.get("probability_two_random_records_match")
        return float(value) if value is not None else None


class _Clusters:
    """Union-find over record indices that refuses any union putting together records that
    cannot be one person: two an operator split, two parties of one case, two genders, or
    birth years further apart than :data:`MAX_BIRTH_YEAR_SPREAD`; and, for a union the model
    proposes, two records that are not plausibly one person (:data:`PLAUSIBLE_PROBABILITY`;
    ``plausible`` says whether every record of one list and every one of the other are).
    Each pair scored is judged alone; these checks judge the cluster a pair would make, which
    keeps a chain of likely pairs (Ramesh Kumar born 1980, 1983, 1986 ...; "Ramesh Kumar s/o
    Suresh" to "R. Kumar" to "Rakesh Kumar s/o Mahesh") from becoming one person."""

    def __init__(
        self,
        cases: Sequence[int],
        apart: Sequence[tuple[int, int]],
        birth_years: Sequence[int | None],
        genders: Sequence[str | None],
        plausible: Callable[[list[int], list[int]], bool] | None = None,
    ) -> None:
        self.parent = list(range(len(cases)))
        self.size = [1] * len(cases)
        self._case = cases
        self._plausible = plausible
        # Per root, only once it holds more than one record: its records.
        self._members: dict[int, list[int]] = {}
        # Per root, only once it holds more than one record: the cases of its parties.
        self._cases: dict[int, set[int]] = {}
        self._apart: dict[int, set[int]] = {}
        for a, b in apart:
            self._apart.setdefault(a, set()).add(b)
            self._apart.setdefault(b, set()).add(a)
        # Per root: the earliest and latest birth year, and the gender, its records give.
        self._years: list[tuple[int, int] | None] = [
            (year, year) if year is not None else None for year in birth_years
        ]
        self._gender: list[str | None] = [g if g and g != "unknown" else None for g in genders]

    def find(self, x: int) -> int:
        """The root of ``x``'s cluster."""
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def _cases_of(self, root: int) -> set[int]:
        held = self._cases.get(root)
        if held is not None:
            return held
        case = self._case[root]
        return {case} if case >= 0 else set()

    def _years_of(self, ra: int, rb: int) -> tuple[int, int] | None:
        ya, yb = self._years[ra], self._years[rb]
        if ya is None or yb is None:
            return ya or yb
        return (min(ya[0], yb[0]), max(ya[1], yb[1]))

    def forbidden(self, ra: int, rb: int) -> bool:
        """Whether the clusters rooted at ``ra`` and ``rb`` must stay apart."""
        ga, gb = self._gender[ra], self._gender[rb]
        if ga is not None and gb is not None and ga != gb:
            return True
        years = self._years_of(ra, rb)
        if years is not None and years[1] - years[0] > MAX_BIRTH_YEAR_SPREAD:
            return True
        ca, cb = self._cases_of(ra), self._cases_of(rb)
        if ca and cb and not ca.isdisjoint(cb):
            return True
        for root, other in ((ra, rb), (rb, ra)):
            for x in self._apart.get(root, ()):
                if self.find(x) == other:
                    return True
        return False

    def _implausible(self, ra: int, rb: int) -> bool:
        """Whether some record of one cluster and some of the other are not plausibly one
        person (never when both are single records: that pair is the one proposed)."""
        plausible = self._plausible
        if plausible is None:
            return False
        members_a = self._members.get(ra, [ra])
        members_b = self._members.get(rb, [rb])
        if len(members_a) == 1 and len(members_b) == 1:
            return False
        return not plausible(members_a, members_b)

    def union(
        self, a: int, b: int, *, checked: bool = True, proposed_by_model: bool = False
    ) -> bool | None:
        """Join the clusters of ``a`` and ``b``: True if joined, False if refused, None if
        they were one already. Unchecked, only splits and cases are checked (an operator's
        confirmation overrides what the records say). A union the model proposes must also
        leave every two records of the cluster plausibly one person."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        if checked and self.forbidden(ra, rb):
            return False
        if not checked and self._decided_apart(ra, rb):
            return False
        if proposed_by_model and self._implausible(ra, rb):
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self._members[ra] = self._members.pop(ra, [ra]) + self._members.pop(rb, [rb])
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self._years[ra] = self._years_of(ra, rb)
        self._gender[ra] = self._gender[ra] or self._gender[rb]
        cases = self._cases_of(ra) | self._cases_of(rb)
        if cases:
            self._cases[ra] = cases
        self._cases.pop(rb, None)
        moved = self._apart.pop(rb, None)
        if moved:
            self._apart.setdefault(ra, set()).update(moved)
        return True

    def _decided_apart(self, ra: int, rb: int) -> bool:
        ca, cb = self._cases_of(ra), self._cases_of(rb)
        if ca and cb and not ca.isdisjoint(cb):
            return True
        return any(
            self.find(x) == other
            for root, other in ((ra, rb), (rb, ra))
            for x in self._apart.get(root, ())
        )


@contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the duration (and its previous state
    restored after); as a decorator, for the whole of a call.

    Why: a re-link holds millions of lists and tuples (a million records' columns, their
    names' forms, the pairs), and the collector's full passes walk every one of them again
    each time the heap has grown by a quarter: reading 1.65 million records took 30 s with it
    and 8.5 s without. What a re-link makes is freed by reference counting; the few cycles
    (DuckDB's and Splink's objects) are collected once it is turned back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _column(table: pa.Table, name: str) -> list[Any]:
    return table.column(name).to_pylist() if name in table.column_names else [None] * len(table)


def _blank_to_none(values: list[Any]) -> list[Any]:
    return [v if v else None for v in values]


def _word_pairs(name: str) -> list[str]:
    """Every two words of the name (initials left out) by sound, each pair sorted: the keys
    two spellings of one name share when a middle name is kept in one and dropped in the
    other, or the words are written in another order. A name of one word is its own key."""
    words = name.split()
    sounds = sorted({phonetic_token(word) for word in words if len(word) > 1})
    # A name written with initials ("R. Jadhav") meets the full name ("Ramesh Jadhav") at
    # the pair of an initial and a word: every full name also gives each word's first letter
    # with each other word; a name with initials, its initials with its words.
    initials = {w for w in words if len(w) == 1}
    if initials:
        pairs = {f"{i}. {s}" for i in initials for s in sounds}
    else:
        pairs = {
            f"{w[0]}. {phonetic_token(other)}"
            for w in words
            for other in words
            if other != w and len(w) > 1 and len(other) > 1
        }
    if len(sounds) == 1:
        return sorted({*sounds, *pairs})
    return sorted({f"{a} {b}" for i, a in enumerate(sounds) for b in sounds[i + 1 :]} | pairs)


def _first_word(name: str) -> str | None:
    """The sound of the first word that is not an initial (a father's given name)."""
    return next((phonetic_token(w) for w in name.split() if len(w) > 1), None)


def _per_name(names: list[str | None], function: Callable[[str], Any]) -> list[Any]:
    """``function`` of each name, computed once per distinct name (names repeat), by worker
    processes (one per core) when the distinct names are many: a million records have some
    700,000, and the sound keys are Python. ``function`` is a module's function (the workers
    are forked and receive it by name)."""
    distinct = list(dict.fromkeys(name for name in names if name))
    found = map_on_cores(function, distinct, least=PARALLEL_FROM, chunk=5_000)
    known = dict(zip(distinct, found, strict=True))
    return [known[name] if name else None for name in names]


def _sound_key(name: str) -> str | None:
    return phonetic_key(name) or None


def _prepared(table: pa.Table) -> pa.Table:
    """The records as DuckDB reads them: the columns the comparisons read, under their names,
    with an integer ``unique_id`` (the row's index: joins and clustering on integers, not
    keys) and the sound keys the blocking rules join on."""
    n = len(table)
    names = _blank_to_none(_column(table, "name"))
    aliases = [list(a or []) for a in _column(table, "aliases")]
    fathers = _blank_to_none(_column(table, "father_name"))
    name_keys = (
        _blank_to_none(_column(table, "phonetic_key"))
        if "phonetic_key" in table.column_names
        else _per_name(names, _sound_key)
    )
    # The aliases' pairs join the name's (most records have none).
    name_pairs: list[list[str]] = []
    if any(aliases):
        alias_pairs = iter(_per_name([a for listed in aliases for a in listed], _word_pairs))
        for own, listed in zip(_per_name(names, _word_pairs), aliases, strict=True):
            keys = set(own or [])
            for _ in listed:
                keys.update(next(alias_pairs) or [])
            name_pairs.append(sorted(keys))
    else:
        name_pairs = [own or [] for own in _per_name(names, _word_pairs)]
    states = _blank_to_none(_column(table, "state"))
    districts = _blank_to_none(_column(table, "district"))
    identifiers = [list(i or []) for i in _column(table, "identifiers")]
    carried = Counter(i for listed in identifiers for i in set(listed))
    strings = pa.list_(pa.string())
    return pa.table(
        {
            "unique_id": pa.array(range(n), pa.int64()),
            "name": pa.array(names, pa.string()),
            "aliases": pa.array(aliases, strings),
            "father_name": pa.array(fathers, pa.string()),
            "gender": pa.array([g or "unknown" for g in _column(table, "gender")], pa.string()),
            "birth_year": pa.array(_column(table, "birth_year"), pa.int32()),
            "state": pa.array(states, pa.string()),
            "district": pa.array(districts, pa.string()),
            "identifiers": pa.array(identifiers, strings),
            "identifier_keys": pa.array(
                [
                    sorted({i for i in listed if carried[i] <= MAX_IDENTIFIER_SHARE})
                    for listed in identifiers
                ],
                strings,
            ),
            "name_block": pa.array(name_keys, pa.string()),
            "name_pairs": pa.array(name_pairs, strings),
            "father_block": pa.array(_per_name(fathers, _sound_key), pa.string()),
            "father_pairs": pa.array([p or [] for p in _per_name(fathers, _word_pairs)], strings),
            "father_first": pa.array(_per_name(fathers, _first_word), pa.string()),
        }
    )


#: The blocking rules' keys (:data:`BLOCKING_RULES`): each column, what its keys are placed
#: in (SQL on a record; NULL when unknown: two unknowns are not a place in common), and the
#: list of keys placed.
_BLOCK_KEYS: tuple[tuple[str, str, str], ...] = (
    ("state_name_pairs", "state", "name_pairs"),
    ("district_name_pairs", "district", "name_pairs"),
    ("father_name_pairs", "father_first", "name_pairs"),
    ("district_name_words", "district", "name_words"),
    ("state_father_words", "state || '|' || father_first", "name_words"),
    ("state_father_pairs", "state", "father_pairs"),
)


def _add_block_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Add to DuckDB's ``records`` the name's words (``name_words``: the words of its pairs,
    initials left out: every R. would meet) and the columns of :data:`_BLOCK_KEYS`, each key
    kept only while at most :data:`MAX_BLOCK` records have it. In SQL: a million records'
    keys are some ten million strings, counted and filtered in a few seconds here against a
    minute and a half in Python."""
    con.execute(
        """
        CREATE TABLE __icjs_records AS
        SELECT *, list_sort(list_distinct(list_filter(
            flatten(list_transform(name_pairs, lambda p: string_split(p, ' '))),
            lambda k: NOT suffix(k, '.')))) AS name_words
        FROM records
        """
    )
    selects: list[str] = []
    joins: list[str] = []
    for i, (column, where, keys) in enumerate(_BLOCK_KEYS):
        # A record's keys are distinct (sets), so a key's count is its records'.
        con.execute(
            f"""
            CREATE TEMP TABLE __icjs_keys AS
            SELECT unique_id, ({where}) || '|' || unnest({keys}) AS key
            FROM __icjs_records WHERE ({where}) IS NOT NULL AND ({where}) <> ''
            """
        )
        con.execute(
            f"""
            CREATE TEMP TABLE __icjs_block_{i} AS
            SELECT unique_id, list(key ORDER BY key) AS keys FROM __icjs_keys
            WHERE key IN (SELECT key FROM __icjs_keys GROUP BY key HAVING count(*) <= {MAX_BLOCK})
            GROUP BY unique_id
            """
        )
        con.execute("DROP TABLE __icjs_keys")
        selects.append(f"coalesce(b{i}.keys, []::VARCHAR[]) AS {column}")
        joins.append(f"LEFT JOIN __icjs_block_{i} b{i} USING (unique_id)")
    con.execute("DROP TABLE records")
    con.execute(
        f"""
        CREATE TABLE records AS
        SELECT r.*, {", ".join(selects)} FROM __icjs_records r {" ".join(joins)}
        ORDER BY r.unique_id
        """
    )
    con.execute("DROP TABLE __icjs_records")
    for i in range(len(_BLOCK_KEYS)):
        con.execute(f"DROP TABLE __icjs_block_{i}")


class _SplinkLog(logging.Handler):
    """Collects what Splink logs at WARNING or above during a run, instead of printing it."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(" ".join(record.getMessage().split()))


@contextmanager
def _splink_quiet() -> Iterator[_SplinkLog]:
    logger = logging.getLogger("splink")
    handler = _SplinkLog()
    saved = (logger.level, logger.propagate, list(logger.handlers))
    logger.handlers = [handler]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]


def _identifier_pairs(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """Pairs of records sharing an identifier (of :data:`MAX_IDENTIFIER_SHARE` records at
    most), each once."""
    rows = con.execute(
        """
        WITH ids AS (
            SELECT unique_id, unnest(identifier_keys) AS identifier FROM records
        )
        SELECT DISTINCT a.unique_id, b.unique_id
        FROM ids a JOIN ids b ON a.identifier = b.identifier AND a.unique_id < b.unique_id
        ORDER BY 1, 2
        """
    ).fetchall()
    return [(int(a), int(b)) for a, b in rows]


def _m_from_sure_pairs(model: dict[str, Any], con: duckdb.DuckDBPyConnection) -> int:
    """Set the m probabilities of the comparisons of :data:`SURE_PAIR_COMPARISONS` in
    ``model`` from the pairs of records that share an identifier (:func:`_identifier_pairs`):
    one person whatever the model thinks, so how their fathers' names compare is what m
    means. Done when at least :data:`MIN_SURE_PAIRS` of them give the field on both sides;
    returns how many did (0: ``model`` unchanged).

    Why not EM's m: EM's first session pairs records of one sound of name and one birth
    year, and among them many men of a common name in one district are two people whose
    fathers differ; EM takes a share of them for one person, so m of "different fathers'
    names" came out at 0.14 where the benchmark's labels give 0.008, and a different father
    weighed 2.4 bits against a link instead of some 6.5.
    """
    pairs = _identifier_pairs(con)
    if not pairs:
        return 0
    con.register(
        "__icjs_sure_arrow",
        pa.table(
            {
                "a": pa.array([a for a, _ in pairs], pa.int64()),
                "b": pa.array([b for _, b in pairs], pa.int64()),
            }
        ),
    )
    used = 0
    try:
        for comparison in SURE_PAIR_COMPARISONS:
            arguments = [f"l.{c}" for c in comparison.columns] + [
                f"r.{c}" for c in comparison.columns
            ]
            rows = con.execute(
                f"""
                SELECT level, count(*) FROM (
                    SELECT {comparison.udf}({", ".join(arguments)}) AS level
                    FROM __icjs_sure_arrow p
                    JOIN records l ON l.unique_id = p.a
                    JOIN records r ON r.unique_id = p.b
                ) WHERE level <> {NULL_LEVEL} GROUP BY level
                """
            ).fetchall()
            counts = {int(level): int(n) for level, n in rows}
            total = sum(counts.values())
            if total < MIN_SURE_PAIRS:
                continue
            used = max(used, total)
            for entry in model["comparisons"]:
                if entry["output_column_name"] != comparison.name:
                    continue
                levels = [x for x in entry["comparison_levels"] if not x.get("is_null_level")]
                # Half a pair added to every level: a level no sure pair showed is rare, not
                # impossible.
                for index, level in enumerate(levels):
                    value = len(levels) - 1 - index
                    level["m_probability"] = (counts.get(value, 0) + 0.5) / (
                        total + 0.5 * len(levels)
                    )
    finally:
        con.unregister("__icjs_sure_arrow")
    return used


class _Untrainable(Exception):
    """Training could not give a usable model; the message says why."""


def _train(
    linker: Any,
    con: duckdb.DuckDBPyConnection,
    records: int,
    timings: dict[str, float],
    say: Progress,
) -> tuple[float, float]:
    """Estimate the prior, u and m from the records (see the module's docstring); return the
    number of random pairs u was estimated on, and the number of matches (expected) among the
    pairs of the larger EM session."""
    from splink.internals.exceptions import SplinkException

    start = time.perf_counter()
    try:
        linker.training.estimate_probability_two_random_records_match(
            list(DETERMINISTIC_RULES), recall=DETERMINISTIC_RECALL
        )
    except ValueError as exc:  # more deterministic pairs than the recall allows
        raise _Untrainable(f"prior: {exc}") from exc
    prior = float(linker.misc.save_model_to_json()["probability_two_random_records_match"])
    if not 0 < prior < 1:
        raise _Untrainable(
            "prior: the deterministic rules found no pair that is surely one person"
            if prior <= 0
            else "prior: every pair looks like one person"
        )
    timings["prior"] = time.perf_counter() - start
    say(f"prior: {prior:.3g} (one pair in {1 / prior:,.0f}) ({timings['prior']:.1f} s)")

    start = time.perf_counter()
    u_pairs = min(U_MAX_PAIRS, records * (records - 1) / 2)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=SEED)
    timings["u"] = time.perf_counter() - start
    say(f"u probabilities from {u_pairs:,.0f} random pairs ({timings['u']:.1f} s)")

    start = time.perf_counter()
    matches = 0.0
    for rule in EM_RULES:
        try:
            session = linker.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=EM_MAX_PAIRS, estimate_without_term_frequencies=True
            )
        except (SplinkException, ValueError, ZeroDivisionError) as exc:
            raise _Untrainable(f"m by expectation maximisation on {rule!r}: {exc}") from exc
        ((pairs,),) = con.execute(
            f"SELECT count(*) FROM records l JOIN records r ON l.unique_id < r.unique_id AND {rule}"
        ).fetchall()
        share = session.core_model_settings.probability_two_random_records_match
        matches = max(matches, float(share) * min(int(pairs), EM_MAX_PAIRS))
    timings["em"] = time.perf_counter() - start
    say(f"m probabilities by expectation maximisation ({timings['em']:.1f} s)")
    return u_pairs, matches


def _completed(
    model: dict[str, Any], u_pairs: float, matches: float
) -> tuple[dict[str, Any], list[str]]:
    """``model`` with an m and a u for every level, and the levels (``comparison/label``)
    that training left without one.

    Splink leaves out of the model it saves a level training never saw, and scores that level
    with a stand-in of its own (one in a million); whoever reads the saved model (the review
    queue's reasons, incremental linking) would then weigh the pair otherwise. So stand-ins
    are written into the model, which is then what scores the pairs: a level never seen among
    the ``u_pairs`` random pairs gets u = 0.5 / ``u_pairs``, one never seen among the
    ``matches`` of EM gets m = 0.5 / ``matches`` (rarer than one in what was seen, by half a
    count, rather than Splink's one in a million, which on a small population would outweigh
    everything else).
    """
    completed = json.loads(json.dumps(model))
    filled: list[str] = []
    for comparison in completed.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            missing = [p for p in ("m_probability", "u_probability") if p not in level]
            if not missing:
                continue
            if "u_probability" in missing:
                level["u_probability"] = 0.5 / max(u_pairs, 1.0)
            if "m_probability" in missing:
                level["m_probability"] = 0.5 / max(matches, 1.0)
            label = level.get("label_for_charts") or level.get("sql_condition")
            what = " and ".join(p[0] for p in missing)
            filled.append(f"{comparison.get('output_column_name')}/{label} ({what})")
    return completed, filled


def _check(model: dict[str, Any]) -> None:
    """Raise :class:`_Untrainable` if EM went astray: the same name (the comparison's top
    level) must be evidence of one person. EM that did not converge, or converged on the
    wrong split of its pairs (all the common names in one class), gives it no weight."""
    parameters = ModelParameters.from_splink_json(model)
    levels = parameters.m_probabilities.get("name", {})
    if not levels or parameters.level_weight("name", max(levels)) <= 0:
        raise _Untrainable("m by expectation maximisation: the same name came out as no evidence")


def _rule_recall(model: dict[str, Any], con: duckdb.DuckDBPyConnection) -> float:
    """The share of true pairs :data:`DETERMINISTIC_RULES` find, as the trained model sees it.

    The first rule fires for a pair of one person when both records give a name, a father's
    name and an age (the share of records that do, squared) and the three agree: the name and
    the father's name by sound (levels 4 and 3 of ``name``, 5 and 4 of ``father_name``), the birth
    years within a year (levels 3 and 2 of ``birth_year``); the second when both carry
    identifiers and share one (level 1 of ``identifiers``). Taking the fields as independent
    given a match, as the model does, the m probabilities give each rule's recall.
    """
    m = ModelParameters.from_splink_json(model).m_probabilities

    def agree(comparison: str, *levels: int) -> float:
        return sum(m.get(comparison, {}).get(level, 0.0) for level in levels)

    ((complete, identified),) = con.execute(
        "SELECT avg(CASE WHEN name_block IS NOT NULL AND father_block IS NOT NULL"
        " AND birth_year IS NOT NULL THEN 1.0 ELSE 0.0 END),"
        " avg(CASE WHEN len(identifier_keys) > 0 THEN 1.0 ELSE 0.0 END) FROM records"
    ).fetchall()
    by_sound = (
        agree("name", 4, 3)
        * agree("father_name", 5, 4)
        * agree("birth_year", 3, 2)
        * float(complete) ** 2
    )
    by_identifier = agree("identifiers", 1) * float(identified) ** 2
    return 1 - (1 - by_sound) * (1 - by_identifier)


@_no_cyclic_collection()
def link_records(
    table: pa.Table,
    *,
    confirmed: Sequence[tuple[str, str]] = (),
    split: Sequence[tuple[str, str]] = (),
    link_threshold: float = 0.9,
    review_threshold: float = 0.6,
    progress: Progress | None = None,
) -> LinkResult:
    """Link ``table``'s records into persons.

    ``table`` has one row per record: ``unique_id`` (the record key), ``name``, ``aliases``
    (list of strings), ``father_name``, ``gender``, ``birth_year``, ``state``, ``district``,
    ``identifiers`` (list of strings), names normalised as
    :func:`canonical_model.person_names.normalise_name` gives them; optionally
    ``phonetic_key`` (the name's sound key, else computed), and ``case_id`` with
    ``party_ref`` (two parties of one case are never one person). ``confirmed`` and
    ``split`` are operators' decisions on pairs of keys: confirmed pairs are joined, split
    pairs are never put in one cluster, and neither is offered for review again.

    Fewer than :data:`MIN_RECORDS_TO_TRAIN` records, or training that fails, give each
    record its own cluster joined only by shared identifiers and confirmed pairs, with
    ``trained`` False and ``note`` saying why.
    """
    if not 0 < review_threshold <= link_threshold <= 1:
        raise ValueError(
            "thresholds: need 0 < review threshold <= link threshold <= 1, got "
            f"{review_threshold} and {link_threshold}"
        )
    say = progress or (lambda _line: None)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    keys: list[str] = [str(k) for k in _column(table, "unique_id")]
    index = {key: i for i, key in enumerate(keys)}
    if len(index) != len(keys):
        raise ValueError("unique_id: a record key appears twice")
    case_codes: dict[str, int] = {}
    cases = [
        case_codes.setdefault(case, len(case_codes)) if case and party else -1
        for case, party in zip(_column(table, "case_id"), _column(table, "party_ref"), strict=True)
    ]
    # Pairs an operator decided, by indices (smaller first).
    decided = {
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, b in (*confirmed, *split)
        if a in index and b in index
    }
    apart = [(index[a], index[b]) for a, b in split if a in index and b in index and a != b]
    prepared = _prepared(table)
    con = duckdb.connect(":memory:")
    try:
        register_udfs(con)
        con.register("records_arrow", prepared)
        con.execute("CREATE TABLE records AS SELECT * FROM records_arrow")
        con.unregister("records_arrow")
        _add_block_keys(con)
        timings["prepare"] = time.perf_counter() - start
        say(f"records: {len(keys):,} prepared ({timings['prepare']:.1f} s)")

        # Strongest first: operators' confirmations, then shared identifiers, then the model's
        # pairs by falling probability. Each edge: (a, b, probability, how).
        edges: list[tuple[int, int, float, str]] = [
            (index[a], index[b], 1.0, "decision")
            for a, b in confirmed
            if a in index and b in index and a != b
        ]
        edges += [(a, b, 1.0, "identifier") for a, b in _identifier_pairs(con)]
        result = LinkResult(clusters={}, timings=timings)
        scored: list[tuple[int, int, float, float]] = []
        rescore: Rescore | None = None
        if len(keys) < MIN_RECORDS_TO_TRAIN:
            result.note = (
                f"{len(keys)} records: too few to estimate a model from "
                f"(at least {MIN_RECORDS_TO_TRAIN}); linked by identifiers and decisions only"
            )
        else:
            try:
                scored, rescore = _score(con, result, len(keys), review_threshold, say)
            except _Untrainable as exc:
                result.note = f"not trained ({exc}); linked by identifiers and decisions only"
                result.model, result.trained = {}, False
        if result.note:
            say(result.note)

        start = time.perf_counter()

        def settled(a: int, b: int) -> bool:
            # By an operator, or as two parties of one case: never the model's to join.
            if cases[a] >= 0 and cases[a] == cases[b]:
                return True
            return bool(decided) and ((a, b) if a < b else (b, a)) in decided

        judged = (
            _judged_in_advance(
                con,
                rescore,
                records=len(keys),
                joins=[(a, b) for a, b, _, _ in edges]
                + [(a, b) for a, b, p, _ in scored if p >= link_threshold and not settled(a, b)],
            )
            if rescore is not None
            else None
        )
        clusters = _Clusters(
            cases,
            apart,
            _column(table, "birth_year"),
            _column(table, "gender"),
            _plausibility(table, result.model, judged) if result.trained else None,
        )
        joined: dict[int, tuple[str, float]] = {}
        refused: list[tuple[int, int, float, float]] = []
        accepted = 0

        def accept(a: int, b: int, probability: float, how: str) -> bool:
            outcome = clusters.union(
                a, b, checked=how != "decision", proposed_by_model=how == "model"
            )
            if outcome is False:
                return False
            if outcome:
                nonlocal accepted
                accepted += 1
            for x in (a, b):
                if x not in joined or probability > joined[x][1]:
                    joined[x] = (how, probability)
            return True

        for a, b, probability, how in edges:
            accept(a, b, probability, how)
        review: list[tuple[int, int, float, float]] = []
        # Each pair for review: its row among the scored pairs (for its levels).
        rows: dict[tuple[int, int], int] = {}
        for row, (a, b, probability, weight) in enumerate(scored):
            if settled(a, b):
                continue
            if probability >= link_threshold:
                if not accept(a, b, probability, "model"):
                    refused.append((a, b, probability, weight))
                    rows[(a, b)] = row
            else:
                review.append((a, b, probability, weight))
                rows[(a, b)] = row
        # A strong pair refused because its clusters must stay apart (others in them were split
        # or are of one case) is uncertain too.
        review += refused
        review.sort(key=lambda r: (-r[2], keys[r[0]], keys[r[1]]))

        representative: dict[int, str] = {}
        roots = [clusters.find(i) for i in range(len(keys))]
        for i, root in enumerate(roots):
            known = representative.get(root)
            if known is None or keys[i] < known:
                representative[root] = keys[i]
        result.clusters = {keys[i]: representative[root] for i, root in enumerate(roots)}
        result.joined = {keys[i]: how for i, how in joined.items()}
        result.review = [
            (*((keys[a], keys[b]) if keys[a] < keys[b] else (keys[b], keys[a])), p, w)
            for a, b, p, w in review
        ]
        if result.scored_levels is not None:
            names, levels = result.scored_levels
            for (a, b, _, _), pair in zip(review, result.review, strict=True):
                at = rows.get((a, b))
                if at is not None:
                    result.review_levels[(pair[0], pair[1])] = dict(
                        zip(names, (int(v) for v in levels[at]), strict=True)
                    )
            # Only the review's levels are kept.
            result.scored_levels = None
        timings["cluster"] = time.perf_counter() - start
        result.counts.update(
            records=len(keys),
            clusters=len(representative),
            linked_records=len(joined),
            edges_accepted=accepted,
            edges_refused=len(refused),
            identifier_pairs=sum(1 for e in edges if e[3] == "identifier"),
            confirmed_pairs=sum(1 for e in edges if e[3] == "decision"),
            review_pairs=len(result.review),
        )
        say(
            f"clusters: {len(representative):,} from {len(keys):,} records, "
            f"{accepted:,} links, {len(refused):,} refused, {len(result.review):,} to review "
            f"({timings['cluster']:.1f} s)"
        )
        return result
    finally:
        con.close()


#: Scores more pairs of records as the re-link scored its blocked pairs: given the name of a
#: DuckDB table of pairs (``join_key_l``, ``join_key_r``, ``match_key``) and a probability,
#: the name of the table of those pairs scoring at least that (``unique_id_l``,
#: ``unique_id_r``, ``match_probability`` ...), or None when it cannot.
Rescore = Callable[[str, float], str | None]

#: The most records a group of records joined by strong pairs may hold for every two of them
#: to be judged plausible or not in advance (:func:`_judged_in_advance`); the pairs of a larger
#: group are judged one by one, in Python, as clustering asks. At a million records the
#: largest group held 255 records, and all groups 1.3 million pairs.
JUDGED_GROUP = 1_000


@dataclass(frozen=True, slots=True)
class _Judged:
    """Pairs judged in advance: each record's group (-1 when its pairs were not judged) and,
    of the pairs within a group, those plausibly one person (as ``a * records + b``,
    ``a < b``)."""

    group: list[int]
    plausible: set[int]


def _judged_in_advance(
    con: duckdb.DuckDBPyConnection,
    rescore: Rescore,
    *,
    records: int,
    joins: Sequence[tuple[int, int]],
) -> _Judged | None:
    """Judge in advance, by scoring them as the blocked pairs were (natively, every distinct
    pair of values once), whether every two records that clustering may ask about are
    plausibly one person (:data:`~canonical_model.person_matching.PLAUSIBLE_PROBABILITY`).

    Why: clustering asks about every record of one cluster with every record of the other
    before a union the model proposes, and at a million records it asked about 300,000
    pairs, each compared in Python: some twenty seconds. Clustering only ever joins records
    along ``joins`` (every pair it may accept), so what it asks about lies within the groups
    those pairs connect; the pairs of groups of at most :data:`JUDGED_GROUP` records are
    scored here at once. None when the scoring cannot be done this way."""
    parent = list(range(records))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in joins:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    roots = [find(i) for i in range(records)]
    sizes = Counter(roots)
    group = [r if 1 < sizes[r] <= JUDGED_GROUP else -1 for r in roots]
    members = [(i, g) for i, g in enumerate(group) if g >= 0]
    con.register(
        "__icjs_groups_arrow",
        pa.table(
            {
                "unique_id": pa.array([i for i, _ in members], pa.int64()),
                "grp": pa.array([g for _, g in members], pa.int64()),
            }
        ),
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE __icjs_group_pairs AS
        SELECT l.unique_id AS join_key_l, r.unique_id AS join_key_r, '0' AS match_key
        FROM __icjs_groups_arrow l JOIN __icjs_groups_arrow r
            ON l.grp = r.grp AND l.unique_id < r.unique_id
        """
    )
    con.unregister("__icjs_groups_arrow")
    try:
        found = rescore("__icjs_group_pairs", PLAUSIBLE_PROBABILITY)
        if found is None:
            return None
        left, right = (
            con.sql(f"SELECT unique_id_l, unique_id_r FROM {found}").to_arrow_table().columns
        )
        con.execute(f"DROP TABLE {found}")
    finally:
        con.execute("DROP TABLE IF EXISTS __icjs_group_pairs")
    lo = np.minimum(left.to_numpy(), right.to_numpy()).astype(np.int64)
    hi = np.maximum(left.to_numpy(), right.to_numpy()).astype(np.int64)
    return _Judged(group=group, plausible=set((lo * records + hi).tolist()))


def _plausibility(
    table: pa.Table, model: dict[str, Any], judged: _Judged | None = None
) -> Callable[[list[int], list[int]], bool]:
    """Whether every record of one list and every record of the other (indices into
    ``table``) are plausibly one person by ``model``:
    :meth:`~canonical_model.person_matching.ModelParameters.plausible`; for two records of a
    group ``judged`` in advance, as it judged them."""
    parameters = ModelParameters.from_splink_json(model)
    columns = {name: _column(table, name) for name in RECORD_COLUMNS}
    # The same two records are judged again each time a pair between their clusters is
    # proposed (a refused union is proposed again by every other strong pair across it).
    # (Judging a union's pairs together by the native copy was tried: a call per union cost
    # more than the Python comparisons it saved.)
    known: dict[tuple[int, int], bool] = {}

    def record(i: int) -> dict[str, Any]:
        return {name: values[i] for name, values in columns.items()}

    group = judged.group if judged is not None else None
    plausible_in_group = judged.plausible if judged is not None else set()

    def plausible_pair(a: int, b: int) -> bool:
        if group is not None and group[a] >= 0 and group[a] == group[b]:
            return (a * len(group) + b if a < b else b * len(group) + a) in plausible_in_group
        pair = (a, b) if a < b else (b, a)
        found = known.get(pair)
        if found is None:
            found = known[pair] = parameters.plausible(comparison_levels(record(a), record(b)))
        return found

    def plausible(xs: list[int], ys: list[int]) -> bool:
        return all(plausible_pair(x, y) for x in xs for y in ys)

    return plausible


def _gamma_of_levels(linker: Any) -> list[tuple[Comparison, dict[int, int], int | None]] | None:
    """How Splink turns each comparison's function into its comparison vector value: for each
    of the model's comparisons (in Splink's order), the comparison of
    :mod:`canonical_model.person_matching` whose function it calls, the vector value of each
    level the function may return (the first condition ``call = level`` that holds), and the
    value when none holds (the ``ELSE`` level; None without one, as Splink's CASE gives NULL).

    None when a level's SQL is anything but ``call = level`` or ``ELSE``, or a comparison has
    term-frequency adjustments: the values could then not be worked out from the functions'
    results alone, and Splink must score the pairs itself.
    """
    by_name = {c.name: c for c in COMPARISONS}

    def plain(sql: str) -> str:
        return re.sub(r'[\s"]+', "", sql).lower()

    out: list[tuple[Comparison, dict[int, int], int | None]] = []
    for splink_comparison in linker._settings_obj.core_model_settings.comparisons:
        comparison = by_name.get(splink_comparison.output_column_name)
        if comparison is None:
            return None
        call = plain(comparison.sql_call()) + "="
        values: dict[int, int] = {}
        default: int | None = None
        for level in splink_comparison.comparison_levels:
            if level._has_tf_adjustments:
                return None
            if level._is_else_level:
                default = int(level.comparison_vector_value)
                break  # Splink's CASE ends with ELSE: later levels are never reached
            condition = plain(level.sql_condition)
            if not condition.startswith(call) or not re.fullmatch(r"-?\d+", condition[len(call) :]):
                return None
            values.setdefault(int(condition[len(call) :]), int(level.comparison_vector_value))
        out.append((comparison, values, default))
    return out


#: Distinct pairs of values from which a comparison's levels are computed by worker processes
#: (one per core) rather than by this one: below it, starting them costs more than it saves.
PARALLEL_FROM = 50_000
#: Distinct pairs of values per piece of work handed to a worker.
PARALLEL_PIECE = 100_000


@dataclass(frozen=True, slots=True)
class _LevelJob:
    """A comparison's levels to compute: its function, the values of each code (code k at
    k - 1), the vector value of each level and the one for any other result, and the pairs of
    codes (``lefts[i]`` with ``rights[i]``)."""

    function: Callable[..., Any]
    values: list[tuple[Any, ...]]
    values_of: dict[int, int]
    default: int | None
    lefts: list[int]
    rights: list[int]

    def run(self, start: int, stop: int) -> list[int | None]:
        """The comparison vector values of pairs ``start`` to ``stop``."""
        function, values, values_of, default = (
            self.function,
            self.values,
            self.values_of,
            self.default,
        )
        return [
            values_of.get(function(*values[a - 1], *values[b - 1]), default)
            for a, b in zip(self.lefts[start:stop], self.rights[start:stop], strict=True)
        ]


#: The job the forked workers of :func:`_levels` read: set before they are started, so each
#: inherits it with the process instead of receiving millions of values through a pipe.
_JOB: _LevelJob | None = None


def _run_piece(bounds: tuple[int, int]) -> list[int | None]:
    assert _JOB is not None  # set by _levels before the workers were forked
    return _JOB.run(*bounds)


def _levels(job: _LevelJob, progress: Callable[[int, int], None]) -> list[int | None]:
    """The comparison vector values of ``job``'s pairs, in order: in worker processes, one per
    core, when there are many (the functions are Python: one process computes on one core
    only), else here. ``progress`` hears how many are done, every few seconds."""
    global _JOB
    total = len(job.lefts)
    workers = forked_workers(total, least=PARALLEL_FROM)
    if not workers:
        return job.run(0, total)
    pieces = [(at, min(at + PARALLEL_PIECE, total)) for at in range(0, total, PARALLEL_PIECE)]
    out: list[int | None] = []
    _JOB = job
    try:
        # The job reaches the workers with the fork, not through a pipe (module ``cores``).
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            said = time.perf_counter()
            for part in pool.imap(_run_piece, pieces):
                out += part
                if time.perf_counter() - said > 5:
                    progress(len(out), total)
                    said = time.perf_counter()
    finally:
        _JOB = None
    return out


def _native_gammas(
    comparison: Comparison,
    values: Sequence[tuple[Any, ...]],
    values_of: dict[int, int],
    default: int | None,
    left: pa.ChunkedArray,
    right: pa.ChunkedArray,
    forms: NameForms,
) -> pa.Array | None:
    """The comparison vector values of the pairs of codes ``left[i]``, ``right[i]`` by the
    native copy of the comparison's function
    (:func:`gateway.services.persons.native_levels.native_levels`, which must be installed),
    or None when it has none: the caller then calls the Python function. The function's levels
    become vector values as :func:`_gamma_of_levels` says, NULL where Splink's CASE gives
    NULL. ``forms`` keeps the names' forms made for one call for the next."""
    levels = native_levels(
        comparison.name,
        values,
        left.to_numpy().astype(np.int32, copy=False),
        right.to_numpy().astype(np.int32, copy=False),
        forms=forms,
    )
    if levels is None:
        return None
    unset = np.iinfo(np.int32).min
    gamma = np.full(len(levels), unset if default is None else default, dtype=np.int32)
    for level, value in values_of.items():
        gamma[levels == level] = value
    return pa.array(gamma, pa.int32(), mask=gamma == unset if default is None else None)


@dataclass(slots=True)
class _Scored:
    """What the scorings of one re-link share (:func:`_predict_by_distinct_values`): the forms
    of the names compared natively, each comparison's values by code, and whether the codes
    table (``__icjs_codes``) is made."""

    #: (The records' names are stored normalised.)
    forms: NameForms = field(default_factory=lambda: NameForms(normalised=True))
    values: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    coded: bool = False


def _predict_by_distinct_values(
    linker: Any,
    con: duckdb.DuckDBPyConnection,
    blocked: str,
    threshold: float,
    say: Progress,
    *,
    memo: _Scored,
    output: str = "__icjs_predictions",
    keep_vectors: bool = True,
) -> str | None:
    """Score the blocked pairs of ``blocked`` (``join_key_l``, ``join_key_r``, ``match_key``)
    as Splink's ``predict`` would, calling each comparison's function once per distinct pair
    of the values it reads rather than once per pair of records; return the name of the table
    of predictions (``output``: ``unique_id_l``, ``unique_id_r``, ``match_key``,
    ``match_weight``, ``match_probability``, at or above ``threshold``, and with
    ``keep_vectors`` each comparison's ``gamma_`` column), or None when the comparisons' SQL is
    not of the form this can follow (:func:`_gamma_of_levels`). ``memo`` keeps what a later
    call on the same records reuses.

    Why: the functions are Python, and DuckDB calls a Python function one row at a time, a
    few microseconds a call; a million records make some ten million pairs, six calls each.
    But names, years and places repeat: the pairs of distinct values are far fewer than the
    pairs of records. So each record gets, per comparison, a code for the values that
    comparison reads (equal values, equal code: ``dense_rank``); DuckDB finds the distinct
    pairs of codes among the blocked pairs; Python computes the level of each, once; DuckDB
    joins the levels back onto the pairs as their comparison vectors; and Splink's own SQL
    turns the vectors into match weights and probabilities, so the arithmetic is Splink's.
    """
    from splink.internals.predict import predict_from_comparison_vectors_sqls_using_settings

    plan = _gamma_of_levels(linker)
    if plan is None:
        return None
    native = native_installed()
    if not native:
        say(
            "predict: the native comparisons (icjs_native) are not installed, the names are "
            "compared in Python, many times slower: `make install` builds them"
        )
    codes = ", ".join(
        f"dense_rank() OVER (ORDER BY {', '.join(comparison.columns)})::INTEGER AS c{i}"
        for i, (comparison, _, _) in enumerate(plan)
    )
    if not memo.coded:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE __icjs_codes AS SELECT unique_id, {codes} FROM records"
        )
        memo.coded = True
    sides = ", ".join(f"l.c{i} AS c{i}_l, r.c{i} AS c{i}_r" for i in range(len(plan)))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE __icjs_pair_codes AS
        SELECT b.join_key_l AS unique_id_l, b.join_key_r AS unique_id_r, b.match_key, {sides}
        FROM {blocked} b
        JOIN __icjs_codes l ON l.unique_id = b.join_key_l
        JOIN __icjs_codes r ON r.unique_id = b.join_key_r
        """
    )
    for i, (comparison, _, _) in enumerate(plan):
        if i not in memo.values:
            columns = ", ".join(f"any_value({c})" for c in comparison.columns)
            # Dense ranks run from 1: the values of code k are at k - 1.
            memo.values[i] = con.execute(
                f"SELECT {columns} FROM records r JOIN __icjs_codes c USING (unique_id)"
                f" GROUP BY c.c{i} ORDER BY c.c{i}"
            ).fetchall()
    if native:
        # The names of both native comparisons at once (names and fathers' names overlap).
        memo.forms.prepare_values({c.name: memo.values[i] for i, (c, _, _) in enumerate(plan)})
    gammas: list[str] = []
    joins: list[str] = []
    for i, (comparison, values_of, default) in enumerate(plan):
        start = time.perf_counter()
        values = memo.values[i]
        left, right = (
            con.sql(f"SELECT DISTINCT c{i}_l, c{i}_r FROM __icjs_pair_codes")
            .to_arrow_table()
            .columns
        )
        name = comparison.name
        gamma = (
            _native_gammas(comparison, values, values_of, default, left, right, memo.forms)
            if native
            else None
        )
        native_done = gamma is not None
        if gamma is None:
            lefts, rights = left.to_pylist(), right.to_pylist()

            def progress(done: int, total: int, name: str = name) -> None:
                say(f"predict: {name}, {done:,} of {total:,} distinct pairs of values")

            gamma = pa.array(
                _levels(
                    _LevelJob(comparison.function, values, values_of, default, lefts, rights),
                    progress,
                ),
                pa.int32(),
            )
        con.register(
            "__icjs_levels_arrow",
            pa.table(
                {
                    "a": left.cast(pa.int32()),
                    "b": right.cast(pa.int32()),
                    "gamma": gamma,
                }
            ),
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE __icjs_levels_{i} AS FROM __icjs_levels_arrow")
        con.unregister("__icjs_levels_arrow")
        gammas.append(f"g{i}.gamma AS gamma_{comparison.name}")
        joins.append(f"JOIN __icjs_levels_{i} g{i} ON g{i}.a = p.c{i}_l AND g{i}.b = p.c{i}_r")
        say(
            f"predict: {comparison.name} compared on {len(left):,} distinct pairs of values "
            f"({time.perf_counter() - start:.1f} s{', natively' if native_done else ''})"
        )
    sqls = predict_from_comparison_vectors_sqls_using_settings(
        linker._settings_obj, threshold_match_probability=threshold
    )
    ctes = "".join(f", {step['output_table_name']} AS ({step['sql']})" for step in sqls[:-1])
    # Each prediction may keep its comparison vector (``gamma_``): the pairs sent to review
    # are given their reasons from it. Splink's SQL keeps only weights.
    vectors = (
        f"""SELECT s.*, {", ".join(f"v.gamma_{c.name}" for c, _, _ in plan)}
        FROM __icjs_scored s
        JOIN __splink__df_comparison_vectors v USING (unique_id_l, unique_id_r)"""
        if keep_vectors
        else "SELECT * FROM __icjs_scored"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {output} AS
        WITH __splink__df_comparison_vectors AS MATERIALIZED (
            SELECT p.unique_id_l, p.unique_id_r, p.match_key, {", ".join(gammas)}
            FROM __icjs_pair_codes p {" ".join(joins)}
        ){ctes}, __icjs_scored AS ({sqls[-1]["sql"]})
        {vectors}
        """
    )
    # (The codes stay for the next call on these records.)
    for table in (
        "__icjs_pair_codes",
        *(f"__icjs_levels_{i}" for i in range(len(plan))),
    ):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return output


def _score(
    con: duckdb.DuckDBPyConnection,
    result: LinkResult,
    records: int,
    review_threshold: float,
    say: Progress,
) -> tuple[list[tuple[int, int, float, float]], Rescore | None]:
    """Train a model on the ``records`` table, then score every blocked pair; return the
    pairs at or above ``review_threshold``, strongest first, as (index, index, probability,
    match weight), and a :data:`Rescore` for more pairs (None when the model's SQL must be
    left to Splink: :func:`_predict_by_distinct_values`). Fills ``result``'s model, counts
    and timings."""
    from splink import Linker
    from splink.backends.duckdb import DuckDBAPI

    timings = result.timings
    with _splink_quiet() as splink_log:
        api = DuckDBAPI(connection=con)
        trainer = Linker(api.register("records"), splink_settings(), log_level=None)
        u_pairs, matches = _train(trainer, con, records, timings, say)
        result.model, filled = _completed(trainer.misc.save_model_to_json(), u_pairs, matches)
        sure = _m_from_sure_pairs(result.model, con)
        if sure:
            say(f"m of the father's name from {sure:,} pairs of records sharing an identifier")
        _check(result.model)
        result.trained = True
        # The prior again, with the deterministic rules' recall that the trained m give.
        recall = max(_rule_recall(result.model, con), MIN_RULE_RECALL)
        first = float(result.model["probability_two_random_records_match"])
        prior = min(first * DETERMINISTIC_RECALL / recall, 0.5)
        result.model["probability_two_random_records_match"] = prior
        result.rule_recall = recall
        say(f"prior: {prior:.3g} (one pair in {1 / prior:,.0f}), the rules' recall {recall:.2f}")
        if filled:
            result.note = "levels training did not see, given stand-ins: " + ", ".join(filled)
        # Pairs are scored by the model as stored, stand-ins included.
        linker = Linker(api.register("records"), result.model, log_level=None)

        start = time.perf_counter()
        blocked = linker.inference.compute_blocked_pairs_for_predict()
        ((pairs,),) = con.execute(f"SELECT count(*) FROM {blocked.physical_name}").fetchall()
        result.pairs_scored = int(pairs)
        timings["blocking"] = time.perf_counter() - start
        say(f"blocking: {result.pairs_scored:,} candidate pairs ({timings['blocking']:.1f} s)")

        start = time.perf_counter()
        memo = _Scored()
        predictions_table = _predict_by_distinct_values(
            linker, con, blocked.physical_name, review_threshold, say, memo=memo
        )
        rescore: Rescore | None = None
        if predictions_table is not None:

            def rescore(pairs: str, threshold: float) -> str | None:
                return _predict_by_distinct_values(
                    linker,
                    con,
                    pairs,
                    threshold,
                    say,
                    memo=memo,
                    output="__icjs_rescored",
                    keep_vectors=False,
                )

        # The shortcut's predictions keep each pair's comparison vector; Splink's do not.
        gamma_columns = [f"gamma_{c.name}" for c in COMPARISONS]
        if predictions_table is None:
            # The comparisons' SQL is not the plain form the shortcut knows: Splink calls the
            # functions once per pair instead (the same scores, far slower).
            predictions_table = linker.inference.predict(
                threshold_match_probability=review_threshold, warning_mode="never"
            ).physical_name
            gamma_columns = []
        found = con.sql(
            f"""
            SELECT unique_id_l, unique_id_r, match_probability, match_weight
                {"".join(", " + c for c in gamma_columns)}
            FROM {predictions_table}
            ORDER BY match_probability DESC, unique_id_l, unique_id_r
            """
        ).to_arrow_table()
        columns = [found.column(i).to_pylist() for i in range(4)]
        scored = list(zip(*columns, strict=True))
        # The levels of each pair as scored, for the reasons of the pairs sent to review (a
        # re-link of a million records sends some 400,000: comparing them again in Python
        # took half a minute).
        if gamma_columns:
            result.scored_levels = (
                [c.removeprefix("gamma_") for c in gamma_columns],
                np.column_stack([found.column(c).to_numpy() for c in gamma_columns]),
            )
        timings["predict"] = time.perf_counter() - start
        say(
            f"scored: {result.pairs_scored:,} pairs, {len(scored):,} at or above "
            f"{review_threshold} ({timings['predict']:.1f} s)"
        )
        result.warnings = splink_log.lines
    result.counts["pairs_above_review"] = len(scored)
    return scored, rescore


# -- the re-link against the store ---------------------------------------------------------------


class NoRecords(LookupError):
    """The person index holds no record yet: there is nothing to link."""


@dataclass(frozen=True, slots=True)
class RelinkReport:
    """What :func:`relink` did."""

    records: int
    persons: int
    review_pairs: int
    #: Records whose person, or how they came to it, changed.
    records_changed: int
    new_persons: int
    trained: bool
    note: str
    pairs_scored: int
    model_id: int | None
    seconds: float
    timings: dict[str, float]
    counts: dict[str, int]


_READ_COLUMNS = (
    "id",
    "record_key",
    "case_id",
    "party_ref",
    "name_norm",
    "alias_norms",
    "phonetic_key",
    "father_norm",
    "gender",
    "birth_year",
    "state",
    "district",
    "identifiers",
    "person_id",
    "linked_by",
    "link_probability",
)


def _read_records(db: Database) -> dict[str, list[Any]]:
    """Every record's columns the linker and the write-back need, read in id order, a chunk
    per query (keyset: no OFFSET rescanning what was read)."""
    out: dict[str, list[Any]] = {name: [] for name in _READ_COLUMNS}
    columns = [RECORDS.c[name] for name in _READ_COLUMNS]
    last = 0
    with db.session() as session:
        while True:
            rows = session.execute(
                select(*columns).where(RECORDS.c.id > last).order_by(RECORDS.c.id).limit(READ_CHUNK)
            ).all()
            if not rows:
                break
            for name, values in zip(_READ_COLUMNS, zip(*rows, strict=True), strict=True):
                out[name].extend(values)
            last = rows[-1][0]
    return out


def _read_decisions(db: Database) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    confirmed: list[tuple[str, str]] = []
    split: list[tuple[str, str]] = []
    with db.session() as session:
        for a, b, state in session.execute(
            select(LINKS.c.record_a, LINKS.c.record_b, LINKS.c.state).where(
                LINKS.c.state.in_(("confirmed", "split"))
            )
        ):
            (confirmed if state == "confirmed" else split).append((a, b))
    return confirmed, split


def records_table(records: dict[str, list[Any]]) -> pa.Table:
    """The table :func:`link_records` reads, from columns named as ``person_records``'."""
    strings = pa.list_(pa.string())
    return pa.table(
        {
            "unique_id": pa.array(records["record_key"], pa.string()),
            "name": pa.array(records["name_norm"], pa.string()),
            "aliases": pa.array([list(a or []) for a in records["alias_norms"]], strings),
            "phonetic_key": pa.array(records["phonetic_key"], pa.string()),
            "father_name": pa.array(records["father_norm"], pa.string()),
            "gender": pa.array(records["gender"], pa.string()),
            "birth_year": pa.array(records["birth_year"], pa.int32()),
            "state": pa.array(records["state"], pa.string()),
            "district": pa.array(records["district"], pa.string()),
            "identifiers": pa.array([list(i or []) for i in records["identifiers"]], strings),
            "case_id": pa.array(records["case_id"], pa.string()),
            "party_ref": pa.array(records["party_ref"], pa.string()),
        }
    )


def _most_then_smallest(held: tuple[str, int]) -> tuple[int, str]:
    """The order a cluster's person ids are chosen in: the one most of its records hold
    first, then the smallest."""
    return (-held[1], held[0])


def _person_ids(records: dict[str, list[Any]], clusters: dict[str, str]) -> tuple[list[str], int]:
    """A person id for each record (in ``records``' order) and how many are new. A cluster
    keeps the id most of its records had; the largest clusters choose first (between equals,
    the one of the smallest key), and an id another cluster took is not given twice (the
    cluster gets a new one)."""
    members: dict[str, list[int]] = {}
    for i, key in enumerate(records["record_key"]):
        members.setdefault(clusters[key], []).append(i)
    current = records["person_id"]
    taken: set[str] = set()
    ids: list[str] = [""] * len(current)
    new = 0
    # Most clusters are one record: they come last, in key order, each keeping its own id
    # unless a cluster before took it (a sort of the rest by size, not of all of them).
    several = sorted(
        (r for r, held in members.items() if len(held) > 1), key=lambda r: (-len(members[r]), r)
    )
    single = sorted(r for r, held in members.items() if len(held) == 1)
    for rep in several + single:
        held_by = members[rep]
        choice: str | None
        if len(held_by) == 1:
            own = current[held_by[0]]
            choice = own if own and own not in taken else None
        else:
            held = Counter(current[i] for i in held_by if current[i])
            # Most records first; between equals, the smallest id (the same choice every run).
            # Usually the first choice is free: the rest are put in order only when it is not.
            first = min(held.items(), key=_most_then_smallest, default=None)
            if first is not None and first[0] not in taken:
                choice = first[0]
            else:
                choice = next(
                    (
                        pid
                        for pid, _ in sorted(held.items(), key=_most_then_smallest)
                        if pid not in taken
                    ),
                    None,
                )
        if choice is None:
            choice, new = new_person_id(), new + 1
        taken.add(choice)
        for i in held_by:
            ids[i] = choice
    return ids, new


def _comparable(records: dict[str, list[Any]], i: int) -> dict[str, Any]:
    return {
        "name": records["name_norm"][i] or None,
        "aliases": list(records["alias_norms"][i] or []),
        "father_name": records["father_norm"][i],
        "gender": records["gender"][i],
        "birth_year": records["birth_year"][i],
        "state": records["state"][i],
        "district": records["district"][i],
        "identifiers": list(records["identifiers"][i] or []),
    }


def _array_literal(items: Iterable[str]) -> str:
    """A PostgreSQL array literal of items already written as its elements."""
    return "{" + ",".join(items) + "}"


def _quoted(text_: str) -> str:
    """A string as an element of a PostgreSQL array literal: in double quotes, its own
    double quotes and backslashes escaped by a backslash."""
    return '"' + text_.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: The index on ``person_records.person_id``, which SQLite rebuilds rather than updates when a
#: re-link changes most records (:func:`_update_records`).
_PERSON_ID_INDEX = next(
    index for index in RECORDS.indexes if [c.name for c in index.columns] == ["person_id"]
)


def _update_records(
    conn: Connection, changes: list[tuple[int, str, str, float | None]], *, records: int
) -> None:
    """Set person_id, linked_by and link_probability of the records ``changes`` names by id
    (of ``records`` in all): on PostgreSQL one ``UPDATE ... FROM unnest(arrays)`` per chunk,
    elsewhere one ``executemany``.

    On SQLite, when most records change (a first re-link gives every record a person), the
    index on person_id is dropped and made again in the same transaction: at a million
    records the updates took 10.5 s with it, 4 s without and 3.4 s to make it again. Readers
    see the index as it was until the transaction commits (write-ahead log); PostgreSQL keeps
    it, as dropping it there would lock readers out until then."""
    rebuild = conn.dialect.name == "sqlite" and len(changes) > records // 2
    if rebuild:
        _PERSON_ID_INDEX.drop(conn)
    for at in range(0, len(changes), WRITE_CHUNK):
        chunk = changes[at : at + WRITE_CHUNK]
        if conn.dialect.name == "postgresql":
            ids, persons, how, probabilities = zip(*chunk, strict=True)
            # The arrays as PostgreSQL's text literals: the driver's adaptation of lists, value
            # by value, took three seconds of the write at a million records.
            conn.exec_driver_sql(
                "UPDATE person_records AS p SET person_id = v.person_id,"
                " linked_by = v.linked_by, link_probability = v.link_probability"
                " FROM unnest(%s::integer[], %s::text[], %s::text[], %s::float8[])"
                " AS v(id, person_id, linked_by, link_probability) WHERE p.id = v.id",
                (
                    _array_literal(str(int(i)) for i in ids),
                    _array_literal(_quoted(p) for p in persons),
                    _array_literal(_quoted(h) for h in how),
                    _array_literal("NULL" if x is None else repr(float(x)) for x in probabilities),
                ),
            )
        else:
            conn.exec_driver_sql(
                "UPDATE person_records SET person_id = ?, linked_by = ?, link_probability = ?"
                " WHERE id = ?",
                [(person, how, probability, id_) for id_, person, how, probability in chunk],
            )
    if rebuild:
        _PERSON_ID_INDEX.create(conn)


@_no_cyclic_collection()
def relink(
    *,
    db: Database,
    progress: Progress | None = None,
    link_threshold: float = 0.9,
    review_threshold: float = 0.6,
) -> RelinkReport:
    """Link every record of the person index again (``icjs persons link``).

    Reads the records and the operators' decisions, runs :func:`link_records`, then in one
    transaction: gives each record its person (``linked_by`` ``relink``, or ``decision`` or
    ``identifier`` where a confirmed pair or a shared identifier joined it, ``new`` for a
    record joined to no other), rewriting only the records that change, replaces the
    review queue (confirmed and split pairs are never touched) and stores the model with the
    run's figures. Person ids stay as they were wherever a cluster's records agree.
    Raises :class:`NoRecords` when the index is empty.
    """
    say = progress or (lambda _line: None)
    began = time.perf_counter()
    start = began
    records = _read_records(db)
    count = len(records["id"])
    if count == 0:
        raise NoRecords("the person index holds no records")
    confirmed, split = _read_decisions(db)
    read_seconds = time.perf_counter() - start
    say(
        f"read {count:,} records, {len(confirmed):,} confirmed and {len(split):,} split pairs "
        f"({read_seconds:.1f} s)"
    )

    result = link_records(
        records_table(records),
        confirmed=confirmed,
        split=split,
        link_threshold=link_threshold,
        review_threshold=review_threshold,
        progress=say,
    )

    start = time.perf_counter()
    person_ids, new_persons = _person_ids(records, result.clusters)
    changes: list[tuple[int, str, str, float | None]] = []
    for i, key in enumerate(records["record_key"]):
        # A record joined to no other is its own person as when it arrived ("new"): the first
        # re-link of a million records leaves some 600,000 so, rows it need not rewrite.
        how, probability = result.joined.get(key, ("new", None))
        linked_by = how if how in ("decision", "identifier", "new") else "relink"
        before = records["link_probability"][i]
        same_probability = (before is None and probability is None) or (
            before is not None and probability is not None and abs(before - probability) < 1e-9
        )
        if (
            records["person_id"][i] != person_ids[i]
            or records["linked_by"][i] != linked_by
            or not same_probability
        ):
            changes.append((records["id"][i], person_ids[i], linked_by, probability))

    position = {key: i for i, key in enumerate(records["record_key"])}
    now = utcnow()
    review_rows: list[dict[str, Any]] = []
    if result.review:
        parameters = ModelParameters.from_splink_json(result.model)
        # Pairs share comparison vectors (a few thousand among hundreds of thousands of pairs):
        # the reasons of each vector are worked out once.
        reasons: dict[tuple[tuple[str, int], ...], list[dict[str, Any]]] = {}
        for a, b, probability, weight in result.review:
            levels = result.review_levels.get((a, b)) or comparison_levels(
                _comparable(records, position[a]), _comparable(records, position[b])
            )
            vector = tuple(sorted(levels.items()))
            said = reasons.get(vector)
            if said is None:
                said = reasons[vector] = parameters.reasons(levels)
            review_rows.append(
                {
                    "record_a": a,
                    "record_b": b,
                    "state": "review",
                    "match_probability": probability,
                    "match_weight": weight,
                    "reasons": said,
                    "created_at": now,
                }
            )
    persons = len(set(result.clusters.values()))
    timings = {"read": read_seconds, **result.timings}
    stats: dict[str, Any] = {
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "pairs_scored": result.pairs_scored,
        "counts": result.counts,
        "clusters": persons,
        "prior": result.prior,
        "rule_recall": result.rule_recall,
        "link_threshold": link_threshold,
        "review_threshold": review_threshold,
        "trained": result.trained,
        "note": result.note,
        "warnings": result.warnings[:20],
    }
    with db.session(write=True) as session:
        conn = session.connection()
        # A first re-link gives every record a new person: rows all over the table and its
        # person index are rewritten, too many for SQLite's usual 2 MB page cache.
        with large_sqlite_cache(conn):
            _update_records(conn, changes, records=count)
        conn.execute(delete(LINKS).where(LINKS.c.state == "review"))
        # What is left are decisions, some perhaps made while the records were being linked:
        # a pair decided is no longer for review.
        decided = {(a, b) for a, b in conn.execute(select(LINKS.c.record_a, LINKS.c.record_b))}
        review_rows = [r for r in review_rows if (r["record_a"], r["record_b"]) not in decided]
        stats["review_pairs"] = len(review_rows)
        for at in range(0, len(review_rows), WRITE_CHUNK):
            insert_rows(conn, LINKS, review_rows[at : at + WRITE_CHUNK])
        model_id = conn.execute(
            insert(PersonModelRow.__table__)  # type: ignore[attr-defined]
            .values(
                trained_at=now,
                settings_version=SETTINGS_VERSION,
                records=count,
                model=result.model,
                stats=stats,
            )
            .returning(PersonModelRow.__table__.c.id)  # type: ignore[attr-defined]
        ).scalar_one()
    timings["write"] = time.perf_counter() - start
    seconds = time.perf_counter() - began
    say(
        f"wrote {len(changes):,} records changed, {new_persons:,} new persons, "
        f"{len(review_rows):,} pairs to review ({timings['write']:.1f} s)"
    )
    return RelinkReport(
        records=count,
        persons=persons,
        review_pairs=len(review_rows),
        records_changed=len(changes),
        new_persons=new_persons,
        trained=result.trained,
        note=result.note,
        pairs_scored=result.pairs_scored,
        model_id=int(model_id),
        seconds=seconds,
        timings=timings,
        counts=result.counts,
    )


if __name__ == "__main__":
    # `python -m gateway.services.persons.linking`: rewrite the repository's settings file.
    print(write_settings_file())
