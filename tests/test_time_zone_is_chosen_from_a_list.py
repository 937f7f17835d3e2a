"""A subscriber picks the digest time zone from a grouped list of the zones Python knows, with the current one
selected; a name that is not a zone is refused with a 400 and nothing changes."""

import re

import pytest

from paperfeed.digests import tokens
from paperfeed.digests.models import Subscriber
from tests.digests_support import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def manage_url(db):
    subscription = subscribe("reader@example.org", tz="Asia/Kolkata")
    return f"/digests/manage/{tokens.manage_token(subscription.subscriber_id)}", subscription


def test_the_time_zone_is_a_grouped_select_with_the_current_zone_selected(client, manage_url):
    html = client.get(manage_url[0]).content.decode()
    select = re.search(r'<select name="timezone">(.*?)</select>', html, re.S)[1]
    assert '<optgroup label="Europe">' in select and '<optgroup label="America">' in select
    assert '<option value="Asia/Kolkata" selected>Kolkata</option>' in select
    assert '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in select
    assert select.index('value="UTC"') < select.index('value="Africa/Abidjan"')
    assert select.count(" selected") == 1 and 'value="Etc/GMT+5"' not in select


def test_a_chosen_zone_is_saved(client, manage_url):
    url, subscription = manage_url
    response = client.post(url, {"timezone": "Europe/Berlin", f"sub-{subscription.pk}": "daily"})
    assert response.status_code in (200, 302)
    assert Subscriber.objects.get().timezone == "Europe/Berlin"
    assert '<option value="Europe/Berlin" selected>Berlin</option>' in client.get(url).content.decode()


def test_a_name_that_is_not_a_zone_is_refused(client, manage_url):
    url, subscription = manage_url
    response = client.post(url, {"timezone": "Mars/Olympus", f"sub-{subscription.pk}": "daily"})
    assert response.status_code == 400 and "Unknown time zone" in response.content.decode()
    assert Subscriber.objects.get().timezone == "Asia/Kolkata"
