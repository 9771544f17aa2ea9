"""How alike two mentions of a person are: the Fellegi-Sunter comparisons of the person index.

A *record* is one person as named in one case: a mapping with the columns of
:data:`RECORD_COLUMNS`. Every column may be missing except ``name``:

* ``name``: the name (normally :func:`~canonical_model.person_names.normalise_name` output;
  anything else is normalised on the way in);
* ``aliases``: other names the person goes by (a list, maybe empty);
* ``father_name``: the father's or husband's name;
* ``gender``: ``male``, ``female``, ``transgender`` or ``unknown``;
* ``birth_year``: the year of birth, stated or worked out from a stated age;
* ``state``: the two-letter State or Union Territory code; ``district``: the district, lower case;
* ``identifiers``: numbers the pillars carry, written ``kind:value`` (``dl:MH1220110012345``,
  ``prisoner:MH-YERAWADA/1234``).

Two records are compared field by field (:data:`COMPARISONS`). Each comparison is a function
giving a *level*: -1 when one side does not say (the field is then no evidence either way), 0
for disagreement, higher for closer agreement. The same functions run here (incremental
linking, search) and inside DuckDB as user-defined functions called by the SQL of
:func:`splink_comparisons` (the full re-link by Splink), so Python and Splink can never
disagree about a pair. Registering them on a connection is I/O and lives in
``gateway.services.persons.udfs``.

:class:`ModelParameters` holds what Splink estimated from the data: the prior probability that
two records are the same person, and per level the probability *m* of seeing it when they are
and *u* when they are not. The match weight is the log2 of the prior odds plus the log2 of
m/u of every level observed.

Nothing here reads or writes anything.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Indel

from canonical_model.person_names import district_names, name_tokens, phonetic_token

#: The columns of a record and their SQL types, for the DuckDB functions that read them.
RECORD_COLUMNS: Mapping[str, str] = {
    "name": "VARCHAR",
    "aliases": "VARCHAR[]",
    "father_name": "VARCHAR",
    "gender": "VARCHAR",
    "birth_year": "BIGINT",
    "state": "VARCHAR",
    "district": "VARCHAR",
    "identifiers": "VARCHAR[]",
}

#: The least match probability two records of one person may have. A link the model proposes
#: is refused, by the full re-link and by incremental linking alike, when it would put in one
#: cluster two records less likely than this to be one person (different fathers' names,
#: different names with nothing else in common), however strong the pair proposed.
#: Fellegi-Sunter scores pairs one at a time, and a chain of strong pairs through records that
#: say little (a name alone, "R. Kumar") joins people whose other records disagree outright.
#: On the benchmark's population (``bench/persons.py``) it raised pairwise precision from 0.67
#: to 0.83 at 100,000 persons (recall 0.68 to 0.66), and from 0.905 to 0.94 at 30,000 (recall
#: 0.73 to 0.72). 3% is a match weight of -5 bits: a pair the model thinks some 30 times more
#: likely two people than one.
PLAUSIBLE_PROBABILITY = 0.03

#: The level of a comparison when one side does not say.
NULL_LEVEL = -1

_VOWELS = frozenset("aeiou")


# --- names --------------------------------------------------------------------------------


def _shape(sound: str) -> str:
    """A sound key's consonants after its first vowel: what is left when the vowels people
    spell differently ("Yadav", "Yaduv"; "Chaudhari", "Chowdhury") are taken out. The first
    vowel stays: "Sunil" and "Sonal", "Kamal" and "Komal" are different names."""
    i = 0
    while i < len(sound) and sound[i] not in _VOWELS:
        i += 1
    while i < len(sound) and sound[i] in _VOWELS:
        i += 1
    return sound[:i] + "".join(c for c in sound[i:] if c not in _VOWELS)


def _consonants(sound: str) -> str:
    return "".join(c for c in sound if c not in _VOWELS)


@dataclass(frozen=True, slots=True)
class _Name:
    """A name's forms, computed once per distinct string."""

    tokens: tuple[str, ...]
    sorted_tokens: tuple[str, ...]
    sounds: tuple[str, ...]
    shapes: tuple[str, ...]
    joined: str
    joined_sound: str
    full_words: int
    #: Each word's sound key without its vowels, for :func:`_alike`.
    consonants: tuple[str, ...]
    #: The sound key of each word written together with the next, for :func:`_pair_compounds`.
    compound_sounds: tuple[str, ...]


