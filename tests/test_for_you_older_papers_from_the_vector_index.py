"""Older papers you missed: papers listed before the window, found in the host's vector index by the reader's
profile vector; never a hidden one, one of the window's or the reader's own; no index, no section (no scan)."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from paperfeed.papers import paper_actions
from paperfeed.papers.changes import mark_changed
from paperfeed.papers.models import Paper
from paperfeed.recommend.feed import window_start
from paperfeed.recommend.older import older_papers
from paperfeed.recommend.profile import profile_for
from paperfeed.recommend.retrain import retrain_stale
from paperfeed.search import replica
from paperfeed.search.embedder import configured_model_name
from paperfeed.search.models import Embedding, decode_vector
from paperfeed.search.vector_index import VectorIndex
from tests.recommend_support import store_vector, topic_papers
from tests.search_support import use_data_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(settings, tmp_path, make_paper, alice):
    use_data_dir(settings, tmp_path)
    replica.forget()
    papers = topic_papers(make_paper)
    long_ago = (timezone.localdate() - timedelta(days=60)).isoformat()
    old = {}
    for t, topic in enumerate(("robotics", "vision")):
        old[topic] = []
        for i in range(4):
            paper = make_paper(
                f"2509.{t + 1}{i:04d}", categories=["cs.RO" if t == 0 else "cs.CV"], first_listing_date=long_ago
            )
            centre = np.zeros(384, np.float32)
            centre[0 if t == 0 else 2] = 1.0
            store_vector(paper, centre + 0.03 * np.random.default_rng(i).standard_normal(384).astype(np.float32))
            old[topic].append(paper)
    for paper in papers["robotics"][:3]:
        paper_actions.upvote(alice, paper)
    retrain_stale()
    yield papers, old
    replica.forget()


def build_vector_index() -> None:
    rows = list(Embedding.objects.values_list("paper_id", "vector"))
    index = VectorIndex(384, replica.vector_path())
    index.upsert_many([pk for pk, _ in rows], np.vstack([decode_vector(v) for _, v in rows]))
    index.save()
    replica.write_watermark({"model": configured_model_name(), "vectors": len(rows)})
    replica.forget()


def test_older_papers_near_the_readers_likes_come_from_the_index(hub, alice, alice_client):
    papers, old = hub
    build_vector_index()
    found = older_papers(alice, profile_for(alice), before=window_start("week"))
    assert [o.paper.primary_category for o in found[:4]] == ["cs.RO"] * 4
    assert {o.paper_id for o in found}.isdisjoint(p.pk for t in papers.values() for p in t)  # none of the window's
    assert all(o.reason for o in found)
    html = alice_client.get("/papers/for-you").content.decode()
    assert "Older papers you missed" in html and old["robotics"][0].arxiv_id in html


def test_a_hidden_paper_found_in_the_index_never_shows(hub, alice):
    papers, old = hub
    build_vector_index()  # the index still holds the paper hidden after it was built
    mark_changed(Paper.objects.filter(pk=old["robotics"][0].pk), hidden=True)
    found = older_papers(alice, profile_for(alice), before=window_start("week"))
    assert old["robotics"][0].pk not in {o.paper_id for o in found} and found


def test_without_a_vector_index_there_is_no_section(hub, alice, alice_client):
    assert older_papers(alice, profile_for(alice), before=window_start("week")) == []
    assert "Older papers you missed" not in alice_client.get("/papers/for-you").content.decode()
