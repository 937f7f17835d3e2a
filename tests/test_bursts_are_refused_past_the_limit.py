"""Sign-ups (per address), comments and new API tokens (per user) are limited; a refused form comes back with
the message, status 429 and Retry-After, and with what was typed still in it."""

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.api.models import ApiToken
from paperfeed.papers.models import Comment
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window():
    """Each burst falls inside one window of the limits: on a slow machine a burst of 50 requests could otherwise
    straddle a minute boundary, where the counts start again."""
    with time_machine.travel("2026-11-30 10:00:01+00:00", tick=False):
        yield


def limits(settings, **rates):
    settings.PAPERFEED = {**settings.PAPERFEED, **rates}


def test_sign_ups_from_one_address_are_refused_past_the_limit(smtp, settings):
    limits(settings, SIGNUP_RATE="3/h")
    client = Client(REMOTE_ADDR="203.0.113.20")
    answers = [
        client.post(
            "/accounts/signup/",
            {"username": f"bot{i}", "email": f"bot{i}@example.net", "password1": PASSWORD, "password2": PASSWORD},
        )
        for i in range(10)
    ]
    assert [a.status_code for a in answers] == [200] * 3 + [429] * 7
    assert User.objects.filter(username__startswith="bot").count() == 3
    refused = answers[-1].content.decode()
    assert "Too many sign-ups from your address" in refused and "Try again in" in refused
    assert 'value="bot9"' in refused and 'value="bot9@example.net"' in refused
    assert 0 < int(answers[-1]["Retry-After"]) <= 3600
    other = Client(REMOTE_ADDR="203.0.113.21").post(
        "/accounts/signup/",
        {"username": "human", "email": "human@example.net", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert other.status_code == 200


def test_comments_past_the_limit_are_refused_and_the_text_kept(alice_client, make_paper, settings):
    limits(settings, COMMENT_RATE="5/m")
    make_paper("2601.00001")
    answers = [alice_client.post("/papers/2601.00001/comments", {"body": f"comment number {i}"}) for i in range(50)]
    assert [a.status_code for a in answers] == [302] * 5 + [429] * 45
    assert Comment.objects.count() == 5
    refused = answers[-1].content.decode()
    assert "Too many comments from your account" in refused
    assert ">comment number 49</textarea>" in refused


def test_token_creation_past_the_limit_is_refused_and_the_name_kept(alice_client, settings):
    limits(settings, API_TOKEN_RATE="3/h")
    answers = [alice_client.post("/accounts/tokens/new", {"name": f"bot {i}"}) for i in range(10)]
    assert [a.status_code for a in answers] == [200] * 3 + [429] * 7
    assert ApiToken.objects.count() == 3
    refused = answers[-1].content.decode()
    assert "Too many new API tokens from your account" in refused and 'value="bot 9"' in refused