@lru_cache(maxsize=1 << 18)
def _name(text: str) -> _Name | None:
    return _forms_of_words(name_tokens(text))


def _forms_of_words(tokens: tuple[str, ...]) -> _Name | None:
    if not tokens:
        return None
    sounds = tuple(phonetic_token(t) for t in tokens)
    joined = "".join(tokens)
    return _Name(
        tokens=tokens,
        sorted_tokens=tuple(sorted(tokens)),
        sounds=sounds,
        shapes=tuple(_shape(s) for s in sounds),
        joined=joined,
        joined_sound=phonetic_token(joined),
        full_words=sum(len(t) > 1 for t in tokens),
        consonants=tuple(_consonants(s) for s in sounds),
        compound_sounds=tuple(
            phonetic_token(tokens[i] + tokens[i + 1]) for i in range(len(tokens) - 1)
        ),
    )


def name_forms(text: str, *, normalised: bool = False) -> _Name | None:
    """A name's forms as the name comparisons below read them (None when it has no words).

    For the native copy of :func:`best_name_level` and :func:`relative_level`
    (``gateway.services.persons.native_levels``): it starts from these forms, so the sound keys
    stay defined here only.

    ``normalised`` says ``text`` is already what
    :func:`~canonical_model.person_names.normalise_name` gives (a stored record's name, alias or
    father's name): its words are then its own, since normalising it again changes nothing, and
    normalising is a third of the work of a name's forms (a re-link makes half a million)."""
    if normalised:
        return _forms_of_words(tuple(text.split()))
    return _name(text)


def _one_letter_more(longer: str, shorter: str) -> str:
    """The letter ``longer`` has more than ``shorter`` when that is their only difference
    (rapidfuzz's Indel distance is 1), else ""."""
    if Indel.distance(longer, shorter, score_cutoff=1) != 1:
        return ""
    k = 0
    while k < len(shorter) and longer[k] == shorter[k]:
        k += 1
    return longer[k]


def _close(a: _Name, i: int, b: _Name, j: int) -> bool:
    """Whether two words (neither an initial, not the same sound) are one name misspelt: the
    same consonants with other vowels; a vowel dropped or added ("Rmesh", "Ramesh"); a
    consonant dropped or added in a word of six letters or more (in a shorter one it is another
    name: "Amit", "Amrit"); two neighbouring letters swapped. A consonant changed for another
    is a different name ("Ramesh", "Rajesh"; "Arif", "Asif")."""
    if a.shapes[i] == b.shapes[j] and len(a.shapes[i]) >= 3:
        return True
    p, q = a.sounds[i], b.sounds[j]
    if abs(len(p) - len(q)) == 1:
        longer, shorter = (p, q) if len(p) > len(q) else (q, p)
        extra = _one_letter_more(longer, shorter)
        if not extra or len(shorter) < 3:
            return False
        return extra in _VOWELS or len(longer) >= 6
    if len(p) == len(q) >= 4:
        differ = [k for k in range(len(p)) if p[k] != q[k]]
        return (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and p[differ[0]] == q[differ[1]]
            and p[differ[1]] == q[differ[0]]
        )
    return False


def _initial_of(initial: str, name: _Name, j: int) -> bool:
    word = name.tokens[j]
    return len(word) > 1 and (initial == word[0] or initial == name.sounds[j][0])


