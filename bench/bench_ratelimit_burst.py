"""How many of N simultaneous hits each limiter lets through against a limit of L: api/ratelimit.py's hit(),
django-ratelimit on Django's database cache, and django-ratelimit on the atomic-increment cache
(accounts/counter_cache.py) that sign-ups, comments and token creation use.

    PYTHONPATH=$PWD PAPERFEED_DATA_DIR=$(mktemp -d) python bench/bench_ratelimit_burst.py
    (add PAPERFEED_DATABASE_URL=postgres://... for PostgreSQL)
"""

import os
import threading
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django_ratelimit.core import get_usage  # noqa: E402

from paperfeed.api.ratelimit import hit  # noqa: E402

N, L, ROUNDS = 40, 5, 3


def burst(fn) -> int:
    allowed: list[bool] = []
    start = threading.Barrier(N)

    def one():
        start.wait()
        try:
            allowed.append(fn())
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(allowed)


def ratelimit_on(alias: str):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")

    def run(group: str) -> bool:
        settings.RATELIMIT_USE_CACHE = alias
        return not get_usage(request, group=group, key="ip", rate=f"{L}/h", increment=True)["should_limit"]

    return run


def main():
    call_command("migrate", verbosity=0)
    settings.CACHES["plain_db"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "paperfeed_ratelimit",
    }
    caches._settings = settings.CACHES
    print(f"{connection.vendor}: allowed of {N} simultaneous hits, limit {L}, {ROUNDS} rounds")
    plain, atomic = ratelimit_on("plain_db"), ratelimit_on("ratelimit")
    limiters = {
        "api/ratelimit.py hit() on the default cache": lambda key: hit(key, L, 3600).allowed,
        "django-ratelimit on Django's DatabaseCache": plain,
        "django-ratelimit on AtomicCounterDatabaseCache": atomic,
    }
    for name, limiter in limiters.items():
        counts = []
        for _ in range(ROUNDS):
            key = uuid.uuid4().hex
            counts.append(burst(lambda key=key, limiter=limiter: limiter(key)))
        print(f"  {name}: {counts}")


if __name__ == "__main__":
    main()
