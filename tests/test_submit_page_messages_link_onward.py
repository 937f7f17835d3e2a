"""The submit page's messages say what happened in a reader's words and link where to go next: an unreachable
arXiv names no exception (the log has it), a paper already here is linked, and a paper page that is not found
links to the submit page with its id filled in."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def test_an_unreachable_arxiv_is_said_plainly_and_logged_in_detail(alice_client, settings, caplog):
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_API_URL": "http://127.0.0.1:9/api/query", "HTTP_TIMEOUT": 2.0}
    with caplog.at_level(logging.WARNING, logger="paperfeed.lib.http"):
        response = alice_client.post("/papers/submit", {"arxiv_id": "2401.12345"})
    html = response.content.decode()
    assert response.status_code == 503
    assert "arXiv could not be reached; try again in a minute." in html
    assert "ConnectError" not in html and "check the network" not in html
    assert "ConnectError" in caplog.text


def test_a_paper_already_here_is_linked_from_the_message(alice_client, make_paper):
    make_paper("2606.29118", first_listing_date="2026-11-24")
    html = alice_client.post("/papers/submit", {"arxiv_id": "2606.29118"}).content.decode()
    assert "2606.29118 is already on paperfeed (listed Nov 24, 2026)." in html
    assert '<a href="/papers/2606.29118">Open 2606.29118</a>' in html


def test_a_paper_not_found_links_to_the_submit_page_with_its_id(alice_client, db):
    response = alice_client.get("/papers/2606.99999")
    assert response.status_code == 404
    assert 'href="/papers/submit?arxiv_id=2606.99999"' in response.content.decode()
    form = alice_client.get("/papers/submit?arxiv_id=2606.99999").content.decode()
    assert 'value="2606.99999"' in form


def test_other_not_found_pages_link_back_to_the_papers(client, db):
    html = client.get("/nowhere").content.decode()
    assert "/papers/submit?" not in html and 'href="/papers"' in html