def _pair_compounds(a: _Name, left_a: list[int], b: _Name, left_b: list[int]) -> int:
    """Pair two neighbouring unpaired words of ``a`` with one unpaired word of ``b`` that
    sounds like them written together: a compound name joined in one record and spaced in the
    other ("Dev Shankar Singh", "Deoshankar Singh"; "Shankar Singh Ram Narayan",
    "Ramnarayan Shankar Singh"), or has their consonants with other vowels ("Ved Shankar",
    "Vedshanker"). Removes what it pairs from the lists. Returns 0 if nothing paired, 2 if
    some pair needed other vowels (a close spelling), else 1."""
    found = 0
    ta = a.tokens
    for i in list(left_a):
        if i + 1 not in left_a or i not in left_a or len(ta[i]) == 1 or len(ta[i + 1]) == 1:
            continue
        sound = a.compound_sounds[i]
        skeleton = _consonants(sound)
        for j in left_b:
            same = b.sounds[j] == sound
            if same or (len(skeleton) >= 4 and b.consonants[j] == skeleton):
                left_a.remove(i)
                left_a.remove(i + 1)
                left_b.remove(j)
                found = max(found, 1 if same else 2)
                break
    return found


def _pair_words(a: _Name, b: _Name) -> tuple[list[int], list[int], bool, bool]:
    """Pair the words of two names, each word at most once: equal words first, then words
    that sound the same, then close spellings (:func:`_close`), then an initial with a word
    it begins; two neighbouring words may pair with one written joined
    (:func:`_pair_compounds`). Returns the indices of the words of ``a`` and of ``b`` left
    unpaired, whether two full words (not initials) paired, and whether a close spelling was
    needed.

    Written as plain loops: it runs on millions of pairs, and closures cost more than the
    few words of a name."""
    ta, tb = a.tokens, b.tokens
    left_a = list(range(len(ta)))
    left_b = list(range(len(tb)))
    full = used_close = False
    for i in range(len(ta)):
        for j in left_b:
            if ta[i] == tb[j]:
                left_a.remove(i)
                left_b.remove(j)
                full = full or len(ta[i]) > 1
                break
    if left_a and left_b:
        for i in list(left_a):
            if len(ta[i]) == 1:
                continue
            for j in left_b:
                if len(tb[j]) > 1 and a.sounds[i] == b.sounds[j]:
                    left_a.remove(i)
                    left_b.remove(j)
                    full = True
                    break
    if len(left_a) + len(left_b) > 2 and left_a and left_b:
        for found in (_pair_compounds(a, left_a, b, left_b), _pair_compounds(b, left_b, a, left_a)):
            full = full or found > 0
            used_close = used_close or found == 2
    if left_a and left_b:
        for i in list(left_a):
            if len(ta[i]) == 1:
                continue
            for j in left_b:
                if len(tb[j]) > 1 and _close(a, i, b, j):
                    left_a.remove(i)
                    left_b.remove(j)
                    full = used_close = True
                    break
    if left_a and left_b:
        for i in list(left_a):
            for j in left_b:
                if (len(ta[i]) == 1 and _initial_of(ta[i], b, j)) or (
                    len(tb[j]) == 1 and _initial_of(tb[j], a, i)
                ):
                    left_a.remove(i)
                    left_b.remove(j)
                    break
    return left_a, left_b, full, used_close


def _alike(a: _Name, i: int, b: _Name, j: int) -> bool:
    """Whether two words' sound keys are alike though not close (:func:`_close`): their
    consonants the same but for one dropped or added ("Verma", "Varma"; "Rahman", "Rehman";
    "Kavita", "Kavia"; "Yousaf", "Usuf"). A consonant changed for another is still another
    name ("Ramesh", "Rajesh"; "Arif", "Asif")."""
    if min(len(a.sounds[i]), len(b.sounds[j])) < 3:
        return False
    p, q = a.consonants[i], b.consonants[j]
    if abs(len(p) - len(q)) > 1:
        return False
    return p == q or Indel.distance(p, q, score_cutoff=1) <= 1


