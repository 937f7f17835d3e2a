"""A preview asked for after the day's digest went out says that edition was sent, and shows the next one under
its own period and Message-ID, on the command line and on the staff page."""

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from paperfeed.digests.models import SendLog
from paperfeed.digests.send import send_due
from tests.conftest import make_user
from tests.digests_support import TUESDAY_9AM, message_ids, subscribe, voted_papers

pytestmark = pytest.mark.django_db

SENT_NOTE = "The daily digest of 2026-03-10 was sent at 2026-03-10 09:00 UTC; this is what the next one"


@pytest.fixture
def sent(smtp, make_paper):
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 3, day="2026-03-09")
        subscribe("reader@example.net")
        assert send_due().sent == 1
    return message_ids(smtp)[0]


def test_the_command_says_the_edition_was_sent_and_shows_the_next_under_its_own_message_id(sent, capsys):
    with time_machine.travel(TUESDAY_9AM.replace(hour=10), tick=False):
        call_command("digest", "preview", "reader@example.net")
    out = capsys.readouterr().out
    assert SENT_NOTE in out
    assert sent not in out and "d2026-03-10" not in out.split("===")[1]
    assert "d2026-03-11" in out


def test_the_staff_page_says_the_same(sent):
    client = Client()
    client.force_login(make_user("editor", is_staff=True))
    with time_machine.travel(TUESDAY_9AM.replace(hour=10), tick=False):
        page = client.get("/digests/preview/reader@example.net").content.decode()
        text = client.get("/digests/preview/reader@example.net?part=text").content.decode()
    assert SENT_NOTE in page and SENT_NOTE in text
    assert sent.strip("<>") not in page


def test_before_the_send_the_preview_is_of_the_edition_due_now_with_no_note(smtp, make_paper, capsys):
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 3, day="2026-03-09")
        subscribe("reader@example.net")
        call_command("digest", "preview", "reader@example.net")
    out = capsys.readouterr().out
    assert "d2026-03-10" in out and "was sent" not in out
    assert not SendLog.objects.exists()
