"""Trending has one order: a sort parameter is a 400 that names the orders the listings offer, as an unknown
sort on a listing is; and the trending list shows no raw scores."""

import pytest

from paperfeed.papers import paper_actions
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sort", ["new", "discussed", "top", "bogus", ""])
def test_a_sort_on_trending_is_a_400_naming_where_sorts_apply(client, db, sort):
    response = client.get("/papers/trending", {"sort": sort})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Trending has one order" in html and "top, new or discussed" in html


def test_an_unknown_sort_on_a_listing_is_a_400_too(client, make_paper):
    make_paper("2601.00001")
    response = client.get("/papers", {"sort": "bogus"})
    assert response.status_code == 400 and "top, new, discussed" in response.content.decode()


def test_trending_without_a_sort_lists_papers_and_no_scores(client, make_paper):
    paper = make_paper("2601.00001", title="A liked paper")
    paper_actions.upvote(make_user("v1"), paper)
    response = client.get("/papers/trending")
    html = response.content.decode()
    assert response.status_code == 200 and "A liked paper" in html
    assert "score 0" not in html and 'class="score"' not in html