def _alike_words(a: _Name, left_a: list[int], b: _Name, left_b: list[int]) -> bool:
    """Whether every word the strict pairing left in the name with fewer words pairs, each
    with its own, with a word left in the other whose sound key is alike (:func:`_alike`).
    Stops at the first word without a partner: most pairs scored are two people."""
    if len(a.tokens) > len(b.tokens):
        a, left_a, b, left_b = b, left_b, a, left_a
    free_b = [j for j in left_b if len(b.tokens[j]) > 1]
    if len(free_b) < len(left_a):
        return False
    for i in left_a:
        if len(a.tokens[i]) == 1:
            return False
        for j in free_b:
            if _alike(a, i, b, j):
                free_b.remove(j)
                break
        else:
            return False
    return True


def _level_of_names(a: _Name, b: _Name) -> int:
    if a.sorted_tokens == b.sorted_tokens:
        return 4
    left_a, left_b, full, used_close = _pair_words(a, b)
    if full and not left_a and not left_b:
        return 2 if used_close else 3
    if a.joined == b.joined or (len(a.joined_sound) > 3 and a.joined_sound == b.joined_sound):
        return 3  # written joined or split: "Ramkumar", "Ram Kumar"
    if full and (not left_a or not left_b):
        return 1  # every word of one paired, the other has more ("Prem Chand", "Premchand Maurya")
    if left_a and left_b and _alike_words(a, left_a, b, left_b):
        return 1  # alike: "Shiv Verma", "Shiv Varma"; "Yousaf", "Usuf"
    return 0


def name_level(a: str | None, b: str | None) -> int:
    """How alike two names are.

    * -1: either is missing or empty;
    * 4: the same words in any order ("Jadhav Ramesh", "Ramesh Jadhav");
    * 3: every word pairs up with one that is equal, sounds the same
      (:func:`~canonical_model.person_names.phonetic_token`: "Shrikant", "Srikant"), or is its
      initial ("R. Jadhav", "Ramesh Jadhav"), and at least one full word agrees; or the two
      are the same letters joined or split ("Ramkumar", "Ram Kumar");
    * 2: the same, some words only by a close spelling: other vowels, a letter dropped or
      added, two letters swapped ("Rmesh", "Ramesh");
    * 1: one name within the other: every word of the shorter pairs up as above with a word
      of the longer ("Ramesh Jadhav", "Ramesh Kumar Jadhav"); or the names alike: the words
      left over pair up when their consonants are the same but for one (:func:`_alike`:
      "Shiv Verma", "Shiv Varma"; "Kavita", "Kavia");
    * 0: anything else, notably a shared surname with different given names ("Ramesh Kumar",
      "Suresh Kumar").
    """
    if not a or not b:
        return NULL_LEVEL
    if a == b and _name(a) is not None:
        return 4
    name_a, name_b = _name(a), _name(b)
    if name_a is None or name_b is None:
        return NULL_LEVEL
    return _level_of_names(name_a, name_b)


def _person_name_level(a: str | None, b: str | None) -> int:
    """:func:`name_level` for a person's own names, one level lower (4 to 3, 3 to 2) when the
    agreement rests on one full word: a name of one word ("Irfan", "Murugan", "R. Jadhav") is
    shared by many more people than a name of two or three, so its agreement says less."""
    level = name_level(a, b)
    if level < 3:
        return level
    name_a, name_b = _name(a or ""), _name(b or "")
    if name_a is not None and name_b is not None and min(name_a.full_words, name_b.full_words) <= 1:
        return level - 1
    return level


def best_name_level(
    a_name: str | None,
    a_aliases: Sequence[str] | None,
    b_name: str | None,
    b_aliases: Sequence[str] | None,
) -> int:
    """The highest level between any name or alias of one side and any of the other: a man
    known as "Pappu" in one case and "Ramesh Kumar @ Pappu" in another agrees. The levels are
    :func:`name_level`'s, one lower where the agreement rests on a name of one full word
    (:func:`_person_name_level`)."""
    if not a_aliases and not b_aliases:
        return _person_name_level(a_name, b_name)
    names_a = [n for n in (a_name, *(a_aliases or ())) if n and _name(n) is not None]
    names_b = [n for n in (b_name, *(b_aliases or ())) if n and _name(n) is not None]
    if not names_a or not names_b:
        return NULL_LEVEL
    best = 0
    for x in names_a:
        for y in names_b:
            level = _person_name_level(x, y)
            if level == 4:
                return 4
            best = max(best, level)
    return best


