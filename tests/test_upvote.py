"""Upvoting: one vote per user per paper, undo, with and without JavaScript, safe under concurrency."""

import threading

import pytest
from django.db import connection

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Paper, Vote

pytestmark = pytest.mark.django_db


def test_anonymous_upvote_is_sent_to_log_in(client, make_paper):
    make_paper("2601.00001")
    response = client.post("/papers/2601.00001/vote", {"action": "up"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Vote.objects.count() == 0


def test_anonymous_upvote_from_javascript_gets_401_json(client, make_paper):
    make_paper("2601.00001")
    response = client.post("/papers/2601.00001/vote", {"action": "up"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "login_required"


def test_upvote_without_javascript_redirects_back_and_counts(alice_client, make_paper):
    make_paper("2601.00001")
    response = alice_client.post("/papers/2601.00001/vote", {"action": "up", "next": "/papers/date/2026-01-05"})
    assert response.status_code == 302 and response["Location"] == "/papers/date/2026-01-05"
    assert Paper.objects.get(arxiv_id="2601.00001").upvotes == 1


def test_upvote_redirect_never_leaves_the_site(alice_client, make_paper):
    make_paper("2601.00001")
    response = alice_client.post("/papers/2601.00001/vote", {"action": "up", "next": "https://evil.example/"})
    assert response["Location"] == "/papers/2601.00001"


def test_upvote_twice_counts_once_and_undo_removes_it(alice_client, make_paper):
    make_paper("2601.00001")
    fetch = {"X-Requested-With": "fetch"}
    assert alice_client.post("/papers/2601.00001/vote", {"action": "up"}, headers=fetch).json() == {
        "upvotes": 1,
        "voted": True,
    }
    assert alice_client.post("/papers/2601.00001/vote", {"action": "up"}, headers=fetch).json() == {
        "upvotes": 1,
        "voted": True,
    }
    assert alice_client.post("/papers/2601.00001/vote", {"action": "undo"}, headers=fetch).json() == {
        "upvotes": 0,
        "voted": False,
    }
    assert alice_client.post("/papers/2601.00001/vote", {"action": "undo"}, headers=fetch).json() == {
        "upvotes": 0,
        "voted": False,
    }


def test_votes_add_to_imported_upvotes(alice_client, make_paper):
    make_paper("2601.00001")
    Paper.objects.filter(arxiv_id="2601.00001").update(imported_upvotes=7)
    data = alice_client.post("/papers/2601.00001/vote", {"action": "up"}, headers={"X-Requested-With": "fetch"}).json()
    assert data["upvotes"] == 8


def test_voting_on_a_missing_paper_is_404(alice_client):
    assert alice_client.post("/papers/2601.99999/vote", {"action": "up"}).status_code == 404


def test_get_on_the_vote_url_is_refused(alice_client, make_paper):
    make_paper("2601.00001")
    assert alice_client.get("/papers/2601.00001/vote").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_identical_upvotes_add_exactly_one_vote(alice, make_paper):
    paper = make_paper("2601.00001")
    barrier = threading.Barrier(50)
    results, errors = [], []

    def vote():
        try:
            barrier.wait()
            results.append(paper_actions.upvote(alice, paper))
        except Exception as exc:  # collected and asserted below: any error fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results.count(True) == 1 and results.count(False) == 49
    assert Vote.objects.filter(paper=paper).count() == 1
    assert Paper.objects.get(pk=paper.pk).vote_count == 1


def test_fifty_parallel_identical_upvote_posts_over_http_add_exactly_one_vote(live_server, client, alice, make_paper):
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    from django.middleware.csrf import _get_new_csrf_string

    paper = make_paper("2601.00002")
    client.force_login(alice)
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    url = f"{live_server.url}/papers/2601.00002/vote"

    def post(_):
        with httpx.Client(cookies=cookies, timeout=30) as http:
            return http.post(
                url,
                data={"action": "up"},
                headers={"X-CSRFToken": token, "X-Requested-With": "fetch", "Referer": live_server.url + "/"},
            ).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(post, range(50)))
    assert statuses == [200] * 50
    assert Vote.objects.filter(paper=paper).count() == 1
    assert Paper.objects.get(pk=paper.pk).vote_count == 1
