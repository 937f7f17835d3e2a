"""Titles and abstracts in /api/v1 and /api/daily_papers are readable plain text (math rendered to Unicode, as
on the paper page); the LaTeX source stays available as title_source/abstract_source (titleSource and
summarySource in the Hugging Face shape)."""

import pytest

pytestmark = pytest.mark.django_db

TITLE = r"Bounds for $\alpha \leq 10^{3}$ in \emph{sparse} graphs"
ABSTRACT = r"We show $\sum_i x_i \to \infty$ when $\beta \geq 2$."


@pytest.fixture
def paper(make_paper):
    return make_paper("2611.00042", title=TITLE, abstract=ABSTRACT, first_listing_date="2026-11-18")


def test_api_v1_gives_plain_text_and_keeps_the_source(client, paper):
    body = client.get("/api/v1/papers/2611.00042").json()
    assert body["title"] == "Bounds for α ≤ 10³ in sparse graphs"
    assert "β ≥ 2" in body["abstract"] and "$" not in body["abstract"]
    assert (body["title_source"], body["abstract_source"]) == (TITLE, ABSTRACT)
    listed = client.get("/api/v1/listings/date/2026-11-18").json()["items"][0]
    assert listed["title"] == body["title"]


def test_the_hugging_face_shape_gives_plain_text_and_keeps_the_source(client, paper):
    item = client.get("/api/daily_papers", {"date": "2026-11-18"}).json()[0]
    for obj in (item, item["paper"]):
        assert obj["title"] == "Bounds for α ≤ 10³ in sparse graphs"
        assert "β ≥ 2" in obj["summary"] and "\\" not in obj["summary"]
    assert item["paper"]["titleSource"] == TITLE and item["paper"]["summarySource"] == ABSTRACT
    assert client.get("/api/papers/2611.00042").json()["title"] == "Bounds for α ≤ 10³ in sparse graphs"
