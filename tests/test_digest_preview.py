"""Previewing a subscriber's digest in the browser (staff only) and with `paperfeed digest preview EMAIL`."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import make_user
from tests.digests_support import subscribe, voted_papers

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(make_paper):
    from django.utils import timezone

    voted_papers(make_paper, 2, day=(timezone.localdate() - timedelta(days=1)).isoformat())
    subscribe("reader@example.net")


def test_staff_see_the_digest_as_it_would_be_sent(reader):
    client = Client()
    client.force_login(make_user("editor", is_staff=True))
    page = client.get("/digests/preview/reader@example.net")
    assert page.status_code == 200 and b"Paper 2603.00001" in page.content and b"Message-ID" in page.content
    text = client.get("/digests/preview/reader@example.net?part=text")
    assert text["Content-Type"].startswith("text/plain") and "Unsubscribe: " in text.content.decode()


def test_others_cannot_preview(reader, alice):
    client = Client()
    client.force_login(alice)
    assert client.get("/digests/preview/reader@example.net").status_code == 302


def test_an_unknown_address_is_a_404(db):
    client = Client()
    client.force_login(make_user("editor", is_staff=True))
    assert client.get("/digests/preview/nobody@example.net").status_code == 404


def test_the_command_prints_the_plain_text_part(reader, capsys):
    call_command("digest", "preview", "reader@example.net")
    out = capsys.readouterr().out
    assert "Subject: paperfeed: trending papers" in out and "Paper 2603.00001" in out
