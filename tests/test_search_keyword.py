"""Keyword search over the BM25 index: ranking, filters, sorts, pagination, highlights, hidden and deleted papers."""

from datetime import date

import pytest

from paperfeed.errors import BadRequest
from paperfeed.papers import changes
from paperfeed.papers.models import Paper
from paperfeed.search import indexer, replica
from paperfeed.search.filters import SearchFilters
from paperfeed.search.hybrid import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_paper, index_dir):
    papers = {
        "graph": make_paper(
            "2601.00001",
            title="Graph neural networks for molecules",
            abstract="We learn molecular graphs with message passing.",
            authors=["Ada Lovelace"],
            categories=["cs.LG"],
        ),
        "diffusion": make_paper(
            "2601.00002",
            title="Diffusion models for images",
            abstract="Denoising diffusion generates images; graphs are not used.",
            authors=["Alan Turing"],
            categories=["cs.CV"],
        ),
        "robots": make_paper(
            "2601.00003",
            title="Robot grasping",
            abstract="A robot learns to grasp with a neural policy.",
            authors=["Grace Hopper", "Alan Turing"],
            categories=["cs.RO", "cs.LG"],
        ),
    }
    for key, day in (("graph", date(2026, 1, 5)), ("diffusion", date(2026, 1, 10)), ("robots", date(2026, 1, 20))):
        Paper.objects.filter(pk=papers[key].pk).update(submitted_on=day)
    changes.mark_changed(Paper.objects.all())
    indexer.catch_up()
    return papers


def ids(result):
    return [h.paper.arxiv_id for h in result.hits]


def test_the_best_keyword_match_comes_first(corpus):
    result = search("graph neural networks")
    assert ids(result)[0] == "2601.00001"
    assert set(ids(result)) == {"2601.00001", "2601.00002", "2601.00003"}
    assert result.semantic == "off"


def test_ranking_is_the_same_every_time(corpus):
    first = [ids(search(q)) for q in ("graph", "neural", "images graphs robot")]
    replica.forget()
    assert [ids(search(q)) for q in ("graph", "neural", "images graphs robot")] == first


def test_matched_words_are_highlighted_by_their_stem(corpus):
    hit = search("network graph").hits[0]
    assert "<mark>networks</mark>" in hit.title_html and "<mark>Graph</mark>" in hit.title_html
    assert "<mark>graphs</mark>" in hit.abstract_html


def test_highlights_escape_html_in_titles(make_paper, index_dir):
    make_paper("2601.00009", title="<b>Bold</b> claims about graphs")
    indexer.catch_up()
    hit = search("graphs").hits[0]
    assert "&lt;b&gt;Bold&lt;/b&gt;" in hit.title_html and "<b>" not in hit.title_html


def test_a_quoted_phrase_must_appear_as_written(corpus):
    assert ids(search('"neural policy"')) == ["2601.00003"]
    assert ids(search('"policy neural"')) == []


def test_author_and_category_operators_restrict_results(corpus):
    assert set(ids(search("neural author:turing"))) == {"2601.00003"}
    assert set(ids(search('author:"alan turing"'))) == {"2601.00002", "2601.00003"}
    assert set(ids(search("graph cat:cs.LG"))) == {"2601.00001"}
    assert set(ids(search("graph cat:CS.lg"))) == {"2601.00001"}
    assert ids(search("cat:cs.LG")) == ["2601.00003", "2601.00001"]  # operators alone: newest first


def test_filters_by_date_category_and_author(corpus):
    assert set(ids(search("graph neural robot images", filters=SearchFilters(date_from=date(2026, 1, 6))))) == {
        "2601.00002",
        "2601.00003",
    }
    assert set(ids(search("graph neural robot images", filters=SearchFilters(date_to=date(2026, 1, 10))))) == {
        "2601.00001",
        "2601.00002",
    }
    assert ids(search("graph neural robot images", filters=SearchFilters(categories=("cs.CV",)))) == ["2601.00002"]
    assert ids(search("graph neural robot images", filters=SearchFilters(authors=("Grace Hopper",)))) == ["2601.00003"]


def test_a_backwards_date_range_is_a_clear_400(corpus):
    with pytest.raises(BadRequest, match="swap"):
        search("graph", filters=SearchFilters(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)))


def test_sort_by_newest_and_by_most_upvoted(corpus, alice, bob):
    assert ids(search("graph neural robot images", sort="newest")) == ["2601.00003", "2601.00002", "2601.00001"]
    Paper.objects.filter(pk=corpus["graph"].pk).update(imported_upvotes=5)
    Paper.objects.filter(pk=corpus["diffusion"].pk).update(imported_upvotes=9)
    assert ids(search("graph neural robot images", sort="upvoted")) == ["2601.00002", "2601.00001", "2601.00003"]


def test_pages_split_the_results_without_gaps_or_repeats(make_paper, index_dir):
    for n in range(1, 8):
        make_paper(f"2601.{n:05d}", title=f"Sparse attention study {n}", abstract="sparse attention " * n)
    indexer.catch_up()
    whole = ids(search("sparse attention", page_size=50))
    pages = [search("sparse attention", page=p, page_size=3) for p in (1, 2, 3)]
    assert [ids(p) for p in pages] == [whole[0:3], whole[3:6], whole[6:7]]
    assert pages[0].num_pages == 3 and pages[0].total == 7 and pages[2].has_next is False
    assert ids(search("sparse attention", page=4, page_size=3)) == []


def test_hidden_and_deleted_papers_never_appear(corpus):
    changes.mark_changed(Paper.objects.filter(pk=corpus["graph"].pk), hidden=True)
    corpus["robots"].delete()
    indexer.catch_up()
    assert ids(search("graph neural robot images")) == ["2601.00002"]
    changes.mark_changed(Paper.objects.filter(pk=corpus["graph"].pk), hidden=False)
    indexer.catch_up()
    assert set(ids(search("graph neural robot images"))) == {"2601.00001", "2601.00002"}


def test_a_hidden_paper_is_not_shown_even_before_the_indexer_catches_up(corpus):
    Paper.objects.filter(pk=corpus["graph"].pk).update(hidden=True)  # no change_seq bump: the index still has it
    assert "2601.00001" not in ids(search("graph"))


def test_withdrawn_papers_stay_findable_and_are_marked(corpus):
    changes.mark_changed(Paper.objects.filter(pk=corpus["graph"].pk), withdrawn=True)
    indexer.catch_up()
    assert search("molecules").hits[0].paper.withdrawn is True


def test_an_updated_title_is_searched_by_its_new_words(corpus):
    paper = Paper.objects.get(pk=corpus["diffusion"].pk)
    paper.title = "Consistency models for video"
    paper.save()
    indexer.catch_up()
    assert ids(search("video")) == ["2601.00002"]
    assert ids(search("denoising")) == ["2601.00002"]
    assert ids(search('"diffusion models"')) == []
