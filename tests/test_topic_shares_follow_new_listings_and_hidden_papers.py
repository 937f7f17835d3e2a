"""The hub-wide weekly counts behind a topic's share and the trends are kept between requests, but a newly listed
paper, a newly placed point or a hidden paper shows in them at the next request."""

from __future__ import annotations

from paperfeed.papers import changes
from paperfeed.papers.models import Listing, Paper
from paperfeed.topics import stats
from paperfeed.topics.build import build_map
from paperfeed.topics.models import PaperPoint, Topic
from tests.map_support import sample_records, store_sample


def week_total(series, week) -> int:
    """All papers listed in `week`, from the topic's papers and its share of them."""
    i = series.weeks.index(week)
    return round(series.papers[i] / series.share[i])


def counts(trends) -> list[tuple[int, int, int]]:
    return [(t.topic.pk, t.recent, t.before) for t in trends["growing"] + trends["shrinking"]]


def test_shares_and_trends_follow_a_new_listing_a_new_point_and_a_hidden_paper(db, make_paper):
    store_sample(sample_records(per_field=20))
    build_map()
    topic = Topic.objects.filter(active=True).order_by("-size").first()
    member = Paper.objects.filter(map_point__topic=topic).order_by("pk").first()
    week = stats.monday(Listing.objects.get(paper=member).day)
    before = stats.topic_series(topic)
    total = week_total(before, week)
    stats.trends()
    assert stats.topic_series(topic).share == before.share  # kept: the same answer

    make_paper("2601.99999", first_listing_date=Listing.objects.get(paper=member).day.isoformat())
    assert week_total(stats.topic_series(topic), week) == total + 1

    newcomer = Paper.objects.get(arxiv_id="2601.99999")
    PaperPoint.objects.create(paper=newcomer, x=1.0, y=1.0, topic=topic, placed_by=PaperPoint.NEIGHBOURS)
    assert counts(stats.trends()) == counts(stats._trends(12))  # the kept answer is the fresh one

    changes.mark_changed(Paper.objects.filter(pk=member.pk), hidden=True)
    after = stats.topic_series(topic)
    assert week_total(after, week) == total  # the new paper in, the hidden one out
    assert after.papers[after.weeks.index(week)] == before.papers[before.weeks.index(week)]  # one in, one out
    assert counts(stats.trends()) == counts(stats._trends(12))
