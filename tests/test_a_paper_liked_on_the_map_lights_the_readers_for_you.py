"""A reader picks papers on the map as For-you likes through the vote URL the start panel uses, with the map
card's CSRF token; the overlay then lights their For-you top papers beside the liked one. Anonymous readers get
a log-in link instead of the form and an overlay with nothing of theirs."""

from __future__ import annotations

import re

from django.test import Client
from django.utils import timezone

from paperfeed.papers.models import Listing, Paper, Vote
from paperfeed.recommend import feed
from paperfeed.topics.build import build_map
from tests.map_support import sample_records, store_sample


def mapped_this_week() -> None:
    store_sample(sample_records(per_field=20))
    build_map()
    Listing.objects.update(day=timezone.localdate())  # in the For-you window


def test_an_anonymous_reader_gets_a_log_in_link_and_no_overlay_of_their_own(db, client):
    mapped_this_week()
    body = client.get("/map").content.decode()
    assert 'id="map-like"' not in body
    assert 'href="/accounts/login/?next=/map"' in body
    overlay = client.get("/map/overlay.json").json()
    assert overlay["mine"] == [] and overlay["for_you"] == []


def test_a_like_from_the_map_becomes_a_for_you_signal_and_lights_the_readers_top_papers(db, alice):
    mapped_this_week()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get("/map/overlay.json").json()["for_you"] == []  # no signal yet: nothing claims to be theirs

    page = browser.get("/map").content.decode()
    form = re.search(r'<form class="map-like" id="map-like".*?</form>', page, re.S)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    paper = Paper.objects.filter(primary_category="cs.GT").order_by("pk").first()
    url = f"/papers/{paper.arxiv_id}/vote"
    headers = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}
    assert browser.post(url, {"action": "up"}, **headers).status_code == 403  # no token, no like
    response = browser.post(url, {"action": "up", "csrfmiddlewaretoken": token}, **headers)
    assert response.status_code == 200 and response.json()["voted"] is True

    assert Vote.objects.filter(user=alice, paper=paper).exists() and feed.has_signal(alice)
    overlay = browser.get("/map/overlay.json?window=week").json()
    assert overlay["mine"] == [paper.arxiv_id]
    top = overlay["for_you"]
    assert top and paper.arxiv_id not in top  # the like itself is not recommended back
    fields = dict(Paper.objects.filter(arxiv_id__in=top).values_list("arxiv_id", "primary_category"))
    assert set(top) <= set(Paper.objects.filter(map_point__isnull=False).values_list("arxiv_id", flat=True))
    nearest = [fields[a] for a in top[:5]]
    assert nearest.count("cs.GT") >= 3, nearest  # the top of For you is about what was liked
    assert "start-panel" not in browser.get("/papers/for-you").content.decode()
