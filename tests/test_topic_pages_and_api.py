"""The topic page (label, newest and most upvoted papers, top authors, weekly charts), the trends page, the paper
page naming its topic, the topics API, and the map page before any build telling how to make one."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Listing, Paper
from paperfeed.topics.build import build_map
from paperfeed.topics.models import PaperPoint, Topic
from tests.conftest import make_user
from tests.map_support import sample_records, store_sample


def test_the_map_page_before_any_build_says_how_to_build_it(db, client):
    body = client.get("/map").content.decode()
    assert "paperfeed map build" in body and 'id="map"' not in body
    assert client.get("/api/v1/topics").json() == []
    assert client.get("/api/v1/topics/points").json()["count"] == 0
    assert client.get("/trends").status_code == 200


def test_a_topic_page_shows_its_papers_authors_and_weekly_charts(db, client):
    store_sample(sample_records(per_field=20))
    build_map()
    topic = Topic.objects.filter(active=True).order_by("-size").first()
    papers = list(Paper.objects.filter(map_point__topic=topic).order_by("pk"))
    voters = [make_user(f"voter{n}") for n in range(3)]
    for voter in voters:
        paper_actions.upvote(voter, papers[1])

    body = client.get(f"/topics/{topic.pk}").content.decode()
    assert topic.label in body
    assert body.index("Most upvoted") < body.index(papers[1].title[:25], body.index("Most upvoted"))
    newest = Listing.objects.filter(paper__in=papers).order_by("-day", "-paper_id").first().paper
    assert newest.title[:25] in body.split("Newest")[1].split("Most upvoted")[0]
    counts = Counter(name for p in papers for name in set(p.authors))
    most = max(counts.values())
    first_listed = body.split('class="topic-authors"><li><a href="')[1].split('">')[1].split("</a>")[0]
    assert counts[first_listed] == most, (first_listed, most)
    assert body.count("<rect") >= 3 and "Votes per week" in body

    api = client.get(f"/api/v1/topics/{topic.pk}").json()
    assert api["label"] == topic.label and api["size"] == topic.size
    assert sum(w["papers"] for w in api["weeks"]) == topic.size
    assert sum(w["votes"] for w in api["weeks"]) == 3
    assert all(0 <= w["share"] <= 1 for w in api["weeks"])
    listed = {t["id"] for t in client.get("/api/v1/topics").json()}
    assert listed == set(Topic.objects.filter(active=True).values_list("pk", flat=True))

    paper_page = client.get(papers[0].get_absolute_url()).content.decode()
    assert f'href="/topics/{topic.pk}"' in paper_page


def test_unknown_topics_are_a_404_with_a_message(db, client):
    assert client.get("/topics/999").status_code == 404
    response = client.get("/api/v1/topics/999")
    assert response.status_code == 404 and "no topic 999" in response.json()["error"]["message"]
    assert client.get("/api/v1/topics/0").status_code == 422


def test_trends_compare_the_last_four_weeks_with_the_twelve_before(db, client):
    store_sample(sample_records(per_field=20))
    build_map()
    topics = list(Topic.objects.filter(active=True))
    last = Listing.objects.order_by("-day").values_list("day", flat=True).first()
    # One topic's papers all move into the last four weeks, every other paper into the twelve before.
    growing = topics[0]
    for point in PaperPoint.objects.select_related("paper"):
        recent = point.topic_id == growing.pk
        day = last - timedelta(days=(point.paper_id % 20) if recent else 35 + point.paper_id % 70)
        Listing.objects.filter(paper=point.paper).update(day=day)
    body = client.get("/trends").content.decode()
    growing_section = body.split("<h2>Growing</h2>")[1].split("<h2>Shrinking</h2>")[0]
    assert growing.label in growing_section and "<polyline" in growing_section
    if len(topics) > 1:
        assert all(t.label not in growing_section for t in topics[1:] if t.label != growing.label)


def test_the_points_download_can_start_at_a_day_and_the_topic_list_can_include_ended_topics(db, client):
    store_sample(sample_records(per_field=7))
    build_map()
    days = sorted(Listing.objects.values_list("day", flat=True))
    middle = days[len(days) // 2]
    later = client.get("/api/v1/topics/points", {"since": middle.isoformat()}).json()
    assert later["count"] == sum(d >= middle for d in days) and later["count"] < len(days)
    Topic.objects.update(active=False)
    assert client.get("/api/v1/topics").json() == []
    assert len(client.get("/api/v1/topics", {"include_ended": "true"}).json()) == Topic.objects.count()
    assert client.get("/api/v1/topics/points", {"since": "not a day"}).status_code == 400
    assert client.get("/api/v1/topics/points", {"since": "2026-13-01"}).status_code == 400
