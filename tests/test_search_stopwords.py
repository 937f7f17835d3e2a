"""Stop words ("that", "from", "which") are neither matched nor highlighted: a natural-language query is
matched on the words that carry its topic. Quoted phrases still match in full, stop words included."""

import pytest

from paperfeed.search import indexer
from paperfeed.search.hybrid import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_paper, index_dir):
    make_paper("2601.00001", title="Graph coloring", abstract="We show that colors come from a greedy order.")
    make_paper("2601.00002", title="Protein folding", abstract="Structures which fold from sequences.")
    make_paper("2601.00003", title="A theory of mind benchmark", abstract="Models reason about beliefs.")
    indexer.catch_up()


def ids(result):
    return [h.paper.arxiv_id for h in result.hits]


def test_a_query_of_only_stop_words_matches_no_paper(corpus):
    assert ids(search("that from which")) == []


def test_stop_words_in_a_query_neither_match_nor_mark(corpus):
    result = search("papers that come from graph coloring")
    assert ids(result) == ["2601.00001"]
    hit = result.hits[0]
    assert "<mark>that</mark>" not in hit.abstract_html and "<mark>from</mark>" not in hit.abstract_html
    assert "<mark>come</mark>" in hit.abstract_html and "<mark>Graph</mark>" in hit.title_html


def test_a_quoted_phrase_with_a_stop_word_still_matches_in_full(corpus):
    assert ids(search('"theory of mind"')) == ["2601.00003"]
    assert ids(search('"theory for mind"')) == []
