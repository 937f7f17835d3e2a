"""A signed-in reader who has given any signal lands on For you; everyone else on the daily list."""

from paperfeed.accounts import follow_actions


def test_the_front_page_is_for_you_once_a_reader_has_a_signal(alice, client):
    assert client.get("/").url == "/papers"
    client.force_login(alice)
    assert client.get("/").url == "/papers"
    follow_actions.follow(alice, "category", "cs.RO")
    assert client.get("/").url == "/papers/for-you"
