"""Every form that changes something refuses a POST without its CSRF token."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FORMS = [
    "/papers/2601.00001/vote",
    "/papers/2601.00001/comments",
    "/papers/submit",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_reset/",
]


@pytest.mark.parametrize("url", FORMS)
def test_post_without_csrf_token_is_rejected(alice, make_paper, url):
    make_paper("2601.00001")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        url,
        {
            "action": "up",
            "body": "hi",
            "arxiv_id": "2601.00002",
            "username": "alice",
            "password": PASSWORD,
            "email": "alice@example.org",
        },
    )
    assert response.status_code == 403
    assert b"security token" in response.content
    from paperfeed.papers.models import Comment, Vote

    assert Vote.objects.count() == 0 and Comment.objects.count() == 0