def _same_first_word(a: str, b: str) -> bool:
    """Whether two names begin alike: the same given name by sound ("Ramesh Kumar", "Ramesh
    Nishad"), or an initial and a full word it is the initial of ("S. Rajput", "Satish")."""
    name_a, name_b = _name(a), _name(b)
    if name_a is None or name_b is None:
        return False
    first_a, first_b = name_a.tokens[0], name_b.tokens[0]
    if len(first_a) == 1 and len(first_b) > 1:
        return _initial_of(first_a, name_b, 0)
    if len(first_b) == 1 and len(first_a) > 1:
        return _initial_of(first_b, name_a, 0)
    return len(first_a) > 1 and name_a.sounds[0] == name_b.sounds[0]


def father_level(a: str | None, b: str | None) -> int:
    """How alike two fathers' (or husbands') names are: :func:`name_level`, with its levels 4
    and 3 (the same name, by letters, sound or initials) split by how much the agreement rests
    on:

    * 4: two full words or more agree on both sides ("Suresh Jadhav", "Jadhav Suresh");
    * 3: one full word only ("Ramesh", "Ramesh"; "S. Das", "Sunil Das"; "R. Chaudhari",
      "Ramkumar Chaudhari"): a father's given name alone is shared by many fathers, and an
      initial with a surname mostly says the surname, which the person shares;
    * 2, 1, 0: as :func:`name_level`.

    Two names that do not agree but begin alike (:func:`_same_first_word`: "S. Rajput" and
    "Satish"; "Ramesh Kumar" and "Ramesh Nishad") are no evidence either way (-1): records
    give a father's given name alone, with its initial and his surname, or with "Kumar", and
    such pairs are as common for one person as for two.
    """
    level = name_level(a, b)
    if level == 0 and a and b and _same_first_word(a, b):
        return NULL_LEVEL
    if level < 3:
        return level
    name_a, name_b = _name(a or ""), _name(b or "")
    if name_a is not None and name_b is not None and min(name_a.full_words, name_b.full_words) >= 2:
        return 4
    return 3


def relative_level(
    father_a: str | None, gender_a: str | None, father_b: str | None, gender_b: str | None
) -> int:
    """The father's (or husband's) name compared as the linkage model weighs it:
    :func:`father_level` one higher (5 two words or more agreeing, down to 2 one name within
    the other), with its disagreement split in two by whose name it is:

    * 1: different names, and one record or both not a man's: a woman's records name her
      father in one case and her husband in another (S/o, D/o, W/o), so that is no proof of
      two people;
    * 0: different names, both records a man's: a man's records name his father.

    -1 as :func:`father_level`.
    """
    level = father_level(father_a, father_b)
    if level == NULL_LEVEL:
        return NULL_LEVEL
    if level > 0:
        return level + 1
    return 0 if gender_a == "male" and gender_b == "male" else 1


# --- the other fields ---------------------------------------------------------------------


def birth_year_level(a: int | None, b: int | None) -> int:
    """How close two years of birth are: 3 the same, 2 within a year (an age stated before and
    after a birthday), 1 within three years (ages are misstated), 0 further apart; -1 when
    either is unknown."""
    if a is None or b is None:
        return NULL_LEVEL
    gap = abs(a - b)
    return 3 if gap == 0 else 2 if gap <= 1 else 1 if gap <= 3 else 0


def _clean(value: str | None, upper: bool) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        return None
    return value.upper() if upper else value.lower()


@lru_cache(maxsize=1 << 12)
def _district(name: str) -> str:
    """A district under one name: renamed districts are written under either name for years
    ("Aurangabad", "Chhatrapati Sambhajinagar"; "Gurgaon", "Gurugram")."""
    return district_names().get(name, name)


