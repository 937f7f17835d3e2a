"""With the real model over the demo corpus: a real topic only two papers are about ("sheet music") still shows
them first, above the score floor that keeps nonsense out. Loads the model and the demo corpus, so slow."""

import pytest
from django.utils import timezone

from paperfeed.demo.embeddings import store_demo_embeddings
from paperfeed.demo.loader import read_corpus
from paperfeed.ingest.store import ingest_records
from paperfeed.search import indexer, replica
from paperfeed.search.hybrid import search
from tests.search_support import use_data_dir

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MUSIC_PAPERS = {"2606.31811", "2606.20198"}  # MuSViT (sheet music representation); pitch spelling of lead sheets


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    use_data_dir(settings, tmp_path)
    replica.forget()
    records = read_corpus()
    for r in records:
        r["first_listing_date"] = timezone.localdate().isoformat()
    ingest_records(records, source="demo")
    assert store_demo_embeddings() == len(records)
    indexer.catch_up()
    yield
    replica.forget()


def test_a_rare_topic_in_its_own_words_shows_its_few_papers_above_the_floor(demo):
    result = search("sheet music")
    assert {h.paper.arxiv_id for h in result.hits[:2]} == MUSIC_PAPERS
    assert all(h.score >= 0.5 for h in result.hits)
