"""A digest enqueued for a subscription that stopped being deliverable before its turn is skipped, not sent."""

import pytest
import time_machine
from django.utils import timezone

from paperfeed.digests.models import SendLog, Subscriber, Subscription
from paperfeed.digests.send import enqueue, send_due
from tests.digests_support import TUESDAY_9AM, subscribe, voted_papers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "stop",
    [
        lambda s: Subscription.objects.filter(pk=s.pk).update(active=False),
        lambda s: Subscriber.objects.filter(pk=s.subscriber_id).update(status=Subscriber.FAILED),
        lambda s: Subscriber.objects.filter(pk=s.subscriber_id).update(confirmed_at=None),
    ],
    ids=["unsubscribed", "bounced", "unconfirmed"],
)
def test_a_digest_that_is_no_longer_deliverable_is_skipped(make_paper, smtp, stop):
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 2)
        subscription = subscribe("reader@example.net")
        kept = subscribe("other@example.net")
        enqueue(timezone.now(), ["daily"])
        stop(subscription)
        summary = send_due()
    assert (summary.skipped, summary.sent) == (1, 1)
    assert SendLog.objects.get(subscription=subscription).status == SendLog.SKIPPED
    assert SendLog.objects.get(subscription=kept).status == SendLog.SENT
    assert [m["To"] for m in smtp.messages] == ["other@example.net"]
