"""The paper page: rendered math, authors, categories, links, code repositories, versions, comments."""

import re

import pytest

from paperfeed.papers.models import Paper

pytestmark = pytest.mark.django_db


def test_paper_page_shows_metadata_links_and_code(client, make_paper):
    make_paper(
        "2601.00001",
        title="Sparse $k$-means",
        authors=["Ada Lovelace", "Alan Turing", "Grace Hopper"],
        categories=["cs.LG", "stat.ML", "68T07", "I.2.6"],
        abstract="We cluster. Code: https://github.com/example/sparse-kmeans.",
        comment="12 pages; code at https://gitlab.com/group/project.git",
    )
    body = client.get("/papers/2601.00001").content.decode()
    assert '>Ada Lovelace</a>, <a class="author" href="/authors/Alan%20Turing">Alan Turing</a>, ' in body
    meta = re.search(r'<p class="meta">(.*?)</p>', body, re.S)[1]
    assert '<a class="cat" href="/papers/cat/cs.LG">cs.LG</a>' in meta and ">stat.ML</a>" in meta
    assert "68T07" not in meta  # ACM/MSC classes are not arXiv categories
    assert 'href="https://arxiv.org/abs/2601.00001"' in body and 'href="https://arxiv.org/pdf/2601.00001"' in body
    assert 'href="https://github.com/example/sparse-kmeans"' in body
    assert 'href="https://gitlab.com/group/project"' in body
    assert "<math" in body
    assert 'id="similar"' in body


def test_math_in_an_abstract_is_rendered_as_mathml(client, make_paper):
    make_paper("2601.00002", abstract=r"We prove $O(n \log n)$ bounds and $$\sum_{i=1}^n x_i^2 \leq 1$$ holds.")
    body = client.get("/papers/2601.00002").content.decode()
    assert body.count("<math") >= 2
    assert "$O(n" not in body


def test_withdrawn_paper_keeps_its_page_with_a_notice(client, make_paper):
    make_paper("2601.00003", comment="This paper has been withdrawn by the author due to an error")
    response = client.get("/papers/2601.00003")
    assert response.status_code == 200 and b"has been withdrawn" in response.content


def test_hidden_paper_is_404(client, make_paper):
    make_paper("2601.00004")
    Paper.objects.filter(arxiv_id="2601.00004").update(hidden=True)
    assert client.get("/papers/2601.00004").status_code == 404


@pytest.mark.parametrize(
    "url", ["/papers/2601.99999", "/papers/not-an-id", "/papers/" + "9" * 500, "/papers/hep-th/9901001"]
)
def test_unknown_or_malformed_ids_get_a_404_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_old_style_ids_have_pages(client, make_paper):
    make_paper("hep-th/9901001", categories=["hep-th"], first_listing_date="1999-01-04")
    assert client.get("/papers/hep-th/9901001").status_code == 200


def test_new_version_updates_text_and_keeps_votes_and_listing(client, make_paper, alice):
    from paperfeed.ingest.store import ingest_records
    from paperfeed.papers import paper_actions
    from tests.conftest import paper_record

    paper = make_paper("2601.00005", title="First title", first_listing_date="2026-01-05")
    paper_actions.upvote(alice, paper)
    summary = ingest_records(
        [paper_record("2601.00005", title="Better title", version=2, first_listing_date="2026-02-01")], source="test"
    )
    assert (summary.updated, summary.new) == (1, 0)
    paper.refresh_from_db()
    assert paper.title == "Better title" and paper.version == 2 and paper.vote_count == 1
    assert paper.listing.day.isoformat() == "2026-01-05"
    assert [v["version"] for v in paper.versions] == [1, 2]


def test_a_versioned_id_opens_the_paper(client, make_paper):
    make_paper("2601.00006")
    assert client.get("/papers/2601.00006v3").status_code == 200


def test_a_nul_character_in_the_address_is_a_400(client, db):
    assert client.get("/papers/%00").status_code == 400
    assert client.get("/papers/date/2026-01-05?sort=%00").status_code == 400
