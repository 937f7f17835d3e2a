"""/api/v1 reads: papers, listings in every sort, trending with its inputs, categories, authors, collections."""

import pytest

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Collection, CollectionItem, Paper
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(make_paper):
    make_paper(
        "2602.00001",
        title="Graph paper",
        authors=["Ada Lovelace", "Alan Turing"],
        categories=["cs.LG", "stat.ML"],
        first_listing_date="2026-02-10",
    )
    make_paper(
        "2602.00002",
        title="Vision paper",
        authors=["Grace Hopper"],
        categories=["cs.CV"],
        first_listing_date="2026-02-10",
    )
    make_paper(
        "2602.00003",
        title="Later paper",
        authors=["Ada Lovelace Byron"],
        categories=["cs.LGX"],
        first_listing_date="2026-02-12",
    )
    for i in range(2):
        paper_actions.upvote(make_user(f"fan{i}"), Paper.objects.get(arxiv_id="2602.00002"))


def ids(response):
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["items"]]


def test_a_paper_reads_with_its_fields(client, papers):
    body = client.get("/api/v1/papers/2602.00002v3").json()
    assert body["id"] == "2602.00002" and body["title"] == "Vision paper" and body["upvotes"] == 2
    assert body["listed_on"] == "2026-02-10" and body["authors"] == ["Grace Hopper"]


def test_a_day_listing_follows_each_sort(client, papers, alice):
    paper_actions.add_comment(alice, Paper.objects.get(arxiv_id="2602.00001"), "Nice")
    assert ids(client.get("/api/v1/listings/date/2026-02-10")) == ["2602.00002", "2602.00001"]
    assert ids(client.get("/api/v1/listings/date/2026-02-10?sort=discussed")) == ["2602.00001", "2602.00002"]
    assert set(ids(client.get("/api/v1/listings/week/2026-W07?sort=new"))) == {"2602.00001", "2602.00002", "2602.00003"}
    assert ids(client.get("/api/v1/listings/month/2026-02?page_size=1"))[0] == "2602.00002"
    assert ids(client.get("/api/v1/listings/latest")) == ["2602.00003"]


def test_category_and_author_lists_match_whole_names_only(client, papers):
    assert ids(client.get("/api/v1/categories/cs.LG/papers")) == ["2602.00001"]
    assert ids(client.get("/api/v1/authors/Ada Lovelace/papers")) == ["2602.00001"]
    assert ids(client.get("/api/v1/authors/alan turing/papers")) == ["2602.00001"]


def test_trending_gives_scores_and_the_formulas_inputs(client, make_paper, settings):
    from django.utils import timezone

    paper = make_paper("2611.00001", title="Hot today", first_listing_date=timezone.localdate().isoformat())
    for i in range(3):
        paper_actions.upvote(make_user(f"old{i}"), paper)
    paper_actions.upvote(make_user("newcomer", days_old=0), paper)
    body = client.get("/api/v1/trending").json()
    item = body["items"][0]
    assert item["id"] == "2611.00001" and item["effective_votes"] == 3 and item["upvotes"] == 4
    p = body["params"]
    expected = 3 / (item["age_hours"] + p["offset_hours"]) ** p["gravity"]
    assert item["score"] == pytest.approx(expected, rel=1e-3)
    assert p["min_voter_age_hours"] == settings.PAPERFEED["MIN_VOTER_AGE_HOURS"]


def test_a_private_collection_is_not_found_for_others(client, papers, alice, bob):
    c = Collection.objects.create(owner=alice, name="Reading", slug="reading", public=False)
    CollectionItem.objects.create(collection=c, paper=Paper.objects.get(arxiv_id="2602.00002"))
    assert client.get("/api/v1/collections/alice/reading/papers").status_code == 404
    client.force_login(alice)
    assert ids(client.get("/api/v1/collections/alice/reading/papers")) == ["2602.00002"]


def test_bad_parameters_get_the_one_error_shape(client, papers):
    for url, status, code in [
        ("/api/v1/listings/date/2026-13-45", 400, "invalid_date"),
        ("/api/v1/listings/date/2026-02-10?sort=loudest", 422, "invalid_request"),
        ("/api/v1/listings/date/2026-02-10?page=0", 422, "invalid_request"),
        ("/api/v1/listings/date/2026-02-10?page=99", 404, "page_not_found"),
        ("/api/v1/papers/9999.99999", 404, "paper_not_found"),
        ("/api/v1/no/such/thing", 404, "not_found"),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}, url
        assert body["error"]["status"] == status and body["error"]["code"] == code, url


def test_nul_characters_anywhere_are_a_client_error_or_ignored_never_a_500(client, papers):
    for url in [
        "/api/v1/papers/2602%0000001",
        "/api/v1/categories/cs%00.LG/papers",
        "/api/v1/authors/Ada%00/papers",
        "/api/v1/collections/al%00ice/re%00ading/papers",
        "/api/daily_papers?submitter=al%00ice",
        "/api/papers/26%0002.00001",
        "/feeds/author/Ada%00Lovelace.atom",
        "/feeds/category/cs.L%00G.rss",
        "/feeds/collection/a%00/b%00.rss",
        "/api/v1/listings/date/2026-02%00-10",
    ]:
        assert client.get(url).status_code < 500, url
