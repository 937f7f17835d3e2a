"""A paper a moderator hides leaves the map's download, its topic's API and page at once, before any rebuild."""

from __future__ import annotations

from paperfeed.papers import changes
from paperfeed.papers.models import Paper
from paperfeed.topics.build import build_map
from paperfeed.topics.models import PaperPoint
from tests.map_support import sample_records, store_sample


def test_a_hidden_paper_vanishes_from_the_map_and_the_topic_api(db, client):
    store_sample(sample_records(per_field=20))
    build_map()
    point = PaperPoint.objects.select_related("paper", "topic").first()
    paper, topic = point.paper, point.topic
    before = client.get("/api/v1/topics/points").json()
    assert paper.arxiv_id in before["ids"]
    assert client.get(f"/api/v1/topics/{topic.pk}").json()["size"] == topic.size

    changes.mark_changed(Paper.objects.filter(pk=paper.pk), hidden=True)

    after = client.get("/api/v1/topics/points").json()
    assert paper.arxiv_id not in after["ids"] and after["count"] == before["count"] - 1
    assert paper.arxiv_id not in client.get(f"/api/v1/topics/{topic.pk}").json()["newest"]
    assert paper.title not in client.get(f"/topics/{topic.pk}").content.decode()


def test_the_next_build_leaves_hidden_papers_out(db):
    store_sample(sample_records(per_field=20))
    hidden = Paper.objects.order_by("pk").first()
    changes.mark_changed(Paper.objects.filter(pk=hidden.pk), hidden=True)
    build_map()
    assert PaperPoint.objects.count() == 79 and not PaperPoint.objects.filter(paper=hidden).exists()
