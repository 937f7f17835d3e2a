"""Sign-up answers the same whether or not the address has an account; only the address's owner learns which,
by mail. The password reset page does the same."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_up(username, email):
    return Client().post(
        "/accounts/signup/", {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def page_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html


def test_a_taken_address_gets_the_same_answer_as_a_new_one(alice, smtp):
    taken = sign_up("mallory", "ALICE@example.org")
    fresh = sign_up("mallory2", "nobody-yet@example.org")
    assert taken.status_code == fresh.status_code == 200
    assert page_text(taken).replace("alice@example.org", "X") == page_text(fresh).replace("nobody-yet@example.org", "X")
    assert b"An account with this email exists" not in taken.content
    assert not User.objects.filter(username="mallory").exists()


def test_the_owner_of_a_taken_address_is_told_by_mail(alice, smtp):
    sign_up("mallory", "alice@example.org")
    (mail,) = smtp.messages
    assert mail["To"] == "alice@example.org" and "someone tried to sign up" in mail["Subject"]
    assert "/accounts/password_reset/" in mail.get_content()


def test_a_lost_confirmation_mail_is_sent_again(db, smtp):
    sign_up("carol", "carol@example.org")
    sign_up("carol2", "carol@example.org")
    assert [m["Subject"].endswith("confirm your account") for m in smtp.messages] == [True, True]
    assert not User.objects.filter(username="carol2").exists()


def test_the_password_reset_page_says_the_same_for_any_address(alice, smtp):
    known = Client().post("/accounts/password_reset/", {"email": "alice@example.org"}, follow=True)
    unknown = Client().post("/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert page_text(known) == page_text(unknown)
