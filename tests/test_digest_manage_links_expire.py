"""A digest's "manage your subscriptions" link works for DIGEST_MANAGE_DAYS; an older one changes nothing and
says what to do: use the latest mail's link, or ask for a fresh one by email on the subscribe page."""

import time

import pytest
from django.core import signing
from django.utils import timezone

from paperfeed.digests import tokens
from paperfeed.digests.models import Subscriber

pytestmark = pytest.mark.django_db


def token_made_days_ago(subscriber_id: int, days: float) -> str:
    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - days * 86400))

    return Then(salt="paperfeed.digests.manage").sign_object({"m": subscriber_id}, compress=True)


@pytest.fixture
def subscriber(settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_MANAGE_DAYS": 60}
    return Subscriber.objects.create(email="reader@example.org", confirmed_at=timezone.now(), weekends=False)


def test_a_59_day_old_link_works_and_a_61_day_old_one_says_how_to_get_a_fresh_one(client, subscriber):
    assert client.get(f"/digests/manage/{token_made_days_ago(subscriber.pk, 59)}").status_code == 200
    token = token_made_days_ago(subscriber.pk, 61)
    page = client.get(f"/digests/manage/{token}")
    assert page.status_code == 410
    text = page.content.decode()
    assert "has expired" in text and "60 days" in text and "/digests/subscribe" in text
    assert "fresh one by email" in text
    posted = client.post(f"/digests/manage/{token}", {"weekends": "on", "timezone": "Europe/Paris"})
    assert posted.status_code == 410
    subscriber.refresh_from_db()
    assert (subscriber.weekends, subscriber.timezone) == (False, "UTC")


def test_the_api_of_tokens_names_the_expiry(subscriber):
    with pytest.raises(tokens.InvalidToken) as caught:
        tokens.read_manage_token(token_made_days_ago(subscriber.pk, 61))
    assert caught.value.code == "expired_token"
