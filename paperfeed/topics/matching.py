"""Keeping topic ids across rebuilds: each new cluster takes the id of the old topic it shares the most papers
with (by Jaccard index), greedily from the best-matching pair down, one old topic per new cluster.

A new cluster whose best old topic shares less than MIN_JACCARD of their papers is a new topic; an old topic no
cluster took has ended (a split's smaller half gets a new id, a merge keeps the bigger part's id).
"""

from __future__ import annotations

from collections import Counter

MIN_JACCARD = 0.3


def match(new: dict[int, set[int]], old: dict[int, set[int]], *, min_jaccard: float = MIN_JACCARD) -> dict[int, int]:
    """new cluster -> old topic id, for the clusters that continue an old topic. Both map to sets of paper pks."""
    owner = {pk: topic for topic, pks in old.items() for pk in pks}
    pairs = []
    for cluster, pks in new.items():
        shared = Counter(owner[pk] for pk in pks if pk in owner)
        for topic, inter in shared.items():
            jaccard = inter / (len(pks) + len(old[topic]) - inter)
            if jaccard >= min_jaccard:
                pairs.append((jaccard, inter, cluster, topic))
    kept: dict[int, int] = {}
    taken: set[int] = set()
    for _, _, cluster, topic in sorted(pairs, key=lambda p: (-p[0], -p[1], p[2], p[3])):
        if cluster not in kept and topic not in taken:
            kept[cluster] = topic
            taken.add(topic)
    return kept
