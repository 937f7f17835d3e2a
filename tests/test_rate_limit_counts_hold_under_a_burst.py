"""The limits' counters lose no increment when many requests arrive at once: of 30 simultaneous sign-up attempts
against a limit of 5, exactly 5 pass. (Django's own database cache increments by a read and a write, and lets
them all through on PostgreSQL.)"""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from paperfeed.accounts import throttle
from paperfeed.errors import RateLimited

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_concurrent_burst_gets_exactly_the_limit_through(settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "SIGNUP_RATE": "5/h"}
    request = RequestFactory().post("/accounts/signup/", REMOTE_ADDR="203.0.113.77")
    start = threading.Barrier(30)
    passed, refused = [], []

    def attempt():
        start.wait()
        try:
            throttle.check(request, "burst-test", rate_setting="SIGNUP_RATE", per="ip", what="sign-ups")
            passed.append(1)
        except RateLimited:
            refused.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(passed), len(refused)) == (5, 25)
