"""Saving papers into collections from pages (with and without JavaScript), notes with math, read state, sorts,
the unread filter, slugs that collide, renaming, reordering and deleting with confirmation."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from paperfeed.library import collections
from paperfeed.papers.models import Collection, CollectionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(make_paper):
    return [make_paper(f"2602.0000{i}", title=f"Paper number {i}") for i in range(1, 4)]


def test_save_without_javascript_goes_to_the_reading_list_and_says_so(alice_client, alice, papers):
    response = alice_client.post("/save", {"arxiv_id": papers[0].arxiv_id, "next": "/papers"}, follow=True)
    assert response.redirect_chain[-1][0] == "/papers"
    assert "Saved to Reading list." in [str(m) for m in response.context["messages"]]
    reading_list = Collection.objects.get(owner=alice)
    assert (reading_list.name, reading_list.slug, reading_list.public) == ("Reading list", "reading-list", False)
    assert list(reading_list.papers.all()) == [papers[0]]


def test_save_by_fetch_answers_json_and_every_entry_shows_what_is_saved(alice_client, papers):
    response = alice_client.post("/save", {"arxiv_id": papers[1].arxiv_id}, headers={"X-Requested-With": "fetch"})
    assert response.json() == {
        "saved": True,
        "collection": "Reading list",
        "url": "/u/alice/c/reading-list",
        "message": "Saved to Reading list.",
    }
    page = alice_client.get(papers[1].get_absolute_url()).content.decode()
    assert "★ Saved" in page
    assert "☆ Save" in alice_client.get(papers[0].get_absolute_url()).content.decode()


def test_save_into_a_chosen_collection_and_remove_again(alice_client, alice, papers):
    to_read = collections.create(alice, "To read", public=True)
    alice_client.post("/save", {"arxiv_id": papers[0].arxiv_id, "collection": to_read.slug})
    assert list(to_read.papers.all()) == [papers[0]]
    alice_client.post("/save", {"arxiv_id": papers[0].arxiv_id, "collection": to_read.slug, "action": "remove"})
    assert not to_read.papers.exists()


def test_saving_into_someone_elses_collection_is_not_found(client, alice, bob, papers):
    theirs = collections.create(bob, "Bob's", public=True)
    client.force_login(alice)
    response = client.post("/save", {"arxiv_id": papers[0].arxiv_id, "collection": theirs.slug}, follow=True)
    assert "You have no collection" in str(list(response.context["messages"])[0])
    assert not theirs.papers.exists()


def test_a_second_reading_list_gets_a_new_slug(alice):
    collections.default_collection(alice)
    second = collections.create(alice, "Reading list")
    third = collections.create(alice, "Reading  list")
    assert (second.slug, third.slug) == ("reading-list-2", "reading-list-3")


def test_many_saves_of_the_same_paper_store_one_item(alice, papers):
    for _ in range(50):
        collections.save_paper(alice, papers[0])
    assert CollectionItem.objects.filter(paper=papers[0]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_saves_of_the_same_paper_store_one_item(alice, papers):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier, errors = threading.Barrier(50), []

    def save():
        try:
            barrier.wait()
            collections.save_paper(alice, papers[0])
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert CollectionItem.objects.filter(paper=papers[0]).count() == 1
    assert Collection.objects.filter(owner=alice).count() == 1


def test_a_note_with_math_is_rendered_and_a_ten_thousand_character_note_refused(alice_client, alice, papers):
    collections.save_paper(alice, papers[0])
    url = f"/u/alice/c/reading-list/items/{papers[0].arxiv_id}/note"
    response = alice_client.post(url, {"note": "Key result: $O(n^2)$ and **bold**"}, follow=True)
    html = response.content.decode()
    assert "Note saved." in html
    assert "<math" in html and "<strong>bold</strong>" in html
    too_long = "x" * 10_001
    response = alice_client.post(url, {"note": too_long})
    assert response.status_code == 400
    assert "at most 10,000 fit" in response.content.decode()
    assert too_long in response.content.decode()  # the input is kept
    assert CollectionItem.objects.get(paper=papers[0]).note == "Key result: $O(n^2)$ and **bold**"


def test_mark_read_filter_unread_and_sort_by_title(alice_client, alice, papers):
    for p in reversed(papers):
        collections.save_paper(alice, p)
    alice_client.post(f"/u/alice/c/reading-list/items/{papers[1].arxiv_id}/read", {"read": "1"})
    unread = alice_client.get("/u/alice/c/reading-list?unread=1&sort=title").context["items"]
    assert [i.paper.arxiv_id for i in unread] == [papers[0].arxiv_id, papers[2].arxiv_id]
    everything = alice_client.get("/u/alice/c/reading-list?sort=added").context["items"]
    assert [i.paper.arxiv_id for i in everything] == [p.arxiv_id for p in papers]


def test_rename_keeps_the_slug_and_an_empty_name_is_shown_next_to_the_field(alice_client, alice):
    c = collections.create(alice, "Ideas")
    response = alice_client.post("/u/alice/c/ideas/edit", {"name": "Good ideas", "description": "d"}, follow=True)
    assert "Saved the changes to Good ideas." in response.content.decode()
    response = alice_client.post("/u/alice/c/ideas/edit", {"name": "  ", "description": "kept"})
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode() and "kept" in response.content.decode()
    c.refresh_from_db()
    assert (c.name, c.slug) == ("Good ideas", "ideas")


def test_create_from_the_page_keeps_the_input_on_an_error(alice_client):
    response = alice_client.post("/u/alice/collections", {"name": "", "description": "my words"})
    assert response.status_code == 400
    assert "my words" in response.content.decode()
    response = alice_client.post("/u/alice/collections", {"name": "Surveys", "public": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/u/alice/c/surveys"
    assert "Created Surveys." in response.content.decode()


def test_reorder_and_delete_after_confirmation(alice_client, alice):
    a, b = collections.create(alice, "A"), collections.create(alice, "B")
    alice_client.post("/u/alice/c/b/move", {"direction": "up"})
    assert [c.slug for c in Collection.objects.filter(owner=alice)] == ["b", "a"]
    assert "Delete A?" in alice_client.get("/u/alice/c/a/delete").content.decode()
    assert Collection.objects.filter(pk=a.pk).exists()
    response = alice_client.post("/u/alice/c/a/delete", {"confirm": "yes"}, follow=True)
    assert "Deleted A." in response.content.decode()
    assert list(Collection.objects.filter(owner=alice)) == [b]


def test_a_hidden_paper_stays_in_the_collection_but_shows_as_unavailable(alice_client, alice, papers):
    collections.save_paper(alice, papers[0])
    papers[0].hidden = True
    papers[0].save()
    html = alice_client.get("/u/alice/c/reading-list").content.decode()
    assert "unavailable" in html and papers[0].title not in html


def test_deleting_an_account_deletes_its_collections(alice, papers):
    collections.save_paper(alice, papers[0])
    alice.delete()
    assert not Collection.objects.exists() and not CollectionItem.objects.exists()
