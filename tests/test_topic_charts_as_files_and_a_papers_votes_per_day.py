"""A topic's charts download as standalone SVG files for a slide, and a paper page draws its votes per day."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from django.core.cache import caches
from django.utils import timezone

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Paper, Vote
from paperfeed.topics import stats
from paperfeed.topics.build import build_map
from paperfeed.topics.models import Topic
from tests.conftest import make_user
from tests.map_support import sample_records, store_sample

SVG = "{http://www.w3.org/2000/svg}"


def test_each_chart_of_a_topic_page_is_an_svg_file_with_one_bar_a_week(db, client):
    store_sample(sample_records(per_field=20))
    build_map()
    topic = Topic.objects.filter(active=True).order_by("-size").first()
    page = client.get(f"/topics/{topic.pk}").content.decode()
    weeks = len(stats.topic_series(topic).weeks)
    for kind in ("papers", "votes", "share"):
        assert f'href="/topics/{topic.pk}/{kind}.svg"' in page
        response = client.get(f"/topics/{topic.pk}/{kind}.svg")
        assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
        root = ET.fromstring(response.content)
        bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
        assert root.tag == f"{SVG}svg" and len(bars) == weeks
        assert topic.label in root.find(f"{SVG}title").text
    papers_svg = ET.fromstring(client.get(f"/topics/{topic.pk}/papers.svg").content)
    heights = [float(r.get("height")) for r in papers_svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert max(heights) == float(papers_svg.get("height"))  # the busiest week fills the chart
    assert client.get(f"/topics/{topic.pk}/nonsense.svg").status_code == 404
    assert client.get("/topics/999/papers.svg").status_code == 404


def test_a_paper_page_draws_the_votes_cast_here_on_each_day_since_its_listing(db, client, make_paper):
    today = timezone.localdate()
    paper = make_paper("2611.00401", title="Voted paper", first_listing_date=(today - timedelta(days=4)).isoformat())
    assert "votes-spark" not in client.get(paper.get_absolute_url()).content.decode()  # no votes here: no chart
    for n, days_ago in enumerate([4, 4, 2, 0, 0, 0]):
        voter = make_user(f"spark-voter{n}", days_old=90)
        paper_actions.upvote(voter, paper)
        when = timezone.now() - timedelta(days=days_ago)
        Vote.objects.filter(user=voter, paper=paper).update(created_at=when)
    start, counts = stats.votes_per_day(Paper.objects.get(pk=paper.pk), today=today)
    assert start == today - timedelta(days=4) and counts == [2, 0, 1, 0, 3]
    caches["pages"].clear()  # the page without votes is still in the page cache, within its bound
    body = client.get(paper.get_absolute_url()).content.decode()
    assert 'class="votes-spark"' in body and "6 votes here in the 5 days" in body
