"""Guessing passwords gets a username and address pair locked out (django-axes), told when to retry; the owner
logging in from another address is not locked out."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_hundred_wrong_passwords_get_locked_out_and_told_when_to_retry(alice, settings):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    answers = [
        guesser.post("/accounts/login/", {"username": "alice", "password": f"guess {i}"}).status_code
        for i in range(100)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert answers[: limit - 1] == [200] * (limit - 1) and set(answers[limit:]) == {429}
    locked = guesser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429  # the right password too, from the guesser's address
    page = locked.content.decode()
    assert "Try again in 15 minutes" in page and 'name="username"' in page and 'value="alice"' in page
    assert '<link rel="stylesheet"' in page  # the site's own page, not a bare text answer
    assert int(locked["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in guesser.session


def test_the_right_password_from_another_address_still_works(alice):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(20):
        guesser.post("/accounts/login/", {"username": "alice", "password": f"guess {i}"})
    owner = Client(REMOTE_ADDR="198.51.100.4")
    response = owner.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and owner.get("/accounts/").status_code == 200


def test_a_client_that_asks_for_json_gets_the_error_shape(alice):
    guesser = Client(REMOTE_ADDR="203.0.113.10", HTTP_ACCEPT="application/json")
    for i in range(10):
        response = guesser.post("/accounts/login/", {"username": "alice", "password": f"guess {i}"})
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["status"] == 429 and error["code"] == "login_locked" and "Try again in 15 minutes" in error["message"]
