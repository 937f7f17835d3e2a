"""A digest is a good email: both parts, every paper's essentials, one-click unsubscribe headers, links that work."""

from urllib.parse import urlsplit

import pytest
import time_machine

from paperfeed.digests.send import send_due
from tests.digests_support import TUESDAY_9AM, parts, subscribe, voted_papers

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(make_paper, smtp, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "SITE_URL": "https://papers.example.org", "DIGEST_MAX_PAPERS": 3}
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(
            make_paper,
            4,
            abstract=r"We bound the loss by $\alpha \leq 10^{3}$ in \emph{all} cases. " + "More words. " * 60,
        )
        subscribe("reader@example.net")
        summary = send_due()
    assert summary.sent == 1
    return smtp.messages[0]


def test_it_sends_html_and_plain_text_parts_with_each_papers_essentials(sent):
    text, html = parts(sent)
    for body in (text, html):
        assert "Paper 2603.00001" in body and "Ada Lovelace" in body
        assert "α ≤ 10³" in body and "$" not in body.split("Paper 2603.00001")[1][:400]
        assert "https://papers.example.org/papers/2603.00001" in body
        assert "https://arxiv.org/pdf/2603.00001" in body
    assert "4 upvotes" in text


def test_it_cuts_the_abstract_to_its_first_lines(sent):
    text, _ = parts(sent)
    assert "More words. " * 40 not in text
    assert "…" in text


def test_it_keeps_to_the_most_papers_setting_in_trending_order(sent):
    text, _ = parts(sent)
    assert text.index("2603.00001") < text.index("2603.00002") < text.index("2603.00003")
    assert "2603.00004" not in text


def test_it_carries_rfc_8058_one_click_headers_and_a_visible_link(sent):
    url = sent["List-Unsubscribe"].strip("<>")
    assert urlsplit(url).scheme == "https" and "/digests/unsubscribe/" in url
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "trending.digests.papers.example.org" in sent["List-Id"]
    assert sent["Date"] and sent["Message-ID"].endswith("@papers.example.org>")
    text, html = parts(sent)
    assert url in text and url in html


def test_its_links_resolve_on_the_running_site(sent, client):
    text, _ = parts(sent)
    links = [w for w in text.split() if w.startswith("https://papers.example.org/")]
    assert any("/digests/manage/" in link for link in links)
    with time_machine.travel(TUESDAY_9AM, tick=False):  # read on the day it was sent, before the links expire
        for link in links:
            response = client.get(urlsplit(link).path)
            assert response.status_code == 200, link
