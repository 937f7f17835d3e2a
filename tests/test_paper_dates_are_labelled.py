"""Every page that shows a paper's dates names both: the day it was submitted to arXiv and the day it was
listed here (with its submitter), on the paper page, the listings and search results alike."""

from datetime import date

import pytest

from paperfeed.search import indexer, replica

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(make_paper, index_dir):
    p = make_paper("2606.29118", title="Dated paper", first_listing_date="2026-11-25")
    p.submitted_on = date(2026, 6, 1)
    p.save(update_fields=["submitted_on"])
    indexer.catch_up()
    yield p
    replica.forget()


EXPECTED = (
    'submitted to arXiv Jun 1, 2026</span> · <span class="date">'
    'listed here <a href="/papers/date/2026-11-25">Nov 25, 2026</a>'
)


@pytest.mark.parametrize("url", ["/papers/2606.29118", "/papers/date/2026-11-25", "/papers/search?q=dated"])
def test_both_dates_are_named(client, paper, url):
    html = client.get(url).content.decode()
    assert EXPECTED in html, url
    assert "· on <a" not in html
