"""Submitting a paper by arXiv id or URL; the arXiv API is a local server replaying recorded responses."""

import pytest

from paperfeed.papers.models import Paper
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db
ARXIV = FIXTURES / "arxiv"


@pytest.fixture
def arxiv(replay, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_API_URL": replay.url + "/api/query"}
    replay.routes["id_list=1111.2011"] = (200, (ARXIV / "query_1111.2011v2.xml").read_bytes(), "application/atom+xml")
    replay.routes["id_list=astro-ph"] = (
        200,
        (ARXIV / "query_astro-ph_0601001.xml").read_bytes(),
        "application/atom+xml",
    )
    replay.routes["id_list=2401.99999"] = (
        200,
        (ARXIV / "query_0000.0000_no_entries.xml").read_bytes(),
        "application/atom+xml",
    )
    replay.routes["id_list=2402.00001"] = (503, b"Service Unavailable", "text/plain")
    return replay


@pytest.mark.parametrize(
    "text",
    [
        "1111.2011",
        "1111.2011v2",
        "arXiv:1111.2011",
        "https://arxiv.org/abs/1111.2011v2",
        "http://arxiv.org/pdf/1111.2011.pdf",
    ],
)
def test_submitting_by_id_or_url_lists_the_paper_today_with_its_submitter(alice_client, alice, arxiv, text):
    response = alice_client.post("/papers/submit", {"arxiv_id": text})
    assert response.status_code == 302 and response["Location"] == "/papers/1111.2011"
    paper = Paper.objects.get(arxiv_id="1111.2011")
    assert paper.title.startswith("Quantum Criticality for Extended Nodes on a Bethe Lattice")
    assert paper.version == 2 and paper.submitted_on.isoformat() == "2011-11-08"
    assert paper.listing.submitted_by == alice and paper.listing.source == "submission"
    from django.utils import timezone

    assert paper.listing.day == timezone.localdate()
    page = alice_client.get("/papers").content.decode()
    assert "Quantum Criticality" in page and "</a> by alice</span>" in page


def test_old_style_ids_can_be_submitted(alice_client, arxiv):
    response = alice_client.post("/papers/submit", {"arxiv_id": "astro-ph/0601001"})
    assert response.status_code == 302
    assert Paper.objects.filter(arxiv_id="astro-ph/0601001").exists()


@pytest.mark.parametrize(
    "text, status, message",
    [
        ("not an id", 400, "Not an arXiv id"),
        ("https://evil.example/abs/2401.12345", 400, "Not an arXiv id"),
        ("", 400, "Give an arXiv id"),
        ("2401.99999", 404, "arXiv has no paper 2401.99999"),
        ("2402.00001", 503, "try again"),
    ],
)
def test_bad_submissions_get_a_clear_message(alice_client, arxiv, text, status, message):
    response = alice_client.post("/papers/submit", {"arxiv_id": text})
    assert response.status_code == status
    assert message in response.content.decode()
    assert Paper.objects.count() == 0


def test_a_duplicate_submission_says_where_the_paper_is(alice_client, arxiv, make_paper):
    make_paper("1111.2011", first_listing_date="2026-01-05")
    response = alice_client.post("/papers/submit", {"arxiv_id": "1111.2011v2"})
    assert response.status_code == 409
    assert "already on paperfeed (listed Jan 5, 2026)" in response.content.decode()
    assert arxiv.requests == []  # nothing is fetched for a paper we have


def test_an_unreachable_arxiv_is_an_outage_message(alice_client, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_API_URL": "http://127.0.0.1:9/api/query", "HTTP_TIMEOUT": 2.0}
    response = alice_client.post("/papers/submit", {"arxiv_id": "2401.12345"})
    assert response.status_code == 503 and "arXiv" in response.content.decode()


def test_submitting_needs_an_account(client, arxiv):
    response = client.get("/papers/submit")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
