"""Anonymous pages everyone shares come from the page cache, at most PAGE_CACHE_SECONDS old; unknown query
parameters share one entry; a cached page carries the visitor's own CSRF token."""

import re

import pytest
import time_machine
from django.utils import timezone

from paperfeed.papers import paper_actions
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SHARED_PAGES = [
    "/papers",
    "/papers/trending",
    "/papers/2611.00101",
    "/papers/2611.00101?format=bibtex",
    "/papers?format=rss",
    "/feeds/trending.rss",
    "/api/daily_papers",
    "/api/papers/2611.00101",
    "/api/v1/listings/latest",
    "/api/v1/trending",
    "/api/v1/papers/2611.00101",
    "/papers/search?q=cached+paper",
]


@pytest.fixture
def paper(make_paper):
    return make_paper("2611.00101", title="Cached paper", first_listing_date=timezone.localdate().isoformat())


@pytest.mark.parametrize("url", SHARED_PAGES)
def test_a_shared_page_is_served_from_the_cache_the_second_time(client, paper, url):
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second and second["X-Frame-Options"] == "DENY"


def test_a_vote_shows_to_anonymous_readers_within_the_bound(client, paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "PAGE_CACHE_SECONDS": 15}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/api/papers/2611.00101").json()["upvotes"] == 0
        paper_actions.upvote(make_user("voter", days_old=90), paper)
        clock.shift(5)
        assert client.get("/api/papers/2611.00101").json()["upvotes"] == 0  # young enough: from the cache
        clock.shift(10.5)
        assert client.get("/api/papers/2611.00101").json()["upvotes"] == 1


def test_unknown_query_parameters_share_one_entry_and_do_not_reach_the_view(client, paper):
    assert client.get("/papers?utm_source=mail").status_code == 200
    for i in range(20):
        response = client.get(f"/papers?utm_source=mail&junk={i}")
        assert response["X-Page-Cache"] == "hit"
        assert b"junk" not in response.content and b"utm_source" not in response.content
    assert client.get("/papers?sort=new")["X-Page-Cache"] == "miss"  # a known parameter is part of the key


def test_an_invalid_known_parameter_is_a_400_and_never_cached(client, paper):
    assert client.get("/papers?sort=nonsense").status_code == 400
    assert client.get("/papers?sort=nonsense").status_code == 400


def test_a_cached_page_carries_a_csrf_token_minted_for_its_visitor(paper):
    from django.test import Client

    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get("/papers")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content).group(1).decode()
        tokens.append(token)
        # the visitor's own cookie and token pass the CSRF check: the vote sends them to log in, no 403
        vote = visitor.post("/papers/2611.00101/vote", {"csrfmiddlewaretoken": token})
        assert vote.status_code == 302 and "/accounts/login" in vote["Location"]
    assert response["X-Page-Cache"] == "hit"
    assert tokens[0] != tokens[1]


def test_a_page_is_not_cached_when_the_cache_is_turned_off(client, paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "PAGE_CACHE_SECONDS": 0}
    client.get("/papers")
    assert "X-Page-Cache" not in client.get("/papers")


def test_each_search_is_its_own_entry_and_its_results_are_the_querys_own(client, make_paper):
    from paperfeed.search import indexer

    today = timezone.localdate().isoformat()
    make_paper("2611.00102", title="Gaussian splatting for scenes", first_listing_date=today)
    make_paper("2611.00103", title="Protein folding with transformers", first_listing_date=today)
    indexer.catch_up()
    splat, protein = client.get("/papers/search?q=splatting"), client.get("/papers/search?q=protein+folding")
    assert (splat["X-Page-Cache"], protein["X-Page-Cache"]) == ("miss", "miss")
    again = client.get("/papers/search?q=splatting&utm_source=x")
    assert again["X-Page-Cache"] == "hit" and b"2611.00102" in again.content
    assert b"2611.00102" in splat.content and b"2611.00103" not in splat.content
    assert b"2611.00103" in protein.content and b"2611.00102" not in protein.content
