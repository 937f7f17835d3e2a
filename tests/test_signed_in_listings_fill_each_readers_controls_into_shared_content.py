"""Signed-in listings and trending are one content shared by every reader, with each reader's vote and Save
controls filled in per request: two readers on the same shared content each see their own state, the count at
once, and a paper a moderator hides is gone from the next page although the list itself is kept for a while."""

import pytest
from django.test import Client
from django.utils import timezone

from paperfeed.library import collections
from paperfeed.papers.models import Paper
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SHARED, OTHER = "2611.00401", "2611.00402"


@pytest.fixture
def papers(make_paper):
    today = timezone.localdate().isoformat()
    return make_paper(SHARED, title="Shared entry paper", first_listing_date=today), make_paper(
        OTHER, title="Neighbour entry paper", first_listing_date=today
    )


def _reader(name):
    user = make_user(name, days_old=90)
    client = Client()
    client.force_login(user)
    return user, client


def _entry(html: str, arxiv_id: str) -> str:
    start = html.index(f'id="p-{arxiv_id}"')
    return html[start : html.index("</article>", start)]


def _form(entry: str, kind: str) -> str:
    start = entry.index(f'<form class="{kind}"')
    return entry[start : entry.index("</form>", start)]


@pytest.mark.parametrize("url", ["/papers", "/papers/trending"])
def test_two_readers_on_one_shared_content_each_get_their_own_vote_save_and_menu(papers, url):
    alice_user, alice = _reader("shared-alice")
    bob_user, bob = _reader("shared-bob")
    alice.get(url), bob.get(url)  # both pages made from the content now kept
    collections.create(alice_user, "Reading group")
    collections.save_paper(alice_user, papers[0])
    alice.post(f"/papers/{SHARED}/vote")

    mine, theirs = alice.get(url).content.decode(), bob.get(url).content.decode()
    my_entry, their_entry = _entry(mine, SHARED), _entry(theirs, SHARED)
    assert 'aria-pressed="true"' in _form(my_entry, "vote") and '<span class="count">1<' in my_entry
    assert 'aria-pressed="false"' in _form(their_entry, "vote") and '<span class="count">1<' in their_entry
    assert "★ Saved" in _form(my_entry, "save") and "☆ Save" in _form(their_entry, "save")
    assert 'name="collection"' in _form(my_entry, "save")  # two collections: a menu says which
    assert 'name="collection"' not in _form(their_entry, "save")
    assert 'aria-pressed="false"' in _form(_entry(mine, OTHER), "vote")
    assert "shared-alice" not in theirs and "Reading group" not in theirs
    assert "<!--pf:" not in mine + theirs  # every slot filled


def test_each_reader_posts_with_their_own_csrf_token(papers):
    _, alice = _reader("token-alice")
    _, bob = _reader("token-bob")
    alice.get("/papers")
    page_a, page_b = alice.get("/papers"), bob.get("/papers")
    token_a = page_a.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    token_b = page_b.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token_a != token_b
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = alice.cookies
    assert strict.post(f"/papers/{SHARED}/vote", {"csrfmiddlewaretoken": token_a, "action": "up"}).status_code in (
        200,
        302,
    )
    assert Paper.objects.get(arxiv_id=SHARED).vote_count == 1


def test_a_paper_hidden_by_a_moderator_leaves_the_next_signed_in_page(papers):
    _, reader = _reader("hidden-reader")
    assert f'id="p-{SHARED}"' in reader.get("/papers/trending").content.decode()
    Paper.objects.filter(arxiv_id=SHARED).update(hidden=True)
    page = reader.get("/papers/trending").content.decode()
    assert f'id="p-{SHARED}"' not in page and f'id="p-{OTHER}"' in page


def test_unknown_parameters_give_the_same_signed_in_page(papers):
    _, reader = _reader("params-reader")
    plain = reader.get("/papers")
    odd = reader.get("/papers?utm_source=mail&x=<script>")
    assert odd.status_code == 200 and "utm_source" not in odd.content.decode()
    assert _entry(plain.content.decode(), SHARED).count("<form") == _entry(odd.content.decode(), SHARED).count("<form")
