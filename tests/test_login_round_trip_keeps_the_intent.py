"""An anonymous visitor who clicks ▲, Save or Follow is sent to log in (or sign up), and the vote, save or follow
happens once they have, with a message; an intent from long ago is dropped."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.core import mail

from paperfeed.accounts.models import Follow
from paperfeed.library import intents
from paperfeed.papers.models import Collection, Vote
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(make_paper):
    return make_paper("2602.00031", title="Worth saving")


def test_save_while_anonymous_saves_after_login(client, alice, paper):
    response = client.post("/save", {"arxiv_id": paper.arxiv_id, "next": "/papers/2602.00031"})
    assert response["Location"] == "/accounts/login/?next=%2Fpapers%2F2602.00031"
    response = client.post(
        "/accounts/login/?next=/papers/2602.00031",
        {"username": "alice", "password": PASSWORD, "next": "/papers/2602.00031"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/papers/2602.00031"
    assert "Saved to Reading list." in response.content.decode()
    assert list(Collection.objects.get(owner=alice).papers.all()) == [paper]


def test_save_by_fetch_while_anonymous_answers_401_with_the_login_url(client, paper):
    response = client.post(
        "/save", {"arxiv_id": paper.arxiv_id, "next": "/papers"}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 401
    assert response.json()["login_url"] == "/accounts/login/?next=%2Fpapers"


def test_upvote_while_anonymous_counts_after_login(client, alice, paper):
    client.post(f"/papers/{paper.arxiv_id}/vote", {"action": "up"})
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}, follow=True)
    assert "Upvoted" in response.content.decode()
    assert Vote.objects.filter(user=alice, paper=paper).exists()


def test_save_while_anonymous_saves_after_signing_up(client, paper):
    client.post("/save", {"arxiv_id": paper.arxiv_id})
    response = client.post(
        "/accounts/signup/?next=/papers/2602.00031",
        {
            "username": "carol",
            "email": "carol@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/papers/2602.00031",
        },
        follow=True,
    )
    assert "Check your email" in response.content.decode() or response.status_code == 200
    # The account starts when its activation link is followed, in the same browser: the Save happens then.
    (activation,) = [m for m in mail.outbox if "carol@example.org" in m.to]
    link = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/)", activation.body).group(1)
    html = client.get(link, follow=True).content.decode()
    assert "Your account is ready" in html and "Saved to Reading list." in html
    assert Collection.objects.get(owner__username="carol").papers.get() == paper


def test_an_intent_older_than_an_hour_is_dropped(client, alice, paper):
    client.post("/save", {"arxiv_id": paper.arxiv_id})
    with time_machine.travel(time.time() + intents.MAX_AGE_SECONDS + 60):
        client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert not Collection.objects.filter(owner=alice).exists()


def test_follow_while_anonymous_follows_after_login_and_comes_back(client, alice, paper):
    page = client.get("/authors/Ada Lovelace").content.decode()
    assert 'action="/accounts/follows"' in page and "+ Follow" in page  # the same form as for readers
    response = client.post(
        "/accounts/follows", {"kind": "author", "value": "Ada Lovelace", "next": "/authors/Ada%20Lovelace"}
    )
    assert response["Location"] == "/accounts/login/?next=%2Fauthors%2FAda%2520Lovelace"
    assert not Follow.objects.exists()
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD, "next": "/authors/Ada%20Lovelace"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/authors/Ada%20Lovelace"
    html = response.content.decode()
    assert "Following Ada Lovelace." in html and "✓ Following" in html
    assert list(Follow.objects.filter(user=alice).values_list("kind", "value")) == [("author", "Ada Lovelace")]


def test_a_follow_that_cannot_be_done_says_why_after_login(client, alice):
    client.post("/accounts/follows", {"kind": "category", "value": "Not a category!", "next": "/papers"})
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}, follow=True)
    assert "is not an arXiv category" in response.content.decode()
    assert not Follow.objects.exists()