def place_level(
    state_a: str | None, district_a: str | None, state_b: str | None, district_b: str | None
) -> int:
    """Whether two addresses are in the same place: 3 the same district (in the same State,
    or a State unknown on one side), under its old or new name; 2 the same State with the
    district given on one side only; 1 the same State, two different districts; 0 neither;
    -1 when the two sides name nothing comparable (no district on both sides and no State on
    both sides).

    A district name alone does not say the State: there is an Aurangabad in Maharashtra and
    one in Bihar, so two known and different States make the same district name level 0.
    Level 2 is kept apart from level 1 because a record without an address carries the
    State of its FIR only: it says nothing against the other record's district.
    """
    sa, sb = _clean(state_a, upper=True), _clean(state_b, upper=True)
    da, db = _clean(district_a, upper=False), _clean(district_b, upper=False)
    both_districts = da is not None and db is not None
    both_states = sa is not None and sb is not None
    if (
        da is not None
        and db is not None
        and (not both_states or sa == sb)
        and (da == db or _district(da) == _district(db))
    ):
        return 3
    if both_states and sa == sb:
        return 1 if both_districts else 2
    if both_districts or both_states:
        return 0
    return NULL_LEVEL


def gender_level(a: str | None, b: str | None) -> int:
    """1 the same gender, 0 different; -1 when either is unknown."""
    ga, gb = _clean(a, upper=False), _clean(b, upper=False)
    if ga is None or gb is None or ga == "unknown" or gb == "unknown":
        return NULL_LEVEL
    return 1 if ga == gb else 0


def _identifier(value: str) -> tuple[str, str]:
    kind, _, number = value.partition(":")
    if not number:
        return "", "".join(kind.split()).upper()
    return kind.strip().lower(), "".join(number.split()).upper()


def identifier_level(a: Sequence[str] | None, b: Sequence[str] | None) -> int:
    """1 when the two sides share an identifying number (same kind, same number; case and
    spaces aside); 0 when both carry a number of the same kind and none is shared (two
    different driving licences); -1 when either carries none, or their kinds differ (a licence
    on one side and a prisoner number on the other say nothing)."""
    if not a or not b:
        return NULL_LEVEL
    ids_a = {_identifier(v) for v in a if v}
    ids_b = {_identifier(v) for v in b if v}
    if ids_a & ids_b:
        return 1
    if {kind for kind, _ in ids_a} & {kind for kind, _ in ids_b}:
        return 0
    return NULL_LEVEL


# --- the comparisons ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field compared: the record columns it reads, the function giving its level from
    those columns of the left record then of the right one, and its levels from the highest
    to the lowest, the null level (-1) last."""

    name: str
    columns: tuple[str, ...]
    function: Callable[..., int]
    udf: str
    description: str
    levels: tuple[tuple[int, str], ...]

    def level_of(self, a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
        """This comparison's level for two records."""
        return self.function(*(a.get(c) for c in self.columns), *(b.get(c) for c in self.columns))

    def label(self, level: int) -> str:
        """What a level means, for a human."""
        for value, label in self.levels:
            if value == level:
                return label
        raise ValueError(f"{self.name} has no level {level}")

    def sql_call(self) -> str:
        """The SQL calling the registered function on a Splink pair (``_l`` and ``_r``)."""
        arguments = [f"{c}_l" for c in self.columns] + [f"{c}_r" for c in self.columns]
        return f"{self.udf}({', '.join(arguments)})"


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        name="name",
        columns=("name", "aliases"),
        function=best_name_level,
        udf="icjs_name_level",
        description="name or alias",
        levels=(
            (4, "same name, words maybe in another order"),
            (3, "same name by sound or initials"),
            (2, "same name spelt a little differently"),
            (1, "one name within the other, or names alike"),
            (0, "different names"),
            (NULL_LEVEL, "no name on one side"),
        ),
    ),
    Comparison(
        name="father_name",
        columns=("father_name", "gender"),
        function=relative_level,
        udf="icjs_relative_level",
        description="father's or husband's name",
        levels=(
            (5, "same father's name, by sound or initials, two words or more agreeing"),
            (4, "same father's name resting on one word (a given name alone, or a surname)"),
            (3, "father's name spelt a little differently"),
            (2, "one father's name within the other, or the names alike"),
            (1, "different names (a woman's father or husband)"),
            (0, "different fathers' names, both records a man's"),
            (
                NULL_LEVEL,
                "father's name not given on one side, or no more than its first word agrees",
            ),
        ),
    ),
    Comparison(
        name="birth_year",
        columns=("birth_year",),
        function=birth_year_level,
        udf="icjs_birth_year_level",
        description="year of birth",
        levels=(
            (3, "same year of birth"),
            (2, "years of birth a year apart"),
            (1, "years of birth two or three years apart"),
            (0, "years of birth more than three years apart"),
            (NULL_LEVEL, "age not known on one side"),
        ),
    ),
    Comparison(
        name="place",
        columns=("state", "district"),
        function=place_level,
        udf="icjs_place_level",
        description="district and State of the address",
        levels=(
            (3, "same district"),
            (2, "same State, district given on one side only"),
            (1, "same State, another district"),
            (0, "different places"),
            (NULL_LEVEL, "address not comparable"),
        ),
    ),
    Comparison(
        name="gender",
        columns=("gender",),
        function=gender_level,
        udf="icjs_gender_level",
        description="gender",
        levels=(
            (1, "same gender"),
            (0, "different genders"),
            (NULL_LEVEL, "gender not known on one side"),
        ),
    ),
    Comparison(
        name="identifiers",
        columns=("identifiers",),
        function=identifier_level,
        udf="icjs_identifier_level",
        description="identifying numbers (driving licence, prisoner number)",
        levels=(
            (1, "an identifying number in common"),
            (0, "different numbers of the same kind"),
            (NULL_LEVEL, "no numbers of a kind on both sides"),
        ),
    ),
)

