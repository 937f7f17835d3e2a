"""Signed-in listings keep the parts of an entry every reader shares in memory, keyed by what they show: a new
title from ingest, an admin's edit or a comment shows on the next page, never a stale copy."""

import pytest
from django.test import Client
from django.utils import timezone

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Paper
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ARXIV_ID = "2611.00301"


def _page(client) -> str:
    return client.get("/papers").content.decode()


def _entry(html: str) -> str:
    start = html.index(f'id="p-{ARXIV_ID}"')
    return html[start : html.index("</article>", start)]


@pytest.fixture
def reader():
    c = Client()
    c.force_login(make_user("fragment-reader", days_old=90))
    return c


def test_a_title_that_ingest_updates_shows_on_the_next_signed_in_page(make_paper, reader):
    today = timezone.localdate().isoformat()
    make_paper(ARXIV_ID, title="First title of the paper", first_listing_date=today)
    assert "First title of the paper" in _entry(_page(reader))
    make_paper(ARXIV_ID, title="Second title, from a new version", first_listing_date=today, version=2)
    entry = _entry(_page(reader))
    assert "Second title, from a new version" in entry and "First title" not in entry


def test_an_admin_edit_of_the_authors_shows_on_the_next_signed_in_page(make_paper, reader):
    paper = make_paper(ARXIV_ID, title="Authored paper", first_listing_date=timezone.localdate().isoformat())
    _page(reader)
    paper.authors = ["Ada Lovelace", "Charles Babbage"]
    paper.save()
    assert "Charles Babbage" in _entry(_page(reader))


def test_a_comment_shows_in_the_entry_count_at_once_while_each_reader_keeps_their_own_vote(make_paper, reader):
    paper = make_paper(ARXIV_ID, title="Discussed paper", first_listing_date=timezone.localdate().isoformat())
    other = Client()
    other.force_login(make_user("fragment-other", days_old=90))
    assert "0 comments" in _entry(_page(reader))
    paper_actions.add_comment(make_user("commenter", days_old=90), paper, "A first comment")
    reader.post(f"/papers/{ARXIV_ID}/vote")
    mine, theirs = _entry(_page(reader)), _entry(_page(other))
    assert "1 comment<" in mine and "1 comment<" in theirs
    assert 'aria-pressed="true"' in mine.split("</form>")[0]
    assert 'aria-pressed="false"' in theirs.split("</form>")[0]
    assert Paper.objects.get(pk=paper.pk).comment_count == 1
