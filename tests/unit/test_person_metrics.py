"""What ``bench/persons.py`` measures linking with: pairwise precision, recall and F1 of a
clustering (``bench/person_metrics.py``), on small cases counted by hand and against counting
every pair one by one; and the labelled population it scores against
(``bench/person_population.py``): complete tables, the same records for the same seed, keys
and numbers in their canonical forms."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from itertools import combinations

import pytest

from bench.person_metrics import Scores, pairwise_scores
from bench.person_population import check_tables, generate
from canonical_model.identifiers import DrivingLicence, Fir
from canonical_model.person_mentions import Role

#: Six records of three persons: P1 three times, P2 twice, P3 once (3 + 1 + 0 = 4 true pairs).
TRUTH = {"a": "P1", "b": "P1", "c": "P1", "d": "P2", "e": "P2", "f": "P3"}


def test_a_perfect_clustering_scores_one_whatever_its_cluster_names() -> None:
    predicted = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y", "f": "z"}
    scores = pairwise_scores(TRUTH, predicted)
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (4, 4, 4)
    assert scores.precision == scores.recall == scores.f1 == 1.0
    assert (scores.records, scores.persons, scores.clusters) == (6, 3, 3)
    assert scores.false_links == scores.missed_links == 0


def test_all_singletons_link_nothing_so_nothing_is_wrong_and_everything_is_missed() -> None:
    scores = pairwise_scores(TRUTH, {key: key for key in TRUTH})
    assert (scores.predicted_pairs, scores.correct_pairs) == (0, 0)
    assert scores.precision == 1.0
    assert scores.recall == 0.0
    assert scores.f1 == 0.0
    assert scores.missed_links == 4


def test_all_merged_finds_every_pair_among_fifteen() -> None:
    scores = pairwise_scores(TRUTH, dict.fromkeys(TRUTH, "one"))
    # 6 records in one cluster: C(6, 2) = 15 pairs, of which the 4 true ones.
    assert (scores.predicted_pairs, scores.correct_pairs) == (15, 4)
    assert scores.precision == pytest.approx(4 / 15)
    assert scores.recall == 1.0
    # 2 * (4/15) * 1 / (4/15 + 1) = 8/19
    assert scores.f1 == pytest.approx(8 / 19)
    assert scores.false_links == 11


def test_a_split_and_a_wrong_merge_cost_half_of_each() -> None:
    truth = {"a": "P1", "b": "P1", "c": "P1", "d": "P2", "e": "P2"}
    # {a, b} is right; c is cut from P1 and joined to P2's d and e.
    predicted = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Y"}
    scores = pairwise_scores(truth, predicted)
    # Correct: a-b and d-e. Predicted: a-b, c-d, c-e, d-e. True: a-b, a-c, b-c, d-e.
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (4, 4, 2)
    assert scores.precision == scores.recall == scores.f1 == 0.5


def test_a_record_the_clustering_left_out_stands_alone_and_extra_keys_are_ignored() -> None:
    truth = {"a": "P1", "b": "P1", "c": "P1"}
    predicted = {"a": "X", "b": "X", "zzz": "X"}
    scores = pairwise_scores(truth, predicted)
    assert scores.records == 3
    assert scores.clusters == 2
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (3, 1, 1)
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx(1 / 3)


def test_a_left_out_record_is_never_taken_for_a_cluster_named_like_its_key() -> None:
    # "b" has no cluster; a cluster happens to be named "b". They must not merge.
    scores = pairwise_scores({"a": "P1", "b": "P2"}, {"a": "b"})
    assert scores.predicted_pairs == 0


def test_nothing_to_link_scores_one() -> None:
    scores = pairwise_scores({}, {})
    assert scores == Scores(0, 0, 0, 0, 0, 0)
    assert scores.f1 == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_counts_agree_with_counting_every_pair(seed: int) -> None:
    rng = random.Random(seed)
    keys = [f"r{i}" for i in range(60)]
    truth = {k: f"P{rng.randrange(15)}" for k in keys}
    predicted = {k: f"C{rng.randrange(12)}" for k in keys if rng.random() < 0.9}
    same_truth = same_cluster = both = 0
    for x, y in combinations(keys, 2):
        t = truth[x] == truth[y]
        c = x in predicted and y in predicted and predicted[x] == predicted[y]
        same_truth += t
        same_cluster += c
        both += t and c
    scores = pairwise_scores(truth, predicted)
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (
        same_truth,
        same_cluster,
        both,
    )


# -- the population ---------------------------------------------------------------------------


def test_every_name_a_tradition_uses_is_in_the_tables() -> None:
    assert check_tables() == []


def test_the_same_seed_makes_the_same_population_and_another_seed_another() -> None:
    first = generate(persons=300, seed=7)
    assert generate(persons=300, seed=7) == first
    assert generate(persons=300, seed=8) != first


def test_records_are_keyed_and_numbered_as_the_pillars_send_them() -> None:
    tally: Counter[str] = Counter()
    population = generate(persons=1500, seed=3, tally=tally)
    keys = [m.mention.record_key for m in population]
    assert len(keys) == len(set(keys)) == tally["records"]
    cases_of: defaultdict[str, list[str]] = defaultdict(list)
    for m in population:
        mention = m.mention
        if mention.role is Role.LICENCE_HOLDER:
            number = mention.record_key.removeprefix("licence:")
            assert str(DrivingLicence.parse(number)) == number
            assert mention.identifiers == (f"dl:{number}",)
            continue
        assert mention.case_id is not None and mention.fir is not None
        assert re.fullmatch(r"C-\d+", mention.case_id)
        assert mention.record_key == f"case:{mention.case_id}:{mention.party_ref}"
        assert str(Fir.parse(mention.fir)) == mention.fir
        assert mention.police_station == "/".join(mention.fir.split("/")[:3])
        cases_of[m.truth].append(mention.case_id)
    # One person is never named twice in one case.
    assert all(len(cases) == len(set(cases)) for cases in cases_of.values())
    # Most persons appear once, some several times.
    counts = Counter(len(cases) for cases in cases_of.values())
    assert counts[1] > counts[2] > counts[3] > 0


def test_the_population_has_common_names_and_devanagari_records() -> None:
    tally: Counter[str] = Counter()
    population = generate(persons=3000, seed=1, tally=tally)
    assert tally["persons sharing their full name"] > 300
    devanagari = [
        m.mention.name for m in population if re.search("[\u0900-\u097f]", m.mention.name)
    ]
    assert len(devanagari) == tally["record in Devanagari"] > 100
    # A Devanagari record is wholly Devanagari: no Latin letter slipped through the tables.
    assert not [name for name in devanagari if re.search("[A-Za-z]", name)]