_BY_NAME: Mapping[str, Comparison] = {c.name: c for c in COMPARISONS}


def comparison_levels(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, int]:
    """Every comparison's level for two records, by comparison name."""
    return {c.name: c.level_of(a, b) for c in COMPARISONS}


def splink_comparisons() -> list[dict[str, Any]]:
    """The comparisons as Splink 5 comparison dicts, whose SQL calls the registered functions.

    Splink numbers a comparison's non-null levels from the count of levels minus one down to
    0 in the order they are listed, and gives the null level -1; the levels are listed so that
    those numbers are this module's level values. The lowest level is Splink's ``ELSE``, which
    spares one call of the function per pair.
    """
    comparisons = []
    for comparison in COMPARISONS:
        call = comparison.sql_call()
        null = [label for value, label in comparison.levels if value == NULL_LEVEL]
        levels: list[dict[str, Any]] = [
            {
                "sql_condition": f"{call} = {NULL_LEVEL}",
                "label_for_charts": null[0],
                "is_null_level": True,
            }
        ]
        for value, label in comparison.levels:
            if value == NULL_LEVEL:
                continue
            condition = "ELSE" if value == 0 else f"{call} = {value}"
            levels.append({"sql_condition": condition, "label_for_charts": label})
        comparisons.append(
            {
                "output_column_name": comparison.name,
                "comparison_description": comparison.description,
                "comparison_levels": levels,
            }
        )
    return comparisons


# --- the model ----------------------------------------------------------------------------

#: Splink's floor for an m or u probability when it computes a weight (a zero would be an
#: infinite weight); the same floor here keeps the weights equal.
_PROBABILITY_FLOOR = 1e-300
#: What Splink writes for a level training never saw, and the probability it then uses.
_NOT_OBSERVED = ("level not observed in training dataset", 1e-6)


def _probability(value: Any) -> float | None:
    if value is None:
        return None
    if value == _NOT_OBSERVED[0]:
        return _NOT_OBSERVED[1]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a probability: {value!r}")
    if not 0 <= value <= 1:
        raise ValueError(f"not a probability: {value!r}")
    return float(value)


