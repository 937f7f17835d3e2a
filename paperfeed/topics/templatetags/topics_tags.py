from django import template

from paperfeed.topics.points import topic_of

register = template.Library()


@register.simple_tag
def paper_topic(paper):
    """The map topic this paper belongs to, or None before the first map build."""
    return topic_of(paper)
