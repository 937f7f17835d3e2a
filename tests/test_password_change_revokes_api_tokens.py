"""A new password, by the emailed reset link or the change form, revokes the user's API tokens, as it ends their
sessions: a token stolen before the reset stops working with it."""

import re

import pytest
from django.test import Client

from paperfeed.api.models import ApiToken
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "an entirely different passphrase 7"


def token_works(secret) -> int:
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def test_a_reset_by_the_emailed_link_revokes_the_tokens(client, alice, smtp):
    _, secret = ApiToken.issue(alice, "laptop script")
    assert token_works(secret) == 200
    client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", smtp.messages[0].get_content())[1]
    form = client.get(link, follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.status_code == 200 and b"API tokens are revoked" in done.content
    refused = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401 and refused.json()["error"]["status"] == 401
    assert not ApiToken.objects.active().filter(user=alice).exists()


def test_the_change_form_revokes_the_tokens_and_says_so(alice_client, alice):
    _, secret = ApiToken.issue(alice, "cron job")
    account = alice_client.get("/accounts/").content.decode()
    assert "revokes your API tokens" in account
    done = alice_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert done.status_code == 200 and b"API tokens are revoked" in done.content
    assert token_works(secret) == 401
    assert alice_client.get("/accounts/").status_code == 200  # this browser stays logged in


def test_logging_in_or_editing_the_profile_leaves_the_tokens_alone(client, alice):
    _, secret = ApiToken.issue(alice, "bot")
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    alice.refresh_from_db()
    alice.first_name = "Alice"
    alice.save()
    assert token_works(secret) == 200