@dataclass(frozen=True)
class ModelParameters:
    """A Fellegi-Sunter model: the prior that two random records are the same person, and per
    comparison and level the m probability (of the level among true matches) and the u
    probability (among non-matches). A level without both says nothing (weight 0)."""

    probability_two_random_records_match: float
    m_probabilities: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    u_probabilities: Mapping[str, Mapping[int, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """A prior of 0 or 1 would make every weight infinite."""
        if not 0 < self.probability_two_random_records_match < 1:
            raise ValueError(
                "probability_two_random_records_match must be between 0 and 1, not "
                f"{self.probability_two_random_records_match}"
            )

    @classmethod
    def from_splink_json(cls, model: Mapping[str, Any] | str) -> ModelParameters:
        """The parameters of a model as Splink saves it (``linker.misc.save_model_to_json``:
        the dict it returns, or the text of the file it writes): the prior, and per comparison
        (by its ``output_column_name``) the m and u of each level, a level's value being its
        place in the list as Splink numbers it (the null level -1, the others from the count
        of non-null levels minus one down to 0)."""
        if isinstance(model, str):
            model = json.loads(model)
            if not isinstance(model, Mapping):
                raise ValueError("a Splink model is a JSON object")
        m: dict[str, dict[int, float]] = {}
        u: dict[str, dict[int, float]] = {}
        for comparison in model.get("comparisons", []):
            name = comparison["output_column_name"]
            levels = [
                level for level in comparison["comparison_levels"] if not level.get("is_null_level")
            ]
            m[name], u[name] = {}, {}
            for index, level in enumerate(levels):
                value = len(levels) - 1 - index
                m_probability = _probability(level.get("m_probability"))
                u_probability = _probability(level.get("u_probability"))
                if m_probability is not None:
                    m[name][value] = m_probability
                if u_probability is not None:
                    u[name][value] = u_probability
        return cls(
            probability_two_random_records_match=float(
                model["probability_two_random_records_match"]
            ),
            m_probabilities=m,
            u_probabilities=u,
        )

    def level_weight(self, comparison: str, level: int) -> float:
        """log2(m/u) of one level; 0 for the null level and for a level without m or u."""
        if level == NULL_LEVEL:
            return 0.0
        m = self.m_probabilities.get(comparison, {}).get(level)
        u = self.u_probabilities.get(comparison, {}).get(level)
        if m is None or u is None:
            return 0.0
        return math.log2(max(m, _PROBABILITY_FLOOR) / max(u, _PROBABILITY_FLOOR))

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds that two records are the same person."""
        p = self.probability_two_random_records_match
        return math.log2(p / (1 - p))

    def match_weight(self, levels: Mapping[str, int]) -> float:
        """The Fellegi-Sunter match weight of a pair: the prior weight plus the weight of each
        comparison's level."""
        return self.prior_weight + sum(
            self.level_weight(name, level) for name, level in levels.items()
        )

    def plausible(self, levels: Mapping[str, int]) -> bool:
        """Whether a pair of records with these levels may be one person: its match
        probability at least :data:`PLAUSIBLE_PROBABILITY`."""
        return self.match_probability(levels) >= PLAUSIBLE_PROBABILITY

    def match_probability(self, levels: Mapping[str, int]) -> float:
        """The probability that the pair is the same person: 2^w / (1 + 2^w)."""
        weight = self.match_weight(levels)
        if weight > 1000:  # 2 ** weight would overflow; the answer is 1 to any precision
            return 1.0
        odds = math.pow(2.0, weight)
        return odds / (1 + odds)

    def reasons(self, levels: Mapping[str, int]) -> list[dict[str, Any]]:
        """Why a pair scored as it did, one entry per known comparison in :data:`COMPARISONS`
        order: ``field`` (the comparison), ``level``, ``agreement`` (the level's label) and
        ``weight`` (its log2(m/u))."""
        return [
            {
                "field": comparison.name,
                "level": levels[comparison.name],
                "agreement": comparison.label(levels[comparison.name]),
                "weight": self.level_weight(comparison.name, levels[comparison.name]),
            }
            for comparison in COMPARISONS
            if comparison.name in levels
        ]


def comparison_named(name: str) -> Comparison:
    """The comparison of that name."""
    return _BY_NAME[name]
