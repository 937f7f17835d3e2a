"""A collection's papers keep the owner's own order ("Your order"): ↑ and ↓ move one place, the ends stay put,
the buttons show only in that order, and a move by anyone else is not found."""

import pytest

from paperfeed.library import collections

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading_list(alice, make_paper):
    c = collections.default_collection(alice)
    for i in range(1, 4):
        collections.add_paper(c, make_paper(f"2602.0030{i}", title=f"Paper {i}"))
    return c


def order(c) -> list[str]:
    return [i.paper.arxiv_id for i in collections.items(c, sort="position")]


def test_up_and_down_move_one_place_and_come_back_to_the_paper(alice_client, reading_list):
    url = "/u/alice/c/reading-list/items/2602.00303/move"
    response = alice_client.post(url, {"direction": "up"})
    assert response["Location"] == "/u/alice/c/reading-list?sort=position#i-2602.00303"
    assert order(reading_list) == ["2602.00301", "2602.00303", "2602.00302"]
    alice_client.post("/u/alice/c/reading-list/items/2602.00301/move", {"direction": "down"})
    assert order(reading_list) == ["2602.00303", "2602.00301", "2602.00302"]
    alice_client.post("/u/alice/c/reading-list/items/2602.00303/move", {"direction": "up"})  # first already
    assert order(reading_list) == ["2602.00303", "2602.00301", "2602.00302"]
    positions = [i.position for i in collections.items(reading_list, sort="position")]
    assert positions == [1, 2, 3]


def test_the_buttons_show_in_your_order_only(alice_client, reading_list):
    assert "item-move" in alice_client.get("/u/alice/c/reading-list?sort=position").content.decode()
    assert "item-move" not in alice_client.get("/u/alice/c/reading-list?sort=added").content.decode()
    assert "item-move" not in alice_client.get("/u/alice/c/reading-list?sort=position&unread=1").content.decode()


def test_someone_else_cannot_move_the_papers(client, bob, reading_list):
    client.force_login(bob)
    response = client.post("/u/alice/c/reading-list/items/2602.00303/move", {"direction": "up"})
    assert response.status_code == 404
    assert order(reading_list) == ["2602.00301", "2602.00302", "2602.00303"]
