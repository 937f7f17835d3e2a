"""With the real model over the demo corpus: a real topic only two papers are about ("sheet music") still shows
them first, above the score floor that keeps nonsense out. Loads the model and the demo corpus, so slow."""

import pytest

from paperfeed.search.hybrid import search
from tests.search_support import MUSIC_PAPERS, index_the_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


demo = pytest.fixture(index_the_demo, name="demo")


def test_a_rare_topic_in_its_own_words_shows_its_few_papers_above_the_floor(demo):
    result = search("sheet music")
    assert {h.paper.arxiv_id for h in result.hits[:2]} == MUSIC_PAPERS
    assert all(h.score >= 0.5 for h in result.hits)
