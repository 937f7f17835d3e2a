"""Every page, Django's own account pages and mails included, names the hub by its name, not by the host."""

from django.core import mail

from tests.conftest import make_user


def test_login_and_password_reset_pages_and_mail_name_the_hub(client, db, settings):
    for url in ["/accounts/login/", "/accounts/password_reset/", "/accounts/password_reset/done/"]:
        page = client.get(url).content.decode()
        assert "127.0.0.1" not in page and "testserver" not in page, url
        assert '<a class="brand" href="/papers">paperfeed</a>' in page, url
    make_user("alice")
    client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    (message,) = mail.outbox
    assert "paperfeed" in message.subject + message.body and "testserver" not in message.subject
