"""Rebuilding the map keeps each topic's id (and so its URL) where its papers stayed together; a topic that
no cluster continues is marked inactive, and its page says so instead of vanishing."""

from __future__ import annotations

from paperfeed.topics.build import build_map
from paperfeed.topics.matching import match
from paperfeed.topics.models import PaperPoint, Topic
from tests.map_support import sample_records, store_sample


def members() -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for pk, topic in PaperPoint.objects.values_list("paper_id", "topic_id"):
        out.setdefault(topic, set()).add(pk)
    return out


def test_a_rebuild_of_the_same_papers_keeps_every_topic_id(db):
    store_sample(sample_records(per_field=50))
    build_map()
    first = members()
    assert len(first) >= 2
    second_build = build_map()
    assert members() == first
    assert second_build.kept_topics == len(first)


def test_a_rebuild_with_new_papers_keeps_the_ids_of_topics_that_stayed_together(db, client):
    store_sample(sample_records(per_field=50))
    build_map()
    first = members()
    store_sample(sample_records(per_field=4, skip=50))
    build_map()
    second = members()
    for topic_id, pks in second.items():
        # a new cluster made mostly of one old topic's papers, holding most of them, is that topic
        for old_id, old_pks in first.items():
            shared = len(pks & old_pks)
            if shared >= 0.7 * len(pks) and shared >= 0.7 * len(old_pks):
                assert topic_id == old_id, f"topic {old_id} continued under the new id {topic_id}"
    ended = set(first) - set(second)
    assert set(Topic.objects.filter(active=False).values_list("pk", flat=True)) == ended
    for topic_id in ended:
        assert "no longer exists on the current map" in client.get(f"/topics/{topic_id}").content.decode()


def test_a_split_keeps_the_id_for_the_bigger_part_and_a_merge_for_the_bigger_topic():
    old = {1: set(range(100)), 2: set(range(100, 130)), 3: set(range(130, 160))}
    new = {10: set(range(70)), 11: set(range(70, 100)), 12: set(range(100, 160))}
    assert match(new, old) == {10: 1, 12: 2} or match(new, old) == {10: 1, 12: 3}
    assert match({0: set(range(500, 600))}, old) == {}
