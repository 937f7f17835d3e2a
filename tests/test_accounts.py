"""Sign up, log in, log out, and reset a forgotten password through a real SMTP server."""

import re

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_up_mails_a_link_that_activates_and_logs_in_and_hashes_with_argon2(client, db, smtp):
    response = client.post(
        "/accounts/signup/",
        {"username": "carol", "email": "Carol@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200 and b"Check your email" in response.content
    user = User.objects.get(username="carol")
    assert user.email == "carol@example.org" and not user.is_active
    assert user.password.startswith("argon2")
    assert client.post("/accounts/login/", {"username": "carol", "password": PASSWORD}).status_code == 200
    link = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/)", smtp.messages[0].get_content())[1]
    assert client.get(link).status_code == 302
    assert client.get("/accounts/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get(link).status_code == 400  # used once, then no more


def test_sign_up_refuses_a_weak_password(client, db):
    response = client.post(
        "/accounts/signup/", {"username": "mallory", "email": "m@example.org", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 400 and not User.objects.filter(username="mallory").exists()


def test_log_in_and_log_out(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/").status_code == 302


def test_a_disabled_user_cannot_log_in(client, alice):
    alice.is_active = False
    alice.save()
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200 and b"enter a correct username and password" in response.content


def test_password_reset_sends_a_working_link_by_email(client, alice, smtp):
    response = client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "alice@example.org"
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.get_content())[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"Choose a new password" in form.content
    new = "an entirely different passphrase 7"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db, smtp):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and smtp.messages == []
