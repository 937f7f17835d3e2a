"""The subscribe form can't be used to mail-bomb a stranger: limits per IP and per address, counted in the database."""

import pytest
from django.test import Client

from paperfeed.digests.models import ThrottleHit

pytestmark = pytest.mark.django_db


def test_an_address_gets_at_most_the_set_number_of_confirmation_mails_a_day(smtp, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_THROTTLE_PER_ADDRESS": 2, "DIGEST_THROTTLE_PER_IP": 100}
    answers = [
        Client(REMOTE_ADDR=f"10.0.0.{i}").post("/digests/subscribe", {"email": "victim@example.net"}).status_code
        for i in range(5)
    ]
    assert answers == [200, 200, 429, 429, 429]
    assert len(smtp.messages) == 2


def test_one_ip_gets_at_most_the_set_number_of_requests_an_hour(smtp, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_THROTTLE_PER_IP": 3, "DIGEST_THROTTLE_PER_ADDRESS": 100}
    client = Client(REMOTE_ADDR="192.0.2.7")
    answers = [client.post("/digests/subscribe", {"email": f"p{i}@example.net"}).status_code for i in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    assert len(smtp.messages) == 3
    assert Client(REMOTE_ADDR="192.0.2.8").post("/digests/subscribe", {"email": "q@example.net"}).status_code == 200


def test_the_counts_live_in_the_database_so_every_process_shares_them(smtp):
    Client().post("/digests/subscribe", {"email": "x@example.net"})
    keys = set(ThrottleHit.objects.values_list("key", flat=True))
    assert {k.split(":")[0] for k in keys} == {"ip", "address"}
    assert not any("x@example.net" in k for k in keys)  # hashed, not stored in the clear
