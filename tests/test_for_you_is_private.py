"""Another reader never sees your feed, its reasons or your Not-interested marks: page, API or feed URL."""

import pytest
from django.test import Client

from paperfeed.api.models import ApiToken
from paperfeed.papers import paper_actions
from paperfeed.recommend import actions
from paperfeed.recommend.retrain import retrain_stale
from tests.recommend_support import topic_papers

pytestmark = pytest.mark.django_db


def api_for(user) -> Client:
    _, secret = ApiToken.issue(user, "script")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def alice_likes_robotics(alice, make_paper):
    papers = topic_papers(make_paper)
    for paper in papers["robotics"][:3]:
        paper_actions.upvote(alice, paper)
    marked = papers["robotics"][3]
    actions.not_interested(alice, marked)
    retrain_stale()
    return papers, marked


def test_the_api_serves_each_reader_their_own_feed_and_marks(alice, bob, make_paper):
    papers, marked = alice_likes_robotics(alice, make_paper)
    mine = api_for(alice).get("/api/v1/me/for-you").json()
    assert mine["has_signal"] and mine["items"][0]["primary_category"] == "cs.RO"
    assert all("reason" in i and "score" in i for i in mine["items"])
    assert marked.arxiv_id not in {i["id"] for i in mine["items"]}
    theirs = api_for(bob).get("/api/v1/me/for-you").json()
    assert not theirs["has_signal"]
    assert not any("you upvoted" in i["reason"] for i in theirs["items"])
    assert marked.arxiv_id in {i["id"] for i in theirs["items"]}
    assert Client().get("/api/v1/me/for-you").status_code == 401


def test_feedback_through_the_api_sets_and_clears_not_interested(alice, make_paper):
    papers = topic_papers(make_paper)
    api = api_for(alice)
    target = papers["vision"][0].arxiv_id
    set_ = api.post("/api/v1/me/feedback", {"paper": target, "not_interested": True}, content_type="application/json")
    assert set_.status_code == 200 and set_.json() == {"paper": target, "not_interested": True}
    assert target not in {i["id"] for i in api.get("/api/v1/me/for-you").json()["items"]}
    api.post("/api/v1/me/feedback", {"paper": target, "not_interested": False}, content_type="application/json")
    assert target in {i["id"] for i in api.get("/api/v1/me/for-you").json()["items"]}
    missing = api.post(
        "/api/v1/me/feedback", {"paper": "2601.99999", "not_interested": True}, content_type="application/json"
    )
    assert missing.status_code == 404


def test_the_page_shows_your_reasons_to_you_alone(alice, bob, make_paper, client):
    alice_likes_robotics(alice, make_paper)
    client.force_login(alice)
    page = client.get("/papers/for-you").content.decode()
    assert "you upvoted" in page and "Start your feed" not in page
    client.force_login(bob)
    other = client.get("/papers/for-you").content.decode()
    assert "you upvoted" not in other and "Start your feed" in other
    assert Client().get("/papers/for-you").status_code == 302


def test_the_private_feed_url_serves_its_owner_only_and_a_new_token_revokes_it(alice, make_paper, client):
    alice_likes_robotics(alice, make_paper)
    token = actions.settings_for(alice).feed_token
    atom = Client().get(f"/papers/for-you/feed/{token}.atom")
    assert atom.status_code == 200 and b"you upvoted" in atom.content
    assert Client().get("/papers/for-you/feed/not-a-token.atom").status_code == 404
    actions.rotate_feed_token(alice)
    assert Client().get(f"/papers/for-you/feed/{token}.atom").status_code == 404
