"""The domain's unsubscribe takes the user and stops only that user's subscriptions: another's is not found."""

import pytest

from paperfeed.digests import subscriptions
from paperfeed.digests.models import Subscription
from paperfeed.errors import NotFound
from tests.digests_support import subscribe

pytestmark = pytest.mark.django_db


def test_bob_cannot_unsubscribe_alices_subscription(alice, bob):
    alices = subscribe("alice@example.org", user=alice)
    with pytest.raises(NotFound) as refused:
        subscriptions.unsubscribe(bob, alices.pk)
    assert refused.value.code == "subscription_not_found"
    assert Subscription.objects.get(pk=alices.pk).active


def test_alice_unsubscribes_her_own_and_a_second_time_changes_nothing(alice):
    alices = subscribe("alice@example.org", user=alice)
    stopped = subscriptions.unsubscribe(alice, alices.pk)
    assert not stopped.active and stopped.unsubscribed_at is not None
    assert subscriptions.unsubscribe(alice, alices.pk).unsubscribed_at == stopped.unsubscribed_at


def test_a_subscription_that_does_not_exist_is_not_found(alice):
    with pytest.raises(NotFound):
        subscriptions.unsubscribe(alice, 12345)
