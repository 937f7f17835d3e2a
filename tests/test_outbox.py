"""With no mail server set, mail is kept in the outbox: staff (and, in the demo, everyone) read it at /outbox,
with its links clickable; nobody else sees it."""

import pytest
from django.core import mail

from tests.conftest import make_user


@pytest.fixture
def outbox_backend(settings):
    settings.EMAIL_BACKEND = "paperfeed.runtime.outbox.EmailBackend"


def send_confirmation():
    message = mail.EmailMultiAlternatives(
        "Confirm your digest",
        "Follow this link: http://127.0.0.1:8000/digests/confirm/abc123\n",
        "paperfeed <noreply@localhost>",
        ["reader@example.org"],
    )
    message.attach_alternative('<p style="color:red">Follow <a href="http://x/confirm">this</a></p>', "text/html")
    message.send()


def test_staff_read_the_mail_with_its_link_clickable(client, outbox_backend, db):
    send_confirmation()
    staff = make_user("root", is_staff=True)
    client.force_login(staff)
    listing = client.get("/outbox").content.decode()
    assert "reader@example.org" in listing and "Confirm your digest" in listing
    from paperfeed.runtime.models import OutboxMessage

    mail_page = client.get(f"/outbox/{OutboxMessage.objects.get().pk}")
    body = mail_page.content.decode()
    assert '<a href="http://127.0.0.1:8000/digests/confirm/abc123"' in body
    assert "srcdoc=" in body and "sandbox" in body
    assert "'unsafe-inline'" in mail_page["Content-Security-Policy"].split("style-src")[1].split(";")[0]


def test_others_see_nothing_unless_the_outbox_is_public(client, outbox_backend, settings, db):
    send_confirmation()
    assert client.get("/outbox").status_code == 404
    client.force_login(make_user("bob"))
    assert client.get("/outbox").status_code == 404
    settings.PAPERFEED = {**settings.PAPERFEED, "OUTBOX_PUBLIC": True}
    assert "Confirm your digest" in client.get("/outbox").content.decode()


def test_the_outbox_keeps_only_the_newest(outbox_backend, settings, db):
    from paperfeed.runtime.models import OutboxMessage

    settings.PAPERFEED = {**settings.PAPERFEED, "OUTBOX_KEEP": 3}
    for n in range(5):
        mail.send_mail(f"mail {n}", "body", "a@localhost", ["b@example.org"])
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["mail 4", "mail 3", "mail 2"]
