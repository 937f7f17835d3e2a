"""Signed-in readers are never served a cached page: their own votes show at once, and never someone else's."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def signed_in(username):
    user = make_user(username, days_old=90)
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("url", ["/papers", "/papers/trending", "/papers/2611.00201"])
def test_two_readers_each_see_their_own_vote_and_the_count_at_once(make_paper, url):
    make_paper("2611.00201", title="Shared paper", first_listing_date=timezone.localdate().isoformat())
    anonymous, alice, bob = Client(), signed_in("alice2"), signed_in("bob2")
    anonymous.get(url)
    assert anonymous.get(url)["X-Page-Cache"] == "hit"  # the anonymous page is cached ...
    before_alice, before_bob = alice.get(url), bob.get(url)
    assert "X-Page-Cache" not in before_alice and "X-Page-Cache" not in before_bob  # ... signed-in ones never

    alice.post("/papers/2611.00201/vote")
    after_alice, after_bob = alice.get(url), bob.get(url)
    assert not _voted(before_alice) and not _voted(before_bob)
    assert _voted(after_alice) and not _voted(after_bob)
    assert _count(after_alice) == _count(after_bob) == 1  # the vote shows in the count at once, to both


def _vote_form(response) -> str:
    """The paper's upvote control as the reader got it (listings fill it into content shared by all)."""
    html = response.content.decode()
    start = html.index('<form class="vote" method="post" action="/papers/2611.00201/vote">')
    return html[start : html.index("</form>", start)]


def _voted(response) -> bool:
    return 'aria-pressed="true"' in _vote_form(response)


def _count(response) -> int:
    form = _vote_form(response)
    return int(form.split('<span class="count">')[1].split("<")[0])


def test_an_api_request_with_a_token_is_never_served_from_the_cache(client, make_paper):
    make_paper("2611.00202", title="Token paper", first_listing_date=timezone.localdate().isoformat())
    client.get("/api/v1/listings/latest")
    assert client.get("/api/v1/listings/latest")["X-Page-Cache"] == "hit"
    with_token = client.get("/api/v1/listings/latest", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert with_token.get("X-Page-Cache") is None
