from django import template
from django.utils import timezone

from paperfeed.topics import charts, stats
from paperfeed.topics.points import topic_of

register = template.Library()


@register.simple_tag
def paper_topic(paper):
    """The map topic this paper belongs to, or None before the first map build."""
    return topic_of(paper)


@register.inclusion_tag("topics/_votes_spark.html")
def votes_spark(paper):
    """A paper page's votes per day since its listing, as a sparkline (nothing when nobody voted here)."""
    per_day = stats.votes_per_day(paper, today=timezone.localdate())
    if per_day is None or len(per_day[1]) < 2:
        return {"spark": None}
    start, counts = per_day
    return {"spark": charts.spark(counts), "start": start, "days": len(counts), "total": sum(counts)}
