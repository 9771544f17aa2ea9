"""How well a clustering of records into persons agrees with the truth, pair by pair.

A linker's answer is a clustering: every record gets a person. Pairwise precision asks of
every two records the linker put together whether they are one person; pairwise recall asks
of every two records of one person whether the linker put them together. Counting pairs one
by one costs n² on a million records; it is not needed. Pairs the linker got right are the
pairs inside one cell of the contingency table (true person x predicted cluster), so
``C(n, 2)`` summed over the cells counts them, and the same sum over the true persons, or
over the clusters, counts the true or the predicted pairs. One pass over the records, exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


def _pairs(n: int) -> int:
    """How many pairs ``n`` records make."""
    return n * (n - 1) // 2


@dataclass(frozen=True, slots=True)
class Scores:
    """Pairwise figures of a clustering against the truth.

    ``precision`` is 1.0 when the clustering links nothing (no claim was wrong) and
    ``recall`` is 1.0 when the truth has no pair (nothing was missed); ``f1`` is 0.0 when
    both are 0.
    """

    records: int
    persons: int
    clusters: int
    #: Pairs of records of one person.
    true_pairs: int
    #: Pairs of records in one cluster.
    predicted_pairs: int
    #: Pairs of records of one person in one cluster.
    correct_pairs: int

    @property
    def precision(self) -> float:
        """Share of the predicted pairs that are one person."""
        if self.predicted_pairs == 0:
            return 1.0
        return self.correct_pairs / self.predicted_pairs

    @property
    def recall(self) -> float:
        """Share of the true pairs the clustering put together."""
        if self.true_pairs == 0:
            return 1.0
        return self.correct_pairs / self.true_pairs

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def false_links(self) -> int:
        """Predicted pairs of two different persons (what costs precision)."""
        return self.predicted_pairs - self.correct_pairs

    @property
    def missed_links(self) -> int:
        """True pairs the clustering kept apart (what costs recall)."""
        return self.true_pairs - self.correct_pairs


def pairwise_scores(truth: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """Pairwise precision, recall and F1 of ``predicted`` against ``truth``.

    Both map a record's key to its person: the true one, and the cluster the linker made.
    The records are those of ``truth``; a record ``predicted`` leaves out is a cluster of
    its own (a linker that dropped it linked it to nothing), and keys only ``predicted``
    has are ignored.
    """
    cells: Counter[tuple[str, Hashable]] = Counter()
    clusters: Counter[Hashable] = Counter()
    persons: Counter[str] = Counter()
    for key, person in truth.items():
        # A record without a cluster stands alone: a tuple is no cluster's name (they are
        # strings), so it cannot fall into one.
        cluster: Hashable = predicted.get(key, ("unclustered", key))
        cells[(person, cluster)] += 1
        clusters[cluster] += 1
        persons[person] += 1
    return Scores(
        records=len(truth),
        persons=len(persons),
        clusters=len(clusters),
        true_pairs=sum(_pairs(n) for n in persons.values()),
        predicted_pairs=sum(_pairs(n) for n in clusters.values()),
        correct_pairs=sum(_pairs(n) for n in cells.values()),
    )
